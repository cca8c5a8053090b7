"""Demo data for the staff console: a second cohort of registrants to curate, and two quiet participants.

Safe to run again. Participants 1–20 of FTD Demo keep their enrollments; only two
of them get an old "last seen" time so the dashboard's "at risk" list shows something.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from lms import accounts
from lms.enrollments import enroll
from lms.extensions import db
from lms.models import Cohort, EnrollmentStatus, Role, User, utcnow
from lms.phone import normalize_phone

CURATION_COHORT_SLUG = "kurasi-demo"
CURATION_COHORT_NAME = "Gelombang 2 (contoh kurasi)"
REGISTRANT_PHONE_PREFIX = "0813000000"
# (name, business, sector, regency code, status): registrants without a password, as an import leaves them.
REGISTRANTS = [
    ("Ani Sembiring", "Keripik Pisang Ani", "kuliner", "1211", "registered"),
    ("Bonar Situmorang", "Kopi Humbang Bonar", "kuliner", "1215", "registered"),
    ("Cici Tanjung", "Batik Medan Cici", "kriya", "1275", "registered"),
    ("Darwin Manurung", "Bengkel Las Darwin", "jasa", "1209", "registered"),
    ("Erna Pasaribu", "Toko Kelontong Erna", "perdagangan", "1204", "registered"),
    ("Fikri Nasution", "Sate Padang Fikri", "kuliner", "1275", "registered"),
    ("Gita Hutagalung", "Salon Gita", "jasa", "1273", "registered"),
    ("Hasan Batubara", "Ikan Asap Batubara", "pertanian", "1219", "registered"),
    ("Indah Saragih", "Tenun Simalungun Indah", "kriya", "1209", "selected"),
    ("Jonny Silalahi", "Jeruk Madu Jonny", "pertanian", "1211", "selected"),
    ("Kartini Lubis", "Kue Basah Kartini", "kuliner", "1212", "selected"),
    ("Leo Sihombing", "Sablon Kaos Leo", "jasa", "1276", "selected"),
]
QUIET_PARTICIPANT_PHONES = ("081200000019", "081200000020")
# season: an FTD Demo participant (active there) who also registered for Gelombang 2, so selecting
# them asks for a confirmation; and the stage-2 criteria staff chose for Gelombang 2.
TWO_COHORT_PHONE = "081200000001"
CURATION_CRITERIA = {
    "sector_weights": {"kriya": 1.0, "kuliner": 0.8, "pertanian": 0.8, "jasa": 0.5, "perdagangan": 0.4,
                       "lainnya": 0.2},
    "allowed_sectors": [],
    # Mebidangro (Medan, Binjai, Deli Serdang, Karo) gets at most 2 places each; every other regency 2.
    "regency_quota": {"1275": 2, "1276": 2, "1212": 2, "1211": 2},
    "other_regency_quota": 2,
    "min_business_age": 1,
}
QUIET_DAYS = 20


def seed_demo(cohort: Cohort) -> None:
    """Add the curation cohort and make two FTD Demo participants look inactive."""
    curation_cohort = _curation_cohort(cohort)
    for index, row in enumerate(REGISTRANTS, start=1):
        _registrant(index, *row, cohort=curation_cohort)
    _make_quiet(QUIET_PARTICIPANT_PHONES)
    _second_registration(TWO_COHORT_PHONE, curation_cohort)
    if curation_cohort.curation_criteria is None:
        curation_cohort.curation_criteria = CURATION_CRITERIA
    db.session.commit()


def _curation_cohort(demo: Cohort) -> Cohort:
    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == CURATION_COHORT_SLUG))
    if cohort is None:
        cohort = Cohort(name=CURATION_COHORT_NAME, slug=CURATION_COHORT_SLUG, course_id=demo.course_id,
                        start_date=date(2027, 2, 1), bootcamp_date=date(2027, 2, 15),
                        graduation_date=date(2027, 3, 15), capacity=10)
        db.session.add(cohort)
        db.session.flush()
    return cohort


def _registrant(index, name, business, sector, regency, status, *, cohort: Cohort) -> None:
    phone_text = f"{REGISTRANT_PHONE_PREFIX}{index:02d}"
    user = db.session.scalar(select(User).where(User.phone == normalize_phone(phone_text)))
    if user is None:
        user = accounts.create_user(name=name, phone_text=phone_text, role=Role.PARTICIPANT)
        user.profile.business_name, user.profile.sector, user.profile.regency_code = business, sector, regency
    if user.profile is not None and user.profile.business_started_year is None:
        user.profile.business_started_year = 2026 - (index % 6)  # 0–5 years old, for the business-age criterion
    if any(e.cohort_id == cohort.id for e in user.enrollments):
        return
    enroll(user, cohort, changed_by=None, status=EnrollmentStatus(status))


def _second_registration(phone_text: str, cohort: Cohort) -> None:
    """Register an FTD Demo participant in the curation cohort too (a person in two cohorts)."""
    user = db.session.scalar(select(User).where(User.phone == normalize_phone(phone_text)))
    if user is not None and not any(e.cohort_id == cohort.id for e in user.enrollments):
        enroll(user, cohort, changed_by=None)


def _make_quiet(phones) -> None:
    """Set an old last-seen time, only where the participant has not been seen since seeding."""
    long_ago = utcnow() - timedelta(days=QUIET_DAYS)
    for phone_text in phones:
        user = db.session.scalar(select(User).where(User.phone == normalize_phone(phone_text)))
        if user is not None and user.last_seen_at is None:
            user.last_seen_at = long_ago
