"""Demo quiz attempts for the "FTD Demo" cohort (called by lms.seed; safe to run again).

Participants 5–10 get graded attempts on the first modules, some passed and some
failed, and participant 10 an open attempt with a saved draft. Participants 1–4
are left alone: the certificates demo owns their completion data.
"""

from __future__ import annotations

from sqlalchemy import select

from lms.content.schema import Question, Quiz
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import Cohort, Enrollment, QuizAttempt, Role, User
from lms.quiz import operations
from lms.quiz.forms import PostedAnswers
from lms.quiz.scoring import format_decimal

# (participant number, module position in the course, share of questions answered right)
GRADED = [
    (5, 0, 1.0), (5, 1, 0.8), (5, 2, 0.5),
    (6, 0, 0.9), (6, 1, 0.4), (6, 1, 0.85),
    (7, 0, 0.6), (7, 0, 1.0),
    (8, 0, 0.75), (8, 1, 1.0), (8, 2, 0.9),
    (9, 0, 0.3),
    (10, 0, 1.0), (10, 1, 0.7),
]
OPEN = (10, 2, 0.5)  # started, half answered, not sent
# Participant 9 failed the first quiz; staff gave one more attempt (see the staff person page).
GRANT = (9, 0, 1, "Sinyal putus di tengah kuis (demo)")


def seed_demo(cohort: Cohort) -> None:
    """Give participants 5–10 of the demo cohort a few quiz attempts, once."""
    content = get_content()
    course = content.course(cohort.course_id)
    if course is None:
        return
    modules = content.course_modules(course)
    participants = demo_participants(cohort)
    if not participants or demo_already_seeded([u.id for u in participants.values()]):
        return
    for number, position, share in GRADED:
        user, module = participants.get(number), modules[position]
        if user is not None and module.quiz is not None:
            attempt = operations.start_attempt(user, course, module)
            answers = sample_answers(module.quiz, share)
            operations.submit_attempt(attempt.id, user, PostedAnswers(answers, attempt.draft_seq + 1), course.pass_mark)
    number, position, share = OPEN
    user, module = participants.get(number), modules[position]
    if user is not None and module.quiz is not None:
        attempt = operations.start_attempt(user, course, module)
        draft = dict(list(sample_answers(module.quiz, share).items())[: len(module.quiz.questions) // 2])
        operations.save_draft(attempt, user, PostedAnswers(draft, 1), course.pass_mark)
    number, position, extra, reason = GRANT
    user, module = participants.get(number), modules[position]
    staff = db.session.scalar(select(User).where(User.role == Role.STAFF).order_by(User.id).limit(1))
    if user is not None and staff is not None and module.quiz is not None and module.quiz.max_attempts:
        operations.grant_extra_attempts(user, module.id, extra, reason, staff)


def demo_participants(cohort: Cohort) -> dict[int, User]:
    """Return demo participants 5–10 by their number, found by their demo phone."""
    from lms.phone import normalize_phone
    from lms.seed import participant_phone

    phones = {normalize_phone(participant_phone(n)): n for n in range(5, 11)}
    users = db.session.scalars(
        select(User).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id == cohort.id, User.phone.in_(phones))
    ).all()
    return {phones[user.phone]: user for user in users}


def demo_already_seeded(user_ids: list[int]) -> bool:
    """Tell whether these participants already have quiz attempts (the seed ran before)."""
    return db.session.scalar(select(QuizAttempt.id).where(QuizAttempt.user_id.in_(user_ids)).limit(1)) is not None


def sample_answers(quiz: Quiz, share: float) -> dict[str, object]:
    """Answer the first `share` of the questions right and the rest wrong."""
    right_count = round(share * len(quiz.questions))
    return {
        question.id: right_answer(question) if index < right_count else wrong_answer(question)
        for index, question in enumerate(quiz.questions)
    }


def right_answer(question: Question) -> object:
    """Return the answer a participant who knows would post."""
    if question.kind == "multiple":
        return sorted(question.correct_choice_ids)
    if question.kind in ("single", "truefalse"):
        return next(iter(question.correct_choice_ids))
    if question.kind == "numeric":
        return format_decimal(question.answer_number)
    return question.accepted_texts[0]


def wrong_answer(question: Question) -> object:
    """Return a plausible wrong answer."""
    wrong = sorted(c.id for c in question.choices if not c.correct)
    if question.kind == "multiple":
        return wrong[:1] or []
    if question.kind in ("single", "truefalse"):
        return wrong[0] if wrong else None
    if question.kind == "numeric":
        return format_decimal(question.answer_number * 2 + 1)
    return "tidak tahu"
