"""Writes of the staff console's account pages."""

from lms import accounts, enrollments
from lms.enrollments import enroll
from lms.extensions import db
from lms.models import Cohort, Enrollment, Role, User


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


def issue_new_activation_code(user: User, *, issued_by: User) -> accounts.IssuedCode:
    """Issue a fresh activation code, cancelling the earlier ones, in one transaction."""
    issued = accounts.issue_activation_code(user, created_by=issued_by)
    db.session.commit()
    return issued


def move_enrollment(enrollment: Enrollment, target: Cohort, *, moved_by: User, reason: str) -> Enrollment:
    """Move an enrollment to another cohort with its history, in one transaction (nothing changes on error)."""
    try:
        moved = enrollments.move_enrollment(enrollment, target, moved_by=moved_by, reason=reason)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return moved
