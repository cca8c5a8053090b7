"""Creating and editing cohorts."""

from __future__ import annotations

from lms import audit
from lms.database import write_transaction
from lms.extensions import db
from lms.models import Cohort, User

COHORT_FIELDS = (
    "name", "slug", "course_id", "start_date", "bootcamp_date", "graduation_date", "capacity",
    "signatory1_name", "signatory1_title", "signatory2_name", "signatory2_title",
    "endline_required",  # impact2
    "posttest_required",  # knowledge
    "registration_opens_on", "registration_closes_on",  # reg
    "followup_months",  # waves
)


def _snapshot(cohort: Cohort) -> dict:
    values = {name: getattr(cohort, name) for name in COHORT_FIELDS}
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in values.items()}


def save_cohort(cohort: Cohort | None, data: dict, *, saved_by: User | None) -> Cohort:
    """Create a cohort, or update one, from validated form data (one transaction, audited)."""
    with write_transaction():
        before = _snapshot(cohort) if cohort is not None else None
        if cohort is None:
            cohort = Cohort()
            db.session.add(cohort)
        for name in COHORT_FIELDS:
            value = data.get(name)
            setattr(cohort, name, value.strip() if isinstance(value, str) else value)
        db.session.flush()
        audit.record("cohort.update" if before else "cohort.create", cohort, actor=saved_by, before=before,
                     after=_snapshot(cohort))
    return cohort
