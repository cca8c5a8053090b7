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
from lms.impact.indicators import revenue_distribution, rounded, wave_summary
from lms.impact.report import cohort_people, figures_for
from lms.learn.store import get_content
from lms.models import Cohort, SurveyResponse

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
    """The whole cohort's figures, then the same per regency and per sector, rounded for display."""
    participants, comparison = cohort_people(cohort, survey)
    overall = rounded(figures_for(participants, comparison))
    overall["extreme_changes"] = [rounded(item) for item in overall["extreme_changes"]]
    return {"overall": overall,
            "waves": rounded(wave_summary(participants)),
            "distribution": {wave: revenue_distribution(participants, wave) for wave in ("baseline", "endline")},
            "participants": participants,
            "by_regency": grouped(participants, comparison, "regency_code",
                                  [(regency.code, regency) for regency in regions.REGENCIES]),
            "by_sector": grouped(participants, comparison, "sector", list(SECTORS))}


def grouped(participants, comparison, attribute: str, groups: list[tuple[str, object]]) -> list[tuple[object, dict]]:
    """Figures per group, splitting the people once (not once per group: 33 regencies × 100,000 people)."""
    split: dict[str, tuple[list, list]] = {key: ([], []) for key, _label in groups}
    for side, people in enumerate((participants, comparison)):
        for person in people:
            bucket = split.get(getattr(person, attribute))
            if bucket is not None:
                bucket[side].append(person)
    return [(label, rounded(figures_for(*split[key]))) for key, label in groups]


def cohort_figures(cohort: Cohort, survey: Survey) -> dict:
    """One cohort's headline figures, rounded, for the comparison across cohorts."""
    participants, comparison = cohort_people(cohort, survey)
    return rounded(figures_for(participants, comparison))
