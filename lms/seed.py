"""The demo cohort a newcomer sees after `make run`."""

import importlib
import importlib.util
from datetime import date

from sqlalchemy import select

from lms import accounts
from lms.enrollments import allocate_mentor, enroll
from lms.extensions import db
from lms.models import Cohort, EnrollmentStatus, Role, User

# Each area adds its demo data (quiz attempts, submissions, certificates, …) through
# a `seed_demo(cohort)` function that, like this module, is safe to run again.
AREA_SEEDS = [
    name
    for name in ("lms.quiz.demo", "lms.assignments.demo", "lms.certificates.demo", "lms.staff.demo",
                 "lms.impact.demo", "lms.people.demo", "lms.credentials.demo",
                 "lms.showcase.demo", "lms.offline.demo", "lms.registration.demo", "lms.outreach.demo",
                 "lms.privacy.demo", "lms.bootcamp.demo", "lms.knowledge.demo",
                 "lms.impact.alumni_demo",  # waves: after lms.showcase.demo, which makes the 2025 alumni cohort
                 "lms.ops.demo")
    if importlib.util.find_spec(name) is not None
]
DEMO_PASSWORD = "demo12345"  # noqa: S105 - published demo accounts, documented in README
DEMO_COHORT_SLUG = "ftd-demo"
STAFF = [("081100000001", "Staf PLUT Demo")]
MENTORS = [("081100000011", "Rina Siregar"), ("081100000012", "Daniel Simanjuntak")]
# (name, business, sector, BPS regency code)
PARTICIPANTS = [
    ("Rosmawati Nasution", "Bika Ambon Kak Ros", "kuliner", "1275"),
    ("Hotman Sinaga", "Kopi Lintong Sinaga", "kuliner", "1215"),
    ("Butet Simatupang", "Ulos Tenun Butet", "kriya", "1205"),
    ("Ahmad Lubis", "Dodol Salak Lubis", "kuliner", "1277"),
    ("Sri Wahyuni", "Keripik Ubi Siantar Sri", "kuliner", "1273"),
    ("Yusuf Harahap", "Bengkel Motor Yusuf", "jasa", "1276"),
    ("Dewi Marpaung", "Kerupuk Ikan Dewi", "kuliner", "1272"),
    ("Faolo Zebua", "Kerajinan Nias Faolo", "kriya", "1278"),
    ("Lestari Ginting", "Kopi Karo Lestari", "kuliner", "1211"),
    ("Rahmat Pohan", "Mie Gomak Pohan", "kuliner", "1206"),
    ("Nurhayati Daulay", "Kelontong Nur", "perdagangan", "1212"),
    ("Benny Tambunan", "Tenun Ulos Samosir", "kriya", "1217"),
    ("Siti Aminah", "Ikan Asin Sibolga Aminah", "perikanan", "1271"),
    ("Joko Susilo", "Laundry Joko", "jasa", "1274"),
    ("Maria Sitorus", "Salon Maria", "jasa", "1209"),
    ("Hendra Purba", "Jeruk Berastagi Purba", "pertanian", "1211"),
    ("Intan Hasibuan", "Kue Bolu Intan", "kuliner", "1213"),
    ("Togar Panjaitan", "Kopi Sidikalang Togar", "kuliner", "1210"),
    ("Yohana Gulo", "Anyaman Gulo", "kriya", "1214"),
    ("Syahrul Ritonga", "Sawit Tani Ritonga", "pertanian", "1207"),
]
PARTICIPANT_PHONE_PREFIX = "0812000000"


def participant_phone(index: int) -> str:
    """Return the demo phone of participant number index (1-based)."""
    return f"{PARTICIPANT_PHONE_PREFIX}{index:02d}"


def demo_logins() -> list[tuple[str, str, str]]:
    """Return (role, phone, name) for every demo account, for printing."""
    rows = [("staf", number, name) for number, name in STAFF]
    rows += [("mentor", number, name) for number, name in MENTORS]
    rows += [("peserta", participant_phone(i), p[0]) for i, p in enumerate(PARTICIPANTS, start=1)]
    return rows


def get_or_create_user(phone_text: str, name: str, role: Role) -> User:
    """Return the demo user with that phone, creating it with the demo password."""
    from lms.phone import normalize_phone

    user = db.session.scalar(select(User).where(User.phone == normalize_phone(phone_text)))
    if user is None:
        user = accounts.create_user(name=name, phone_text=phone_text, role=role, password=DEMO_PASSWORD)
    return user


def seed_demo() -> Cohort:
    """Create the "FTD Demo" cohort with its staff, mentors and 20 participants; safe to repeat."""
    for number, name in STAFF:
        get_or_create_user(number, name, Role.STAFF)
    mentors = [get_or_create_user(number, name, Role.MENTOR) for number, name in MENTORS]
    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == DEMO_COHORT_SLUG))
    if cohort is None:
        cohort = Cohort(
            name="FTD Demo",
            slug=DEMO_COHORT_SLUG,
            course_id="ftd-umkm",
            start_date=date(2026, 11, 2),
            bootcamp_date=date(2026, 11, 16),
            graduation_date=date(2026, 12, 14),
            capacity=40,
        )
        db.session.add(cohort)
        db.session.flush()
    for index, (name, business, sector, regency) in enumerate(PARTICIPANTS, start=1):
        seed_participant(index, name, business, sector, regency, cohort, mentors)
    db.session.commit()
    for module_name in AREA_SEEDS:
        importlib.import_module(module_name).seed_demo(cohort)
        db.session.commit()
    return cohort


def seed_participant(index, name, business, sector, regency, cohort, mentors) -> None:
    """Create one demo participant, enrolled as active and allocated to a mentor."""
    user = get_or_create_user(participant_phone(index), name, Role.PARTICIPANT)
    if not user.profile.business_name:
        user.profile.business_name = business
        user.profile.sector = sector if sector != "perikanan" else "pertanian"
        user.profile.regency_code = regency
    if any(e.cohort_id == cohort.id for e in user.enrollments):
        return
    enrollment = enroll(user, cohort, changed_by=None, status=EnrollmentStatus.ACTIVE)
    allocate_mentor(enrollment, mentors[(index - 1) % len(mentors)], assigned_by=None)
