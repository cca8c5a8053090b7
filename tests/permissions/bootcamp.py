"""Permission-matrix rows for bootcamp sessions (schedule, check-in, attendance lists).

The world's session belongs to `participant`'s cohort and starts in five minutes, so
check-in is open; the token is signed when the URL is built. Both participants are in
that cohort (each may check in only themselves: the URL names no person). Mentors see
a cohort's sessions and the attendance of their own participants; only staff plan
sessions and check people in. Empty POSTs: a missing person is 404, bad forms 400.
"""

from datetime import timedelta

from flask import current_app

from lms.bootcamp import rules
from lms.bootcamp.checkin import current_step
from lms.extensions import db
from lms.models import BootcampSession, utcnow

PARTICIPANTS_ONLY = (302, 200, 200, 403, 403, 403)
WATCHERS = (302, 403, 403, 200, 200, 200)  # mentors (their own participants) and staff


def staff(status: int) -> tuple:
    return (302, 403, 403, 403, 403, status)


ROWS = {
    ("bootcamp.schedule", "GET"): PARTICIPANTS_ONLY,
    ("bootcamp.cohort_calendar", "GET"): PARTICIPANTS_ONLY,
    # Public by design (phone calendars subscribe without a login); the URL carries the cohort's signature.
    ("bootcamp.cohort_feed", "GET"): (200, 200, 200, 200, 200, 200),
    ("bootcamp.session_calendar", "GET"): PARTICIPANTS_ONLY,
    ("bootcamp.check_in", "GET"): PARTICIPANTS_ONLY,
    ("bootcamp.check_in", "POST"): (302, 302, 302, 403, 403, 403),
    # A mentor's menu page: the cohorts they follow participants in (none for the other mentor: still 200).
    ("bootcamp.mentor_sessions", "GET"): (302, 403, 403, 200, 200, 403),
    ("bootcamp.sessions", "GET"): WATCHERS,
    ("bootcamp.session_detail", "GET"): WATCHERS,
    ("bootcamp.attendance_pdf", "GET"): WATCHERS,
    ("bootcamp.attendance_xlsx", "GET"): WATCHERS,
    ("bootcamp.new_session", "GET"): staff(200),
    ("bootcamp.new_session", "POST"): staff(400),
    ("bootcamp.edit_session", "GET"): staff(200),
    ("bootcamp.edit_session", "POST"): staff(400),
    ("bootcamp.cancel_session", "POST"): staff(302),
    ("bootcamp.checkin_screen", "GET"): staff(200),
    ("bootcamp.manual_check_in", "POST"): staff(404),
    ("bootcamp.correct", "POST"): staff(404),
    ("bootcamp.offline_page", "GET"): staff(200),
    ("bootcamp.sync", "POST"): staff(400),
}


def extend_world(world) -> None:
    starts = utcnow() + timedelta(minutes=5)
    session = BootcampSession(cohort_id=world["cohort"].id, title="Sesi matriks", venue_name="Aula",
                              starts_at=starts, ends_at=starts + timedelta(hours=2))
    db.session.add(session)
    db.session.commit()
    world["bootcamp_session"] = session


def url_values(world) -> dict:
    session = world.get("bootcamp_session")
    if session is None:
        return {}
    token = rules.sign_checkin(current_app.config["SECRET_KEY"], session.id, current_step())
    signature = rules.feed_signature(current_app.config["SECRET_KEY"], world["cohort"].id)
    return {"session_id": session.id, "checkin_token": token, "cohort_id": world["cohort"].id, "signature": signature}
