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
    notice = Notification(user_id=world["participant"].id, kind="test", message="Tes", link="/")
    db.session.add(notice)
    db.session.commit()
    world["submission"] = submission
    world["submission_file"] = submission.files[0]
    world["notification"] = notice


def url_values(world) -> dict:
    """URL parameter values; everything points at `participant`'s objects."""
    values = {"cohort_id": world["cohort"].id}  # shared parameter; the same value every area uses
    if "submission" in world:
        values["submission_id"] = world["submission"].id
        values["file_id"] = world["submission_file"].id
        values["notification_id"] = world["notification"].id
    return values
