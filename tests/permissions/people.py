"""Permission-matrix rows for the people area: the staff edit of a person and the forgotten-password queue.

Columns: anonymous, participant, other participant, mentor (follows participant), other mentor, staff.
The reset request in the world belongs to `participant`: only staff and `mentor` may answer it;
`other_mentor` gets 404, as if it did not exist.
"""

from lms.extensions import db
from lms.models import PasswordResetRequest

ROWS = {
    ("people.edit_person", "GET"): (302, 403, 403, 403, 403, 200),
    # An empty POST re-renders the form: the reason is required.
    ("people.edit_person", "POST"): (302, 403, 403, 403, 403, 200),
    ("people.forgot_password", "GET"): (200, 200, 200, 200, 200, 200),
    ("people.forgot_password", "POST"): (200, 200, 200, 200, 200, 200),
    ("people.staff_resets", "GET"): (302, 403, 403, 403, 403, 200),
    ("people.mentor_resets", "GET"): (302, 403, 403, 200, 200, 403),
    ("people.answer_reset", "POST"): (302, 403, 403, 200, 404, 200),
    ("people.dismiss_reset", "POST"): (302, 403, 403, 302, 404, 302),
}


def extend_world(world) -> None:
    """Add an open reset request of `participant`."""
    reset = PasswordResetRequest(user_id=world["participant"].id)
    db.session.add(reset)
    db.session.commit()
    world["reset"] = reset


def url_values(world) -> dict:
    return {"reset_id": world["reset"].id}
