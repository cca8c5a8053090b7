"""Writes of the quiz area: start an attempt, save its draft, grade it exactly once.

Every write runs in `queued_write_transaction()` (on SQLite: BEGIN IMMEDIATE after a
turn in the writers' queue, so under a burst writers wait in order instead of failing
with "database is locked" after the busy timeout) and locks the attempt row with
SELECT … FOR UPDATE (PostgreSQL), so two tabs, a double click or a retried request are
serialised. Grading also claims the attempt with a conditional
UPDATE … WHERE submitted_at IS NULL: only the request that flips it grades.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from lms import audit, progress
from lms.content.schema import Course, Module
from lms.database import queued_write_transaction
from lms.extensions import db
from lms.models import QuizAnswer, QuizAttempt, QuizAttemptGrant, User, utcnow
from lms.quiz import scoring
from lms.quiz.forms import PostedAnswers
from lms.quiz.versions import ensure_quiz_version, quiz_for_version


class QuizRefused(Exception):
    """A request the rules do not allow; the message tells the participant why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SubmitReplayRefused(QuizRefused):
    """A submit that reuses an idempotency key with other answers: refused like a tampered form."""


@dataclass(frozen=True)
class SaveOutcome:
    status: str  # saved | stale | submitted | expired
    seq: int  # the draft sequence number now stored


@dataclass(frozen=True)
class SubmitOutcome:
    attempt: QuizAttempt
    graded_now: bool  # False: an earlier request had already graded it
    late: bool  # the deadline had passed, so posted answers were not taken


def attempts_of(user: User, module_id: str) -> list[QuizAttempt]:
    """Return a participant's attempts at one module's quiz, oldest first."""
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.user_id == user.id, QuizAttempt.module_id == module_id)
            .order_by(QuizAttempt.number)
        )
    )


def open_attempt_of(user: User, module_id: str) -> QuizAttempt | None:
    """Return the participant's unsubmitted attempt at a module's quiz, if any."""
    return db.session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.user_id == user.id, QuizAttempt.module_id == module_id, QuizAttempt.submitted_at.is_(None)
        )
    )


def extra_attempts(user_id: int, module_id: str) -> int:
    """Return how many extra attempts staff and mentors granted a participant at one module's quiz."""
    return db.session.scalar(
        select(func.coalesce(func.sum(QuizAttemptGrant.extra), 0)).where(
            QuizAttemptGrant.user_id == user_id, QuizAttemptGrant.module_id == module_id)
    )


def attempt_limit(max_attempts: int | None, user_id: int, module_id: str) -> int | None:
    """Return a participant's attempt limit at a quiz: maks_percobaan plus grants (None: unlimited)."""
    if max_attempts is None:
        return None
    return max_attempts + extra_attempts(user_id, module_id)


def grant_extra_attempts(participant: User, module_id: str, extra: int, reason: str, granted_by: User,
                         now: datetime | None = None) -> QuizAttemptGrant:
    """Give a participant ``extra`` more attempts at a module's quiz, with the reason, and audit it."""
    with queued_write_transaction():
        before = extra_attempts(participant.id, module_id)
        grant = QuizAttemptGrant(user_id=participant.id, module_id=module_id, extra=extra, reason=reason,
                                 granted_by_id=granted_by.id, created_at=now or utcnow())
        db.session.add(grant)
        db.session.flush()
        audit.record("quiz.attempts_granted", grant, actor=granted_by, reason=reason,
                     before={"extra_total": before},
                     after={"participant_id": participant.id, "module_id": module_id, "extra": extra,
                            "extra_total": before + extra})
    return grant
def grace_for(course_id: str) -> timedelta:
    """Return how long after the time limit answers kept on a phone offline are still taken, for a course."""
    by_course = current_app.config.get("OFFLINE_QUIZ_GRACE_BY_COURSE") or {}
    minutes = by_course.get(course_id, current_app.config.get("OFFLINE_QUIZ_GRACE_MINUTES", 0))
    return timedelta(minutes=minutes)


def is_expired(attempt: QuizAttempt, now: datetime | None = None) -> bool:
    """Tell whether an open attempt's time limit, plus the course's offline grace period, has run out."""
    if attempt.deadline_at is None:
        return False
    return (now or utcnow()) >= attempt.deadline_at + grace_for(attempt.course_id)


def answers_digest(posted: PostedAnswers | None) -> str:
    """Return a digest of the answers one submit carries, to tell a true replay from a changed one."""
    answers = posted.answers if posted is not None else {}
    return hashlib.sha256(json.dumps(answers, sort_keys=True).encode()).hexdigest()


def start_attempt(user: User, course: Course, module: Module, now: datetime | None = None) -> QuizAttempt:
    """Start a new attempt, or return the open one (a double click starts only one)."""
    now = now or utcnow()
    quiz = module.quiz
    version_id = ensure_quiz_version(module.id, quiz)
    overdue = open_attempt_of(user, module.id)
    if overdue is not None:
        # Graded in its own transaction, so a refusal below cannot undo it.
        expire_if_overdue(overdue, course.pass_mark, now)
    # Prepared before the write lock is taken, to hold it briefly.
    choice_order = scoring.shuffled_choice_order(quiz)
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    user_id = user.id  # read now: the transaction's first commit expires the user (reading it after costs a query)
    try:
        with queued_write_transaction():
            current = _lock_open_attempt(user_id, module.id)
            if current is not None:
                return current
            used = db.session.scalar(
                select(func.coalesce(func.max(QuizAttempt.number), 0)).where(
                    QuizAttempt.user_id == user_id, QuizAttempt.module_id == module.id
                )
            )
            limit = attempt_limit(quiz.max_attempts, user_id, module.id)
            if limit is not None and used >= limit:
                raise QuizRefused(
                    _("Anda sudah memakai semua %(max)s percobaan untuk kuis ini. Nilai terbaik Anda yang dihitung. "
                      "Jika Anda perlu mencoba lagi, hubungi mentor Anda: mentor atau staf bisa menambah percobaan.",
                      max=limit)
                )
            attempt = QuizAttempt(
                user_id=user_id, course_id=course.id, module_id=module.id, quiz_version_id=version_id,
                number=used + 1, choice_order=choice_order, draft_answers={}, draft_seq=0, started_at=now,
                deadline_at=deadline,
            )
            db.session.add(attempt)
            db.session.flush()
            audit.record("quiz.started", attempt, actor=user, after={"module_id": module.id, "number": attempt.number})
    except IntegrityError:
        # Another request of the same participant started one at the same moment (PostgreSQL).
        current = open_attempt_of(user, module.id)
        if current is None:
            raise
        return current
    return attempt


def save_draft(attempt: QuizAttempt, user: User, posted: PostedAnswers, pass_mark: int,
               now: datetime | None = None) -> SaveOutcome:
    """Merge posted answers into the draft unless they are older than what is stored."""
    now = now or utcnow()
    if attempt.user_id != user.id:
        raise LookupError(attempt.id)
    # Sequence numbers only grow and a graded attempt stays graded, so what the caller
    # read moments ago is enough to answer these two without the write lock.
    if attempt.submitted_at is not None:
        return SaveOutcome("submitted", attempt.draft_seq)
    if posted.seq is None or posted.seq <= attempt.draft_seq:
        return _replayed_or_stale(attempt, posted)
    attempt_id, user_id = attempt.id, user.id  # read now: the transaction's first commit expires both objects
    with queued_write_transaction():
        attempt = _lock_attempt(attempt_id, user_id)
        if attempt.submitted_at is not None:
            return SaveOutcome("submitted", attempt.draft_seq)
        if is_expired(attempt, now):
            _grade_locked(attempt, None, pass_mark, now, actor=user)
            return SaveOutcome("expired", attempt.draft_seq)
        if posted.seq is None or posted.seq <= attempt.draft_seq:
            return _replayed_or_stale(attempt, posted)
        # A new dict, so the JSON column is seen as changed.
        attempt.draft_answers = {**(attempt.draft_answers or {}), **posted.answers}
        attempt.draft_seq = posted.seq
        return SaveOutcome("saved", posted.seq)


def _replayed_or_stale(attempt: QuizAttempt, posted: PostedAnswers) -> SaveOutcome:
    """Answer a save whose number is not newer: "saved" if it is the stored save sent again, else "stale".

    A save whose reply was lost (a dropped connection, a killed process) and is sent again
    with the same number and answers was stored: telling the sender it was refused would
    make it show answers as unsaved that are safe.
    """
    draft = attempt.draft_answers or {}
    if posted.seq == attempt.draft_seq and all(draft.get(q) == a for q, a in posted.answers.items()):
        return SaveOutcome("saved", attempt.draft_seq)
    return SaveOutcome("stale", attempt.draft_seq)


def submit_attempt(attempt_id: int, user: User, posted: PostedAnswers | None, pass_mark: int,
                   now: datetime | None = None, key: str | None = None) -> SubmitOutcome:
    """Grade an attempt once; later calls return the same graded attempt.

    Answers posted with the submit are merged first, unless the deadline (plus the
    offline grace period) has passed, then the draft as saved before it is graded and
    the posted answers are kept as late answers, or they are stale. A submit with an
    idempotency `key` (queued on the phone) replayed with the same answers gets the
    same result; replayed with other answers it is refused.
    """
    now = now or utcnow()
    digest = answers_digest(posted) if key else None
    user_id = user.id  # read now: the transaction's first commit expires the user (reading it after costs a query)
    with queued_write_transaction():
        attempt = _lock_attempt(attempt_id, user_id)
        if attempt.submitted_at is not None:
            if key is not None and attempt.submit_key == key:
                if attempt.submit_digest != digest:
                    raise SubmitReplayRefused(
                        _("Kiriman ini memakai kunci kiriman yang sudah dipakai, dengan jawaban lain. Tidak diterima."))
                return SubmitOutcome(attempt, graded_now=False, late=False)
            if key is not None and posted is not None and not posted.is_empty:
                _keep_late_answers(attempt, posted, now, user)
            return SubmitOutcome(attempt, graded_now=False, late=False)
        late = is_expired(attempt, now)
        if late and posted is not None and not posted.is_empty:
            _keep_late_answers(attempt, posted, now, user)
        if posted is not None and not posted.is_empty and not late:
            if (posted.seq is None or posted.seq <= attempt.draft_seq) and not _same_as_draft(attempt, posted):
                raise QuizRefused(
                    _("Jawaban di halaman ini lebih lama daripada yang tersimpan (mungkin dari tab atau ponsel lain). "
                      "Periksa jawaban Anda, lalu kirim lagi.")
                )
        else:
            posted = None
        graded = _grade_locked(attempt, posted, pass_mark, now, actor=user, key=key, digest=digest)
    return SubmitOutcome(attempt, graded_now=graded, late=late)


def _same_as_draft(attempt: QuizAttempt, posted: PostedAnswers) -> bool:
    """Tell whether every posted answer is already the stored draft's: an older number, but nothing newer lost.

    A phone's last autosave can reach the server while the page is going away, before the
    phone has noted that number (a reload with a weak signal); its queued submit then carries
    the same answers under an older number. That is no conflict, so it is graded.
    """
    draft = attempt.draft_answers or {}
    return all(draft.get(question_id) == answer for question_id, answer in posted.answers.items())


def _keep_late_answers(attempt: QuizAttempt, posted: PostedAnswers, now: datetime, user: User) -> None:
    """Keep answers that arrived after grading (never graded), so the participant and staff can see them."""
    attempt.late_answers = dict(posted.answers)
    attempt.late_received_at = now
    audit.record("quiz.late_answers_kept", attempt, actor=user,
                 after={"module_id": attempt.module_id, "number": attempt.number, "questions": len(posted.answers)})


def expire_if_overdue(attempt: QuizAttempt, pass_mark: int, now: datetime | None = None) -> bool:
    """Grade an open attempt whose time ran out, from the draft saved before the deadline."""
    now = now or utcnow()
    if attempt.submitted_at is not None or not is_expired(attempt, now):
        return False
    with queued_write_transaction():
        locked = _lock_attempt(attempt.id, attempt.user_id)
        if locked.submitted_at is None:
            _grade_locked(locked, None, pass_mark, now, actor=None)
    return True


def _lock_attempt(attempt_id: int, user_id: int) -> QuizAttempt:
    """Load an attempt of this user afresh, locking its row; LookupError if it is not theirs."""
    attempt = db.session.scalar(
        select(QuizAttempt)
        .where(QuizAttempt.id == attempt_id, QuizAttempt.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if attempt is None:
        raise LookupError(attempt_id)
    return attempt


def _lock_open_attempt(user_id: int, module_id: str) -> QuizAttempt | None:
    """Load and lock the open attempt of a user at a module's quiz."""
    return db.session.scalar(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id, QuizAttempt.submitted_at.is_(None))
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _grade_locked(attempt: QuizAttempt, posted: PostedAnswers | None, pass_mark: int, now: datetime,
                  actor: User | None, key: str | None = None, digest: str | None = None) -> bool:
    """Grade a locked open attempt inside the caller's transaction; return False if already graded."""
    answers = dict(attempt.draft_answers or {})
    seq = attempt.draft_seq
    if posted is not None:
        answers.update(posted.answers)
        seq = max(seq, posted.seq or seq)
    late = is_expired(attempt, now)
    quiz = quiz_for_version(attempt.quiz_version_id)
    result = scoring.grade(quiz, answers, pass_mark)
    claimed = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(
            submitted_at=attempt.deadline_at if late else now, auto_submitted=late, draft_answers=answers,
            draft_seq=seq, points=result.points, max_points=result.max_points, score=result.score,
            passed=result.passed, submit_key=key, submit_digest=digest,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    progress.record_quiz_score(attempt.user_id, attempt.module_id, result.score)
    # One executemany keeps the write lock short; the attempt object is reloaded after the commit.
    db.session.execute(insert(QuizAnswer), [
        {"attempt_id": attempt.id, "question_id": item.question_id, "answer": answers.get(item.question_id),
         "credit": item.credit}
        for item in result.results
    ])
    audit.record("quiz.graded", attempt, actor=actor,
                 after={"module_id": attempt.module_id, "number": attempt.number, "score": result.score,
                        "passed": result.passed, "auto_submitted": late})
    return True
