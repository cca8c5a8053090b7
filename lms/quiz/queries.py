"""Read-only queries and page data of the quiz area."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from lms.content.schema import Course, Module, Quiz
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import Enrollment, MentorAllocation, QuizAttempt, QuizAttemptGrant, User, utcnow
from lms.quiz import operations, scoring

# Used only if an attempt's course has since been removed from courses/.
FALLBACK_PASS_MARK = 70


@dataclass(frozen=True)
class QuizStatus:
    """Where one participant stands with one module's quiz."""

    attempts: tuple[QuizAttempt, ...]
    open_attempt: QuizAttempt | None
    best_score: float | None
    passed: bool
    attempts_left: int | None  # None: unlimited
    pass_mark: int
    extra_attempts: int = 0  # granted by staff or a mentor, on top of maks_percobaan

    @property
    def submitted(self) -> tuple[QuizAttempt, ...]:
        return tuple(a for a in self.attempts if a.submitted_at is not None)

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and (self.attempts_left is None or self.attempts_left > 0)


def pass_mark_for(course_id: str) -> int:
    """Return the course manifest's pass mark for its quizzes."""
    course = get_content().course(course_id)
    return course.pass_mark if course is not None else FALLBACK_PASS_MARK


def quiz_status(user: User, course: Course, module: Module, expire: bool = False) -> QuizStatus:
    """Return a participant's attempts, best score and what they may do next."""
    attempts = operations.attempts_of(user, module.id) if user.is_participant else []
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    if expire and open_attempt is not None and operations.expire_if_overdue(open_attempt, course.pass_mark):
        attempts, open_attempt = operations.attempts_of(user, module.id), None
    best = scoring.best_score(a.score for a in attempts if a.submitted_at is not None)
    extra = operations.extra_attempts(user.id, module.id) if user.is_participant else 0  # one query, used twice
    limit = None if module.quiz.max_attempts is None else module.quiz.max_attempts + extra
    return QuizStatus(
        attempts=tuple(attempts),
        open_attempt=open_attempt,
        best_score=best,
        passed=best is not None and best >= course.pass_mark,
        attempts_left=scoring.attempts_left(limit, len(attempts)),
        pass_mark=course.pass_mark,
        extra_attempts=extra,
    )


def may_see_attempts_of(viewer: User, participant_id: int) -> bool:
    """Tell whether a user may see a participant's attempts: the participant, their mentor, staff."""
    if viewer.id == participant_id or viewer.is_staff:
        return True
    if not viewer.is_mentor:
        return False
    return db.session.scalar(
        select(MentorAllocation.id)
        .join(Enrollment, Enrollment.id == MentorAllocation.enrollment_id)
        .where(Enrollment.user_id == participant_id, MentorAllocation.mentor_id == viewer.id,
               MentorAllocation.ended_at.is_(None))
        .limit(1)
    ) is not None


def enrollment_visible_to(viewer: User, enrollment_id: int) -> Enrollment | None:
    """Return an enrollment staff may see, or one the mentor follows now; None otherwise."""
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or viewer.is_staff:
        return enrollment
    followed = db.session.scalar(
        select(MentorAllocation.id).where(
            MentorAllocation.enrollment_id == enrollment_id, MentorAllocation.mentor_id == viewer.id,
            MentorAllocation.ended_at.is_(None),
        )
    )
    return enrollment if followed is not None and viewer.is_mentor else None


def participant_quiz_rows(enrollment: Enrollment) -> dict:
    """Return the course, and per quiz module its attempts and best score, for one participant."""
    content = get_content()
    course = content.course(enrollment.cohort.course_id)
    modules = [m for m in content.course_modules(course) if m.quiz is not None] if course else []
    attempts = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == enrollment.user_id).order_by(QuizAttempt.number)
    ).all()
    grants = grants_of(enrollment.user_id)
    rows = []
    for module in modules:
        own = [a for a in attempts if a.module_id == module.id]
        best = scoring.best_score(a.score for a in own if a.submitted_at is not None)
        own_grants = [g for g in grants if g.module_id == module.id]
        limit = module.quiz.max_attempts
        if limit is not None:
            limit += sum(g.extra for g in own_grants)
        rows.append({"module": module, "attempts": own, "best": best,
                     "passed": best is not None and best >= course.pass_mark,
                     "grants": own_grants, "limit": limit,
                     "left": scoring.attempts_left(limit, len(own))})
    return {"course": course, "rows": rows}


def grants_of(user_id: int) -> list[QuizAttemptGrant]:
    """Return the extra attempts granted to a participant, newest first."""
    return list(db.session.scalars(
        select(QuizAttemptGrant).where(QuizAttemptGrant.user_id == user_id)
        .order_by(QuizAttemptGrant.created_at.desc(), QuizAttemptGrant.id.desc())
    ))


def module_title(module_id: str) -> str:
    """Return a module's current title, or its id if it is gone."""
    module = get_content().modules.get(module_id)
    return module.title if module else module_id


def save_message(status: str) -> str:
    """Say what happened to an autosave or a "Simpan jawaban"."""
    return {
        "saved": _("Jawaban tersimpan."),
        "stale": _("Jawaban ini lebih lama daripada yang sudah tersimpan (mungkin dari tab atau ponsel lain), "
                   "jadi tidak dipakai. Periksa jawaban Anda, lalu simpan lagi."),
        "submitted": _("Kuis ini sudah dikirim dan dinilai."),
        "expired": _("Waktu sudah habis. Jawaban yang tersimpan sebelum batas waktu sudah dikirim dan dinilai."),
    }[status]


def number_problems(quiz: Quiz, answers: dict) -> dict[str, str]:
    """Return question id → why a typed number cannot be read (it is kept, but scores 0 if sent so)."""
    return scoring.number_problems(quiz, answers)


def number_readings(quiz: Quiz, answers: dict) -> dict[str, str]:
    """Return question id → "dibaca sebagai 1.200" for numbers whose dot may have been meant as a comma."""
    return {question_id: _("Dibaca sebagai %(number)s.", number=scoring.format_decimal(value))
            for question_id, value in scoring.ambiguous_numbers(quiz, answers).items()}


def quiz_page_context(attempt: QuizAttempt, quiz: Quiz, posted_answers: dict | None) -> dict:
    """Return what the one-page quiz shows: questions in the stored choice order and the draft."""
    answers = {**(attempt.draft_answers or {}), **(posted_answers or {})}
    remaining = None
    if attempt.deadline_at is not None:
        remaining = max(int((attempt.deadline_at - utcnow()).total_seconds()), 0)
    return {
        "attempt": attempt,
        "quiz": quiz,
        "module_title": module_title(attempt.module_id),
        "answers": answers,
        "choices": ordered_choices(attempt, quiz),
        "problems": scoring.number_problems(quiz, answers),
        "readings": number_readings(quiz, answers),
        "next_seq": attempt.draft_seq + 1,
        "remaining_seconds": remaining,
    }


SHORT_PROMPT_CHARS = 80


def short_prompt(question) -> str:
    """Return a question's heading (or prompt) as plain text of at most about 80 characters."""
    html = question.title_html or question.prompt_html
    text = " ".join(Markup(html).striptags().split())  # noqa: S704 - sanitized content, only turned into text
    if len(text) <= SHORT_PROMPT_CHARS:
        return text
    return text[:SHORT_PROMPT_CHARS].rsplit(" ", 1)[0] + "…"


def confirm_context(attempt: QuizAttempt, quiz: Quiz) -> dict:
    """Return what the "send now?" step shows, from the saved draft: empty questions and numbers to check."""
    answers = attempt.draft_answers or {}
    unanswered = scoring.unanswered_questions(quiz, answers)
    problems = scoring.number_problems(quiz, answers)
    ambiguous = scoring.ambiguous_numbers(quiz, answers)
    numbers = []
    for number, question in enumerate(quiz.questions, start=1):
        if question.id in problems or question.id in ambiguous:
            numbers.append({
                "number": number, "id": question.id, "text": short_prompt(question),
                "typed": answers.get(question.id),
                "read_as": scoring.format_decimal(ambiguous[question.id]) if question.id in ambiguous else None,
                "problem": problems.get(question.id),
            })
    return {
        "attempt": attempt,
        "quiz": quiz,
        "module_title": module_title(attempt.module_id),
        "unanswered": [{"number": number, "id": question.id, "text": short_prompt(question)}
                       for number, question in unanswered],
        "numbers": numbers,
        "next_seq": attempt.draft_seq + 1,
    }


def ordered_choices(attempt: QuizAttempt, quiz: Quiz) -> dict[str, list]:
    """Return question id → its choices in the order this attempt showed them."""
    ordered = {}
    for question in quiz.questions:
        by_id = {choice.id: choice for choice in question.choices}
        order = [cid for cid in (attempt.choice_order or {}).get(question.id, []) if cid in by_id]
        order += [cid for cid in by_id if cid not in order]
        ordered[question.id] = [by_id[cid] for cid in order]
    return ordered


def result_context(attempt: QuizAttempt, quiz: Quiz) -> dict:
    """Return what a result page shows, all from the attempt's snapshot and graded answers."""
    graded = {answer.question_id: answer for answer in attempt.answers}
    items = []
    for question in quiz.questions:
        row = graded.get(question.id)
        answer = row.answer if row else None
        items.append({
            "question": question,
            "answer": answer,
            "chosen": set(answer) if isinstance(answer, list) else {answer},
            "credit": row.credit if row else 0.0,
            "problem": scoring.score_question(question, answer).number_problem,
            "correct_text": scoring.correct_answer_text(question),
        })
    return {
        "attempt": attempt,
        "quiz": quiz,
        "items": items,
        "choices": ordered_choices(attempt, quiz),
        "module_title": module_title(attempt.module_id),
        "pass_mark": pass_mark_for(attempt.course_id),
        "course_id": attempt.course_id,
    }


def open_attempts_of(user: User) -> list[dict]:
    """Return the participant's unsubmitted attempts with their module titles, for the home page."""
    attempts = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_(None))
        .order_by(QuizAttempt.started_at)
    ).all()
    return [{"attempt": a, "module_title": module_title(a.module_id)} for a in attempts]
