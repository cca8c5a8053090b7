"""What the impact pages read: the survey, a person's stored answers, the report's tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from lms import regions
from lms.choices import SECTORS
from lms.content.surveyparse import Survey, SurveyQuestion
from lms.extensions import db
from lms.impact import snapshot
from lms.impact.indicators import rounded
from lms.impact.report import cohort_people
from lms.knowledge import report as knowledge_report
from lms.learn.store import get_content
from lms.models import Cohort, Enrollment, SurveyLink, SurveyReminder, SurveyResponse

SURVEY_ID = "dampak-umkm"
WIB = ZoneInfo("Asia/Jakarta")


def current_survey() -> Survey | None:
    return get_content().library.surveys.get(SURVEY_ID)


def wib_today(now_utc: datetime) -> date:
    """Today's date in North Sumatra for a naive-UTC time."""
    return now_utc.replace(tzinfo=UTC).astimezone(WIB).date()


def submitted_waves(user_id: int, cohort_id: int) -> set[str]:
    return set(db.session.scalars(select(SurveyResponse.wave).where(
        SurveyResponse.user_id == user_id, SurveyResponse.cohort_id == cohort_id,
        SurveyResponse.status == "submitted")))


def latest_answers(user_id: int, cohort_id: int, wave: str) -> dict:
    """The open draft if there is one, else the newest submitted version, else nothing."""
    rows = db.session.execute(select(SurveyResponse.status, SurveyResponse.answers).where(
        SurveyResponse.user_id == user_id, SurveyResponse.cohort_id == cohort_id, SurveyResponse.wave == wave)
        .order_by(SurveyResponse.version_no.desc()).limit(1)).first()
    return dict(rows.answers) if rows else {}


def as_form_values(questions: Sequence[SurveyQuestion], answers: dict) -> dict[str, list[str]]:
    """Stored answers as the form's field values (amounts written the Indonesian way)."""
    values: dict[str, list[str]] = {}
    for question in questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        if isinstance(value, list):
            values[question.id] = list(value)
            values[f"{question.id}--dijawab"] = ["1"]
        elif question.kind == "rupiah":
            values[question.id] = [f"{value:,}".replace(",", ".")]
        else:
            values[question.id] = [str(value)]
    return values


def report_page(cohort: Cohort, survey: Survey) -> dict:
    """The whole cohort's figures, then the same per regency and per sector, rounded for display.

    Read from the cohort's stored figures (lms/impact/snapshot.py), recomputed only when the answers changed.
    """
    stamp, figures = snapshot.current_figures(cohort, survey)
    return {**report_from_figures(figures), "stamp": stamp}


def report_from_figures(figures: dict) -> dict:
    """The stored, unrounded figures as the page, PDF and XLSX print them."""
    overall = rounded(figures["overall"])
    overall["extreme_changes"] = [rounded(item) for item in overall["extreme_changes"]]
    return {"overall": overall,
            "waves": rounded(figures["waves"]),
            "distribution": figures["distribution"],
            "by_regency": [(regency, rounded(figures["by_regency"][regency.code])) for regency in regions.REGENCIES],
            "by_sector": [(label, rounded(figures["by_sector"][key])) for key, label in SECTORS],
            "knowledge": knowledge_report.section_from(figures["knowledge"])}


def paired_participants(cohort: Cohort, survey: Survey) -> list:
    """Every participant with their answers, for the XLSX's anonymised paired data (read from the answers)."""
    participants, _comparison = cohort_people(cohort, survey)
    return participants


def cohort_figures(cohort: Cohort, survey: Survey) -> dict:
    """One cohort's headline figures, rounded, for the comparison across cohorts."""
    _stamp, figures = snapshot.current_figures(cohort, survey)
    return rounded(figures["overall"])


def waves_in_use(cohort_id: int) -> set[str]:
    """The waves of a cohort with answers (drafts too), signed links or reminders sent: their month must stay."""
    answered = db.session.scalars(select(SurveyResponse.wave).where(SurveyResponse.cohort_id == cohort_id).distinct())
    linked = db.session.scalars(select(SurveyLink.wave).join(Enrollment, Enrollment.id == SurveyLink.enrollment_id)
                                .where(Enrollment.cohort_id == cohort_id).distinct())
    reminded = db.session.scalars(select(SurveyReminder.wave).where(SurveyReminder.cohort_id == cohort_id).distinct())
    return set(answered) | set(linked) | set(reminded)
