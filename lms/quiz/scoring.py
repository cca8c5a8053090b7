"""Scoring rules: pure functions of a quiz snapshot and the answers given.

Answers are stored as JSON in the form the quiz page sends them:

* ``single`` and ``truefalse``: the chosen choice id ("b", "benar"), or None;
* ``multiple``: a sorted list of choice ids (possibly empty);
* ``numeric`` and ``text``: the text as typed, so a number that cannot be read
  is kept as written and explained, not thrown away.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from lms.content.numbers import TypedNumber, is_ambiguous_reading, read_typed_number
from lms.content.quizparse import normalize_text_answer
from lms.content.schema import Question, Quiz

# Kinds whose choices are shuffled per attempt; "benar"/"salah" keep their natural order.
SHUFFLED_KINDS = ("single", "multiple")


@dataclass(frozen=True)
class QuestionResult:
    """The credit one answer earned (0.0–1.0), and why a numeric answer could not be read."""

    question_id: str
    credit: float
    number_problem: str | None = None


@dataclass(frozen=True)
class Grade:
    """The outcome of a whole attempt."""

    results: tuple[QuestionResult, ...]
    points: float
    max_points: int
    score: float  # percent, 0–100
    passed: bool

    def of(self, question_id: str) -> QuestionResult | None:
        """Return the result of one question."""
        return next((r for r in self.results if r.question_id == question_id), None)


def shuffled_choice_order(quiz: Quiz, shuffle=None) -> dict[str, list[str]]:
    """Return question id → choice ids in a fresh random order for a new attempt."""
    shuffle = shuffle or secrets.SystemRandom().shuffle
    order = {}
    for question in quiz.questions:
        ids = [choice.id for choice in question.choices]
        if question.kind in SHUFFLED_KINDS:
            shuffle(ids)
        order[question.id] = ids
    return order


def is_answered(answer) -> bool:
    """Tell whether a stored answer says anything (an empty tick set or blank text does not)."""
    return answer not in (None, "", [])


def unanswered_questions(quiz: Quiz, answers: Mapping[str, object]) -> list[tuple[int, Question]]:
    """Return (number on the page, question) for every question the answers leave empty."""
    return [(number, question) for number, question in enumerate(quiz.questions, start=1)
            if not is_answered(answers.get(question.id))]


def read_number(text: str | None, unit: str | None = None) -> tuple[Decimal | None, str | None]:
    """Parse a typed number in the question's unit; return (value, None) or (None, why it cannot be read)."""
    reading, problem = read_answer(text, unit)
    return (reading.value if reading else None), problem


def read_answer(text: str | None, unit: str | None = None) -> tuple[TypedNumber | None, str | None]:
    """Read a typed number ("1,5 juta", "300%", "1,5 kg") in the question's unit, or say why not."""
    if text is None or not str(text).strip():
        return None, None
    try:
        return read_typed_number(str(text), unit), None
    except ValueError as error:
        return None, str(error)


def number_problems(quiz: Quiz, answers: Mapping[str, object]) -> dict[str, str]:
    """Return question id → why a typed number cannot be read, for the numeric answers given."""
    problems = {}
    for question in quiz.questions:
        answer = answers.get(question.id)
        if question.kind == "numeric" and isinstance(answer, str):
            _, problem = read_number(answer, question.unit)
            if problem:
                problems[question.id] = problem
    return problems


def ambiguous_numbers(quiz: Quiz, answers: Mapping[str, object]) -> dict[str, Decimal]:
    """Return question id → the value read, for numeric answers like "1.200" where 1,2 may have been meant."""
    found = {}
    for question in quiz.questions:
        answer = answers.get(question.id)
        if question.kind != "numeric" or not isinstance(answer, str):
            continue
        reading, _ = read_answer(answer, question.unit)
        if reading and is_ambiguous_reading(reading, question.answer_number, question.tolerance):
            found[question.id] = reading.value
    return found


def score_question(question: Question, answer) -> QuestionResult:
    """Return the credit an answer earns on one question."""
    if question.kind == "numeric":
        value, problem = read_number(answer if isinstance(answer, str) else None, question.unit)
        credit = value is not None and abs(value - question.answer_number) <= question.tolerance
        return QuestionResult(question.id, 1.0 if credit else 0.0, problem)
    if question.kind == "text":
        return QuestionResult(question.id, 1.0 if text_matches(question, answer) else 0.0)
    if question.kind == "multiple":
        return QuestionResult(question.id, float(multiple_credit(question, answer)))
    # single and truefalse: one choice id
    correct = isinstance(answer, str) and answer in question.correct_choice_ids
    return QuestionResult(question.id, 1.0 if correct else 0.0)


def text_matches(question: Question, answer) -> bool:
    """Tell whether an isian answer equals an accepted one, ignoring case, spaces, accents and punctuation."""
    if not isinstance(answer, str) or not answer.strip():
        return False
    accepted = {normalize_text_answer(text) for text in question.accepted_texts}
    return normalize_text_answer(answer) in accepted


def multiple_credit(question: Question, answer) -> Fraction:
    """Score a ganda answer: all-or-nothing, or a share per correct tick minus a share per wrong tick."""
    ticked = set(answer) if isinstance(answer, list) else set()
    correct = question.correct_choice_ids
    if not question.partial_credit:
        return Fraction(1) if ticked == correct else Fraction(0)
    share = Fraction(1, len(correct))
    earned = share * len(ticked & correct) - share * len(ticked - correct)
    return max(earned, Fraction(0))


def grade(quiz: Quiz, answers: Mapping[str, object], pass_mark: int) -> Grade:
    """Grade every question of a quiz against the answers; unanswered questions earn nothing."""
    results = tuple(score_question(question, answers.get(question.id)) for question in quiz.questions)
    points = sum(result.credit for result in results)
    max_points = len(quiz.questions)
    score = round(100 * points / max_points, 2) if max_points else 0.0
    return Grade(results=results, points=round(points, 4), max_points=max_points, score=score,
                 passed=score >= pass_mark)


def attempts_left(max_attempts: int | None, used: int) -> int | None:
    """Return how many attempts remain (None when unlimited)."""
    if max_attempts is None:
        return None
    return max(max_attempts - used, 0)


def best_score(scores: Iterable[float | None]) -> float | None:
    """Return the best of the submitted scores: the one that counts."""
    present = [score for score in scores if score is not None]
    return max(present) if present else None


def correct_answer_text(question: Question) -> str:
    """Return a plain description of the right answer for numeric and isian questions."""
    if question.kind == "numeric":
        number = with_unit(format_decimal(question.answer_number), question.unit)
        if question.tolerance:
            return f"{number} (± {format_decimal(question.tolerance)})"
        return number
    if question.kind == "text":
        return " / ".join(question.accepted_texts)
    return ""


# How a number is written with its declared unit: "Rp 750", "15%", "3 kali", "1,5 kg".
_UNIT_FORMATS = {"rupiah": "Rp {}", "persen": "{}%", "kali": "{} kali", "kg": "{} kg", "gram": "{} gram",
                 "piksel": "{} piksel", "bintang": "{} bintang"}


def with_unit(number: str, unit: str | None) -> str:
    """Write a formatted number with the question's unit, if it has one."""
    return _UNIT_FORMATS.get(unit or "", "{}").format(number)


def format_decimal(value: Decimal | None) -> str:
    """Write a number the Indonesian way: 12.500 and 1,25."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    text = format(abs(value).normalize(), "f")
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def format_score(value) -> str:
    """Show a score or point total the Indonesian way, at most two decimals: 66,67 (the `nilai` filter)."""
    if value is None:
        return "–"
    return format_decimal(Decimal(str(round(float(value), 2))))
