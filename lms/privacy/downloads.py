"""A person's data as a download: JSON (everything, as stored) or XLSX (one sheet per kind).

The JSON keeps the field keys and stored codes, for machines. The XLSX is for the person: column headers
and codes (status, role, sector, regency, ...) in the reader's language, a frozen header row and fitted
widths (the staff exports' writer, `to_xlsx_sheets`).
"""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from lms import regions
from lms.choices import (
    ASSIGNMENT_STATUS_LABELS,
    HEARD_FROM_LABELS,
    REGISTERED_VIA_LABELS,
    ROLE_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
)
from lms.staff.exports.datasets import Dataset, neutralize, to_xlsx_sheets

SHEET_TITLES = {
    "account": _l("Akun"), "profile": _l("Profil"), "enrollments": _l("Pendaftaran"),
    "consents": _l("Persetujuan"), "survey_answers": _l("Jawaban survei"), "business_snapshots": _l("Data usaha"),
    "submissions": _l("Tugas"), "quiz_attempts": _l("Kuis"), "certificates": _l("Sertifikat"),
    "deletion_requests": _l("Permintaan hapus"), "knowledge_tests": _l("Tes pengetahuan"),  # knowledge
}

# The XLSX's column header for each field key of `queries.person_data` (a key not listed shows as itself).
COLUMN_LABELS = {
    "name": _l("Nama"), "phone": _l("Nomor HP"), "email": _l("Email"), "role": _l("Peran"),
    "created_at": _l("Dibuat"), "last_login_at": _l("Terakhir masuk"), "business_name": _l("Nama usaha"),
    "sector": _l("Bidang usaha"), "regency_code": _l("Kabupaten/kota"), "district": _l("Kecamatan"),
    "certificate_name": _l("Nama di sertifikat"), "address": _l("Alamat usaha"), "instagram_url": _l("Instagram"),
    "facebook_url": _l("Facebook"), "tiktok_url": _l("TikTok"), "marketplace_url": _l("Toko di marketplace"),
    "website_url": _l("Situs web"), "business_started_year": _l("Tahun usaha dimulai"), "cohort": _l("Kohort"),
    "status": _l("Status"), "registered_at": _l("Tanggal daftar"), "registered_via": _l("Cara mendaftar"),
    "heard_from": _l("Tahu program dari"), "referral_code": _l("Kode rujukan"),
    "registration_number": _l("Nomor pendaftaran"), "consent_version": _l("Versi persetujuan"),
    "consented_at": _l("Waktu menyetujui"), "wave": _l("Gelombang"), "version": _l("Versi"),
    "submitted_at": _l("Dikirim"), "answers": _l("Jawaban"), "phase": _l("Tahap"), "scores": _l("Skor"),
    "kind": _l("Jenis"), "monthly_revenue": _l("Omzet per bulan"), "employees": _l("Karyawan"),
    "sales_channels": _l("Saluran penjualan"), "legal_status": _l("Legalitas"), "recorded_at": _l("Dicatat"),
    "module": _l("Modul"), "link": _l("Tautan"), "text": _l("Teks"), "files": _l("Berkas"),
    "attempt": _l("Percobaan ke"), "score": _l("Nilai"), "passed": _l("Lulus kuis"), "number": _l("Nomor"),
    "course": _l("Kursus"), "graduation_date": _l("Tanggal kelulusan"), "verification_code": _l("Kode verifikasi"),
    "asked_at": _l("Diminta"), "reason": _l("Alasan"), "carried_out_at": _l("Dilaksanakan"),
}

WAVE_LABELS = {"baseline": _l("Survei awal"), "endline": _l("Survei akhir"),
               "followup-3": _l("Lanjutan 3 bulan"), "followup-6": _l("Lanjutan 6 bulan")}
CERTIFICATE_KIND_LABELS = {"graduation": _l("Sertifikat Kelulusan"), "top": _l("Sertifikat Peserta Terbaik")}
# Stored codes shown as words, per (sheet, field); a code with no label shows as stored.
VALUE_LABELS = {
    ("account", "role"): ROLE_LABELS,
    ("profile", "sector"): SECTOR_LABELS,
    ("enrollments", "status"): STATUS_LABELS,
    ("enrollments", "registered_via"): REGISTERED_VIA_LABELS,
    ("enrollments", "heard_from"): HEARD_FROM_LABELS,
    ("survey_answers", "wave"): WAVE_LABELS,
    ("survey_answers", "status"): {"draft": _l("Draf"), "submitted": _l("Terkirim")},
    ("knowledge_tests", "phase"): {"pre": _l("Tes awal"), "post": _l("Tes akhir")},
    ("business_snapshots", "kind"): WAVE_LABELS,
    ("submissions", "status"): ASSIGNMENT_STATUS_LABELS,
    ("certificates", "kind"): CERTIFICATE_KIND_LABELS,
    ("certificates", "status"): {"valid": _l("Berlaku"), "revoked": _l("Dicabut"),
                                 "superseded": _l("Diganti yang baru")},
}
YES_NO = {True: lazy_pgettext("jawaban", "Ya"), False: lazy_pgettext("jawaban", "Tidak")}



def to_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _cell(value):
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return neutralize(value) if isinstance(value, str) else value


def _readable(section: str, column: str, value):
    if column == "regency_code" and value:
        regency = regions.REGENCY_BY_CODE.get(value)
        return regency.label if regency is not None else value
    if isinstance(value, bool):
        return YES_NO[value]
    labels = VALUE_LABELS.get((section, column))
    if labels is not None and isinstance(value, str) and value in labels:
        return labels[value]
    return _cell(value)


def to_xlsx(data: dict) -> bytes:
    """Write each section as a sheet with readable headers and labels; text is stored as text, never formulas."""
    sheets = []
    for key, title in SHEET_TITLES.items():
        section = data.get(key)
        rows = [section] if isinstance(section, dict) else list(section or [])
        columns = list(rows[0].keys()) if rows and rows[0] else []
        sheets.append((str(title), Dataset(
            [str(COLUMN_LABELS.get(column, column)) for column in columns],
            [[_readable(key, column, row.get(column)) for column in columns] for row in rows if row])))
    return to_xlsx_sheets(sheets)
