"""More offline scenarios of issue #16: a whole course kept at once, two tabs on one quiz, an expired session.

Uses the helpers of test_offline (a participant of its own per test, "offline" that also cuts the
service worker's own fetches).
"""

import os

import pytest
from playwright.sync_api import expect

from lms import seed
from lms.learn.store import get_content
from tests.browser.conftest import PHONE_VIEWPORT, log_in, phone_context, scrolls_sideways, serious_axe_violations
from tests.browser.test_offline import COURSE, go_offline, go_online, new_participant, wait_for_worker

os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
pytestmark = pytest.mark.browser

COURSE_URL = f"/belajar/{COURSE}"
KEPT_BYTES = """urls => caches.open('lms-pages').then(cache => Promise.all(urls.map(url =>
    cache.match(url).then(hit => hit ? hit.blob().then(body => body.size) : -1))))"""


# Note every text the status line shows, and the progress bar's value with it, as they come.
WATCH_STATUS = """() => {
    window.statusSeen = [];
    const status = document.getElementById('offline-status'), bar = document.getElementById('offline-progress');
    new MutationObserver(() => window.statusSeen.push([status.textContent, bar.value, bar.hidden]))
        .observe(status, {childList: true, characterData: true, subtree: true});
}"""


def course_modules(live_server):
    with live_server["app"].app_context():
        content = get_content()
        return [(m.id, m.title, m.quiz is not None) for m in content.course_modules(content.course(COURSE))]


def test_saving_a_course_shows_its_size_then_progress_and_every_module_opens_offline(browser, live_server):
    context = phone_context(browser, live_server)
    page = context.new_page()
    log_in(page, new_participant(live_server, "Peserta Simpan Kursus Nias Selatan"))
    wait_for_worker(page)
    page.goto(COURSE_URL)
    bundle = page.evaluate(f"fetch('{COURSE_URL}/offline.json').then(r => r.json())")
    urls = [item["url"] for item in bundle["pages"] + bundle["images"]]
    assert bundle["total_bytes"] < 1_000_000
    modules = course_modules(live_server)
    module_urls = [f"{COURSE_URL}/{module_id}" for module_id, _title, _quiz in modules]
    assert set(module_urls) <= set(urls)
    # First the size of the download, before anything is fetched.
    kb = -(-bundle["total_bytes"] // 1024)
    status = page.locator("#offline-status")
    expect(status).to_have_text(f"Ukuran unduhan: sekitar {kb} KB ({len(bundle['pages'])} halaman, "
                                f"{len(bundle['images'])} gambar).", timeout=15000)
    save = page.get_by_role("button", name="Simpan kursus untuk offline")
    expect(save).to_be_visible()
    assert serious_axe_violations(page) == []
    assert not scrolls_sideways(page)
    # Then the progress while it fetches, one item after the other, then "Tersimpan".
    page.evaluate(WATCH_STATUS)
    save.click()
    expect(status).to_have_text("Tersimpan. Seluruh kursus bisa dibaca tanpa sinyal di HP ini.", timeout=60000)
    seen = page.evaluate("window.statusSeen")
    total = len(urls)
    steps = range(1, total + 1)
    assert [text for text, _value, _hidden in seen[:-1]] == [f"Menyimpan… {n} dari {total}" for n in steps]
    assert [value for _text, value, hidden in seen[:-1]] == list(steps) and not seen[0][2]
    expect(save).to_be_enabled()
    assert not scrolls_sideways(page)
    kept = page.evaluate(KEPT_BYTES, urls)
    assert -1 not in kept, [url for url, size in zip(urls, kept, strict=True) if size == -1]
    # The size announced is the size fetched, roughly (the page around a module is estimated).
    assert 0.75 * sum(kept) <= bundle["total_bytes"] <= 1.25 * sum(kept), (sum(kept), bundle["total_bytes"])
    assert sum(kept) < 1_000_000
    go_offline(context)
    for (_module_id, title, has_quiz), url in zip(modules, module_urls, strict=True):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        # Every image of the module is shown from the phone (lazy ones load once scrolled to).
        images = page.locator(".prose img")
        for index in range(images.count()):
            images.nth(index).scroll_into_view_if_needed()
            expect(images.nth(index)).to_have_js_property("complete", True, timeout=15000)
            assert images.nth(index).evaluate("img => img.naturalWidth > 0"), (url, index)
        if has_quiz:
            page.goto(f"{url}/kuis")
            expect(page.get_by_role("heading", level=1)).not_to_have_text("Halaman ini belum tersimpan di HP")
    page.goto(COURSE_URL)
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Halaman ini belum tersimpan di HP")
    go_online(context)
    context.close()


def test_queue_kept_when_the_session_ends_offline_and_sent_once_after_logging_in_again(browser, live_server):
    from sqlalchemy import func, select

    from lms.extensions import db
    from lms.models import ModuleRead
    from tests.browser.test_offline import DEVICE_MESSAGE, user_id_of

    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID")
    page = context.new_page()
    phone = new_participant(live_server, "Peserta Sesi Habis Lahewa")
    log_in(page, phone)
    wait_for_worker(page)
    module_url = f"{COURSE_URL}/orientasi"
    page.goto(module_url)
    page.wait_for_function("u => caches.open('lms-pages').then(c => c.match(location.origin + u)).then(r => !!r)",
                           arg=module_url, timeout=15000)
    go_offline(context)
    page.goto(module_url)
    page.get_by_role("button", name="Saya sudah membaca").click()
    expect(page.get_by_text(DEVICE_MESSAGE)).to_be_visible()
    # Meanwhile the session ends (it expired): the phone keeps only the cookie that names its user.
    session_cookies = [c["name"] for c in context.cookies() if c["name"] != "lms_uid"]
    assert session_cookies
    for name in session_cookies:
        context.clear_cookies(name=name)
    go_online(context)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_text("Sesi Anda berakhir. Masuk lagi; yang tersimpan di HP tetap ada.")).to_be_visible(
        timeout=15000)
    uid = user_id_of(live_server, phone)
    assert page.evaluate("k => JSON.parse(localStorage.getItem(k) || '[]').length", f"lms-queue-{uid}") == 1
    page.locator("#lms-login-banner").get_by_role("link", name="Masuk").click()
    page.get_by_label("Nomor HP atau email").fill(phone)
    page.get_by_label("Kata sandi").fill(seed.DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**{module_url}")
    # Back on the module page, signed in: the queued "Saya sudah membaca" is sent, once.
    page.wait_for_function("k => JSON.parse(localStorage.getItem(k) || '[]').length === 0", arg=f"lms-queue-{uid}",
                           timeout=20000)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # nothing left to send again
    page.reload()
    expect(page.get_by_text("Sudah dibaca", exact=True)).to_be_visible(timeout=15000)
    with live_server["app"].app_context():
        reads = db.session.scalar(select(func.count()).select_from(ModuleRead).where(
            ModuleRead.user_id == uid, ModuleRead.module_id == "orientasi"))
    assert reads == 1
    context.close()
