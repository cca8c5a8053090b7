"""Registrant import: messy files, dry-run answers, idempotent all-or-nothing import, and the HTTP steps."""

import io
import os
import random
import string
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.jobs import start_job
from lms.models import (
    AuditEvent,
    BackgroundJob,
    Enrollment,
    EnrollmentStatusChange,
    ImportBatch,
    ParticipantProfile,
    Role,
    User,
)
from lms.staff.imports import applying, checking, operations, reading
from lms.staff.imports.mapping import FIELDS, guess_mapping, validate_mapping
from lms.staff.imports.report import issue_text
from tests.conftest import login, make_user

FIXTURES = Path(__file__).parent / "fixtures"
# The known answers for the 20 registrants of tests/fixtures/make_registrant_files.py.
EXPECTED_ISSUES = {
    # The two rows sharing a phone wait for staff to choose one (nobody wins silently).
    "ambiguous_regency": 1, "duplicate_unresolved": 2, "email_taken": 1, "fuzzy_regency": 2, "invalid_email": 1,
    "invalid_phone": 2, "missing_name": 1, "missing_regency": 1, "unknown_regency": 1, "unknown_sector": 1,
}
NO_EMAIL_COLUMN = {k: v for k, v in EXPECTED_ISSUES.items() if k not in ("email_taken", "invalid_email")}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("filename", "encoding", "delimiter", "empty_rows", "issues", "with_warnings"),
    [
        ("pendaftar_bom.csv", "UTF-8 (BOM)", ",", 2, EXPECTED_ISSUES, 8),
        ("pendaftar_cp1252.csv", "Windows-1252", ";", 0, EXPECTED_ISSUES, 8),
        ("pendaftar_tab.csv", "UTF-8", "tab", 0, NO_EMAIL_COLUMN, 6),
        ("pendaftar.xlsx", "XLSX", "", 1, EXPECTED_ISSUES, 8),
    ],
)
def test_dry_run_counts_match_the_known_answers(app, filename, encoding, delimiter, empty_rows, issues,
                                                with_warnings):
    table = reading.read_table((FIXTURES / filename).read_bytes(), filename)
    mapping = guess_mapping(table.header)
    summary = checking.summarize(checking.check_rows(table, mapping, {}, {}), table)
    assert (table.encoding, table.delimiter) == (encoding, delimiter)
    assert summary["rows"] == 20 and summary["empty_rows"] == empty_rows
    assert summary["create"] == 15 and summary["with_errors"] == 5
    assert summary["with_warnings"] == with_warnings
    assert summary["issues"] == issues


def test_guess_mapping_reads_indonesian_headers():
    header = ["Timestamp", "Nama Lengkap", "No. HP/WA", "Alamat Email", "Kabupaten/Kota", "Nama Usaha",
              "Bidang Usaha", "Alamat Usaha", "Catatan"]
    assert guess_mapping(header) == {
        "name": 1, "phone": 2, "email": 3, "regency": 4, "business_name": 5, "sector": 6, "address": 7,
    }


def test_ambiguous_regency_is_reported_not_guessed(app):
    table = reading.Table(header=["Nama", "HP", "Kota"], rows=[(2, ["Andi", "081234560001", "Tapanuli"])])
    plan = checking.check_rows(table, {"name": 0, "phone": 1, "regency": 2}, {}, {})[0]
    assert plan.regency_code is None
    assert plan.warnings[0]["code"] == "ambiguous_regency"
    assert "Tapanuli Utara" in issue_text(plan.warnings[0])


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "\ufeffnama,hp\n".encode("utf-16"),
        b"Nama Lengkap,No HP\n",
        b"PK\x03\x04 not really a zip file",
        bytes(range(256)) * 10,
        b"Nama Lengkap,No HP\n" + b"x" * 140_000 + b",0812\n",  # a field over the csv module's limit
    ],
    ids=["empty", "utf16", "header-only", "broken-xlsx", "binary", "huge-field"],
)
def test_unreadable_files_get_a_clear_error(app, data):
    with pytest.raises(reading.ImportFileError) as error:
        reading.read_table(data, "pendaftar.csv")
    assert str(error.value)


def test_ten_megabytes_of_junk_is_refused(app):
    with pytest.raises(reading.ImportFileError, match="bukan CSV atau XLSX"):
        reading.read_table(os.urandom(10 * 1024 * 1024), "pendaftar.csv")


def test_uploaded_junk_is_reported_and_nothing_is_stored(client, world):
    login(client, world["staff"])
    # Below the test client's 500 kB threshold: above it, its own temporary file is left open.
    junk = os.urandom(400 * 1024)
    response = client.post(f"/staf/kohort/{world['cohort'].id}/impor",
                           data={"file": (io.BytesIO(junk), "pendaftar.csv")}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "bukan CSV atau XLSX" in response.get_data(as_text=True)
    assert count(ImportBatch) == 0


def test_text_junk_has_no_name_or_phone_column_to_map(app):
    rng = random.Random(7)  # noqa: S311 - reproducible junk, not a secret
    lines = ["".join(rng.choice(string.ascii_letters + " ") for _ in range(80)) for _ in range(2000)]
    table = reading.read_table("\n".join(lines).encode(), "junk.csv")
    mapping = guess_mapping(table.header)
    assert validate_mapping(mapping, len(table.header))  # name and phone must be chosen by hand


def upload(client, cohort, filename: str):
    data = (FIXTURES / filename).read_bytes()
    return client.post(f"/staf/kohort/{cohort.id}/impor", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def map_and_preview(client, batch_id: int):
    batch = db.session.get(ImportBatch, batch_id)
    form = {name: str(batch.mapping.get(name, "")) for name in FIELDS}
    return client.post(f"/staf/impor/{batch_id}/kolom", data=form)


def newest_batch() -> ImportBatch:
    db.session.expire_all()
    return db.session.scalar(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(1))


def test_full_import_flow_is_idempotent(client, world):
    cohort = world["cohort"]
    users_before = count(User)
    login(client, world["staff"])
    response = upload(client, cohort, "pendaftar_bom.csv")
    assert response.status_code == 302 and "/kolom" in response.location
    batch = newest_batch()
    assert map_and_preview(client, batch.id).status_code == 302
    preview = client.get(f"/staf/impor/{batch.id}").get_data(as_text=True)
    assert "Tapanuli Selatan" in preview and "Nomor HP tidak valid: 12345." in preview
    response = client.post(f"/staf/impor/{batch.id}/jalankan")
    assert response.status_code == 302
    assert "Impor selesai: 15 akun baru" in client.get(response.location).get_data(as_text=True)
    assert count(User) == users_before + 15
    sari = db.session.scalar(select(User).where(User.phone == "+6281234567003"))
    assert sari.profile.business_name == "Café Sari" and sari.profile.regency_code == "1212"
    assert sari.profile.sector == "kuliner" and sari.password_hash is None
    assert db.session.scalar(select(Enrollment.status).where(Enrollment.user_id == sari.id)) == "registered"
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "import.run")) == 1
    snapshot = (count(User), count(Enrollment), count(EnrollmentStatusChange), count(ParticipantProfile))

    # The same file again: the dry run says nothing would change, and importing changes nothing.
    upload(client, cohort, "pendaftar_bom.csv")
    again = newest_batch()
    map_and_preview(client, again.id)
    counts = newest_batch().report["counts"]
    assert (counts["create"], counts["update"], counts["unchanged"]) == (0, 0, 15)
    assert "sudah diimpor pada" in client.get(f"/staf/impor/{again.id}").get_data(as_text=True)
    client.post(f"/staf/impor/{again.id}/jalankan")
    assert (count(User), count(Enrollment), count(EnrollmentStatusChange), count(ParticipantProfile)) == snapshot


def test_existing_participant_is_enrolled_and_only_empty_fields_are_filled(client, world):
    existing = make_user(name="Rina T.", phone="081234567001", business_name="Usaha Rina Sendiri")
    staff_phone_owner = make_user(Role.MENTOR, name="Mentor Berbagi Nomor", phone="081234567020")
    login(client, world["staff"])
    upload(client, world["cohort"], "pendaftar_cp1252.csv")
    batch = newest_batch()
    map_and_preview(client, batch.id)
    rows = {row["line"]: row for row in newest_batch().report["rows"]}
    assert [w["code"] for w in rows[2]["warnings"]] == ["existing_account", "conflict", "conflict"]
    # The dry run shows the stored value next to the file's.
    assert rows[2]["conflicts"] == [
        {"field": "name", "stored": "Rina T.", "new": "Rina Tarigan"},
        {"field": "business_name", "stored": "Usaha Rina Sendiri", "new": "Kopi \u2018Karo\u2019 Rina"},
    ]
    preview = client.get(f"/staf/impor/{batch.id}").get_data(as_text=True)
    assert 'data-testid="conflicts"' in preview and "Usaha Rina Sendiri" in preview and "Karo\u2019 Rina" in preview
    assert [e["code"] for e in rows[21]["errors"]] == ["not_participant"]
    client.post(f"/staf/impor/{batch.id}/jalankan")
    db.session.expire_all()
    assert existing.name == "Rina T."  # the participant's own data stays
    assert existing.profile.business_name == "Usaha Rina Sendiri"
    assert existing.profile.regency_code == "1211"  # was empty: filled from the file
    assert any(e.cohort_id == world["cohort"].id for e in existing.enrollments)
    assert staff_phone_owner.enrollments == []
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "participant.import_update")) == 1


def test_xlsx_numbers_get_their_leading_zero_back(app, world):
    staff = world["staff"]
    batch = operations.store_upload((FIXTURES / "pendaftar.xlsx").read_bytes(), "pendaftar.xlsx", world["cohort"],
                                 uploaded_by=staff)
    operations.save_mapping_and_preview(batch, batch.mapping, actor=staff)
    result = operations.import_batch(batch, actor=staff)
    assert result["create"] == 15
    assert db.session.scalar(select(User.id).where(User.phone == "+6281234567001")) is not None


def test_a_failure_midway_imports_nothing(app, world, monkeypatch):
    staff = world["staff"]
    batch = operations.store_upload((FIXTURES / "pendaftar_bom.csv").read_bytes(), "pendaftar_bom.csv",
                                 world["cohort"], uploaded_by=staff)
    operations.save_mapping_and_preview(batch, batch.mapping, actor=staff)
    users_before, enrollments_before = count(User), count(Enrollment)
    original = applying._insert

    def failing_insert(model, rows):
        # Accounts, profiles and enrollments are already written when the history rows fail.
        if model is EnrollmentStatusChange:
            raise RuntimeError("disk full")
        return original(model, rows)

    monkeypatch.setattr(applying, "_insert", failing_insert)
    job, _created = start_job("registrants.import", cohort_id=world["cohort"].id, created_by=staff,
                              params={"batch_id": batch.id})
    db.session.expire_all()
    assert db.session.get(BackgroundJob, job.id).status == "failed"
    assert db.session.get(ImportBatch, batch.id).status == "failed"
    assert (count(User), count(Enrollment)) == (users_before, enrollments_before)


def test_progress_is_reported_while_checking(app, world):
    staff = world["staff"]
    batch = operations.store_upload((FIXTURES / "pendaftar_bom.csv").read_bytes(), "x.csv", world["cohort"],
                                 uploaded_by=staff)
    operations.save_mapping_and_preview(batch, batch.mapping, actor=staff)
    seen = []
    operations.import_batch(batch, actor=staff, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (21, 21)


def test_mapping_without_phone_is_refused(client, world):
    login(client, world["staff"])
    upload(client, world["cohort"], "pendaftar_bom.csv")
    batch = newest_batch()
    form = {name: str(batch.mapping.get(name, "")) for name in FIELDS} | {"phone": ""}
    response = client.post(f"/staf/impor/{batch.id}/kolom", data=form)
    assert response.status_code == 200
    assert "Pilih kolom untuk Nomor HP/WA." in response.get_data(as_text=True)
    assert newest_batch().status == "uploaded"


def test_import_cannot_start_before_the_dry_run(client, world):
    login(client, world["staff"])
    upload(client, world["cohort"], "pendaftar_bom.csv")
    batch = newest_batch()
    response = client.post(f"/staf/impor/{batch.id}/jalankan")
    assert response.status_code == 302 and "/kolom" in response.location
    assert count(BackgroundJob) == 0


def test_a_second_import_waits_for_the_running_one(client, world):
    login(client, world["staff"])
    upload(client, world["cohort"], "pendaftar_bom.csv")
    batch = newest_batch()
    map_and_preview(client, batch.id)
    db.session.add(BackgroundJob(kind="registrants.import", cohort_id=world["cohort"].id, status="running",
                                 params={"batch_id": batch.id + 1000}))
    db.session.commit()
    response = client.post(f"/staf/impor/{batch.id}/jalankan")
    assert response.status_code == 302 and response.location.endswith(f"/staf/impor/{batch.id}")
    assert "Impor lain untuk kohort ini sedang berjalan" in client.get(response.location).get_data(as_text=True)
    assert newest_batch().status == "previewed"


# --- season: duplicates chosen by staff, conflicts, problem rows, fixes, finished imports -------


def test_staff_choose_which_duplicate_row_wins(client, world):
    login(client, world["staff"])
    upload(client, world["cohort"], "pendaftar_bom.csv")
    batch = newest_batch()
    map_and_preview(client, batch.id)
    group = newest_batch().report["duplicates"][0]
    first, second = (row["line"] for row in group["rows"])
    page = client.get(f"/staf/impor/{batch.id}").get_data(as_text=True)
    assert 'data-testid="duplicates"' in page and page.count("Pakai baris ini") == 2
    response = client.post(f"/staf/impor/{batch.id}/duplikat", data={"phone": group["phone"], "line": second})
    assert response.status_code == 302
    report = newest_batch().report
    assert report["winners"] == {group["phone"]: second} and report["counts"]["create"] == 16
    rows = {row["line"]: row for row in report["rows"]}
    assert [e["code"] for e in rows[first]["errors"]] == ["duplicate_in_file"]
    client.post(f"/staf/impor/{batch.id}/jalankan")
    winner = db.session.scalar(select(User).where(User.phone == group["phone"]))
    assert winner.name == group["rows"][1]["name"]
    # A line that is not one of the duplicates is refused.
    assert client.post(f"/staf/impor/{batch.id}/duplikat", data={"phone": group["phone"], "line": 2}).status_code == 404


def test_problem_rows_download_as_xlsx_with_their_problems(client, world):
    from openpyxl import load_workbook

    login(client, world["staff"])
    upload(client, world["cohort"], "pendaftar_bom.csv")
    batch = newest_batch()
    map_and_preview(client, batch.id)
    response = client.get(f"/staf/impor/{batch.id}/masalah.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "Baris" and header[-1] == "Masalah" and "nama lengkap" in [h.lower() for h in header]
    problems = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(problems) == len(newest_batch().report["rows"])
    assert any("Nomor HP tidak valid: 12345." in p for p in problems)
    assert sheet.freeze_panes == "A2"


def test_a_manual_regency_row_is_fixed_in_one_click(client, world):
    login(client, world["staff"])
    upload(client, world["cohort"], "pendaftar_bom.csv")
    batch = newest_batch()
    map_and_preview(client, batch.id)
    ambiguous = next(row for row in newest_batch().report["rows"]
                     if any(w["code"] == "ambiguous_regency" for w in row["warnings"]))
    assert 'data-testid="fix-row"' in client.get(f"/staf/impor/{batch.id}").get_data(as_text=True)
    response = client.post(f"/staf/impor/{batch.id}/perbaiki", data={"line": ambiguous["line"], "regency": "1203"})
    assert response.status_code == 302
    fixed = {row["line"]: row for row in newest_batch().report["rows"]}[ambiguous["line"]]
    assert fixed["regency_code"] == "1203" and [w["code"] for w in fixed["warnings"]] == ["regency_fixed"]
    refused = client.post(f"/staf/impor/{batch.id}/perbaiki", data={"line": ambiguous["line"], "regency": "9999"},
                          follow_redirects=True)
    assert "Pilih kabupaten/kota dari daftar." in refused.get_data(as_text=True)


def test_the_preview_stops_offering_the_import_once_it_ran(client, world):
    login(client, world["staff"])
    upload(client, world["cohort"], "pendaftar_bom.csv")
    batch = newest_batch()
    map_and_preview(client, batch.id)
    assert "Impor 15 baris yang valid" in client.get(f"/staf/impor/{batch.id}").get_data(as_text=True)
    client.post(f"/staf/impor/{batch.id}/jalankan")
    page = client.get(f"/staf/impor/{batch.id}").get_data(as_text=True)
    assert "Impor 15 baris yang valid" not in page and 'data-testid="already-imported"' in page


def test_already_enrolled_message_uses_the_status_label(app):
    text = issue_text({"code": "already_enrolled", "params": {"status": "registered"}})
    assert text == "Sudah terdaftar di kohort ini (status: Terdaftar)."
    assert "Mentor" in issue_text({"code": "not_participant", "params": {"role": "mentor"}})


def test_business_start_year_is_read_for_the_age_criterion(app, world):
    assert [checking.read_year(t) for t in ("2019", "sejak 2019", "2019.0", "lama", "1890", "3019", "")] == [
        2019, 2019, 2019, None, None, None, None]
    data = (b"Nama Lengkap,No. HP/WA,Kabupaten/Kota,Tahun Mulai Usaha\n"
            b"Butet Sinaga,0812 7777 0001,Medan,2018\nPoltak,0812 7777 0002,Medan,dulu\n")
    batch = operations.store_upload(data, "tahun.csv", world["cohort"], uploaded_by=world["staff"])
    assert batch.mapping["business_started"] == 3
    report = operations.save_mapping_and_preview(batch, batch.mapping, actor=world["staff"])
    assert [w["code"] for w in report["rows"][0]["warnings"]] == ["invalid_year"]
    operations.import_batch(batch, actor=world["staff"])
    butet = db.session.scalar(select(User).where(User.phone == "+6281277770001"))
    assert butet.profile.business_started_year == 2018
