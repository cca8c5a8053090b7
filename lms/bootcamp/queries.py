"""Reads for bootcamp pages: sessions, the roster, attendance lists and the cohort summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from lms.bootcamp import rules
from lms.extensions import db
from lms.models import (
    Attendance,
    BootcampSession,
    Cohort,
    Enrollment,
    EnrollmentStatus,
    MentorAllocation,
    ParticipantProfile,
    User,
)

# Who is expected at the sessions: everyone selected for the bootcamp, learning, or graduated.
ROSTER_STATUSES = (EnrollmentStatus.SELECTED.value, EnrollmentStatus.ACTIVE.value, EnrollmentStatus.GRADUATED.value)


def mentor_cohorts(mentor_id: int) -> list[Cohort]:
    """Return the cohorts in which a mentor follows at least one participant now, newest first."""
    return list(db.session.scalars(
        select(Cohort).where(Cohort.id.in_(
            select(Enrollment.cohort_id).join(MentorAllocation, MentorAllocation.enrollment_id == Enrollment.id)
            .where(MentorAllocation.mentor_id == mentor_id, MentorAllocation.ended_at.is_(None))))
        .order_by(Cohort.start_date.desc(), Cohort.id.desc())))


def next_sessions(cohort_ids: list[int], now: datetime) -> dict[int, BootcampSession]:
    """Return cohort id → its next session not yet over and not cancelled."""
    if not cohort_ids:
        return {}
    found: dict[int, BootcampSession] = {}
    for session in db.session.scalars(select(BootcampSession).where(
            BootcampSession.cohort_id.in_(cohort_ids), BootcampSession.cancelled_at.is_(None),
            BootcampSession.ends_at >= now).order_by(BootcampSession.starts_at)):
        found.setdefault(session.cohort_id, session)
    return found


def session_of_cohort_or_404(cohort_id: int, session_id: int) -> BootcampSession:
    """Return a session only through its own cohort's URL."""
    session = db.session.get(BootcampSession, session_id)
    if session is None or session.cohort_id != cohort_id:
        abort(404)
    return session


def cohort_sessions(cohort_id: int) -> list[BootcampSession]:
    """Return a cohort's sessions, earliest first (cancelled ones included)."""
    return list(db.session.scalars(select(BootcampSession).where(BootcampSession.cohort_id == cohort_id)
                                   .order_by(BootcampSession.starts_at, BootcampSession.id)))


def held_sessions(cohort_id: int, now: datetime) -> list[BootcampSession]:
    """Return the sessions that count for attendance: not cancelled and already started."""
    return [s for s in cohort_sessions(cohort_id) if s.cancelled_at is None and s.starts_at <= now]


def roster_enrollment(cohort_id: int, user_id: int) -> Enrollment | None:
    """Return the person's enrollment in the cohort when they are expected at its sessions."""
    return db.session.scalar(select(Enrollment).where(
        Enrollment.cohort_id == cohort_id, Enrollment.user_id == user_id, Enrollment.status.in_(ROSTER_STATUSES)))


def roster(cohort_id: int, *, user_ids: Iterable[int] | None = None) -> list[User]:
    """Return the participants expected at a cohort's sessions, by name (profiles loaded)."""
    statement = (select(User).join(Enrollment, Enrollment.user_id == User.id)
                 .where(Enrollment.cohort_id == cohort_id, Enrollment.status.in_(ROSTER_STATUSES))
                 .options(selectinload(User.profile)).order_by(func.lower(User.name), User.id))
    if user_ids is not None:
        statement = statement.where(User.id.in_(list(user_ids)))
    return list(db.session.scalars(statement))


def search_roster(cohort_id: int, query: str, *, limit: int = 20) -> list[User]:
    """Find expected participants by part of their name or phone number."""
    query = query.strip()
    if not query:
        return []
    digits = "".join(ch for ch in query if ch.isdigit())
    conditions = [func.lower(User.name).contains(query.lower(), autoescape=True)]
    if len(digits) >= 4:
        conditions.append(User.phone.contains(digits.lstrip("0"), autoescape=True))
    statement = (select(User).join(Enrollment, Enrollment.user_id == User.id)
                 .where(Enrollment.cohort_id == cohort_id, Enrollment.status.in_(ROSTER_STATUSES), or_(*conditions))
                 .options(selectinload(User.profile)).order_by(func.lower(User.name)).limit(limit))
    return list(db.session.scalars(statement))


def attendance_by_user(session_id: int) -> dict[int, Attendance]:
    """Return user id → attendance row (voided rows included) for one session."""
    rows = db.session.scalars(select(Attendance).where(Attendance.session_id == session_id))
    return {row.user_id: row for row in rows}


def present_count(session_id: int) -> int:
    """Return how many people count as present at a session (corrected-away rows do not)."""
    return db.session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.session_id == session_id, Attendance.voided_at.is_(None)))


def own_attendance(user_id: int, session_ids: list[int]) -> dict[int, Attendance]:
    """Return session id → the person's counting attendance."""
    if not session_ids:
        return {}
    rows = db.session.scalars(select(Attendance).where(
        Attendance.user_id == user_id, Attendance.session_id.in_(session_ids), Attendance.voided_at.is_(None)))
    return {row.session_id: row for row in rows}


@dataclass
class ListRow:
    number: int
    user: User
    attendance: Attendance | None  # a counting check-in, else None

    @property
    def profile(self) -> ParticipantProfile | None:
        return self.user.profile


def attendance_list(session: BootcampSession, *, user_ids: Iterable[int] | None = None) -> list[ListRow]:
    """Return the numbered daftar hadir rows: every expected participant, with their check-in if any."""
    found = attendance_by_user(session.id)
    rows = []
    for number, user in enumerate(roster(session.cohort_id, user_ids=user_ids), start=1):
        row = found.get(user.id)
        rows.append(ListRow(number, user, row if row is not None and row.voided_at is None else None))
    return rows


def attended_counts(cohort_id: int, now: datetime) -> tuple[int, dict[int, int]]:
    """Return (sessions held so far, user id → how many of them the person attended)."""
    held = [s.id for s in held_sessions(cohort_id, now)]
    if not held:
        return 0, {}
    counts = db.session.execute(
        select(Attendance.user_id, func.count()).where(Attendance.session_id.in_(held), Attendance.voided_at.is_(None))
        .group_by(Attendance.user_id))
    return len(held), {user_id: count for user_id, count in counts}


@dataclass(frozen=True)
class Standings:
    """Every participant's attendance standing in one cohort, from two queries."""

    held: int
    counts: dict[int, int]
    minimum: int | None

    def of(self, user_id: int) -> rules.AttendanceStanding:
        """Return one person's standing (nothing attended when they have no check-in)."""
        return rules.attendance_standing(self.counts.get(user_id, 0), self.held, self.minimum)


def standings(cohort_id: int, minimum: int | None, now: datetime) -> Standings:
    """Return the standings of a cohort's participants over the sessions held so far."""
    held, counts = attended_counts(cohort_id, now)
    return Standings(held, counts, minimum)


@dataclass
class SessionSummary:
    session: BootcampSession
    expected: int
    present: int
    late: int

    @property
    def rate(self) -> float | None:
        return 100.0 * self.present / self.expected if self.expected else None


@dataclass
class RegencySummary:
    code: str | None
    participants: int
    attended: int  # check-ins over the held sessions
    possible: int  # participants × held sessions

    @property
    def rate(self) -> float | None:
        return 100.0 * self.attended / self.possible if self.possible else None


def cohort_summary(cohort: Cohort, now: datetime, *, user_ids: Iterable[int] | None = None) -> dict:
    """Summarise attendance per session, per participant and per regency (over the sessions held so far)."""
    people = roster(cohort.id, user_ids=user_ids)
    ids = [p.id for p in people]
    sessions = cohort_sessions(cohort.id)
    per_session: dict[int, list[Attendance]] = defaultdict(list)
    if ids and sessions:
        for row in db.session.scalars(select(Attendance).where(
                Attendance.session_id.in_([s.id for s in sessions]), Attendance.user_id.in_(ids),
                Attendance.voided_at.is_(None))):
            per_session[row.session_id].append(row)
    session_rows = [SessionSummary(s, len(ids), len(per_session[s.id]), sum(a.late for a in per_session[s.id]))
                    for s in sessions]
    held = [s for s in sessions if s.cancelled_at is None and s.starts_at <= now]
    attended: dict[int, int] = defaultdict(int)
    for s in held:
        for row in per_session[s.id]:
            attended[row.user_id] += 1
    regencies: dict[str | None, RegencySummary] = {}
    for person in people:
        code = person.profile.regency_code if person.profile else None
        summary = regencies.setdefault(code, RegencySummary(code, 0, 0, 0))
        summary.participants += 1
        summary.attended += attended[person.id]
        summary.possible += len(held)
    return {
        "sessions": session_rows,
        "held": len(held),
        "participants": [(person, attended[person.id]) for person in people],
        "regencies": sorted(regencies.values(), key=lambda r: (r.rate is None, -(r.rate or 0), r.code or "")),
    }


def low_attendance_condition(cohort_id: int, minimum: int | None, now: datetime, user_id_column):
    """Return a SQL condition, true for a user below the attendance minimum; None when the rule does not apply."""
    held = [s.id for s in held_sessions(cohort_id, now)]
    if minimum is None or not held:
        return None
    attended = (select(func.count()).select_from(Attendance)
                .where(Attendance.session_id.in_(held), Attendance.voided_at.is_(None),
                       Attendance.user_id == user_id_column)
                .correlate_except(Attendance).scalar_subquery())
    return attended * 100 < minimum * len(held)


@dataclass
class RegencyAttendance:
    """One regency's row on the staff dashboard: the attendance rate over the held sessions."""

    code: str | None
    participants: int
    attended: int  # counting check-ins over the held sessions
    possible: int  # participants × held sessions
    low: bool  # below the threshold (rules.regency_attendance_is_low)

    @property
    def rate(self) -> float | None:
        return 100.0 * self.attended / self.possible if self.possible else None


def regency_attendance(cohort_id: int, now: datetime, threshold: int) -> tuple[int, list[RegencyAttendance]]:
    """Return (sessions held so far, the attendance rate of each regency), lowest rate first.

    One grouped query over the roster, whatever the cohort's size; regencies below
    `threshold` percent are marked low.
    """
    held = [s.id for s in held_sessions(cohort_id, now)]
    if not held:
        return 0, []
    attended = (select(Attendance.user_id, func.count().label("n"))
                .where(Attendance.session_id.in_(held), Attendance.voided_at.is_(None))
                .group_by(Attendance.user_id).subquery())
    rows = db.session.execute(
        select(ParticipantProfile.regency_code, func.count(Enrollment.user_id),
               func.coalesce(func.sum(attended.c.n), 0)).select_from(Enrollment)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == Enrollment.user_id)
        .outerjoin(attended, attended.c.user_id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort_id, Enrollment.status.in_(ROSTER_STATUSES))
        .group_by(ParticipantProfile.regency_code))
    result = []
    for code, participants, count in rows:
        possible = participants * len(held)
        result.append(RegencyAttendance(code, participants, int(count), possible,
                                        rules.regency_attendance_is_low(int(count), possible, threshold)))
    result.sort(key=lambda r: (r.rate if r.rate is not None else 101.0, r.code or "~"))
    return len(held), result
