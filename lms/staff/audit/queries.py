"""Reading the audit log: filters by action, actor, object and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.models import AuditEvent, User

# Staff pick dates in WIB; the log is stored in UTC.
WIB_OFFSET = timedelta(hours=7)
# Rows without an actor were written by the system (imports in jobs, anonymous requests); the page shows "sistem".
SYSTEM_ACTOR_WORDS = frozenset({"sistem", "system"})


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def wib_day_start_utc(day: date) -> datetime:
    """Return the UTC time at which a WIB calendar day starts."""
    return datetime.combine(day, time()) - WIB_OFFSET


def audit_query(filters: AuditFilters) -> Select:
    """Select audit events matching the filters, newest first."""
    statement = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if filters.action:
        statement = statement.where(AuditEvent.action == filters.action)
    if filters.object_type:
        statement = statement.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        statement = statement.where(AuditEvent.object_id == filters.object_id.strip())
    if filters.actor.strip().lower() in SYSTEM_ACTOR_WORDS:
        statement = statement.where(AuditEvent.actor_id.is_(None))
    elif filters.actor:
        digits = "".join(ch for ch in filters.actor if ch.isdigit()).lstrip("0")
        conditions = [User.name.ilike(f"%{filters.actor.strip()}%")]
        if len(digits) >= 4:
            conditions.append(User.phone.contains(digits))
        statement = statement.where(AuditEvent.actor_id.in_(select(User.id).where(or_(*conditions))))
    if filters.date_from:
        statement = statement.where(AuditEvent.created_at >= wib_day_start_utc(filters.date_from))
    if filters.date_to:
        statement = statement.where(AuditEvent.created_at < wib_day_start_utc(filters.date_to + timedelta(days=1)))
    return statement


def known_values() -> tuple[list[str], list[str]]:
    """Return the distinct actions and object types in the log, for the filter's select boxes."""
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    types = db.session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)).all()
    return list(actions), list(types)
