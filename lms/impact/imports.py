"""Import survey answers collected elsewhere (CSV/XLSX): map columns, dry run, then save, idempotently.

The file is read by the registrant importer's reader (encodings, separators, XLSX).
Rows are matched by phone to the cohort's enrollments (participants and registrants
alike, so the comparison group can be imported too). Every row goes through
`read_answers`, exactly like the form: an impossible value is reported on its row,
and the row is not imported.

Idempotent: a row whose answers equal the newest submitted version of that wave is
"unchanged" and saves nothing, so importing the same file twice changes nothing.
Two rows of one file for the same phone and wave are both kept, in file order, as
versions (the later counts), and the dry run says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from lms import phone as phones
from lms.content.surveyparse import Survey, SurveyQuestion
from lms.extensions import db
from lms.impact.answers import read_answers
from lms.impact.operations import save_answers
from lms.impact.rules import cohort_months, followup_wave
from lms.impact.snapshot import schedule_refresh
from lms.models import Cohort, Enrollment, SurveyResponse, User
from lms.staff.imports.mapping import fold_header
from lms.staff.imports.reading import MAX_IMPORT_BYTES, ImportFileError, Table, read_table

__all__ = ["MAX_IMPORT_BYTES", "ImportFileError", "SurveyRow", "apply_plan", "guess_columns", "plan_import",
           "read_table"]

PHONE_HEADERS = ("no hp", "nomor hp", "no hp wa", "hp", "nomor telepon", "no telepon", "telepon", "whatsapp",
                 "no wa", "nomor wa", "phone")
WAVE_HEADERS = ("gelombang", "wave", "survei", "tahap")
MEASURE_HEADERS = {
    "omzet": ("omzet per bulan", "omzet bulanan", "omzet", "pendapatan per bulan", "penjualan per bulan"),
    "karyawan": ("jumlah karyawan", "karyawan", "jumlah pekerja", "tenaga kerja", "pekerja"),
    "kanal": ("kanal penjualan", "kanal", "saluran penjualan", "tempat jualan"),
    "legalitas": ("legalitas", "izin usaha", "perizinan", "sertifikat"),
    "rebranding": ("rebranding",),
    "alat_digital": ("alat digital",),
}
WAVE_WORDS = {
    "baseline": "baseline", "awal": "baseline", "survei awal": "baseline", "pre": "baseline",
    "endline": "endline", "akhir": "endline", "survei akhir": "endline", "post": "endline",
}
# "lanjutan", "follow up 6", "followup-6", "lanjutan 6 bulan", "survei lanjutan 12 bulan" (folded by fold_header).
FOLLOWUP_WORDS = re.compile(r"(?:survei )?(?:followup|follow up|lanjutan)(?: (\d{1,2}))?(?: bulan)?")
# Everyday names for choices whose id is not what people write.
CHOICE_SYNONYMS = {"wa": "whatsapp", "wa business": "whatsapp", "whatsapp business": "whatsapp", "ig": "instagram",
                   "fb": "facebook", "tiktokshop": "tiktok-shop", "tiktok shop": "tiktok-shop",
                   "e katalog": "ekatalog", "ekatalog lkpp": "ekatalog", "lkpp": "ekatalog", "padi": "padi-umkm",
                   "spp irt": "pirt", "p irt": "pirt", "sertifikat halal": "halal", "haki": "merek",
                   "merek dagang": "merek", "toko": "offline", "lapak": "offline"}
LIST_SEPARATOR = re.compile(r"[;,/]")


@dataclass
class SurveyRow:
    line: int
    phone_text: str
    wave: str = ""
    user_id: int | None = None
    answers: dict = field(default_factory=dict)
    # Messages in the planning request's language; plain str, so the page escapes the quoted cell (a lazy
    # string would count as safe HTML).
    errors: list[str] = field(default_factory=list)
    action: str = "skip"  # save | unchanged | skip
    note: str = ""


def guess_columns(header: list[str], survey: Survey) -> dict[str, int]:
    """Map "phone", "wave" and question ids to column indexes from the header names."""
    folded = [fold_header(cell) for cell in header]
    mapping: dict[str, int] = {}

    def claim(name: str, candidates) -> None:
        for index, text in enumerate(folded):
            if index not in mapping.values() and text in candidates:
                mapping[name] = index
                return

    claim("phone", PHONE_HEADERS)
    claim("wave", WAVE_HEADERS)
    for question in survey.questions:
        claim(question.id, {fold_header(question.id), *MEASURE_HEADERS.get(question.measure, ())})
    return mapping


def plan_import(table: Table, mapping: dict[str, int], cohort: Cohort, survey: Survey,
                fixed_wave: str = "") -> list[SurveyRow]:
    """Check every row and decide what it does; nothing is written."""
    enrolled = dict(db.session.execute(
        select(User.phone, User.id).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id == cohort.id)).all())
    history = _submitted_history(cohort)
    plans = [_plan_row(line, cells, mapping, survey, enrolled, fixed_wave, cohort) for line, cells in table.rows]
    groups: dict[tuple[int, str], list[SurveyRow]] = {}
    for plan in plans:
        if not plan.errors:
            groups.setdefault((plan.user_id, plan.wave), []).append(plan)
    for key, rows in groups.items():
        already = _already_imported(history.get(key, []), [row.answers for row in rows])
        for position, row in enumerate(rows):
            row.action = "unchanged" if position < already else "save"
            row.note = "duplicate" if position else ""
    return plans


def _already_imported(versions: list[dict], sequence: list[dict]) -> int:
    """How many leading rows of a phone's rows for one wave are already the newest versions, in order.

    Stored [A] and a file with [A, B]: A is unchanged, B is new. Stored [A, B] and the same file again:
    both unchanged. So a re-import, or a weekly file that repeats last week's rows, writes nothing twice.
    """
    for count in range(min(len(sequence), len(versions)), 0, -1):
        if versions[-count:] == sequence[:count]:
            return count
    return 0


def wave_from_text(text: str, months: tuple[int, ...]) -> str:
    """The wave a cell names, among the cohort's waves ("" if none): a bare "lanjutan" is the first follow-up."""
    folded = fold_header(text)
    if folded in WAVE_WORDS:
        return WAVE_WORDS[folded]
    match = FOLLOWUP_WORDS.fullmatch(folded)
    if match is None or not months:
        return ""
    wanted = int(match.group(1)) if match.group(1) else months[0]
    return followup_wave(wanted) if wanted in months else ""


def _plan_row(line, cells, mapping, survey, enrolled, fixed_wave, cohort) -> SurveyRow:
    def cell(name: str) -> str:
        index = mapping.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    plan = SurveyRow(line=line, phone_text=cell("phone"))
    try:
        normalized = phones.normalize_phone(plan.phone_text)
    except phones.InvalidPhone:
        plan.errors.append(_("Nomor HP tidak valid: %(phone)s.", phone=plan.phone_text[:30] or _("(kosong)")))
        return plan
    plan.user_id = enrolled.get(normalized)
    if plan.user_id is None:
        plan.errors.append(_("Nomor HP %(phone)s tidak terdaftar di kohort ini.", phone=plan.phone_text[:30]))
    plan.wave = fixed_wave or wave_from_text(cell("wave"), cohort_months(cohort))
    if not plan.wave:
        followups = _(" atau ").join(_("lanjutan %(months)s", months=m) for m in cohort_months(cohort))
        plan.errors.append(_("Gelombang tidak dikenal: '%(wave)s' (pakai awal, akhir, %(followups)s).",
                             wave=cell("wave")[:30], followups=followups or _("tanpa lanjutan")))
        return plan
    questions = survey.for_wave("followup" if plan.wave.startswith("followup") else plan.wave)
    raw = {q.id: _cell_values(q, cell(q.id)) for q in questions if q.id in mapping}
    raw.update({f"{q.id}--dijawab": ["1"] for q in questions if q.kind == "pilihan" and q.id in mapping})
    plan.answers, errors = read_answers(questions, raw, require_all=True)
    plan.errors += [_("%(question)s: %(message)s", question=question_label(questions, qid), message=message)
                    for qid, message in errors.items()]
    return plan


def _cell_values(question: SurveyQuestion, text: str) -> list[str]:
    """A cell as form values: a list cell is split on ; , or / and its names turned into choice ids."""
    if question.kind != "pilihan":
        return [text]
    values = []
    by_text = {fold_header(c.text): c.id for c in question.choices} | {fold_header(c.id): c.id
                                                                       for c in question.choices}
    for part in LIST_SEPARATOR.split(text):
        folded = fold_header(part)
        if folded in ("", "tidak ada", "belum ada", "belum", "tidak", "none", "-"):
            continue
        values.append(by_text.get(folded) or CHOICE_SYNONYMS.get(folded) or part.strip())
    return values


def question_label(questions, question_id: str) -> str:
    return next((q.id for q in questions if q.id == question_id), question_id)


def _submitted_history(cohort: Cohort) -> dict[tuple[int, str], list[dict]]:
    """(user id, wave) → the answers of every submitted version, oldest first."""
    history: dict[tuple[int, str], list[dict]] = {}
    for user_id, wave, answers in db.session.execute(
        select(SurveyResponse.user_id, SurveyResponse.wave, SurveyResponse.answers)
        .where(SurveyResponse.cohort_id == cohort.id, SurveyResponse.status == "submitted")
        .order_by(SurveyResponse.version_no)):
        history.setdefault((user_id, wave), []).append(answers)
    return history


def apply_plan(plans: list[SurveyRow], cohort: Cohort, survey: Survey, *, imported_by: User | None) -> int:
    """Save every row planned as "save", in file order; return how many versions were written."""
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({p.user_id for p in plans if p.action == "save"})))}
    saved = 0
    for plan in plans:
        if plan.action == "save":
            save_answers(users[plan.user_id], cohort, plan.wave, survey, plan.answers, submit=True, source="import",
                         entered_by=imported_by, refresh=False)
            saved += 1
    if saved:
        schedule_refresh(cohort.id)  # once for the whole file, not once per row
    return saved


def summarize(plans: list[SurveyRow]) -> dict:
    return {"rows": len(plans), "save": sum(p.action == "save" for p in plans),
            "unchanged": sum(p.action == "unchanged" for p in plans),
            "errors": sum(bool(p.errors) for p in plans),
            "duplicates": sum(p.note == "duplicate" for p in plans)}


# --- The staff upload page: the file waits under a server-made name between the dry run and the import ---

STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx)$")


def upload_folder(cohort: Cohort):
    from pathlib import Path

    from flask import current_app

    return Path(current_app.config["IMPORT_ROOT"]) / "survei" / str(cohort.id)


def store_upload(data: bytes, filename: str, cohort: Cohort) -> str:
    """Check that the file reads as a table and keep it for the dry run; return its server-made name."""
    import secrets

    read_table(data, filename)
    stored = secrets.token_hex(16) + (".xlsx" if data.startswith(b"PK\x03\x04") else ".csv")
    folder = upload_folder(cohort)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(data)
    return stored


def load_upload(cohort: Cohort, stored: str) -> Table | None:
    """The kept file of this cohort by its server-made name, or None (unknown, another cohort's, or gone)."""
    if not STORED_NAME.match(stored):
        return None
    path = upload_folder(cohort) / stored
    if not path.is_file():
        return None
    return read_table(path.read_bytes(), stored)


def discard_upload(cohort: Cohort, stored: str) -> None:
    if STORED_NAME.match(stored):
        (upload_folder(cohort) / stored).unlink(missing_ok=True)


def mapping_from(values, header: list[str], survey: Survey) -> dict[str, int] | None:
    """The column mapping chosen on the page (`kolom-<field>` = column index), or None when none was sent."""
    fields = ["phone", "wave", *(q.id for q in survey.questions)]
    if not any(f"kolom-{name}" in values for name in fields):
        return None
    mapping = {}
    for name in fields:
        text = values.get(f"kolom-{name}", "")
        if text.isdigit() and int(text) < len(header):
            mapping[name] = int(text)
    return mapping
