"""Writing the rows a dry run planned, in bulk, inside the caller's transaction (nothing is committed here).

Bulk INSERTs (executemany with RETURNING) instead of one ORM object per row: 1,700
registrants make some 10,000 rows, which the unit of work would take seconds to flush.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from lms.extensions import db
from lms.models import (
    AuditEvent,
    Cohort,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    ParticipantProfile,
    Role,
    User,
    utcnow,
)
from lms.staff.imports.checking import RowPlan


def apply_plans(plans: list[RowPlan], cohort: Cohort, *, actor: User | None, source: str) -> None:
    """Write the accounts, profiles and enrollments the plans call for, with their audit rows."""
    actor_id = actor.id if actor is not None else None
    now = utcnow()
    creates = [plan for plan in plans if plan.action == "create"]
    updates = [plan for plan in plans if plan.action == "update"]
    new_ids = _create_participants(creates, now)
    _fill_existing(updates)
    user_ids = new_ids + [plan.existing_user_id for plan in updates if plan.enroll]
    enrollment_ids = _enroll_as_registered(user_ids, cohort, actor_id, now, reason=str(
        _l("Impor dari %(file)s", file=source))[:300])
    events = [_event("user.create", "User", user_id, actor_id, now,
                     after={"phone": plan.phone, "role": "participant", "source": "import"})
              for user_id, plan in zip(new_ids, creates, strict=True)]
    events += [_event("participant.import_update", "User", plan.existing_user_id, actor_id, now,
                      after={**plan.profile_fill, **({"email": plan.email} if plan.set_email else {})})
               for plan in updates]
    events += [_event("enrollment.create", "Enrollment", enrollment_id, actor_id, now,
                      after={"status": EnrollmentStatus.REGISTERED.value, "source": "import"})
               for enrollment_id in enrollment_ids]
    _insert(AuditEvent, events)


def _create_participants(plans: list[RowPlan], now: datetime) -> list[int]:
    """Insert a participant account and its profile per plan; return the new user ids in plan order."""
    new_ids = _insert_returning_ids(User, [
        dict(name=plan.name, phone=plan.phone, email=plan.email, role=Role.PARTICIPANT.value, active=True,
             created_at=now) for plan in plans
    ])
    _insert(ParticipantProfile, [
        dict(user_id=user_id, business_name=plan.business_name, sector=plan.sector, regency_code=plan.regency_code,
             address=plan.address, business_started_year=plan.business_started_year, updated_at=now)
        for user_id, plan in zip(new_ids, plans, strict=True)
    ])
    return new_ids


def _enroll_as_registered(user_ids: list[int], cohort: Cohort, actor_id: int | None, now: datetime, *,
                          reason: str) -> list[int]:
    """Enroll the users as "Terdaftar" with the first line of their status history; return the enrollment ids."""
    status = EnrollmentStatus.REGISTERED.value
    enrollment_ids = _insert_returning_ids(Enrollment, [
        dict(cohort_id=cohort.id, user_id=user_id, status=status, status_changed_at=now, created_at=now)
        for user_id in user_ids
    ])
    _insert(EnrollmentStatusChange, [
        dict(enrollment_id=enrollment_id, from_status=None, to_status=status, reason=reason, changed_by_id=actor_id,
             changed_at=now) for enrollment_id in enrollment_ids
    ])
    return enrollment_ids


def _fill_existing(plans: list[RowPlan]) -> None:
    """Fill only the empty fields of existing participants: what they typed themselves stays."""
    if not plans:
        return
    ids = [plan.existing_user_id for plan in plans]
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    profiles = {p.user_id: p for p in db.session.scalars(select(ParticipantProfile).where(
        ParticipantProfile.user_id.in_(ids)))}
    for plan in plans:
        profile = profiles.get(plan.existing_user_id)
        if profile is None and plan.profile_fill:
            profile = ParticipantProfile(user_id=plan.existing_user_id)
            db.session.add(profile)
        for key, value in plan.profile_fill.items():
            setattr(profile, key, value)
        if plan.set_email:
            users[plan.existing_user_id].email = plan.email


def _insert(model, rows: list[dict]) -> None:
    if rows:
        db.session.execute(insert(model), rows)


def _insert_returning_ids(model, rows: list[dict]) -> list[int]:
    """Insert rows in bulk and return their new ids in the order of the rows."""
    if not rows:
        return []
    result = db.session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return [row.id for row in result]


def _event(action: str, object_type: str, object_id: int, actor_id: int | None, now: datetime, *,
           after: dict) -> dict:
    """Return an audit row as a dict, the same as lms.audit.record would write."""
    return dict(actor_id=actor_id, action=action, object_type=object_type, object_id=str(object_id), before=None,
                after=after, created_at=now)
