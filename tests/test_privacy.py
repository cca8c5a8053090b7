"""Data rights (issue #14 §4): one's own data and its downloads, deletion requests, the erasure, retention."""

import io
import itertools
import json
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import current_app
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import (
    AuditEvent,
    Certificate,
    DeletionRequest,
    Enrollment,
    ParticipantProfile,
    QuizAttempt,
    QuizVersion,
    Submission,
    SubmissionFile,
    SurveyResponse,
    User,
    UserSession,
    utcnow,
)
from lms.privacy import operations, rules
from lms.privacy.tasks import apply_registrant_retention
from tests.conftest import enroll_participant, login, make_cohort, make_user

_phones = itertools.count(1)  # this file's own numbers: conftest's counter is a second copy here


def person(**profile):
    return make_user(phone=f"0815{next(_phones):08d}", **profile)


def give_records(world, tmp_path):
    """Give `participant` a survey answer, a submission with a file on disk, a quiz attempt and a certificate."""
    app_config = current_app.config
    user, enrollment, cohort = world["participant"], world["enrollment"], world["cohort"]
    db.session.add(SurveyResponse(user_id=user.id, cohort_id=cohort.id, wave="baseline", version_no=1,
                                  status="submitted", survey_id="dampak-umkm", survey_version=1,
                                  answers={"omzet": 3000000}, submitted_at=utcnow()))
    submission = Submission(user_id=user.id, enrollment_id=enrollment.id, module_id="m1", assignment_version="v1",
                            assignment_snapshot={}, version_no=1, client_token=uuid.uuid4().hex,
                            text="Rahasia usaha saya")
    db.session.add(submission)
    db.session.flush()
    folder = Path(app_config["UPLOAD_ROOT"]) / "submissions"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "abc.jpg").write_bytes(b"x")
    db.session.add(SubmissionFile(submission_id=submission.id, stored_name="abc.jpg", display_name="foto-ktp.jpg",
                                  content_type="image/jpeg", size=1, sha256="0" * 64))
    version = QuizVersion(module_id="m1", version="v1", snapshot={})
    db.session.add(version)
    db.session.flush()
    db.session.add(QuizAttempt(user_id=user.id, course_id="ftd-umkm", module_id="m1", quiz_version_id=version.id,
                               number=1, choice_order={}, submitted_at=utcnow(), score=80.0, passed=True))
    pdf = Path(app_config["CERTIFICATE_ROOT"]) / "c1.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF")
    db.session.add(Certificate(enrollment_id=enrollment.id, kind="graduation", number="FTD-2026-000001",
                               code="VERIFY123456", name="Peserta Satu, S.E.", business_name="Bika Ambon Satu",
                               regency_code="1275", course_title="Fast Track Digital", cohort_name=cohort.name,
                               graduation_date=cohort.graduation_date, pdf_path="c1.pdf"))
    db.session.commit()
    return folder / "abc.jpg", pdf


def test_a_participant_sees_their_own_data_and_nobody_elses(client, world, tmp_path):
    give_records(world, tmp_path)
    login(client, world["participant"])
    html = client.get("/data-saya").get_data(as_text=True)
    assert "Bika Ambon Satu" in html and "foto-ktp.jpg" in html and "FTD-2026-000001" in html
    assert world["participant"].phone in html
    assert "Ulos Dua" not in html and world["other_participant"].phone not in html


def test_the_downloads_hold_everything_and_each_access_is_logged(client, world, tmp_path):
    give_records(world, tmp_path)
    world["enrollment"].consent_version, world["enrollment"].consented_at = "2026-1", utcnow()
    world["participant"].name = "=cmd|' /C calc'!A0"
    db.session.commit()
    login(client, world["participant"])
    response = client.get("/data-saya/unduh.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    assert data["profile"]["business_name"] == "Bika Ambon Satu"
    assert data["survey_answers"][0]["answers"] == {"omzet": 3000000}
    assert data["submissions"][0]["files"] == ["foto-ktp.jpg"]
    assert data["quiz_attempts"][0]["score"] == 80.0
    assert data["certificates"][0]["verification_code"] == "VERIFY123456"
    assert data["consents"] == [{"cohort": world["cohort"].name, "consent_version": "2026-1",
                                 "consented_at": data["consents"][0]["consented_at"]}]
    workbook = load_workbook(io.BytesIO(client.get("/data-saya/unduh.xlsx").data))
    assert {"Akun", "Profil", "Jawaban survei", "Tugas", "Kuis", "Sertifikat", "Persetujuan"} <= set(
        workbook.sheetnames)
    account = list(workbook["Akun"].iter_rows(values_only=True))
    assert account[1][0] == "'=cmd|' /C calc'!A0"  # a formula stays text
    assert client.get("/data-saya/unduh.csv").status_code == 404
    logged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.own_data")).all()
    assert [e.after["format"] for e in logged] == ["json", "xlsx"]
    assert all(e.actor_id == world["participant"].id for e in logged)


@pytest.mark.parametrize(("locale", "words"), [
    ("id", {"Profil": ("Nama usaha", "Bidang usaha", "Kabupaten/kota"), "Pendaftaran": ("Status", "Aktif"),
            "Jawaban survei": ("Gelombang", "Survei awal", "Terkirim"), "Sertifikat": ("Jenis", "Berlaku")}),
    ("en", {"Profile": ("Business name", "Business sector", "Regency/city"), "Registration": ("Status", "Active"),
            "Survey answers": ("Wave", "Baseline survey", "Submitted"), "Certificates": ("Type", "Valid")}),
])
def test_the_own_data_xlsx_reads_as_words_in_the_readers_language(client, world, tmp_path, locale, words):
    give_records(world, tmp_path)
    login(client, world["participant"])
    with client.session_transaction() as session:
        session["lang"] = locale
    workbook = load_workbook(io.BytesIO(client.get("/data-saya/unduh.xlsx").data))
    for title, expected in words.items():
        sheet = workbook[title]
        text = {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}
        assert set(expected) <= text, (title, expected, text)
        assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width >= 8
    cells = {str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row}
    assert not cells & {"business_name", "regency_code", "registered_via", "registered", "active", "submitted",
                        "baseline", "graduation", "valid", "1275"}
    # The JSON stays machine-readable: keys and stored codes.
    data = json.loads(client.get("/data-saya/unduh.json").data)
    assert data["enrollments"][0]["status"] == "active" and data["profile"]["regency_code"] == "1275"


def test_asking_for_deletion_needs_the_confirm_box_and_happens_once(client, world):
    login(client, world["participant"])
    response = client.post("/data-saya/hapus", data={"reason": "Usaha tutup"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Centang kotak ini untuk melanjutkan." in html and "Usaha tutup" in html
    assert db.session.scalar(select(func.count(DeletionRequest.id))) == 0
    assert client.post("/data-saya/hapus", data={"reason": "Usaha tutup", "confirm": "y"}).status_code == 302
    client.post("/data-saya/hapus", data={"reason": "lagi", "confirm": "y"})
    requests = db.session.scalars(select(DeletionRequest)).all()
    assert [(r.user_id, r.reason) for r in requests] == [(world["participant"].id, "Usaha tutup")]
    assert "sedang menunggu staf" in client.get("/data-saya").get_data(as_text=True)
    staff = client.application.test_client()
    login(staff, world["staff"])
    home = staff.get("/staf/permintaan-hapus-data").get_data(as_text=True)
    assert "Peserta Satu" in home and 'aria-label="1 menunggu"' in home


def test_staff_carry_out_an_erasure_that_keeps_only_what_must_stay(client, world, tmp_path):
    upload, pdf = give_records(world, tmp_path)
    participant, enrollment = world["participant"], world["enrollment"]
    request = DeletionRequest(user_id=participant.id, reason="Usaha tutup")
    db.session.add(request)
    db.session.commit()
    login(client, world["staff"])
    page = client.get(f"/staf/permintaan-hapus-data/{request.id}").get_data(as_text=True)
    assert "1 jawaban survei" in page and "1 sertifikat" in page
    assert client.post(f"/staf/permintaan-hapus-data/{request.id}/laksanakan", data={}).status_code == 200
    assert db.session.get(User, participant.id).erased_at is None  # no confirm box, nothing erased
    response = client.post(f"/staf/permintaan-hapus-data/{request.id}/laksanakan", data={"confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, participant.id)
    assert (user.name, user.phone, user.email, user.password_hash, user.active) == (
        rules.ERASED_NAME, rules.tombstone_phone(user.id), None, None, False)
    profile = db.session.get(ParticipantProfile, user.id)
    assert (profile.business_name, profile.regency_code, profile.certificate_name) == ("", None, "")
    for model in (SurveyResponse, Submission, SubmissionFile, QuizAttempt):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    assert db.session.scalar(select(func.count(UserSession.id)).where(UserSession.user_id == user.id)) == 0
    assert not upload.exists() and not pdf.exists()
    certificate = db.session.scalar(select(Certificate))
    assert (certificate.number, certificate.code, certificate.name, certificate.course_title) == (
        "FTD-2026-000001", "VERIFY123456", "Peserta Satu, S.E.", "Fast Track Digital")
    assert (certificate.business_name, certificate.regency_code, certificate.pdf_path) == ("", None, None)
    assert db.session.get(Enrollment, enrollment.id).status == "withdrawn"
    assert db.session.get(DeletionRequest, request.id).resolved_by_id == world["staff"].id
    erased = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.erased"))
    assert erased.actor_id == world["staff"].id and erased.after["survey_responses"] == 1
    assert erased.after["files"] == 2 and "Peserta" not in json.dumps(erased.after)
    assert login(client.application.test_client(), participant).status_code != 302  # cannot sign in
    again = client.post(f"/staf/permintaan-hapus-data/{request.id}/laksanakan", data={"confirm": "y"})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "privacy.erased")) == 1


def test_an_unknown_request_is_404(client, world):
    login(client, world["staff"])
    assert client.get("/staf/permintaan-hapus-data/999").status_code == 404
    assert client.post("/staf/permintaan-hapus-data/999/laksanakan", data={"confirm": "y"}).status_code == 404


def test_retention_erases_only_old_registrants_never_selected_and_is_idempotent(app):
    long_ago = date.today() - timedelta(days=app.config["REGISTRANT_RETENTION_DAYS"] + 30)
    old = make_cohort("lama")
    old.start_date, old.bootcamp_date, old.graduation_date = (long_ago - timedelta(days=40),
                                                              long_ago - timedelta(days=30), long_ago)
    db.session.commit()
    recent = make_cohort("baru")
    forgotten = person(business_name="Lama Sekali")
    enroll_participant(forgotten, old, status="registered")
    was_selected = person()
    enrollment = enroll_participant(was_selected, old, status="selected")
    from lms.enrollments import change_status

    change_status(enrollment, "registered", changed_by=None, reason="batal")  # selected once, then not
    db.session.commit()
    came_back = person()
    enroll_participant(came_back, old, status="registered")
    enroll_participant(came_back, recent, status="registered")
    graduate = person()
    enroll_participant(graduate, old, status="graduated")
    older = make_cohort("lebih-lama")
    older.start_date, older.bootcamp_date, older.graduation_date = (old.start_date, old.bootcamp_date,
                                                                    old.graduation_date - timedelta(days=1))
    once_active = person()  # active in one old cohort, only registered in another: kept
    enroll_participant(once_active, older, status="active")
    enroll_participant(once_active, old, status="registered")
    summary = apply_registrant_retention()
    assert summary.startswith("1 registrant(s) erased")
    db.session.expire_all()
    assert db.session.get(User, forgotten.id).name == rules.ERASED_NAME
    kept = (was_selected, came_back, graduate, once_active)
    assert [db.session.get(User, u.id).erased_at for u in kept] == [None] * 4
    assert apply_registrant_retention().startswith("0 registrant(s)")
    retention_rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.erased")).all()
    assert [(r.actor_id, r.after["source"]) for r in retention_rows] == [(None, "retention")]


def test_retention_is_listed_as_a_periodic_task(app):
    from lms.queue import PERIODIC, load_task_modules

    load_task_modules()
    assert "privacy.retention" in PERIODIC


def test_erasing_twice_directly_changes_nothing_the_second_time(app, world):
    operations.erase_person(world["other_participant"], erased_by=None, reason="uji")
    assert operations.erase_person(world["other_participant"], erased_by=None, reason="uji") == {}


def test_the_demo_queues_one_deletion_request(app):
    from lms.privacy import demo

    make_user(phone=demo.ASKING_PHONE)
    cohort = make_cohort("ftd-demo")
    demo.seed_demo(cohort)
    demo.seed_demo(cohort)
    assert db.session.scalar(select(func.count(DeletionRequest.id))) == 1
