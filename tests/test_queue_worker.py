"""The real worker process: killed with SIGKILL in the middle of a bulk issue, restarted, and the job ends done.

This starts `flask --app wsgi lms worker` as a subprocess on a temporary instance
(SQLite database, SQLite Huey storage), the way `make run` does.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from lms import create_app, jobs
from lms.certificates import operations
from lms.extensions import db
from lms.models import BackgroundJob, Certificate, Role
from tests.conftest import enroll_participant, make_cohort, make_user
from tests.test_certificates import complete_course

PROJECT = Path(__file__).resolve().parent.parent
GRADUATES = 6
WAIT_SECONDS = 90  # a generous ceiling on a loaded machine; the test normally takes ~30 s


def start_worker(instance: Path, log: Path) -> subprocess.Popen:
    """Start the worker the way `make run` does, with its output in a log file."""
    env = {**os.environ, "LMS_INSTANCE_PATH": str(instance), "LMS_PUBLIC_URL": "http://127.0.0.1:5000"}
    env.pop("LMS_TEST_DATABASE_URL", None)
    with log.open("a") as out:
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "lms", "worker"],  # noqa: S603
                                cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_for(condition, what: str, log: Path):
    """Poll until condition() is truthy; fail with the worker's log after WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        db.session.expire_all()
        value = condition()
        db.session.commit()  # end the read, so SQLite shows the next poll the worker's writes
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{log.read_text()[-3000:]}")


def test_a_worker_killed_mid_job_resumes_it_after_restart_without_duplicates(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        "SECRET_KEY = 'worker-test'\nJOB_HEARTBEAT_SECONDS = 1\nCERTIFICATE_RENDER_PROCESSES = 1\n"
        # One certificate per batch, so the job is seen halfway (a batch's PDFs appear together).
        "CERTIFICATE_RENDER_BATCH = 1\n"
        "PASSWORD_HASH_METHOD = 'pbkdf2:sha256:1000'\n")
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("LMS_PUBLIC_URL", "http://127.0.0.1:5000")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("LMS_QUEUE_URL", raising=False)
    app = create_app({"TESTING": True})  # the web side: same instance, jobs go to the SQLite queue
    log = tmp_path / "worker.log"
    worker = None
    with app.app_context():
        try:
            upgrade()
            cohort = make_cohort()
            mentor = make_user(Role.MENTOR, name="Mentor")
            for index in range(GRADUATES):
                user = make_user(name=f"Lulusan {index}", business_name=f"Usaha {index}")
                complete_course(enroll_participant(user, cohort, mentor=mentor))
            pdfs = Path(app.config["CERTIFICATE_ROOT"])

            worker = start_worker(instance, log)
            job, created = operations.start_bulk_issue(cohort, started_by=None)
            assert created and job.status == "queued"

            def rendering_midway():
                found = db.session.get(BackgroundJob, job.id)
                rendered = len(list(pdfs.rglob("*.pdf"))) if pdfs.exists() else 0
                return found.status == "running" and 2 <= rendered < GRADUATES

            wait_for(rendering_midway, "the job to be halfway through rendering", log)
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            db.session.expire_all()
            killed = db.session.get(BackgroundJob, job.id)
            assert killed.status == "running" and killed.claimed_by.endswith(f":{worker.pid}")
            assert db.session.scalar(select(func.count(Certificate.id))) == GRADUATES  # created before the kill

            worker = start_worker(instance, log)  # it marks the dead job interrupted and resumes it
            done = wait_for(lambda: (j := db.session.get(BackgroundJob, job.id)).status == "done" and j,
                            "the resumed job to finish", log)
            assert done.attempts == 2 and done.result["issued"] == 0
            certificates = db.session.scalars(select(Certificate)).all()
            assert len(certificates) == GRADUATES
            assert len({(c.enrollment_id, c.kind) for c in certificates}) == GRADUATES
            assert all(c.pdf_path and (pdfs / c.pdf_path).is_file() for c in certificates)
            assert jobs.find_live_job(operations.JOB_KIND, cohort.id) is None
            assert "interrupted" in log.read_text()
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
            db.session.remove()
            db.engine.dispose()
