"""Hostile text in a session's title, venue, speaker and notice, and in a name, stays inert everywhere."""

import json
import re
import subprocess
from datetime import timedelta

import pytest

from lms.bootcamp import operations
from lms.extensions import db
from tests.conftest import login
from tests.test_bootcamp import HOSTILE, make_session, token_for

FIELDS = {"title": HOSTILE, "venue_name": HOSTILE, "venue_address": HOSTILE, "speaker": HOSTILE}


@pytest.fixture()
def hostile(app, world):
    world["participant"].name = HOSTILE
    db.session.commit()
    session = make_session(world["cohort"], starts_in=-timedelta(minutes=10), **FIELDS)
    cancelled = make_session(world["cohort"], starts_in=timedelta(days=2), **FIELDS)
    operations.cancel_session(cancelled, HOSTILE, cancelled_by=world["staff"])
    operations.check_in(session, world["other_participant"], method="qr", recorded_by=world["other_participant"])
    session.cancelled_id = cancelled.id
    return session


def staff_pages(world, session):
    base = f"/staf/kohort/{world['cohort'].id}/sesi"
    return [base, f"{base}/{session.id}", f"{base}/{session.id}/layar", f"{base}/{session.id}/offline",
            f"{base}/{session.id}/ubah"]


def assert_inert(html: str, where: str = "") -> None:
    """The hostile text is shown (so the test can fail), but escaped."""
    assert "<script>alert" not in html, where
    assert "&lt;script&gt;" in html or "\\u003cscript\\u003e" in html, where


def test_staff_pages_escape_hostile_text(app, client, world, hostile):
    login(client, world["staff"])
    for url in staff_pages(world, hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.get_data(as_text=True), url)


def test_the_offline_roster_is_json_that_cannot_close_its_script_block(app, client, world, hostile):
    login(client, world["staff"])
    html = client.get(staff_pages(world, hostile)[3]).get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="offline-roster">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and HOSTILE in {person["name"] for person in json.loads(block)}


def test_the_change_notice_and_its_whatsapp_text_are_inert(app, client, world, hostile):
    login(client, world["participant"])
    notices = client.get("/notifikasi").get_data(as_text=True)
    assert_inert(notices)
    staff = app.test_client()
    login(staff, world["staff"])
    page = staff.get(f"/staf/kohort/{world['cohort'].id}/sesi/{hostile.cancelled_id}").get_data(as_text=True)
    assert_inert(page)
    links = re.findall(r'href="(https://wa\.me/[^"]*)"', page)
    assert links and all("<" not in link and " " not in link and "%3Cscript" in link for link in links)


def test_participant_pages_and_the_qr_confirm_escape_hostile_text(app, client, world, hostile):
    login(client, world["other_participant"])
    for url in ("/jadwal", f"/sesi/{hostile.id}/hadir/{token_for(app, hostile)}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.get_data(as_text=True), url)
    mentor = app.test_client()
    login(mentor, world["mentor"])
    assert_inert(mentor.get("/mentor/sesi").get_data(as_text=True), "/mentor/sesi")


def test_calendar_text_cannot_add_lines_or_properties(app, client, world):
    injected = "Kelas\r\nATTENDEE:mailto:evil@example.org\r\nEND:VEVENT"
    session = make_session(world["cohort"], title=injected, venue_name=injected, speaker=injected)
    login(client, world["participant"])
    feed = client.get(f"/jadwal/sesi/{session.id}.ics").get_data(as_text=True)
    lines = feed.split("\r\n")
    assert not any(line.startswith("ATTENDEE") for line in lines)
    assert lines.count("END:VEVENT") == 1 and "\\n" in feed


def test_the_daftar_hadir_pdf_prints_a_hostile_venue_as_text(app, client, world, hostile, tmp_path):
    login(client, world["staff"])
    pdf = client.get(f"/staf/kohort/{world['cohort'].id}/sesi/{hostile.id}/daftar-hadir.pdf")
    (tmp_path / "d.pdf").write_bytes(pdf.data)
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert text.count('<script>alert("x")</script>') >= 3  # title, place and name, printed as text
