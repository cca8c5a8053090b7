"""Run a periodic task and record its last run in `periodic_run`, for the staff page and /healthz."""

from __future__ import annotations

import traceback

from flask import current_app
from sqlalchemy.exc import IntegrityError

from lms.database import write_transaction
from lms.extensions import db
from lms.models import PeriodicRun, utcnow
from lms.queue import PERIODIC, load_task_modules


def run_periodic(name: str) -> PeriodicRun:
    """Run one registered periodic task now, recording start, end, success and its summary."""
    load_task_modules()
    periodic = PERIODIC[name]
    _mark_started(name)
    try:
        summary, ok = periodic.function(), True
    except Exception as error:  # noqa: BLE001 - a failing task is recorded, the scheduler goes on
        db.session.rollback()
        current_app.logger.exception("periodic task %s failed", name)
        summary, ok = f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}", False
    with write_transaction():
        row = db.session.get(PeriodicRun, name)
        row.finished_at, row.ok, row.summary = utcnow(), ok, str(summary or "")[:4000]
    current_app.logger.info("periodic task %s %s: %s", name, "ok" if ok else "FAILED", row.summary.splitlines()[:1])
    return row


def _mark_started(name: str) -> None:
    try:
        with write_transaction():
            row = db.session.get(PeriodicRun, name) or PeriodicRun(name=name, runs=0)
            row.started_at, row.runs = utcnow(), (row.runs or 0) + 1
            db.session.add(row)
    except IntegrityError:  # two workers inserted the first row at once: count this run on theirs
        with write_transaction():
            row = db.session.get(PeriodicRun, name)
            row.started_at, row.runs = utcnow(), row.runs + 1


def last_runs() -> dict[str, PeriodicRun]:
    """Return the recorded last run of every periodic task, by name."""
    return {row.name: row for row in db.session.scalars(db.select(PeriodicRun))}
