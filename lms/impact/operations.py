"""The writes of the impact area: save a draft, submit a wave's answers (a new version each time)."""

from __future__ import annotations

from sqlalchemy import func, select

from lms import audit
from lms.content.surveyparse import Survey
from lms.database import write_transaction
from lms.extensions import db
from lms.impact.rules import cohort_waves
from lms.impact.snapshot import schedule_refresh
from lms.models import Cohort, SurveyResponse, User, utcnow

SOURCES = ("self", "proxy", "import", "link", "form")  # reg: "form" = the baseline typed on /daftar


def survey_wave(wave: str) -> str:
    """The wave name the survey file uses: every follow-up asks the "followup" questions."""
    return "followup" if wave.startswith("followup") else wave


def save_answers(user: User, cohort: Cohort, wave: str, survey: Survey, answers: dict, *, submit: bool,
                 source: str = "self", entered_by: User | None = None, refresh: bool = True) -> SurveyResponse:
    """Keep answers as the open draft, or submit them as the wave's newest version; one transaction.

    A submitted version is never changed: answering the wave again makes version + 1, which then counts.
    A submission queues the recomputation of the cohort's report figures (`refresh=False`: the caller will).
    """
    if wave not in cohort_waves(cohort) or source not in SOURCES:
        raise ValueError(f"unknown wave or source: {wave}/{source}")
    with write_transaction():
        response = store_answers(user, cohort, wave, survey, answers, submit=submit, source=source,
                                 entered_by=entered_by)
    if submit and refresh:
        schedule_refresh(cohort.id)
    return response


def store_answers(user: User, cohort: Cohort, wave: str, survey: Survey, answers: dict, *, submit: bool,
                  source: str, entered_by: User | None) -> SurveyResponse:
    """The body of `save_answers`, inside the caller's write transaction (a signed link claims itself first)."""
    draft = db.session.scalar(
        select(SurveyResponse).where(SurveyResponse.user_id == user.id, SurveyResponse.cohort_id == cohort.id,
                                     SurveyResponse.wave == wave, SurveyResponse.status == "draft")
        .with_for_update())
    if draft is None:
        newest = db.session.scalar(select(func.max(SurveyResponse.version_no)).where(
            SurveyResponse.user_id == user.id, SurveyResponse.cohort_id == cohort.id,
            SurveyResponse.wave == wave)) or 0
        draft = SurveyResponse(user_id=user.id, cohort_id=cohort.id, wave=wave, version_no=newest + 1)
        db.session.add(draft)
    draft.answers = dict(answers)
    draft.survey_id, draft.survey_version = survey.id, survey.version
    draft.source = source
    draft.entered_by_id = entered_by.id if entered_by is not None and entered_by.id != user.id else None
    if submit:
        draft.status, draft.submitted_at = "submitted", utcnow()
        db.session.flush()
        audit.record("survey.submitted", draft, actor=entered_by or user,
                     after={"wave": wave, "version": draft.version_no, "source": source})
    return draft
