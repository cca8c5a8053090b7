"""Extra quiz attempts: the following mentor or staff grant them with a reason and an audit row."""

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import AuditEvent, QuizAttempt, QuizAttemptGrant
from tests.conftest import login

COURSE = "ftd-umkm"
MODULE = "orientasi"  # maks_percobaan: 3


def use_all_attempts(client, count: int = 3) -> None:
    """Start and send ``count`` attempts as the logged-in participant."""
    for _ in range(count):
        response = client.post(f"/belajar/{COURSE}/{MODULE}/kuis/mulai")
        attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
        client.post(f"/kuis/percobaan/{attempt_id}/kirim", data={"confirm": "1"})


def grant_url(world, module: str = MODULE) -> str:
    return f"/kuis/peserta/{world['enrollment'].id}/{module}/tambah-percobaan"


def grant_data(module: str = MODULE, extra="1", reason="Sinyal putus saat kuis ketiga.") -> dict:
    return {f"tambah-{module}-extra": extra, f"tambah-{module}-reason": reason}


def test_mentor_grants_an_attempt_and_the_participant_can_start_it(app, world):
    participant, mentor = app.test_client(), app.test_client()
    login(participant, world["participant"])
    use_all_attempts(participant)
    refused = participant.post(f"/belajar/{COURSE}/{MODULE}/kuis/mulai", follow_redirects=True)
    text = refused.get_data(as_text=True)
    assert "sudah memakai semua 3 percobaan" in text and "hubungi mentor Anda" in text

    login(mentor, world["mentor"])
    response = mentor.post(grant_url(world), data=grant_data())
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#kuis-{MODULE}")
    grant = db.session.scalar(select(QuizAttemptGrant))
    assert (grant.user_id, grant.module_id, grant.extra, grant.granted_by_id) == (
        world["participant"].id, MODULE, 1, world["mentor"].id)
    assert grant.reason == "Sinyal putus saat kuis ketiga."
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quiz.attempts_granted"))
    assert event.actor_id == world["mentor"].id and event.reason == grant.reason
    assert event.after == {"participant_id": world["participant"].id, "module_id": MODULE, "extra": 1,
                           "extra_total": 1}

    # The mentor sees it on the quiz results page and on the participant page.
    page = mentor.get(f"/kuis/peserta/{world['enrollment'].id}").get_data(as_text=True)
    assert "Batas percobaan: 4 (kuis 3, tambahan 1). Sisa: 1." in page
    assert "+1 percobaan" in page and "Sinyal putus saat kuis ketiga." in page
    mentor_page = mentor.get(f"/mentor/peserta/{world['enrollment'].id}").get_data(as_text=True)
    assert "Percobaan kuis tambahan:" in mentor_page and "Sinyal putus saat kuis ketiga." in mentor_page

    # The participant sees the new attempt and can use it, once.
    overview = participant.get(f"/belajar/{COURSE}/{MODULE}/kuis").get_data(as_text=True)
    assert "ditambah 1 percobaan oleh mentor atau staf" in overview and "Sisa percobaan: 1" in overview
    use_all_attempts(participant, 1)
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 4
    again = participant.post(f"/belajar/{COURSE}/{MODULE}/kuis/mulai", follow_redirects=True)
    assert "sudah memakai semua 4 percobaan" in again.get_data(as_text=True)


def test_staff_grants_and_sees_it_on_the_person_page(app, world):
    staff = app.test_client()
    login(staff, world["staff"])
    assert staff.post(grant_url(world), data=grant_data(extra="2", reason="Dispensasi sakit")).status_code == 302
    page = staff.get(f"/staf/pengguna/{world['participant'].id}").get_data(as_text=True)
    assert "+2 percobaan" in page and "Dispensasi sakit" in page and world["staff"].name in page
    audit = staff.get("/staf/audit").get_data(as_text=True)
    assert "Percobaan kuis ditambah" in audit


def test_bad_input_keeps_what_was_typed_and_changes_nothing(app, world):
    mentor = app.test_client()
    login(mentor, world["mentor"])
    for extra, reason, message in [
        ("0", "Alasan yang jelas", "Isi angka 1 sampai 5."),
        ("6", "Alasan yang jelas", "Isi angka 1 sampai 5."),
        ("dua", "Alasan yang jelas", "Isi angka 1 sampai 5."),
        ("", "Alasan yang jelas", "Isi jumlah percobaan tambahan."),
        ("1", "   ", "Tulis alasannya"),
        ("1", "abc", "Alasan 5 sampai 500 karakter."),
        ("1", "x" * 501, "Alasan 5 sampai 500 karakter."),
    ]:
        response = mentor.post(grant_url(world), data=grant_data(extra=extra, reason=reason))
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (extra, reason)
        assert message in page and "<details class=\"grant-attempts\" open>" in page
        assert "Not a valid" not in page
        if reason.strip():
            assert reason in page
    assert db.session.scalar(select(func.count()).select_from(QuizAttemptGrant)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "quiz.attempts_granted")) == 0


def test_only_the_following_mentor_and_staff_may_grant(app, world):
    for role, status in [("participant", 403), ("other_participant", 403), ("other_mentor", 404)]:
        client = app.test_client()
        login(client, world[role])
        assert client.post(grant_url(world), data=grant_data()).status_code == status, role
    mentor = app.test_client()
    login(mentor, world["mentor"])
    assert mentor.post(grant_url(world, "tidak-ada"), data=grant_data("tidak-ada")).status_code == 404
    assert mentor.post(f"/kuis/peserta/999999/{MODULE}/tambah-percobaan", data=grant_data()).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(QuizAttemptGrant)) == 0


def test_grants_add_up_and_belong_to_one_module(app, world):
    from lms.quiz import operations

    mentor = app.test_client()
    login(mentor, world["mentor"])
    mentor.post(grant_url(world), data=grant_data(extra="2"))
    mentor.post(grant_url(world), data=grant_data(extra="1", reason="Lagi, karena listrik padam"))
    assert operations.extra_attempts(world["participant"].id, MODULE) == 3
    assert operations.attempt_limit(3, world["participant"].id, MODULE) == 6
    assert operations.attempt_limit(None, world["participant"].id, MODULE) is None
    assert operations.extra_attempts(world["participant"].id, "pembuatan-konten") == 0
    assert operations.extra_attempts(world["other_participant"].id, MODULE) == 0
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "quiz.attempts_granted")
                                .order_by(AuditEvent.id)).all()
    assert [e.after["extra_total"] for e in events] == [2, 3]
