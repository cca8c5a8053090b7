"""Permission-matrix rows for assignments, mentor grading and mentor allocation.

Columns: anonymous, participant, other participant, mentor (follows participant),
other mentor, staff. `extend_world` gives `participant` a waiting submission with a
photo, and a notice, so the "other" columns probe for IDOR.
"""

import io
import secrets

from flask import current_app

from lms.extensions import db
from lms.models import Notification

OWNER_MENTOR_STAFF = (302, 200, 404, 200, 404, 200)

ROWS = {
    ("assignments.assignment", "GET"): (302, 200, 200, 200, 200, 200),
    ("assignments.assignment", "POST"): (302, 200, 200, 403, 403, 403),
    ("assignments.submission", "GET"): OWNER_MENTOR_STAFF,
    ("assignments.download", "GET"): OWNER_MENTOR_STAFF,
    ("assignments.view_file", "GET"): OWNER_MENTOR_STAFF,
    ("assignments.thumbnail", "GET"): OWNER_MENTOR_STAFF,
    ("assignments.notifications_page", "GET"): (302, 200, 200, 200, 200, 200),
    ("assignments.open_notification", "POST"): (302, 302, 404, 404, 404, 404),
    ("assignments.read_all_notifications", "POST"): (302, 302, 302, 302, 302, 302),
    # Withdraw: only the owner (302 back to the form); everyone else 404. The 409 cases (opened by the
    # mentor, already reviewed, already withdrawn) are in tests/test_assignments.py.
    ("assignments.withdraw", "POST"): (302, 302, 404, 404, 404, 404),
    # Correction: on `reviewed_submission` (reviewed by `mentor`): that mentor and staff only.
    ("assignments.correct", "GET"): (302, 404, 404, 200, 404, 200),
    ("assignments.correct", "POST"): (302, 404, 404, 200, 404, 200),
    ("assignments.overview", "GET"): (302, 403, 403, 403, 403, 200),
    ("assignments.outbox", "GET"): (302, 403, 403, 403, 403, 200),
    ("mentor.queue", "GET"): (302, 403, 403, 200, 200, 403),
    ("mentor.grade", "GET"): (302, 403, 403, 200, 404, 403),
    ("mentor.grade", "POST"): (302, 403, 403, 200, 404, 403),
    ("staff.allocation_index", "GET"): (302, 403, 403, 403, 403, 200),
    ("staff.allocation", "GET"): (302, 403, 403, 403, 403, 200),
    ("staff.allocate_selected", "POST"): (302, 403, 403, 403, 403, 302),
    ("staff.allocation_plan", "GET"): (302, 403, 403, 403, 403, 200),
    ("staff.allocate_auto", "POST"): (302, 403, 403, 403, 403, 200),
}


def extend_world(world) -> None:
    """Give `participant` a waiting submission (text and a photo) and an unread notice."""
    from werkzeug.datastructures import FileStorage

    from lms.assignments import operations
    from lms.assignments.demo import demo_png
    from lms.learn.store import get_content

    module = get_content().modules["orientasi"]
    sent = operations.SubmissionInput(
        client_token=secrets.token_urlsafe(24), text="Perkenalan usaha saya.",
        files=[FileStorage(io.BytesIO(demo_png()), filename="foto.png")],
    )
    with current_app.test_request_context():
        submission = operations.submit_work(world["participant"], world["enrollment"], module, sent).submission
    konten = get_content().modules["pembuatan-konten"]
    sent = operations.SubmissionInput(client_token=secrets.token_urlsafe(24), text="Caption promosi.")
    best = {c.id: str(max(level.points for level in c.levels)) for c in konten.assignment.criteria}
    with current_app.test_request_context():
        reviewed = operations.submit_work(world["participant"], world["enrollment"], konten, sent).submission
        operations.review_submission(reviewed.id, world["mentor"], decision="accepted", scores=best, feedback="")
    world["reviewed_submission"] = reviewed
    for endpoint in ("assignments.correct",):
        ENDPOINT_URL_VALUES[endpoint] = {"submission_id": reviewed.id}
    notice = Notification(user_id=world["participant"].id, kind="test", message="Tes", link="/")
    db.session.add(notice)
    db.session.commit()
    world["submission"] = submission
    world["submission_file"] = submission.files[0]
    world["notification"] = notice


# Set by extend_world for each test's world: the correction routes probe a reviewed version.
ENDPOINT_URL_VALUES: dict = {}


def url_values(world) -> dict:
    """URL parameter values; everything points at `participant`'s objects."""
    values = {"cohort_id": world["cohort"].id}  # shared parameter; the same value every area uses
    if "submission" in world:
        values["submission_id"] = world["submission"].id
        values["file_id"] = world["submission_file"].id
        values["notification_id"] = world["notification"].id
    return values
