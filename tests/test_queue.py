"""The task queue: eager mode, job states, crash recovery, retry, idempotent re-runs, periodic tasks."""

import os
import socket
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms import jobs, queue
from lms.certificates import operations
from lms.config import Defaults
from lms.extensions import db
from lms.models import (
    ActivationCode,
    AuditEvent,
    BackgroundJob,
    Certificate,
    Enrollment,
    ImportBatch,
    PeriodicRun,
    QuizAttempt,
    User,
    UserSession,
    utcnow,
)
from lms.queue.periodic import run_periodic
from lms.staff.imports import applying
from lms.staff.imports import jobs as import_jobs
from lms.staff.imports import operations as import_operations
from tests.conftest import enroll_participant, login
from tests.test_certificates import complete_course, new_participant

# offline: answers from a phone still count this long after a time limit, so "overdue" means past it.
OFFLINE_GRACE = timedelta(minutes=Defaults.OFFLINE_QUIZ_GRACE_MINUTES)

FIXTURES = Path(__file__).parent / "fixtures"
DEAD_PID = 2**22 + 12345  # above Linux's pid_max: no process has it


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def graduates(world, n: int) -> list[Enrollment]:
    """Make `n` participants of the world's cohort eligible for a graduation certificate."""
    enrollments = []
    for index in range(n):
        user = new_participant(f"Lulusan Antrean {index}", business_name=f"Usaha {index}")
        enrollments.append(enroll_participant(user, world["cohort"], mentor=world["mentor"]))
    for enrollment in enrollments:
        complete_course(enrollment)
    return enrollments


def dead_running_job(world, **values) -> BackgroundJob:
    """A certificate job left `running` by a worker that was killed."""
    job = BackgroundJob(**{"kind": operations.JOB_KIND, "cohort_id": world["cohort"].id, "status": "running",
                           "attempts": 1, "started_at": utcnow(), "heartbeat_at": utcnow(),
                           "claimed_by": f"{socket.gethostname()}:{DEAD_PID}", **values})
    db.session.add(job)
    db.session.commit()
    return job


def cert_counts() -> tuple[int, int]:
    """Return (certificates, distinct enrollment+kind pairs among valid ones)."""
    db.session.expire_all()
    total = db.session.scalar(select(func.count(Certificate.id)))
    distinct = db.session.scalar(select(func.count()).select_from(
        select(Certificate.enrollment_id, Certificate.kind).where(Certificate.status == "valid").distinct().subquery()))
    return total, distinct


# --- The queue itself ---------------------------------------------------------------------


def test_tests_run_tasks_eagerly(app, world):
    assert queue.get_queue(app).huey.immediate
    graduates(world, 1)
    job, created = operations.start_bulk_issue(world["cohort"], started_by=world["staff"])
    assert created and job.status == "done" and job.result["issued"] == 1 and job.attempts == 1


def test_without_inline_mode_the_job_waits_in_sqlite_storage_for_a_worker(make_app, tmp_path, world, runner):
    other = make_app(QUEUE_SQLITE_PATH=str(tmp_path / "queue.sqlite3"))
    with other.app_context():
        app_queue = queue.get_queue(other)
        assert (app_queue.backend, app_queue.huey.immediate) == ("sqlite", False)
        job, created = jobs.start_job("certificates.issue", cohort_id=world["cohort"].id, created_by=None)
        assert created and job.status == "queued"
        assert app_queue.huey.pending_count() == 1  # a real message in instance storage, not a thread
        task = app_queue.huey.dequeue()
        app_queue.huey.execute(task)  # what the consumer does with it
        db.session.expire_all()
        assert db.session.get(BackgroundJob, job.id).status == "done"
        db.session.remove()


def test_queue_url_must_be_redis(make_app):
    other = make_app(QUEUE_URL="postgresql://x/y")
    with pytest.raises(RuntimeError, match="redis://"):
        queue.get_queue(other)


def test_a_redis_url_selects_redis_storage(make_app):
    other = make_app(QUEUE_URL="redis://127.0.0.1:6399/0")  # nothing listens there: made lazily, not contacted
    assert queue.get_queue(other).backend == "redis"


# --- States, interrupted detection, retry -----------------------------------------------------


def test_a_handler_that_raises_ends_failed_with_the_error_on_the_page(client, world, monkeypatch):
    def broken(job, report_progress):
        raise ValueError("template certificate.html is missing")

    monkeypatch.setattr(operations, "run_bulk_issue", broken)
    job, _created = operations.start_bulk_issue(world["cohort"], started_by=world["staff"])
    db.session.expire_all()
    job = db.session.get(BackgroundJob, job.id)
    assert job.status == "failed" and "template certificate.html is missing" in job.error and job.finished_at
    login(client, world["staff"])
    page = client.get(f"/staf/sertifikat/proses/{job.id}").get_data(as_text=True)
    assert "ValueError: template certificate.html is missing" in page and "Jalankan lagi" in page


def test_a_dead_workers_job_is_interrupted_and_no_longer_blocks_a_new_one(app, world):
    graduates(world, 2)
    dead = dead_running_job(world)
    job, created = operations.start_bulk_issue(world["cohort"], started_by=world["staff"])
    assert created and job.id != dead.id and job.status == "done" and job.result["issued"] == 2
    db.session.expire_all()
    dead = db.session.get(BackgroundJob, dead.id)
    assert dead.status == "interrupted" and str(DEAD_PID) in dead.error
    assert dead.error.startswith(jobs.WORKER_STOPPED + " ")  # a code the page words, not an English sentence


@pytest.mark.parametrize(("locale", "stopped", "reaped"), [
    ("id", "Pekerja berhenti saat proses berjalan.",
     "Pekerja {worker} berhenti (detak terakhir 1 Des 2026 09.30.05 WIB)."),
    ("en", "The worker stopped while the job ran.",
     "Worker {worker} stopped (last heartbeat 1 Dec 2026 09.30.05 WIB)."),
])
def test_an_interrupted_jobs_error_is_worded_in_the_readers_language(client, world, locale, stopped, reaped):
    worker = f"{socket.gethostname()}:{DEAD_PID}"
    plain = dead_running_job(world, status="interrupted", error=jobs.WORKER_STOPPED)
    dead = dead_running_job(world, status="interrupted", error=f"{jobs.WORKER_STOPPED} {worker} 2026-12-01T02:30:05")
    login(client, world["staff"])
    with client.session_transaction() as session:
        session["lang"] = locale
    page = client.get(f"/staf/sertifikat/proses/{plain.id}").get_data(as_text=True)
    assert f'<code data-testid="job-error">{stopped}</code>' in page and jobs.WORKER_STOPPED not in page
    page = client.get(f"/staf/sertifikat/proses/{dead.id}").get_data(as_text=True)
    assert reaped.format(worker=worker) in page
    # Any other error (a traceback) shows its last line, as before.
    assert jobs.error_message("Traceback (most recent call last):\n  ...\nValueError: boom\n") == "ValueError: boom"


def test_a_silent_job_on_another_host_is_interrupted_after_the_stale_time(app, world):
    quiet = dead_running_job(world, cohort_id=None)
    quiet.claimed_by, quiet.heartbeat_at = "other-host:12", utcnow() - timedelta(seconds=30)
    db.session.commit()
    assert jobs.reap_stale_jobs() == []  # 30 s without a beat is within JOB_STALE_SECONDS
    quiet.heartbeat_at = utcnow() - timedelta(seconds=app.config["JOB_STALE_SECONDS"] + 1)
    db.session.commit()
    assert jobs.reap_stale_jobs() == [quiet.id]
    assert db.session.get(BackgroundJob, quiet.id).status == "interrupted"


def test_a_live_workers_job_is_left_running(app, world):
    live = dead_running_job(world)
    live.claimed_by = jobs.worker_id()  # this process, which is alive
    db.session.commit()
    assert jobs.reap_stale_jobs() == []
    assert operations.start_bulk_issue(world["cohort"], started_by=None) == (live, False)


def test_the_worker_resumes_interrupted_jobs_up_to_the_limit(app, world):
    graduates(world, 1)
    resumable = dead_running_job(world)
    counts = jobs.recover_jobs()
    assert counts == {"interrupted": 1, "resumed": 1, "queued": 1}
    db.session.expire_all()
    job = db.session.get(BackgroundJob, resumable.id)
    assert job.status == "done" and job.attempts == 2 and job.result["issued"] == 1
    spent = dead_running_job(world, attempts=app.config["JOB_AUTO_RETRIES"] + 1)
    assert jobs.recover_jobs()["resumed"] == 0
    assert db.session.get(BackgroundJob, spent.id).status == "interrupted"  # now staff decide


def test_staff_retry_an_interrupted_job_from_its_page(client, world):
    graduates(world, 2)
    dead = dead_running_job(world)
    jobs.reap_stale_jobs()
    login(client, world["staff"])
    page = client.get(f"/staf/sertifikat/proses/{dead.id}").get_data(as_text=True)
    assert "Terputus" in page and f"/staf/operasional/proses/{dead.id}/ulang" in page
    response = client.post(f"/staf/operasional/proses/{dead.id}/ulang")
    assert response.headers["Location"].endswith(f"/staf/sertifikat/proses/{dead.id}")
    db.session.expire_all()
    job = db.session.get(BackgroundJob, dead.id)
    assert job.status == "done" and job.result["issued"] == 2
    assert cert_counts() == (2, 2)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job.retry")).actor_id == world["staff"].id


def test_retry_is_refused_for_a_done_job_and_while_a_newer_one_is_live(client, world):
    login(client, world["staff"])
    done = BackgroundJob(kind=operations.JOB_KIND, cohort_id=world["cohort"].id, status="done")
    failed = BackgroundJob(kind=operations.JOB_KIND, cohort_id=world["cohort"].id, status="failed")
    live = BackgroundJob(kind=operations.JOB_KIND, cohort_id=world["cohort"].id, status="running",
                         heartbeat_at=utcnow(), claimed_by=jobs.worker_id())
    db.session.add_all([done, failed, live])
    db.session.commit()
    page = client.post(f"/staf/operasional/proses/{done.id}/ulang", follow_redirects=True).get_data(as_text=True)
    assert "Hanya proses yang gagal atau terputus" in page
    page = client.post(f"/staf/operasional/proses/{failed.id}/ulang", follow_redirects=True).get_data(as_text=True)
    assert "sedang berjalan" in page
    db.session.expire_all()
    assert [db.session.get(BackgroundJob, j.id).status for j in (done, failed, live)] == ["done", "failed", "running"]
    assert client.post("/staf/operasional/proses/999999/ulang").status_code == 404


def test_retry_needs_the_csrf_token(make_app, world):
    import re

    from tests.conftest import TEST_PASSWORD

    strict = make_app(WTF_CSRF_ENABLED=True, JOBS_RUN_INLINE=True)
    failed = BackgroundJob(kind=operations.JOB_KIND, cohort_id=world["cohort"].id, status="failed")
    db.session.add(failed)
    db.session.commit()
    client = strict.test_client()
    with strict.app_context():
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/masuk").get_data(as_text=True))[1]
        signed_in = client.post("/masuk", data={"identifier": world["staff"].phone, "password": TEST_PASSWORD,
                                                "csrf_token": token})
        assert signed_in.status_code == 302
        assert client.post(f"/staf/operasional/proses/{failed.id}/ulang").status_code == 400
        db.session.remove()
    db.session.expire_all()
    assert db.session.get(BackgroundJob, failed.id).status == "failed"


# --- Idempotent re-runs ---------------------------------------------------------------------------


def test_bulk_issue_that_crashes_halfway_finishes_on_retry_without_duplicates(client, world, monkeypatch):
    graduates(world, 5)
    monkeypatch.setattr(operations, "CREATE_CHUNK", 2)
    original, calls = operations.create_certificate, []

    def crash_on_the_fourth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise OSError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(operations, "create_certificate", crash_on_the_fourth)
    job, _created = operations.start_bulk_issue(world["cohort"], started_by=world["staff"])
    db.session.expire_all()
    assert db.session.get(BackgroundJob, job.id).status == "failed"
    assert cert_counts() == (2, 2)  # the first chunk was committed, the second rolled back
    login(client, world["staff"])
    client.post(f"/staf/operasional/proses/{job.id}/ulang")
    db.session.expire_all()
    job = db.session.get(BackgroundJob, job.id)
    # The retry issues the other 3 and says the first chunk's 2 already existed (nothing twice).
    assert job.status == "done" and job.result["issued"] == 3 and job.result["already_issued"] == 2
    assert cert_counts() == (5, 5)
    jobs.requeue(job.id, statuses=("done",))  # run the very same job a third time
    jobs.run_job(job.id)
    assert cert_counts() == (5, 5)


def test_a_job_killed_after_its_work_committed_creates_nothing_on_resume(app, world):
    graduates(world, 3)
    job, _created = operations.start_bulk_issue(world["cohort"], started_by=None)
    assert cert_counts() == (3, 3)
    # The worker died after the last commit but before marking the job done.
    job.status, job.claimed_by = "running", f"{socket.gethostname()}:{DEAD_PID}"
    db.session.commit()
    jobs.recover_jobs()
    db.session.expire_all()
    job = db.session.get(BackgroundJob, job.id)
    assert job.status == "done" and job.attempts == 2 and job.result["issued"] == 0
    assert cert_counts() == (3, 3)


def test_the_partial_unique_index_refuses_a_second_valid_certificate(app, world):
    (enrollment,) = graduates(world, 1)
    operations.create_many([(enrollment.id, "graduation")], issued_by=None)
    db.session.add(Certificate(enrollment_id=enrollment.id, kind="graduation", number="X-1", code="C" * 12,
                               name="dup", business_name="", course_title="", cohort_name="",
                               graduation_date=world["cohort"].graduation_date))
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        db.session.commit()
    db.session.rollback()
    assert cert_counts() == (1, 1)


def test_import_that_crashes_halfway_is_retried_from_its_page_without_duplicates(client, world, monkeypatch):
    staff = world["staff"]
    batch = import_operations.store_upload((FIXTURES / "pendaftar_bom.csv").read_bytes(), "pendaftar.csv",
                                           world["cohort"], uploaded_by=staff)
    import_operations.save_mapping_and_preview(batch, batch.mapping, actor=staff)
    users_before = count(User)
    original = applying._insert

    def crash_after_the_profiles(model, rows):
        if model.__name__ == "EnrollmentStatusChange":
            raise OSError("killed")
        return original(model, rows)

    monkeypatch.setattr(applying, "_insert", crash_after_the_profiles)
    job = import_jobs.start_import(batch, started_by=staff)
    db.session.expire_all()
    assert db.session.get(BackgroundJob, job.id).status == "failed" and count(User) == users_before
    monkeypatch.setattr(applying, "_insert", original)
    login(client, staff)
    page = client.get(f"/staf/impor/{batch.id}/proses?job={job.id}").get_data(as_text=True)
    assert "Jalankan lagi" in page
    client.post(f"/staf/operasional/proses/{job.id}/ulang")
    db.session.expire_all()
    job = db.session.get(BackgroundJob, job.id)
    created = job.result["create"]
    assert job.status == "done" and created > 0 and count(User) == users_before + created
    enrollments = count(Enrollment)
    jobs.requeue(job.id, statuses=("done",))  # the same import once more: nothing new
    jobs.run_job(job.id)
    db.session.expire_all()
    assert count(User) == users_before + created and count(Enrollment) == enrollments
    assert db.session.get(BackgroundJob, job.id).result["create"] == 0
    assert db.session.get(ImportBatch, batch.id).status == "imported"


# --- CLI ---------------------------------------------------------------------------------------


def test_certificates_issue_cli_does_not_follow_a_dead_job(runner, world):
    graduates(world, 2)
    dead = dead_running_job(world)
    result = runner.invoke(args=["lms", "certificates", "issue", "--cohort", world["cohort"].slug])
    assert result.exit_code == 0, result.output
    assert "Issued 2 new certificate(s)" in result.output and "following" not in result.output
    db.session.expire_all()
    assert db.session.get(BackgroundJob, dead.id).status == "interrupted"
    assert cert_counts() == (2, 2)


def test_jobs_run_cli_runs_interrupted_and_queued_jobs(runner, world):
    graduates(world, 1)
    dead = dead_running_job(world)
    result = runner.invoke(args=["lms", "jobs", "run"])
    assert result.exit_code == 0 and "Ran 1 queued or interrupted job(s)" in result.output
    db.session.expire_all()
    assert db.session.get(BackgroundJob, dead.id).status == "done" and cert_counts() == (1, 1)


# --- Periodic tasks -----------------------------------------------------------------------------


def test_overdue_quiz_attempts_are_graded_once_by_the_periodic_task(client, world):
    from lms.quiz.demo import right_answer
    from lms.quiz.versions import quiz_for_version

    login(client, world["participant"])
    response = client.post("/belajar/ftd-umkm/penganggaran-iklan/kuis/mulai")
    attempt = db.session.get(QuizAttempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    quiz = quiz_for_version(attempt.quiz_version_id)
    data = {"seq": "1", "shown": [q.id for q in quiz.questions]}
    data.update({f"q-{q.id}": right_answer(q) for q in quiz.questions})
    client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=data)
    attempt.deadline_at = utcnow() - timedelta(minutes=1) - OFFLINE_GRACE
    db.session.commit()
    run = run_periodic("quiz.grade_overdue")
    assert run.ok and run.summary == "1 overdue attempt(s) graded"
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt.id)
    assert attempt.auto_submitted and attempt.score == 100
    assert run_periodic("quiz.grade_overdue").summary == "0 overdue attempt(s) graded"
    graded = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "quiz.graded")).all()
    assert len(graded) == 1
    page = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)  # the lazy path finds it graded
    assert "Nilai: 100" in page and len(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "quiz.graded")).all()) == 1


def test_orphan_uploads_older_than_a_day_are_deleted_and_logged(client, world, app, caplog, monkeypatch):
    import logging

    from lms.assignments import tasks, uploads

    # Alembic's logging.config.fileConfig (run by upgrade() in other tests) disables loggers made before it.
    monkeypatch.setattr(logging.getLogger(tasks.log.name), "disabled", False)
    from tests.permissions.assignments import extend_world

    extend_world(world)  # a real submission with a stored photo and its thumbnail
    stored = world["submission_file"]
    root = uploads.upload_root()
    old = utcnow().timestamp() - 25 * 3600
    kept = [root / stored.stored_name, root / stored.thumbnail_name]
    orphan, temp_left, young = root / "0rphan.png", root / ".upload-abc", root / "just-stored.pdf"
    for path in (orphan, temp_left, young):
        path.write_bytes(b"x" * 10)
    for path in (*kept, orphan, temp_left):
        os.utime(path, (old, old))
    with caplog.at_level("WARNING", logger="lms.assignments.tasks"):
        run = run_periodic("uploads.delete_orphans")
    assert run.ok and run.summary.startswith("2 orphan file(s) deleted, 1 recent")
    assert all(path.exists() for path in (*kept, young)) and not orphan.exists() and not temp_left.exists()
    assert "0rphan.png" in caplog.text and ".upload-abc" in caplog.text


def test_expired_sessions_and_codes_are_purged(app, world):
    now = utcnow()
    user = world["participant"]
    db.session.add_all([
        UserSession(user_id=user.id, token_hash="a" * 64, last_seen_at=now),
        UserSession(user_id=user.id, token_hash="b" * 64, last_seen_at=now, revoked_at=now),
        UserSession(user_id=user.id, token_hash="c" * 64, last_seen_at=now - timedelta(days=45)),
        ActivationCode(user_id=user.id, code_hash="d" * 64, expires_at=now + timedelta(days=1)),
        ActivationCode(user_id=user.id, code_hash="e" * 64, expires_at=now - timedelta(minutes=1)),
    ])
    db.session.commit()
    run = run_periodic("auth.purge_expired")
    assert run.ok and run.summary == "2 session(s) and 1 activation code(s) deleted"
    db.session.expire_all()
    assert [s.token_hash[0] for s in db.session.scalars(select(UserSession))] == ["a"]
    assert [c.code_hash[0] for c in db.session.scalars(select(ActivationCode))] == ["d"]


def test_nightly_backup_writes_a_real_archive_and_records_it(app, tmp_path):
    from lms.backup import verify_backup

    app.config["BACKUP_DIR"] = str(tmp_path / "backups")
    run = run_periodic("backup.nightly")
    archives = list((tmp_path / "backups").iterdir())
    assert run.ok and len(archives) == 1 and archives[0].name in run.summary
    verify_backup(archives[0])  # raises if the archive is not whole


def test_a_failing_nightly_backup_is_recorded_as_failed(app, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    app.config["BACKUP_DIR"] = str(blocker)
    run = run_periodic("backup.nightly")
    assert run.ok is False and run.runs == 1


def test_a_failing_periodic_task_is_recorded_and_a_later_area_can_register_one(app, client, world):
    from huey import crontab

    def flaky() -> str:
        raise RuntimeError("WhatsApp gateway down")

    queue.register_periodic(queue.PeriodicTask(name="test.reminders", schedule=crontab(minute="0"), function=flaky,
                                               label="Pengingat", when="hourly"))
    try:
        run = run_periodic("test.reminders")
        assert run.ok is False and "WhatsApp gateway down" in run.summary and run.finished_at
        login(client, world["staff"])
        page = client.get("/staf/operasional/").get_data(as_text=True)
        assert 'data-task="test.reminders"' in page and "WhatsApp gateway down" in page
    finally:
        queue.PERIODIC.pop("test.reminders")


def test_every_periodic_task_is_scheduled_on_the_huey_instance(make_app, tmp_path):
    other = make_app(QUEUE_SQLITE_PATH=str(tmp_path / "q.sqlite3"))
    names = {t.__name__ for t in queue.get_queue(other).huey._registry._periodic_tasks}
    assert {"quiz.grade_overdue", "uploads.delete_orphans", "auth.purge_expired", "backup.nightly",
            "queue.heartbeat", "jobs.recover"} <= names


# --- Staff page and health ---------------------------------------------------------------------


def test_staff_page_lists_jobs_states_and_periodic_runs(client, world):
    for status in jobs.STATUSES:
        db.session.add(BackgroundJob(kind=operations.JOB_KIND, cohort_id=None, status=status))
    db.session.commit()
    run_periodic("queue.heartbeat")
    login(client, world["staff"])
    home = client.get("/").get_data(as_text=True)
    assert "/staf/operasional/" in home
    page = client.get("/staf/operasional/").get_data(as_text=True)
    for status in jobs.STATUSES:
        assert f'data-status="{status}"' in page
    for label in ("Menunggu", "Berjalan", "Selesai", "Gagal", "Terputus"):
        assert label in page
    assert page.count("Jalankan lagi") == 2  # the failed and the interrupted one
    assert 'data-task="quiz.grade_overdue"' in page and "worker " in page and "belum pernah" in page
    assert db.session.get(PeriodicRun, "queue.heartbeat").runs == 1


def test_healthz_reports_the_queue(client, app):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["queue"] == {"backend": "immediate", "reachable": True, "pending": 0, "worker_last_seen": None}
    run_periodic("queue.heartbeat")
    assert client.get("/healthz").get_json()["queue"]["worker_last_seen"].startswith(str(utcnow().year))


def test_healthz_says_when_the_queue_cannot_be_reached(make_app):
    other = make_app(QUEUE_URL="redis://127.0.0.1:1/0")  # a closed port
    body = other.test_client().get("/healthz").get_json()
    assert body["queue"]["reachable"] is False and body["queue"]["backend"] == "redis"
    assert body["queue"]["pending"] is None


def test_graduation_runs_from_the_scheduler_on_the_date(app, world):
    from lms.models import Enrollment

    run = run_periodic("certificates.graduate_due")
    assert run.ok
    assert db.session.get(Enrollment, world["enrollment"].id).status == "active"  # no certificate: not graduated
