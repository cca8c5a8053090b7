"""Demo survey answers: baseline and endline for FTD Demo, plus a comparison group of registrants not selected.

Safe to run again: a wave already submitted is left as it is. The figures are made up but
plausible, and include what the report must handle honestly: a zero baseline, a missing
endline, and one extreme rise to check.
"""

from __future__ import annotations

from sqlalchemy import select

from lms import accounts
from lms.enrollments import enroll
from lms.extensions import db
from lms.impact.operations import save_answers
from lms.impact.queries import current_survey
from lms.impact.snapshot import schedule_refresh
from lms.models import Cohort, Enrollment, EnrollmentStatus, Role, SurveyResponse, User
from lms.phone import normalize_phone

PARTICIPANT_PHONE_PREFIX = "0812000000"
COMPARISON_PHONE_PREFIX = "0814000000"
# (baseline revenue, endline revenue, baseline employees, endline employees) per demo participant 1–18.
PARTICIPANT_FIGURES = [
    (3_000_000, 4_500_000, 1, 2), (5_000_000, 6_000_000, 2, 2), (8_000_000, 9_500_000, 3, 4),
    (2_000_000, 3_500_000, 0, 1), (1_500_000, 2_000_000, 0, 0), (4_000_000, 4_000_000, 1, 1),
    (2_500_000, 4_000_000, 1, 2), (1_000_000, 1_800_000, 0, 1), (6_000_000, 7_200_000, 2, 3),
    (0, 1_200_000, 0, 0), (3_500_000, 3_200_000, 1, 1), (7_000_000, 9_000_000, 2, 3),
    (1_200_000, 2_400_000, 0, 1), (2_000_000, 2_600_000, 1, 1), (200_000, 3_000_000, 0, 1),
    (4_500_000, 5_500_000, 1, 2), (900_000, 1_500_000, 0, 0), (3_000_000, 3_900_000, 1, 1),
]
COMPARISON = [("Rudi Siregar", 2_000_000, 2_200_000), ("Mega Harahap", 3_000_000, 3_000_000),
              ("Tono Sihite", 1_500_000, 1_800_000), ("Wati Barus", 4_000_000, 4_200_000),
              ("Zulkifli Nasution", 2_500_000, 2_400_000)]
BASELINE_CHANNELS = ["offline", "whatsapp"]
ENDLINE_CHANNELS = ["offline", "whatsapp", "instagram", "shopee"]


def seed_demo(cohort: Cohort) -> None:
    """Answer the baseline and endline for the demo participants and a small comparison group."""
    survey = current_survey()
    if survey is None:
        return
    for index, figures in enumerate(PARTICIPANT_FIGURES, start=1):
        user = db.session.scalar(select(User).where(User.phone == normalize_phone(
            f"{PARTICIPANT_PHONE_PREFIX}{index:02d}")))
        if user is not None:
            answer_both_waves(user, cohort, survey, figures, gains=index % 3 == 0, skip_endline=index == 17)
        if user is not None and index <= FOLLOWUP_PARTICIPANTS:
            answer_followup(user, cohort, survey, figures)
    for index, (name, before, after) in enumerate(COMPARISON, start=1):
        user = comparison_registrant(cohort, f"{COMPARISON_PHONE_PREFIX}{index:02d}", name)
        answer_both_waves(user, cohort, survey, (before, after, 1, 1), gains=False, skip_endline=False)
    comparison_links(cohort)
    # One recomputation for the whole demo, as an import does, not one queued per answer.
    schedule_refresh(cohort.id)


FOLLOWUP_PARTICIPANTS = 8  # demo participants 1–8 also answered the 3-month follow-up


def answer_followup(user, cohort, survey, figures) -> None:
    """A 3-month follow-up a little above the endline, so the report's wave charts have a third bar."""
    _before, after, _staff_before, staff_after = figures
    done = db.session.scalar(select(SurveyResponse.id).where(
        SurveyResponse.user_id == user.id, SurveyResponse.cohort_id == cohort.id,
        SurveyResponse.wave == "followup-3", SurveyResponse.status == "submitted"))
    if done is None:
        save_answers(user, cohort, "followup-3", survey,
                     answers(int(after * 1.1), staff_after, ENDLINE_CHANNELS, ["nib", "halal"], mindset=4),
                     submit=True, source="proxy", refresh=False)


def comparison_links(cohort: Cohort) -> None:
    """Endline links for the comparison group, made by the demo staff member (only missing ones are made)."""
    from lms.impact.links import make_links

    staff = db.session.scalar(select(User).where(User.role == Role.STAFF).order_by(User.id).limit(1))
    if staff is not None:
        make_links(cohort, "endline", made_by=staff)


def comparison_registrant(cohort: Cohort, phone_text: str, name: str) -> User:
    """A registrant of the cohort who was not selected (no password: they never log in)."""
    user = db.session.scalar(select(User).where(User.phone == normalize_phone(phone_text)))
    if user is None:
        user = accounts.create_user(name=name, phone_text=phone_text, role=Role.PARTICIPANT, password=None)
        user.profile.business_name, user.profile.sector, user.profile.regency_code = f"Usaha {name}", "kuliner", "1275"
    has_enrollment = db.session.scalar(select(Enrollment.id).where(Enrollment.user_id == user.id,
                                                                   Enrollment.cohort_id == cohort.id))
    if has_enrollment is None:
        enroll(user, cohort, changed_by=None, status=EnrollmentStatus.REGISTERED)
    db.session.commit()
    return user


def answer_both_waves(user, cohort, survey, figures, *, gains: bool, skip_endline: bool) -> None:
    before, after, staff_before, staff_after = figures
    done = set(db.session.scalars(select(SurveyResponse.wave).where(
        SurveyResponse.user_id == user.id, SurveyResponse.cohort_id == cohort.id,
        SurveyResponse.status == "submitted")))
    if "baseline" not in done:
        save_answers(user, cohort, "baseline", survey,
                     answers(before, staff_before, BASELINE_CHANNELS, [], mindset=2), submit=True, refresh=False)
    if "endline" not in done and not skip_endline:
        legality = ["nib", "halal"] if gains else ["nib"]
        save_answers(user, cohort, "endline", survey,
                     answers(after, staff_after, ENDLINE_CHANNELS if gains else BASELINE_CHANNELS, legality,
                             mindset=4 if gains else 3), submit=True, refresh=False)


def answers(revenue, employees, channels, legality, *, mindset: int) -> dict:
    return {"omzet": revenue, "karyawan": employees, "kanal": list(channels), "legalitas": list(legality),
            "alat-digital": ["qris"], "pola-konten": mindset, "pola-pelanggan": mindset, "pola-data": mindset - 1,
            "pola-online": mindset}
