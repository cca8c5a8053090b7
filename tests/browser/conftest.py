"""A live server on a seeded database, and Playwright driving Debian's chromium."""

import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from lms import create_app, seed

CHROMIUM = "/usr/bin/chromium"
# Without these, chromium tries to reach Google's hosts at start-up, which this
# machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}
# axe-core from npm (package.json pins it; `npm ci` installs it), injected from disk: no CDN.
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Serve the app over real HTTP on a free port, with the demo cohort seeded."""
    instance = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "SECRET_KEY": "browser-tests-only",
            "PUBLIC_URL": "http://127.0.0.1:5000",  # required outside tests; links are not followed here
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'live.sqlite3'}",
            "UPLOAD_ROOT": str(instance / "uploads"),
            "CERTIFICATE_ROOT": str(instance / "certificates"),
            "IMPORT_ROOT": str(instance / "imports"),
            "CREDENTIAL_KEY_DIR": str(instance / "credential-keys"),
            "QUEUE_SQLITE_PATH": str(instance / "queue.sqlite3"),
            "RATELIMIT_ENABLED": False,
        }
    )
    server = serve_seeded_demo(app)
    stop_worker = threading.Event()
    worker = threading.Thread(target=consume_tasks, args=(app, stop_worker), daemon=True)
    worker.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
    server.shutdown()
    stop_worker.set()
    worker.join()


def serve_seeded_demo(app):
    """Migrate and seed the app's database, do the queued work, and serve it over HTTP on a free port."""
    with app.app_context():
        upgrade()
        seed.seed_demo()
    # The seed queued work (the impact figures' refresh). Do it before serving: a test's own
    # fixture that reads and then writes would otherwise race the worker's commits.
    drain_queue(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def drain_queue(app) -> None:
    """Run every task waiting on the queue, here and now."""
    from lms.queue import get_queue

    huey = get_queue(app).huey
    while (task := huey.dequeue()) is not None:
        huey.execute(task)


def consume_tasks(app, stop) -> None:
    """Do what the queue worker process does with each task (`flask lms worker`), in a thread."""
    from lms.queue import get_queue

    huey = get_queue(app).huey
    while not stop.is_set():
        task = huey.dequeue()
        if task is None:
            stop.wait(0.1)
        else:
            huey.execute(task)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh phone-sized browser tab with no cookies."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


def log_in(page, phone: str, password: str = seed.DEMO_PASSWORD) -> None:
    """Log in through the real form, as a person would."""
    page.goto("/masuk")
    page.get_by_label("Nomor HP atau email").fill(phone)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def phone_context(browser, live_server, **options):
    """A phone-sized browser context that lets a test inject axe-core despite the app's CSP."""
    return browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID",
                               bypass_csp=True, **options)


def serious_axe_violations(page) -> list[str]:
    """Run axe-core on the current page; describe every serious or critical violation."""
    assert AXE_SCRIPT.is_file(), f"{AXE_SCRIPT} is missing: run `npm ci` in the repository root"
    page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => `${v.id} (${v.impact}) at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
        }"""
    )


def scrolls_sideways(page) -> bool:
    """Tell whether the page is wider than the screen (the reader would have to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def log_out_and_wait(page) -> None:
    """Log out with the header button and wait for the page that follows.

    offline.js first wipes what the phone keeps for this user and only then submits the
    logout form, so the navigation comes a moment after the click: a test that goes on
    at once would race it (its next page load is aborted by the logout's).
    """
    open_header_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Keluar").click()


def open_header_menu(page) -> None:
    """Open the header's "Menu" disclosure (staff and participants), where it keeps all but the daily links."""
    menu = page.locator("header details.nav-menu")
    if menu.count() and menu.get_attribute("open") is None:
        menu.locator("summary").click()
