"""Checking rows (pure): what the import would do with each row of a file, and why.

`check_rows` takes the table, the column mapping and what the database already
holds (`ExistingAccount` per phone, the owners of emails) and returns one `RowPlan`
per row. Rows are keyed by normalized phone. An existing participant is never
overwritten: the plan only fills profile fields that are still empty and enrolls
the account in the cohort, so checking the same file after importing it plans nothing.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lms import phone, regions
from lms.models import Role, utcnow
from lms.staff.imports.mapping import fold_header, mapped_cell
from lms.staff.imports.reading import Table

# Progress is written every this many checked rows: often enough to watch, rarely enough to be cheap.
PROGRESS_EVERY = 200
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
# Rows whose regency staff fill in by hand from the dry-run page ("isi manual").
MANUAL_REGENCY_CODES = ("ambiguous_regency", "unknown_regency", "missing_regency")
CONFLICT_FIELDS = ("name", "email", "business_name", "sector", "regency_code", "address")
PROFILE_FIELDS = ("business_name", "sector", "regency_code", "address", "business_started_year")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class ExistingAccount:
    """What the dry run needs to know about an account that already has a row's phone."""

    user_id: int
    name: str
    role: str
    email: str | None
    profile: dict[str, str | None]  # PROFILE_FIELDS
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


def normalized_phone_or_none(text: str) -> str | None:
    """Return the E.164 form of a phone cell, or None when it is empty or not a phone."""
    try:
        return phone.normalize_phone(text) if text else None
    except phone.InvalidPhone:
        return None


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
        normalized = normalized_phone_or_none(mapped_cell(cells, mapping, "phone"))
        if normalized:
            lines.setdefault(normalized, []).append(line)
    return {number: found for number, found in lines.items() if len(found) > 1}


def _read_row(line: int, cells: list[str], mapping: dict[str, int], fix: dict | None = None) -> RowPlan:
    """Read one row's cells into a plan, with the problems that need no other rows."""
    def cell(name: str) -> str:
        return mapped_cell(cells, mapping, name)

    plan = RowPlan(line=line, name=cell("name"), phone_text=cell("phone"))
    plan.business_name = cell("business_name")[:160]
    plan.address = cell("address")[:300]
    _check_name(plan)
    plan.regency_text = cell("regency")
    _read_regency(plan, fix, mapped="regency" in mapping)
    _read_sector(plan, cell("sector"))
    _read_business_started(plan, cell("business_started"))
    _read_email(plan, cell("email").lower())
    return plan


def _check_name(plan: RowPlan) -> None:
    if not plan.name:
        plan.issue("error", "missing_name")
    elif len(plan.name) > 120:
        plan.issue("error", "name_too_long")


def _read_regency(plan: RowPlan, fix: dict | None, *, mapped: bool) -> None:
    """Take the regency staff chose on the dry-run page, or else match the file's text."""
    fixed = regions.REGENCY_BY_CODE.get((fix or {}).get("regency") or "")
    if fixed is not None:
        plan.regency_code = fixed.code
        plan.issue("warning", "regency_fixed", label=fixed.label)
        return
    text = plan.regency_text
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


def _read_sector(plan: RowPlan, text: str) -> None:
    plan.sector, known = match_sector(text)
    if not known:
        plan.issue("warning", "unknown_sector", value=text)


def _read_business_started(plan: RowPlan, text: str) -> None:
    plan.business_started_year = read_year(text)
    if text and plan.business_started_year is None:
        plan.issue("warning", "invalid_year", value=text)


def _read_email(plan: RowPlan, email: str) -> None:
    if email and not _EMAIL.fullmatch(email):
        plan.issue("warning", "invalid_email", value=email)
    elif email:
        plan.email = email[:254]


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


def duplicate_groups(plans: list[RowPlan]) -> list[dict]:
    """Return, per phone on several rows, those rows side by side for staff to choose the winner."""
    groups: dict[str, list[dict]] = {}
    for plan in plans:
        if plan.phone and any(i["code"].startswith("duplicate_") for i in (*plan.errors, *plan.warnings)):
            groups.setdefault(plan.phone, []).append(plan.to_report())
    return [{"phone": number, "rows": rows} for number, rows in groups.items()]


def dry_run_report(plans: list[RowPlan], table: Table, staff_choices: dict) -> dict:
    """Return the report the dry-run page shows: counts, problem rows, duplicates, a sample of clean rows."""
    return {
        **staff_choices,
        "duplicates": duplicate_groups(plans),
        "file": table.facts(),
        "counts": summarize(plans, table),
        "rows": [plan.to_report() for plan in plans if plan.errors or plan.warnings],
        "sample": [plan.to_report() for plan in plans if not plan.errors and not plan.warnings][:10],
    }
