"""Writes of the privacy area: a deletion request, and the erasure itself (one transaction, one audit row).

What the erasure keeps, and why, is documented in docs/architecture.md ("Data rights").
In short: the account row stays as a tombstone (name "Dihapus", phone "dihapus-<id>",
no password, inactive) so the rows the law or certificates need still point somewhere;
enrollments keep status, dates and consent version; certificates keep their number,
verification code, printed name, course, cohort and date; audit rows stay. Everything
else about the person is deleted: profile fields, survey answers, business figures,
submissions with their files, reviews of them, quiz attempts, reading progress,
notifications, queued messages, sessions, codes and reset requests.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import delete, or_, select, update

from lms import audit
from lms.assignments.uploads import path_of
from lms.certificates.operations import storage_root
from lms.database import write_transaction
from lms.enrollments import can_transition, change_status
from lms.extensions import db
from lms.models import (
    ActivationCode,
    BusinessSnapshot,
    Certificate,
    DeletionRequest,
    Enrollment,
    KnowledgeTestResult,
    MentorAllocation,
    ModuleProgress,
    ModuleRead,
    Notification,
    OutboxMessage,
    PasswordResetRequest,
    QuizAnswer,
    QuizAttempt,
    Review,
    Submission,
    SubmissionFile,
    SubmissionKeptFile,
    SurveyResponse,
    User,
    UserSession,
    utcnow,
)
from lms.privacy import queries, rules

log = logging.getLogger(__name__)
ERASURE_REASON_STATUS = "Data dihapus atas permintaan (UU PDP)"
ERASURE_REASON_RETENTION = "Masa simpan data pendaftar habis"


def request_deletion(user: User, reason: str) -> tuple[DeletionRequest, bool]:
    """Record that a person asks for erasure; return (the open request, whether it is new)."""
    with write_transaction():
        existing = queries.open_request(user.id)
        if existing is not None:
            return existing, False
        request = DeletionRequest(user_id=user.id, reason=(reason or "").strip()[:500], source="participant")
        db.session.add(request)
        db.session.flush()
        audit.record("privacy.deletion_requested", request, actor=user, after={"user_id": user.id})
    return request, True


def erase_person(user: User, *, erased_by: User | None, reason: str, source: str = "staff") -> dict[str, int]:
    """Erase a person's data, keeping only what the law and certificates need; return what was removed.

    Idempotent: an account already erased is left as it is (an open request is closed).
    Files are deleted from disk after the transaction commits, so a failed erasure keeps them.
    """
    with write_transaction():
        user = db.session.execute(select(User).where(User.id == user.id).with_for_update()).scalar_one()
        if user.erased_at is not None:
            _close_requests(user, erased_by)
            return {}
        counts, files = _delete_records(user)
        _withdraw_enrollments(user, erased_by, reason if source == "retention" else ERASURE_REASON_STATUS)
        files += _strip_certificates(user)
        _blank_profile(user)
        _anonymise_account(user)
        counts["requests_closed"] = _close_requests(user, erased_by)
        counts["files"] = len(files)
        audit.record("privacy.erased", user, actor=erased_by, after={"source": source, **counts},
                     reason=reason[:300] if reason else None)
    for path in files:
        try:
            path.unlink(missing_ok=True)
        except OSError:  # pragma: no cover - a file we cannot delete is logged, the rows are gone already
            log.warning("could not delete %s after erasing user %s", path, user.id)
    return counts


def _delete_records(user: User) -> tuple[dict[str, int], list[Path]]:
    submission_ids = select(Submission.id).where(Submission.user_id == user.id)
    files = []
    for stored, thumbnail in db.session.execute(select(SubmissionFile.stored_name, SubmissionFile.thumbnail_name)
                                                .where(SubmissionFile.submission_id.in_(submission_ids))):
        files += [path_of(name) for name in (stored, thumbnail) if name]
    file_ids = select(SubmissionFile.id).where(SubmissionFile.submission_id.in_(submission_ids))
    attempt_ids = select(QuizAttempt.id).where(QuizAttempt.user_id == user.id)
    counts: dict[str, int] = {}
    run = db.session.execute
    run(delete(SubmissionKeptFile).where(or_(SubmissionKeptFile.submission_id.in_(submission_ids),
                                             SubmissionKeptFile.file_id.in_(file_ids))))
    run(update(Review).where(Review.corrects_id.in_(select(Review.id).where(Review.submission_id.in_(submission_ids))))
        .values(corrects_id=None))
    counts["reviews"] = run(delete(Review).where(Review.submission_id.in_(submission_ids))).rowcount
    run(delete(SubmissionFile).where(SubmissionFile.submission_id.in_(submission_ids)))
    counts["submissions"] = run(delete(Submission).where(Submission.user_id == user.id)).rowcount
    run(delete(QuizAnswer).where(QuizAnswer.attempt_id.in_(attempt_ids)))
    counts["quiz_attempts"] = run(delete(QuizAttempt).where(QuizAttempt.user_id == user.id)).rowcount
    counts["survey_responses"] = run(delete(SurveyResponse).where(SurveyResponse.user_id == user.id)).rowcount
    counts["business_snapshots"] = run(delete(BusinessSnapshot).where(BusinessSnapshot.user_id == user.id)).rowcount
    for model in (ModuleRead, ModuleProgress, Notification, UserSession, ActivationCode, PasswordResetRequest,
                  KnowledgeTestResult):  # knowledge: the pre/post test answers
        run(delete(model).where(model.user_id == user.id))
    run(delete(OutboxMessage).where(OutboxMessage.recipient_id == user.id))
    return counts, files


def _withdraw_enrollments(user: User, erased_by: User | None, reason: str) -> None:
    """Take the person out of every live cohort (graduated stays graduated), and end mentor allocations."""
    enrollments = list(db.session.scalars(select(Enrollment).where(Enrollment.user_id == user.id)))
    for enrollment in enrollments:
        if enrollment.status != "withdrawn" and can_transition(enrollment.status, "withdrawn"):
            change_status(enrollment, "withdrawn", changed_by=erased_by, reason=reason[:300])
        enrollment.heard_from = ""
    db.session.execute(update(MentorAllocation).where(
        MentorAllocation.enrollment_id.in_([e.id for e in enrollments]), MentorAllocation.ended_at.is_(None))
        .values(ended_at=utcnow()))


def _strip_certificates(user: User) -> list[Path]:
    """Keep what verification shows (number, code, printed name, course, cohort, date); drop the rest and the PDF."""
    files = []
    certificates = db.session.scalars(select(Certificate).join(Enrollment, Enrollment.id == Certificate.enrollment_id)
                                      .where(Enrollment.user_id == user.id))
    for certificate in certificates:
        if certificate.pdf_path:
            files.append(storage_root() / certificate.pdf_path)
        certificate.pdf_path = None
        certificate.pdf_sha256 = None
        certificate.business_name = ""
        certificate.regency_code = None
    return files


def _blank_profile(user: User) -> None:
    profile = user.profile
    if profile is None:
        return
    for field in ("business_name", "sector", "district", "certificate_name", "address", "instagram_url",
                  "facebook_url", "tiktok_url", "marketplace_url", "website_url"):
        setattr(profile, field, "")
    profile.regency_code = None
    profile.business_started_year = None


def _anonymise_account(user: User) -> None:
    user.name = rules.ERASED_NAME
    user.phone = rules.tombstone_phone(user.id)
    user.email = None
    user.password_hash = None
    user.active = False
    user.last_login_at = None
    user.last_seen_at = None
    user.erased_at = utcnow()
    user.version = (user.version or 1) + 1


def _close_requests(user: User, erased_by: User | None) -> int:
    return db.session.execute(update(DeletionRequest).where(
        DeletionRequest.user_id == user.id, DeletionRequest.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=erased_by.id if erased_by else None)).rowcount
