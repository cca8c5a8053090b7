"""Two tabs on one quiz attempt, both without signal (issue #16: "two tabs … give one graded attempt").

Both tabs are in one browser, so they lose and regain the network together. Tab B holds an
older, unsaved answer; tab A answers everything and presses "Kirim". B must not save its older
answer over A's queued submit, and both tabs show the one result once the phone is back online.
"""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from lms.extensions import db
from lms.learn.store import get_content
from lms.models import QuizAnswer, QuizAttempt
from lms.quiz.demo import right_answer
from tests.browser.conftest import PHONE_VIEWPORT, log_in
from tests.browser.test_offline import (
    COURSE,
    DEVICE_MESSAGE,
    QUIZ_MODULE,
    answer,
    go_offline,
    go_online,
    new_participant,
    user_id_of,
    wait_for_worker,
)

pytestmark = pytest.mark.browser


def wrong_choice(question) -> str:
    return next(choice.id for choice in question.choices if choice.id != right_answer(question))


def test_a_submit_queued_in_one_tab_is_not_overwritten_by_the_other_and_is_graded_once(browser, live_server):
    with live_server["app"].app_context():
        quiz = get_content().modules[QUIZ_MODULE].quiz
    phone = new_participant(live_server, "Peserta Samosir")
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID")
    tab_a = context.new_page()
    log_in(tab_a, phone)
    wait_for_worker(tab_a)
    tab_a.goto(f"/belajar/{COURSE}/{QUIZ_MODULE}/kuis")
    tab_a.get_by_role("button", name="Mulai kuis").click()
    expect(tab_a.get_by_role("heading", level=1)).to_have_text(quiz.title)
    tab_b = context.new_page()
    tab_b.goto(tab_a.url)
    expect(tab_b.get_by_role("button", name="Kirim dan nilai")).to_be_enabled()
    go_offline(context)

    single = next(q for q in quiz.questions if q.kind == "single")
    answer(tab_b, single, wrong_choice(single))  # an older answer, kept only in tab B
    expect(tab_b.locator("#autosave-status")).to_have_text(DEVICE_MESSAGE, timeout=10000)
    for question in quiz.questions:
        answer(tab_a, question, right_answer(question))
    tab_a.get_by_role("button", name="Kirim dan nilai").click()
    expect(tab_a.locator("#autosave-status")).to_have_text(DEVICE_MESSAGE)
    # Tab B hears of the queued submit: it stops saving its own answers and waits for the result.
    expect(tab_b.get_by_role("button", name="Kirim dan nilai")).to_be_disabled()

    go_online(context)
    for tab in (tab_a, tab_b):
        tab.evaluate("window.dispatchEvent(new Event('online'))")
    for tab in (tab_a, tab_b):
        expect(tab.get_by_role("heading", name="Nilai: 100")).to_be_visible(timeout=20000)

    uid = user_id_of(live_server, phone)
    with live_server["app"].app_context():
        attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == uid)).all()
        assert len(attempts) == 1 and attempts[0].submitted_at is not None and attempts[0].score == 100
        assert attempts[0].draft_answers[single.id] == right_answer(single)
        answers = db.session.scalar(select(func.count()).select_from(QuizAnswer).where(
            QuizAnswer.attempt_id == attempts[0].id))
        assert answers == len(quiz.questions)
    context.close()
