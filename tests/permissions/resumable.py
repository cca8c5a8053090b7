"""Permission-matrix rows for resumable uploads (lms/resumable).

JSON endpoints: the anonymous get 401 (the phone keeps its queue until a new login),
mentors and staff 403 (only participants submit work), and another participant 404 on
`participant`'s upload. An empty POST is a 400 (no JSON, no Upload-Offset). Columns:
anonymous, participant, other participant, mentor, other mentor, staff.
"""

import secrets

from lms.extensions import db
from lms.models import ResumableUpload

ROWS = {
    ("resumable.start", "POST"): (401, 400, 400, 403, 403, 403),
    ("resumable.chunk", "GET"): (401, 200, 404, 403, 403, 403),
    ("resumable.chunk", "POST"): (401, 400, 404, 403, 403, 403),
}


def extend_world(world) -> None:
    """Give `participant` a started upload."""
    upload = ResumableUpload(name=secrets.token_hex(16), user_id=world["participant"].id,
                             client_token=secrets.token_urlsafe(24), file_index=0, size=10, filename="a.jpg")
    db.session.add(upload)
    db.session.commit()
    ENDPOINT_URL_VALUES["resumable.chunk"] = {"name": upload.name}


# Set by extend_world for each test's world.
ENDPOINT_URL_VALUES: dict = {}
