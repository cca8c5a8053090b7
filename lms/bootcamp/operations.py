"""Writes of the bootcamp area, each in one transaction with an audit row where staff changed something."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms import audit
from lms.assignments.notifications import notify
from lms.bootcamp import queries, rules
from lms.database import write_transaction
from lms.extensions import db
from lms.models import Attendance, BootcampSession, Cohort, User, utcnow

SESSION_FIELDS = ("title", "module_id", "starts_at", "ends_at", "venue_name", "venue_address", "map_url",
                  "online_url", "speaker", "capacity", "checkin_opens_minutes", "late_after_minutes",
                  "checkin_always_open")
# A change of these is a move: participants are told.
MOVE_FIELDS = ("starts_at", "ends_at", "venue_name", "venue_address", "online_url")


def _snapshot(session: BootcampSession) -> dict:
    values = {name: getattr(session, name) for name in SESSION_FIELDS}
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()}


def save_session(session: BootcampSession | None, cohort: Cohort, data: dict, *, saved_by: User,
                 notice: str = "") -> BootcampSession:
    """Create or change a session; a changed time or place notifies every expected participant."""
    with write_transaction():
        created = session is None
        if created:
            session = BootcampSession(cohort_id=cohort.id)
            db.session.add(session)
        before = None if created else _snapshot(session)
        for name in SESSION_FIELDS:
            if name in data:
                setattr(session, name, data[name])
        moved = not created and any(before[name] != _snapshot(session)[name] for name in MOVE_FIELDS)
        if not created:
            session.sequence += 1
        if moved:
            session.change_notice = notice or _("Jadwal atau tempat sesi ini berubah.")
        db.session.flush()
        audit.record("bootcamp.session_create" if created else
                     ("bootcamp.session_move" if moved else "bootcamp.session_update"),
                     session, actor=saved_by, before=before, after=_snapshot(session), reason=notice or None)
        if moved:
            _notify_participants(session, _("Sesi \"%(title)s\" dipindah: %(notice)s", title=session.title,
                                            notice=session.change_notice))
    return session


def cancel_session(session: BootcampSession, reason: str, *, cancelled_by: User) -> None:
    """Cancel a session (its attendance stops counting) and notify the expected participants."""
    with write_transaction():
        session.cancelled_at = utcnow()
        session.change_notice = reason
        session.sequence += 1
        audit.record("bootcamp.session_cancel", session, actor=cancelled_by, reason=reason,
                     after={"title": session.title})
        _notify_participants(session, _("Sesi \"%(title)s\" dibatalkan: %(reason)s", title=session.title,
                                        reason=reason))


def _notify_participants(session: BootcampSession, message: str) -> None:
    for user in queries.roster(session.cohort_id):
        notify(user, "bootcamp.session_changed", message, "/jadwal", subject=_("Perubahan jadwal bootcamp"))


@dataclass(frozen=True)
class CheckIn:
    """What a check-in did; plain values, so reading them after the commit costs no query."""

    attendance: Attendance | None
    created: bool
    voided: bool = False  # the row exists, but a correction marked the person not present
    full: bool = False  # refused: the session had reached its capacity


def check_in(session: BootcampSession, user: User, *, method: str, recorded_by: User | None,
             at: datetime | None = None, client_uuid: str | None = None,
             allow_over_capacity: bool = False) -> CheckIn:
    """Record one person at one session, exactly once: a second check-in returns the first.

    A session with a capacity refuses a new check-in once that many are present (`full`), unless
    staff allow it (`allow_over_capacity`: an override at the desk, or check-ins already made
    offline at the door); going over the capacity is then written to the audit log. The session
    row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's write transaction holds the whole
    database) before counting, so concurrent check-ins can never fill more seats than there are.
    """
    at = at or utcnow()
    # Read before the write transaction's opening commit expires them (no reload queries).
    session_id, user_id, has_capacity = session.id, user.id, session.capacity is not None
    late = rules.is_late(at, session.starts_at, session.late_after_minutes)
    recorded_by_id = recorded_by.id if recorded_by is not None else None
    with write_transaction():
        capacity = _locked_capacity(session_id) if has_capacity else None
        existing = _existing(session_id, user_id, client_uuid)
        if existing is not None:
            return CheckIn(existing, False, voided=existing.voided_at is not None)
        present = queries.present_count(session_id) if capacity is not None else 0
        over = capacity is not None and not rules.has_room(capacity, present)
        if over and not allow_over_capacity:
            return CheckIn(None, False, full=True)
        row = Attendance(session_id=session_id, user_id=user_id, checked_in_at=at, method=method,
                         recorded_by_id=recorded_by_id, late=late, client_uuid=client_uuid)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            # Another request (a second scan, the same batch synced twice) won the race.
            found = _existing(session_id, user_id, client_uuid)
            return CheckIn(found, False, voided=found.voided_at is not None)
        if over:
            audit.record("bootcamp.capacity_override", row, actor=recorded_by, after={
                "session_id": session_id, "user_id": user_id, "method": method, "capacity": capacity,
                "present_before": present})
    return CheckIn(row, True)


def _locked_capacity(session_id: int) -> int | None:
    """Lock the session row until the commit and return its capacity as stored now."""
    return db.session.scalar(select(BootcampSession.capacity).where(BootcampSession.id == session_id)
                             .with_for_update())


def _existing(session_id: int, user_id: int, client_uuid: str | None) -> Attendance | None:
    found = db.session.scalar(select(Attendance).where(Attendance.session_id == session_id,
                                                       Attendance.user_id == user_id))
    if found is None and client_uuid:
        found = db.session.scalar(select(Attendance).where(Attendance.client_uuid == client_uuid))
    return found


SYNC_RECORDED = "recorded"
SYNC_ALREADY = "already"
SYNC_REFUSED = "refused"
MAX_BATCH = 500


def sync_batch(session: BootcampSession, items: list, *, synced_by: User) -> list[dict]:
    """Record check-ins made offline on a staff phone; each item answers recorded, already or refused.

    Items are {"uuid", "user_id", "at" (ISO time, UTC)}; resending a batch records nothing twice.
    """
    results = []
    now = utcnow()
    for item in items[:MAX_BATCH]:
        item = item if isinstance(item, dict) else {}
        client_uuid = _valid_uuid(item.get("uuid"))
        at = _parse_time(item.get("at"), now)
        user_id = item.get("user_id")
        user = db.session.get(User, user_id) if isinstance(user_id, int) else None
        if client_uuid is None or at is None or user is None or \
                queries.roster_enrollment(session.cohort_id, user.id) is None:
            results.append({"uuid": item.get("uuid"), "result": SYNC_REFUSED})
            continue
        # Made at the door while offline: the person is in the room, so capacity never loses one.
        outcome = check_in(session, user, method="synced", recorded_by=synced_by, at=at, client_uuid=client_uuid,
                           allow_over_capacity=True)
        results.append({"uuid": client_uuid, "result": SYNC_RECORDED if outcome.created else SYNC_ALREADY})
    return results


def _valid_uuid(value) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _parse_time(value, now: datetime) -> datetime | None:
    """Read an ISO time from the staff phone as naive UTC; a time in the future is the phone's clock: use now."""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return min(parsed, now)


def correct_attendance(session: BootcampSession, user: User, *, present: bool, at: datetime | None, reason: str,
                       corrected_by: User) -> Attendance | None:
    """Mark a participant present (at a time) or not present, with a reason and an audit row."""
    with write_transaction():
        row = db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                         Attendance.user_id == user.id).with_for_update())
        before = _attendance_snapshot(row)
        if present:
            at = at or (row.checked_in_at if row is not None else session.starts_at)
            if row is None:
                row = Attendance(session_id=session.id, user_id=user.id, method="correction")
                db.session.add(row)
            row.checked_in_at, row.voided_at = at, None
            row.recorded_by_id = corrected_by.id
            row.late = rules.is_late(at, session.starts_at, session.late_after_minutes)
        elif row is not None:
            row.voided_at = utcnow()
        db.session.flush()
        audit.record("bootcamp.attendance_correct", row or session, actor=corrected_by, reason=reason,
                     before=before, after=_attendance_snapshot(row) | {"user_id": user.id, "session_id": session.id})
    return row


def _attendance_snapshot(row: Attendance | None) -> dict:
    if row is None or row.voided_at is not None:
        return {"present": False}
    return {"present": True, "checked_in_at": row.checked_in_at.isoformat(), "late": row.late, "method": row.method}
