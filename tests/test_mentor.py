"""Mentor grading: rubric reviews, decisions, notices, the queue, turnaround and query counts."""

import io
import itertools
import secrets
import smtplib
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import event, func, select
from werkzeug.datastructures import FileStorage

from lms.assignments import operations
from lms.assignments.demo import demo_png
from lms.assignments.stats import MentorWorkload, mentor_workload
from lms.enrollments import allocate_mentor
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import AuditEvent, Notification, OutboxMessage, Review, Role, Submission, utcnow
from tests.conftest import enroll_participant, login
from tests.conftest import make_user as _make_user

ORIENTASI_SCORES = {"profil-usaha": "4", "tantangan-target": "4", "keamanan-akun": "2", "foto-usaha": "2"}

_numbers = itertools.count(1)


def person(*args, **kwargs):
    """Make a user with a phone number of this file's own series.

    tests.conftest is loaded twice (as "conftest" by pytest and as "tests.conftest" here),
    so its phone counter would repeat the numbers the `world` fixture already used.
    """
    return _make_user(*args, phone=f"0858{next(_numbers):08d}", **kwargs)


def submit(user, enrollment, module_id="orientasi", *, text="Perkenalan usaha", photo=False) -> Submission:
    """Send a version through the real operation (as the submit form does)."""
    files = [FileStorage(io.BytesIO(demo_png()), filename="foto.png")] if photo else []
    sent = operations.SubmissionInput(client_token=secrets.token_urlsafe(24), text=text, files=files)
    with current_app.test_request_context():
        return operations.submit_work(user, enrollment, get_content().modules[module_id], sent).submission


def rubric_levels(module_id="orientasi") -> dict[str, list[int]]:
    assignment = get_content().modules[module_id].assignment
    return {c.id: [level.points for level in c.levels] for c in assignment.criteria}


def grade(client, submission, decision="accepted", scores=None, feedback="Bagus"):
    data = {f"score-{cid}": points for cid, points in (ORIENTASI_SCORES if scores is None else scores).items()}
    return client.post(f"/mentor/kiriman/{submission.id}", data={**data, "decision": decision, "feedback": feedback})


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def waiting(world):
    return submit(world["participant"], world["enrollment"], photo=True)


def test_grading_page_shows_the_work_and_the_rubric(client, world, waiting):
    assert set(rubric_levels()) == set(ORIENTASI_SCORES)
    login(client, world["mentor"])
    page = client.get(f"/mentor/kiriman/{waiting.id}").get_data(as_text=True)
    assert "Perkenalan usaha" in page and f"/berkas/{waiting.files[0].id}/kecil" in page
    assert "Kelengkapan profil usaha" in page and "Simpan penilaian" in page


def test_revision_then_resubmit_then_accept_keeps_every_review(client, world, waiting):
    login(client, world["mentor"])
    response = grade(client, waiting, "needs_revision", feedback="Fotonya gelap")
    assert response.status_code == 302
    db.session.expire_all()
    assert waiting.status == "needs_revision"
    review = db.session.scalar(select(Review))
    assert (review.total_points, review.max_points, review.mentor_id) == (12, 14, world["mentor"].id)
    assert review.scores == {k: int(v) for k, v in ORIENTASI_SCORES.items()}
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "submission.review"))
    assert audit.actor_id == world["mentor"].id and audit.after["status"] == "needs_revision"
    notice = db.session.scalar(select(Notification).where(Notification.user_id == world["participant"].id))
    assert notice.kind == "review.needs_revision"
    outbox = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient_id == world["participant"].id))
    assert outbox.whatsapp_url.startswith("https://wa.me/62") and outbox.status == "logged"
    assert outbox.whatsapp_url in client.get(f"/mentor/kiriman/{waiting.id}").get_data(as_text=True).replace(
        "&amp;", "&")

    second = submit(world["participant"], world["enrollment"], text="Versi perbaikan")
    assert second.version_no == 2
    assert grade(client, second, "accepted").status_code == 302
    db.session.expire_all()
    assert [s.status for s in db.session.scalars(select(Submission).order_by(Submission.version_no))] == [
        "needs_revision", "accepted"]
    assert count(Review) == 2

    client.post("/keluar")
    login(client, world["participant"])
    page = client.get("/belajar/ftd-umkm/orientasi/tugas").get_data(as_text=True)
    assert "Fotonya gelap" in page and "Nilai 12 dari 14" in page and "Tugas diterima" in page


def test_a_criterion_left_ungraded_is_refused(client, world, waiting):
    login(client, world["mentor"])
    scores = dict(ORIENTASI_SCORES)
    del scores["keamanan-akun"]
    response = grade(client, waiting, scores=scores, feedback="Masukan saya")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Pilih nilai untuk kriteria ini." in page
    assert "Masukan saya" in page  # the feedback typed comes back
    assert count(Review) == 0 and db.session.get(Submission, waiting.id).status == "submitted"


def test_points_that_are_not_a_level_are_refused(client, world, waiting):
    login(client, world["mentor"])
    response = grade(client, waiting, scores={**ORIENTASI_SCORES, "profil-usaha": "3"})
    assert response.status_code == 200 and count(Review) == 0


def test_a_decision_is_required(client, world, waiting):
    login(client, world["mentor"])
    response = grade(client, waiting, decision="")
    assert "Pilih keputusan" in response.get_data(as_text=True) and count(Review) == 0


def test_a_revision_request_needs_feedback(client, world, waiting):
    login(client, world["mentor"])
    response = grade(client, waiting, "needs_revision", feedback="  ")
    assert "Tulis apa yang perlu diperbaiki peserta." in response.get_data(as_text=True)
    assert count(Review) == 0


def test_grading_uses_the_rubric_the_work_was_sent_against(client, world, waiting):
    snapshot = dict(waiting.assignment_snapshot)
    snapshot["criteria"] = [{"id": "lama", "title": "Kriteria versi lama",
                             "levels": [{"points": 0, "description": "kurang"}, {"points": 5, "description": "baik"}]}]
    waiting.assignment_snapshot = snapshot
    db.session.commit()
    login(client, world["mentor"])
    assert "Kriteria versi lama" in client.get(f"/mentor/kiriman/{waiting.id}").get_data(as_text=True)
    assert grade(client, waiting, scores=ORIENTASI_SCORES).status_code == 200  # today's criteria do not fit
    assert grade(client, waiting, scores={"lama": "5"}).status_code == 302
    assert db.session.scalar(select(Review.max_points)) == 5


def test_a_double_submit_records_one_review(client, world, waiting):
    login(client, world["mentor"])
    grade(client, waiting)
    response = grade(client, waiting)
    assert response.status_code == 302 and count(Review) == 1
    assert "sudah dinilai" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_another_mentor_cannot_grade_or_see_the_work(client, world, waiting):
    login(client, world["other_mentor"])
    assert client.get(f"/mentor/kiriman/{waiting.id}").status_code == 404
    assert grade(client, waiting).status_code == 404
    assert count(Review) == 0


def test_the_previous_mentor_loses_access_after_reallocation(client, world, waiting):
    allocate_mentor(world["enrollment"], world["other_mentor"], assigned_by=world["staff"])
    db.session.commit()
    login(client, world["mentor"])
    assert grade(client, waiting).status_code == 404
    client.post("/keluar")
    login(client, world["other_mentor"])
    assert grade(client, waiting).status_code == 302


def test_staff_see_submissions_but_do_not_grade(client, world, waiting):
    login(client, world["staff"])
    assert client.get(f"/kiriman/{waiting.id}").status_code == 200
    assert grade(client, waiting).status_code == 403


def test_review_operation_refuses_a_mentor_not_allocated(world, waiting):
    with current_app.test_request_context(), pytest.raises(operations.ReviewRefused):
        operations.review_submission(waiting.id, world["other_mentor"], decision="accepted",
                                     scores=ORIENTASI_SCORES, feedback="")
    assert count(Review) == 0


# --- notices ---------------------------------------------------------------------


def test_unread_badge_and_opening_a_notice(client, world, waiting):
    login(client, world["mentor"])
    home = client.get("/").get_data(as_text=True)
    assert 'class="badge count"' in home
    notice = db.session.scalar(select(Notification).where(Notification.user_id == world["mentor"].id))
    response = client.post(f"/notifikasi/{notice.id}/buka")
    assert response.headers["Location"] == f"/mentor/kiriman/{waiting.id}"
    db.session.expire_all()
    assert db.session.get(Notification, notice.id).read_at is not None
    assert 'class="badge count"' not in client.get("/").get_data(as_text=True)


def test_someone_elses_notice_is_404(client, world, waiting):
    notice = db.session.scalar(select(Notification).where(Notification.user_id == world["mentor"].id))
    login(client, world["other_mentor"])
    assert client.post(f"/notifikasi/{notice.id}/buka").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, notice.id).read_at is None


def test_email_is_sent_when_smtp_is_configured(world, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            pass

        def login(self, user, password):
            pass

        def send_message(self, message):
            sent.append(message["To"])

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    current_app.config.update(SMTP_HOST="smtp.example.id", SMTP_USER="u", SMTP_PASSWORD="p")
    world["mentor"].email = "mentor@example.id"
    db.session.commit()
    submit(world["participant"], world["enrollment"])
    outbox = db.session.scalar(select(OutboxMessage))
    assert outbox.status == "sent" and outbox.sent_at is not None
    assert sent == [("smtp.example.id", 587), "mentor@example.id"]


def test_a_failing_smtp_server_marks_the_message_failed(world, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no server")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    current_app.config["SMTP_HOST"] = "smtp.example.id"
    world["mentor"].email = "mentor@example.id"
    db.session.commit()
    submission = submit(world["participant"], world["enrollment"])
    assert submission.id is not None  # the work is saved even when mail fails
    assert db.session.scalar(select(OutboxMessage.status)) == "failed"


# --- queue -----------------------------------------------------------------------


def test_queue_lists_own_participants_oldest_first_with_filters(client, world):
    cohort = world["cohort"]
    late = person(name="Peserta Baru", regency_code="1212")
    late_enrollment = enroll_participant(late, cohort, mentor=world["mentor"])
    first = submit(world["participant"], world["enrollment"])
    second = submit(late, late_enrollment)
    submit(world["other_participant"], world["other_enrollment"])  # followed by the other mentor
    first.created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    login(client, world["mentor"])
    page = client.get("/mentor/antrean").get_data(as_text=True)
    assert page.index("Peserta Satu") < page.index("Peserta Baru")
    assert "Peserta Dua" not in page
    assert "Peserta Satu" not in client.get("/mentor/antrean?regency=1212").get_data(as_text=True)
    assert "Peserta Baru" not in client.get("/mentor/antrean?module=landing-page").get_data(as_text=True)
    second.status = "accepted"
    db.session.commit()
    assert "Peserta Baru" not in client.get("/mentor/antrean").get_data(as_text=True)
    assert "Peserta Baru" in client.get("/mentor/antrean?status=accepted").get_data(as_text=True)


def test_queue_shows_only_the_newest_version(client, world, waiting):
    waiting.status = "needs_revision"
    db.session.commit()
    newer = submit(world["participant"], world["enrollment"])
    login(client, world["mentor"])
    page = client.get("/mentor/antrean?status=all").get_data(as_text=True)
    assert f"/mentor/kiriman/{newer.id}" in page and f"/mentor/kiriman/{waiting.id}\"" not in page


def test_staff_overview_lists_everyone_with_mentor_filter(client, world):
    submit(world["participant"], world["enrollment"])
    submit(world["other_participant"], world["other_enrollment"])
    login(client, world["staff"])
    page = client.get("/penilaian").get_data(as_text=True)
    assert "Peserta Satu" in page and "Peserta Dua" in page and "Mentor Satu" in page
    filtered = client.get(f"/penilaian?mentor={world['other_mentor'].id}").get_data(as_text=True)
    assert "Peserta Dua" in filtered and "Peserta Satu" not in filtered
    outbox = client.get("/kotak-keluar").get_data(as_text=True)
    assert "Kiriman tugas baru" in outbox and "https://wa.me/62" in outbox


@contextmanager
def counting_queries():
    """Count the SQL statements run inside the block."""
    statements = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before_cursor_execute)


def add_participants(world, how_many: int, start: int) -> None:
    """Give the mentor more participants, each with a reviewed and a waiting version."""
    for number in range(start, start + how_many):
        user = person(name=f"Peserta {number}", regency_code="1275")
        enrollment = enroll_participant(user, world["cohort"], mentor=world["mentor"])
        first = submit(user, enrollment)
        first.status = "needs_revision"
        db.session.add(Review(submission_id=first.id, mentor_id=world["mentor"].id, decision="needs_revision",
                              scores={}, total_points=0, max_points=16))
        db.session.commit()
        submit(user, enrollment, photo=True)
        submit(user, enrollment, "homepage-web-usaha")


@pytest.mark.parametrize(("role", "url"), [("mentor", "/mentor/antrean?status=all"), ("staff", "/penilaian?status=all"),
                                           ("mentor", "/")])
def test_queue_pages_use_a_constant_number_of_queries(client, world, role, url):
    login(client, world[role])
    counts = []
    for start, how_many in ((100, 2), (200, 8)):
        add_participants(world, how_many, start)
        client.get(url)  # warm up: session refresh, content cache
        with counting_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


# --- turnaround ------------------------------------------------------------------


def reviewed_after(app, world, mentor, waited: float, decision="needs_revision") -> Submission:
    """Send a version, backdate it by `waited` hours, and review it through the real operation."""
    user = person()
    submission = submit(user, enroll_participant(user, world["cohort"], mentor=mentor))
    submission.created_at = utcnow() - timedelta(hours=waited)
    db.session.commit()
    scores = {criterion: levels[0] for criterion, levels in rubric_levels().items()}
    with app.test_request_context():  # the participant's notice carries a link
        review, _ = operations.review_submission(submission.id, mentor, decision=decision, scores=scores,
                                                 feedback="Tambahkan harga")
    assert round(review.waited_hours) == waited
    return submission


def test_mentor_workload_counts_waiting_and_median_hours(app, world):
    mentor, other = world["mentor"], world["other_mentor"]
    for index, waited in enumerate([2, 10, 4]):
        submission = reviewed_after(app, world, mentor, waited)
        # a later review of the same version (older data) has no wait of its own and does not count
        db.session.add(Review(submission_id=submission.id, mentor_id=mentor.id, decision="accepted", scores={},
                              total_points=0, max_points=16, created_at=utcnow() + timedelta(hours=100)))
        db.session.commit()
        if index == 0:
            submit(submission.user, submission.enrollment)  # a new version waits
    submit(world["participant"], world["enrollment"])  # waits for mentor
    submit(world["other_participant"], world["other_enrollment"])  # waits for the other mentor
    workload = mentor_workload([mentor.id, other.id])
    assert workload[mentor.id] == MentorWorkload(waiting=2, median_hours=4.0)
    assert workload[other.id] == MentorWorkload(waiting=1, median_hours=None)
    allocate_mentor(world["enrollment"], other, assigned_by=None)
    db.session.commit()
    assert mentor_workload()[other.id].waiting == 2
    assert mentor_workload([]) == {}


def test_mentor_workload_covers_every_mentor_by_default(world):
    spare = person(Role.MENTOR)
    assert mentor_workload()[spare.id] == MentorWorkload(waiting=0, median_hours=None)


def test_mentor_workload_median_of_an_even_count_averages_the_middle_two(app, world):
    mentor = world["mentor"]
    for waited in (2, 10, 4, 7):
        reviewed_after(app, world, mentor, waited, decision="accepted")
    assert mentor_workload([mentor.id])[mentor.id].median_hours == 5.5


# --- history for the mentor and grade corrections (issue 13, §3) ---------------------

REVISE = {"profil-usaha": "2", "tantangan-target": "2", "keamanan-akun": "2", "foto-usaha": "0"}


def correct(client, submission, decision, reason="Salah pilih nilai", scores=None, feedback="Koreksi"):
    data = {f"score-{cid}": points for cid, points in (ORIENTASI_SCORES if scores is None else scores).items()}
    return client.post(f"/kiriman/{submission.id}/koreksi",
                       data={**data, "decision": decision, "feedback": feedback, "reason": reason})


def progress_row(user):
    from lms.models import ModuleProgress

    db.session.expire_all()
    row = db.session.get(ModuleProgress, (user.id, "orientasi"))
    return row.accepted_at if row else None


def rebuild_agrees() -> bool:
    from lms import progress
    from lms.models import ModuleProgress

    kept = set(db.session.execute(select(ModuleProgress.user_id, ModuleProgress.module_id, ModuleProgress.read_at,
                                         ModuleProgress.best_quiz_score, ModuleProgress.accepted_at)).all())
    return kept == set(db.session.execute(progress.facts_statement()).all())


def test_the_page_for_version_n_shows_the_feedback_given_on_the_version_before(client, world, waiting):
    login(client, world["mentor"])
    grade(client, waiting, "needs_revision", scores=REVISE, feedback="Fotonya gelap sekali")
    second = submit(world["participant"], world["enrollment"], text="Versi dua")
    page = client.get(f"/mentor/kiriman/{second.id}").get_data(as_text=True)
    assert "Masukan dan nilai untuk versi 1" in page and "Fotonya gelap sekali" in page
    assert "Nilai 6 dari 14" in page


def test_the_mentor_opening_a_version_is_noted_once(client, world, waiting):
    assert waiting.opened_at is None
    login(client, world["mentor"])
    client.get(f"/mentor/kiriman/{waiting.id}")
    db.session.expire_all()
    first_seen = waiting.opened_at
    assert first_seen is not None
    client.get(f"/mentor/kiriman/{waiting.id}")
    db.session.expire_all()
    assert waiting.opened_at == first_seen


def test_a_correction_that_takes_acceptance_away(client, world, waiting, runner):
    login(client, world["mentor"])
    grade(client, waiting)
    assert progress_row(world["participant"]) is not None
    response = correct(client, waiting, "needs_revision", scores=REVISE, reason="Foto ternyata bukan milik usaha")
    assert response.status_code == 302
    db.session.expire_all()
    assert waiting.status == "needs_revision" and len(waiting.reviews) == 2
    old, new = waiting.reviews
    assert old.decision == "accepted" and new.corrects_id == old.id and new.waited_hours is None
    assert new.correction_reason == "Foto ternyata bukan milik usaha"
    assert progress_row(world["participant"]) is None  # the first-acceptance fact was withdrawn
    assert rebuild_agrees()
    notice = db.session.scalar(select(Notification).where(Notification.kind == "review.corrected"))
    assert notice.user_id == world["participant"].id and "Foto ternyata bukan milik usaha" in notice.message
    assert count(AuditEvent.__table__.select().where(AuditEvent.action == "review.correct").subquery()) == 1
    page = client.get(f"/kiriman/{waiting.id}").get_data(as_text=True)
    assert "sudah dikoreksi" in page and "Koreksi nilai" in page
    # The participant may now send a new version, and `flask lms progress rebuild` keeps the table as it is.
    second = submit(world["participant"], world["enrollment"], text="Versi dua")
    assert second.version_no == 2
    result = runner.invoke(args=["lms", "progress", "rebuild"])
    assert result.exit_code == 0 and progress_row(world["participant"]) is None


def test_a_correction_that_grants_acceptance(client, world, waiting, runner):
    login(client, world["mentor"])
    grade(client, waiting, "needs_revision", scores=REVISE, feedback="Perbaiki")
    assert progress_row(world["participant"]) is None
    assert correct(client, waiting, "accepted", reason="Target sudah terukur").status_code == 302
    db.session.expire_all()
    assert waiting.status == "accepted"
    accepted_at = progress_row(world["participant"])
    assert accepted_at == waiting.reviews[-1].created_at
    assert rebuild_agrees()
    runner.invoke(args=["lms", "progress", "rebuild"])
    assert progress_row(world["participant"]) == accepted_at


def test_accept_revise_accept_counts_the_last_acceptance(client, world, waiting):
    login(client, world["mentor"])
    grade(client, waiting)
    correct(client, waiting, "needs_revision", scores=REVISE)
    correct(client, waiting, "accepted", scores={**ORIENTASI_SCORES, "keamanan-akun": "4"})
    db.session.expire_all()
    assert [r.decision for r in waiting.reviews] == ["accepted", "needs_revision", "accepted"]
    assert progress_row(world["participant"]) == waiting.reviews[-1].created_at
    assert rebuild_agrees()


def test_staff_may_correct_but_other_people_may_not(client, world, waiting):
    login(client, world["mentor"])
    grade(client, waiting)
    for who, status in (("participant", 404), ("other_participant", 404), ("other_mentor", 404)):
        someone = client.application.test_client()
        login(someone, world[who])
        assert correct(someone, waiting, "needs_revision", scores=REVISE).status_code == status
    db.session.expire_all()
    assert len(waiting.reviews) == 1 and waiting.status == "accepted"
    staff = client.application.test_client()
    login(staff, world["staff"])
    assert correct(staff, waiting, "needs_revision", scores=REVISE, reason="Keluhan peserta").status_code == 302
    db.session.expire_all()
    assert waiting.reviews[-1].mentor_id == world["staff"].id and waiting.status == "needs_revision"


def test_a_correction_needs_a_reason_and_changes_nothing_without_one(client, world, waiting):
    login(client, world["mentor"])
    grade(client, waiting)
    response = correct(client, waiting, "needs_revision", scores=REVISE, reason="   ", feedback="Masukan baru")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Tulis alasan koreksi." in page and "Masukan baru" in page
    db.session.expire_all()
    assert len(waiting.reviews) == 1 and waiting.status == "accepted"


def test_only_the_newest_versions_review_can_be_corrected(client, world, waiting):
    login(client, world["mentor"])
    grade(client, waiting, "needs_revision", scores=REVISE, feedback="Perbaiki")
    submit(world["participant"], world["enrollment"], text="Versi dua")
    page = client.get(f"/kiriman/{waiting.id}/koreksi").get_data(as_text=True)
    assert "hanya untuk versi terbaru" in page
    correct(client, waiting, "accepted")
    db.session.expire_all()
    assert len(waiting.reviews) == 1 and waiting.status == "needs_revision"


def test_a_waiting_version_has_nothing_to_correct(client, world, waiting):
    login(client, world["mentor"])
    assert client.get(f"/kiriman/{waiting.id}/koreksi").status_code == 403


def test_a_withdrawn_version_cannot_be_reviewed(world, waiting):
    operations.withdraw_submission(world["participant"], waiting.id)
    with current_app.test_request_context(), pytest.raises(operations.ReviewRefused, match="menarik"):
        operations.review_submission(waiting.id, world["mentor"], decision="accepted", scores=ORIENTASI_SCORES,
                                     feedback="")
    assert count(Review) == 0
