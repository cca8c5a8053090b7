"""Demo survey answers for the 2025 alumni cohort, so /staf/dampak compares two cohorts and two years.

lms/showcase/demo.py makes the cohort "FTD 2025 (alumni contoh)" with three graduates; this
seed (run after it, see lms/seed.py AREA_SEEDS) adds nine more graduates with their
certificates, four registrants not selected (the comparison group), and everyone's baseline,
endline and follow-ups, entered as imported from the 2025 paper surveys. The cohort follows
up at +6 and +12 months (its `followup_months`), so its report shows waves other than the
default 3 and 6. Safe to run again: a submitted wave is left as it is, and the months are set
only while the cohort has no answers.
"""

from __future__ import annotations

from sqlalchemy import select

from lms import accounts
from lms.certificates.operations import create_certificate
from lms.enrollments import enroll
from lms.extensions import db
from lms.impact.demo import answers, comparison_registrant
from lms.impact.operations import save_answers
from lms.impact.queries import current_survey
from lms.impact.rules import cohort_waves, followup_wave
from lms.impact.snapshot import schedule_refresh
from lms.models import Cohort, Enrollment, EnrollmentStatus, Role, SurveyResponse, User
from lms.phone import normalize_phone
from lms.showcase.demo import ALUMNI_COHORT_SLUG

ALUMNI_FOLLOWUP_MONTHS = [6, 12]
# (phone, name, business, sector, regency) of the graduates this seed adds to the showcase's three.
MORE_ALUMNI = [
    ("081300000104", "Rohani Situmorang", "Tenun Ulos Rohani", "kriya", "1212"),
    ("081300000105", "Bambang Saragih", "Kopi Simalungun Bambang", "kuliner", "1208"),
    ("081300000106", "Nurlela Siregar", "Kue Lapis Nurlela", "kuliner", "1275"),
    ("081300000107", "Andreas Manurung", "Bengkel Las Andreas", "jasa", "1273"),
    ("081300000108", "Fatimah Rangkuti", "Kerupuk Jengkol Fatimah", "kuliner", "1220"),
    ("081300000109", "Gomgom Simbolon", "Andaliman Samosir Gomgom", "pertanian", "1217"),
    ("081300000110", "Ratna Batubara", "Batik Batubara Ratna", "kriya", "1219"),
    ("081300000111", "Leo Pardede", "Toko Kelontong Leo", "perdagangan", "1271"),
    ("081300000112", "Sari Damanik", "Sirup Markisa Sari", "kuliner", "1211"),
]
ALUMNI_PHONES = ["081300000101", "081300000102", "081300000103"] + [row[0] for row in MORE_ALUMNI]
# (baseline revenue, endline revenue, baseline employees, endline employees) per alumnus, in ALUMNI_PHONES order.
ALUMNI_FIGURES = [
    (6_000_000, 8_500_000, 2, 3), (2_500_000, 3_200_000, 1, 1), (4_000_000, 4_800_000, 1, 2),
    (1_800_000, 2_700_000, 0, 1), (3_000_000, 3_300_000, 1, 1), (1_200_000, 1_900_000, 0, 0),
    (5_000_000, 4_600_000, 2, 2), (800_000, 1_500_000, 0, 1), (2_000_000, 2_900_000, 1, 1),
    (0, 900_000, 0, 0), (7_500_000, 9_000_000, 3, 3), (1_500_000, 2_100_000, 0, 1),
]
COMPARISON = [("081400000101", "Parlindungan Sitepu", 2_000_000, 2_100_000),
              ("081400000102", "Juliana Sembiring", 3_500_000, 3_400_000),
              ("081400000103", "Hasan Nasution", 1_000_000, 1_200_000),
              ("081400000104", "Melva Tobing", 2_800_000, 3_000_000)]
BASELINE_CHANNELS = ["offline", "whatsapp"]
ENDLINE_CHANNELS = ["offline", "whatsapp", "instagram", "tokopedia"]


def seed_demo(_demo_cohort: Cohort) -> None:
    """Answer every wave of the 2025 alumni cohort for its graduates and its comparison group."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == ALUMNI_COHORT_SLUG))
    survey = current_survey()
    if cohort is None or survey is None:
        return
    if db.session.scalar(select(SurveyResponse.id).where(SurveyResponse.cohort_id == cohort.id).limit(1)) is None:
        cohort.followup_months = list(ALUMNI_FOLLOWUP_MONTHS)
    for row in MORE_ALUMNI:
        _graduate(cohort, *row)
    db.session.commit()
    for index, (phone, figures) in enumerate(zip(ALUMNI_PHONES, ALUMNI_FIGURES, strict=True)):
        user = db.session.scalar(select(User).where(User.phone == normalize_phone(phone)))
        if user is not None:
            _answer_waves(user, cohort, survey, figures, gains=index % 2 == 0, followups=index < 8)
    for phone, name, before, after in COMPARISON:
        user = comparison_registrant(cohort, phone, name)
        _answer_waves(user, cohort, survey, (before, after, 1, 1), gains=False, followups=False)
    schedule_refresh(cohort.id)  # one recomputation for the whole seed


def _graduate(cohort: Cohort, phone: str, name: str, business: str, sector: str, regency: str) -> None:
    user = db.session.scalar(select(User).where(User.phone == normalize_phone(phone)))
    if user is None:
        user = accounts.create_user(name=name, phone_text=phone, role=Role.PARTICIPANT, password=None)
        user.profile.business_name, user.profile.sector, user.profile.regency_code = business, sector, regency
    if db.session.scalar(select(Enrollment.id).where(Enrollment.user_id == user.id,
                                                     Enrollment.cohort_id == cohort.id)) is None:
        enrollment = enroll(user, cohort, changed_by=None, status=EnrollmentStatus.GRADUATED)
        db.session.flush()
        create_certificate(enrollment, "graduation", issued_by=None)


def _answer_waves(user, cohort, survey, figures, *, gains: bool, followups: bool) -> None:
    before, after, staff_before, staff_after = figures
    done = set(db.session.scalars(select(SurveyResponse.wave).where(
        SurveyResponse.user_id == user.id, SurveyResponse.cohort_id == cohort.id,
        SurveyResponse.status == "submitted")))
    channels = ENDLINE_CHANNELS if gains else BASELINE_CHANNELS
    legality = ["nib", "pirt"] if gains else ["nib"]
    waves = [("baseline", answers(before, staff_before, BASELINE_CHANNELS, [], mindset=2)),
             ("endline", answers(after, staff_after, channels, legality, mindset=4 if gains else 3))]
    if followups:
        waves += [(followup_wave(months), answers(int(after * (1 + months / 100)), staff_after, channels, legality,
                                                  mindset=4 if gains else 3))
                  for months in ALUMNI_FOLLOWUP_MONTHS if followup_wave(months) in cohort_waves(cohort)]
    for wave, given in waves:
        if wave not in done:
            save_answers(user, cohort, wave, survey, given, submit=True, source="import", refresh=False)

