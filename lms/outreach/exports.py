"""The registrants export: one row per registrant with their registration facts and baseline answers.

Written with the staff exports' XLSX writer (text cells stay text); every text
value that a spreadsheet would read as a formula (= + - @) also gets a leading
apostrophe, so hostile text stays inert when the sheet is copied into another tool.
"""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from lms.choices import HEARD_FROM_LABELS, REGISTERED_VIA_LABELS, SECTOR_LABELS, STATUS_LABELS
from lms.content.surveyparse import SurveyQuestion
from lms.impact.queries import current_survey
from lms.models import Cohort
from lms.outreach import queries
from lms.staff.exports.datasets import Dataset, _local_phone, _regency, neutralize, to_xlsx

WIB = ZoneInfo("Asia/Jakarta")


def answer_cell(question: SurveyQuestion, value):
    """Return a stored answer as a cell: numbers stay numbers, choices become their texts."""
    if value is None:
        return ""
    texts = {choice.id: choice.text for choice in question.choices}
    if isinstance(value, list):
        return ", ".join(str(texts.get(item, item)) for item in value)
    if isinstance(value, str):
        return texts.get(value, value)
    return value


def wib(moment) -> str:
    return moment.replace(tzinfo=UTC).astimezone(WIB).strftime("%Y-%m-%d %H:%M") if moment else ""


def registrants_dataset(cohort: Cohort) -> Dataset:
    """Return the cohort's registrants and their baseline answers (three queries in all)."""
    survey = current_survey()
    questions = survey.for_wave("baseline") if survey else ()
    answers = queries.baseline_answers(cohort.id)
    columns = [_("No. pendaftaran"), _("Nama"), _("No. HP"), _("Nama usaha"), _("Bidang usaha"),
               _("Kabupaten/kota"), _("Kecamatan"), _("Tahu dari"), _("Kode rujukan"), _("Jalur"),
               _("Status"), _("Terdaftar (WIB)"), _("Versi persetujuan"),
               *(question.text for question in questions)]
    # Translated once here: resolving a lazy label per cell cost a third of the export's time.
    sectors, heard, via, statuses = ({key: str(label) for key, label in labels.items()} for labels in (
        SECTOR_LABELS, HEARD_FROM_LABELS, REGISTERED_VIA_LABELS, STATUS_LABELS))
    rows = []
    for enrollment, user, profile in queries.registrants(cohort.id):
        given = answers.get(user.id, {})
        row = [
            enrollment.registration_number or "", user.name, _local_phone(user.phone),
            profile.business_name if profile else "",
            sectors.get(profile.sector, profile.sector) if profile else "",
            _regency(profile.regency_code if profile else None), profile.district if profile else "",
            heard.get(enrollment.heard_from, enrollment.heard_from), enrollment.referral_code,
            via.get(enrollment.registered_via, enrollment.registered_via),
            statuses.get(enrollment.status, enrollment.status),
            wib(enrollment.created_at), enrollment.consent_version,
            *(answer_cell(question, given.get(question.id)) for question in questions),
        ]
        rows.append([neutralize(value) for value in row])
    return Dataset(columns=[neutralize(c) for c in columns], rows=rows)


def registrants_xlsx(cohort: Cohort) -> tuple[bytes, str]:
    """Return the XLSX bytes and file name of the registrants export."""
    return to_xlsx(registrants_dataset(cohort), _("Pendaftar")), f"{cohort.slug}-pendaftar.xlsx"
