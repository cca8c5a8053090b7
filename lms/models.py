"""The data model: accounts, profiles, cohorts, enrollments, mentoring and the audit log.

Times are stored as naive UTC (`utcnow`), the same on SQLite and PostgreSQL, and
shown in Asia/Jakarta by the templates.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import UTC, date, datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lms.extensions import db


def utcnow() -> datetime:
    """Return the current time as naive UTC, the form every timestamp is stored in."""
    return datetime.now(UTC).replace(tzinfo=None)


def token_digest(token: str) -> str:
    """Return the SHA-256 hex digest under which a secret token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class Role(enum.StrEnum):
    PARTICIPANT = "participant"
    MENTOR = "mentor"
    STAFF = "staff"


class EnrollmentStatus(enum.StrEnum):
    REGISTERED = "registered"
    SELECTED = "selected"
    ACTIVE = "active"
    GRADUATED = "graduated"
    WITHDRAWN = "withdrawn"


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(16), unique=True)  # E.164, +62…
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None until activated
    role: Mapped[str] = mapped_column(String(20), default=Role.PARTICIPANT.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    profile: Mapped[ParticipantProfile | None] = relationship(back_populates="user", uselist=False)
    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="user", foreign_keys="Enrollment.user_id")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR

    @property
    def is_participant(self) -> bool:
        return self.role == Role.PARTICIPANT

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password."""
        # Tests lower the cost through config; production keeps Werkzeug's scrypt default.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches; an account never activated matches nothing."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def current_enrollment(self) -> Enrollment | None:
        """Return the participant's newest enrollment that is not withdrawn."""
        live = [e for e in self.enrollments if e.status != EnrollmentStatus.WITHDRAWN]
        return max(live, key=lambda e: e.id) if live else None


class UserSession(db.Model):
    """A server-side login session: the cookie only carries a token naming one of these.

    Logging out, changing the password or deactivating the account revokes rows here,
    so a copied cookie stops working at once.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    user_agent: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship()


class ActivationCode(db.Model):
    """A one-time code with which a staff-created account sets its first password."""

    __tablename__ = "activation_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ParticipantProfile(db.Model):
    """A participant's business, kept up to date by the participant."""

    __tablename__ = "participant_profile"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    business_name: Mapped[str] = mapped_column(String(160), default="")
    sector: Mapped[str] = mapped_column(String(40), default="")
    regency_code: Mapped[str | None] = mapped_column(String(4), index=True)  # BPS code, 12xx
    address: Mapped[str] = mapped_column(String(300), default="")
    instagram_url: Mapped[str] = mapped_column(String(300), default="")
    facebook_url: Mapped[str] = mapped_column(String(300), default="")
    tiktok_url: Mapped[str] = mapped_column(String(300), default="")
    marketplace_url: Mapped[str] = mapped_column(String(300), default="")
    website_url: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="profile")


class BusinessSnapshot(db.Model):
    """Business figures at the start (baseline) or end (endline) of the bootcamp.

    Monitoring and evaluation reads these; the bootcamp itself does not depend on them.
    """

    __tablename__ = "business_snapshot"
    __table_args__ = (UniqueConstraint("user_id", "cohort_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # baseline | endline
    monthly_revenue: Mapped[int | None] = mapped_column(BigInteger)  # rupiah
    employees: Mapped[int | None] = mapped_column(Integer)
    sales_channels: Mapped[list | None] = mapped_column(JSON)  # e.g. ["whatsapp", "shopee"]
    legal_status: Mapped[dict | None] = mapped_column(JSON)  # e.g. {"nib": true, "pirt": false}
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Cohort(db.Model):
    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    course_id: Mapped[str] = mapped_column(String(60))  # a manifest in courses/
    start_date: Mapped[date] = mapped_column(Date)
    bootcamp_date: Mapped[date] = mapped_column(Date)
    graduation_date: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="cohort")


class Enrollment(db.Model):
    """A participant in a cohort; its status history is in EnrollmentStatusChange."""

    __tablename__ = "enrollment"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=EnrollmentStatus.REGISTERED.value, index=True)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="enrollments")
    user: Mapped[User] = relationship(back_populates="enrollments", foreign_keys=[user_id])
    history: Mapped[list[EnrollmentStatusChange]] = relationship(
        back_populates="enrollment", order_by="EnrollmentStatusChange.id"
    )

    def current_mentor_allocation(self) -> MentorAllocation | None:
        """Return the allocation in force, if any."""
        return db.session.scalar(
            select(MentorAllocation).where(
                MentorAllocation.enrollment_id == self.id, MentorAllocation.ended_at.is_(None)
            )
        )


class EnrollmentStatusChange(db.Model):
    __tablename__ = "enrollment_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(300), default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    enrollment: Mapped[Enrollment] = relationship(back_populates="history")


class MentorAllocation(db.Model):
    """Which mentor follows an enrollment. Ended rows are the history; one row is open."""

    __tablename__ = "mentor_allocation"
    __table_args__ = (
        Index(
            "uq_mentor_allocation_open",
            "enrollment_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    enrollment: Mapped[Enrollment] = relationship()
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])


class AuditEvent(db.Model):
    """Who did what to which object, when, with the value before and after."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


class PublishedModule(db.Model):
    """A rendered module version that passed the content check.

    When a later edit breaks a module, the site keeps serving the newest row here.
    """

    __tablename__ = "published_module"
    __table_args__ = (UniqueConstraint("module_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[str] = mapped_column(String(60), index=True)
    version: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ModuleRead(db.Model):
    """A participant marked a module as read ("Saya sudah membaca"); one row per module."""

    __tablename__ = "module_read"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(60))
    module_version: Mapped[str] = mapped_column(String(16))
    read_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
