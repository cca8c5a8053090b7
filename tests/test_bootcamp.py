"""Bootcamp sessions: rules, calendars, QR and manual check-in, offline sync, corrections, the daftar hadir."""

import io
import subprocess
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.bootcamp import ics, operations, rules
from lms.bootcamp.checkin import current_step
from lms.extensions import db
from lms.models import Attendance, AuditEvent, BootcampSession, Notification, Role, utcnow
from tests.conftest import login, make_cohort, make_user

HOSTILE = '<script>alert("x")</script>=HYPERLINK("http://evil")'


def make_session(cohort, *, starts_in=timedelta(minutes=5), hours=2, **fields) -> BootcampSession:
    starts = (utcnow() + starts_in).replace(microsecond=0)
    values = {"title": "Kelas konten", "venue_name": "Aula PLUT", "venue_address": "Jl. Sisingamangaraja, Medan"}
    session = BootcampSession(cohort_id=cohort.id, starts_at=starts, ends_at=starts + timedelta(hours=hours),
                              **(values | fields))
    db.session.add(session)
    db.session.commit()
    return session


def token_for(app, session, step=None):
    return rules.sign_checkin(app.config["SECRET_KEY"], session.id, current_step() if step is None else step)


# --- pure rules ---------------------------------------------------------------


def test_token_accepts_current_and_previous_step_only():
    token = rules.sign_checkin("k", 7, 100)
    assert rules.check_token("k", token, 7, 100) == rules.TOKEN_OK
    assert rules.check_token("k", token, 7, 101) == rules.TOKEN_OK
    assert rules.check_token("k", token, 7, 102) == rules.TOKEN_EXPIRED
    assert rules.check_token("k", token, 7, 99) == rules.TOKEN_EXPIRED
    assert rules.check_token("k", token, 8, 100) == rules.TOKEN_OTHER_SESSION
    assert rules.check_token("other-key", token, 7, 100) == rules.TOKEN_FORGED
    assert rules.check_token("k", "7.100.AAAA", 7, 100) == rules.TOKEN_FORGED
    assert rules.check_token("k", "rubbish", 7, 100) == rules.TOKEN_FORGED


def test_window_and_lateness():
    start = datetime(2026, 11, 16, 2, 0)
    end = start + timedelta(hours=2)
    assert rules.window_state(start - timedelta(minutes=61), start, end, 60) == rules.WINDOW_EARLY
    assert rules.window_state(start - timedelta(minutes=60), start, end, 60) == rules.WINDOW_OPEN
    assert rules.window_state(end + timedelta(seconds=1), start, end, 60) == rules.WINDOW_CLOSED
    assert rules.window_state(end + timedelta(days=3), start, end, 60, always_open=True) == rules.WINDOW_OPEN
    assert not rules.is_late(start + timedelta(minutes=15), start, 15)
    assert rules.is_late(start + timedelta(minutes=16), start, 15)


def test_attendance_standing():
    assert rules.attendance_standing(3, 4, 75).ok
    standing = rules.attendance_standing(2, 4, 75)
    assert not standing.ok and standing.sessions_needed() == 1
    assert rules.attendance_standing(0, 0, 75).ok  # no sessions held: the rule does not apply
    assert rules.attendance_standing(0, 4, None).ok  # no minimum in the course


def test_mask_phone():
    assert rules.mask_phone("0812-3456-7890") == "0812****7890"


def test_ics_escapes_folds_and_uses_crlf():
    event = ics.Event(uid="sesi-1@x", sequence=2, starts_at=datetime(2026, 11, 16, 2, 0),
                      ends_at=datetime(2026, 11, 16, 4, 0), summary="Kelas; konten, lanjutan\nbaris " + "é" * 60,
                      location="Aula, Medan")
    text = ics.calendar("Kohort", [event], datetime(2026, 11, 1))
    assert text.endswith("END:VCALENDAR\r\n") and "\n" not in text.replace("\r\n", "")
    assert "SUMMARY:Kelas\\; konten\\, lanjutan\\nbaris" in text
    assert "DTSTART:20261116T020000Z" in text and "SEQUENCE:2" in text
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "é" * 60 in unfolded


# --- staff plan sessions ----------------------------------------------------------


def test_staff_create_move_and_cancel_notify_participants(client, world):
    login(client, world["staff"])
    cohort = world["cohort"]
    data = {"title": "Pembukaan oleh Gubernur", "module_id": "", "day": "2026-11-16", "start_time": "09:00",
            "end_time": "11:00", "venue_name": "Aula PLUT", "venue_address": "Medan", "map_url": "",
            "online_url": "", "speaker": "Gubernur", "late_after_minutes": "15", "checkin_opens_minutes": "60"}
    response = client.post(f"/staf/kohort/{cohort.id}/sesi/baru", data=data)
    assert response.status_code == 302
    session = db.session.scalar(select(BootcampSession))
    assert session.starts_at == datetime(2026, 11, 16, 2, 0)  # 09.00 WIB is 02.00 UTC
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0

    moved = data | {"start_time": "10:00", "end_time": "12:00", "notice": "Mulai jam 10"}
    assert client.post(f"/staf/kohort/{cohort.id}/sesi/{session.id}/ubah", data=moved).status_code == 302
    notices = db.session.scalars(select(Notification).where(Notification.kind == "bootcamp.session_changed")).all()
    assert {n.user_id for n in notices} == {world["participant"].id, world["other_participant"].id}
    assert "Mulai jam 10" in notices[0].message
    page = client.get(f"/staf/kohort/{cohort.id}/sesi/{session.id}").get_data(as_text=True)
    assert "wa.me/" in page

    assert client.post(f"/staf/kohort/{cohort.id}/sesi/{session.id}/batal", data={"reason": ""}).status_code == 302
    db.session.refresh(session)
    assert session.cancelled_at is None  # no reason: nothing changed
    client.post(f"/staf/kohort/{cohort.id}/sesi/{session.id}/batal", data={"reason": "Hujan deras"})
    db.session.refresh(session)
    assert session.cancelled_at is not None and session.sequence == 2
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"bootcamp.session_create", "bootcamp.session_move", "bootcamp.session_cancel"} <= actions


def test_bad_session_input_keeps_what_was_typed(client, world):
    login(client, world["staff"])
    data = {"title": "Kelas", "module_id": "", "day": "2026-11-16", "start_time": "11:00", "end_time": "10:00",
            "venue_name": "", "online_url": "javascript:alert(1)", "late_after_minutes": "15",
            "checkin_opens_minutes": "60"}
    response = client.post(f"/staf/kohort/{world['cohort'].id}/sesi/baru", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Jam selesai harus setelah jam mulai." in page and "https://" in page
    assert 'value="Kelas"' in page
    assert db.session.scalar(select(func.count()).select_from(BootcampSession)) == 0


def test_zero_minutes_is_a_real_threshold_but_empty_is_refused(client, world):
    login(client, world["staff"])
    url = f"/staf/kohort/{world['cohort'].id}/sesi/baru"
    data = {"title": "Kelas tepat waktu", "module_id": "", "day": "2026-11-16", "start_time": "09:00",
            "end_time": "11:00", "venue_name": "Aula PLUT", "late_after_minutes": "", "checkin_opens_minutes": ""}
    page = client.post(url, data=data).get_data(as_text=True)
    assert "Isi batas terlambat." in page and "Isi kapan check-in dibuka." in page
    assert db.session.scalar(select(func.count()).select_from(BootcampSession)) == 0
    response = client.post(url, data=data | {"late_after_minutes": "0", "checkin_opens_minutes": "0"})
    assert response.status_code == 302
    session = db.session.scalar(select(BootcampSession))
    assert (session.late_after_minutes, session.checkin_opens_minutes) == (0, 0)
    assert rules.is_late(session.starts_at + timedelta(seconds=1), session.starts_at, session.late_after_minutes)


# --- participants -------------------------------------------------------------------


def test_schedule_and_calendars(client, world):
    session = make_session(world["cohort"], title=HOSTILE, venue_name=HOSTILE)
    make_session(world["cohort"], starts_in=-timedelta(days=2), title="Sesi lalu")
    login(client, world["participant"])
    page = client.get("/jadwal").get_data(as_text=True)
    assert "Sesi lalu" in page and "<script>alert" not in page and "&lt;script&gt;" in page
    feed = client.get("/jadwal/kalender.ics")
    assert feed.mimetype == "text/calendar"
    assert feed.get_data(as_text=True).count("BEGIN:VEVENT") == 2
    single = client.get(f"/jadwal/sesi/{session.id}.ics").get_data(as_text=True)
    assert single.count("BEGIN:VEVENT") == 1 and "\\;" not in single.split("SUMMARY:")[0]


def test_schedule_of_another_cohort_is_404(client, world):
    other = make_cohort("lain")
    session = make_session(other)
    login(client, world["participant"])
    assert client.get(f"/jadwal/sesi/{session.id}.ics").status_code == 404
    assert client.get(f"/sesi/{session.id}/hadir/{token_for(client.application, session)}").status_code == 404


def test_qr_check_in_get_changes_nothing_post_records_once(app, client, world):
    session = make_session(world["cohort"], starts_in=-timedelta(minutes=30))
    login(client, world["participant"])
    url = f"/sesi/{session.id}/hadir/{token_for(app, session)}"
    page = client.get(url)
    assert page.status_code == 200 and "Hadir" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 200  # twice is harmless: "already recorded"
    rows = db.session.scalars(select(Attendance)).all()
    assert len(rows) == 1 and rows[0].method == "qr" and rows[0].late  # 30 minutes after the start
    assert rows[0].recorded_by_id == world["participant"].id


@pytest.mark.parametrize("case", ["expired", "forged", "other_session", "early", "closed", "cancelled"])
def test_qr_check_in_refusals(app, client, world, case):
    session = make_session(world["cohort"], starts_in={"early": timedelta(hours=3),
                                                       "closed": -timedelta(hours=5)}.get(case, timedelta(0)))
    other = make_session(world["cohort"])
    if case == "cancelled":
        session.cancelled_at = utcnow()
        db.session.commit()
    token = {"expired": token_for(app, session, current_step() - 2), "forged": f"{session.id}.{current_step()}.x",
             "other_session": token_for(app, other)}.get(case, token_for(app, session))
    login(client, world["participant"])
    response = client.post(f"/sesi/{session.id}/hadir/{token}")
    message = {"expired": "kedaluwarsa", "forged": "tidak sah", "other_session": "untuk sesi lain",
               "early": "belum dibuka", "closed": "sudah selesai", "cancelled": "dibatalkan"}[case]
    assert response.status_code == 403 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_staff_can_open_check_in_outside_the_window(app, client, world):
    session = make_session(world["cohort"], starts_in=-timedelta(hours=6), checkin_always_open=True)
    login(client, world["participant"])
    assert client.post(f"/sesi/{session.id}/hadir/{token_for(app, session)}").status_code == 302


def test_withdrawn_participant_cannot_check_in(app, client, world):
    session = make_session(world["cohort"])
    world["enrollment"].status = "withdrawn"
    db.session.commit()
    login(client, world["participant"])
    assert client.post(f"/sesi/{session.id}/hadir/{token_for(app, session)}").status_code == 404


# --- staff check-in ---------------------------------------------------------------------


def test_check_in_screen_shows_a_qr_of_a_signed_url(app, client, world):
    session = make_session(world["cohort"])
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}/layar").get_data(as_text=True)
    assert "<svg" in page and 'http-equiv="refresh" content="30"' in page


def test_manual_check_in_by_search(client, world):
    session = make_session(world["cohort"])
    login(client, world["staff"])
    base = f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}"
    page = client.get(base + "?q=satu").get_data(as_text=True)
    assert "Peserta Satu" in page and "Peserta Dua" not in page.split("<h2>Daftar hadir</h2>")[0]
    digits = world["other_participant"].phone[-6:]
    assert "Peserta Dua" in client.get(base + f"?q={digits}").get_data(as_text=True).split("<h2>Daftar hadir</h2>")[0]
    client.post(base + "/hadir", data={"user_id": world["participant"].id})
    client.post(base + "/hadir", data={"user_id": world["participant"].id})
    row = db.session.scalar(select(Attendance))
    assert row.method == "manual" and row.recorded_by_id == world["staff"].id
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
    outsider = make_user(name="Orang Luar")
    assert client.post(base + "/hadir", data={"user_id": outsider.id}).status_code == 404


def test_offline_batch_is_recorded_exactly_once(client, world):
    session = make_session(world["cohort"], starts_in=-timedelta(minutes=40))
    login(client, world["staff"])
    url = f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}/sinkron"
    at = (session.starts_at + timedelta(minutes=20)).isoformat() + "Z"
    items = [{"uuid": "6f1b1c1e-1111-4a4a-8a8a-000000000001", "user_id": world["participant"].id, "at": at},
             {"uuid": "6f1b1c1e-1111-4a4a-8a8a-000000000002", "user_id": world["other_participant"].id, "at": at},
             {"uuid": "not-a-uuid", "user_id": world["participant"].id, "at": at},
             {"uuid": "6f1b1c1e-1111-4a4a-8a8a-000000000003", "user_id": world["staff"].id, "at": at}]
    first = client.post(url, json={"items": items}).get_json()["results"]
    assert [r["result"] for r in first] == ["recorded", "recorded", "refused", "refused"]
    again = client.post(url, json={"items": items}).get_json()["results"]
    assert [r["result"] for r in again] == ["already", "already", "refused", "refused"]
    rows = db.session.scalars(select(Attendance).order_by(Attendance.id)).all()
    assert len(rows) == 2 and all(r.method == "synced" and r.late for r in rows)
    assert rows[0].checked_in_at == session.starts_at + timedelta(minutes=20)
    assert client.post(url, json={"nope": 1}).status_code == 400


def test_only_the_offline_desk_is_marked_for_the_service_worker_to_keep(client, world):
    session = make_session(world["cohort"])
    login(client, world["staff"])
    base = f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}"
    assert client.get(base + "/offline").headers.get("X-Offline-Cache") == "1"
    for url in (base, base + "/layar", base + "/ubah", f"/staf/kohort/{world['cohort'].id}/sesi"):
        response = client.get(url)
        assert response.status_code == 200 and "X-Offline-Cache" not in response.headers, url


def test_correction_needs_a_reason_and_leaves_an_audit_row(client, world):
    session = make_session(world["cohort"])
    operations.check_in(session, world["participant"], method="manual", recorded_by=world["staff"])
    login(client, world["staff"])
    url = f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}/koreksi"
    client.post(url, data={"user_id": world["participant"].id, "present": "0", "reason": ""})
    assert db.session.scalar(select(Attendance)).voided_at is None
    client.post(url, data={"user_id": world["participant"].id, "present": "0", "reason": "Salah orang"})
    db.session.expire_all()
    assert db.session.scalar(select(Attendance)).voided_at is not None
    client.post(url, data={"user_id": world["other_participant"].id, "present": "1", "at_time": "09:05",
                           "reason": "Hadir, HP mati"})
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "bootcamp.attendance_correct")
                               .order_by(AuditEvent.id)).all()
    assert [e.reason for e in event] == ["Salah orang", "Hadir, HP mati"]
    assert event[0].before["present"] is True and event[0].after["present"] is False


# --- the daftar hadir -------------------------------------------------------------------


def test_daftar_hadir_pdf_and_xlsx(client, world, tmp_path):
    world["participant"].name = HOSTILE
    db.session.commit()
    session = make_session(world["cohort"], title=HOSTILE)
    operations.check_in(session, world["participant"], method="manual", recorded_by=world["staff"])
    login(client, world["staff"])
    base = f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}"
    pdf = client.get(base + "/daftar-hadir.pdf")
    assert pdf.mimetype == "application/pdf"
    (tmp_path / "d.pdf").write_bytes(pdf.data)
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "DAFTAR HADIR" in text and "Tanda tangan" in text and '<script>alert("x")</script>' in text
    assert "Peserta Dua" in text and "Bika Ambon Satu" in text and "Kota Medan" in text
    assert "0857****" in text and world["other_participant"].phone[3:] not in text  # the phone is partly masked
    sheet = load_workbook(io.BytesIO(client.get(base + "/daftar-hadir.xlsx").data)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("No.", "Nama") and len(rows) == 3
    names = {row[1] for row in rows[1:]}
    assert HOSTILE in names  # stored as text: openpyxl reads a formula cell back without its data type
    assert all(sheet.cell(row=r, column=2).data_type == "s" for r in range(2, 4))


def test_mentor_sees_only_their_participants(client, world):
    session = make_session(world["cohort"])
    login(client, world["mentor"])
    page = client.get(f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}").get_data(as_text=True)
    assert "Peserta Satu" in page and "Peserta Dua" not in page


# --- attendance in the graduation rules ----------------------------------------------------


def test_attendance_minimum_blocks_the_certificate(world):
    from lms.certificates.eligibility import cohort_overview

    sessions = [make_session(world["cohort"], starts_in=-timedelta(days=d)) for d in (1, 2, 3, 4)]
    for s in sessions[:3]:
        operations.check_in(s, world["participant"], method="manual", recorded_by=world["staff"])
    operations.check_in(sessions[0], world["other_participant"], method="manual", recorded_by=world["staff"])
    rows = {row.user.id: row for row in cohort_overview(world["cohort"]).rows}
    assert rows[world["participant"].id].eligibility.attendance_ok  # 3 of 4 = 75%
    other = rows[world["other_participant"].id]
    assert not other.eligibility.attendance_ok and not other.eligible
    assert any("Kehadiran sesi 25%" in line for line in other.missing)


def test_without_sessions_the_attendance_rule_does_not_apply(world):
    from lms.certificates.eligibility import cohort_overview

    rows = cohort_overview(world["cohort"]).rows
    assert all(row.eligibility.attendance_ok for row in rows)


def test_mentor_role_fixture_sanity(world):
    assert world["mentor"].role == Role.MENTOR


def test_low_attendance_puts_a_recently_seen_participant_at_risk_and_slows_the_ranking(world):
    from lms.staff.dashboard.queries import at_risk_enrollment_ids, cohort_dashboard
    from lms.staff.ranking.awards import cohort_ranking

    for user in (world["participant"], world["other_participant"]):
        user.last_seen_at = utcnow()
    db.session.commit()
    assert at_risk_enrollment_ids(world["cohort"]) == set()
    sessions = [make_session(world["cohort"], starts_in=-timedelta(days=d)) for d in (1, 2)]
    for s in sessions:
        operations.check_in(s, world["participant"], method="manual", recorded_by=world["staff"])
    assert at_risk_enrollment_ids(world["cohort"]) == {world["other_enrollment"].id}
    board = cohort_dashboard(world["cohort"])
    assert [(row.user_id, bool(row.low_attendance)) for row in board.at_risk] == [(world["other_participant"].id,
                                                                                   True)]
    rows = {row.ranked.entry.enrollment_id: row for row in cohort_ranking(world["cohort"])}
    assert rows[world["other_enrollment"].id].ranked.entry.completed_at is None


def test_a_check_in_voided_by_a_correction_is_not_silently_restored(app, client, world):
    session = make_session(world["cohort"])
    operations.check_in(session, world["participant"], method="qr", recorded_by=world["participant"])
    operations.correct_attendance(session, world["participant"], present=False, at=None, reason="Pulang awal",
                                  corrected_by=world["staff"])
    login(client, world["participant"])
    response = client.post(f"/sesi/{session.id}/hadir/{token_for(app, session)}", follow_redirects=True)
    assert "sudah mengoreksi kehadiran Anda" in response.get_data(as_text=True)
    assert db.session.scalar(select(Attendance)).voided_at is not None


def test_signed_calendar_feed_needs_no_login_but_the_right_signature(app, client, world):
    make_session(world["cohort"])
    signature = rules.feed_signature(app.config["SECRET_KEY"], world["cohort"].id)
    feed = client.get(f"/jadwal/langganan/{world['cohort'].id}/{signature}.ics")
    assert feed.status_code == 200 and "BEGIN:VEVENT" in feed.get_data(as_text=True)
    assert client.get(f"/jadwal/langganan/{world['cohort'].id}/salah.ics").status_code == 404
    other = make_cohort("lain")
    assert client.get(f"/jadwal/langganan/{other.id}/{signature}.ics").status_code == 404
    login(client, world["participant"])
    assert signature in client.get("/jadwal").get_data(as_text=True)


def test_a_complete_participant_below_the_attendance_minimum_gets_no_certificate_and_is_told_why(client, world):
    """The issue's check: the attendance rule blocks the certificate of someone who finished every module."""
    from lms.certificates import operations as certificates
    from tests.test_certificates import complete_course

    for enrollment in (world["enrollment"], world["other_enrollment"]):
        complete_course(enrollment)
    sessions = [make_session(world["cohort"], starts_in=-timedelta(days=d)) for d in (1, 2, 3, 4)]
    for s in sessions[:3]:
        operations.check_in(s, world["participant"], method="manual", recorded_by=world["staff"])
    operations.check_in(sessions[0], world["other_participant"], method="manual", recorded_by=world["staff"])

    certificates.check_can_issue(world["enrollment"], certificates.GRADUATION)  # 75 %: may graduate
    with pytest.raises(certificates.CertificateError, match="Kehadiran sesi 25%"):
        certificates.check_can_issue(world["other_enrollment"], certificates.GRADUATION)

    login(client, world["other_participant"])
    own = client.get("/jadwal").get_data(as_text=True)
    assert "Anda hadir di 1 dari 4 sesi" in own and "minimal 75% sesi kohort" in own
    assert "Kehadiran Anda saat ini belum memenuhi syarat kelulusan." in own
    client.post("/keluar")
    login(client, world["participant"])
    assert "Kehadiran Anda saat ini memenuhi syarat." in client.get("/jadwal").get_data(as_text=True)
