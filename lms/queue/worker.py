"""`flask --app wsgi lms worker`: the Huey consumer with its periodic scheduler, in its own process."""

from __future__ import annotations

import logging

from flask import Flask

from lms import jobs
from lms.queue import HEARTBEAT_TASK, get_queue
from lms.queue.periodic import run_periodic


def run_worker(app: Flask, workers: int = 1) -> None:
    """Recover jobs a dead worker left, then consume tasks and run the scheduler until stopped."""
    queue = get_queue(app)
    if queue.huey.immediate:
        raise RuntimeError("JOBS_RUN_INLINE is on: tasks run where they are enqueued, there is nothing to consume.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    with app.app_context():
        counts = jobs.recover_jobs(requeue_queued=True)
        app.logger.info("worker %s starting (%s queue): %s", jobs.worker_id(), queue.backend, counts)
        run_periodic(HEARTBEAT_TASK)
    consumer = queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    try:
        consumer.run()
    finally:
        with app.app_context():
            stopped = interrupt_own_jobs()
            if stopped:
                app.logger.warning("worker stopped during %d job(s); they resume when a worker starts", stopped)


def interrupt_own_jobs() -> int:
    """Mark the jobs this process still runs `interrupted`, so the next worker resumes them at once."""
    from sqlalchemy import update

    from lms.database import write_transaction
    from lms.extensions import db
    from lms.models import BackgroundJob, utcnow

    with write_transaction():
        return db.session.execute(
            update(BackgroundJob).where(BackgroundJob.status == "running", BackgroundJob.claimed_by == jobs.worker_id())
            .values(status="interrupted", finished_at=utcnow(), error=jobs.WORKER_STOPPED)
        ).rowcount
