"""Demo data for the outreach page: a registration window, targets, referral codes and ~420 registrants.

Registrants cluster around Mebidangro (Medan, Deli Serdang, Binjai, Karo) with few from
Nias, as the organisers describe, and arrive faster towards the closing date. A third
of them have baseline answers, so the export shows some. Safe to run again: nothing is
added once the demo registrants exist. bench/outreach.py uses `add_registrants` too.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from lms.choices import HEARD_FROM, SECTORS
from lms.extensions import db
from lms.impact.queries import current_survey
from lms.models import (
    Cohort,
    Enrollment,
    EnrollmentStatusChange,
    ParticipantProfile,
    ReferralCode,
    RegencyTarget,
    Role,
    SurveyResponse,
    User,
)
from lms.regions import REGENCIES

DEMO_PHONE_PREFIX = "+6281399"  # demo registrants: +62 813 99xx xxxx
DEMO_REGISTRANTS = 420
# Share of registrations per regency (BPS code → weight); unlisted regencies weigh 1.
WEIGHTS = {
    "1275": 120, "1212": 70, "1276": 28, "1211": 24, "1213": 18, "1209": 14, "1273": 14, "1218": 12,
    "1208": 10, "1274": 8, "1207": 8, "1219": 7, "1206": 5, "1205": 5, "1277": 4, "1203": 4, "1272": 4,
    "1223": 4, "1222": 3, "1202": 3, "1271": 3, "1204": 3, "1215": 3, "1210": 3, "1217": 2,
    "1278": 2, "1201": 3, "1214": 2, "1224": 1, "1225": 0.5, "1216": 1, "1220": 1.5, "1221": 1.5,
}
TARGETS = {"1275": 120, "1212": 70, "1276": 25, "1211": 25, "1213": 20, "1209": 15, "1273": 12,
           "1201": 15, "1214": 15, "1224": 10, "1225": 10, "1278": 12, "1204": 12, "1271": 8, "1202": 15}
REFERRALS = (
    ("DINAS-NIAS", "Dinas Koperasi Kab. Nias", "1201"),
    ("DINAS-TAPTENG", "Dinas Koperasi Kab. Tapanuli Tengah", "1204"),
    ("DINAS-MADINA", "Dinas Koperasi Kab. Mandailing Natal", "1202"),
    ("SOSIALISASI-MEDAN", "Sosialisasi PLUT Medan", "1275"),
    ("DINAS-KARO", "Dinas Koperasi Kab. Karo", "1211"),
)
WINDOW_DAYS = 28
WIB_OFFSET = timedelta(hours=7)


def seed_demo(cohort: Cohort) -> None:
    """Give the demo cohort a registration window, targets, referral codes and registrants (once)."""
    if cohort.registration_closes_on is None:
        cohort.registration_closes_on = cohort.start_date - timedelta(days=21)
        cohort.registration_opens_on = cohort.registration_closes_on - timedelta(days=WINDOW_DAYS)
    staff = db.session.scalar(select(User).where(User.role == Role.STAFF).order_by(User.id))
    existing = set(db.session.scalars(select(ReferralCode.code).where(ReferralCode.cohort_id == cohort.id)))
    for code, label, regency in REFERRALS:
        if code not in existing:
            db.session.add(ReferralCode(cohort_id=cohort.id, code=code, label=label, regency_code=regency,
                                        created_by_id=staff.id if staff else None))
    targeted = set(db.session.scalars(select(RegencyTarget.regency_code).where(RegencyTarget.cohort_id == cohort.id)))
    for code, target in TARGETS.items():
        if code not in targeted:
            db.session.add(RegencyTarget(cohort_id=cohort.id, regency_code=code, target=target))
    if db.session.scalar(select(User.id).where(User.phone.startswith(DEMO_PHONE_PREFIX)).limit(1)) is None:
        add_registrants(cohort, DEMO_REGISTRANTS, rng=random.Random(14),  # noqa: S311 - demo data
                        phone_prefix=DEMO_PHONE_PREFIX,
                        baseline_share=1 / 3)
    db.session.commit()


def registration_moment(rng: random.Random, opens: date, closes: date) -> datetime:
    """Pick a naive-UTC time in the window, busier towards the closing date (the rush)."""
    days = (closes - opens).days + 1
    weights = [1 + (index / days) ** 3 * 6 + (8 if index >= days - 2 else 0) for index in range(days)]
    day = opens + timedelta(days=rng.choices(range(days), weights=weights)[0])
    local = datetime.combine(day, time(hour=rng.randint(7, 22), minute=rng.randint(0, 59)))
    return local - WIB_OFFSET


def add_registrants(cohort: Cohort, count: int, *, rng: random.Random, phone_prefix: str,
                    baseline_share: float = 0.0) -> None:
    """Add `count` registrants (status "registered", as the form or an import makes them), not committed."""
    opens = cohort.registration_opens_on or cohort.start_date - timedelta(days=WINDOW_DAYS + 21)
    closes = cohort.registration_closes_on or cohort.start_date - timedelta(days=21)
    codes = [r.code for r in REGENCIES]
    weights = [WEIGHTS.get(code, 1) for code in codes]
    referral_by_regency = {regency: code for code, _label, regency in REFERRALS}
    sources = [key for key, _label in HEARD_FROM]
    sectors = [key for key, _label in SECTORS]
    survey = current_survey()
    width = 14 - len(phone_prefix)  # a mobile number in E.164: +62 8xx xxxx xxxx is 14 characters
    users = []
    for index in range(count):
        regency = rng.choices(codes, weights=weights)[0]
        user = User(name=f"Pendaftar {index + 1:04d}", phone=f"{phone_prefix}{index + 1:0{width}d}",
                    role=Role.PARTICIPANT.value, password_hash=None)
        user.profile = ParticipantProfile(business_name=f"Usaha {index + 1:04d}", sector=rng.choice(sectors),
                                          regency_code=regency)
        users.append((user, regency))
    db.session.add_all([user for user, _regency in users])
    db.session.flush()
    for index, (user, regency) in enumerate(users):
        moment = registration_moment(rng, opens, closes)
        referral = referral_by_regency.get(regency) if rng.random() < 0.5 else ""
        enrollment = Enrollment(user_id=user.id, cohort_id=cohort.id, status="registered", created_at=moment,
                                registered_via="form", heard_from="dinas" if referral else rng.choice(sources),
                                referral_code=referral or "", consent_version="2026-1", consented_at=moment,
                                registration_number=f"D{cohort.id}-{phone_prefix[-3:]}-{index + 1:05d}")
        db.session.add(enrollment)
        db.session.flush()
        db.session.add(EnrollmentStatusChange(enrollment_id=enrollment.id, from_status=None, to_status="registered",
                                              changed_at=moment))
        if survey is not None and rng.random() < baseline_share:
            db.session.add(SurveyResponse(
                user_id=user.id, cohort_id=cohort.id, wave="baseline", version_no=1, status="submitted",
                survey_id=survey.id, survey_version=survey.version, source="self", created_at=moment,
                submitted_at=moment,
                answers={"omzet": rng.choice([0, 1_500_000, 5_000_000, 12_000_000]), "karyawan": rng.randint(0, 6),
                         "kanal": rng.sample(["offline", "whatsapp", "instagram", "shopee", "gofood"], 2),
                         "legalitas": rng.sample(["nib", "pirt", "halal"], rng.randint(0, 2))}))
