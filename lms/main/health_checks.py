"""What /healthz reports, one function per dependency (the queue adds its own)."""

from __future__ import annotations

import time

from sqlalchemy import text

from lms.extensions import db


def database() -> dict:
    """Run SELECT 1 and report whether it worked and how long it took."""
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except Exception as error:  # noqa: BLE001 - a health check reports every failure, it never raises
        db.session.rollback()
        return {"ok": False, "error": type(error).__name__, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return {"ok": True, "dialect": db.engine.dialect.name, "ms": round((time.perf_counter() - started) * 1000, 1)}
