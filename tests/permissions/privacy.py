"""Permission-matrix rows for the privacy area: one's own data for participants, the queue for staff.

Columns: anonymous, participant, other participant, mentor, other mentor, staff.
The deletion request in the world belongs to `participant`. The own-data pages take no
id from the URL, so "other participant" sees only their own data (200), never another's.
"""

from lms.extensions import db
from lms.models import DeletionRequest

ROWS = {
    ("privacy.my_data", "GET"): (302, 200, 200, 403, 403, 403),
    ("privacy.download", "GET"): (302, 200, 200, 403, 403, 403),
    ("privacy.request_deletion", "GET"): (302, 200, 200, 403, 403, 403),
    # An empty POST lacks the confirm box (or a request is already open): the page again, nothing stored.
    ("privacy.request_deletion", "POST"): (302, 200, 200, 403, 403, 403),
    ("privacy.staff_requests", "GET"): (302, 403, 403, 403, 403, 200),
    ("privacy.staff_request", "GET"): (302, 403, 403, 403, 403, 200),
    # Without the confirm box nothing is erased and the page comes back.
    ("privacy.carry_out", "POST"): (302, 403, 403, 403, 403, 200),
}
ENDPOINT_URL_VALUES = {"privacy.download": {"fmt": "json"}}


def extend_world(world) -> None:
    """Add an open deletion request of `participant`."""
    deletion = DeletionRequest(user_id=world["participant"].id, reason="matriks")
    db.session.add(deletion)
    db.session.commit()
    world["deletion_request"] = deletion


def url_values(world) -> dict:
    return {"request_id": world["deletion_request"].id}
