"""Session capacity: a full session refuses QR check-ins, staff may override at the desk, offline check-ins are kept.

Capacity governs check-in (the seats in the room): the issue's sessions have no sign-up, and
every enrolled participant is expected, so the only moment a seat is taken is the check-in.
"""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from lms.bootcamp import operations, rules
from lms.extensions import db
from lms.models import Attendance, AuditEvent, utcnow
from tests.conftest import enroll_participant, login, make_user
from tests.test_bootcamp import make_session, token_for

FULL = "Sesi ini sudah penuh: 1 kursi sudah terisi"


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_has_room():
    assert rules.has_room(None, 10_000)
    assert rules.has_room(2, 1) and not rules.has_room(2, 2) and not rules.has_room(2, 3)


def test_a_full_session_refuses_a_qr_check_in_with_a_clear_message(app, client, world):
    session = make_session(world["cohort"], capacity=1)
    operations.check_in(session, world["other_participant"], method="manual", recorded_by=world["staff"])
    login(client, world["participant"])
    url = f"/sesi/{session.id}/hadir/{token_for(app, session)}"
    page = client.get(url)
    assert page.status_code == 403 and FULL in page.get_data(as_text=True)
    posted = client.post(url)
    assert posted.status_code == 403 and "meja registrasi" in posted.get_data(as_text=True)
    assert count(Attendance) == 1


def test_the_last_seat_taken_while_the_page_was_open_gives_the_full_message(app, client, world):
    session = make_session(world["cohort"], capacity=1)
    login(client, world["participant"])
    url = f"/sesi/{session.id}/hadir/{token_for(app, session)}"
    assert client.get(url).status_code == 200  # the Hadir button
    outcome = operations.check_in(session, world["other_participant"], method="qr",
                                  recorded_by=world["other_participant"])
    assert outcome.created
    response = client.post(url)
    assert response.status_code == 403 and FULL in response.get_data(as_text=True)
    assert count(Attendance, Attendance.user_id == world["participant"].id) == 0


def test_checking_in_again_when_full_is_still_harmless(app, client, world):
    session = make_session(world["cohort"], capacity=1)
    login(client, world["participant"])
    url = f"/sesi/{session.id}/hadir/{token_for(app, session)}"
    assert client.post(url).status_code == 302
    again = client.get(url)
    assert again.status_code == 200 and "sudah tercatat hadir" in again.get_data(as_text=True)
    outcome = operations.check_in(session, world["participant"], method="qr", recorded_by=world["participant"])
    assert not outcome.full and not outcome.created and outcome.attendance is not None


def test_a_corrected_away_check_in_frees_its_seat(client, world):
    session = make_session(world["cohort"], capacity=1)
    operations.check_in(session, world["other_participant"], method="manual", recorded_by=world["staff"])
    operations.correct_attendance(session, world["other_participant"], present=False, at=None,
                                  reason="salah orang", corrected_by=world["staff"])
    assert operations.check_in(session, world["participant"], method="manual", recorded_by=world["staff"]).created


def test_staff_are_refused_when_full_then_may_override_with_an_audit_row(client, world):
    session = make_session(world["cohort"], capacity=1)
    operations.check_in(session, world["other_participant"], method="manual", recorded_by=world["staff"])
    login(client, world["staff"])
    base = f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}"
    page = client.get(base + "?q=satu").get_data(as_text=True)
    assert "Catat walau penuh" in page and "Penuh" in page and 'data-testid="capacity-full"' in page
    refused = client.post(base + "/hadir", data={"user_id": world["participant"].id, "q": "satu"},
                          follow_redirects=True)
    assert "Sesi sudah penuh (kapasitas 1 orang), jadi Peserta Satu belum dicatat" in refused.get_data(as_text=True)
    assert count(Attendance) == 1 and count(AuditEvent, AuditEvent.action == "bootcamp.capacity_override") == 0
    client.post(base + "/hadir", data={"user_id": world["participant"].id, "over_capacity": "1"})
    assert count(Attendance) == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "bootcamp.capacity_override"))
    assert event.actor_id == world["staff"].id
    assert event.after["capacity"] == 1 and event.after["present_before"] == 1
    assert "melebihi kapasitas" in client.get("/staf/audit").get_data(as_text=True)


def test_override_within_capacity_writes_no_override_row(client, world):
    session = make_session(world["cohort"], capacity=5)
    login(client, world["staff"])
    base = f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}"
    client.post(base + "/hadir", data={"user_id": world["participant"].id, "over_capacity": "1"})
    assert count(Attendance) == 1 and count(AuditEvent, AuditEvent.action == "bootcamp.capacity_override") == 0


def test_offline_check_ins_are_never_lost_to_the_capacity(client, world):
    session = make_session(world["cohort"], starts_in=-timedelta(minutes=10), capacity=1)
    login(client, world["staff"])
    url = f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}/sinkron"
    at = utcnow().isoformat() + "Z"
    items = [{"uuid": "6f1b1c1e-2222-4a4a-8a8a-000000000001", "user_id": world["participant"].id, "at": at},
             {"uuid": "6f1b1c1e-2222-4a4a-8a8a-000000000002", "user_id": world["other_participant"].id, "at": at}]
    results = client.post(url, json={"items": items}).get_json()["results"]
    assert [r["result"] for r in results] == ["recorded", "recorded"]
    assert count(Attendance) == 2 and count(AuditEvent, AuditEvent.action == "bootcamp.capacity_override") == 1


def test_check_in_screen_and_detail_show_the_seats(client, world):
    session = make_session(world["cohort"], capacity=2)
    operations.check_in(session, world["participant"], method="manual", recorded_by=world["staff"])
    login(client, world["staff"])
    base = f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}"
    assert "Sudah hadir: 1 dari kapasitas 2" in client.get(base + "/layar").get_data(as_text=True)
    assert "Kapasitas: 2 orang · hadir 1" in client.get(base).get_data(as_text=True)


def test_concurrent_qr_check_ins_never_fill_more_seats_than_the_capacity(app, world):
    """Eight phones press Hadir at the same moment for three seats: exactly three are recorded."""
    session = make_session(world["cohort"], capacity=3)
    people = [make_user(name=f"Peserta Serentak {n}") for n in range(8)]
    for person in people:
        enroll_participant(person, world["cohort"])
    clients = []
    for person in people:
        c = app.test_client()
        login(c, person)
        clients.append(c)
    url = f"/sesi/{session.id}/hadir/{token_for(app, session)}"  # signed last: it lives 30-60 s
    barrier, statuses, lock = threading.Barrier(len(clients)), [], threading.Lock()

    def press(c):
        with app.app_context():
            barrier.wait()
            response = c.post(url)
            with lock:
                statuses.append((response.status_code, FULL.replace("1 kursi", "3 kursi")
                                 in response.get_data(as_text=True)))
            db.session.remove()

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()  # end this thread's read snapshot, to see what the phones wrote
    assert sorted(statuses) == [(302, False)] * 3 + [(403, True)] * 5
    assert count(Attendance, Attendance.session_id == session.id) == 3


def test_the_desk_forms_send_one_person_id(client, world):
    """A form's empty hidden user_id ahead of the row's own would send "" first: the POST would be a 404."""
    session = make_session(world["cohort"])
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}?q=satu").get_data(as_text=True)
    assert 'id="user_id"' not in page
    assert page.count(f'name="user_id" value="{world["participant"].id}"') == 2  # check-in and correction
