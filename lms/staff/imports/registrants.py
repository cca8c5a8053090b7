"""Registrant import: read a CSV/XLSX export, map its columns, check every row, then upsert.

The flow is upload → map columns → dry run → import. `read_table` turns the bytes
into a header and rows (any encoding and delimiter a registration form produces),
`guess_mapping` proposes which column holds which field, `check_rows` is a pure
function that decides, row by row, what would happen and why, and `import_batch`
applies that plan in ONE transaction: either every valid row lands or nothing does.

Rows are keyed by normalized phone number. An existing participant is never
overwritten: the import only fills profile fields that are still empty and enrolls
the account in the cohort, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import secrets
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select

from lms import audit, phone, regions
from lms.choices import ROLE_LABELS, STATUS_LABELS
from lms.database import write_transaction
from lms.extensions import db
from lms.models import (
    AuditEvent,
    BackgroundJob,
    Cohort,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    ImportBatch,
    ParticipantProfile,
    Role,
    User,
    utcnow,
)

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
# Progress is written every this many checked rows: often enough to watch, rarely enough to be cheap.
PROGRESS_EVERY = 200
LOOKUP_CHUNK = 500  # phones per IN (...) query; stays far below every database's parameter limit
FIELDS = ("name", "phone", "email", "regency", "business_name", "sector", "address", "business_started")
REQUIRED_FIELDS = ("name", "phone")
FIELD_LABELS = {
    "name": _l("Nama lengkap"),
    "phone": _l("Nomor HP/WA"),
    "email": _l("Email"),
    "regency": _l("Kabupaten/kota"),
    "business_name": _l("Nama usaha"),
    "sector": _l("Bidang usaha"),
    "address": _l("Alamat"),
    "business_started": _l("Tahun mulai usaha"),
}
# Folded header texts seen on registration forms (Google Forms, KoboToolbox, Excel sheets).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("nama lengkap", "nama", "nama peserta", "nama pemilik", "nama pemilik usaha", "full name", "name"),
    "phone": ("no hp wa", "no hp", "nomor hp", "no wa", "nomor wa", "nomor whatsapp", "no whatsapp", "whatsapp",
              "no telp", "no telepon", "nomor telepon", "telepon", "hp", "handphone", "no hp whatsapp", "phone"),
    "email": ("email", "e mail", "alamat email", "surel", "alamat e mail"),
    "regency": ("kabupaten kota", "kab kota", "kabupaten", "kota", "kota kabupaten", "domisili", "asal kabupaten kota",
                "kabupaten kota domisili", "daerah", "asal daerah"),
    "business_name": ("nama usaha", "nama toko", "nama brand", "merek usaha", "nama umkm", "usaha"),
    "sector": ("bidang usaha", "jenis usaha", "sektor usaha", "sektor", "kategori usaha", "kategori", "bidang"),
    "address": ("alamat", "alamat usaha", "alamat lengkap", "alamat rumah"),
    "business_started": ("tahun mulai usaha", "tahun berdiri", "tahun berdiri usaha", "mulai usaha",
                         "tahun usaha dimulai", "sejak tahun", "usaha sejak", "tahun mulai"),
}
# Keywords in a free-text "Bidang Usaha" answer → the sector codes of lms.choices.SECTORS.
SECTOR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "kuliner": ("kuliner", "makan", "minum", "kue", "snack", "katering", "catering", "food", "bakery", "kopi",
                "roti", "keripik", "kerupuk"),
    "kriya": ("kriya", "kerajinan", "fashion", "fesyen", "busana", "tenun", "ulos", "konveksi", "craft", "batik",
              "anyaman", "jahit"),
    "pertanian": ("tani", "kebun", "ikan", "perikanan", "ternak", "agri", "sawit", "hortikultura"),
    "jasa": ("jasa", "bengkel", "salon", "laundry", "servis", "service", "percetakan"),
    "perdagangan": ("dagang", "toko", "kelontong", "retail", "grosir", "warung", "reseller", "jual"),
    "lainnya": ("lainnya", "lain lain"),
}
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
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_XLSX_MAGIC = b"PK\x03\x04"
_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16 exports: refused with a clear message


class ImportFileError(ValueError):
    """The uploaded file cannot be read as a registrant table; the message is for staff."""


@dataclass
class Table:
    """A registrant file as text: its header and its non-empty rows with their line numbers."""

    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    encoding: str = ""
    delimiter: str = ""
    skipped_empty: int = 0

    def samples(self, column: int, limit: int = 3) -> list[str]:
        """Return the first few non-empty values of a column, to help staff map it."""
        values = (cells[column] for _line, cells in self.rows if column < len(cells) and cells[column])
        return [value for value, _ in zip(values, range(limit), strict=False)]


@dataclass(frozen=True)
class ExistingAccount:
    """What the dry run needs to know about an account that already has a row's phone."""

    user_id: int
    name: str
    role: str
    email: str | None
    profile: dict[str, str | None]  # business_name, sector, regency_code, address
    enrollment_status: str | None  # in the target cohort


@dataclass
class RowPlan:
    """What the import will do with one row, and the problems found in it."""

    line: int
    name: str = ""
    phone_text: str = ""
    phone: str | None = None
    email: str | None = None
    regency_code: str | None = None
    business_name: str = ""
    sector: str = ""
    address: str = ""
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    action: str = "skip"  # create | update | unchanged | skip
    existing_user_id: int | None = None
    profile_fill: dict[str, str] = field(default_factory=dict)
    set_email: bool = False
    enroll: bool = False
    regency_text: str = ""
    business_started_year: int | None = None
    conflicts: list[dict] = field(default_factory=list)  # {"field", "stored", "new"}: the file disagrees

    def issue(self, kind: str, code: str, **params) -> None:
        """Add an error or a warning with the values its message needs."""
        (self.errors if kind == "error" else self.warnings).append({"code": code, "params": params})

    def to_report(self) -> dict:
        """Return the JSON-safe summary shown on the preview page."""
        return {
            "line": self.line, "name": self.name, "phone": self.phone_text, "regency_code": self.regency_code,
            "action": self.action, "errors": self.errors, "warnings": self.warnings,
            "email": self.email or "", "business_name": self.business_name, "sector": self.sector,
            "address": self.address, "regency_text": self.regency_text, "conflicts": self.conflicts,
        }


# --- Reading the file ----------------------------------------------------------------


def read_table(data: bytes, filename: str = "") -> Table:
    """Read CSV (UTF-8, UTF-8 with BOM or Windows-1252; , ; or tab) or XLSX bytes into a Table."""
    if not data.strip():
        raise ImportFileError(_l("Berkas kosong."))
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(_l("Berkas lebih dari 10 MB. Pecah menjadi beberapa berkas."))
    if data.startswith(_XLSX_MAGIC):
        return _read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xls")) or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_l("Berkas Excel ini tidak bisa dibaca. Simpan sebagai .xlsx atau .csv lalu coba lagi."))
    text, encoding = _decode(data)
    return _read_csv(text, encoding)


def _decode(data: bytes) -> tuple[str, str]:
    """Decode text the way spreadsheets save it; refuse binary junk."""
    if data.startswith(_BOMS):
        raise ImportFileError(_l("Berkas memakai encoding UTF-16. Simpan ulang sebagai CSV UTF-8."))
    if b"\x00" in data[:65536]:
        raise ImportFileError(_l("Berkas ini bukan CSV atau XLSX (isinya data biner)."))
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 (BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise ImportFileError(_l("Encoding berkas tidak dikenali. Simpan ulang sebagai CSV UTF-8.")) from error


def _sniff_delimiter(text: str) -> str:
    """Pick , ; or tab: the one that splits the header line most consistently."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ","

    def score(delimiter: str) -> tuple[int, int]:
        counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
        header = counts[0]
        return (sum(count == header for count in counts) if header > 1 else 0, header)

    return max((",", ";", "\t"), key=score)


def _read_csv(text: str, encoding: str) -> Table:
    """Split CSV text into a header and non-empty rows."""
    delimiter = _sniff_delimiter(text)
    rows, skipped = [], 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = None
        for cells in reader:
            line = reader.line_num
            cleaned = [_clean_cell(cell) for cell in cells]
            if not any(cleaned):
                skipped += header is not None
                continue
            if header is None:
                header = cleaned
                continue
            rows.append((line, cleaned))
            if len(rows) > MAX_IMPORT_ROWS:
                raise ImportFileError(_l("Berkas berisi lebih dari 20.000 baris."))
    except csv.Error as error:
        raise ImportFileError(
            _l("Baris %(line)s tidak bisa dibaca sebagai CSV.", line=reader.line_num)
        ) from error
    return _finish_table(header, rows, encoding, {",": ",", ";": ";", "\t": "tab"}[delimiter], skipped)


def _read_xlsx(data: bytes) -> Table:
    """Read the first sheet of a workbook; numbers that lost their leading zero get it back."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(_l("Berkas XLSX rusak atau bukan XLSX.")) from error
    try:
        sheet = workbook.worksheets[0]
        rows, header, skipped = [], None, 0
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cleaned = [_xlsx_cell(value) for value in values]
            if not any(cleaned):
                skipped += header is not None
                continue
            if header is None:
                header = cleaned
                continue
            rows.append((line, cleaned))
            if len(rows) > MAX_IMPORT_ROWS:
                raise ImportFileError(_l("Berkas berisi lebih dari 20.000 baris."))
    finally:
        workbook.close()
    return _finish_table(header, rows, "XLSX", "", skipped)


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        # Excel stores 0812… typed into a number cell as 812…; the zero is only formatting.
        return "0" + text if text.startswith("8") else text
    return _clean_cell(str(value))


def _clean_cell(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _finish_table(header, rows, encoding, delimiter, skipped) -> Table:
    if header is None:
        raise ImportFileError(_l("Berkas tidak berisi baris apa pun."))
    if not rows:
        raise ImportFileError(_l("Berkas hanya berisi judul kolom, tanpa data peserta."))
    return Table(header=header, rows=rows, encoding=encoding, delimiter=delimiter, skipped_empty=skipped)


# --- Column mapping --------------------------------------------------------------------


def fold_header(text: str) -> str:
    """Lower-case a header and keep only letters and digits separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def guess_mapping(header: list[str]) -> dict[str, int]:
    """Guess which column holds which field from Indonesian header names."""
    folded = [fold_header(cell) for cell in header]
    mapping: dict[str, int] = {}
    # Exact names first, so "Nama Usaha" goes to business_name before "nama" claims it by prefix.
    for exact in (True, False):
        for name in FIELDS:
            if name in mapping:
                continue
            for index, text in enumerate(folded):
                if index in mapping.values() or not text:
                    continue
                if any(_header_matches(text, synonym, exact) for synonym in HEADER_SYNONYMS[name]):
                    mapping[name] = index
                    break
    return mapping


def _header_matches(text: str, synonym: str, exact: bool) -> bool:
    if exact:
        return text == synonym
    return text.startswith(synonym + " ") or (len(synonym) > 3 and f" {synonym} " in f" {text} ")


def validate_mapping(mapping: dict[str, int], column_count: int) -> list[str]:
    """Return the problems of a column mapping (required fields, a column used twice)."""
    problems = []
    for name in REQUIRED_FIELDS:
        if mapping.get(name) is None:
            problems.append(str(_l("Pilih kolom untuk %(field)s.", field=FIELD_LABELS[name])))
    used = [index for index in mapping.values() if index is not None]
    if any(index < 0 or index >= column_count for index in used):
        problems.append(str(_l("Kolom yang dipilih tidak ada di berkas.")))
    if len(used) != len(set(used)):
        problems.append(str(_l("Satu kolom dipilih untuk dua isian.")))
    return problems


# --- Checking rows (pure) -------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def match_regency_cached(text: str) -> regions.RegencyMatch:
    """Match a regency text once per distinct spelling (a file repeats the same few dozen)."""
    return regions.match_regency(text)


def match_sector(text: str) -> tuple[str, bool]:
    """Return (sector code, recognised) for a free-text business field."""
    folded = fold_header(text)
    if not folded:
        return "", True
    for code, keywords in SECTOR_KEYWORDS.items():
        if folded == code or any(keyword in folded for keyword in keywords):
            return code, True
    return "lainnya", False


def check_rows(
    table: Table,
    mapping: dict[str, int],
    existing: dict[str, ExistingAccount],
    taken_emails: dict[str, int],
    progress: Callable[[int, int], None] | None = None,
    *,
    winners: dict[str, int] | None = None,
    fixes: dict[str, dict] | None = None,
) -> list[RowPlan]:
    """Decide, for every row, what the import would do and which errors and warnings it has.

    A phone on several rows imports none of them until staff choose the winning line
    (`winners`: phone → line); `fixes` (line → {"regency": code}) are corrections
    staff made on the dry-run page, applied before the row is checked.
    """
    duplicates = _duplicate_lines(table, mapping)
    seen_emails: set[str] = set()
    plans = []
    for done, (line, cells) in enumerate(table.rows, start=1):
        plan = _read_row(line, cells, mapping, (fixes or {}).get(str(line)))
        _check_phone(plan, duplicates, winners or {})
        if not plan.errors:
            _check_email(plan, seen_emails, taken_emails, existing.get(plan.phone))
            _decide_action(plan, existing.get(plan.phone))
        plans.append(plan)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(table.rows))
    return plans


def _cell(cells: list[str], mapping: dict[str, int], name: str) -> str:
    index = mapping.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def read_year(text: str) -> int | None:
    """Read a business start year ("2019", "sejak 2019", "2019.0"); None when there is no plausible one."""
    found = _YEAR.search(text or "")
    if found is None or int(found.group(1)) > utcnow().year:
        return None
    return int(found.group(1))


def _duplicate_lines(table: Table, mapping: dict[str, int]) -> dict[str, list[int]]:
    """Return phone → lines for every phone that appears on more than one row."""
    lines: dict[str, list[int]] = {}
    for line, cells in table.rows:
        normalized = _try_normalize(_cell(cells, mapping, "phone"))
        if normalized:
            lines.setdefault(normalized, []).append(line)
    return {number: found for number, found in lines.items() if len(found) > 1}


def _read_row(line: int, cells: list[str], mapping: dict[str, int], fix: dict | None = None) -> RowPlan:
    """Read one row's cells into a plan, with the problems that need no other rows."""
    plan = RowPlan(line=line, name=_cell(cells, mapping, "name"), phone_text=_cell(cells, mapping, "phone"))
    plan.business_name = _cell(cells, mapping, "business_name")[:160]
    plan.address = _cell(cells, mapping, "address")[:300]
    if not plan.name:
        plan.issue("error", "missing_name")
    elif len(plan.name) > 120:
        plan.issue("error", "name_too_long")
    plan.regency_text = _cell(cells, mapping, "regency")
    fixed = regions.REGENCY_BY_CODE.get((fix or {}).get("regency") or "")
    if fixed is not None:
        plan.regency_code = fixed.code
        plan.issue("warning", "regency_fixed", label=fixed.label)
    else:
        _check_regency(plan, plan.regency_text, "regency" in mapping)
    sector_text = _cell(cells, mapping, "sector")
    plan.sector, known = match_sector(sector_text)
    if not known:
        plan.issue("warning", "unknown_sector", value=sector_text)
    year_text = _cell(cells, mapping, "business_started")
    plan.business_started_year = read_year(year_text)
    if year_text and plan.business_started_year is None:
        plan.issue("warning", "invalid_year", value=year_text)
    email = _cell(cells, mapping, "email").lower()
    if email and not _EMAIL.fullmatch(email):
        plan.issue("warning", "invalid_email", value=email)
    elif email:
        plan.email = email[:254]
    return plan


def _check_regency(plan: RowPlan, text: str, mapped: bool) -> None:
    if not text:
        if mapped:
            plan.issue("warning", "missing_regency")
        return
    found = match_regency_cached(text)
    if found.status == "ambiguous":
        candidates = ", ".join(r.label for r in found.candidates)
        plan.issue("warning", "ambiguous_regency", value=text, candidates=candidates)
    elif found.status == "unknown" or found.regency is None:
        plan.issue("warning", "unknown_regency", value=text)
    else:
        plan.regency_code = found.regency.code
        if found.status == "fuzzy":
            plan.issue("warning", "fuzzy_regency", value=text, label=found.regency.label)


def _check_phone(plan: RowPlan, duplicates: dict[str, list[int]], winners: dict[str, int]) -> None:
    if not plan.phone_text:
        plan.issue("error", "missing_phone")
        return
    try:
        plan.phone = phone.normalize_phone(plan.phone_text)
    except phone.InvalidPhone:
        plan.issue("error", "invalid_phone", value=plan.phone_text)
        return
    lines = duplicates.get(plan.phone)
    if not lines:
        return
    others = ", ".join(str(line) for line in lines if line != plan.line)
    winner = winners.get(plan.phone)
    if winner not in lines:
        plan.issue("error", "duplicate_unresolved", lines=others)  # nobody wins silently
    elif winner == plan.line:
        plan.issue("warning", "duplicate_chosen", lines=others)
    else:
        plan.issue("error", "duplicate_in_file", line=winner)


def _check_email(plan: RowPlan, seen: set[str], taken: dict[str, int], account: ExistingAccount | None) -> None:
    if plan.email is None:
        return
    owner = taken.get(plan.email)
    if plan.email in seen or (owner is not None and (account is None or owner != account.user_id)):
        plan.issue("warning", "email_taken", value=plan.email)
        plan.email = None
    else:
        seen.add(plan.email)


def _decide_action(plan: RowPlan, account: ExistingAccount | None) -> None:
    """Create a new account, or fill an existing participant's empty fields and enroll them."""
    if account is None:
        plan.action, plan.enroll = "create", True
        return
    if account.role != Role.PARTICIPANT:
        plan.issue("error", "not_participant", role=account.role)
        plan.action = "skip"
        return
    plan.existing_user_id = account.user_id
    plan.issue("warning", "existing_account", name=account.name)
    _find_conflicts(plan, account)
    wanted = {"business_name": plan.business_name, "sector": plan.sector, "regency_code": plan.regency_code,
              "address": plan.address, "business_started_year": plan.business_started_year}
    plan.profile_fill = {key: value for key, value in wanted.items() if value and not account.profile.get(key)}
    plan.set_email = bool(plan.email) and not account.email
    if account.enrollment_status is not None:
        plan.issue("warning", "already_enrolled", status=account.enrollment_status)
    plan.enroll = account.enrollment_status is None
    plan.action = "update" if plan.profile_fill or plan.set_email or plan.enroll else "unchanged"


CONFLICT_FIELDS = ("name", "email", "business_name", "sector", "regency_code", "address")


def _find_conflicts(plan: RowPlan, account: ExistingAccount) -> None:
    """Note every field where the file and the stored account both have a value and they differ."""
    stored = {"name": account.name, "email": account.email, **account.profile}
    new = {"name": plan.name, "email": plan.email, "business_name": plan.business_name, "sector": plan.sector,
           "regency_code": plan.regency_code, "address": plan.address}
    for key in CONFLICT_FIELDS:
        if stored.get(key) and new.get(key) and str(stored[key]).strip().casefold() != str(new[key]).strip().casefold():
            plan.conflicts.append({"field": key, "stored": stored[key], "new": new[key]})
    for conflict in plan.conflicts:
        plan.issue("warning", "conflict", field=conflict["field"])


def summarize(plans: Iterable[RowPlan], table: Table | None = None) -> dict:
    """Count rows by action and issues by kind, for the preview and the job result."""
    plans = list(plans)
    actions = Counter(plan.action for plan in plans)
    issues = Counter(issue["code"] for plan in plans for issue in (*plan.errors, *plan.warnings))
    return {
        "rows": len(plans),
        "valid": sum(1 for plan in plans if not plan.errors),
        "with_errors": sum(1 for plan in plans if plan.errors),
        "with_warnings": sum(1 for plan in plans if plan.warnings and not plan.errors),
        "create": actions["create"],
        "update": actions["update"],
        "unchanged": actions["unchanged"],
        "skip": actions["skip"],
        "empty_rows": table.skipped_empty if table else 0,
        "issues": dict(sorted(issues.items())),
    }


def issue_text(issue: dict) -> str:
    """Render a stored error or warning in the current language."""
    message = ISSUE_MESSAGES.get(issue.get("code"))
    if message is None:
        return str(issue.get("code"))
    params = dict(issue.get("params") or {})
    if "status" in params:  # stored as a code; staff read the label ("Terdaftar", not "registered")
        params["status"] = str(STATUS_LABELS.get(params["status"], params["status"]))
    if "field" in params:
        params["field"] = str(CONFLICT_LABELS.get(params["field"], params["field"]))
    if "role" in params:
        params["role"] = str(ROLE_LABELS.get(params["role"], params["role"]))
    return str(message) % params if params else str(message)


REPORT_COUNT_LABELS = (
    ("rows", _l("Baris data")),
    ("create", _l("Akun baru")),
    ("update", _l("Akun lama dilengkapi/didaftarkan")),
    ("unchanged", _l("Tidak berubah")),
    ("with_errors", _l("Dilewati karena kesalahan")),
    ("with_warnings", _l("Dengan peringatan")),
    ("empty_rows", _l("Baris kosong dilewati")),
)


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


# --- Database lookups and writes ----------------------------------------------------------


def load_existing(phones: Iterable[str], emails: Iterable[str], cohort: Cohort) -> tuple[dict, dict]:
    """Load the accounts that already have these phones and the owners of these emails, in few queries."""
    phones, emails = sorted(set(phones)), sorted(set(emails))
    accounts: dict[str, ExistingAccount] = {}
    for chunk in _chunks(phones):
        rows = db.session.execute(
            select(User, ParticipantProfile, Enrollment.status)
            .outerjoin(ParticipantProfile, ParticipantProfile.user_id == User.id)
            .outerjoin(Enrollment, (Enrollment.user_id == User.id) & (Enrollment.cohort_id == cohort.id))
            .where(User.phone.in_(chunk))
        )
        for user, profile, status in rows:
            accounts[user.phone] = ExistingAccount(
                user_id=user.id, name=user.name, role=user.role, email=user.email,
                profile={key: getattr(profile, key, None) for key in ("business_name", "sector", "regency_code",
                                                                       "address", "business_started_year")},
                enrollment_status=status,
            )
    taken: dict[str, int] = {}
    for chunk in _chunks(emails):
        rows = db.session.execute(select(func.lower(User.email), User.id).where(func.lower(User.email).in_(chunk)))
        taken.update({email: user_id for email, user_id in rows})
    return accounts, taken


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def plan_batch(batch: ImportBatch, table: Table, progress=None) -> list[RowPlan]:
    """Check a batch's rows against the accounts in the database now."""
    mapping = {key: int(value) for key, value in (batch.mapping or {}).items() if value is not None}
    phones = [_try_normalize(_cell(cells, mapping, "phone")) for _line, cells in table.rows]
    emails = [_cell(cells, mapping, "email").lower() for _line, cells in table.rows]
    cohort = db.session.get(Cohort, batch.cohort_id)
    existing, taken = load_existing([p for p in phones if p], [e for e in emails if e], cohort)
    report = batch.report or {}
    return check_rows(table, mapping, existing, taken, progress, winners=report.get("winners") or {},
                      fixes=report.get("fixes") or {})


def _try_normalize(text: str) -> str | None:
    try:
        return phone.normalize_phone(text) if text else None
    except phone.InvalidPhone:
        return None


def store_upload(data: bytes, filename: str, cohort: Cohort, *, uploaded_by: User | None) -> ImportBatch:
    """Check that the file reads as a table, store it under a server-made name, and guess its mapping."""
    table = read_table(data, filename)
    extension = ".xlsx" if data.startswith(_XLSX_MAGIC) else ".csv"
    stored_name = secrets.token_hex(16) + extension
    root = Path(current_app.config["IMPORT_ROOT"])
    root.mkdir(parents=True, exist_ok=True)
    (root / stored_name).write_bytes(data)
    batch = ImportBatch(
        cohort_id=cohort.id, stored_name=stored_name, display_name=(filename or "impor")[-200:],
        sha256=hashlib.sha256(data).hexdigest(), mapping=guess_mapping(table.header),
        created_by_id=uploaded_by.id if uploaded_by is not None else None,
        report={"file": _file_facts(table)},
    )
    db.session.add(batch)
    audit.record("import.upload", batch, actor=uploaded_by, after={"file": batch.display_name, "sha256": batch.sha256})
    db.session.commit()
    return batch


def _file_facts(table: Table) -> dict:
    return {"encoding": table.encoding, "delimiter": table.delimiter, "rows": len(table.rows),
            "empty_rows": table.skipped_empty, "columns": len(table.header)}


def load_table(batch: ImportBatch) -> Table:
    """Read a stored batch file again."""
    path = Path(current_app.config["IMPORT_ROOT"]) / batch.stored_name
    return read_table(path.read_bytes(), batch.stored_name)


def previous_import(batch: ImportBatch) -> ImportBatch | None:
    """Return an earlier imported batch with the same file contents, if any."""
    return db.session.scalar(
        select(ImportBatch)
        .where(ImportBatch.sha256 == batch.sha256, ImportBatch.status == "imported", ImportBatch.id != batch.id)
        .order_by(ImportBatch.id.desc())
        .limit(1)
    )


def save_mapping_and_preview(batch: ImportBatch, mapping: dict[str, int | None], *, actor: User | None) -> dict:
    """Store the column mapping and the dry-run report; nothing else is written."""
    table = load_table(batch)
    batch.mapping = {key: value for key, value in mapping.items() if value is not None}
    plans = plan_batch(batch, table)
    kept = {key: (batch.report or {}).get(key) or {} for key in ("winners", "fixes")}  # staff's choices stay
    batch.report = {
        **kept,
        "duplicates": duplicate_groups(plans),
        "file": _file_facts(table),
        "counts": summarize(plans, table),
        "rows": [plan.to_report() for plan in plans if plan.errors or plan.warnings],
        "sample": [plan.to_report() for plan in plans if not plan.errors and not plan.warnings][:10],
    }
    batch.status = "previewed"
    audit.record("import.preview", batch, actor=actor, after={"mapping": batch.mapping, **batch.report["counts"]})
    db.session.commit()
    return batch.report


def duplicate_groups(plans: list[RowPlan]) -> list[dict]:
    """Return, per phone on several rows, those rows side by side for staff to choose the winner."""
    groups: dict[str, list[dict]] = {}
    for plan in plans:
        if plan.phone and any(i["code"].startswith("duplicate_") for i in (*plan.errors, *plan.warnings)):
            groups.setdefault(plan.phone, []).append(plan.to_report())
    return [{"phone": number, "rows": rows} for number, rows in groups.items()]


def choose_duplicate(batch: ImportBatch, phone_e164: str, line: int, *, actor: User) -> None:
    """Record which row wins for a phone that appears on several rows, then run the dry run again."""
    groups = {g["phone"]: [r["line"] for r in g["rows"]] for g in (batch.report or {}).get("duplicates", [])}
    if line not in groups.get(phone_e164, []):
        raise ValueError("not a duplicate row of this batch")
    batch.report = {**batch.report, "winners": {**(batch.report.get("winners") or {}), phone_e164: line}}
    audit.record("import.choose_duplicate", batch, actor=actor, after={"phone": phone_e164, "line": line})
    save_mapping_and_preview(batch, dict(batch.mapping or {}), actor=actor)


def fix_regency(batch: ImportBatch, line: int, regency_code: str, *, actor: User) -> None:
    """Correct the regency of one row from the dry-run page, then run the dry run again."""
    if regency_code not in regions.REGENCY_BY_CODE:
        raise ValueError("unknown regency")
    if not any(row["line"] == line for row in (batch.report or {}).get("rows", [])):
        raise ValueError("not a row with a problem")
    fixes = {**(batch.report.get("fixes") or {}), str(line): {"regency": regency_code}}
    batch.report = {**batch.report, "fixes": fixes}
    audit.record("import.fix_row", batch, actor=actor, after={"line": line, "regency": regency_code})
    save_mapping_and_preview(batch, dict(batch.mapping or {}), actor=actor)


def problem_rows(batch: ImportBatch) -> tuple[list[str], list[list[str]]]:
    """Return the file's header and its rows with errors or warnings, each with its problems, to send back."""
    table = load_table(batch)
    problems = {row["line"]: row for row in (batch.report or {}).get("rows", [])}
    columns = [str(_l("Baris")), *table.header, str(_l("Masalah"))]
    rows = []
    for line, cells in table.rows:
        row = problems.get(line)
        if row is None:
            continue
        texts = [issue_text(issue) for issue in (*row.get("errors", []), *row.get("warnings", []))]
        rows.append([line, *cells, *[""] * (len(table.header) - len(cells)), " ".join(texts)])
    return columns, rows


def start_import(batch: ImportBatch, *, started_by: User) -> BackgroundJob:
    """Queue the import of a previewed batch as a background job (a second click finds the same job)."""
    from lms.jobs import start_job

    job, _created = start_job("registrants.import", cohort_id=batch.cohort_id, created_by=started_by,
                              params={"batch_id": batch.id})
    return job


def run_import_job(job: BackgroundJob, report_progress: Callable[[int, int], None]) -> dict:
    """Import the batch named in the job's params (the job handler)."""
    batch = db.session.get(ImportBatch, job.params["batch_id"])
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    try:
        return import_batch(batch, actor=actor, progress=report_progress)
    except Exception:
        db.session.rollback()
        batch = db.session.get(ImportBatch, job.params["batch_id"])
        batch.status = "failed"
        db.session.commit()
        raise


def import_batch(batch: ImportBatch, *, actor: User | None, progress=None) -> dict:
    """Upsert every valid row of a batch in one transaction and return the counts."""
    table = load_table(batch)
    total = len(table.rows) + 1
    if progress is not None:
        # The check runs before the write lock is taken, so progress can be committed as it goes.
        plan_batch(batch, table, progress=lambda done, _total: progress(done, total))
    batch_id = batch.id
    with write_transaction():
        batch = db.session.get(ImportBatch, batch_id)
        plans = plan_batch(batch, table)  # again, under the lock: the database may have changed meanwhile
        apply_plans(plans, db.session.get(Cohort, batch.cohort_id), actor=actor, source=batch.display_name)
        counts = summarize(plans, table)
        batch.status, batch.imported_at = "imported", utcnow()
        batch.report = {**(batch.report or {}), "result": counts}
        audit.record("import.run", batch, actor=actor, after=counts)
    if progress is not None:
        progress(total, total)
    return counts


def apply_plans(plans: list[RowPlan], cohort: Cohort, *, actor: User | None, source: str) -> None:
    """Write the accounts, profiles and enrollments the plans call for, in bulk (not committed).

    Bulk INSERTs (executemany with RETURNING) instead of one ORM object per row: 1,700
    registrants make some 10,000 rows, which the unit of work would take seconds to flush.
    """
    actor_id = actor.id if actor is not None else None
    now = utcnow()
    creates = [plan for plan in plans if plan.action == "create"]
    updates = [plan for plan in plans if plan.action == "update"]
    new_ids = _insert_returning_ids(User, [
        dict(name=plan.name, phone=plan.phone, email=plan.email, role=Role.PARTICIPANT.value, active=True,
             created_at=now) for plan in creates
    ])
    _insert(ParticipantProfile, [
        dict(user_id=user_id, business_name=plan.business_name, sector=plan.sector, regency_code=plan.regency_code,
             address=plan.address, business_started_year=plan.business_started_year, updated_at=now)
        for user_id, plan in zip(new_ids, creates, strict=True)
    ])
    _fill_existing(updates)
    user_ids = new_ids + [plan.existing_user_id for plan in updates if plan.enroll]
    status = EnrollmentStatus.REGISTERED.value
    enrollment_ids = _insert_returning_ids(Enrollment, [
        dict(cohort_id=cohort.id, user_id=user_id, status=status, status_changed_at=now, created_at=now)
        for user_id in user_ids
    ])
    reason = str(_l("Impor dari %(file)s", file=source))[:300]
    _insert(EnrollmentStatusChange, [
        dict(enrollment_id=enrollment_id, from_status=None, to_status=status, reason=reason, changed_by_id=actor_id,
             changed_at=now) for enrollment_id in enrollment_ids
    ])
    events = [_event("user.create", "User", user_id, actor_id, now,
                     after={"phone": plan.phone, "role": "participant", "source": "import"})
              for user_id, plan in zip(new_ids, creates, strict=True)]
    events += [_event("participant.import_update", "User", plan.existing_user_id, actor_id, now,
                      after={**plan.profile_fill, **({"email": plan.email} if plan.set_email else {})})
               for plan in updates]
    events += [_event("enrollment.create", "Enrollment", enrollment_id, actor_id, now,
                      after={"status": status, "source": "import"}) for enrollment_id in enrollment_ids]
    _insert(AuditEvent, events)


def _insert(model, rows: list[dict]) -> None:
    if rows:
        db.session.execute(insert(model), rows)


def _insert_returning_ids(model, rows: list[dict]) -> list[int]:
    """Insert rows in bulk and return their new ids in the order of the rows."""
    if not rows:
        return []
    result = db.session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return [row.id for row in result]


def _event(action: str, object_type: str, object_id: int, actor_id: int | None, now, *, after: dict) -> dict:
    """Return an audit row as a dict, the same as lms.audit.record would write."""
    return dict(actor_id=actor_id, action=action, object_type=object_type, object_id=str(object_id), before=None,
                after=after, created_at=now)


def _fill_existing(plans: list[RowPlan]) -> None:
    """Fill only the empty fields of existing participants: what they typed themselves stays."""
    if not plans:
        return
    ids = [plan.existing_user_id for plan in plans]
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    profiles = {p.user_id: p for p in db.session.scalars(select(ParticipantProfile).where(
        ParticipantProfile.user_id.in_(ids)))}
    for plan in plans:
        profile = profiles.get(plan.existing_user_id)
        if profile is None and plan.profile_fill:
            profile = ParticipantProfile(user_id=plan.existing_user_id)
            db.session.add(profile)
        for key, value in plan.profile_fill.items():
            setattr(profile, key, value)
        if plan.set_email:
            users[plan.existing_user_id].email = plan.email

