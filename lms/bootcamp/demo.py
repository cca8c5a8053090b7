"""Demo sessions for FTD Demo: the opening (held, everyone checked in, a few late), and upcoming ones.

Safe to run again (sessions are found by title). The held session is attended by all
participants, so the course's attendance minimum blocks nobody in the demo; staff can
mark someone absent with a correction to see the rule bite.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from lms.bootcamp import queries
from lms.extensions import db
from lms.models import Attendance, BootcampSession, Cohort, User, utcnow
from lms.phone import normalize_phone

STAFF_PHONE = "081100000001"


def _sessions(now: datetime) -> list[dict]:
    today = now.replace(hour=2, minute=0, second=0, microsecond=0)  # 09.00 WIB
    return [
        {"title": "Pembukaan bootcamp oleh Gubernur", "starts_at": today - timedelta(days=2),
         "venue_name": "Aula PLUT-KUMKM Sumatera Utara", "venue_address": "Jl. Sisingamangaraja No. 198, Medan",
         "map_url": "https://www.openstreetmap.org/search?query=PLUT%20KUMKM%20Medan",
         "speaker": "Gubernur Sumatera Utara"},
        {"title": "Kelas konten foto produk", "starts_at": today + timedelta(days=3), "module_id": "pembuatan-konten",
         "venue_name": "Kantor Dinas Koperasi Kab. Deli Serdang", "venue_address": "Lubuk Pakam",
         "speaker": "Rina Siregar", "capacity": 40},
        {"title": "Klinik marketplace (daring)", "starts_at": today + timedelta(days=7),
         "module_id": "marketplace-legalitas", "online_url": "https://meet.example.org/ftd-demo-marketplace",
         "speaker": "Daniel Simanjuntak"},
    ]


def seed_demo(cohort: Cohort) -> None:
    """Add the demo sessions once, and the opening's attendance."""
    now = utcnow()
    staff = db.session.scalar(select(User).where(User.phone == normalize_phone(STAFF_PHONE)))
    for values in _sessions(now):
        session = db.session.scalar(select(BootcampSession).where(BootcampSession.cohort_id == cohort.id,
                                                                  BootcampSession.title == values["title"]))
        if session is not None:
            continue
        session = BootcampSession(cohort_id=cohort.id, ends_at=values["starts_at"] + timedelta(hours=3), **values)
        db.session.add(session)
        db.session.flush()
        if session.starts_at < now:
            for index, user in enumerate(queries.roster(cohort.id)):
                late = index % 6 == 5
                db.session.add(Attendance(
                    session_id=session.id, user_id=user.id, method="qr" if index % 4 else "manual",
                    checked_in_at=session.starts_at + timedelta(minutes=25 if late else index % 10),
                    late=late, recorded_by_id=staff.id if staff and not index % 4 else user.id))
    db.session.commit()
