"""The import as a background job (kind "registrants.import", handled by lms.jobs on the queue)."""

from __future__ import annotations

from collections.abc import Callable

from lms.extensions import db
from lms.jobs import start_job
from lms.models import BackgroundJob, ImportBatch, User
from lms.staff.imports import operations
from lms.staff.imports.queries import IMPORT_JOB_KIND


def start_import(batch: ImportBatch, *, started_by: User) -> BackgroundJob:
    """Queue the import of a previewed batch as a background job (a second click finds the same job)."""
    job, _created = start_job(IMPORT_JOB_KIND, cohort_id=batch.cohort_id, created_by=started_by,
                              params={"batch_id": batch.id})
    return job


def run_import_job(job: BackgroundJob, report_progress: Callable[[int, int], None]) -> dict:
    """Import the batch named in the job's params (the job handler)."""
    batch_id = job.params["batch_id"]  # a plain int: readable after a rollback expires the job
    batch = db.session.get(ImportBatch, batch_id)
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    try:
        return operations.import_batch(batch, actor=actor, progress=report_progress)
    except Exception:
        operations.mark_failed(batch_id)
        raise
