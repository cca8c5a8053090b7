"""Offline scenarios in Chromium (issue #16): read offline, answer and submit a quiz offline, log out offline.

`context.set_offline` does not reach a service worker's own fetches in Playwright, so
"offline" also aborts every request the worker makes; that needs Playwright's
service-worker network events, switched on (below) before the browser starts.
"""

import itertools
import os

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from lms import accounts, seed
from lms.enrollments import enroll
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import Cohort, EnrollmentStatus, ModuleRead, QuizAnswer, QuizAttempt, User
from lms.phone import normalize_phone
from lms.quiz.demo import right_answer
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE_VIEWPORT, log_in, open_header_menu

os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
pytestmark = pytest.mark.browser

COURSE = "ftd-umkm"
QUIZ_MODULE = "penganggaran-iklan"
DEVICE_MESSAGE = "Tersimpan di HP, akan dikirim saat online."
_numbers = itertools.count(1)


def new_participant(live_server, name: str) -> str:
    """Enroll a fresh participant in the demo cohort; return the phone number.

    This module is also imported by test_offline_fresh under another name, with a counter of its
    own, so a number is taken only when no account has it yet.
    """
    with live_server["app"].app_context():
        phone = f"0813888{next(_numbers):05d}"
        while db.session.scalar(select(User.id).where(User.phone == normalize_phone(phone))) is not None:
            phone = f"0813888{next(_numbers):05d}"
        user = accounts.create_user(name=name, phone_text=phone, role="participant", password=seed.DEMO_PASSWORD)
        cohort = db.session.scalar(select(Cohort).where(Cohort.slug == seed.DEMO_COHORT_SLUG))
        enroll(user, cohort, changed_by=None, status=EnrollmentStatus.ACTIVE)
        db.session.commit()
    return phone


def user_id_of(live_server, phone: str) -> int:
    with live_server["app"].app_context():
        return db.session.scalar(select(User.id).where(User.phone == "+62" + phone[1:]))


def _worker_requests_fail(route):
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def go_offline(context) -> None:
    context.set_offline(True)
    context.route("**/*", _worker_requests_fail)


def go_online(context) -> None:
    context.unroute("**/*", _worker_requests_fail)
    context.set_offline(False)


def wait_for_worker(page) -> None:
    """Wait until the service worker controls the page (then the next pages are kept)."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000)


def kept_urls(page) -> list[str]:
    return page.evaluate("caches.open('lms-pages').then(c => c.keys()).then(k => k.map(r => r.url))")


def test_module_read_offline_after_visiting_it_and_marked_read_on_reconnect(browser, live_server):
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID")
    page = context.new_page()
    phone = new_participant(live_server, "Peserta Kapal Nias")
    log_in(page, phone)
    wait_for_worker(page)
    page.goto(f"/belajar/{COURSE}/orientasi")
    expect(page.locator("img").first).to_be_visible()
    page.wait_for_function("caches.open('lms-pages').then(c => c.keys()).then(k => k.length >= 2)")
    go_offline(context)
    page.goto(f"/belajar/{COURSE}/orientasi")
    expect(page.get_by_role("heading", level=1)).to_have_text(get_content_title(live_server, "orientasi"))
    assert page.evaluate("document.querySelector('.prose img').decode().then(() => true)")
    # "Saya sudah membaca" offline is kept on the phone, then sent on reconnect.
    page.get_by_role("button", name="Saya sudah membaca").click()
    expect(page.get_by_text(DEVICE_MESSAGE)).to_be_visible()
    # A module never opened: the offline page lists what is kept.
    page.goto(f"/belajar/{COURSE}/landing-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman ini belum tersimpan di HP")
    expect(page.locator("#offline-list a", has_text=get_content_title(live_server, "orientasi"))).to_be_visible()
    go_online(context)
    page.goto("/")
    uid = user_id_of(live_server, phone)
    with live_server["app"].app_context():
        for _ in range(50):
            reads = db.session.scalar(select(func.count()).select_from(ModuleRead).where(
                ModuleRead.user_id == uid, ModuleRead.module_id == "orientasi"))
            if reads:
                break
            page.wait_for_timeout(200)
            db.session.rollback()
        assert reads == 1
    context.close()


def get_content_title(live_server, module_id: str) -> str:
    with live_server["app"].app_context():
        return get_content().modules[module_id].title


def answer(page, question, value) -> None:
    if question.kind == "multiple":
        for choice_id in value:
            page.locator(f'input[name="q-{question.id}"][value="{choice_id}"]').check()
    elif question.kind in ("single", "truefalse"):
        page.locator(f'input[name="q-{question.id}"][value="{value}"]').check()
    else:
        page.locator(f'input[name="q-{question.id}"]').fill(value)


def test_quiz_answered_offline_survives_reload_and_restart_and_is_submitted_once(browser, live_server, tmp_path):
    with live_server["app"].app_context():
        quiz = get_content().modules[QUIZ_MODULE].quiz
    phone = new_participant(live_server, "Peserta Pakpak Bharat")
    options = {"viewport": PHONE_VIEWPORT, "base_url": live_server["url"], "locale": "id-ID",
               "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
    context = browser.browser_type.launch_persistent_context(str(tmp_path / "profil"), **options)
    page = context.pages[0] if context.pages else context.new_page()
    log_in(page, phone)
    wait_for_worker(page)
    page.goto(f"/belajar/{COURSE}/{QUIZ_MODULE}/kuis")
    page.get_by_role("button", name="Mulai kuis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz.title)
    attempt_url = page.url
    page.goto(attempt_url)  # kept by the worker now
    page.wait_for_function(f"caches.open('lms-pages').then(c => c.match({attempt_url!r})).then(r => !!r)")
    go_offline(context)
    for question in quiz.questions:
        answer(page, question, right_answer(question))
    expect(page.locator("#autosave-status")).to_have_text(DEVICE_MESSAGE, timeout=10000)
    page.reload()
    text_question = next(q for q in quiz.questions if q.kind in ("numeric", "text"))
    expect(page.locator(f'input[name="q-{text_question.id}"]')).to_have_value(right_answer(text_question))
    page.get_by_role("button", name="Kirim dan nilai").click()
    expect(page.locator("#autosave-status")).to_have_text(DEVICE_MESSAGE)
    context.close()
    # The app is started again, still with no signal: the queued submit is still there.
    context = browser.browser_type.launch_persistent_context(str(tmp_path / "profil"), **options)
    go_offline(context)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(attempt_url)
    expect(page.locator(f'input[name="q-{text_question.id}"]')).to_have_value(right_answer(text_question))
    expect(page.get_by_role("button", name="Kirim dan nilai")).to_be_disabled()
    go_online(context)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("heading", name="Nilai: 100")).to_be_visible(timeout=15000)
    uid = user_id_of(live_server, phone)
    with live_server["app"].app_context():
        attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == uid)).all()
        assert len(attempts) == 1 and attempts[0].submitted_at is not None and attempts[0].submit_key
        answers = db.session.scalar(select(func.count()).select_from(QuizAnswer).where(
            QuizAnswer.attempt_id == attempts[0].id))
        assert answers == len(quiz.questions)
    context.close()


def test_queued_submit_waits_for_retry_after_when_the_server_is_busy_and_is_graded_once(browser, live_server):
    import re

    with live_server["app"].app_context():
        quiz = get_content().modules[QUIZ_MODULE].quiz
    phone = new_participant(live_server, "Peserta Humbang Hasundutan")
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID")
    page = context.new_page()
    log_in(page, phone)
    wait_for_worker(page)
    page.goto(f"/belajar/{COURSE}/{QUIZ_MODULE}/kuis")
    page.get_by_role("button", name="Mulai kuis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz.title)
    go_offline(context)
    for question in quiz.questions:
        answer(page, question, right_answer(question))
    page.get_by_role("button", name="Kirim dan nilai").click()
    expect(page.locator("#autosave-status")).to_have_text(DEVICE_MESSAGE)
    submits = []

    def busy_once(route):
        submits.append(route.request.post_data or "")
        if len(submits) == 1:  # what lms/admission.py answers when the queue is too deep
            route.fulfill(status=503, headers={"Retry-After": "2"}, body="busy")
        else:
            route.continue_()

    page.route("**/kirim", busy_once)
    go_online(context)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("heading", name="Nilai: 100")).to_be_visible(timeout=20000)
    keys = [re.search(r'name="idempotency_key"\r\n\r\n(\w+)', body).group(1) for body in submits]
    # Refused once, then sent again after the wait, always with the same key (the browser's own
    # "online" event and the test's may each send it, so there can be one more copy).
    assert len(keys) >= 2 and len(set(keys)) == 1
    uid = user_id_of(live_server, phone)
    with live_server["app"].app_context():
        attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == uid)).all()
        assert len(attempts) == 1 and attempts[0].submitted_at is not None and attempts[0].submit_key == keys[0]
        answers = db.session.scalar(select(func.count()).select_from(QuizAnswer).where(
            QuizAnswer.attempt_id == attempts[0].id))
        assert answers == len(quiz.questions)
    context.close()


def test_logout_offline_then_another_participant_sees_nothing_of_the_first(browser, live_server):
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID")
    page = context.new_page()
    first = new_participant(live_server, "Peserta Pertama Sibolga")
    log_in(page, first)
    wait_for_worker(page)
    page.goto(f"/belajar/{COURSE}/orientasi")
    page.goto("/")
    expect(page.get_by_text("Peserta Pertama Sibolga").first).to_be_visible()
    assert kept_urls(page)
    go_offline(context)
    open_header_menu(page)
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman ini belum tersimpan di HP")
    assert kept_urls(page) == []
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('lms-queue'))") == []
    page.goto("/")  # the first participant's home was kept; it is gone
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman ini belum tersimpan di HP")
    assert "Peserta Pertama Sibolga" not in page.content()
    go_online(context)
    second = new_participant(live_server, "Peserta Kedua Gunungsitoli")
    log_in(page, second)  # the worker first ends the first session left open offline
    expect(page.get_by_text("Peserta Kedua Gunungsitoli").first).to_be_visible()
    assert "Peserta Pertama Sibolga" not in page.content()
    assert not any("orientasi" in url for url in kept_urls(page))
    context.close()


ORIENTATION_ASSIGNMENT = f"/belajar/{COURSE}/orientasi/tugas"


def assignment_page_kept_by_the_worker(browser, live_server, name: str):
    """A new participant signed in on a phone whose service worker has kept the orientation assignment page."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID")
    page = context.new_page()
    phone = new_participant(live_server, name)
    log_in(page, phone)
    wait_for_worker(page)
    page.goto(ORIENTATION_ASSIGNMENT)
    page.goto(ORIENTATION_ASSIGNMENT)  # kept by the worker now
    page.wait_for_function("caches.open('lms-pages').then(c => c.match(location.origin + "
                           f"{ORIENTATION_ASSIGNMENT!r})).then(r => !!r)")
    return context, page, phone


def test_text_assignment_drafted_and_sent_offline_becomes_one_version(browser, live_server):
    from lms.models import Submission

    context, page, phone = assignment_page_kept_by_the_worker(browser, live_server, "Peserta Tugas Barus")
    go_offline(context)
    page.locator("textarea").fill("Usaha saya: bika ambon, dijual di Medan dan lewat WhatsApp.")
    page.reload()  # the draft stays on the phone
    expect(page.locator("textarea")).to_have_value("Usaha saya: bika ambon, dijual di Medan dan lewat WhatsApp.")
    page.get_by_role("button", name="Kirim tugas").click()
    expect(page.get_by_text(DEVICE_MESSAGE)).to_be_visible()
    go_online(context)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    uid = user_id_of(live_server, phone)
    with live_server["app"].app_context():
        for _ in range(50):
            versions = db.session.scalars(select(Submission).where(Submission.user_id == uid)).all()
            if versions:
                break
            page.wait_for_timeout(200)
            db.session.rollback()
        page.evaluate("window.dispatchEvent(new Event('online'))")  # a second send is the same version
        page.wait_for_timeout(1000)
        db.session.rollback()
        versions = db.session.scalars(select(Submission).where(Submission.user_id == uid)).all()
        assert len(versions) == 1 and "bika ambon" in versions[0].text
    context.close()


def test_photo_queued_offline_survives_a_dropped_upload_and_becomes_one_version(browser, live_server):
    """Queue a photo offline; online, the line drops mid-chunk and again as the form is answered: one version."""
    import io

    from PIL import Image

    from lms.assignments import uploads
    from lms.models import ResumableUpload, Submission
    from lms.resumable import storage
    from tests.test_assignments import assert_no_location, gps_jpeg

    photo = gps_jpeg(size=(1200, 900))  # ~0.8 MB: four chunks, and under the size upload.js shrinks
    context, page, phone = assignment_page_kept_by_the_worker(browser, live_server, "Peserta Foto Nias")
    go_offline(context)
    page.reload()
    page.locator("textarea").fill("Foto etalase toko kami di Gunungsitoli.")
    page.locator('input[type="file"]').set_input_files(
        {"name": "etalase.jpg", "mimeType": "image/jpeg", "buffer": photo})
    page.get_by_role("button", name="Kirim tugas").click()
    expect(page.get_by_text(DEVICE_MESSAGE)).to_be_visible()
    expect(page.get_by_text("Berkas menunggu diunggah: 1.")).to_be_visible()
    page.reload()  # still on the phone after a reload
    expect(page.get_by_text("Berkas menunggu diunggah: 1.")).to_be_visible()

    dropped = []

    def drop_second_chunk_answer(route):
        # The chunk reaches the server, but its answer never reaches the phone: the line dropped.
        if route.request.method == "POST" and route.request.headers.get("upload-offset") == str(256 * 1024) \
                and "chunk" not in dropped:
            dropped.append("chunk")
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    def drop_first_form_answer(route):
        if route.request.method == "POST" and "form" not in dropped:
            dropped.append("form")
            route.fetch(max_redirects=0)
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/unggah/*", drop_second_chunk_answer)
    context.route(f"**{ORIENTATION_ASSIGNMENT}", drop_first_form_answer)
    go_online(context)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_text("Kiriman versi 1 tersimpan")).to_be_visible(timeout=30000)
    assert dropped == ["chunk", "form"]
    page.evaluate("window.dispatchEvent(new Event('online'))")  # nothing is left to send
    page.wait_for_timeout(500)
    uid = user_id_of(live_server, phone)
    queued = page.evaluate("""name => new Promise(resolve => {
        const open = indexedDB.open(name, 1);
        open.onsuccess = () => { const n = open.result.transaction('queue').objectStore('queue').count();
                                 n.onsuccess = () => resolve(n.result); };
    })""", f"lms-f{uid}")
    assert queued == 0
    with live_server["app"].app_context():
        versions = db.session.scalars(select(Submission).where(Submission.user_id == uid)).all()
        assert len(versions) == 1 and "Gunungsitoli" in versions[0].text and len(versions[0].files) == 1
        stored = versions[0].files[0]
        upload = db.session.scalar(select(ResumableUpload).where(ResumableUpload.user_id == uid))
        assert storage.path_of(upload.name).read_bytes() == photo  # every byte received once, in order
        on_disk = uploads.path_of(stored.stored_name).read_bytes()
        db.session.rollback()
    assert_no_location(on_disk)  # the GPS position never reached the stored copy
    with Image.open(io.BytesIO(photo)) as original, Image.open(io.BytesIO(on_disk)) as kept:
        assert kept.convert("RGB").tobytes() == original.convert("RGB").tobytes()
    context.close()
