"""Background jobs: long work run outside the request, with progress stored in the database.

A job row is created in the request (`start_job`); a worker thread in the same
process runs its handler and writes progress, so any process can show it. A
second start of the same kind for the same cohort while one is queued or running
returns the live job instead (a partial unique index guarantees it), which makes
a double click harmless. `flask --app wsgi lms jobs run` runs jobs that a
stopped process left queued.
"""

from __future__ import annotations

import importlib
import threading
import traceback
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.models import BackgroundJob, User, utcnow

# Job kind → "module:function"; the function takes (job, report_progress) and returns a result dict.
HANDLERS: dict[str, str] = {
    "certificates.issue": "lms.certificates.operations:run_bulk_issue",
    "registrants.import": "lms.staff.imports:run_import_job",
}
LIVE_STATUSES = ("queued", "running")
ProgressCallback = Callable[[int, int], None]


def start_job(kind: str, *, cohort_id: int | None, created_by: User | None, params: dict | None = None,
              run: bool = True) -> tuple[BackgroundJob, bool]:
    """Create a job (or find the live one of that kind and cohort); return (job, created)."""
    live = find_live_job(kind, cohort_id)
    if live is not None:
        return live, False
    job = BackgroundJob(kind=kind, cohort_id=cohort_id, params=params or {},
                        created_by_id=created_by.id if created_by else None)
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a concurrent click won the race; show its job
        return find_live_job(kind, cohort_id), False
    if run and not current_app.config.get("JOBS_RUN_INLINE"):
        spawn(current_app._get_current_object(), job.id)
    elif run:
        run_job(job.id)
    return job, True


def find_live_job(kind: str, cohort_id: int | None) -> BackgroundJob | None:
    """Return the queued or running job of a kind for a cohort, if any."""
    return db.session.scalar(
        select(BackgroundJob).where(
            BackgroundJob.kind == kind,
            BackgroundJob.cohort_id == cohort_id,
            BackgroundJob.status.in_(LIVE_STATUSES),
        )
    )


def spawn(app: Flask, job_id: int) -> threading.Thread:
    """Run a job in a daemon thread with its own app context."""

    def target():
        with app.app_context():
            run_job(job_id)

    thread = threading.Thread(target=target, name=f"job-{job_id}", daemon=True)
    thread.start()
    return thread


def run_job(job_id: int) -> BackgroundJob:
    """Run one queued job to the end, recording progress, result or error."""
    claimed = db.session.execute(
        update(BackgroundJob)
        .where(BackgroundJob.id == job_id, BackgroundJob.status == "queued")
        .values(status="running", started_at=utcnow())
    ).rowcount
    db.session.commit()
    job = db.session.get(BackgroundJob, job_id)
    if not claimed:
        return job  # another worker has it, or it already ran
    try:
        result = resolve_handler(job.kind)(job, progress_reporter(job_id))
    except Exception:  # noqa: BLE001 - any failure must end up on the job page, not kill the worker
        db.session.rollback()
        current_app.logger.exception("job %s failed", job_id)
        finish(job_id, "failed", error=traceback.format_exc(limit=5))
    else:
        finish(job_id, "done", result=result)
    return db.session.get(BackgroundJob, job_id)


def progress_reporter(job_id: int) -> ProgressCallback:
    """Return a callback that stores done/total for the job page to poll."""

    def report(done: int, total: int) -> None:
        db.session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id).values(done=done, total=total))
        db.session.commit()

    return report


def finish(job_id: int, status: str, *, result: dict | None = None, error: str | None = None) -> None:
    """Mark a job done or failed."""
    db.session.execute(
        update(BackgroundJob)
        .where(BackgroundJob.id == job_id)
        .values(status=status, result=result, error=error, finished_at=utcnow())
    )
    db.session.commit()


def resolve_handler(kind: str) -> Callable[[BackgroundJob, ProgressCallback], dict]:
    """Import the handler function of a job kind."""
    module_name, function_name = HANDLERS[kind].split(":")
    return getattr(importlib.import_module(module_name), function_name)


def run_queued_jobs() -> int:
    """Run every queued job in this process (for the CLI); return how many ran."""
    job_ids = db.session.scalars(select(BackgroundJob.id).where(BackgroundJob.status == "queued")).all()
    for job_id in job_ids:
        run_job(job_id)
    return len(job_ids)
