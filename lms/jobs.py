"""Background jobs: long work run by the queue worker, with progress and state stored in the database.

A job row is created in the request (`start_job`) and its id is put on the task
queue (lms/queue); the worker process claims it (queued → running), writes
progress and a heartbeat, and ends it `done` or `failed` (the error is kept for
the job page). A second start of the same kind for the same cohort while one is
queued or running returns the live job instead (a partial unique index
guarantees it), which makes a double click harmless.

Crash recovery: a job whose worker died stays `running` in the table, so
`reap_stale_jobs` marks `interrupted` every running job whose worker process on
this host is gone, or, for a worker on another host, whose heartbeat is older
than JOB_STALE_SECONDS. It runs
when a worker starts, every minute in the worker, and before every `start_job`,
so a dead job never blocks a new one. The worker resumes an interrupted job by
itself up to JOB_AUTO_RETRIES times; staff can retry a failed or interrupted job
from its page. Handlers are idempotent, so running one again finishes the work
without doing any of it twice.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lms import audit, queue
from lms.database import write_transaction
from lms.extensions import db
from lms.models import BackgroundJob, User, utcnow

# Job kind → "module:function"; the function takes (job, report_progress) and returns a result dict.
HANDLERS: dict[str, str] = {
    "certificates.issue": "lms.certificates.operations:run_bulk_issue",
    "registrants.import": "lms.staff.imports.jobs:run_import_job",
}
LIVE_STATUSES = ("queued", "running")
RETRYABLE_STATUSES = ("failed", "interrupted")
# The error stored for an interrupted job is this code (optionally "<code> <worker> <last heartbeat, UTC>"),
# never a sentence: `error_message` words it in the language of whoever reads the page.
WORKER_STOPPED = "worker-stopped"
STATUSES = ("queued", "running", "done", "failed", "interrupted")
RUN_TASK = "jobs.run"
ProgressCallback = Callable[[int, int], None]


def start_job(kind: str, *, cohort_id: int | None, created_by: User | None, params: dict | None = None,
              run: bool = True) -> tuple[BackgroundJob, bool]:
    """Create a job (or find the live one of that kind and cohort) and queue it; return (job, created)."""
    reap_stale_jobs()  # a job whose worker died must not block this one
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
    if run:
        enqueue_job(job.id)
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


def enqueue_job(job_id: int) -> None:
    """Hand a queued job to the task queue; if the queue is down it stays queued for `recover_jobs`."""
    try:
        queue.enqueue(RUN_TASK, job_id)
    except Exception:  # noqa: BLE001 - the row is the truth; the worker re-queues it when it starts
        current_app.logger.exception("could not put job %s on the queue; it stays queued", job_id)


@queue.task(RUN_TASK)
def run_job(job_id: int) -> BackgroundJob:
    """Run one queued job to the end, recording progress, heartbeat, result or error."""
    me = worker_id()
    # Every write here takes SQLite's write lock up front (BEGIN IMMEDIATE): the heartbeat thread writes
    # too, and a deferred transaction that read first would get "database is locked" instead of waiting.
    with write_transaction():
        claimed = db.session.execute(
            update(BackgroundJob)
            .where(BackgroundJob.id == job_id, BackgroundJob.status == "queued")
            .values(status="running", started_at=utcnow(), heartbeat_at=utcnow(), claimed_by=me, finished_at=None,
                    error=None, attempts=BackgroundJob.attempts + 1)
        ).rowcount
    job = db.session.get(BackgroundJob, job_id)
    if not claimed:
        return job  # another worker has it, or it already ran
    beating = None if queue.is_immediate() else Heartbeat(current_app._get_current_object(), job_id, me)
    try:
        result = resolve_handler(job.kind)(job, progress_reporter(job_id))
    except Exception:  # noqa: BLE001 - any failure must end up on the job page, not kill the worker
        db.session.rollback()
        current_app.logger.exception("job %s failed", job_id)
        finish(job_id, "failed", error=traceback.format_exc(limit=5))
    except BaseException:  # the worker is being stopped: the next worker resumes the job
        db.session.rollback()
        finish(job_id, "interrupted", error=WORKER_STOPPED)
        raise
    else:
        finish(job_id, "done", result=result)
    finally:
        if beating is not None:
            beating.stop()
    db.session.expire_all()
    return db.session.get(BackgroundJob, job_id)


class Heartbeat:
    """A thread that stamps `heartbeat_at` on a running job, so a dead worker's job can be told apart."""

    def __init__(self, app: Flask, job_id: int, owner: str):
        self.app, self.job_id, self.owner = app, job_id, owner
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.beat, name=f"job-{job_id}-heartbeat", daemon=True)
        self.thread.start()

    def beat(self) -> None:
        interval = self.app.config["JOB_HEARTBEAT_SECONDS"]
        with self.app.app_context():
            while not self.stopped.wait(interval):
                try:
                    with write_transaction():
                        db.session.execute(update(BackgroundJob).where(
                            BackgroundJob.id == self.job_id, BackgroundJob.claimed_by == self.owner,
                            BackgroundJob.status == "running").values(heartbeat_at=utcnow()))
                except Exception:  # noqa: BLE001 - a busy database skips one beat; the next one tries again
                    db.session.rollback()
                    self.app.logger.warning("job %s: heartbeat skipped", self.job_id, exc_info=True)
            db.session.remove()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()


def progress_reporter(job_id: int) -> ProgressCallback:
    """Return a callback that stores done/total (and a heartbeat) for the job page to poll."""

    def report(done: int, total: int) -> None:
        with write_transaction():
            db.session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id)
                               .values(done=done, total=total, heartbeat_at=utcnow()))

    return report


def finish(job_id: int, status: str, *, result: dict | None = None, error: str | None = None) -> None:
    """End a job this process runs as done, failed or interrupted."""
    with write_transaction():
        db.session.execute(
            update(BackgroundJob)
            .where(BackgroundJob.id == job_id, BackgroundJob.claimed_by == worker_id(),
                   BackgroundJob.status.in_(("running", "interrupted")))
            .values(status=status, result=result, error=error, finished_at=utcnow())
        )


def resolve_handler(kind: str) -> Callable[[BackgroundJob, ProgressCallback], dict]:
    """Import the handler function of a job kind."""
    module_name, function_name = HANDLERS[kind].split(":")
    return getattr(importlib.import_module(module_name), function_name)


# --- Crash recovery ----------------------------------------------------------------------


def worker_id() -> str:
    """Name this process as "host:pid", the way running jobs record who claimed them."""
    return f"{socket.gethostname()}:{os.getpid()}"


def local_owner_alive(claimed_by: str | None) -> bool | None:
    """Tell whether the process that claimed a job is alive, if it ran on this host (None: another host)."""
    host, _colon, pid_text = (claimed_by or "").rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    if int(pid_text) == os.getpid():
        return True
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_stale(job: BackgroundJob, now: datetime | None = None) -> bool:
    """Tell whether a running job's worker is dead.

    On this host the process table answers exactly (a killed worker is seen at once,
    a busy one is never mistaken for dead); a worker on another host is dead when its
    heartbeat is older than JOB_STALE_SECONDS.
    """
    if job.status != "running":
        return False
    alive = local_owner_alive(job.claimed_by)
    if alive is not None:
        return not alive
    cutoff = (now or utcnow()) - timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])
    return last_sign_of_life(job) < cutoff


def last_sign_of_life(job: BackgroundJob) -> datetime:
    """Return when a job's worker last wrote to it (rows from before the heartbeat have only their times)."""
    return job.heartbeat_at or job.started_at or job.created_at


def reap_stale_jobs(now: datetime | None = None) -> list[int]:
    """Mark `interrupted` every running job whose worker is dead; return their ids."""
    now = now or utcnow()
    running = db.session.scalars(select(BackgroundJob).where(BackgroundJob.status == "running")).all()
    stale = [(job.id, job.claimed_by, last_sign_of_life(job)) for job in running if is_stale(job, now)]
    reaped = []
    if not stale:
        return reaped
    with write_transaction():
        for job_id, claimed_by, last in stale:
            reaped += [job_id] if db.session.execute(
                update(BackgroundJob).where(BackgroundJob.id == job_id, BackgroundJob.status == "running",
                                            BackgroundJob.claimed_by == claimed_by)
                .values(status="interrupted", finished_at=now,
                        error=f"{WORKER_STOPPED} {claimed_by} {last:%Y-%m-%dT%H:%M:%S}")
            ).rowcount else []
    for job_id in reaped:
        current_app.logger.warning("job %s interrupted: its worker stopped", job_id)
    return reaped


def requeue(job_id: int, *, statuses: tuple[str, ...] = RETRYABLE_STATUSES) -> bool:
    """Put a failed or interrupted job back to `queued`; False if it is not, or a newer live job exists."""
    try:
        with write_transaction():
            changed = db.session.execute(
                update(BackgroundJob).where(BackgroundJob.id == job_id, BackgroundJob.status.in_(statuses))
                .values(status="queued", finished_at=None)
            ).rowcount
    except IntegrityError:  # the partial unique index: another job of this kind and cohort is live
        return False
    return bool(changed)


def retry_job(job: BackgroundJob, *, by: User | None) -> bool:
    """Retry a failed or interrupted job for staff (audited); False if it cannot be retried now."""
    before = job.status
    if before not in RETRYABLE_STATUSES or not requeue(job.id):
        return False
    with write_transaction():
        audit.record("job.retry", job, actor=by, before={"status": before}, after={"status": "queued"})
    enqueue_job(job.id)
    return True


def recover_jobs(*, requeue_queued: bool = False) -> dict[str, int]:
    """Reap dead jobs, resume interrupted ones (up to JOB_AUTO_RETRIES attempts) and re-queue lost ones."""
    reaped = reap_stale_jobs()
    limit = current_app.config["JOB_AUTO_RETRIES"]
    resumable = db.session.scalars(select(BackgroundJob.id).where(
        BackgroundJob.status == "interrupted", BackgroundJob.attempts <= limit)).all()
    resumed = [job_id for job_id in resumable if requeue(job_id, statuses=("interrupted",))]
    queued = resumed
    if requeue_queued:  # the queue may have lost them (a worker killed after taking the message)
        queued = db.session.scalars(select(BackgroundJob.id).where(BackgroundJob.status == "queued")).all()
    for job_id in queued:
        enqueue_job(job_id)
    return {"interrupted": len(reaped), "resumed": len(resumed), "queued": len(queued)}


def run_pending_here() -> int:
    """Reap dead jobs, then run every queued or interrupted job in this process (the CLI); return how many."""
    reap_stale_jobs()
    for job_id in db.session.scalars(select(BackgroundJob.id).where(BackgroundJob.status == "interrupted")).all():
        requeue(job_id, statuses=("interrupted",))
    job_ids = db.session.scalars(select(BackgroundJob.id).where(BackgroundJob.status == "queued")
                                 .order_by(BackgroundJob.id)).all()
    for job_id in job_ids:
        run_job(job_id)
    return len(job_ids)


run_queued_jobs = run_pending_here  # the name callers used before the queue


def spawn(app: Flask, job_id: int) -> threading.Thread:
    """Run a job in a thread of this process with its own app context (the CLI draws progress meanwhile)."""

    def target():
        with app.app_context():
            run_job(job_id)

    thread = threading.Thread(target=target, name=f"job-{job_id}", daemon=True)
    thread.start()
    return thread


def error_message(error: str | None) -> str:
    """Return a job's stored error for its page: a code in the reader's language, else a traceback's last line."""
    text = (error or "").strip()
    code, _space, detail = text.partition(" ")
    if code != WORKER_STOPPED:
        return text.splitlines()[-1] if text else ""
    worker, _space, last = detail.partition(" ")
    try:
        heartbeat = datetime.fromisoformat(last)
    except ValueError:
        return _("Pekerja berhenti saat proses berjalan.")
    return _("Pekerja %(worker)s berhenti (detak terakhir %(when)s WIB).", worker=worker,
             when=format_datetime(heartbeat, "d MMM yyyy HH.mm.ss"))
