"""The scoring rules, tested as pure functions on hand-built questions."""

import random
from decimal import Decimal

import pytest

from lms.content.schema import Choice, Question, Quiz
from lms.quiz import scoring


def question(kind="single", qid="q", choices="ab", correct="a", partial=False, number=None, tolerance="0",
             texts=()) -> Question:
    """Build a question: choices by id, the correct ones listed in `correct`."""
    if kind == "truefalse":
        choices, correct = ("benar", "salah"), (correct,)
    return Question(
        id=qid, kind=kind, prompt_html="<p>?</p>",
        choices=tuple(Choice(id=c, html=c.upper(), correct=c in correct) for c in choices),
        partial_credit=partial, answer_bool=None,
        answer_number=None if number is None else Decimal(number), tolerance=Decimal(tolerance),
        accepted_texts=tuple(texts), explanation_html="<p>karena</p>",
    )


def credit(q, answer) -> float:
    return scoring.score_question(q, answer).credit


@pytest.mark.parametrize(("answer", "expected"), [("a", 1.0), ("b", 0.0), (None, 0.0), (["a"], 0.0), ("", 0.0)])
def test_single_choice(answer, expected):
    assert credit(question(), answer) == expected


@pytest.mark.parametrize(("answer", "expected"), [("salah", 1.0), ("benar", 0.0), (None, 0.0)])
def test_true_false(answer, expected):
    assert credit(question("truefalse", correct="salah"), answer) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(["a", "b"], 1.0), (["a"], 0.0), (["a", "b", "c"], 0.0), ([], 0.0), ("a", 0.0), (None, 0.0)],
)
def test_multiple_all_or_nothing(answer, expected):
    assert credit(question("multiple", choices="abcd", correct="ab"), answer) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (["a", "b", "c"], 1.0),
        (["a", "b"], 2 / 3),
        (["a"], 1 / 3),
        (["a", "b", "c", "d"], 2 / 3),  # a wrong tick takes one share away
        (["a", "d", "e"], 0.0),  # never below zero
        (["d"], 0.0),
        ([], 0.0),
    ],
)
def test_multiple_partial_credit(answer, expected):
    q = question("multiple", choices="abcde", correct="abc", partial=True)
    assert credit(q, answer) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("12.500", 1.0), ("12500", 1.0), ("12.509", 1.0), ("12.511", 0.0), ("Rp 12.490", 1.0), ("12,5", 0.0), ("", 0.0)],
)
def test_numeric_with_tolerance(typed, expected):
    assert credit(question("numeric", choices="", correct="", number="12500", tolerance="10"), typed) == expected


@pytest.mark.parametrize("typed", ["1,5", "1.5", "1,50", " 1,5 ", "Rp1,5"])
def test_numeric_reads_indonesian_decimals(typed):
    assert credit(question("numeric", choices="", correct="", number="1.5"), typed) == 1.0


def test_unreadable_number_scores_zero_and_says_why():
    result = scoring.score_question(question("numeric", choices="", correct="", number="3"), "tiga")
    assert result.credit == 0.0 and "ada huruf" in result.number_problem
    assert scoring.read_number("1,5,0")[1].endswith("koma hanya boleh satu (tanda desimal)")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Nomor Induk Berusaha", 1.0), ("  nomor   induk BERUSAHA ", 1.0), ("Nómor Índuk Berusaha", 1.0),
     ("nomor induk", 0.0), ("", 0.0), (None, 0.0)],
)
def test_text_ignores_case_spaces_and_accents(typed, expected):
    q = question("text", choices="", correct="", texts=("Nomor Induk Berusaha", "NIB"))
    assert credit(q, typed) == expected


def test_grade_sums_credit_and_applies_the_pass_mark():
    quiz = Quiz(
        title="Kuis", time_limit_minutes=None, max_attempts=None, version="v1",
        questions=(question(qid="satu"), question(qid="dua"), question(qid="tiga"),
                   question("multiple", qid="empat", choices="abc", correct="ab", partial=True)),
    )
    graded = scoring.grade(quiz, {"satu": "a", "dua": "a", "tiga": "b", "empat": ["a"]}, pass_mark=70)
    assert graded.points == 2.5 and graded.max_points == 4 and graded.score == 62.5 and not graded.passed
    assert scoring.grade(quiz, {"satu": "a", "dua": "a", "tiga": "a"}, pass_mark=75).passed
    assert scoring.grade(quiz, {}, pass_mark=0).score == 0.0
    assert graded.of("empat").credit == 0.5


def test_shuffle_keeps_every_choice_and_leaves_true_false_alone():
    quiz = Quiz(title="K", time_limit_minutes=None, max_attempts=None, version="v",
                questions=(question(qid="p", choices="abcdef", correct="a"), question("truefalse", qid="bs")))
    order = scoring.shuffled_choice_order(quiz, random.Random(4).shuffle)  # noqa: S311 - a repeatable test order
    assert sorted(order["p"]) == list("abcdef") and order["p"] != list("abcdef")
    assert order["bs"] == ["benar", "salah"]


def test_attempts_left_and_best_score():
    assert scoring.attempts_left(3, 1) == 2 and scoring.attempts_left(3, 5) == 0
    assert scoring.attempts_left(None, 9) is None
    assert scoring.best_score([40.0, None, 85.5, 70.0]) == 85.5 and scoring.best_score([]) is None


@pytest.mark.parametrize(("value", "text"), [("12500", "12.500"), ("1.25", "1,25"), ("-3", "-3"), ("0.050", "0,05")])
def test_numbers_are_written_the_indonesian_way(value, text):
    assert scoring.format_decimal(Decimal(value)) == text
