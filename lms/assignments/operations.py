"""The writes of the assignment area: new submission versions and mentor reviews.

Each runs in one transaction with the write lock held (BEGIN IMMEDIATE on SQLite,
SELECT … FOR UPDATE on PostgreSQL), writes an audit row, queues notices, and
delivers them only after the commit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from lms import audit, progress
from lms.assignments import notifications, rules, uploads
from lms.content.schema import Module
from lms.database import write_transaction
from lms.extensions import db
from lms.models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    MentorAllocation,
    OutboxMessage,
    Review,
    Submission,
    SubmissionFile,
    User,
    utcnow,
)


class SubmissionRefused(ValueError):
    """Raised with a message for the participant when a new version may not be saved."""


class TokenReused(SubmissionRefused):
    """Raised when a form token that already saved a version comes back with other content.

    The first version stays; the participant's new content is not saved under that token
    (the page keeps it and offers a fresh token, so it can become a new version).
    """

    def __init__(self, submission: Submission) -> None:
        super().__init__(_(
            "Formulir ini sudah pernah dikirim (versi %(n)s) dengan isi yang berbeda, jadi isi yang ini belum "
            "disimpan. Isi Anda masih ada di bawah: periksa lalu tekan \"Kirim tugas\" untuk menyimpannya "
            "sebagai kiriman baru.", n=submission.version_no))
        self.submission = submission


class ReviewRefused(ValueError):
    """Raised with a message for the mentor when a review may not be saved."""


class WithdrawRefused(ValueError):
    """Raised with a message for the participant when a version may no longer be withdrawn (409)."""


class NotYours(LookupError):
    """Raised when the object named in a request is not the user's (the view answers 404)."""


class _AlreadySaved(Exception):
    """The same form token was saved meanwhile (a retried or double-tapped form)."""


class _ForgedKeep(Exception):
    """A file to keep is not one of the participant's own files of this assignment."""


@dataclass
class SubmissionInput:
    """What the participant sent, already validated by the form."""

    client_token: str
    link_url: str | None = None
    text: str | None = None
    files: list[FileStorage] = field(default_factory=list)
    kept_file_ids: list[int] = field(default_factory=list)  # files of earlier versions to keep


@dataclass(frozen=True)
class SubmitResult:
    submission: Submission
    created: bool  # False when the same form was sent twice (a retry or a double tap)


def participant_enrollment(user: User, course_id: str) -> Enrollment | None:
    """Return the participant's newest live enrollment in a cohort of that course."""
    return db.session.scalar(
        select(Enrollment)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.user_id == user.id, Cohort.course_id == course_id,
               Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .order_by(Enrollment.id.desc())
        .limit(1)
    )


def versions_of(user_id: int, module_id: str) -> list[Submission]:
    """Return a participant's versions for one assignment, newest first, with files and reviews."""
    return list(db.session.scalars(
        select(Submission)
        .where(Submission.user_id == user_id, Submission.module_id == module_id)
        .options(selectinload(Submission.files), selectinload(Submission.kept_files),
                 selectinload(Submission.reviews).selectinload(Review.mentor))
        .order_by(Submission.version_no.desc())
    ))


def current_mentor_id(enrollment_id: int) -> int | None:
    """Return the mentor who follows an enrollment now."""
    return db.session.scalar(
        select(MentorAllocation.mentor_id).where(
            MentorAllocation.enrollment_id == enrollment_id, MentorAllocation.ended_at.is_(None)
        )
    )


def block_reason(enrollment: Enrollment, versions: list[Submission]):
    """Return why the participant may not send a new version now (newest version first), or None."""
    return rules.enrollment_block_reason(enrollment.status) or rules.submission_block_reason(
        versions[0].status if versions else None)


def can_view_submission(user: User, submission: Submission) -> bool:
    """Tell whether a user may see a submission: its owner, the participant's mentor now, or staff."""
    if user.is_staff or submission.user_id == user.id:
        return True
    return user.is_mentor and current_mentor_id(submission.enrollment_id) == user.id


def submit_work(user: User, enrollment: Enrollment, module: Module, sent: SubmissionInput) -> SubmitResult:
    """Save a new version of a participant's work, exactly once per form token."""
    digest = content_digest(sent)
    existing = _by_token(user, sent.client_token)
    if existing is not None:
        return _same_content_or_refuse(existing, digest)
    reason = rules.enrollment_block_reason(enrollment.status)
    if reason is not None:
        raise SubmissionRefused(str(reason))
    _refuse_if_blocked(user.id, module.id)
    stored = _store_files(sent.files)
    try:
        with write_transaction():
            submission, outbox = _insert_version(user, enrollment, module, sent, stored, digest)
    except _ForgedKeep:
        uploads.remove_stored([name for item in stored for name in item.names()])
        raise SubmissionRefused(_("Berkas yang ingin dipertahankan tidak ditemukan. Muat ulang halaman lalu "
                                  "coba lagi.")) from None
    except (IntegrityError, _AlreadySaved):
        uploads.remove_stored([name for item in stored for name in item.names()])
        existing = _by_token(user, sent.client_token)
        if existing is not None:  # the same form won a race with itself
            return _same_content_or_refuse(existing, digest)
        raise SubmissionRefused(_("Kiriman lain baru saja tersimpan. Muat ulang halaman lalu coba lagi.")) from None
    except BaseException:
        uploads.remove_stored([name for item in stored for name in item.names()])
        raise
    notifications.deliver(outbox)
    return SubmitResult(submission, created=True)


def review_submission(
    submission_id: int, mentor: User, *, decision: str, scores: dict, feedback: str
) -> tuple[Review, list[OutboxMessage]]:
    """Record a mentor's rubric review and decision on a waiting version (exactly once)."""
    if not rules.is_valid_decision(decision):
        raise ReviewRefused(_("Pilih keputusan: diterima atau perlu revisi."))
    with write_transaction():
        submission = db.session.scalar(select(Submission).where(Submission.id == submission_id).with_for_update())
        if submission is None or current_mentor_id(submission.enrollment_id) != mentor.id:
            raise ReviewRefused(_("Kiriman ini bukan milik peserta yang Anda dampingi."))
        if submission.status == rules.WITHDRAWN:
            raise ReviewRefused(_("Peserta sudah menarik versi ini, jadi tidak perlu dinilai."))
        if submission.status != rules.SUBMITTED:
            raise ReviewRefused(_("Kiriman ini sudah dinilai."))
        grade = rules.grade_rubric(submission.assignment_snapshot, scores)
        now = utcnow()
        # A version is reviewed once (it must still be waiting), so this is its first review.
        review = Review(
            submission_id=submission.id, mentor_id=mentor.id, decision=decision, scores=grade.scores,
            total_points=grade.total_points, max_points=grade.max_points, feedback=feedback.strip(),
            created_at=now, waited_hours=rules.hours_waited(submission.created_at, now),
        )
        db.session.add(review)
        submission.status = decision
        if decision == rules.ACCEPTED:
            progress.record_accepted(submission.user_id, submission.module_id, now)
        db.session.flush()
        audit.record(
            "submission.review", submission, actor=mentor, before={"status": rules.SUBMITTED},
            after={"status": decision, "review_id": review.id, "scores": grade.scores,
                   "total_points": grade.total_points, "max_points": grade.max_points},
        )
        outbox = [_notify_participant(submission, review)]
    notifications.deliver(outbox)
    return review, outbox


def may_correct(user: User, submission: Submission) -> bool:
    """Tell whether a user may correct the review in force: staff, or the mentor now who gave it."""
    review = submission.current_review
    if review is None:
        return False
    if user.is_staff:
        return True
    return (user.is_mentor and review.mentor_id == user.id
            and current_mentor_id(submission.enrollment_id) == user.id)


def correction_block_reason(submission: Submission):
    """Return why the review in force on this version may not be corrected now, or None."""
    newest_version_no, _status = _latest_status(submission.user_id, submission.module_id)
    return rules.correction_refusal(submission.status, is_newest_version=submission.version_no == newest_version_no,
                                    has_review=bool(submission.reviews))


def correct_review(
    submission_id: int, actor: User, *, decision: str, scores: dict, feedback: str, reason: str
) -> tuple[Review, list[OutboxMessage]]:
    """Correct the review in force on a version with a new review row; keep the old one and follow progress.

    The participant's progress row for the module is recomputed from the fact tables
    in the same transaction, since a correction may take an acceptance away.
    """
    if not rules.is_valid_decision(decision):
        raise ReviewRefused(_("Pilih keputusan: diterima atau perlu revisi."))
    if not reason.strip():
        raise ReviewRefused(_("Tulis alasan koreksi."))
    with write_transaction():
        submission = db.session.scalar(select(Submission).where(Submission.id == submission_id).with_for_update())
        if submission is None or not may_correct(actor, submission):
            raise ReviewRefused(_("Anda tidak bisa mengoreksi penilaian ini."))
        refusal = correction_block_reason(submission)
        if refusal is not None:
            raise ReviewRefused(str(refusal))
        corrected = submission.current_review
        grade = rules.grade_rubric(submission.assignment_snapshot, scores)
        review = Review(
            submission_id=submission.id, mentor_id=actor.id, decision=decision, scores=grade.scores,
            total_points=grade.total_points, max_points=grade.max_points, feedback=feedback.strip(),
            created_at=utcnow(), waited_hours=None, corrects_id=corrected.id,
            correction_reason=reason.strip()[:rules.MAX_REASON_LENGTH],
        )
        db.session.add(review)
        before = {"status": submission.status, "review_id": corrected.id, "total_points": corrected.total_points}
        submission.status = decision
        db.session.flush()
        progress.recompute_row(submission.user_id, submission.module_id)
        audit.record(
            "review.correct", submission, actor=actor, before=before,
            after={"status": decision, "review_id": review.id, "scores": grade.scores,
                   "total_points": grade.total_points, "reason": review.correction_reason},
        )
        outbox = [_notify_correction(submission, review)]
    notifications.deliver(outbox)
    return review, outbox


def _notify_correction(submission: Submission, review: Review) -> OutboxMessage:
    """Tell the participant their grade was corrected, what it is now and why."""
    title = submission.assignment_snapshot.get("title", submission.module_id)
    decision = _("diterima") if review.decision == rules.ACCEPTED else _("perlu revisi")
    message = _("Penilaian tugas \"%(title)s\" dikoreksi: sekarang %(decision)s, nilai %(total)s dari %(max)s. "
                "Alasan: %(reason)s", title=title, decision=decision, total=review.total_points,
                max=review.max_points, reason=review.correction_reason)
    link = url_for("assignments.submission", submission_id=submission.id)
    return notifications.notify(submission.user, "review.corrected", message, link,
                                subject=_("Penilaian tugas Anda dikoreksi"))


def content_digest(sent: SubmissionInput) -> str:
    """Return a SHA-256 over what a form sent: link, text, kept file ids and each file's raw bytes."""
    files = []
    for upload in sent.files:
        file_hash = hashlib.sha256()
        upload.stream.seek(0)
        while chunk := upload.stream.read(uploads.CHUNK):
            file_hash.update(chunk)
        upload.stream.seek(0)
        files.append(file_hash.hexdigest())
    content = {"link": sent.link_url or "", "text": sent.text or "", "keep": sorted(sent.kept_file_ids),
               "files": files}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _same_content_or_refuse(existing: Submission, digest: str) -> SubmitResult:
    """Answer a form token seen before: the same content is a no-op, other content is refused."""
    if existing.content_digest is not None and existing.content_digest != digest:
        raise TokenReused(existing)
    return SubmitResult(existing, created=False)


def _by_token(user: User, token: str) -> Submission | None:
    """Return the version this form token already created for this user."""
    return db.session.scalar(select(Submission).where(Submission.client_token == token, Submission.user_id == user.id))


def _latest_status(user_id: int, module_id: str) -> tuple[int, str | None]:
    """Return the newest version number (0 if none) and its status."""
    row = db.session.execute(
        select(Submission.version_no, Submission.status)
        .where(Submission.user_id == user_id, Submission.module_id == module_id)
        .order_by(Submission.version_no.desc())
        .limit(1)
    ).first()
    return (row.version_no, row.status) if row else (0, None)


def _refuse_if_blocked(user_id: int, module_id: str) -> int:
    """Raise SubmissionRefused when a new version is not allowed now; return the next version number."""
    version_no, status = _latest_status(user_id, module_id)
    reason = rules.submission_block_reason(status)
    if reason is not None:
        raise SubmissionRefused(str(reason))
    return version_no + 1


def _store_files(files: list[FileStorage]) -> list[uploads.StoredFile]:
    """Check and store every file, or none: a refused file removes the ones already stored."""
    stored: list[uploads.StoredFile] = []
    try:
        for upload in files:
            stored.append(uploads.store_upload(upload.stream, upload.filename))
    except BaseException:
        uploads.remove_stored([name for item in stored for name in item.names()])
        raise
    return stored


def _insert_version(user, enrollment, module, sent, stored, digest) -> tuple[Submission, list[OutboxMessage]]:
    """Insert the version row and its files under the lock; re-check what may have changed."""
    # Locking the enrollment serialises one participant's submits on PostgreSQL.
    db.session.scalar(select(Enrollment.id).where(Enrollment.id == enrollment.id).with_for_update())
    if _by_token(user, sent.client_token) is not None:
        raise _AlreadySaved
    version_no = _refuse_if_blocked(user.id, module.id)
    submission = Submission(
        user_id=user.id, enrollment_id=enrollment.id, module_id=module.id,
        assignment_version=module.assignment.version, assignment_snapshot=module.assignment.to_dict(),
        version_no=version_no, link_url=sent.link_url or None, text=sent.text or None,
        client_token=sent.client_token, content_digest=digest, status=rules.SUBMITTED,
    )
    db.session.add(submission)
    submission.kept_files = _keepable_files(user.id, module.id, sent.kept_file_ids)
    for item in stored:
        submission.files.append(SubmissionFile(
            stored_name=item.stored_name, display_name=item.display_name, content_type=item.content_type,
            size=item.size, sha256=item.sha256, width=item.width, height=item.height,
            thumbnail_name=item.thumbnail_name,
        ))
    db.session.flush()
    audit.record("submission.create", submission, actor=user,
                 after={"module_id": module.id, "version_no": version_no, "files": len(stored),
                        "kept_file_ids": sorted(sent.kept_file_ids)})
    return submission, _notify_mentor(submission, module)


def previous_reviewed_version(versions: list[Submission], submission: Submission) -> Submission | None:
    """Return the newest version before this one that has a review (withdrawn ones have none)."""
    return next((v for v in versions if v.version_no < submission.version_no and v.reviews), None)


def keepable_files(versions: list[Submission]) -> list[SubmissionFile]:
    """Return the files a new version may keep: those the newest earlier version holds."""
    return versions[0].all_files if versions else []


def _keepable_files(user_id: int, module_id: str, file_ids: list[int]) -> list[SubmissionFile]:
    """Return the participant's own files of this assignment with these ids, or refuse a forged id."""
    if not file_ids:
        return []
    files = list(db.session.scalars(
        select(SubmissionFile).join(Submission, Submission.id == SubmissionFile.submission_id)
        .where(SubmissionFile.id.in_(set(file_ids)), Submission.user_id == user_id,
               Submission.module_id == module_id)
        .order_by(SubmissionFile.id)
    ))
    if len(files) != len(set(file_ids)):
        raise _ForgedKeep
    return files


def withdraw_submission(user: User, submission_id: int) -> Submission:
    """Take back a waiting version no mentor has opened; it stays in history with its files and text."""
    with write_transaction():
        submission = db.session.scalar(select(Submission).where(Submission.id == submission_id).with_for_update())
        if submission is None or submission.user_id != user.id:
            raise NotYours
        reason = rules.withdraw_refusal(submission.status, submission.opened_at)
        if reason is not None:
            raise WithdrawRefused(str(reason))
        submission.status, submission.withdrawn_at = rules.WITHDRAWN, utcnow()
        audit.record("submission.withdraw", submission, actor=user, before={"status": rules.SUBMITTED},
                     after={"status": rules.WITHDRAWN})
    return submission


def mark_opened(submission: Submission, mentor: User) -> None:
    """Note the first time the participant's mentor opened a waiting version (it can no longer be withdrawn).

    A conditional UPDATE, so it is written once and a withdrawal racing it wins or loses cleanly.
    """
    if submission.opened_at is not None or submission.status != rules.SUBMITTED:
        return
    with write_transaction():
        db.session.execute(
            update(Submission)
            .where(Submission.id == submission.id, Submission.opened_at.is_(None),
                   Submission.status == rules.SUBMITTED)
            .values(opened_at=utcnow())
        )


def _notify_mentor(submission: Submission, module: Module) -> list[OutboxMessage]:
    """Tell the participant's mentor that a version waits for review."""
    mentor_id = current_mentor_id(submission.enrollment_id)
    mentor = db.session.get(User, mentor_id) if mentor_id else None
    if mentor is None:
        return []
    participant = db.session.get(User, submission.user_id)
    message = _("%(name)s mengirim tugas \"%(title)s\" (versi %(version)s). Silakan dinilai.",
                name=participant.name, title=module.assignment.title, version=submission.version_no)
    link = url_for("mentor.grade", submission_id=submission.id)
    return [notifications.notify(mentor, "submission.new", message, link, subject=_("Kiriman tugas baru"))]


def _notify_participant(submission: Submission, review: Review) -> OutboxMessage:
    """Tell the participant the decision on their version."""
    title = submission.assignment_snapshot.get("title", submission.module_id)
    if review.decision == rules.ACCEPTED:
        message = _("Tugas \"%(title)s\" Anda diterima. Nilai: %(total)s dari %(max)s.",
                    title=title, total=review.total_points, max=review.max_points)
        subject = _("Tugas Anda diterima")
    else:
        message = _("Mentor meminta revisi untuk tugas \"%(title)s\". Baca masukannya lalu kirim versi baru.",
                    title=title)
        subject = _("Tugas Anda perlu revisi")
    link = url_for("assignments.submission", submission_id=submission.id)
    return notifications.notify(submission.user, f"review.{review.decision}", message, link, subject=subject)


def latest_review_outbox(submission: Submission) -> OutboxMessage | None:
    """Return the message that told the participant about the newest review, for its WhatsApp link."""
    if not submission.reviews:
        return None
    return db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.recipient_id == submission.user_id, OutboxMessage.kind.like("review.%"),
               OutboxMessage.created_at >= submission.reviews[-1].created_at)
        .order_by(OutboxMessage.id)
        .limit(1)
    )

