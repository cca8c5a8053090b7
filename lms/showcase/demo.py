"""Demo for the showcase: three graduates of a past cohort (FTD 2025), two of them listed.

FTD Demo itself has no certificates yet (a newcomer issues them), so the showcase needs
alumni of an earlier season: the cohort "FTD 2025 (alumni contoh)" with graduated
participants 081300000101–103 (password demo12345), valid certificates, one of them
among the best 100 of 2025. Safe to run again.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lms import accounts, seed
from lms.certificates.operations import create_certificate
from lms.enrollments import enroll
from lms.extensions import db
from lms.models import Cohort, EnrollmentStatus, Role, ShowcaseListing, TopAward, User, utcnow
from lms.phone import normalize_phone

ALUMNI_COHORT_SLUG = "ftd-2025-alumni"
# (phone, name, business, sector, regency, listed?, top?, description, links)
ALUMNI = [
    ("081300000101", "Tiurma Hutapea", "Dodol Sidimpuan Tiurma", "kuliner", "1277", True, True,
     "Dodol dan salak khas Padangsidimpuan, dikirim ke seluruh Sumatera Utara.",
     {"shopee": "https://shopee.co.id/dodoltiurma", "homepage": "https://dodoltiurma.my.id"}),
    ("081300000102", "Yuliana Zebua", "Keripik Pisang Nias Yuliana", "kuliner", "1278", True, False,
     "Keripik pisang renyah dari Gunungsitoli, tanpa pengawet.",
     {"tokopedia": "https://www.tokopedia.com/keripikyuliana"}),
    ("081300000103", "Marihot Tarigan", "Jeruk Karo Marihot", "pertanian", "1211", False, False, "", {}),
]


def seed_demo(cohort: Cohort) -> None:
    alumni_cohort = _alumni_cohort(cohort)
    for row in ALUMNI:
        _alumnus(alumni_cohort, *row)
    db.session.commit()


def _alumni_cohort(demo: Cohort) -> Cohort:
    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == ALUMNI_COHORT_SLUG))
    if cohort is None:
        cohort = Cohort(name="FTD 2025 (alumni contoh)", slug=ALUMNI_COHORT_SLUG, course_id=demo.course_id,
                        start_date=date(2025, 4, 1), bootcamp_date=date(2025, 5, 10),
                        graduation_date=date(2025, 6, 20))
        db.session.add(cohort)
        db.session.flush()
    return cohort


def _alumnus(cohort, phone, name, business, sector, regency, listed, top, description, links) -> None:
    user = db.session.scalar(select(User).where(User.phone == normalize_phone(phone)))
    if user is None:
        user = accounts.create_user(name=name, phone_text=phone, role=Role.PARTICIPANT)
        user.profile.business_name, user.profile.sector, user.profile.regency_code = business, sector, regency
        user.set_password(seed.DEMO_PASSWORD)
    enrollment = next((e for e in user.enrollments if e.cohort_id == cohort.id), None)
    if enrollment is None:
        enrollment = enroll(user, cohort, changed_by=None, status=EnrollmentStatus.GRADUATED)
        db.session.flush()
        create_certificate(enrollment, "graduation", issued_by=None)
        if top:
            db.session.add(TopAward(cohort_id=cohort.id, enrollment_id=enrollment.id, rank_at_award=7))
    if listed and db.session.scalar(select(ShowcaseListing.id).where(ShowcaseListing.user_id == user.id)) is None:
        db.session.add(ShowcaseListing(user_id=user.id, consented_at=utcnow(), business_name=business,
                                       description=description, sector=sector, regency_code=regency,
                                       links=links, whatsapp=normalize_phone(phone), featured=top))
