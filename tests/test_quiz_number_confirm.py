"""The confirm step shows how an ambiguous or unreadable number was read before anything is graded."""

from decimal import Decimal

from lms.quiz.demo import right_answer
from lms.quiz.scoring import format_decimal
from lms.quiz.versions import quiz_for_version
from tests.conftest import login
from tests.test_quiz import form_for, refreshed, start


def decimal_question(quiz):
    """Return a numeric question whose answer has a decimal part (1,2 and the like)."""
    return next(q for q in quiz.questions if q.kind == "numeric" and q.answer_number % 1 != 0
                and Decimal(1) <= abs(q.answer_number) < 1000)


def test_a_lone_thousands_group_is_shown_as_read_before_grading(client, world):
    login(client, world["participant"])
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    question = decimal_question(quiz)
    answers = {q.id: right_answer(q) for q in quiz.questions}
    typed = format_decimal(question.answer_number * 1000)  # "1,2" typed with a dot: "1.200"
    answers[question.id] = typed
    # Autosave says how it was read, and nothing else changes.
    reply = client.post(f"/kuis/percobaan/{attempt.id}/simpan", headers={"Accept": "application/json"},
                        data=form_for(quiz, answers, 1)).get_json()
    assert reply["status"] == "saved" and reply["problems"] == {}
    assert reply["readings"] == {question.id: f"Dibaca sebagai {typed}."}
    page = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    assert f'data-reading-for="{question.id}" aria-live="polite">Dibaca sebagai {typed}.</p>' in page
    # Sending without confirming stops at the confirm step, all questions answered.
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data={"seq": "2"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Periksa jawaban angka sebelum mengirim" in page and "belum dijawab" not in page
    assert f"Anda menulis “{typed}”, dibaca sebagai {typed}." in page
    assert refreshed(attempt).submitted_at is None
    # Fixed with a comma: no second look needed, graded at once and right.
    answers[question.id] = format_decimal(question.answer_number)
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=form_for(quiz, answers, 2))
    assert response.status_code == 302
    attempt = refreshed(attempt)
    assert attempt.submitted_at is not None and attempt.score == 100


def test_an_unreadable_number_is_listed_and_confirming_grades_it_zero(client, world):
    login(client, world["participant"])
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    question = next(q for q in quiz.questions if q.kind == "numeric")
    answers = {q.id: right_answer(q) for q in quiz.questions}
    answers[question.id] = "1:3"
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=form_for(quiz, answers, 1))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Anda menulis “1:3”, yang tidak bisa dibaca sebagai angka" in page
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data={"seq": "2", "confirm": "1"})
    assert response.status_code == 302
    attempt = refreshed(attempt)
    assert attempt.submitted_at is not None and attempt.score < 100


def test_multipliers_and_units_need_no_second_look(client, world):
    login(client, world["participant"])
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    answers = {q.id: right_answer(q) for q in quiz.questions}
    money = next(q for q in quiz.questions if q.kind == "numeric" and q.answer_number >= 10_000
                 and q.answer_number % 1000 == 0)
    answers[money.id] = f"{format_decimal(money.answer_number / 1000)} rb"
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=form_for(quiz, answers, 1))
    assert response.status_code == 302
    assert refreshed(attempt).score == 100
