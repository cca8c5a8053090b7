"""What the outreach page reads: every figure is one GROUP BY over the cohort's enrollments."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, cast, func, literal_column, select

from lms.extensions import db
from lms.models import Enrollment, ParticipantProfile, ReferralCode, RegencyTarget, SurveyResponse, User

WIB_OFFSET_HOURS = 7


def total(cohort_id: int) -> int:
    return db.session.scalar(select(func.count(Enrollment.id)).where(Enrollment.cohort_id == cohort_id)) or 0


def by_regency(cohort_id: int) -> dict[str | None, int]:
    """Registrations per regency code (None: no regency known)."""
    rows = db.session.execute(
        select(ParticipantProfile.regency_code, func.count(Enrollment.id))
        .select_from(Enrollment)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort_id)
        .group_by(ParticipantProfile.regency_code))
    return {code or None: count for code, count in rows}


def _wib_day():
    if db.engine.dialect.name == "sqlite":
        return func.date(Enrollment.created_at, f"+{WIB_OFFSET_HOURS} hours")
    return cast(Enrollment.created_at + literal_column(f"interval '{WIB_OFFSET_HOURS} hours'"), Date)


def by_day(cohort_id: int) -> dict[date, int]:
    """Registrations per WIB calendar day."""
    day = _wib_day()
    rows = db.session.execute(select(day, func.count(Enrollment.id)).where(Enrollment.cohort_id == cohort_id)
                              .group_by(day))
    return {(value if isinstance(value, date) else date.fromisoformat(value)): count for value, count in rows}


def by_source(cohort_id: int) -> dict[str, int]:
    """Registrations per answer to "how did you hear of us" ("" when not asked, e.g. imports)."""
    rows = db.session.execute(select(Enrollment.heard_from, func.count(Enrollment.id))
                              .where(Enrollment.cohort_id == cohort_id).group_by(Enrollment.heard_from))
    return {key: count for key, count in rows}


def by_referral(cohort_id: int) -> dict[str, int]:
    """Registrations per referral code ("" without one)."""
    rows = db.session.execute(select(Enrollment.referral_code, func.count(Enrollment.id))
                              .where(Enrollment.cohort_id == cohort_id).group_by(Enrollment.referral_code))
    return {key: count for key, count in rows}


def targets(cohort_id: int) -> dict[str, int]:
    rows = db.session.execute(select(RegencyTarget.regency_code, RegencyTarget.target)
                              .where(RegencyTarget.cohort_id == cohort_id))
    return {code: target for code, target in rows}


def referral_codes(cohort_id: int) -> list[ReferralCode]:
    return list(db.session.scalars(select(ReferralCode).where(ReferralCode.cohort_id == cohort_id)
                                   .order_by(ReferralCode.created_at, ReferralCode.id)))


def registrants(cohort_id: int):
    """Every registrant of the cohort with profile, for the export: one query."""
    return db.session.execute(
        select(Enrollment, User, ParticipantProfile)
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == User.id)
        .where(Enrollment.cohort_id == cohort_id)
        .order_by(Enrollment.created_at, Enrollment.id)).all()


def baseline_answers(cohort_id: int) -> dict[int, dict]:
    """user id → the answers of their newest submitted baseline version in this cohort."""
    newest: dict[int, dict] = {}
    for user_id, answers in db.session.execute(
            select(SurveyResponse.user_id, SurveyResponse.answers)
            .where(SurveyResponse.cohort_id == cohort_id, SurveyResponse.wave == "baseline",
                   SurveyResponse.status == "submitted")
            .order_by(SurveyResponse.version_no)):
        newest[user_id] = answers or {}
    return newest
