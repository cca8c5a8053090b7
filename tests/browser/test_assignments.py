"""Submitting work, a mentor's revision request and acceptance, and file privacy, in a real browser."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms import accounts
from lms.assignments.demo import demo_png
from lms.enrollments import allocate_mentor, enroll
from lms.extensions import db
from lms.models import Cohort, SubmissionFile, User
from lms.phone import normalize_phone
from lms.seed import DEMO_COHORT_SLUG, DEMO_PASSWORD
from tests.browser.conftest import log_in, log_out_and_wait

pytestmark = pytest.mark.browser

PARTICIPANT_PHONE = "081299990501"  # our own participant: the flow changes its state
MENTOR_PHONE = "081100000011"  # Rina Siregar
OTHER_MENTOR_PHONE = "081100000012"  # Daniel Simanjuntak
OTHER_PARTICIPANT_PHONE = "081200000014"  # a demo participant, only reads
TASK = "/belajar/ftd-umkm/pembuatan-konten/tugas"
CRITERIA = ("pencahayaan", "komposisi", "caption", "video", "rencana-mingguan")


@pytest.fixture(scope="module")
def participant(live_server):
    """A fresh participant of the demo cohort, followed by Rina."""
    app = live_server["app"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.phone == normalize_phone(PARTICIPANT_PHONE)))
        if user is None:
            user = accounts.create_user(name="Peserta Uji Tugas", phone_text=PARTICIPANT_PHONE, role="participant",
                                        password=DEMO_PASSWORD)
            cohort = db.session.scalar(select(Cohort).where(Cohort.slug == DEMO_COHORT_SLUG))
            enrollment = enroll(user, cohort, changed_by=None, status="active")
            mentor = db.session.scalar(select(User).where(User.phone == normalize_phone(MENTOR_PHONE)))
            allocate_mentor(enrollment, mentor, assigned_by=None)
            db.session.commit()
        return user.id


def log_out(page):
    log_out_and_wait(page)


def send_work(page, tmp_path, link: str) -> None:
    photo = tmp_path / "produk.png"
    photo.write_bytes(demo_png())
    page.goto(TASK)
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_label("Tautan").fill(link)
    page.get_by_role("button", name="Kirim tugas").click()


def grade_newest(page, decision: str, points: int, feedback: str) -> None:
    page.goto("/mentor/antrean")
    page.get_by_role("link", name="Peserta Uji Tugas").first.click()
    for criterion in CRITERIA:
        page.locator(f"input[name='score-{criterion}'][value='{points}']").check()
    page.get_by_label("Masukan untuk peserta").fill(feedback)
    page.get_by_label(decision).check()
    page.get_by_role("button", name="Simpan penilaian").click()
    expect(page.get_by_text("Penilaian tersimpan.")).to_be_visible()


def test_submit_revise_resubmit_accept_and_file_privacy(page, live_server, participant, tmp_path):
    log_in(page, PARTICIPANT_PHONE)
    page.goto(TASK)
    page.get_by_role("button", name="Kirim tugas").click()
    expect(page.get_by_text("Kiriman masih kosong")).to_be_visible()
    page.get_by_label("Tautan").fill("ftp://video.example/a")
    page.get_by_role("button", name="Kirim tugas").click()
    expect(page.get_by_text("Hanya tautan yang diawali http:// atau https://")).to_be_visible()
    send_work(page, tmp_path, "instagram.com/reel/uji1")
    expect(page.get_by_text("Kiriman versi 1 tersimpan")).to_be_visible()
    expect(page.get_by_text("sedang menunggu penilaian mentor")).to_be_visible()
    log_out(page)

    log_in(page, MENTOR_PHONE)
    expect(page.locator(".badge.count")).to_be_visible()  # the new-submission notice
    grade_newest(page, "Perlu revisi", 2, "Foto kurang terang, tambah cahaya dari jendela.")
    whatsapp = page.get_by_role("link", name="Kirim pesan WhatsApp ke Peserta Uji Tugas").get_attribute("href")
    assert whatsapp.startswith("https://wa.me/6281299990501?text=")
    log_out(page)

    log_in(page, PARTICIPANT_PHONE)
    page.goto(TASK)
    expect(page.get_by_text("Foto kurang terang")).to_be_visible()
    send_work(page, tmp_path, "https://instagram.com/reel/uji2")
    expect(page.get_by_text("Kiriman versi 2 tersimpan")).to_be_visible()
    log_out(page)

    log_in(page, MENTOR_PHONE)
    grade_newest(page, "Diterima", 4, "Mantap!")
    log_out(page)

    log_in(page, PARTICIPANT_PHONE)
    page.goto(TASK)
    expect(page.get_by_text("Tugas diterima").first).to_be_visible()
    expect(page.get_by_text("Nilai 20 dari 20")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Versi 1\b"))).to_be_visible()  # the history stays
    log_out(page)

    with live_server["app"].app_context():
        file_ids = list(db.session.scalars(
            select(SubmissionFile.id).where(SubmissionFile.submission.has(user_id=participant))))
    assert len(file_ids) == 2
    for phone in (OTHER_PARTICIPANT_PHONE, OTHER_MENTOR_PHONE):
        log_in(page, phone)
        for suffix in ("", "/lihat", "/kecil"):
            response = page.goto(f"/berkas/{file_ids[0]}{suffix}")
            assert response.status == 404
        expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
        log_out(page)
