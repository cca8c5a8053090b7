"""Exports for the province: participants, progress, grades, certificates and the ranking.

Each dataset is a list of Indonesian column names and rows of plain values; the
writers turn it into CSV (UTF-8 with BOM, so Excel reads the accents) or XLSX.
A cell that starts with = + - @ or a tab would run as a formula in a spreadsheet,
so the CSV writer prefixes it with an apostrophe and the XLSX writer stores every
text cell as text.

Phones are written the local way ("0812-3456-7890") in both formats: that text
starts with a digit, so it needs no apostrophe in CSV, and the dashes keep a
spreadsheet from reading it as a number and dropping the leading 0. In XLSX it is
a text cell anyway. Every XLSX sheet (`to_xlsx`, the one writer) freezes its
header row and sizes its columns to their contents.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from lms import phone
from lms.choices import SECTOR_LABELS, STATUS_LABELS
from lms.completion import Facts, evaluate, facts_for_users
from lms.extensions import db
from lms.learn.progress import percent_complete
from lms.learn.store import get_content
from lms.models import (
    Certificate,
    Cohort,
    Enrollment,
    MentorAllocation,
    ParticipantProfile,
    QuizAttempt,
    Review,
    Submission,
    TopAward,
    User,
)
from lms.regions import REGENCY_BY_CODE
from lms.staff.ranking.awards import cohort_ranking

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FACTS_CHUNK = 1000  # participants per facts_for_users call, to keep IN lists short


@dataclass(frozen=True)
class Dataset:
    columns: list[str]
    rows: list[list]


def neutralize(value):
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(dataset: Dataset) -> bytes:
    """Write a dataset as CSV with a BOM and every risky cell neutralized."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralize(c) for c in dataset.columns])
    writer.writerows([neutralize(_plain(v)) for v in row] for row in dataset.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(dataset: Dataset, sheet_title: str) -> bytes:
    """Write a dataset as an XLSX workbook whose text cells are stored as text, never formulas."""
    return to_xlsx_sheets([(sheet_title, dataset)])


def to_xlsx_sheets(sheets: Iterable[tuple[str, Dataset]]) -> bytes:
    """Write one sheet per (title, dataset), each with a frozen header row and fitted column widths."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for sheet_title, dataset in sheets:
        sheet = workbook.create_sheet(title=str(sheet_title)[:31])
        sheet.freeze_panes = "A2"  # the header stays in view while scrolling
        for index, width in enumerate(column_widths(dataset), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

        def cells(values, sheet=sheet):
            for value in values:
                cell = WriteOnlyCell(sheet, value=_plain(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would otherwise treat "=…" as a formula
                yield cell

        sheet.append(list(cells(dataset.columns)))
        for row in dataset.rows:
            sheet.append(list(cells(row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WIDTH_SAMPLE_ROWS = 500  # widths are measured on the header and the first rows; enough to look right
MIN_WIDTH, MAX_WIDTH = 8, 60


def column_widths(dataset: Dataset) -> list[int]:
    """Return a width per column: the longest of header and sampled values, within sensible bounds."""
    widths = [len(str(_plain(c))) for c in dataset.columns]
    for row in dataset.rows[:WIDTH_SAMPLE_ROWS]:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], len(str(_plain(value))))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, LazyString):
        return str(value)
    return value


def _local_phone(e164: str) -> str:
    try:
        return phone.format_phone_local(e164)
    except phone.InvalidPhone:
        return e164


def _regency(code: str | None) -> str:
    regency = REGENCY_BY_CODE.get(code or "")
    return regency.label if regency else ""


def _people(cohort: Cohort):
    """Return the cohort's enrollments with user, profile and current mentor name, in one query."""
    mentor = aliased(User)
    return db.session.execute(
        select(Enrollment, User, ParticipantProfile, mentor.name)
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == User.id)
        .outerjoin(MentorAllocation, (MentorAllocation.enrollment_id == Enrollment.id)
                   & MentorAllocation.ended_at.is_(None))
        .outerjoin(mentor, mentor.id == MentorAllocation.mentor_id)
        .where(Enrollment.cohort_id == cohort.id)
        .order_by(User.name, Enrollment.id)
    ).all()


def participants(cohort: Cohort) -> Dataset:
    """List every participant of the cohort with business, regency, status and mentor."""
    columns = [_("Nama"), _("Nomor HP"), _("Email"), _("Nama usaha"), _("Bidang usaha"), _("Kabupaten/kota"),
               _("Kode BPS"), _("Alamat"), _("Status"), _("Mentor"), _("Terdaftar sejak"), _("Akun aktif")]
    rows = [
        [user.name, _local_phone(user.phone), user.email or "", profile.business_name if profile else "",
         str(SECTOR_LABELS.get(profile.sector, profile.sector)) if profile and profile.sector else "",
         _regency(profile.regency_code if profile else None), (profile.regency_code or "") if profile else "",
         profile.address if profile else "", str(STATUS_LABELS.get(e.status, e.status)), mentor_name or "",
         e.created_at.strftime("%Y-%m-%d"), _("ya") if user.password_hash else _("belum")]
        for e, user, profile, mentor_name in _people(cohort)
    ]
    return Dataset(columns, rows)


def _course_and_modules(cohort: Cohort):
    content = get_content()
    course = content.course(cohort.course_id)
    return course, (content.course_modules(course) if course else [])


def _facts(user_ids: list[int], module_ids: list[str]) -> dict:
    facts = {}
    for start in range(0, len(user_ids), FACTS_CHUNK):
        facts.update(facts_for_users(user_ids[start : start + FACTS_CHUNK], module_ids))
    return facts


def progress(cohort: Cohort) -> Dataset:
    """List each participant's completion per module and overall."""
    course, modules = _course_and_modules(cohort)
    people = _people(cohort)
    facts = _facts([user.id for _e, user, _p, _m in people], [m.id for m in modules])
    columns = [_("Nama"), _("Nomor HP"), _("Kabupaten/kota"), _("Status")]
    for module in modules:
        columns.append(_("%(module)s: dibaca", module=module.title))
        if module.quiz:
            columns.append(_("%(module)s: nilai kuis terbaik", module=module.title))
        if module.assignment:
            columns.append(_("%(module)s: tugas", module=module.title))
    columns += [_("Persen selesai"), _("Memenuhi syarat lulus")]
    rows = []
    for enrollment, user, profile, _mentor in people:
        completion = evaluate(course, modules, facts.get(user.id, Facts())) if course else None
        row = [user.name, _local_phone(user.phone), _regency(profile.regency_code if profile else None),
               str(STATUS_LABELS.get(enrollment.status, enrollment.status))]
        for module in modules:
            item = completion.of(module.id) if completion else None
            row.append(_("ya") if item and item.read else _("belum"))
            if module.quiz:
                row.append(item.best_score if item and item.best_score is not None else "")
            if module.assignment:
                row.append(str(_ASSIGNMENT_LABELS.get(item.assignment_status if item else None, "")))
        row += [percent_complete(completion) if completion else 0,
                _("ya") if completion and completion.eligible else _("belum")]
        rows.append(row)
    return Dataset(columns, rows)


_ASSIGNMENT_LABELS = {
    None: _l("belum dikirim"),
    "submitted": _l("menunggu penilaian"),
    "needs_revision": _l("perlu revisi"),
    "accepted": _l("diterima"),
}


def grades(cohort: Cohort) -> Dataset:
    """List, per participant and module, the best quiz score, attempts, and the newest rubric points."""
    _course, modules = _course_and_modules(cohort)
    module_ids = [m.id for m in modules]
    titles = {m.id: m.title for m in modules}
    people = _people(cohort)
    cohort_users = select(Enrollment.user_id).where(Enrollment.cohort_id == cohort.id)
    quiz = {
        (user_id, module_id): (best, attempts)
        for user_id, module_id, best, attempts in db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.module_id, func.max(QuizAttempt.score), func.count())
            .where(QuizAttempt.user_id.in_(cohort_users), QuizAttempt.submitted_at.is_not(None),
                   QuizAttempt.module_id.in_(module_ids))
            .group_by(QuizAttempt.user_id, QuizAttempt.module_id)
        )
    }
    reviews = {}
    for user_id, module_id, version, status, total, maximum in db.session.execute(
        select(Submission.user_id, Submission.module_id, Submission.version_no, Submission.status,
               Review.total_points, Review.max_points)
        .outerjoin(Review, Review.submission_id == Submission.id)
        .where(Submission.user_id.in_(cohort_users), Submission.module_id.in_(module_ids))
        .order_by(Submission.version_no, Review.id)
    ):
        reviews[(user_id, module_id)] = (version, status, total, maximum)  # ordered: the newest wins
    columns = [_("Nama"), _("Nomor HP"), _("Modul"), _("Nilai kuis terbaik"), _("Jumlah percobaan kuis"),
               _("Versi tugas"), _("Status tugas"), _("Poin rubrik"), _("Poin maksimal")]
    rows = []
    for _e, user, _p, _m in people:
        for module_id in module_ids:
            best, attempts = quiz.get((user.id, module_id), (None, 0))
            version, status, total, maximum = reviews.get((user.id, module_id), (None, None, None, None))
            if best is None and version is None:
                continue
            rows.append([user.name, _local_phone(user.phone), titles[module_id], best if best is not None else "",
                         attempts, version or "", str(_ASSIGNMENT_LABELS.get(status, status or "")),
                         total if total is not None else "", maximum if maximum is not None else ""])
    return Dataset(columns, rows)


def certificates(cohort: Cohort) -> Dataset:
    """List every certificate issued in the cohort, valid or not."""
    columns = [_("Nomor sertifikat"), _("Jenis"), _("Nama"), _("Nama usaha"), _("Kabupaten/kota"), _("Status"),
               _("Diterbitkan"), _("Dicabut"), _("Alasan pencabutan"), _("Kode verifikasi")]
    kinds = {"graduation": _("Kelulusan"), "top": _("Peserta Terbaik")}
    states = {"valid": _("berlaku"), "revoked": _("dicabut"), "superseded": _("diganti")}
    rows = [
        [c.number, kinds.get(c.kind, c.kind), c.name, c.business_name, _regency(c.regency_code),
         states.get(c.status, c.status), c.issued_at.strftime("%Y-%m-%d %H:%M"),
         c.revoked_at.strftime("%Y-%m-%d %H:%M") if c.revoked_at else "", c.revoke_reason or "", c.code]
        for c in db.session.scalars(
            select(Certificate).join(Enrollment, Enrollment.id == Certificate.enrollment_id)
            .where(Enrollment.cohort_id == cohort.id).order_by(Certificate.number)
        )
    ]
    return Dataset(columns, rows)


def ranking(cohort: Cohort) -> Dataset:
    """List the ranking with its score parts and who was awarded."""
    columns = [_("Peringkat"), _("Nama"), _("Nomor HP"), _("Nama usaha"), _("Kabupaten/kota"), _("Skor"),
               _("Kuis (0-100)"), _("Rubrik (0-100)"), _("Kecepatan (0-100)"), _("Peserta Terbaik")]
    rows = [
        [r.ranked.rank, r.name, _local_phone(r.phone), r.business_name, _regency(r.regency_code),
         r.ranked.parts.total, round(100 * r.ranked.parts.quiz, 1), round(100 * r.ranked.parts.rubric, 1),
         round(100 * r.ranked.parts.speed, 1), _("ya") if r.award else ""]
        for r in cohort_ranking(cohort)
    ]
    return Dataset(columns, rows)


def top_awardees(cohort: Cohort) -> Dataset:
    """List the "Peserta Terbaik" of the cohort's programme year, every cohort, with contact data."""
    from lms.staff.ranking.awards import programme_year

    year = programme_year(cohort)
    columns = [_("Kohort"), _("Peringkat saat dipilih"), _("Skor saat dipilih"), _("Nama"), _("Nomor HP"), _("Email"),
               _("Nama usaha"), _("Bidang usaha"), _("Kabupaten/kota"), _("Alamat"), _("Instagram"), _("Facebook"),
               _("TikTok"), _("Marketplace"), _("Situs web"), _("Ditandai pada")]
    rows = []
    for award, other, user, profile in db.session.execute(
        select(TopAward, Cohort, User, ParticipantProfile)
        .join(Cohort, Cohort.id == TopAward.cohort_id)
        .join(Enrollment, Enrollment.id == TopAward.enrollment_id)
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == User.id)
        .order_by(Cohort.start_date, Cohort.id, TopAward.rank_at_award, TopAward.id)
    ):
        if programme_year(other) != year:
            continue
        p = profile or ParticipantProfile()
        rows.append([other.name, award.rank_at_award or "", award.score_at_award if award.score_at_award is not None
                     else "", user.name, _local_phone(user.phone), user.email or "", p.business_name or "",
                     str(SECTOR_LABELS.get(p.sector, p.sector)) if p.sector else "", _regency(p.regency_code),
                     p.address or "", p.instagram_url or "", p.facebook_url or "", p.tiktok_url or "",
                     p.marketplace_url or "", p.website_url or "", award.awarded_at.strftime("%Y-%m-%d")])
    return Dataset(columns, rows)


DATASETS: dict[str, tuple[Callable[[Cohort], Dataset], object]] = {
    "peserta": (participants, _l("Peserta")),
    "kemajuan": (progress, _l("Kemajuan")),
    "nilai": (grades, _l("Nilai")),
    "sertifikat": (certificates, _l("Sertifikat")),
    "peringkat": (ranking, _l("Peringkat")),
    "terbaik": (top_awardees, _l("Peserta Terbaik")),
}
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def build_export(cohort: Cohort, dataset: str, fmt: str) -> tuple[bytes, str]:
    """Return the bytes and file name of one export."""
    build, title = DATASETS[dataset]
    data = build(cohort)
    body = to_csv(data) if fmt == "csv" else to_xlsx(data, str(title))
    return body, f"{cohort.slug}-{dataset}.{fmt}"


def activation_codes_dataset(rows: Iterable[tuple[str, str, str, str, str]]) -> Dataset:
    """Return issued activation codes (name, phone, code, valid until, WhatsApp link), phones the local way."""
    columns = [_("Nama"), _("Nomor HP"), _("Kode aktivasi"), _("Berlaku sampai"), _("Tautan WhatsApp")]
    return Dataset(columns, [[name, _local_phone(e164), *rest] for name, e164, *rest in rows])


def activation_codes_csv(rows: Iterable[tuple[str, str, str, str, str]]) -> bytes:
    """Write issued activation codes as CSV (phones need no apostrophe in the local form)."""
    return to_csv(activation_codes_dataset(rows))


def activation_codes_xlsx(rows: Iterable[tuple[str, str, str, str, str]]) -> bytes:
    """Write issued activation codes as XLSX, every phone a text cell."""
    return to_xlsx(activation_codes_dataset(rows), _("Kode aktivasi"))
