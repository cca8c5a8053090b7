"""The mentor's area: the participants they follow."""

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select

from lms.extensions import db
from lms.main.queries import mentor_participants
from lms.models import Enrollment, MentorAllocation, Role
from lms.security import require_roles

bp = Blueprint("mentor", __name__)
bp.before_request(require_roles(Role.MENTOR))


def enrollment_followed_by(mentor, enrollment_id: int) -> Enrollment:
    """Return an enrollment the mentor follows now, or 404 (never 403: do not confirm it exists)."""
    enrollment = db.session.scalar(
        select(Enrollment)
        .join(MentorAllocation, MentorAllocation.enrollment_id == Enrollment.id)
        .where(
            Enrollment.id == enrollment_id,
            MentorAllocation.mentor_id == mentor.id,
            MentorAllocation.ended_at.is_(None),
        )
    )
    if enrollment is None:
        abort(404)
    return enrollment


@bp.get("/")
def participants():
    """List the participants this mentor follows."""
    return render_template("mentor/participants.html", rows=mentor_participants(current_user))


@bp.get("/peserta/<int:enrollment_id>")
def participant(enrollment_id: int):
    """Show one followed participant's business and enrollment."""
    enrollment = enrollment_followed_by(current_user, enrollment_id)
    return render_template("mentor/participant.html", enrollment=enrollment)
