"""Attendance rates per regency on the staff dashboard, and the mentors' way to the session pages."""

from datetime import timedelta

from lms.bootcamp import operations, queries, rules
from lms.extensions import db
from lms.models import utcnow
from tests.conftest import enroll_participant, login, make_cohort, make_user
from tests.test_bootcamp import make_session


def test_regency_attendance_is_low_below_the_threshold():
    assert rules.regency_attendance_is_low(2, 4, 75)
    assert not rules.regency_attendance_is_low(3, 4, 75)
    assert not rules.regency_attendance_is_low(0, 0, 75)  # nothing held: nothing to flag


def test_regency_rates_count_held_sessions_only_lowest_first(world):
    cohort = world["cohort"]
    third = make_user(name="Peserta Tiga", regency_code="1275")
    enroll_participant(third, cohort)
    held = [make_session(cohort, starts_in=-timedelta(days=d)) for d in (1, 2)]
    future = make_session(cohort, starts_in=timedelta(days=3))
    cancelled = make_session(cohort, starts_in=-timedelta(days=4))
    cancelled.cancelled_at = utcnow()
    db.session.commit()
    staff = world["staff"]
    for s in held:  # Medan (1275): participant at both, third at one → 3 of 4
        operations.check_in(s, world["participant"], method="manual", recorded_by=staff)
    operations.check_in(held[0], third, method="manual", recorded_by=staff)
    operations.check_in(future, world["other_participant"], method="manual", recorded_by=staff)
    operations.check_in(cancelled, world["other_participant"], method="manual", recorded_by=staff)
    voided = operations.check_in(held[1], world["other_participant"], method="manual", recorded_by=staff)
    assert voided.created
    operations.correct_attendance(held[1], world["other_participant"], present=False, at=None, reason="keliru",
                                  corrected_by=staff)
    count, rows = queries.regency_attendance(cohort.id, utcnow(), 75)
    assert count == 2
    assert [(r.code, r.participants, r.attended, r.possible, r.low) for r in rows] == [
        ("1205", 1, 0, 2, True),  # Tapanuli Utara: the future, cancelled and corrected-away check-ins do not count
        ("1275", 2, 3, 4, False),
    ]
    assert rows[1].rate == 75.0


def test_dashboard_shows_the_attendance_panel_with_low_regencies_flagged(client, world):
    held = make_session(world["cohort"], starts_in=-timedelta(days=1))
    operations.check_in(held, world["participant"], method="manual", recorded_by=world["staff"])
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{world['cohort'].id}").get_data(as_text=True)
    panel = page.split('data-testid="attendance-regency"')[1].split("</section>")[0]
    assert "Kehadiran sesi per kabupaten/kota" in panel and "Dari 1 sesi yang sudah berlangsung" in panel
    assert "syarat kehadiran kelulusan kursus (75%)" in panel  # the shipped course asks for 75%
    assert "Kabupaten Tapanuli Utara" in panel and "Kota Medan" in panel
    assert panel.count("Rendah") == 1 and "1 kabupaten/kota kehadirannya rendah" in panel
    assert panel.index("Kabupaten Tapanuli Utara") < panel.index("Kota Medan")  # the low one first


def test_dashboard_panel_without_held_sessions(client, world):
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{world['cohort'].id}").get_data(as_text=True)
    assert "Belum ada sesi yang berlangsung." in page


def test_mentor_menu_leads_to_the_sessions_of_their_cohorts(client, world):
    other_cohort = make_cohort(slug="ftd-lain", name="Kohort Lain")
    session = make_session(world["cohort"], starts_in=timedelta(days=1), title="Kelas foto produk")
    make_session(other_cohort, title="Sesi kohort lain")
    login(client, world["mentor"])
    home = client.get("/mentor/").get_data(as_text=True)
    assert 'href="/mentor/sesi"' in home
    page = client.get("/mentor/sesi").get_data(as_text=True)
    assert f'href="/staf/kohort/{world["cohort"].id}/sesi"' in page and "Kelas foto produk" in page
    assert f'/sesi/{session.id}"' in page and "Kohort Lain" not in page
    assert client.get(f"/staf/kohort/{world['cohort'].id}/sesi").status_code == 200


def test_a_mentor_without_participants_is_told_so(client, world):
    lonely = make_user("mentor", name="Mentor Baru")
    login(client, lonely)
    assert "belum mendampingi peserta" in client.get("/mentor/sesi").get_data(as_text=True)


def test_participants_and_staff_keep_their_own_menus(client, world):
    login(client, world["participant"])
    page = client.get("/jadwal").get_data(as_text=True)
    assert 'href="/jadwal"' in page and 'href="/mentor/sesi"' not in page
