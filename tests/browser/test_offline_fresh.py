"""Which kept page the worker serves at once (issue #16 §6: repeat visits ≤ 0.5 s, never stale after an update).

A module page kept by the worker is served from the phone without waiting for the network
while it is known to be current, and fetched again in the background. A write on the phone
(a form sent) or a new app or content version sends the next visit to the network.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lms import create_app
from tests.browser.conftest import PHONE_VIEWPORT, log_in, serve_seeded_demo
from tests.browser.test_offline import COURSE, get_content_title, new_participant, wait_for_worker

os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
pytestmark = pytest.mark.browser

MODULE = "orientasi"
MODULE_URL = f"/belajar/{COURSE}/{MODULE}"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


class HeldWorkerFetches:
    """Hold back every fetch the worker makes for one URL (as a line with no answer yet would)."""

    def __init__(self, context, pattern: str):
        self.context, self.pattern, self.held = context, pattern, []
        context.route(pattern, self.handle)

    def handle(self, route):
        if route.request.service_worker:
            self.held.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        for route in self.held:
            route.continue_()
        self.context.unroute(self.pattern, self.handle)


def kept_at(page, url: str):
    """Return the X-Kept-At stamp of the worker's copy of a page (None when not kept)."""
    return page.evaluate("u => caches.open('lms-pages').then(c => c.match(location.origin + u))"
                         ".then(r => r && r.headers.get('X-Kept-At'))", url)


def wait_until_kept_again(page, url: str, after) -> None:
    page.wait_for_function("([u, t]) => caches.open('lms-pages').then(c => c.match(location.origin + u))"
                           ".then(r => !!r && r.headers.get('X-Kept-At') !== t)", arg=[url, after], timeout=15000)


def test_repeat_visit_is_served_from_the_kept_copy_until_the_participant_writes(browser, live_server):
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID")
    page = context.new_page()
    log_in(page, new_participant(live_server, "Peserta Ulang Teluk Dalam"))
    wait_for_worker(page)
    first = page.goto(MODULE_URL)
    assert first.headers.get("x-kept-at") is None  # the first visit came from the server
    wait_until_kept_again(page, MODULE_URL, None)
    # The worker's own fetch of the page gets no answer: only the kept copy can open it.
    held = HeldWorkerFetches(context, f"**{MODULE_URL}")
    repeat = page.goto(MODULE_URL, timeout=10000)
    expect(page.get_by_role("heading", level=1)).to_have_text(get_content_title(live_server, MODULE))
    assert repeat.headers.get("x-kept-at") and repeat.headers.get("x-offline-swr") == "1"
    stamp = kept_at(page, MODULE_URL)
    assert len(held.held) == 1  # ... and it is fetched again in the background, for the next visit
    held.release()
    wait_until_kept_again(page, MODULE_URL, stamp)
    # A write on the phone ("Saya sudah membaca" goes on to the quiz): the module page may show
    # something else now, so the next visit asks the server, and shows the module as read.
    page.get_by_role("button", name="Saya sudah membaca").click()
    page.wait_for_url(f"**{MODULE_URL}/kuis")
    after_write = page.goto(MODULE_URL)
    assert after_write.headers.get("x-kept-at") is None
    expect(page.get_by_text("Sudah dibaca", exact=True)).to_be_visible()
    context.close()


@pytest.fixture
def own_content_server(tmp_path):
    """A live server whose content is a copy the test may edit, as a content deploy does."""
    for folder in ("content", "courses"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    app = create_app({
        "SECRET_KEY": "browser-tests-only", "PUBLIC_URL": "http://127.0.0.1:5000", "CONTENT_ROOT": str(tmp_path),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite3'}", "UPLOAD_ROOT": str(tmp_path / "uploads"),
        "CERTIFICATE_ROOT": str(tmp_path / "certificates"), "IMPORT_ROOT": str(tmp_path / "imports"),
        "CREDENTIAL_KEY_DIR": str(tmp_path / "keys"), "QUEUE_SQLITE_PATH": str(tmp_path / "queue.sqlite3"),
        "RATELIMIT_ENABLED": False,
    })
    server = serve_seeded_demo(app)
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app, "root": tmp_path}
    server.shutdown()


def publish_new_title(server, old: str, new: str) -> None:
    """Edit the module's text in the content folder, and let the app see it at once."""
    path = server["root"] / "content" / MODULE / "module.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    server["app"].extensions.pop("lms_content", None)  # skip the few seconds until the next re-check


def test_after_a_content_update_the_kept_copy_is_not_served_again(browser, own_content_server):
    server = own_content_server
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=server["url"], locale="id-ID")
    page = context.new_page()
    log_in(page, new_participant(server, "Peserta Kapal Sirombu"))
    wait_for_worker(page)
    old_title = get_content_title(server, MODULE)
    page.goto(MODULE_URL)
    wait_until_kept_again(page, MODULE_URL, None)
    assert page.goto(MODULE_URL).headers.get("x-kept-at")  # current: served from the phone
    stamp = kept_at(page, MODULE_URL)
    wait_until_kept_again(page, MODULE_URL, stamp)  # the background fetch is done
    new_title = old_title + " (edisi baru)"
    publish_new_title(server, old_title, new_title)
    assert get_content_title(server, MODULE) == new_title
    # The worker cannot know yet: this one view is the kept copy, and its background fetch
    # learns the new version, so the participant is told at once ...
    page.goto(MODULE_URL)
    expect(page.get_by_text("Versi baru tersedia")).to_be_visible(timeout=20000)
    # ... and from now on the old copy is never served: the next visit comes from the server.
    fresh = page.goto(MODULE_URL)
    assert fresh.headers.get("x-kept-at") is None
    expect(page.get_by_role("heading", level=1)).to_have_text(new_title)
    # "Muat ulang" switches to the new worker, which fetches the kept pages again: served at once, new.
    expect(page.get_by_text("Versi baru tersedia")).to_be_visible(timeout=20000)
    with page.expect_navigation():
        page.get_by_role("button", name="Muat ulang").first.click()
    page.wait_for_function("v => navigator.serviceWorker.controller && caches.open('lms-pages').then(c => "
                           "c.match(location.origin + v)).then(r => r && r.headers.get('X-Lms-Version'))"
                           ".then(v => fetch('/sw.js').then(s => s.text()).then(t => v && t.includes(v)))",
                           arg=MODULE_URL, timeout=20000)
    served = page.goto(MODULE_URL)
    assert served.headers.get("x-kept-at")
    expect(page.get_by_role("heading", level=1)).to_have_text(new_title)
    context.close()
