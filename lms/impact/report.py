"""The impact report of a cohort: gather the newest submitted answers, then compute the indicators.

A fixed number of queries whatever the cohort's size: the enrollments with their
profiles, and the submitted responses of the cohort's waves (baseline, endline and
its follow-ups, `cohort.followup_months`). The comparison group
is the cohort's registrants who were never selected (still "registered"); the
participants are its active and graduated enrollments.
"""

from __future__ import annotations

from sqlalchemy import select

from lms.content.surveyparse import Survey
from lms.extensions import db
from lms.impact import indicators
from lms.impact.answers import answer_reader
from lms.impact.rules import cohort_months, followup_waves
from lms.models import Cohort, Enrollment, EnrollmentStatus, ParticipantProfile, SurveyResponse, User

PARTICIPANT_STATUSES = (EnrollmentStatus.ACTIVE.value, EnrollmentStatus.GRADUATED.value)
COMPARISON_STATUSES = (EnrollmentStatus.REGISTERED.value,)
PAIRED_WAVES = ("baseline", "endline")


def report_followups(cohort: Cohort) -> tuple[str, ...]:
    """The follow-up waves the cohort's report shows, from its follow-up months."""
    return followup_waves(cohort_months(cohort))


def report_waves(cohort: Cohort) -> tuple[str, ...]:
    """Every wave the cohort's report reads: baseline, endline and the cohort's follow-ups."""
    return PAIRED_WAVES + report_followups(cohort)


def newest_answers(cohort: Cohort) -> dict[tuple[int, str], dict]:
    """(user id, wave) → the answers of the newest submitted version, for every wave."""
    rows = db.session.connection().execute(  # Core rows: no ORM bookkeeping for 200,000 answers
        select(SurveyResponse.user_id, SurveyResponse.wave, SurveyResponse.answers)
        .where(SurveyResponse.cohort_id == cohort.id, SurveyResponse.status == "submitted",
               SurveyResponse.wave.in_(report_waves(cohort)))
        .order_by(SurveyResponse.version_no)
    )
    return {(user_id, wave): answers for user_id, wave, answers in rows}  # later versions overwrite


def cohort_people(cohort: Cohort, survey: Survey) -> tuple[list[indicators.Person], list[indicators.Person]]:
    """Return (participants, comparison group) as the indicators read them."""
    answers = newest_answers(cohort)
    followups = report_followups(cohort)
    read = answer_reader(survey.questions)
    rows = db.session.connection().execute(
        select(Enrollment.user_id, Enrollment.status, User.phone, ParticipantProfile.regency_code,
               ParticipantProfile.sector)
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort.id,
               Enrollment.status.in_(PARTICIPANT_STATUSES + COMPARISON_STATUSES))
    )
    participants, comparison = [], []
    for user_id, status, phone, regency_code, sector in rows:
        person = indicators.Person(
            key=phone, regency_code=regency_code or "", sector=sector or "",
            baseline=_answer(read, answers.get((user_id, "baseline"))),
            endline=_answer(read, answers.get((user_id, "endline"))),
            followups={wave: read(answers[(user_id, wave)]) for wave in followups if (user_id, wave) in answers})
        (participants if status in PARTICIPANT_STATUSES else comparison).append(person)
    return participants, comparison


def _answer(read, stored: dict | None) -> indicators.Answer | None:
    return None if stored is None else read(stored)


def impact_report(cohort: Cohort, survey: Survey, *, regency_code: str = "", sector: str = "") -> dict:
    """Every figure of the report, unrounded, with the comparison group and the extreme changes."""
    participants, comparison = cohort_people(cohort, survey)
    return {"cohort": cohort.slug, **figures_for(participants, comparison, regency_code=regency_code, sector=sector)}


def figures_for(participants: list[indicators.Person], comparison: list[indicators.Person], *,
                regency_code: str = "", sector: str = "") -> dict:
    """The report's figures for the people of one regency and/or sector (empty: everyone)."""
    participants = indicators.filter_people(participants, regency_code=regency_code, sector=sector)
    comparison = indicators.filter_people(comparison, regency_code=regency_code, sector=sector)
    figures = indicators.cohort_indicators(participants, enrolled_count=len(participants))
    compared = indicators.cohort_indicators(comparison, enrolled_count=len(comparison))
    return {
        **figures,
        **indicators.difference_in_differences(figures, compared),
        "comparison": compared,
        "extreme_changes": [
            {"phone": item.key, "baseline": item.baseline, "endline": item.endline, "pct_change": item.pct_change}
            for item in indicators.extreme_changes(participants)],
    }
