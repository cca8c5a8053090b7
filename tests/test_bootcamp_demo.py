"""The demo seed shows every part of the bootcamp: low regencies, a blocked participant, check-in open now."""

from sqlalchemy import func, select

from lms import seed
from lms.bootcamp import checkin, demo, queries
from lms.extensions import db
from lms.models import Attendance, AuditEvent, BootcampSession, Notification, User, utcnow
from lms.phone import normalize_phone


def participant(index: int) -> User:
    return db.session.scalar(select(User).where(User.phone == normalize_phone(seed.participant_phone(index))))


def session_titled(title: str) -> BootcampSession:
    return db.session.scalar(select(BootcampSession).where(BootcampSession.title == title))


def test_the_demo_shows_low_regencies_a_blocked_participant_and_an_open_check_in(app):
    cohort = seed.seed_demo()
    seed.seed_demo()  # idempotent
    now = utcnow()
    assert db.session.scalar(select(func.count()).select_from(BootcampSession)) == 6
    held, regencies = queries.regency_attendance(cohort.id, now, 75)
    assert held == 2
    assert {r.code for r in regencies if r.low} == {"1278", "1214"}  # Gunungsitoli and Nias Selatan
    standings = queries.standings(cohort.id, 75, now)
    assert not standings.of(participant(8).id).ok and not standings.of(participant(19).id).ok
    assert standings.of(participant(1).id).ok and standings.of(participant(17).id).ok

    question_hour = session_titled(demo.QUESTION_HOUR)
    assert question_hour.starts_at > now and checkin.refusal(question_hour, checkin.current_token(question_hour),
                                                             now) is None
    mentoring = session_titled(demo.MENTORING)
    methods = {a.user_id: a.method for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == mentoring.id))}
    assert methods[participant(17).id] == "correction" and methods[participant(20).id] == "synced"
    assert participant(8).id not in methods and len(methods) == len(seed.PARTICIPANTS) - 2

    visit = session_titled(demo.FIELD_VISIT)
    assert visit.cancelled_at is not None and visit.change_notice == demo.CANCEL_REASON
    notices = db.session.scalar(select(func.count()).select_from(Notification)
                                .where(Notification.kind == "bootcamp.session_changed"))
    assert notices == len(seed.PARTICIPANTS)  # once, although the seed ran twice
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("bootcamp.%"))))
    assert {"bootcamp.session_cancel", "bootcamp.attendance_correct"} <= actions

