"""Making audit rows readable: Indonesian action labels, named objects with links, field diffs."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms import audit, phone, regions
from lms.choices import ROLE_LABELS, SECTOR_LABELS, STATUS_LABELS
from lms.extensions import db
from lms.impact.labels import wave_label
from lms.models import (
    Attendance,
    AuditEvent,
    Certificate,
    Cohort,
    Enrollment,
    ImportBatch,
    KnowledgeTestResult,
    PasswordResetRequest,
    QuizAttempt,
    Submission,
    SurveyResponse,
    User,
)
from lms.staff.imports.mapping import FIELD_LABELS as IMPORT_FIELD_LABELS

# Unknown actions (a new area that forgot to add its label) show their raw name.
# Areas may also name their actions in lms.audit.ACTION_LABELS; both are shown.
ACTION_LABELS = {
    **audit.ACTION_LABELS,
    "survey.submitted": _l("Survei dikirim"),
    "bootcamp.session_create": _l("Sesi bootcamp dibuat"),
    "bootcamp.session_update": _l("Sesi bootcamp diubah"),
    "bootcamp.session_move": _l("Sesi bootcamp dipindah (peserta diberi tahu)"),
    "bootcamp.session_cancel": _l("Sesi bootcamp dibatalkan (peserta diberi tahu)"),
    "bootcamp.attendance_correct": _l("Kehadiran sesi dikoreksi"),
    "bootcamp.capacity_override": _l("Check-in melebihi kapasitas sesi (diizinkan panitia)"),
    "survey.imported": _l("Jawaban survei diimpor"),
    "survey.links_made": _l("Tautan survei kelompok pembanding dibuat"),
    "knowledge.test_submitted": _l("Tes pengetahuan dikirim"),  # knowledge
    "registration.form": _l("Mendaftar lewat formulir /daftar"),  # reg
    "registration.interest": _l("Minta dikabari saat pendaftaran dibuka"),  # reg
    "cohort.capacity_override": _l("Kapasitas kohort dilampaui dengan alasan"),
    "cohort.curation_criteria": _l("Kriteria kurasi diubah"),
    "cohort.graduate": _l("Kohort diwisuda"),
    "cohort.select_elsewhere": _l("Dipilih walau terdaftar di kohort lain"),
    "cohort.signatories": _l("Penanda tangan sertifikat diubah"),
    "enrollment.choose": _l("Peserta berpindah kohort yang dilihat"),
    "enrollment.move": _l("Peserta dipindah ke kohort lain"),
    "import.choose_duplicate": _l("Baris kembar dipilih"),
    "import.fix_row": _l("Baris impor diperbaiki"),
    "submission.withdraw": _l("Versi tugas ditarik peserta"),
    "submission.correct": _l("Nilai tugas dikoreksi"),
    "review.correct": _l("Nilai tugas dikoreksi"),
    "job.retry": _l("Proses diulang"),
    "user.create": _l("Akun dibuat"),
    "user.activate": _l("Akun diaktifkan"),
    "user.activation_code": _l("Kode aktivasi dibuat"),
    "user.password_change": _l("Kata sandi diganti"),
    "user.set_active": _l("Status akun diubah"),
    "person.update": _l("Data orang diubah"),
    "profile.update": _l("Profil usaha diubah"),
    "password_reset.request": _l("Minta kata sandi baru"),
    "password_reset.resolve": _l("Permintaan kata sandi ditangani"),
    "cohort.create": _l("Kohort dibuat"),
    "cohort.update": _l("Kohort diubah"),
    "cohort.activation_codes": _l("Kode aktivasi kohort dibuat"),
    "enrollment.create": _l("Pendaftaran dibuat"),
    "enrollment.status": _l("Status peserta diubah"),
    "enrollment.mentor": _l("Mentor ditetapkan"),
    "import.upload": _l("Berkas impor diunggah"),
    "import.preview": _l("Uji coba impor"),
    "import.run": _l("Impor dijalankan"),
    "quiz.started": _l("Kuis dimulai"),
    "quiz.graded": _l("Kuis dinilai"),
    "quiz.attempts_granted": _l("Percobaan kuis ditambah"),
    "quiz.late_answers_kept": _l("Jawaban kuis terlambat disimpan (tidak dinilai)"),
    "offline.data_saver": _l("Mode hemat data diubah"),
    "submission.create": _l("Tugas dikirim"),
    "submission.review": _l("Tugas dinilai"),
    "certificate.issue": _l("Sertifikat diterbitkan"),
    "certificate.reissue": _l("Sertifikat diterbitkan ulang"),
    "certificate.revoke": _l("Sertifikat dicabut"),
    "top_award.create": _l("Ditandai Peserta Terbaik"),
    "top_award.delete": _l("Tanda Peserta Terbaik dihapus"),
    "access.export": _l("Ekspor data pribadi diunduh"),
    "access.activation_codes": _l("Kode aktivasi diekspor"),
    "access.certificate_pdf": _l("PDF sertifikat diunduh"),
    "access.certificate_credential": _l("Kredensial digital (Open Badges) diunduh"),
    "showcase.save": _l("Etalase alumni disimpan"),
    "showcase.withdraw": _l("Persetujuan etalase alumni ditarik"),
    "showcase.hide": _l("Listing etalase disembunyikan staf"),
    "showcase.unhide": _l("Listing etalase ditampilkan lagi"),
    "showcase.feature": _l("Unggulan etalase diubah"),
    "access.certificate_zip": _l("ZIP sertifikat diunduh"),
    "access.submission_file": _l("Berkas tugas dibuka"),
    "access.own_data": _l("Peserta mengunduh datanya sendiri"),
    "access.import_problems": _l("Baris bermasalah impor diunduh (XLSX)"),
    "access.attendance_list": _l("Daftar hadir sesi diunduh (PDF/XLSX)"),
    "outreach.targets_set": _l("Target pendaftar per kabupaten/kota diubah"),
    "outreach.referral_created": _l("Kode rujukan dibuat"),
    "privacy.deletion_requested": _l("Peserta meminta datanya dihapus"),
    "privacy.erased": _l("Data pribadi dihapus (UU PDP)"),
    "access.impact_report": _l("Laporan dampak diunduh (PDF/XLSX)"),
}

FIELD_LABELS = {
    "name": _l("Nama"),
    "phone": _l("Nomor HP"),
    "email": _l("Email"),
    "role": _l("Peran"),
    "active": _l("Aktif"),
    "status": _l("Status"),
    "reason": _l("Alasan"),
    "business_name": _l("Nama usaha"),
    "sector": _l("Bidang usaha"),
    "regency_code": _l("Kabupaten/kota"),
    "district": _l("Kecamatan"),
    "certificate_name": _l("Nama di sertifikat"),
    "address": _l("Alamat usaha"),
    "mentor_id": _l("Mentor"),
    "user_id": _l("Akun"),
    "number": _l("Nomor"),
    "kind": _l("Jenis"),
    "dataset": _l("Data"),
    "format": _l("Format"),
    "rows": _l("Baris"),
    "files": _l("Berkas"),
    "file": _l("Berkas"),
    "resolution": _l("Hasil"),
    "expires_at": _l("Berlaku sampai"),
    # v12: the keys other areas write, so no row shows a raw English key
    "user_ids": _l("Orang"),
    "capacity": _l("Kapasitas"),
    "places_left": _l("Tempat tersisa"),
    "selected": _l("Dipilih"),
    "over_by": _l("Lebih dari kapasitas"),
    "superseded_by": _l("Digantikan oleh"),
    "enrollment_id": _l("Pendaftaran"),
    "count": _l("Jumlah"),
    "score": _l("Skor"),
    "scores": _l("Skor"),
    "title": _l("Judul"),
    "version": _l("Versi"),
    "version_no": _l("Versi"),
    "source": _l("Sumber"),
    "method": _l("Cara"),
    "present": _l("Hadir"),
    "late": _l("Terlambat"),
    "session_id": _l("Sesi"),
    "module_id": _l("Modul"),
    "passed": _l("Lulus"),
    "total_points": _l("Total poin"),
    "max_points": _l("Poin maksimal"),
    "phase": _l("Tahap"),
    "wave": _l("Gelombang survei"),
    "extra": _l("Tambahan percobaan"),
    "extra_total": _l("Total tambahan percobaan"),
    "made": _l("Dibuat"),
    "checked_in_at": _l("Waktu check-in"),
    "participant_id": _l("Peserta"),
    "review_id": _l("Penilaian"),
    "kept_file_ids": _l("Berkas yang disimpan"),
    "auto_submitted": _l("Dikirim otomatis"),
    "consent_version": _l("Versi persetujuan"),
    "heard_from": _l("Tahu dari"),
    "referral_code": _l("Kode rujukan"),
    "purpose": _l("Keperluan"),
    "account": _l("Akun"),
    "regency": _l("Kabupaten/kota"),
    "signatory1_name": _l("Penanda tangan 1: nama"),
    "signatory1_title": _l("Penanda tangan 1: jabatan"),
    "signatory1_image": _l("Penanda tangan 1: gambar"),
    "signatory2_name": _l("Penanda tangan 2: nama"),
    "signatory2_title": _l("Penanda tangan 2: jabatan"),
    "signatory2_image": _l("Penanda tangan 2: gambar"),
    # the import's rows (upload, dry run, run, fixes)
    "mapping": _l("Pencocokan kolom"),
    "issues": _l("Masalah"),
    "valid": _l("Baris valid"),
    "with_errors": _l("Dilewati karena kesalahan"),
    "with_warnings": _l("Dengan peringatan"),
    "create": _l("Akun baru"),
    "update": _l("Akun lama dilengkapi/didaftarkan"),
    "unchanged": _l("Tidak berubah"),
    "skip": _l("Dilewati"),
    "empty_rows": _l("Baris kosong dilewati"),
    "line": _l("Baris"),
    "sha256": _l("SHA-256"),
}
# Short names of the import's issue codes, for the counts an import row stores.
IMPORT_ISSUE_LABELS = {
    "missing_name": _l("nama kosong"),
    "missing_phone": _l("nomor HP kosong"),
    "invalid_phone": _l("nomor HP tidak valid"),
    "duplicate_in_file": _l("nomor HP ganda (dilewati)"),
    "duplicate_unresolved": _l("nomor HP ganda (belum dipilih)"),
    "duplicate_chosen": _l("nomor HP ganda (dipilih)"),
    "conflict": _l("berbeda dengan data tersimpan"),
    "regency_fixed": _l("kabupaten/kota diisi manual"),
    "not_participant": _l("nomor milik akun bukan peserta"),
    "name_too_long": _l("nama terlalu panjang"),
    "existing_account": _l("akun sudah ada"),
    "already_enrolled": _l("sudah terdaftar di kohort"),
    "unknown_regency": _l("kabupaten/kota tidak dikenal"),
    "ambiguous_regency": _l("kabupaten/kota ambigu"),
    "missing_regency": _l("kabupaten/kota kosong"),
    "fuzzy_regency": _l("kabupaten/kota ditebak"),
    "invalid_email": _l("email tidak valid"),
    "email_taken": _l("email dipakai akun lain"),
    "unknown_sector": _l("bidang usaha tidak dikenal"),
    "invalid_year": _l("tahun mulai usaha tidak terbaca"),
}

SURVEY_SOURCE_LABELS = {"self": _l("diisi peserta"), "proxy": _l("diisi petugas atas nama peserta"),
                        "import": _l("impor berkas"), "link": _l("tautan survei")}
VALUE_LABELS = {
    "source": {"form": _l("formulir pendaftaran"), "import": _l("impor berkas"), "link": _l("tautan survei")},
    "status": STATUS_LABELS,
    "role": ROLE_LABELS,
    "sector": SECTOR_LABELS,
    "resolution": {"code_sent": _l("kode dikirim"), "dismissed": _l("ditutup tanpa kode")},
}
# A survey response's status is a draft or a sent answer, not an enrollment's status.
SURVEY_STATUS_LABELS = {"draft": _l("draf"), "submitted": _l("dikirim")}
# The same key means something else on another kind of object (a certificate's status is not an enrollment's).
OBJECT_VALUE_LABELS = {
    ("Certificate", "status"): {"valid": _l("Berlaku"), "revoked": _l("Dicabut"), "superseded": _l("Digantikan")},
    ("Certificate", "kind"): {"graduation": _l("Sertifikat Kelulusan"), "top": _l("Sertifikat Peserta Terbaik")},
    ("SurveyResponse", "status"): SURVEY_STATUS_LABELS,
    ("SurveyResponse", "source"): SURVEY_SOURCE_LABELS,
}
# Indonesian names of the kinds of object in the filter; a kind without one shows its model name.
OBJECT_TYPE_LABELS = {
    "Attendance": _l("Kehadiran sesi"),
    "BootcampSession": _l("Sesi bootcamp"),
    "Certificate": _l("Sertifikat"),
    "Cohort": _l("Kohort"),
    "DeletionRequest": _l("Permintaan hapus data"),
    "Enrollment": _l("Pendaftaran peserta"),
    "ImportBatch": _l("Berkas impor"),
    "KnowledgeTestResult": _l("Tes pengetahuan"),
    "ParticipantProfile": _l("Profil usaha"),
    "PasswordResetRequest": _l("Permintaan kata sandi"),
    "QuizAttempt": _l("Percobaan kuis"),
    "QuizAttemptGrant": _l("Tambahan percobaan kuis"),
    "ReferralCode": _l("Kode rujukan"),
    "ShowcaseListing": _l("Etalase alumni"),
    "Submission": _l("Kiriman tugas"),
    "SurveyResponse": _l("Jawaban survei"),
    "TopAward": _l("Peserta Terbaik"),
    "User": _l("Akun"),
    "BackgroundJob": _l("Proses latar"),
}


def object_type_label(object_type: str) -> str:
    """Return the Indonesian name of a kind of object, or the model name when there is none."""
    label = OBJECT_TYPE_LABELS.get(object_type)
    return str(label) if label is not None else object_type


def action_label(action: str) -> str:
    """Return the Indonesian label of an action, or the raw name when there is none."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


@dataclass(frozen=True)
class DiffLine:
    field: str
    old: str | None  # None: the row had no "before" for this field
    new: str | None


def _show(field: str, value: object, users: dict[int, User], object_type: str = "") -> str:
    """Format one stored value for people: labels for codes, local phone numbers, names for ids."""
    if value is None or value == "":
        return "–"
    if field == "user_ids" and isinstance(value, list):
        return ", ".join(users[v].name if isinstance(v, int) and v in users else str(v) for v in value) or "–"
    if isinstance(value, bool):
        return str(_l("ya") if value else _l("tidak"))
    if field in ("regency_code", "regency") and isinstance(value, str):
        return _regency(value)
    if field == "mapping" and isinstance(value, dict):
        return ", ".join(f"{IMPORT_FIELD_LABELS.get(k, k)}: {_l('kolom')} {v + 1 if isinstance(v, int) else v}"
                         for k, v in value.items()) or "–"
    if field == "issues" and isinstance(value, dict):
        return ", ".join(f"{IMPORT_ISSUE_LABELS.get(k, k)}: {v}" for k, v in value.items()) or "–"
    if field == "phone" and isinstance(value, str):
        try:
            return phone.format_phone_local(value)
        except phone.InvalidPhone:
            return value
    if field == "wave" and isinstance(value, str):
        return wave_label(value)
    if field in ("mentor_id", "user_id") and isinstance(value, int) and value in users:
        return users[value].name
    labels = OBJECT_VALUE_LABELS.get((object_type, field), VALUE_LABELS.get(field))
    if labels is not None and isinstance(value, str | int) and value in labels:
        return str(labels[value])
    if isinstance(value, dict):  # key: value pairs in words, never raw JSON
        pairs = (f"{FIELD_LABELS.get(k, k)}: {_show(k, v, users, object_type)}" for k, v in value.items())
        return ", ".join(pairs) or "–"
    if isinstance(value, list):
        return ", ".join(_show(field, v, users, object_type) for v in value) or "–"
    return str(value)


def _regency(code: str) -> str:
    regency = regions.REGENCY_BY_CODE.get(code)
    return regency.label if regency else code


def diff_lines(event: AuditEvent, users: dict[int, User]) -> list[DiffLine]:
    """Return one line per field the row names: old → new (old is None for a row without before)."""
    before, after = event.before or {}, event.after or {}
    fields = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return [
        DiffLine(
            field=str(FIELD_LABELS.get(key, key)),
            old=_show(key, before.get(key), users, event.object_type) if event.before is not None else None,
            new=_show(key, after.get(key), users, event.object_type) if key in after else "–",
        )
        for key in fields
    ]


def _ids(events, object_type: str) -> set[int]:
    return {int(e.object_id) for e in events if e.object_type == object_type and (e.object_id or "").isdigit()}


def _linked_users(events) -> dict[int, User]:
    ids = _ids(events, "User") | _ids(events, "ParticipantProfile")
    for event in events:
        for values in (event.before or {}, event.after or {}):
            ids |= {v for k, v in values.items() if k in ("mentor_id", "user_id") and isinstance(v, int)}
            listed = values.get("user_ids")
            ids |= {v for v in listed if isinstance(v, int)} if isinstance(listed, list) else set()
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


# Objects that belong to one person: the log shows the person, with what it is.
OWNED_OBJECTS = {"PasswordResetRequest": PasswordResetRequest, "Submission": Submission,
                 "SurveyResponse": SurveyResponse, "KnowledgeTestResult": KnowledgeTestResult,
                 "QuizAttempt": QuizAttempt, "Attendance": Attendance}
OBJECT_LABELS = {"PasswordResetRequest": _l("permintaan kata sandi"), "Submission": _l("kiriman tugas"),
                 "SurveyResponse": _l("jawaban survei"), "KnowledgeTestResult": _l("tes pengetahuan"),
                 "QuizAttempt": _l("percobaan kuis"), "Attendance": _l("kehadiran sesi")}


def _owners(events) -> dict[tuple[str, int], User]:
    """Return the person each object on the page that belongs to one person belongs to."""
    owners: dict[tuple[str, int], User] = {}
    for kind, model in OWNED_OBJECTS.items():
        ids = _ids(events, kind)
        if ids:
            rows = db.session.execute(select(model.id, User).join(User, User.id == model.user_id)
                                      .where(model.id.in_(ids)))
            owners.update({(kind, row_id): user for row_id, user in rows})
    return owners


@dataclass(frozen=True)
class EventView:
    event: AuditEvent
    label: str
    object_text: str
    object_url: str | None
    lines: list[DiffLine]


def _describe_object(event: AuditEvent, users, cohorts, enrollments, certificates, owners,
                     batches) -> tuple[str, str | None]:
    key = int(event.object_id) if (event.object_id or "").isdigit() else None
    kind = event.object_type
    if (kind, key) in owners:  # objects that belong to one person: show the person
        owner = owners[(kind, key)]
        return f"{owner.name} · {OBJECT_LABELS[kind]}", url_for("staff.user_detail", user_id=owner.id)
    if kind in ("User", "ParticipantProfile") and key in users:
        return users[key].name, url_for("staff.user_detail", user_id=key)
    if kind == "Cohort" and key in cohorts:
        return cohorts[key].name, url_for("staff.cohort_dashboard", cohort_id=key)
    if kind == "Enrollment" and key in enrollments:
        enrollment = enrollments[key]
        return (f"{enrollment.user.name} · {enrollment.cohort.name}",
                url_for("staff.user_detail", user_id=enrollment.user_id))
    if kind == "Certificate" and key in certificates:
        return certificates[key].number, url_for("certificates.detail", certificate_id=key)
    if kind == "ImportBatch" and key in batches:
        return (str(_l("Impor %(file)s", file=batches[key].display_name)),
                url_for("staff.import_preview", import_id=key))
    return f"{object_type_label(kind)} #{event.object_id}", None


def event_views(events: list[AuditEvent]) -> list[EventView]:
    """Return the page's rows ready to show, with every named object loaded in a few queries."""
    users = _linked_users(events)
    cohort_ids, enrollment_ids, certificate_ids = _ids(events, "Cohort"), _ids(events, "Enrollment"), _ids(
        events, "Certificate")
    cohorts = {c.id: c for c in db.session.scalars(select(Cohort).where(Cohort.id.in_(cohort_ids)))}
    enrollments = {e.id: e for e in db.session.scalars(select(Enrollment).where(Enrollment.id.in_(enrollment_ids)))}
    certificates = {c.id: c for c in db.session.scalars(select(Certificate).where(Certificate.id.in_(certificate_ids)))}
    owners = _owners(events)
    batch_ids = _ids(events, "ImportBatch")
    batches = {b.id: b for b in db.session.scalars(select(ImportBatch).where(ImportBatch.id.in_(batch_ids)))}
    views = []
    for event in events:
        text, link = _describe_object(event, users, cohorts, enrollments, certificates, owners, batches)
        views.append(EventView(event=event, label=action_label(event.action), object_text=text, object_url=link,
                               lines=diff_lines(event, users)))
    return views
