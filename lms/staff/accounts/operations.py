"""Writes of the staff console's account pages."""

from lms import accounts
from lms.enrollments import enroll
from lms.extensions import db
from lms.models import Cohort, Role, User


def create_account(data: dict, *, created_by: User, cohort: Cohort | None) -> accounts.IssuedCode:
    """Create an account, enroll a participant, and issue its activation code, in one transaction."""
    try:
        user = accounts.create_user(
            name=data["name"],
            phone_text=data["phone"],
            role=data["role"],
            email=(data["email"] or "").strip().lower() or None,
            created_by=created_by,
        )
        if user.role == Role.PARTICIPANT:
            user.profile.business_name = (data["business_name"] or "").strip()
            user.profile.regency_code = data["regency_code"] or None
            if cohort is not None:
                enroll(user, cohort, changed_by=created_by)
        issued = accounts.issue_activation_code(user, created_by=created_by)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return issued
