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
    LargeBinary,
    String,
    Text,
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


class RoleFlags:
    """is_staff / is_mentor / is_participant from a `role` attribute (users, and cached pages' viewers)."""

    role: str

    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR

    @property
    def is_participant(self) -> bool:
        return self.role == Role.PARTICIPANT


class EnrollmentStatus(enum.StrEnum):
    REGISTERED = "registered"
    SELECTED = "selected"
    ACTIVE = "active"
    GRADUATED = "graduated"
    WITHDRAWN = "withdrawn"


# Which enrollment a participant lands in when they have several (higher wins).
_STATUS_PREFERENCE = {"active": 4, "selected": 3, "graduated": 2, "registered": 1}


class User(RoleFlags, UserMixin, db.Model):
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
    # Refreshed at most every few minutes by the session loader; dashboards use it for "at risk".
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # Bumped by every edit of the person's data (staff edit, own profile), so a form saved
    # from a stale page is refused instead of overwriting the newer values (lms.people).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    # offline: "Mode hemat data": module images load only when tapped.
    data_saver: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # privacy: when the person's data was erased (lms/privacy); the row stays, anonymised, for what must be kept.
    erased_at: Mapped[datetime | None] = mapped_column(DateTime)

    profile: Mapped[ParticipantProfile | None] = relationship(back_populates="user", uselist=False)
    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="user", foreign_keys="Enrollment.user_id")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password."""
        # Tests lower the cost through config; production keeps Werkzeug's scrypt default.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches; an account never activated matches nothing."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def current_enrollment(self) -> Enrollment | None:
        """Return the enrollment the participant sees: the one they chose, else the most advanced one.

        A person may be registered in several cohorts but active in only one, so the
        cohort that selected (or activated) them wins over a newer one where they are
        only registered; among equals the newest enrollment wins.
        """
        live = [e for e in self.enrollments if e.status != EnrollmentStatus.WITHDRAWN]
        if not live:
            return None
        return max(live, key=lambda e: (e.chosen_at is not None, e.chosen_at or datetime.min,
                                        _STATUS_PREFERENCE.get(e.status, 0), e.id))


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
    # limits: wrong codes typed for this account while this code was live; at the cap it is cancelled.
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ParticipantProfile(db.Model):
    """A participant's business, kept up to date by the participant."""

    __tablename__ = "participant_profile"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    business_name: Mapped[str] = mapped_column(String(160), default="")
    sector: Mapped[str] = mapped_column(String(40), default="")
    regency_code: Mapped[str | None] = mapped_column(String(4), index=True)  # BPS code, 12xx
    district: Mapped[str] = mapped_column(String(80), default="", server_default="")  # kecamatan, free text
    # The name as printed on certificates (titles, spelling); empty means the account name.
    certificate_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    instagram_url: Mapped[str] = mapped_column(String(300), default="")
    facebook_url: Mapped[str] = mapped_column(String(300), default="")
    tiktok_url: Mapped[str] = mapped_column(String(300), default="")
    marketplace_url: Mapped[str] = mapped_column(String(300), default="")
    website_url: Mapped[str] = mapped_column(String(300), default="")
    # season: the year the business started (curation's business-age criterion); None when unknown.
    business_started_year: Mapped[int | None] = mapped_column(Integer)
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
    # Certificate signatories; empty values fall back to CERTIFICATE_SIGNATORIES in config.
    signatory1_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    signatory1_title: Mapped[str] = mapped_column(String(160), default="", server_default="")
    signatory2_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    signatory2_title: Mapped[str] = mapped_column(String(160), default="", server_default="")
    # Uploaded signature images, relative to CERTIFICATE_ROOT; empty: the demo signature (the issue page warns).
    signatory1_image: Mapped[str] = mapped_column(String(200), default="", server_default="")
    signatory2_image: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # season: stage-2 curation criteria (lms.staff.curation.rules.Criteria.from_json reads it).
    curation_criteria: Mapped[dict | None] = mapped_column(JSON)
    # registration: the public form is open from opens_on to closes_on inclusive (WIB dates);
    # either may be empty while staff have not planned the window yet.
    registration_opens_on: Mapped[date | None] = mapped_column(Date)
    registration_closes_on: Mapped[date | None] = mapped_column(Date)
    # impact2: the certificate waits for the participant's submitted endline survey.
    endline_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # knowledge: the certificate waits for the participant's knowledge post-test too.
    posttest_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # waves: the follow-up survey waves, in months after graduation, ascending (lms/impact/rules.py).
    followup_months: Mapped[list[int]] = mapped_column(JSON, default=lambda: [3, 6], server_default=text("'[3, 6]'"))

    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="cohort")


class Enrollment(db.Model):
    """A participant in a cohort; its status history is in EnrollmentStatusChange."""

    __tablename__ = "enrollment"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        # The dashboard's counts walk one cohort's learners by status without touching the table.
        Index("ix_enrollment_cohort_status_user", "cohort_id", "status", "user_id"),
        # A unique index, not a constraint: SQLite can add an index to an existing table.
        Index("uq_enrollment_registration_number", "registration_number", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=EnrollmentStatus.REGISTERED.value, index=True)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # season: when the participant last switched to this enrollment (see User.current_enrollment).
    chosen_at: Mapped[datetime | None] = mapped_column(DateTime)
    # registration: how this registrant arrived (import | form | staff), how they heard of the
    # programme (lms.choices.HEARD_FROM), the referral code on their link, the number shown
    # on their confirmation, and the version of the consent text they agreed to.
    registered_via: Mapped[str] = mapped_column(String(10), default="import", server_default="import")
    heard_from: Mapped[str] = mapped_column(String(40), default="", server_default="")
    referral_code: Mapped[str] = mapped_column(String(32), default="", server_default="", index=True)
    registration_number: Mapped[str | None] = mapped_column(String(20))  # unique index below
    consent_version: Mapped[str] = mapped_column(String(20), default="", server_default="")
    consented_at: Mapped[datetime | None] = mapped_column(DateTime)

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
        # Each mentor's current participants, for backlog counts (lms.assignments.stats).
        Index(
            "ix_mentor_allocation_open_mentor",
            "mentor_id",
            "enrollment_id",
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
    reason: Mapped[str | None] = mapped_column(String(300))  # why staff made the change, when they said
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


class ModuleProgress(db.Model):
    """Derived, one row per participant and module: what the staff dashboard counts.

    The facts live in module_read, quiz_attempt and submission; this row gathers
    them so a 100,000-participant dashboard reads one table, not three. Each fact
    only ever grows (read, best score, accepted), so writers merge into the row
    (lms.progress) and concurrent writers cannot undo each other.
    """

    __tablename__ = "module_progress"
    __table_args__ = {"sqlite_with_rowid": False}  # the key is the table's order: one B-tree, no rowid lookups

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    module_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    best_quiz_score: Mapped[float | None] = mapped_column()  # best submitted score, percent
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)  # first accepted assignment version


# --- Quizzes -----------------------------------------------------------------


class QuizVersion(db.Model):
    """A snapshot of one version of a module's quiz (lms.content Quiz.to_dict()).

    Attempts point here, so editing the quiz later never changes past scores or result pages.
    """

    __tablename__ = "quiz_version"
    __table_args__ = (UniqueConstraint("module_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(16))
    snapshot: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class QuizAttempt(db.Model):
    """One attempt at a module's quiz. Open while submitted_at is NULL; graded exactly once."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id", "number"),
        Index(
            "uq_quiz_attempt_open",
            "user_id",
            "module_id",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(String(60))
    module_id: Mapped[str] = mapped_column(String(60), index=True)
    quiz_version_id: Mapped[int] = mapped_column(ForeignKey("quiz_version.id"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, … per user and module
    choice_order: Mapped[dict] = mapped_column(JSON)  # question id → shuffled choice ids
    draft_answers: Mapped[dict] = mapped_column(JSON, default=dict)  # question id → answer, until submitted
    draft_seq: Mapped[int] = mapped_column(Integer, default=0)  # newest autosave applied
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    auto_submitted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    points: Mapped[float | None] = mapped_column()  # sum of per-question credit
    max_points: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column()  # percent, 0–100
    passed: Mapped[bool | None] = mapped_column(Boolean)
    # offline: the idempotency key of the submit that graded it, and a digest of what that submit carried,
    # so a queued submit replayed from the phone gets the same result and a changed replay is refused.
    submit_key: Mapped[str | None] = mapped_column(String(64))
    submit_digest: Mapped[str | None] = mapped_column(String(64))
    # offline: answers that arrived after the attempt was graded (too late); kept and shown, never graded.
    late_answers: Mapped[dict | None] = mapped_column(JSON)
    late_received_at: Mapped[datetime | None] = mapped_column(DateTime)

    quiz_version: Mapped[QuizVersion] = relationship()
    answers: Mapped[list[QuizAnswer]] = relationship(back_populates="attempt", order_by="QuizAnswer.id")


class QuizAnswer(db.Model):
    """The graded answer to one question of a submitted attempt."""

    __tablename__ = "quiz_answer"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(80))
    answer: Mapped[dict | list | str | None] = mapped_column(JSON)
    credit: Mapped[float] = mapped_column(default=0.0)  # 0.0–1.0

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")


# --- Assignments and mentoring -------------------------------------------------


class Submission(db.Model):
    """One version of a participant's work for a module's assignment; never updated by them."""

    __tablename__ = "submission"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id", "version_no"),
        # Versions waiting for a mentor: a small slice of the table that backlogs count often.
        Index(
            "ix_submission_waiting",
            "enrollment_id",
            sqlite_where=text("status = 'submitted'"),
            postgresql_where=text("status = 'submitted'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(60), index=True)
    assignment_version: Mapped[str] = mapped_column(String(16))
    assignment_snapshot: Mapped[dict] = mapped_column(JSON)  # Assignment.to_dict() at submission time
    version_no: Mapped[int] = mapped_column(Integer)
    link_url: Mapped[str | None] = mapped_column(String(2000))
    text: Mapped[str | None] = mapped_column(Text)
    client_token: Mapped[str] = mapped_column(String(64), unique=True)  # makes a retried POST a no-op
    # SHA-256 of what was sent (text, link, kept files, raw file bytes): the same token with other
    # content is refused. Empty for versions saved before it was recorded.
    content_digest: Mapped[str | None] = mapped_column(String(64))
    # submitted → needs_revision | accepted, set by reviews; a new version starts at submitted;
    # submitted → withdrawn by its participant while no mentor has opened it.
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)  # first opened by the participant's mentor
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)

    files: Mapped[list[SubmissionFile]] = relationship(back_populates="submission", order_by="SubmissionFile.id")
    # Files of an earlier version that this one keeps: referenced, never copied or moved.
    kept_files: Mapped[list[SubmissionFile]] = relationship(
        secondary="submission_kept_file", order_by="SubmissionFile.id")
    reviews: Mapped[list[Review]] = relationship(back_populates="submission", order_by="Review.id")
    user: Mapped[User] = relationship()
    enrollment: Mapped[Enrollment] = relationship()

    @property
    def all_files(self) -> list[SubmissionFile]:
        """Return the files this version holds: the ones it kept from earlier versions, then its own."""
        return [*self.kept_files, *self.files]

    @property
    def current_review(self) -> Review | None:
        """Return the review in force: the newest one (a correction supersedes what it corrects)."""
        return self.reviews[-1] if self.reviews else None


class SubmissionFile(db.Model):
    """A file of a submission, stored under a server-made name in instance/uploads."""

    __tablename__ = "submission_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))  # shown to people, never used as a path
    content_type: Mapped[str] = mapped_column(String(40))  # decided from the content
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    thumbnail_name: Mapped[str | None] = mapped_column(String(80))

    submission: Mapped[Submission] = relationship(back_populates="files")


class Review(db.Model):
    """A mentor's decision on a submission version, with rubric points and feedback."""

    __tablename__ = "review"
    # Turnaround medians walk one mentor's waits in order (lms.assignments.stats).
    __table_args__ = (Index("ix_review_mentor_waited", "mentor_id", "waited_hours"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # accepted | needs_revision
    scores: Mapped[dict] = mapped_column(JSON)  # criterion id → points
    total_points: Mapped[int] = mapped_column(Integer)
    max_points: Mapped[int] = mapped_column(Integer)
    feedback: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Hours from the version's submission to this review; set on a version's first review only.
    waited_hours: Mapped[float | None] = mapped_column()
    # A correction is a new row: it names the review it corrects (kept unchanged) and why.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="SET NULL"))
    correction_reason: Mapped[str | None] = mapped_column(Text)

    submission: Mapped[Submission] = relationship(back_populates="reviews")
    mentor: Mapped[User] = relationship()
    corrects: Mapped[Review | None] = relationship(remote_side="Review.id")


class Notification(db.Model):
    """An in-app notice; the header shows the unread count."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # review.accepted, review.needs_revision, submission.new, …
    message: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)


class OutboxMessage(db.Model):
    """An outbound message: sent by email when SMTP is configured, otherwise logged."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    whatsapp_url: Mapped[str] = mapped_column(String(3000), default="")
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending|sent|logged|failed
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(String(500))


# --- Certificates, jobs, staff -------------------------------------------------


class Certificate(db.Model):
    """An issued certificate. At most one valid certificate per enrollment and kind."""

    __tablename__ = "certificate"
    __table_args__ = (
        Index(
            "uq_certificate_valid",
            "enrollment_id",
            "kind",
            unique=True,
            sqlite_where=text("status = 'valid'"),
            postgresql_where=text("status = 'valid'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # graduation | top
    number: Mapped[str] = mapped_column(String(40), unique=True)  # e.g. FTD-2026-000123
    code: Mapped[str] = mapped_column(String(32), unique=True)  # random verification code
    status: Mapped[str] = mapped_column(String(20), default="valid", index=True)  # valid|revoked|superseded
    name: Mapped[str] = mapped_column(String(120))  # as printed
    business_name: Mapped[str] = mapped_column(String(160), default="")
    regency_code: Mapped[str | None] = mapped_column(String(4))
    course_title: Mapped[str] = mapped_column(String(200))
    cohort_name: Mapped[str] = mapped_column(String(120))
    graduation_date: Mapped[date] = mapped_column(Date)
    pdf_path: Mapped[str | None] = mapped_column(String(300))  # relative to instance/
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(String(300))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id", ondelete="SET NULL"))

    enrollment: Mapped[Enrollment] = relationship()


class BackgroundJob(db.Model):
    """Long work (bulk certificates, imports) run outside the request; pages poll its progress."""

    __tablename__ = "background_job"
    __table_args__ = (
        Index(
            "uq_background_job_live",
            "kind",
            "cohort_id",
            unique=True,
            sqlite_where=text("status IN ('queued', 'running')"),
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued|running|done|failed|interrupted
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    # queue: who runs it ("host:pid") and when it last said it was alive (lms/jobs.py reaps stale ones).
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class ImportBatch(db.Model):
    """An uploaded registrant file: its column mapping, dry-run report and import result."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80))  # server-made name under instance/imports
    display_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    mapping: Mapped[dict | None] = mapped_column(JSON)  # field → column index
    report: Mapped[dict | None] = mapped_column(JSON)  # dry-run counts and per-row errors/warnings
    status: Mapped[str] = mapped_column(String(20), default="uploaded")  # uploaded|previewed|imported|failed
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(DateTime)


class TopAward(db.Model):
    """A participant chosen among the best 100 for ad budget and endorsement."""

    __tablename__ = "top_award"
    __table_args__ = (UniqueConstraint("enrollment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id", ondelete="CASCADE"))
    rank_at_award: Mapped[int | None] = mapped_column(Integer)
    score_at_award: Mapped[float | None] = mapped_column()
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    awarded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    enrollment: Mapped[Enrollment] = relationship()


# --- impact: survey answers in waves (issue #15) ---


class SurveyResponse(db.Model):
    """One version of a person's answers to one survey wave; the newest submitted version counts.

    A second answer to the same wave is a new row (version_no + 1), never an update, so
    nothing typed is lost and the report can say which version it read. A draft is the one
    row still open (status "draft"); submitting it closes it.
    """

    __tablename__ = "survey_response"
    __table_args__ = (
        UniqueConstraint("user_id", "cohort_id", "wave", "version_no"),
        Index("ix_survey_response_cohort_wave", "cohort_id", "wave", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    wave: Mapped[str] = mapped_column(String(16))  # baseline | endline | followup-<months> (the cohort's months)
    version_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft | submitted
    survey_id: Mapped[str] = mapped_column(String(60))
    survey_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # question id → value (see lms/impact/answers.py)
    source: Mapped[str] = mapped_column(String(12), default="self")  # self | proxy | import | link
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
# --- people: forgotten-password requests ---


class PasswordResetRequest(db.Model):
    """A participant asked for a way back in; staff or their mentor answer with a new activation code."""

    __tablename__ = "password_reset_request"
    __table_args__ = (
        # One open request per account: asking again while one waits adds nothing to the queue.
        Index(
            "uq_password_reset_request_open",
            "user_id",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    resolution: Mapped[str | None] = mapped_column(String(20))  # code_sent | dismissed

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
# --- assign: files a later submission version keeps from an earlier one ---


class SubmissionKeptFile(db.Model):
    """A file of an earlier version that a new version keeps (a reference, the file stays where it is)."""

    __tablename__ = "submission_kept_file"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("submission_file.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)
# --- queue: periodic tasks' last run ---
class PeriodicRun(db.Model):
    """The last run of one periodic task (lms/queue): when, whether it worked, what it did."""

    __tablename__ = "periodic_run"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    ok: Mapped[bool | None] = mapped_column(Boolean)
    summary: Mapped[str | None] = mapped_column(Text)
    runs: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


# --- registration: referral codes and regency targets (outreach) ---
class ReferralCode(db.Model):
    """A code on a registration link (…/daftar?ref=CODE) for one regency office or event."""

    __tablename__ = "referral_code"
    __table_args__ = (UniqueConstraint("cohort_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))  # upper-case letters, digits and dashes
    label: Mapped[str] = mapped_column(String(120))  # e.g. "Dinas Koperasi Kab. Nias"
    regency_code: Mapped[str | None] = mapped_column(String(4))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RegencyTarget(db.Model):
    """How many registrations staff aim for from one regency in one cohort."""

    __tablename__ = "regency_target"
    __table_args__ = (UniqueConstraint("cohort_id", "regency_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    regency_code: Mapped[str] = mapped_column(String(4))
    target: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


# --- showcase: graduates' public listings (opt-in) ---
class ShowcaseListing(db.Model):
    """A graduate's business on the public showcase; public only while consent stands and staff have not hidden it."""

    __tablename__ = "showcase_listing"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    consented_at: Mapped[datetime | None] = mapped_column(DateTime)  # None: never agreed, or withdrawn
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    business_name: Mapped[str] = mapped_column(String(160), default="")
    description: Mapped[str] = mapped_column(String(500), default="")
    sector: Mapped[str] = mapped_column(String(40), default="")
    regency_code: Mapped[str | None] = mapped_column(String(4), index=True)
    photo_name: Mapped[str] = mapped_column(String(80), default="")  # server-made name under UPLOAD_ROOT
    photo_thumbnail: Mapped[str] = mapped_column(String(80), default="")
    links: Mapped[dict] = mapped_column(JSON, default=dict)  # homepage, landing, shopee, tokopedia, …: https URLs
    whatsapp: Mapped[str] = mapped_column(String(16), default="")  # E.164
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    featured: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
# --- answers: extra quiz attempts granted by staff or a mentor ---


class QuizAttemptGrant(db.Model):
    """Extra attempts at one module's quiz for one participant, beyond the quiz's maks_percobaan."""

    __tablename__ = "quiz_attempt_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(60))
    extra: Mapped[int] = mapped_column(Integer)  # 1–5 more attempts
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])
# --- privacy: deletion requests (UU PDP No. 27/2022) ---
class DeletionRequest(db.Model):
    """A person asked for their data to be erased; staff carry it out (lms.privacy.operations)."""

    __tablename__ = "deletion_request"
    __table_args__ = (
        # One open request per person: asking again while one waits adds nothing to the queue.
        Index(
            "uq_deletion_request_open",
            "user_id",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    source: Mapped[str] = mapped_column(String(12), default="participant")  # participant | retention
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
# --- sessions: bootcamp sessions and attendance ---


class BootcampSession(db.Model):
    """A live session of a cohort: in person at a venue, or online. Times are naive UTC, shown in WIB."""

    __tablename__ = "bootcamp_session"
    __table_args__ = (Index("ix_bootcamp_session_cohort_start", "cohort_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    module_id: Mapped[str | None] = mapped_column(String(60))  # a module of the cohort's course, optional
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    venue_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="", server_default="")
    map_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    online_url: Mapped[str] = mapped_column(String(500), default="", server_default="")  # set: an online session
    speaker: Mapped[str] = mapped_column(String(160), default="", server_default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    # Check-in: opens this many minutes before the start, closes at the end; late after `late_after_minutes`.
    checkin_opens_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default=text("60"))
    late_after_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default=text("15"))
    # Staff may open check-in outside the window (a session that overran, a late bus).
    checkin_always_open: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What changed last (moved, cancelled), shown to participants beside the session.
    change_notice: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # iCalendar SEQUENCE: bumped on every change so phone calendars replace the old event.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    cohort: Mapped[Cohort] = relationship()

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)


class Attendance(db.Model):
    """One participant present at one session. One row per person and session, so a second check-in changes nothing.

    `client_uuid` is the id a staff phone gave an offline check-in; it is unique, so a
    batch synced twice inserts each check-in once.
    """

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("bootcamp_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    checked_in_at: Mapped[datetime] = mapped_column(DateTime)
    method: Mapped[str] = mapped_column(String(10))  # qr | manual | synced | correction
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    client_uuid: Mapped[str | None] = mapped_column(String(36), unique=True)
    # A correction "not present" keeps the row (and its history in the audit log) but stops it counting.
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    session: Mapped[BootcampSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
# --- impact2: signed single-use survey links for the comparison group; reminders sent once per wave ---


class SurveyLink(db.Model):
    """A signed link for one registrant to answer one wave without an account (the comparison group).

    The URL carries a signed token naming this row and its nonce; making the link again
    changes the nonce, so an older URL stops working. It can be used once (`used_at`).
    """

    __tablename__ = "survey_link"
    __table_args__ = (UniqueConstraint("enrollment_id", "wave"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id", ondelete="CASCADE"), index=True)
    wave: Mapped[str] = mapped_column(String(16))
    nonce: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    enrollment: Mapped[Enrollment] = relationship()


class SurveyReminder(db.Model):
    """A reminder to answer one wave, sent to one participant: the unique key makes it once per wave."""

    __tablename__ = "survey_reminder"
    __table_args__ = (UniqueConstraint("user_id", "cohort_id", "wave"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    wave: Mapped[str] = mapped_column(String(16))
    whatsapp_url: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
# --- reg: "tell me when registration opens" numbers (lms/registration) ---
class RegistrationInterest(db.Model):
    """A phone number left on the closed registration form, to be told when the next window opens.

    One row per number: leaving it again changes nothing. `cohort_id` is the cohort whose
    window was announced as next when the number was left (empty when none was planned yet).
    """

    __tablename__ = "registration_interest"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)  # E.164, +62…
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="SET NULL"), index=True)
    consent_version: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(DateTime)


# --- knowledge: the knowledge pre-test at orientation and post-test at the end (issue #15 §4) ---


class KnowledgeTestResult(db.Model):
    """One participant's pre-test or post-test in one cohort: taken once, never changed.

    `answers` is module id → question id → choice id; `scores` is module id →
    {"version", "points", "items"}, so a module's pre and post scores pair only when
    both were taken on the same version of its items (lms/knowledge/rules.py).
    """

    __tablename__ = "knowledge_test_result"
    __table_args__ = (UniqueConstraint("user_id", "cohort_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(4))  # pre | post
    answers: Mapped[dict] = mapped_column(JSON)
    scores: Mapped[dict] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# --- impact3: the impact report's stored figures per cohort ---


class ImpactReportSnapshot(db.Model):
    """A cohort's impact figures as last computed, with the stamp of what they were computed from.

    The report page reads this row instead of recomputing 100,000 people's answers; a
    stamp that no longer matches the cohort's answers, enrollments and profiles means
    the figures are recomputed (lms/impact/snapshot.py). The PDF is kept with its own key.
    """

    __tablename__ = "impact_report_snapshot"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(64))
    figures: Mapped[str] = mapped_column(Text)  # JSON text: floats round-trip exactly, key order is kept
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    pdf_key: Mapped[str] = mapped_column(String(64), default="")
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)


# --- offline2: resumable uploads of files queued on the phone (lms/resumable) ---


class ResumableUpload(db.Model):
    """A file being uploaded in chunks for a queued submission; the bytes live on disk under `name`.

    One row per (user, form token, file position): asking again for the same file returns the
    same row, so a retried or resumed upload never starts a second copy. The received offset is
    the size of the partial file on disk.
    """

    __tablename__ = "resumable_upload"
    __table_args__ = (UniqueConstraint("user_id", "client_token", "file_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)  # server-made, used in URLs and on disk
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    client_token: Mapped[str] = mapped_column(String(64))
    file_index: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)  # declared by the phone, at most the upload limit
    filename: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


# --- impact4: a per-cohort counter of changes to the impact report's inputs ---


class ImpactInputCounter(db.Model):
    """How many committed transactions changed what a cohort's impact report is computed from.

    Bumped in the same transaction as the change (lms/impact/changes.py), so reading this
    one row tells whether the stored figures are fresh. `survey` counts changes to the
    survey figures' inputs, `knowledge` to the knowledge section's; row 0 counts changes
    whose cohorts were not worked out (every cohort's stamp includes it). No foreign key:
    row 0 names no cohort, and a bump must not fail for a cohort deleted in the same transaction.
    A cohort's count is the sum of its shards: each transaction bumps one shard, drawn at random,
    so the closing rush's commits do not queue on one row's lock.
    """

    __tablename__ = "impact_input_counter"

    cohort_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=0,
                                       server_default=text("0"))
    survey: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    knowledge: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
