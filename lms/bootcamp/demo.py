"""Demo sessions for FTD Demo, so every part of the bootcamp can be tried at once.

* the opening (held two days ago): everyone checked in, a few late, some by the desk;
* a mentoring day (held yesterday): the two participants from Nias missed it, so their
  regencies are flagged "Rendah" on the dashboard and both are below the course's
  attendance minimum; one participant forgot to scan and was marked present by a
  correction, another was checked in on the desk's phone offline and synced;
* a question hour later today whose check-in is open now (the QR and the desk can be tried);
* two upcoming sessions, and a field visit that was cancelled, with its notification.

Safe to run again: sessions are found by title, and each step checks what exists.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from lms import seed
from lms.bootcamp import operations, queries
from lms.extensions import db
from lms.models import Attendance, BootcampSession, Cohort, User, utcnow
from lms.phone import normalize_phone

STAFF_PHONE = "081100000001"
OPENING = "Pembukaan bootcamp oleh Gubernur"
MENTORING = "Hari mentoring kelompok"
QUESTION_HOUR = "Tanya jawab iklan berbayar (check-in dibuka)"
FIELD_VISIT = "Kunjungan lapangan Pasar Petisah"
ABSENT_FROM_MENTORING = (8, 19)  # Faolo Zebua (Gunungsitoli) and Yohana Gulo (Nias Selatan)
MARKED_PRESENT_BY_CORRECTION = 17
SYNCED_FROM_THE_DESK = 20
CANCEL_REASON = "Ditunda karena banjir di Medan; jadwal baru akan diumumkan."
CORRECTION_REASON = "Hadir di daftar tanda tangan; ponselnya mati saat check-in."
AULA = {"venue_name": "Aula PLUT-KUMKM Sumatera Utara", "venue_address": "Jl. Sisingamangaraja No. 198, Medan",
        "map_url": "https://www.openstreetmap.org/search?query=PLUT%20KUMKM%20Medan"}


def _sessions(now: datetime) -> list[dict]:
    today = now.replace(hour=2, minute=0, second=0, microsecond=0)  # 09.00 WIB
    return [
        {"title": OPENING, "starts_at": today - timedelta(days=2), "speaker": "Gubernur Sumatera Utara", **AULA},
        {"title": MENTORING, "starts_at": today - timedelta(days=1), "speaker": "Mentor FTD", **AULA},
        # Starts in two hours, so it is not yet "held" (it does not lower anyone's rate), but its
        # check-in is open now for the demo.
        {"title": QUESTION_HOUR, "starts_at": now.replace(second=0, microsecond=0) + timedelta(hours=2),
         "module_id": "penganggaran-iklan", "checkin_always_open": True, "speaker": "Rina Siregar", **AULA},
        {"title": "Kelas konten foto produk", "starts_at": today + timedelta(days=3), "module_id": "pembuatan-konten",
         "venue_name": "Kantor Dinas Koperasi Kab. Deli Serdang", "venue_address": "Lubuk Pakam",
         "speaker": "Rina Siregar", "capacity": 40},
        {"title": "Klinik marketplace (daring)", "starts_at": today + timedelta(days=7),
         "module_id": "marketplace-legalitas", "online_url": "https://meet.example.org/ftd-demo-marketplace",
         "speaker": "Daniel Simanjuntak"},
        {"title": FIELD_VISIT, "starts_at": today + timedelta(days=10), "venue_name": "Pasar Petisah",
         "venue_address": "Jl. Kota Baru III, Medan", "speaker": "Dinas Koperasi dan UKM"},
    ]


def seed_demo(cohort: Cohort) -> None:
    """Add the demo sessions once, with their attendance, a correction, a synced check-in and a cancellation."""
    now = utcnow()
    staff = db.session.scalar(select(User).where(User.phone == normalize_phone(STAFF_PHONE)))
    sessions = {values["title"]: _session(cohort, values) for values in _sessions(now)}
    db.session.commit()
    phones = {user.phone: user for user in queries.roster(cohort.id)}
    by_index = {index: phones.get(normalize_phone(seed.participant_phone(index)))
                for index in range(1, len(seed.PARTICIPANTS) + 1)}
    _fill_opening(sessions[OPENING], phones.values(), staff)
    _fill_mentoring(sessions[MENTORING], by_index, staff)
    db.session.commit()
    if staff is not None:
        _correct_and_sync(sessions[MENTORING], by_index, staff)
        if sessions[FIELD_VISIT].cancelled_at is None:
            operations.cancel_session(sessions[FIELD_VISIT], CANCEL_REASON, cancelled_by=staff)


def _session(cohort: Cohort, values: dict) -> BootcampSession:
    session = db.session.scalar(select(BootcampSession).where(BootcampSession.cohort_id == cohort.id,
                                                              BootcampSession.title == values["title"]))
    if session is None:
        session = BootcampSession(cohort_id=cohort.id, ends_at=values["starts_at"] + timedelta(hours=3), **values)
        db.session.add(session)
        db.session.flush()
    return session


def _fill_opening(session: BootcampSession, people, staff: User | None) -> None:
    """Everyone came; every sixth was late; every fourth was checked in by the desk."""
    present = queries.attendance_by_user(session.id)
    for index, user in enumerate(people):
        if user.id in present:
            continue
        late = index % 6 == 5
        db.session.add(Attendance(
            session_id=session.id, user_id=user.id, method="qr" if index % 4 else "manual",
            checked_in_at=session.starts_at + timedelta(minutes=25 if late else index % 10),
            late=late, recorded_by_id=staff.id if staff and not index % 4 else user.id))


def _fill_mentoring(session: BootcampSession, by_index: dict[int, User | None], staff: User | None) -> None:
    """Everyone scanned except the two from Nias and the one whose phone was flat (and the synced one)."""
    present = queries.attendance_by_user(session.id)
    skipped = {*ABSENT_FROM_MENTORING, MARKED_PRESENT_BY_CORRECTION, SYNCED_FROM_THE_DESK}
    for index, user in by_index.items():
        if user is None or index in skipped or user.id in present:
            continue
        db.session.add(Attendance(session_id=session.id, user_id=user.id, method="qr", recorded_by_id=user.id,
                                  checked_in_at=session.starts_at + timedelta(minutes=index % 12)))


def _correct_and_sync(session: BootcampSession, by_index: dict[int, User | None], staff: User) -> None:
    """The desk's two other ways in: a correction with a reason (audited) and an offline check-in synced later."""
    present = queries.attendance_by_user(session.id)
    forgot = by_index.get(MARKED_PRESENT_BY_CORRECTION)
    if forgot is not None and forgot.id not in present:
        operations.correct_attendance(session, forgot, present=True, at=session.starts_at + timedelta(minutes=5),
                                      reason=CORRECTION_REASON, corrected_by=staff)
    synced = by_index.get(SYNCED_FROM_THE_DESK)
    if synced is not None and synced.id not in present:
        operations.sync_batch(session, [{"user_id": synced.id, "uuid": str(uuid.uuid4()),
                                         "at": (session.starts_at + timedelta(minutes=7)).isoformat() + "Z"}],
                              synced_by=staff)
