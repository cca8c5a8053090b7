"""Certificates: eligibility, issuing (one and bulk), lifecycle, downloads and verification."""

import hashlib
import io
import itertools
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.certificates import codes, eligibility, operations
from lms.certificates.demo import complete_module
from lms.completion import Facts
from lms.extensions import db
from lms.models import AuditEvent, BackgroundJob, Certificate, Cohort, Enrollment, TopAward
from tests.conftest import enroll_participant, login, make_user

# Phones of our own: `world` creates its users through another import of conftest, with its own counter.
_phones = itertools.count(1)


def new_participant(name: str, **profile):
    """Create a participant with a phone number no other factory hands out."""
    return make_user(name=name, phone=f"0819{next(_phones):08d}", **profile)


def complete_course(enrollment: Enrollment) -> None:
    """Give an enrollment everything the course requires (as the demo seed does)."""
    from lms.completion import facts_for_users

    _course, modules = eligibility.course_and_modules(enrollment.cohort)
    facts = facts_for_users([enrollment.user_id], [m.id for m in modules])[enrollment.user_id]
    for module in modules:
        complete_module(enrollment, module, facts, needs_revision=False)
    db.session.commit()


def pdf_text(path: Path) -> str:
    """Return the text pdftotext extracts from a PDF."""
    import subprocess

    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)  # noqa: S603,S607
    return result.stdout.decode()

BEFORE_GRADUATION = date(2026, 12, 1)  # the test cohort graduates on 14 December 2026
AFTER_GRADUATION = date(2026, 12, 15)


@pytest.fixture(autouse=True)
def today_is_before_graduation(monkeypatch):
    """Fix "today" (WIB) so the tests do not depend on the calendar; a test may move it."""
    monkeypatch.setattr(operations, "today_wib", lambda: BEFORE_GRADUATION)


# --- Eligibility --------------------------------------------------------------------------


def test_not_eligible_participant_sees_exactly_what_is_missing(world):
    course, modules = eligibility.course_and_modules(world["cohort"])
    facts = Facts(read={m.id for m in modules})
    result = eligibility.evaluate_enrollment(course, modules, facts, "active")
    assert not result.eligible
    lines = eligibility.describe_missing(result, modules, course.pass_mark)
    assert len(lines) == len([m for m in modules if m.quiz or m.assignment])  # one line per module
    assert any("kuis belum dikerjakan" in line for line in lines)
    assert any("tugas belum dikirim" in line for line in lines)
    assert all(line.startswith("Modul ") for line in lines)


def test_missing_lines_name_quiz_score_and_assignment_state(world):
    course, modules = eligibility.course_and_modules(world["cohort"])
    quiz_module = next(m for m in modules if m.quiz)
    assignment_module = [m for m in modules if m.assignment][-1]
    assert assignment_module.id != quiz_module.id
    facts = Facts(read={m.id for m in modules},
                  best_quiz_score={m.id: 100.0 for m in modules if m.quiz} | {quiz_module.id: 55.0},
                  assignment_status={m.id: "accepted" for m in modules if m.assignment}
                  | {assignment_module.id: "needs_revision"})
    result = eligibility.evaluate_enrollment(course, modules, facts, "active")
    lines = eligibility.describe_missing(result, modules, course.pass_mark)
    assert len(lines) == 2
    assert any(quiz_module.title in line and "nilai terbaik 55, minimal 70" in line for line in lines)
    assert any(assignment_module.title in line and "tugas perlu direvisi" in line for line in lines)


def test_complete_but_withdrawn_or_registered_is_not_eligible(world):
    course, modules = eligibility.course_and_modules(world["cohort"])
    facts = Facts(read={m.id for m in modules}, best_quiz_score={m.id: 100.0 for m in modules},
                  assignment_status={m.id: "accepted" for m in modules})
    assert eligibility.evaluate_enrollment(course, modules, facts, "active").eligible
    assert eligibility.evaluate_enrollment(course, modules, facts, "graduated").eligible
    for status in ("registered", "selected", "withdrawn"):
        result = eligibility.evaluate_enrollment(course, modules, facts, status)
        assert not result.eligible
        assert eligibility.describe_missing(result, modules, course.pass_mark) == ["Status pendaftaran belum aktif."]


def test_cohort_overview_lists_eligible_and_waiting(world):
    complete_course(world["enrollment"])
    overview = eligibility.cohort_overview(world["cohort"])
    assert [row.user.id for row in overview.eligible_rows] == [world["participant"].id]
    assert [row.user.id for row in overview.waiting_rows] == [world["other_participant"].id]
    assert [(row.user.id, kind) for row, kind in overview.to_issue()] == [(world["participant"].id, "graduation")]


def test_staff_cohort_page_shows_missing_items_in_indonesian(client, world):
    complete_course(world["enrollment"])
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{world['cohort'].id}/sertifikat?tampil=belum").get_data(as_text=True)
    assert "Peserta Dua" in page and "tugas belum dikirim" in page and "kuis belum dikerjakan" in page
    due = client.get(f"/staf/kohort/{world['cohort'].id}/sertifikat").get_data(as_text=True)
    assert "Peserta Satu" in due and "Terbitkan semua (1 sertifikat)" in due


# --- Issuing one ----------------------------------------------------------------------------


def test_issue_one_stores_pdf_digest_audit_and_graduates(world, monkeypatch):
    monkeypatch.setattr(operations, "today_wib", lambda: AFTER_GRADUATION)
    complete_course(world["enrollment"])
    certificate = operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    assert certificate.number == f"FTD-2026-{certificate.id:06d}"
    assert codes.parse_code(codes.display_code(certificate.code)) == certificate.code
    path = operations.storage_root() / certificate.pdf_path
    assert path.is_file() and certificate.pdf_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "Peserta Satu" in pdf_text(path) and certificate.number in pdf_text(path)
    assert db.session.get(Enrollment, world["enrollment"].id).status == "graduated"
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "certificate.issue" in actions and "enrollment.status" in actions


def test_issuing_to_a_participant_who_is_not_eligible_issues_nothing(client, world):
    login(client, world["staff"])
    response = client.post(f"/staf/pendaftaran/{world['enrollment'].id}/sertifikat", data={"kind": "graduation"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "belum memenuhi syarat" in page and "kuis belum dikerjakan" in page
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_issuing_twice_gives_a_clear_message(client, world):
    complete_course(world["enrollment"])
    login(client, world["staff"])
    url = f"/staf/pendaftaran/{world['enrollment'].id}/sertifikat"
    data = {"kind": "graduation", "confirmed": "1"}
    first = client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
    second = client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
    assert "diterbitkan untuk Peserta Satu" in first
    assert "sudah memiliki sertifikat yang berlaku" in second
    assert db.session.scalar(select(func.count(Certificate.id))) == 1


def test_top_certificate_needs_a_top_award(world):
    complete_course(world["enrollment"])
    with pytest.raises(operations.CertificateError, match="tidak termasuk peserta terbaik"):
        operations.issue_certificate(world["enrollment"], "top", issued_by=world["staff"])
    db.session.add(TopAward(cohort_id=world["cohort"].id, enrollment_id=world["enrollment"].id, rank_at_award=1))
    db.session.commit()
    top = operations.issue_certificate(world["enrollment"], "top", issued_by=world["staff"])
    assert top.kind == "top"
    assert "PESERTATERBAIK" in "".join(pdf_text(operations.storage_root() / top.pdf_path).split())


# --- Bulk issue -------------------------------------------------------------------------------


def test_bulk_issue_is_idempotent_and_issues_top_certificates(client, world):
    complete_course(world["enrollment"])
    db.session.add(TopAward(cohort_id=world["cohort"].id, enrollment_id=world["enrollment"].id, rank_at_award=1))
    db.session.commit()
    login(client, world["staff"])
    url = f"/staf/kohort/{world['cohort'].id}/sertifikat/terbitkan"
    response = client.post(url, data={"confirmed": "1"})
    job = db.session.scalars(select(BackgroundJob)).one()
    assert response.headers["Location"].endswith(f"/staf/sertifikat/proses/{job.id}")
    assert job.status == "done" and job.result["issued"] == 2 and job.result["not_eligible"] == 1
    kinds = db.session.scalars(select(Certificate.kind).order_by(Certificate.kind)).all()
    assert kinds == ["graduation", "top"]
    assert all(c.pdf_sha256 for c in db.session.scalars(select(Certificate)))
    page = client.get(f"/staf/sertifikat/proses/{job.id}").get_data(as_text=True)
    assert "Selesai" in page and 'http-equiv="refresh"' not in page
    client.post(url, data={"confirmed": "1"})
    again = db.session.scalars(select(BackgroundJob).order_by(BackgroundJob.id.desc())).first()
    assert again.id != job.id and again.result["issued"] == 0
    assert db.session.scalar(select(func.count(Certificate.id))) == 2


def test_double_click_on_issue_all_shows_the_running_job(client, world):
    live = BackgroundJob(kind=operations.JOB_KIND, cohort_id=world["cohort"].id, status="running", total=10, done=3)
    db.session.add(live)
    db.session.commit()
    login(client, world["staff"])
    response = client.post(f"/staf/kohort/{world['cohort'].id}/sertifikat/terbitkan", data={"confirmed": "1"})
    assert response.headers["Location"].endswith(f"/staf/sertifikat/proses/{live.id}")
    assert db.session.scalar(select(func.count(BackgroundJob.id))) == 1
    page = client.get(f"/staf/sertifikat/proses/{live.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "job-progress.js" in page and "sedang berjalan" in page
    assert client.get(f"/staf/sertifikat/proses/{live.id}/status").get_json() == {
        "status": "running", "done": 3, "total": 10, "finished": False}


def test_bulk_issue_renders_in_worker_processes(app, world):
    """Enough certificates for the process pool; every PDF is stored and recorded."""
    app.config["CERTIFICATE_RENDER_PROCESSES"] = 2
    enrollments = [world["enrollment"]]
    for index in range(12):
        user = new_participant(f"Lulusan {index}", business_name=f"Usaha {index}")
        enrollments.append(enroll_participant(user, world["cohort"], mentor=world["mentor"]))
    for enrollment in enrollments:
        complete_course(enrollment)
    job, _created = operations.start_bulk_issue(world["cohort"], started_by=world["staff"])
    job = db.session.get(BackgroundJob, job.id)
    assert job.status == "done", job.error
    assert job.result["issued"] == 13 and job.done == job.total == 13
    certificates = db.session.scalars(select(Certificate)).all()
    assert len(certificates) == 13
    for certificate in certificates:
        path = operations.storage_root() / certificate.pdf_path
        assert hashlib.sha256(path.read_bytes()).hexdigest() == certificate.pdf_sha256
    assert "Lulusan 5" in pdf_text(operations.storage_root() / next(
        c.pdf_path for c in certificates if c.name == "Lulusan 5"))


def test_missing_pdf_is_rendered_again_on_download(client, world):
    complete_course(world["enrollment"])
    certificate = operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    (operations.storage_root() / certificate.pdf_path).unlink()
    login(client, world["participant"])
    response = client.get(f"/sertifikat/{certificate.id}/unduh")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    response.close()


def test_cli_issue_shows_progress_and_is_idempotent(runner, world):
    complete_course(world["enrollment"])
    result = runner.invoke(args=["lms", "certificates", "issue", "--cohort", world["cohort"].slug])
    assert result.exit_code == 0, result.output
    assert "Issuing certificates" in result.output and "Issued 1 new certificate(s)" in result.output
    again = runner.invoke(args=["lms", "certificates", "issue", "--cohort", world["cohort"].slug])
    assert "Issued 0 new certificate(s); 1 already existed" in again.output
    missing = runner.invoke(args=["lms", "certificates", "issue", "--cohort", "tidak-ada"])
    assert missing.exit_code == 1 and "no cohort" in missing.output


# --- Lifecycle ------------------------------------------------------------------------------


@pytest.fixture
def issued(world):
    complete_course(world["enrollment"])
    return operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])


def test_revoke_with_reason_then_verify_says_so(client, world, issued):
    login(client, world["staff"])
    empty = client.post(f"/staf/sertifikat/{issued.id}/cabut", data={"reason": ""})
    assert empty.status_code == 200 and "Tuliskan alasan pencabutan" in empty.get_data(as_text=True)
    assert db.session.get(Certificate, issued.id).status == "valid"
    client.post(f"/staf/sertifikat/{issued.id}/cabut", data={"reason": "Data usaha dipalsukan", "confirmed": "1"})
    certificate = db.session.get(Certificate, issued.id)
    assert certificate.status == "revoked" and certificate.revoked_by_id == world["staff"].id
    page = client.get(f"/verify/{codes.display_code(issued.code)}").get_data(as_text=True)
    assert "DICABUT" in page and "Data usaha dipalsukan" in page
    again = client.post(f"/staf/sertifikat/{issued.id}/cabut", data={"reason": "Alasan lain sekali", "confirmed": "1"},
                        follow_redirects=True).get_data(as_text=True)
    assert "sudah dicabut sebelumnya" in again
    assert db.session.get(Certificate, issued.id).revoke_reason == "Data usaha dipalsukan"
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "certificate.revoke")) == 1


def test_reissue_after_name_correction_supersedes(client, world, issued):
    login(client, world["staff"])
    response = client.post(f"/staf/sertifikat/{issued.id}/terbitkan-ulang",
                           data={"name": "Peserta Satu Nasution", "business_name": "Bika Ambon Satu"})
    new = db.session.scalar(select(Certificate).where(Certificate.status == "valid"))
    old = db.session.get(Certificate, issued.id)
    assert response.headers["Location"].endswith(f"/staf/sertifikat/{new.id}")
    assert old.status == "superseded" and old.superseded_by_id == new.id
    assert new.number != old.number and new.code != old.code
    assert "Peserta Satu Nasution" in pdf_text(operations.storage_root() / new.pdf_path)
    old_page = client.get(f"/verify/{codes.display_code(old.code)}").get_data(as_text=True)
    assert "DIGANTIKAN" in old_page and new.number in old_page
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "certificate.reissue")) == 1
    refused = client.post(f"/staf/sertifikat/{old.id}/terbitkan-ulang", data={"name": "X", "business_name": ""},
                          follow_redirects=True).get_data(as_text=True)
    assert "sudah digantikan" in refused
    assert db.session.scalar(select(func.count(Certificate.id))) == 2


def test_reissue_form_errors_keep_everything(client, world, issued):
    login(client, world["staff"])
    response = client.post(f"/staf/sertifikat/{issued.id}/terbitkan-ulang", data={"name": "", "business_name": "x"})
    assert response.status_code == 200 and "Nama wajib diisi" in response.get_data(as_text=True)
    assert db.session.get(Certificate, issued.id).status == "valid"


# --- Downloads ------------------------------------------------------------------------------


def test_participant_downloads_own_pdf_from_home_page(client, world, issued):
    login(client, world["participant"])
    home = client.get("/").get_data(as_text=True)
    assert "Sertifikat Anda" in home and f"/sertifikat/{issued.id}/unduh" in home
    response = client.get(f"/sertifikat/{issued.id}/unduh")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    response.close()


def test_others_cannot_download_and_revoked_is_not_offered(client, world, issued):
    login(client, world["other_participant"])
    assert client.get(f"/sertifikat/{issued.id}/unduh").status_code == 404
    operations.revoke_certificate(issued.id, reason="Uji pencabutan", revoked_by=world["staff"])
    client.post("/keluar")
    login(client, world["participant"])
    assert client.get(f"/sertifikat/{issued.id}/unduh").status_code == 404
    assert "Sertifikat Anda" not in client.get("/").get_data(as_text=True)


def test_staff_zip_holds_every_valid_certificate(client, world, issued):
    other = new_participant("Lulusan Dua")
    enrollment = enroll_participant(other, world["cohort"], mentor=world["mentor"])
    complete_course(enrollment)
    second = operations.issue_certificate(enrollment, "graduation", issued_by=world["staff"])
    login(client, world["staff"])
    response = client.get(f"/staf/kohort/{world['cohort'].id}/sertifikat.zip")
    assert response.status_code == 200 and response.is_streamed
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = sorted(archive.namelist())
    assert names == sorted([f"{issued.number}-Peserta_Satu.pdf", f"{second.number}-Lulusan_Dua.pdf"])
    assert archive.read(names[0]).startswith(b"%PDF")


# --- Verification -----------------------------------------------------------------------------


def test_verify_page_shows_the_printed_fields(client, issued):
    page = client.get(f"/verify/{codes.display_code(issued.code)}").get_data(as_text=True)
    for text in ("asli dan berlaku", "Peserta Satu", "Bika Ambon Satu", "Kota Medan", "Fast Track Digitalisasi UMKM",
                 "Kohort ftd-test", issued.number):
        assert text in page


def test_verify_accepts_lowercase_and_lookalike_letters(client, issued):
    typed = codes.display_code(issued.code).lower().replace("-", " ").replace("1", "l").replace("0", "o")
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{codes.display_code(issued.code)}")


def test_malformed_and_unknown_codes_get_different_messages(client, issued):
    code = issued.code
    wrong_check = code[:-1] + next(ch for ch in codes.ALPHABET if ch != code[-1])
    malformed = client.get(f"/verify/{codes.display_code(wrong_check)}")
    assert malformed.status_code == 400 and "salah ketik" in malformed.get_data(as_text=True)
    body = codes.new_code()[:-1]
    unknown = client.get(f"/verify/{codes.display_code(body + codes.check_character(body))}")
    assert unknown.status_code == 404 and "tidak ada sertifikat FTD dengan kode ini" in unknown.get_data(as_text=True)
    short = client.get("/verify", query_string={"code": "ABC"})
    assert short.status_code == 400 and "16 huruf/angka" in short.get_data(as_text=True)
    assert client.get("/verify").status_code == 200


def limited_verify_app(make_app, app, **settings):
    """An app with rate limits on, in a fresh store, sharing the test database and PDFs."""
    return make_app(RATELIMIT_ENABLED=True, CERTIFICATE_ROOT=app.config["CERTIFICATE_ROOT"], **settings)


def unknown_code(number: int) -> str:
    """Return a well-formed verification code that no certificate has."""
    body = f"{number:015d}"
    return codes.display_code(body + codes.check_character(body))


def test_valid_code_lookups_from_one_address_are_not_limited(make_app, app, issued):
    # A ceremony: hundreds of guests behind one Wi-Fi address scan genuine certificates.
    client = limited_verify_app(make_app, app).test_client()
    url = f"/verify/{codes.display_code(issued.code)}"
    assert {client.get(url).status_code for _ in range(120)} == {200}


def test_many_distinct_unknown_codes_block_the_address(make_app, app, issued):
    client = limited_verify_app(make_app, app, VERIFY_UNKNOWN_CODES_PER_IP="5 per 10 minutes").test_client()
    assert [client.get(f"/verify/{unknown_code(n)}").status_code for n in range(5)] == [404] * 5
    blocked = client.get(f"/verify/{codes.display_code(issued.code)}")
    assert blocked.status_code == 429  # even a valid code: the answer would tell a guesser which guess hit
    assert "Coba lagi dalam 10 menit." in blocked.get_data(as_text=True)
    assert 540 <= int(blocked.headers["Retry-After"]) <= 600
    elsewhere = client.get(f"/verify/{codes.display_code(issued.code)}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert elsewhere.status_code == 200


def test_the_same_unknown_code_rechecked_counts_once(make_app, app, issued):
    # A guest who mistyped one code and scans it again is not a guesser.
    client = limited_verify_app(make_app, app, VERIFY_UNKNOWN_CODES_PER_IP="3 per 10 minutes").test_client()
    assert {client.get(f"/verify/{unknown_code(1)}").status_code for _ in range(10)} == {404}
    assert client.get(f"/verify/{codes.display_code(issued.code)}").status_code == 200


def test_verify_keeps_a_flood_ceiling_per_address(make_app, app, issued):
    client = limited_verify_app(make_app, app, VERIFY_RATE_LIMIT_PER_IP="5 per minute").test_client()
    url = f"/verify/{codes.display_code(issued.code)}"
    assert [client.get(url).status_code for _ in range(6)] == [200] * 5 + [429]


# --- Demo seed ----------------------------------------------------------------------------------


def test_demo_seed_prepares_three_graduates_and_one_nearly(app):
    from lms import seed

    cohort = seed.seed_demo()
    seed.seed_demo()  # idempotent
    overview = eligibility.cohort_overview(cohort)
    by_phone = {row.user.phone: row for row in overview.rows}
    for index in (1, 2, 3):
        assert by_phone[f"+62812000000{index:02d}"].eligible
    nearly = by_phone["+6281200000004"]
    assert not nearly.eligible and len(nearly.missing) == 1 and "tugas perlu direvisi" in nearly.missing[0]
    # FTD Demo's certificates are left for a newcomer to issue (the showcase's past cohort has its own).
    issued_here = select(func.count(Certificate.id)).join(Enrollment, Enrollment.id == Certificate.enrollment_id)
    assert db.session.scalar(issued_here.where(Enrollment.cohort_id == cohort.id)) == 0
    printed = operations.cohort_signatories(cohort)
    assert [s.name for s in printed] == ["Dr. Ir. Naslindo Sirait, M.M.", "Rina Sembiring, S.E."]
    assert all(s.is_stored and not s.is_demo for s in printed)
    second = db.session.scalar(select(Cohort).where(Cohort.slug == "kurasi-demo"))
    assert second is not None and all(s.is_demo for s in operations.cohort_signatories(second))


def test_completing_again_adds_nothing(world):
    complete_course(world["enrollment"])
    before = db.session.scalar(select(func.count(Certificate.id))), _row_counts()
    complete_course(world["enrollment"])
    assert (db.session.scalar(select(func.count(Certificate.id))), _row_counts()) == before
    assert eligibility.enrollment_eligibility(world["enrollment"])[0].eligible


def _row_counts() -> tuple[int, ...]:
    from lms.models import ModuleRead, QuizAttempt, Review, Submission

    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in
                 (ModuleRead, QuizAttempt, Submission, Review))


def test_staff_index_lists_cohorts_with_counts(client, world, issued):
    login(client, world["staff"])
    page = client.get("/staf/sertifikat").get_data(as_text=True)
    assert world["cohort"].name in page and '<td class="num">1</td>' in page
