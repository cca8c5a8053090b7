"""The queue's part of /healthz and of the staff operations page."""

from __future__ import annotations

from flask import current_app

from lms.extensions import db
from lms.models import PeriodicRun
from lms.queue import HEARTBEAT_TASK, get_queue


def queue_health() -> dict:
    """Report whether the queue storage answers, how many tasks wait, and when a worker was last seen."""
    report: dict = {"backend": None, "reachable": False, "pending": None, "worker_last_seen": None}
    try:
        queue = get_queue()
        report["backend"] = "immediate" if queue.huey.immediate else queue.backend
        report["pending"] = queue.huey.pending_count()
        report["reachable"] = True
    except Exception as error:  # noqa: BLE001 - a health probe reports, it does not raise
        current_app.logger.warning("queue health check failed: %s", error)
    try:
        seen = db.session.get(PeriodicRun, HEARTBEAT_TASK)
    except Exception as error:  # noqa: BLE001 - the database part of /healthz reports this failure
        db.session.rollback()
        current_app.logger.warning("worker heartbeat unreadable: %s", error)
        seen = None
    if seen is not None and seen.finished_at is not None:
        report["worker_last_seen"] = seen.finished_at.isoformat() + "Z"
    return report
