"""Taking a quiz on a phone-sized browser: autosave, a reload halfway, submit, the result."""

import itertools
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms import accounts, seed
from lms.enrollments import enroll
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import Cohort, EnrollmentStatus, QuizAttempt
from lms.quiz.demo import right_answer
from tests.browser.conftest import PHONE_VIEWPORT, log_in

pytestmark = pytest.mark.browser

MODULE = "penganggaran-iklan"
_numbers = itertools.count(1)


def new_participant(live_server) -> str:
    """Enroll a fresh participant in the demo cohort (demo accounts stay untouched); return the phone."""
    phone = f"0813777{next(_numbers):05d}"
    with live_server["app"].app_context():
        user = accounts.create_user(name="Peserta Kuis Peramban", phone_text=phone, role="participant",
                                    password=seed.DEMO_PASSWORD)
        cohort = db.session.scalar(select(Cohort).where(Cohort.slug == seed.DEMO_COHORT_SLUG))
        enroll(user, cohort, changed_by=None, status=EnrollmentStatus.ACTIVE)
        db.session.commit()
    return phone


def current_quiz(live_server):
    with live_server["app"].app_context():
        return get_content().modules[MODULE].quiz


def answer(page, question, value) -> None:
    """Answer one question the way a person would: tick, choose or type."""
    if question.kind == "multiple":
        for choice_id in value:
            page.locator(f'input[name="q-{question.id}"][value="{choice_id}"]').check()
    elif question.kind in ("single", "truefalse"):
        page.locator(f'input[name="q-{question.id}"][value="{value}"]').check()
    else:
        page.locator(f'input[name="q-{question.id}"]').fill(value)


def open_quiz(page) -> None:
    """Go from the module page to a fresh attempt."""
    page.goto(f"/belajar/ftd-umkm/{MODULE}")
    page.get_by_role("link", name="Kerjakan kuis").click()
    page.get_by_role("button", name="Mulai kuis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kuis Penganggaran Iklan")


def test_quiz_with_autosave_and_a_reload_halfway(page, live_server):
    quiz = current_quiz(live_server)
    log_in(page, new_participant(live_server))
    open_quiz(page)
    expect(page.locator(".quiz-countdown")).to_contain_text("Sisa waktu: 2")
    half = len(quiz.questions) // 2
    for question in quiz.questions[:half]:
        answer(page, question, right_answer(question))
    expect(page.locator("#autosave-status")).to_have_text("Jawaban tersimpan.", timeout=10000)
    body = page.content()
    assert all(q.explanation_html not in body for q in quiz.questions)
    page.reload()  # the connection dropped; the draft comes back
    for question in quiz.questions[:half]:
        if question.kind in ("single", "truefalse"):
            expect(page.locator(f'input[name="q-{question.id}"][value="{right_answer(question)}"]')).to_be_checked()
        elif question.kind in ("numeric", "text"):
            expect(page.locator(f'input[name="q-{question.id}"]')).to_have_value(right_answer(question))
    for question in quiz.questions[half:]:
        answer(page, question, right_answer(question))
    page.get_by_role("button", name="Kirim dan nilai").click()
    expect(page.get_by_text("Jawaban terkirim dan sudah dinilai.")).to_be_visible()
    expect(page.get_by_role("heading", name="Nilai: 100")).to_be_visible()
    expect(page.get_by_text("Penjelasan:").first).to_be_visible()
    # The module page now shows the passed quiz.
    page.goto(f"/belajar/ftd-umkm/{MODULE}")
    expect(page.get_by_text("Kuis lulus")).to_be_visible()


def test_quiz_works_without_javascript(browser, live_server):
    quiz = current_quiz(live_server)
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID",
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, new_participant(live_server))
        open_quiz(page)
        numeric = next(q for q in quiz.questions if q.kind == "numeric")
        page.locator(f'input[name="q-{numeric.id}"]').fill("lima ribu")
        page.get_by_role("button", name="Simpan jawaban").click()
        expect(page.get_by_text("Jawaban tersimpan.")).to_be_visible()
        expect(page.locator(f'input[name="q-{numeric.id}"]')).to_have_value("lima ribu")
        expect(page.get_by_text("bukan angka: ada huruf")).to_be_visible()
        page.get_by_role("button", name="Kirim dan nilai").click()
        # Only one of the questions is answered: a server-rendered step asks first.
        expect(page.get_by_role("heading", name="Masih ada soal yang belum dijawab")).to_be_visible()
        expect(page.locator(".unanswered li")).to_have_count(len(quiz.questions) - 1)
        page.get_by_role("button", name="Kirim sekarang").click()
        expect(page.get_by_role("heading", name="Nilai: 0")).to_be_visible()
        expect(page.get_by_text("Belum lulus").first).to_be_visible()
        expect(page.get_by_text("tidak bisa dibaca sebagai angka").first).to_be_visible()
    finally:
        context.close()


def attempt_id_of(page) -> int:
    return int(page.url.rsplit("/", 1)[1])


def wait_for_draft(live_server, attempt_id: int, question_id: str, seconds: float = 15.0):
    """Poll the database until the draft holds an answer to the question (or give up); return the answer."""
    deadline = time.monotonic() + seconds
    while True:
        with live_server["app"].app_context():
            attempt = db.session.get(QuizAttempt, attempt_id)
            value = (attempt.draft_answers or {}).get(question_id)
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_half_answered_submit_lists_the_empty_questions_first(page, live_server):
    quiz = current_quiz(live_server)
    log_in(page, new_participant(live_server))
    open_quiz(page)
    for question in quiz.questions[:2]:
        answer(page, question, right_answer(question))
    page.get_by_role("button", name="Kirim dan nilai").click()
    expect(page.get_by_role("heading", name="Masih ada soal yang belum dijawab")).to_be_visible()
    expect(page.locator(".unanswered li")).to_have_count(len(quiz.questions) - 2)
    expect(page.locator(".unanswered li").first).to_contain_text("Soal 3")
    # Going back keeps both answers; nothing was graded.
    page.get_by_role("link", name="Kembali ke kuis").click()
    expect(page.get_by_role("button", name="Kirim dan nilai")).to_be_visible()
    for question in quiz.questions[:2]:
        if question.kind in ("single", "truefalse"):
            expect(page.locator(f'input[name="q-{question.id}"][value="{right_answer(question)}"]')).to_be_checked()
    page.get_by_role("button", name="Kirim dan nilai").click()
    page.get_by_role("button", name="Kirim sekarang").click()
    expect(page.get_by_text("Jawaban terkirim dan sudah dinilai.")).to_be_visible()
    expect(page.get_by_text("Tidak dijawab").first).to_be_visible()


def test_an_answer_typed_just_before_leaving_reaches_the_server(page, live_server):
    quiz = current_quiz(live_server)
    text = next(q for q in quiz.questions if q.kind == "text")
    log_in(page, new_participant(live_server))
    open_quiz(page)
    attempt_id = attempt_id_of(page)
    dialogs = []

    def leave_anyway(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave_anyway)
    field = page.locator(f'input[name="q-{text.id}"]')
    field.click()
    field.press_sequentially("CPM")
    page.goto("/")  # within a few ms of the last key, long before the 1.5 s autosave
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert dialogs == ["beforeunload"]  # the browser asked before leaving unsaved work
    assert wait_for_draft(live_server, attempt_id, text.id) == "CPM"


def test_autosave_waits_for_retry_after_when_the_server_is_busy(page, live_server):
    quiz = current_quiz(live_server)
    text = next(q for q in quiz.questions if q.kind == "text")
    log_in(page, new_participant(live_server))
    open_quiz(page)
    attempt_id = attempt_id_of(page)
    calls = []

    def busy_once(route):
        calls.append(route.request.post_data or "")
        if len(calls) == 1:
            route.fulfill(status=503, headers={"Retry-After": "2"}, body="busy")
        else:
            route.continue_()

    page.route("**/simpan", busy_once)
    page.locator(f'input[name="q-{text.id}"]').fill("CPM")
    expect(page.locator("#autosave-status")).to_contain_text("server sedang sibuk", timeout=10000)
    assert wait_for_draft(live_server, attempt_id, text.id, seconds=0) is None
    expect(page.locator("#autosave-status")).to_have_text("Jawaban tersimpan.", timeout=15000)
    assert len(calls) == 2 and 'name="seq"' in calls[0] and "CPM" in calls[1]
    assert wait_for_draft(live_server, attempt_id, text.id) == "CPM"


def test_an_ambiguous_number_is_shown_as_read_while_typing_and_on_the_confirm_step(page, live_server):
    from lms.quiz.scoring import format_decimal

    quiz = current_quiz(live_server)
    log_in(page, new_participant(live_server))
    open_quiz(page)
    decimal = next(q for q in quiz.questions if q.kind == "numeric" and q.answer_number % 1 != 0
                   and 1 <= q.answer_number < 1000)
    typed = format_decimal(decimal.answer_number * 1000)  # 1,2 typed as "1.200"
    for question in quiz.questions:
        answer(page, question, typed if question is decimal else right_answer(question))
    reading = page.locator(f'[data-reading-for="{decimal.id}"]')
    expect(reading).to_have_text(f"Dibaca sebagai {typed}.", timeout=10000)
    page.get_by_role("button", name="Kirim dan nilai").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa jawaban angka sebelum mengirim")
    expect(page.get_by_text(f"Anda menulis “{typed}”, dibaca sebagai {typed}.")).to_be_visible()
    page.get_by_role("link", name="Kembali ke kuis").click()
    page.locator(f'input[name="q-{decimal.id}"]').fill(format_decimal(decimal.answer_number))
    expect(reading).to_be_hidden(timeout=10000)
    page.get_by_role("button", name="Kirim dan nilai").click()
    expect(page.get_by_text("Jawaban terkirim dan sudah dinilai.")).to_be_visible()
