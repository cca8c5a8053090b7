"""Certificates in a real browser: bulk issue with progress, download, verify, revoke.

Works on a cohort of its own, so the demo participants other tests use stay as they are.
"""

import itertools
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms import accounts, seed
from lms.certificates import codes
from lms.enrollments import allocate_mentor, enroll
from lms.extensions import db
from lms.models import Certificate, Cohort, Enrollment, Role, User
from lms.phone import normalize_phone
from tests.browser.conftest import log_in, log_out_and_wait, open_header_menu
from tests.test_certificates import complete_course

pytestmark = pytest.mark.browser
STAFF_PHONE = seed.STAFF[0][0]
_cohorts = itertools.count(1)


@pytest.fixture
def cohort(live_server, tmp_path_factory):
    """A fresh cohort with two graduates-to-be and one participant who has done nothing."""
    app = live_server["app"]
    app.config["CERTIFICATE_ROOT"] = str(tmp_path_factory.mktemp("certificates"))
    number = next(_cohorts)
    with app.app_context():
        mentor = db.session.scalar(select(User).where(User.phone == normalize_phone(seed.MENTORS[0][0])))
        cohort = Cohort(name=f"Kohort Sertifikat {number}", slug=f"uji-sertifikat-{number}", course_id="ftd-umkm",
                        start_date=date(2026, 11, 2), bootcamp_date=date(2026, 11, 16),
                        graduation_date=date.today() + timedelta(days=10))  # issuing asks first
        db.session.add(cohort)
        db.session.flush()
        phones = []
        for index, name in enumerate(("Sari Lumban Gaol", "Parlin Sihombing", "Tono Belum Selesai"), start=1):
            phone = f"08199{number:03d}{index:04d}"
            user = accounts.create_user(name=name, phone_text=phone, role=Role.PARTICIPANT,
                                        password=seed.DEMO_PASSWORD)
            user.profile.business_name = f"Usaha {name.split()[0]}"
            user.profile.regency_code = "1275"
            allocate_mentor(enroll(user, cohort, changed_by=None, status="active"), mentor, assigned_by=None)
            phones.append(phone)
        db.session.commit()
        for enrollment in db.session.scalars(select(Enrollment).where(Enrollment.cohort_id == cohort.id)
                                             .order_by(Enrollment.id)).all()[:2]:
            complete_course(enrollment)
        return {"id": cohort.id, "name": cohort.name, "phones": phones}


def certificate_of(live_server, phone: str) -> Certificate:
    with live_server["app"].app_context():
        return db.session.scalar(
            select(Certificate).join(Enrollment, Enrollment.id == Certificate.enrollment_id)
            .join(User, User.id == Enrollment.user_id).where(User.phone == normalize_phone(phone))
            .order_by(Certificate.id.desc())
        )


def test_staff_issue_all_watch_progress_then_revoke(page, live_server, cohort):
    log_in(page, STAFF_PHONE)
    open_header_menu(page)
    page.get_by_role("link", name="Sertifikat", exact=True).click()
    page.get_by_role("link", name=cohort["name"]).click()
    page.get_by_role("link", name="Belum memenuhi syarat").click()
    assert page.get_by_text("Tono Belum Selesai").is_visible()
    assert page.get_by_text("kuis belum dikerjakan").first.is_visible()
    page.get_by_role("link", name="Perlu diterbitkan").click()
    page.get_by_role("button", name="Terbitkan semua (2 sertifikat)").click()
    page.get_by_role("button", name="Ya, terbitkan sebelum wisuda").click()  # the no-JS confirm step
    page.get_by_text("Selesai.").wait_for(timeout=30_000)  # job-progress.js reloads the page when done
    assert page.locator("progress").get_attribute("value") == "2"
    page.get_by_role("link", name="Lihat sertifikat").click()
    page.locator("a", has_text="FTD-2026-").first.click()
    page.get_by_label("Alasan pencabutan").fill("Peserta ternyata tidak hadir saat wisuda")
    page.get_by_role("button", name="Cabut sertifikat").click()
    page.get_by_role("button", name="Ya, cabut sertifikat").click()  # the confirm step
    assert page.get_by_text("dicabut.").first.is_visible()
    page.locator("dd a", has_text="-").first.click()  # the verification code links to the public page
    assert page.get_by_text("telah DICABUT").is_visible()
    assert page.get_by_text("Peserta ternyata tidak hadir saat wisuda").is_visible()


def test_participant_downloads_own_certificate_from_home_page(page, live_server, cohort):
    log_in(page, STAFF_PHONE)
    page.goto(f"/staf/kohort/{cohort['id']}/sertifikat")
    page.get_by_role("button", name="Terbitkan semua (2 sertifikat)").click()
    page.get_by_role("button", name="Ya, terbitkan sebelum wisuda").click()  # the no-JS confirm step
    page.get_by_text("Selesai.").wait_for(timeout=30_000)
    log_out_and_wait(page)
    log_in(page, cohort["phones"][0])
    assert page.get_by_role("heading", name="Selamat! Sertifikat Anda sudah terbit").is_visible()  # top card
    assert page.get_by_role("heading", name="Sertifikat Anda", exact=True).is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh sertifikat (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("sertifikat-FTD-2026-")
    with open(download.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"


def test_anyone_can_type_a_code_to_verify(page, live_server, cohort):
    log_in(page, STAFF_PHONE)
    page.goto(f"/staf/kohort/{cohort['id']}/sertifikat")
    page.get_by_role("button", name="Terbitkan semua (2 sertifikat)").click()
    page.get_by_role("button", name="Ya, terbitkan sebelum wisuda").click()  # the no-JS confirm step
    page.get_by_text("Selesai.").wait_for(timeout=30_000)
    log_out_and_wait(page)
    certificate = certificate_of(live_server, cohort["phones"][1])
    page.goto("/verify")
    code = codes.display_code(certificate.code)
    page.get_by_label("Kode verifikasi").fill(code[:-1] + ("A" if code[-1] != "A" else "B"))
    page.get_by_role("button", name="Periksa").click()
    assert page.get_by_text("salah ketik").is_visible()
    page.get_by_label("Kode verifikasi").fill(code.lower())
    page.get_by_role("button", name="Periksa").click()
    assert page.get_by_text("Sertifikat ini asli dan berlaku.").is_visible()
    assert page.get_by_text("Parlin Sihombing").is_visible()
    assert page.get_by_text(certificate.number).is_visible()
