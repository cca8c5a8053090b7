"""The dry-run report in words (pure): issue messages, the CLI's text report, the problem rows to send back."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.choices import ROLE_LABELS, STATUS_LABELS
from lms.models import ImportBatch
from lms.staff.imports.mapping import FIELD_LABELS
from lms.staff.imports.reading import Table

ISSUE_MESSAGES = {
    "missing_name": _l("Nama kosong."),
    "missing_phone": _l("Nomor HP kosong."),
    "invalid_phone": _l("Nomor HP tidak valid: %(value)s."),
    "duplicate_in_file": _l("Nomor HP sama dengan baris %(line)s; baris ini dilewati."),
    "duplicate_unresolved": _l("Nomor HP sama dengan baris %(lines)s; pilih baris mana yang dipakai."),
    "duplicate_chosen": _l("Nomor HP sama dengan baris %(lines)s; baris ini dipilih."),
    "conflict": _l("%(field)s di berkas berbeda dengan data tersimpan; data tersimpan tidak ditimpa."),
    "regency_fixed": _l("Kabupaten/kota diisi manual: %(label)s."),
    "not_participant": _l("Nomor HP ini milik akun %(role)s, bukan peserta."),
    "name_too_long": _l("Nama lebih dari 120 karakter."),
    "existing_account": _l("Sudah ada akun dengan nomor ini (%(name)s); data kosong dilengkapi, tidak ditimpa."),
    "already_enrolled": _l("Sudah terdaftar di kohort ini (status: %(status)s)."),
    "unknown_regency": _l("Kabupaten/kota tidak dikenal: %(value)s."),
    "ambiguous_regency": _l("Kabupaten/kota ambigu: %(value)s (mungkin %(candidates)s); isi manual."),
    "missing_regency": _l("Kabupaten/kota kosong."),
    "fuzzy_regency": _l("%(value)s dibaca sebagai %(label)s."),
    "invalid_email": _l("Email tidak valid, diabaikan: %(value)s."),
    "email_taken": _l("Email %(value)s sudah dipakai akun lain, diabaikan."),
    "unknown_sector": _l("Bidang usaha tidak dikenal, dicatat sebagai Lainnya: %(value)s."),
    "invalid_year": _l("Tahun mulai usaha tidak terbaca, diabaikan: %(value)s."),
}
CONFLICT_LABELS = {**FIELD_LABELS, "regency_code": FIELD_LABELS["regency"]}
# Parameters stored as codes; staff read their labels ("Terdaftar", not "registered").
PARAMETER_LABELS = {"status": STATUS_LABELS, "field": CONFLICT_LABELS, "role": ROLE_LABELS}
REPORT_COUNT_LABELS = (
    ("rows", _l("Baris data")),
    ("create", _l("Akun baru")),
    ("update", _l("Akun lama dilengkapi/didaftarkan")),
    ("unchanged", _l("Tidak berubah")),
    ("with_errors", _l("Dilewati karena kesalahan")),
    ("with_warnings", _l("Dengan peringatan")),
    ("empty_rows", _l("Baris kosong dilewati")),
)


def issue_text(issue: dict) -> str:
    """Render a stored error or warning in the current language."""
    message = ISSUE_MESSAGES.get(issue.get("code"))
    if message is None:
        return str(issue.get("code"))
    params = dict(issue.get("params") or {})
    for name, labels in PARAMETER_LABELS.items():
        if name in params:
            params[name] = str(labels.get(params[name], params[name]))
    return str(message) % params if params else str(message)


def report_text(batch: ImportBatch, report: dict) -> str:
    """Render a dry-run report as plain text: the preview page's counts and problem rows (for the CLI)."""
    counts = report.get("counts") or {}
    lines = [f"{batch.display_name}"]
    lines += [f"  {label}: {counts.get(key, 0)}" for key, label in REPORT_COUNT_LABELS]
    rows = report.get("rows") or []
    if rows:
        lines.append(str(_l("Baris dengan kesalahan atau peringatan")) + f" ({len(rows)}):")
    for row in rows:
        where = _l("Baris %(line)s", line=row["line"])
        lines.append(f"  {where}: {row.get('name') or '-'} · {row.get('phone') or '-'}")
        lines += [f"    {_l('Kesalahan:')} {issue_text(issue)}" for issue in row.get("errors", [])]
        lines += [f"    {_l('Peringatan:')} {issue_text(issue)}" for issue in row.get("warnings", [])]
    return "\n".join(lines)


def problem_table(table: Table, report: dict) -> tuple[list[str], list[list[str]]]:
    """Return the file's header and its rows with errors or warnings, each with its problems, to send back."""
    problems = {row["line"]: row for row in report.get("rows", [])}
    columns = [str(_l("Baris")), *table.header, str(_l("Masalah"))]
    rows = []
    for line, cells in table.rows:
        row = problems.get(line)
        if row is None:
            continue
        texts = [issue_text(issue) for issue in (*row.get("errors", []), *row.get("warnings", []))]
        rows.append([line, *cells, *[""] * (len(table.header) - len(cells)), " ".join(texts)])
    return columns, rows
