"""The staff audit log reads as Indonesian: every action has a label, every stored key a field name,
certificate statuses and listed people are named (issue #12, section 7)."""

import re
from pathlib import Path

from lms.certificates import operations as certificate_operations
from lms.extensions import db
from lms.staff.audit import display
from lms.staff.curation import operations as curation_operations
from tests.conftest import enroll_participant, login, make_cohort, make_user

LMS = Path(__file__).resolve().parent.parent / "lms"


def recorded_actions() -> set[str]:
    """Return every action name the code writes with a literal (audit.record and record_access)."""
    actions = set()
    for path in LMS.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        actions |= set(re.findall(r'audit\.record\(\s*"([a-z_]+\.[a-z_]+)"', text))
        actions |= {f"access.{what}" for what in re.findall(r'record_access\(\s*"([a-z_]+)"', text)}
    return actions


def test_every_recorded_action_has_an_indonesian_label():
    actions = recorded_actions()
    assert len(actions) > 40  # the scan finds the log's writers
    assert sorted(a for a in actions if a not in display.ACTION_LABELS) == []


def audit_table(client, **args) -> str:
    page = client.get("/staf/audit", query_string=args).get_data(as_text=True)
    return page.split('data-testid="audit-table"')[1]


def test_a_revoked_certificate_reads_berlaku_to_dicabut(client, world):
    certificate = certificate_operations.create_certificate(world["enrollment"], "graduation", issued_by=None)
    db.session.commit()
    certificate_operations.revoke_certificate(certificate.id, reason="Data palsu", revoked_by=world["staff"])
    login(client, world["staff"])
    table = audit_table(client, action="certificate.revoke")
    assert "<del>Berlaku</del> → <ins>Dicabut</ins>" in table
    assert "valid" not in table and "revoked" not in table.replace('title="certificate.revoke"', "")
    assert f'href="/staf/sertifikat/{certificate.id}">{certificate.number}' in table


def test_selection_elsewhere_and_over_capacity_show_names_and_labels(client, world):
    other = make_cohort("ftd-lain", name="Kohort Lain", capacity=1)
    first = enroll_participant(make_user(name="Ani Sembiring"), other, status="registered")
    second = enroll_participant(world["other_participant"], other, status="registered")
    result = curation_operations.bulk_change_status(
        other, [first.id, second.id], "selected", "Lolos kurasi", changed_by=world["staff"],
        confirmed_elsewhere=True, override_reason="Kuota ditambah dinas")
    assert result.changed == 2
    login(client, world["staff"])
    elsewhere = audit_table(client, action="cohort.select_elsewhere")
    assert "Orang:" in elsewhere and "Peserta Dua" in elsewhere and "user_ids" not in elsewhere
    assert "[" not in elsewhere
    over = audit_table(client, action="cohort.capacity_override")
    for label in ("Kapasitas:", "Tempat tersisa:", "Dipilih:", "Lebih dari kapasitas:", "Kuota ditambah dinas"):
        assert label in over
    assert not re.search(r"places_left|over_by|capacity:", over)


def test_the_object_filter_names_kinds_in_indonesian(client, world):
    certificate_operations.create_certificate(world["enrollment"], "graduation", issued_by=None)
    db.session.commit()
    login(client, world["staff"])
    page = client.get("/staf/audit").get_data(as_text=True)
    assert '<option value="Certificate">Sertifikat</option>' in page
    assert '<option value="Enrollment">Pendaftaran peserta</option>' in page


def test_import_rows_name_the_file_and_read_as_words(client, world):
    from tests.test_import_registrants import map_and_preview, newest_batch, upload

    login(client, world["staff"])
    upload(client, world["cohort"], "pendaftar_cp1252.csv")
    batch = newest_batch()
    map_and_preview(client, batch.id)
    for action in ("import.upload", "import.preview"):
        table = audit_table(client, action=action)
        assert f'href="/staf/impor/{batch.id}">Impor pendaftar_cp1252.csv' in table
        assert "ImportBatch" not in table and "{" not in table and "[" not in table
    preview = audit_table(client, action="import.preview")
    assert "Pencocokan kolom:" in preview and "Nama lengkap: kolom" in preview
    assert "Masalah:" in preview and "nomor HP tidak valid: 2" in preview
    assert "Dengan peringatan:" in preview
    assert not re.search(r"with_errors|with_warnings|empty_rows|invalid_phone|mapping", preview)


def test_a_survey_answer_entered_for_a_participant_reads_as_the_person_wave_and_source(client, world):
    from lms.impact.operations import save_answers
    from tests.test_impact import answers, survey

    participant, cohort = world["participant"], world["enrollment"].cohort
    save_answers(participant, cohort, "endline", survey(), answers(1_500_000), submit=True, source="proxy",
                 entered_by=world["staff"])
    login(client, world["staff"])
    table = audit_table(client, action="survey.submitted")
    assert f"{participant.name} · jawaban survei" in table
    assert f'href="/staf/pengguna/{participant.id}"' in table
    assert "Survei akhir" in table and "diisi petugas atas nama peserta" in table
    assert "SurveyResponse" not in table and "endline" not in table and "proxy" not in table
