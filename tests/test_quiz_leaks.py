"""No answer key before submission, and content edits never change past results."""

import html
import re
import shutil

import pytest
from sqlalchemy import select

from lms import PROJECT_ROOT
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import QuizAttempt
from lms.quiz.demo import right_answer, wrong_answer
from lms.quiz.scoring import format_decimal
from lms.quiz.versions import quiz_for_version
from tests.conftest import login
from tests.test_quiz import COURSE, MODULE, form_for, refreshed, start

QUIZ_MODULES = ["orientasi", "pembuatan-konten", "homepage-web-usaha", "manajemen-media-sosial", "landing-page",
                "penganggaran-iklan", "marketplace-legalitas", "transaksi-dan-pajak",
                "endorsement-kolaborasi"]


def plain(fragment: str) -> str:
    """Return the text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def answer_key_secrets(quiz) -> list[str]:
    """Return strings that only the answer key or the explanations contain."""
    visible = plain(" ".join(q.prompt_html + " " + " ".join(c.html for c in q.choices) for q in quiz.questions))
    secrets = []
    for question in quiz.questions:
        secrets += [question.explanation_html, plain(question.explanation_html)]
        if question.kind == "text":
            secrets += [text for text in question.accepted_texts if text.lower() not in visible.lower()]
        if question.kind == "numeric":
            number = format_decimal(question.answer_number)
            # Short numbers also number the questions ("Soal 16"); only distinctive ones can be scanned for.
            if len(number) >= 3 and not re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)", visible):
                secrets.append(number)
    return [s for s in secrets if s]


def leaks(body: str, secrets: list[str]) -> list[str]:
    """Return the secrets found in a response body, raw or as text."""
    text = plain(body)
    return [s for s in secrets if s in body or s in text]


@pytest.mark.parametrize("module_id", QUIZ_MODULES)
def test_no_response_before_submission_contains_the_answer_key(client, world, module_id):
    login(client, world["participant"])
    # The reading itself teaches the answers, so the module page is scanned for explanations only.
    module_page = client.get(f"/belajar/{COURSE}/{module_id}").get_data(as_text=True)
    bodies = [client.get(f"/belajar/{COURSE}/{module_id}/kuis").get_data(as_text=True)]
    attempt = start(client, module_id)
    quiz = quiz_for_version(attempt.quiz_version_id)
    # Wrong answers, so the draft shown back in the fields cannot look like the key.
    answers = {q.id: wrong_answer(q) for q in quiz.questions}
    json_headers = {"Accept": "application/json"}
    url = f"/kuis/percobaan/{attempt.id}"
    responses = [
        client.get(url),
        client.post(f"{url}/simpan", data=form_for(quiz, answers, 1), headers=json_headers),
        client.post(f"{url}/simpan", data=form_for(quiz, answers, 1), headers=json_headers),  # stale
        client.post(f"{url}/simpan", data=form_for(quiz, answers, 2), follow_redirects=True),
        client.post(f"{url}/simpan", data=form_for(quiz, answers, 1)),  # stale form: 409 page
        client.post(f"{url}/simpan", data={"seq": "9", "q-soal-palsu": "a"}),  # tampered: 400 page
        client.get(url),
        client.get("/"),
    ]
    bodies += [response.get_data(as_text=True) for response in responses]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 409, 400, 200, 200]
    secrets = answer_key_secrets(quiz)
    assert secrets
    assert leaks(module_page, [q.explanation_html for q in quiz.questions]) == []
    for body in bodies:
        assert leaks(body, secrets) == []
        assert "jawaban benar" not in body and "correct" not in body
    # The same scan finds the key once the attempt is submitted, so it can fail.
    result = client.post(f"{url}/kirim", data={}, follow_redirects=True).get_data(as_text=True)
    assert set(leaks(result, secrets)) >= {plain(q.explanation_html) for q in quiz.questions}


@pytest.fixture
def content_copy(app, tmp_path, monkeypatch):
    """A private copy of the content that a test may edit; reloaded on every request."""
    root = tmp_path / "repo"
    shutil.copytree(PROJECT_ROOT / "content", root / "content")
    shutil.copytree(PROJECT_ROOT / "courses", root / "courses")
    app.config["CONTENT_ROOT"] = str(root)
    app.extensions.pop("lms_content", None)
    monkeypatch.setattr("lms.learn.store.RECHECK_SECONDS", 0)
    return root


def test_editing_the_quiz_later_changes_no_past_score_or_result_page(client, world, content_copy):
    login(client, world["participant"])
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    answers = {q.id: right_answer(q) for q in quiz.questions}
    answers["roas-di-atas-satu"] = wrong_answer(quiz.question("roas-di-atas-satu"))  # "benar"
    client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=form_for(quiz, answers, 1))
    before = refreshed(attempt).score
    client.get(f"/kuis/percobaan/{attempt.id}")  # shows (and clears) the "sent" message
    before_page = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    quiz_file = content_copy / "content" / MODULE / "quiz.md"
    text = quiz_file.read_text()
    text = text.replace("Kedai Anda menerima hampir semua pesanan", "Warung Anda menerima hampir semua pesanan")
    quiz_file.write_text(text.replace("Jawaban: salah", "Jawaban: benar", 1))
    current = get_content().modules[MODULE].quiz
    assert current.version != quiz.version and current.question("roas-di-atas-satu").answer_bool is True
    after_page = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    assert refreshed(attempt).score == before < 100
    assert "Kedai Anda menerima" in after_page and "Warung Anda" not in after_page
    without_tokens = [re.sub(r'name="csrf_token" value="[^"]*"', "", page) for page in (before_page, after_page)]
    assert without_tokens[0] == without_tokens[1]
    new = start(client)
    assert new.quiz_version_id != attempt.quiz_version_id
    assert "Warung Anda menerima" in client.get(f"/kuis/percobaan/{new.id}").get_data(as_text=True)
    assert db.session.scalar(select(QuizAttempt.score).where(QuizAttempt.id == attempt.id)) == before
