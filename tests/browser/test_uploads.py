"""Oversized uploads and phone photos in a real browser: size check and shrinking before upload."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from lms import accounts
from lms.assignments import uploads
from lms.enrollments import allocate_mentor, enroll
from lms.extensions import db
from lms.models import Cohort, Submission, SubmissionFile, User
from lms.phone import normalize_phone
from lms.seed import DEMO_COHORT_SLUG, DEMO_PASSWORD
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PARTICIPANT_PHONE = "081299990502"  # our own participant: the flow changes its state
MENTOR_PHONE = "081100000011"
TASK = "/belajar/ftd-umkm/orientasi/tugas"


@pytest.fixture(scope="module")
def participant(live_server):
    """A fresh active participant of the demo cohort."""
    app = live_server["app"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.phone == normalize_phone(PARTICIPANT_PHONE)))
        if user is None:
            user = accounts.create_user(name="Peserta Uji Foto", phone_text=PARTICIPANT_PHONE, role="participant",
                                        password=DEMO_PASSWORD)
            cohort = db.session.scalar(select(Cohort).where(Cohort.slug == DEMO_COHORT_SLUG))
            enrollment = enroll(user, cohort, changed_by=None, status="active")
            mentor = db.session.scalar(select(User).where(User.phone == normalize_phone(MENTOR_PHONE)))
            allocate_mentor(enrollment, mentor, assigned_by=None)
            db.session.commit()
        return user.id


def phone_photo(path, size=(4000, 3000)) -> None:
    """Write a 12 MP photo-like JPEG with a GPS position, several MB large."""
    exif = Image.Exif()
    exif[0x0110] = "SM-A515F"
    exif.get_ifd(0x8825).update({1: "N", 2: (3.0, 35.0, 12.5)})
    Image.effect_noise(size, 40).convert("RGB").save(path, "JPEG", quality=95, exif=exif)


def test_a_phone_photo_is_shrunk_before_upload_and_stored_without_gps(page, live_server, participant, tmp_path):
    photo = tmp_path / "IMG_20261201.jpg"
    phone_photo(photo)
    assert photo.stat().st_size > 2 * 1024 * 1024
    log_in(page, PARTICIPANT_PHONE)
    page.goto(TASK)
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_label("Teks").fill("Foto toko saya")
    page.get_by_role("button", name="Kirim tugas").click()
    expect(page.get_by_text("Kiriman versi 1 tersimpan")).to_be_visible(timeout=30000)
    with live_server["app"].app_context():
        stored = db.session.scalar(select(SubmissionFile).join(Submission).where(Submission.user_id == participant))
        data = uploads.path_of(stored.stored_name).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) == 2000 and not image.getexif().get_ifd(0x8825)
    assert len(data) < photo.stat().st_size / 3 and b"SM-A515F" not in data


def test_a_file_over_the_limit_is_refused_before_upload_and_the_text_stays(page, live_server, participant, tmp_path):
    big = tmp_path / "laporan.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024) + b"\n%%EOF\n")
    log_in(page, PARTICIPANT_PHONE)
    page.goto(TASK)
    if page.get_by_role("button", name="Tarik versi 1").count():
        page.get_by_role("button", name="Tarik versi 1").click()
    requests = []
    page.on("request", lambda request: requests.append(request) if request.method == "POST" else None)
    page.get_by_label("Teks").fill("Teks yang sudah saya ketik")
    page.locator("input[type=file]").set_input_files(str(big))
    expect(page.get_by_text("terlalu besar (11,0 MB)")).to_be_visible()
    page.get_by_role("button", name="Kirim tugas").click()
    expect(page.get_by_label("Teks")).to_have_value("Teks yang sudah saya ketik")
    assert requests == []  # nothing was uploaded
