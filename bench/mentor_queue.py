"""Benchmark: the mentor queue and the staff overview with 1,700 participants × 6 assignments × 2 versions.

    .venv/bin/python bench/mentor_queue.py                      # SQLite in a temporary folder
    .venv/bin/python bench/mentor_queue.py --database-url postgresql://lms:lms@127.0.0.1:5432/lms_bench_assignments

Bulk-inserts a cohort in two steps (first 170 participants, then up to 1,700), each
participant with 6 assignments × 2 versions (version 1 reviewed "needs revision",
version 2 waiting, accepted or again needing revision) and the real rubric
snapshots, 17 mentors with 100 participants each. After each step it renders
the mentor queue (/mentor/antrean), the same queue with every status, and the
staff overview (/penilaian) through the Flask test client (no HTTP server: this
times the application and the database), and prints the median and worst of
20 warm requests and the SQL queries per request. The query counts must be the
same at both sizes. On PostgreSQL the database's schema is dropped and rebuilt first.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import g  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import event, func, insert, select  # noqa: E402

from bench._setup import database_url, migrate_fresh  # noqa: E402
from lms import accounts, create_app  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.learn.store import get_content  # noqa: E402
from lms.models import (  # noqa: E402
    Cohort,
    Enrollment,
    MentorAllocation,
    ParticipantProfile,
    Review,
    Role,
    Submission,
    User,
    utcnow,
)
from lms.regions import REGENCIES  # noqa: E402

MODULES = ["orientasi", "pembuatan-konten", "homepage-web-usaha", "manajemen-media-sosial", "landing-page",
           "penganggaran-iklan"]
MENTORS = 17
SIZES = (170, 1700)
CHUNK = 5_000
RUNS = 20
PASSWORD = "bench-password"  # noqa: S105 - a throwaway account in a throwaway database
PAGES = [
    ("mentor queue (waiting)", "mentor", "/mentor/antrean"),
    ("mentor queue (all statuses, page 3)", "mentor", "/mentor/antrean?status=all&page=3"),
    ("staff overview (waiting)", "staff", "/penilaian"),
    ("staff overview (all, regency filter)", "staff", "/penilaian?status=all&regency=1275"),
]


def insert_rows(model, rows: list[dict]) -> None:
    """Insert many rows with executemany, in chunks."""
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model.__table__), rows[start : start + CHUNK])


def make_people() -> tuple[Cohort, list[User], User]:
    """Create the cohort, the mentors and a staff account (through the real account code)."""
    cohort = Cohort(name="Bench", slug="bench", course_id="ftd-umkm", start_date=date(2026, 11, 2),
                    bootcamp_date=date(2026, 11, 16), graduation_date=date(2026, 12, 14))
    db.session.add(cohort)
    mentors = [accounts.create_user(name=f"Mentor {i:02d}", phone_text=f"08110000{i:04d}", role=Role.MENTOR,
                                    password=PASSWORD) for i in range(MENTORS)]
    staff = accounts.create_user(name="Staf Bench", phone_text="081100009999", role=Role.STAFF, password=PASSWORD)
    db.session.commit()
    return cohort, mentors, staff


def add_participants(cohort: Cohort, mentors: list[User], first: int, last: int, rng: random.Random) -> None:
    """Bulk-insert participants first..last-1 with enrollments, allocations, submissions and reviews."""
    snapshots = {m: get_content().modules[m].assignment.to_dict() for m in MODULES}
    now = utcnow()
    user_ids = list(range(100_000 + first, 100_000 + last))
    insert_rows(User, [{"id": uid, "name": f"Peserta {uid}", "phone": f"+62813{uid:08d}", "role": "participant",
                        "active": True, "created_at": now} for uid in user_ids])
    insert_rows(ParticipantProfile, [{"user_id": uid, "business_name": f"Usaha {uid}", "sector": "kuliner",
                                      "regency_code": rng.choice(REGENCIES).code, "updated_at": now}
                                     for uid in user_ids])
    insert_rows(Enrollment, [{"id": uid, "cohort_id": cohort.id, "user_id": uid, "status": "active",
                              "status_changed_at": now, "created_at": now} for uid in user_ids])
    insert_rows(MentorAllocation, [{"enrollment_id": uid, "mentor_id": mentors[uid % MENTORS].id, "started_at": now}
                                   for uid in user_ids])
    submissions, reviews = [], []
    next_id = (db.session.scalar(select(func.max(Submission.id))) or 0) + 1
    for uid in user_ids:
        mentor_id = mentors[uid % MENTORS].id
        for module_id in MODULES:
            sent = now - timedelta(hours=rng.randint(24, 400))
            second_status = rng.choice(["submitted", "submitted", "accepted", "needs_revision"])
            for version_no, status in ((1, "needs_revision"), (2, second_status)):
                created = sent + timedelta(hours=30 * (version_no - 1))
                submissions.append({
                    "id": next_id, "user_id": uid, "enrollment_id": uid, "module_id": module_id,
                    "assignment_version": snapshots[module_id]["version"],
                    "assignment_snapshot": snapshots[module_id], "version_no": version_no,
                    "text": "Rencana konten seminggu dan caption produk.", "client_token": f"bench-{next_id}",
                    "status": status, "created_at": created,
                })
                if status != "submitted":
                    reviews.append({"submission_id": next_id, "mentor_id": mentor_id, "decision": status,
                                    "scores": {}, "total_points": 10, "max_points": 20, "feedback": "Baik",
                                    "created_at": created + timedelta(hours=rng.randint(1, 72))})
                next_id += 1
    insert_rows(Submission, submissions)
    insert_rows(Review, reviews)
    db.session.commit()


def measure(client, url: str) -> tuple[float, float, int]:
    """Return the median and worst time in ms over warm requests, and the queries per request."""
    client.get(url)  # warm up: session refresh, content cache, template compile
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    response = client.get(url)
    event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), len(statements)


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with an empty `g` (see tests/conftest.py)."""

    def open(self, *args, **kwargs):
        for key in list(g):
            g.pop(key)
        return super().open(*args, **kwargs)


def logged_in_client(app, user: User):
    """Return a test client with the user logged in through the real form."""
    client = FreshRequestClient(app, app.response_class, use_cookies=True)
    response = client.post("/masuk", data={"identifier": user.phone, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def main() -> None:
    """Build the data in two sizes and print the timings and query counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (its public schema is dropped!); default: SQLite")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    url = database_url(args.database_url, folder)
    app = create_app({"SECRET_KEY": "bench", "PUBLIC_URL": "http://127.0.0.1:5000",
                      "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "UPLOAD_ROOT": str(folder / "uploads")})
    rng = random.Random(1700)  # noqa: S311 - reproducible test data
    results = {}
    with app.app_context():
        migrate_fresh()
        cohort, mentors, staff = make_people()
        done = 0
        for size in SIZES:
            started = time.perf_counter()
            add_participants(cohort, mentors, done, size, rng)
            done = size
            total = db.session.scalar(select(func.count()).select_from(Submission))
            print(f"\n{size} participants, {total} submissions (inserted in {time.perf_counter() - started:.1f} s) "
                  f"on {db.engine.dialect.name}")
            clients = {"mentor": logged_in_client(app, mentors[0]), "staff": logged_in_client(app, staff)}
            for label, role, page in PAGES:
                median, worst, queries = measure(clients[role], page)
                results.setdefault(label, []).append(queries)
                print(f"  {label:40s} median {median:7.1f} ms   worst {worst:7.1f} ms   {queries} queries")
    print()
    for label, counts in results.items():
        verdict = "same" if len(set(counts)) == 1 else "DIFFERENT"
        print(f"queries per request, {label}: {' vs '.join(map(str, counts))} ({verdict})")
    if any(len(set(counts)) != 1 for counts in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
