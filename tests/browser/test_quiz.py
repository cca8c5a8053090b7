"""Taking a quiz on a phone-sized browser: autosave, a reload halfway, submit, the result."""

import itertools

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms import accounts, seed
from lms.enrollments import enroll
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import Cohort, EnrollmentStatus
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
        expect(page.get_by_role("heading", name="Nilai: 0")).to_be_visible()
        expect(page.get_by_text("Belum lulus").first).to_be_visible()
        expect(page.get_by_text("tidak bisa dibaca sebagai angka").first).to_be_visible()
    finally:
        context.close()
