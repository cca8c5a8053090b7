"""Permission-matrix rows for the operations page (jobs and periodic tasks).

Columns: anonymous, participant, other participant, mentor (follows participant),
other mentor, staff. The job in the URL is a failed import of `participant`'s cohort.
"""

ROWS = {
    ("ops.index", "GET"): (302, 403, 403, 403, 403, 200),
    ("ops.retry_job", "POST"): (302, 403, 403, 403, 403, 302),
}


def extend_world(world) -> None:
    """Give the cohort a failed import job (its params name no batch, so a retry fails again)."""
    from lms.extensions import db
    from lms.models import BackgroundJob

    job = BackgroundJob(kind="registrants.import", cohort_id=world["cohort"].id, status="failed", params={},
                        error="KeyError: 'batch_id'")
    db.session.add(job)
    db.session.commit()
    world["failed_job"] = job


def url_values(world) -> dict:
    """URL values for the operations routes."""
    return {"job_id": world["failed_job"].id} if "failed_job" in world else {}
