"""Bootcamp check-in in a real browser: a participant scans the real QR code, staff check in offline and sync."""

import subprocess
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.extensions import db
from lms.models import Attendance, BootcampSession, Cohort, User, utcnow
from tests.browser.conftest import PHONE_VIEWPORT, log_in, log_out_and_wait
from tests.browser.test_offline import go_offline, go_online

pytestmark = pytest.mark.browser


@contextmanager
def open_session(live_server, title: str, **fields):
    """Add a session of the demo cohort that started ten minutes ago; yield (cohort id, session id).

    The session is removed afterwards: the other browser tests share this demo database, and a
    held session few attended would lower everyone's attendance below the course minimum.
    """
    with live_server["app"].app_context():
        cohort = db.session.scalar(select(Cohort).order_by(Cohort.id))
        starts = utcnow() - timedelta(minutes=10)
        session = BootcampSession(cohort_id=cohort.id, title=title, venue_name="Aula PLUT Medan",
                                  starts_at=starts, ends_at=starts + timedelta(hours=2), **fields)
        db.session.add(session)
        db.session.commit()
        ids = cohort.id, session.id
    try:
        yield ids
    finally:
        with live_server["app"].app_context():
            db.session.execute(Attendance.__table__.delete().where(Attendance.session_id == ids[1]))
            db.session.execute(BootcampSession.__table__.delete().where(BootcampSession.id == ids[1]))
            db.session.commit()


def attendance_of(live_server, session_id: int) -> list[tuple[str, str]]:
    with live_server["app"].app_context():
        rows = db.session.execute(select(User.phone, Attendance.method).join(User, User.id == Attendance.user_id)
                                  .where(Attendance.session_id == session_id)).all()
        return sorted((phone, method) for phone, method in rows)


def test_participant_checks_in_by_scanning_the_screen(browser, live_server, tmp_path):
    with open_session(live_server, "Sesi QR") as (cohort_id, session_id):
        scan_and_check_in(browser, live_server, tmp_path, cohort_id, session_id)


def scan_and_check_in(browser, live_server, tmp_path, cohort_id: int, session_id: int) -> None:
    # The staff phone at 360 px, photographed whole: the code must fit the screen (it used to be a
    # fixed 360 px SVG, cut off inside the card, which zbarimg could not read).
    staff = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID")
    screen = staff.new_page()
    log_in(screen, "081100000001")
    screen.clock.install()
    screen.goto(f"/staf/kohort/{cohort_id}/sesi/{session_id}/layar")
    assert screen.locator("head meta[http-equiv=refresh]").count() == 0  # JS swaps the code; noscript reloads
    phone = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID")
    participant = phone.new_page()
    log_in(participant, "081200000001")
    # A code lives 30 to 60 seconds. On a loaded machine the page, the photo and the participant's taps can
    # take longer than that; then the participant is told the code expired and scans the new one, as people
    # at the venue do. Three scans are plenty: each takes seconds, not minutes.
    recorded = participant.get_by_text("kehadiran Anda di \"Sesi QR\" tercatat")
    expired = participant.get_by_text("sudah kedaluwarsa")
    for _scan in range(3):
        path = scan_new_code(screen, tmp_path, session_id)
        participant.goto(path)
        assert attendance_of(live_server, session_id) == []  # opening the link records nothing
        if expired.count():
            continue
        participant.get_by_role("button", name="Hadir").click()
        expect(recorded.or_(expired)).to_be_visible()
        if recorded.count():
            break
    expect(recorded).to_be_visible()
    participant.goto(path)
    expect(participant.get_by_text("Anda sudah tercatat hadir")).to_be_visible()
    assert attendance_of(live_server, session_id) == [("+6281200000001", "qr")]
    staff.close()
    phone.close()


def scan_new_code(screen, tmp_path, session_id: int) -> str:
    """Let the screen swap in its next code (bootcamp-screen.js, every 30 s), photograph and decode it: its path."""
    screen.evaluate("document.querySelector('#checkin-qr').dataset.old = '1'")
    screen.clock.fast_forward(31_000)
    expect(screen.locator("#checkin-qr[data-old]")).to_have_count(0)
    expect(screen.locator("#checkin-qr svg")).to_have_count(1)
    box = screen.locator("#checkin-qr svg").bounding_box()
    frame = screen.locator("#checkin-qr").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5
    shot = tmp_path / "screen.png"
    screen.screenshot(path=str(shot), full_page=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True,
                             check=True).stdout.strip()
    # The QR names the configured public address; the test server listens elsewhere, so keep the path.
    path = urlsplit(decoded).path
    assert path.startswith(f"/sesi/{session_id}/hadir/")
    return path


def test_staff_check_in_offline_then_sync(browser, live_server):
    with open_session(live_server, "Sesi tanpa sinyal") as (cohort_id, session_id):
        check_in_offline_then_sync(browser, live_server, cohort_id, session_id)


def check_in_offline_then_sync(browser, live_server, cohort_id: int, session_id: int) -> None:
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID")
    page = context.new_page()
    log_in(page, "081100000001")
    page.wait_for_function("!!navigator.serviceWorker.controller")
    page.goto(f"/staf/kohort/{cohort_id}/sesi/{session_id}/offline")
    expect(page.get_by_text("Terhubung ke internet.")).to_be_visible()
    # The service worker keeps this one staff page, so the desk can open it again without signal.
    page.wait_for_function("async () => !!(await caches.match(location.href, {cacheName: 'lms-pages'}))")
    # Really offline: set_offline alone lets the service worker's own fetches through, so a sync could leave.
    go_offline(context)
    expect(page.get_by_text("Tidak ada internet")).to_be_visible()
    search = page.get_by_label("Cari nama atau 4 angka terakhir HP")
    search.fill("0002")
    page.locator("#offline-people button").first.click()
    expect(page.get_by_text("Belum terkirim: 1")).to_be_visible()
    page.reload()  # offline: the kept copy opens, and the waiting check-in is still there
    expect(page.get_by_role("heading", name="Check-in tanpa internet: Sesi tanpa sinyal")).to_be_visible()
    expect(page.get_by_text("Belum terkirim: 1")).to_be_visible()
    search = page.get_by_label("Cari nama atau 4 angka terakhir HP")
    search.fill("0003")
    page.locator("#offline-people button").first.click()
    expect(page.get_by_text("Belum terkirim: 2")).to_be_visible()
    page.get_by_role("button", name="Kirim sekarang").click()  # still offline: nothing leaves, nothing is lost
    expect(page.get_by_text("Belum terkirim: 2")).to_be_visible()
    assert attendance_of(live_server, session_id) == []

    go_online(context)
    expect(page.get_by_text("Semua check-in sudah terkirim.")).to_be_visible()
    assert attendance_of(live_server, session_id) == [("+6281200000002", "synced"), ("+6281200000003", "synced")]
    # Sending the same batch again (a lost answer) records nobody twice.
    stored = page.evaluate(f"localStorage.getItem('bootcamp-offline-{session_id}-done')")
    again = page.evaluate("""async ([url, body]) => {
        const csrf = document.getElementById('offline-checkin').dataset.csrf;
        const r = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
                                    body: JSON.stringify({items: JSON.parse(body)})});
        return (await r.json()).results.map(x => x.result);
    }""", [f"/staf/kohort/{cohort_id}/sesi/{session_id}/sinkron", stored])
    assert again == ["already", "already"]
    assert len(attendance_of(live_server, session_id)) == 2
    # The kept roster leaves the phone at logout.
    log_out_and_wait(page)
    kept = f"/staf/kohort/{cohort_id}/sesi/{session_id}/offline"
    assert page.evaluate("async (url) => !(await caches.match(url, {cacheName: 'lms-pages'}))", kept)
    context.close()


def test_schedule_and_session_pages_are_accessible_at_phone_width(browser, live_server):
    from tests.browser.conftest import phone_context, scrolls_sideways, serious_axe_violations

    context = phone_context(browser, live_server)
    page = context.new_page()
    log_in(page, "081200000001")
    page.goto("/jadwal")
    expect(page.get_by_role("heading", name="Kehadiran saya")).to_be_visible()
    expect(page.get_by_text("Pembukaan bootcamp oleh Gubernur")).to_be_visible()
    assert serious_axe_violations(page) == [] and not scrolls_sideways(page)
    log_out_and_wait(page)
    log_in(page, "081100000001")
    page.goto("/staf/kohort/1/sesi")
    page.get_by_role("link", name="Pembukaan bootcamp oleh Gubernur").click()
    expect(page.get_by_role("heading", name="Daftar hadir")).to_be_visible()
    assert serious_axe_violations(page) == []
    context.close()


def test_a_full_session_tells_the_participant_and_staff_override_at_phone_width(browser, live_server):
    from lms.bootcamp import operations, rules
    from lms.bootcamp.checkin import current_step
    from tests.browser.conftest import phone_context, scrolls_sideways, serious_axe_violations

    with open_session(live_server, "Sesi penuh", capacity=1) as (cohort_id, session_id):
        app = live_server["app"]
        with app.app_context():
            session = db.session.get(BootcampSession, session_id)
            first = db.session.scalar(select(User).where(User.phone == "+6281200000002"))
            staff_user = db.session.scalar(select(User).where(User.phone == "+6281100000001"))
            operations.check_in(session, first, method="manual", recorded_by=staff_user)
            token = rules.sign_checkin(app.config["SECRET_KEY"], session_id, current_step())
        context = phone_context(browser, live_server)
        page = context.new_page()
        log_in(page, "081200000001")
        page.goto(f"/sesi/{session_id}/hadir/{token}")
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Sesi ini sudah penuh: 1 kursi sudah terisi")
        expect(page.get_by_role("button", name="Hadir")).to_have_count(0)
        assert serious_axe_violations(page) == [] and not scrolls_sideways(page)
        log_out_and_wait(page)

        log_in(page, "081100000001")
        page.goto(f"/staf/kohort/{cohort_id}/sesi/{session_id}?q=0812-0000-0001")
        expect(page.get_by_test_id("capacity-full")).to_be_visible()
        assert serious_axe_violations(page) == [] and not scrolls_sideways(page)
        page.get_by_role("button", name="Catat walau penuh").first.click()
        expect(page.get_by_text("tercatat hadir.")).to_be_visible()
        assert ("+6281200000001", "manual") in attendance_of(live_server, session_id)
        context.close()
