"""Benchmark: the cohort dashboard with 1,000 and 100,000 synthetic participants.

    .venv/bin/python bench/dashboard.py                      # SQLite in a temporary folder
    .venv/bin/python bench/dashboard.py --database-url postgresql://lms:lms@127.0.0.1:5432/lms_bench_staff

Bulk-inserts two cohorts (1,000 and 100,000 participants spread over the 33
regencies, with reads, quiz attempts, submissions, reviews and mentor
allocations), rebuilds the module_progress summary from them (bulk inserts
bypass the writers that keep it), then renders each cohort's dashboard through the test client and
prints the render time (median of 5 requests) and the number of SQL queries per
request, twice: with the per-process cache of the progress figures turned off
(every request computes everything) and on (DASHBOARD_CACHE_SECONDS=60, what
staff normally get). The query count must be the same at both sizes. On
PostgreSQL the database's schema is dropped and rebuilt first.
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

from sqlalchemy import event, insert, text  # noqa: E402

from bench._setup import database_url, migrate_fresh  # noqa: E402
from lms import create_app  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.models import (  # noqa: E402
    Cohort,
    Enrollment,
    MentorAllocation,
    ModuleRead,
    ParticipantProfile,
    QuizAttempt,
    QuizVersion,
    Review,
    Submission,
    User,
    UserSession,
    token_digest,
    utcnow,
)
from lms.progress import rebuild_module_progress  # noqa: E402
from lms.regions import REGENCIES  # noqa: E402

MODULES = ["orientasi", "pembuatan-konten", "homepage-web-usaha", "manajemen-media-sosial", "landing-page",
           "penganggaran-iklan", "marketplace-legalitas"]
CHUNK = 20_000
MENTORS = 25
STATUSES = ["registered"] * 5 + ["selected"] * 5 + ["active"] * 80 + ["graduated"] * 5 + ["withdrawn"] * 5
SESSION_TOKEN = "bench-session-token"  # noqa: S105 - a throwaway session in a throwaway database


def insert_rows(model, rows: list[dict]) -> None:
    """Insert many rows with executemany, in chunks."""
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model.__table__), rows[start : start + CHUNK])


class Ids:
    """Hands out explicit primary keys, so related rows can be built without RETURNING."""

    def __init__(self):
        self.next: dict[str, int] = {}

    def take(self, model, count: int) -> range:
        start = self.next.get(model.__tablename__, 1)
        self.next[model.__tablename__] = start + count
        return range(start, start + count)


def build_cohort(ids: Ids, slug: str, size: int, mentor_ids: list[int], version_ids: dict[str, int], rng) -> int:
    """Insert one cohort with `size` participants and their progress; return its id."""
    cohort_id = ids.take(Cohort, 1)[0]
    insert_rows(Cohort, [dict(id=cohort_id, name=f"Bench {size}", slug=slug, course_id="ftd-umkm",
                              start_date=date(2026, 11, 2), bootcamp_date=date(2026, 11, 16),
                              graduation_date=date(2026, 12, 14), signatory1_name="", signatory1_title="",
                              signatory2_name="", signatory2_title="", created_at=utcnow())])
    user_ids = ids.take(User, size)
    enrollment_ids = ids.take(Enrollment, size)
    now = utcnow()
    users, profiles, enrollments, allocations = [], [], [], []
    reads, attempts, submissions, reviews = [], [], [], []
    submission_ids = iter(ids.take(Submission, size * len(MODULES)))
    review_ids = iter(ids.take(Review, size * len(MODULES)))
    for user_id, enrollment_id in zip(user_ids, enrollment_ids, strict=True):
        status = rng.choice(STATUSES)
        seen = now - timedelta(days=rng.randint(0, 30))
        users.append(dict(id=user_id, name=f"Peserta {user_id}", phone=f"+62819{user_id:08d}", role="participant",
                          active=True, created_at=now, last_seen_at=seen))
        profiles.append(dict(user_id=user_id, business_name=f"Usaha {user_id}", sector="kuliner",
                             regency_code=rng.choice(REGENCIES).code, address="", instagram_url="",
                             facebook_url="", tiktok_url="", marketplace_url="", website_url="", updated_at=now))
        enrollments.append(dict(id=enrollment_id, cohort_id=cohort_id, user_id=user_id, status=status,
                                status_changed_at=now - timedelta(days=40), created_at=now))
        allocations.append(dict(enrollment_id=enrollment_id, mentor_id=rng.choice(mentor_ids), started_at=now))
        if status not in ("active", "graduated"):
            continue
        for module_id in MODULES[: rng.randint(0, len(MODULES))]:
            reads.append(dict(user_id=user_id, module_id=module_id, module_version="v1", read_at=now))
            attempts.append(dict(user_id=user_id, course_id="ftd-umkm", module_id=module_id,
                                 quiz_version_id=version_ids[module_id], number=1, choice_order={},
                                 draft_answers={}, draft_seq=0, started_at=now, submitted_at=now,
                                 auto_submitted=False, score=rng.choice([40.0, 60.0, 80.0, 100.0]), max_points=10))
            submission_id = next(submission_ids)
            accepted = rng.random() < 0.7
            waited = rng.randint(2, 72)
            submissions.append(dict(id=submission_id, user_id=user_id, enrollment_id=enrollment_id,
                                    module_id=module_id, assignment_version="v1", assignment_snapshot={},
                                    version_no=1, client_token=f"bench-{submission_id}",
                                    status="accepted" if accepted else "submitted",
                                    created_at=now - timedelta(hours=waited)))
            if accepted:
                reviews.append(dict(id=next(review_ids), submission_id=submission_id,
                                    mentor_id=rng.choice(mentor_ids), decision="accepted", scores={},
                                    total_points=rng.randint(4, 8), max_points=8, feedback="", created_at=now,
                                    waited_hours=float(waited)))
    for model, rows in ((User, users), (ParticipantProfile, profiles), (Enrollment, enrollments),
                        (MentorAllocation, allocations), (ModuleRead, reads), (QuizAttempt, attempts),
                        (Submission, submissions), (Review, reviews)):
        insert_rows(model, rows)
    db.session.commit()
    return cohort_id


def seed(rng) -> tuple[int, int, int]:
    """Insert staff, mentors, quiz versions and the two cohorts; return (staff id, small id, large id)."""
    ids = Ids()
    now = utcnow()
    staff_id = ids.take(User, 1)[0]
    mentor_ids = list(ids.take(User, MENTORS))
    insert_rows(User, [dict(id=staff_id, name="Staf Bench", phone="+6281100009999", role="staff", active=True,
                            created_at=now, last_seen_at=now)]
                + [dict(id=i, name=f"Mentor {i}", phone=f"+62811{i:08d}", role="mentor", active=True, created_at=now,
                        last_seen_at=now)
                   for i in mentor_ids])
    version_ids = {}
    for module_id, version_id in zip(MODULES, ids.take(QuizVersion, len(MODULES)), strict=True):
        version_ids[module_id] = version_id
    insert_rows(QuizVersion, [dict(id=v, module_id=m, version="v1", snapshot={}, created_at=now)
                              for m, v in version_ids.items()])
    db.session.commit()
    started = time.perf_counter()
    small = build_cohort(ids, "bench-1000", 1_000, mentor_ids, version_ids, rng)
    large = build_cohort(ids, "bench-100000", 100_000, mentor_ids, version_ids, rng)
    print(f"seeded 101,000 participants in {time.perf_counter() - started:.1f} s")
    # The rows went in by bulk insert, past the writers that keep the summary: build it the repair way.
    started = time.perf_counter()
    rows = rebuild_module_progress()
    print(f"rebuilt module_progress ({rows:,} rows) in {time.perf_counter() - started:.1f} s")
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does to a loaded database: statistics, and the visibility map
        # that lets index-only scans (the turnaround medians) skip the table.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        with db.engine.begin() as connection:
            # Explicit ids were inserted: move the sequences past them.
            for table in ("user", "cohort", "enrollment", "submission", "review", "quiz_version"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"))  # noqa: S608 - fixed names
    else:
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return staff_id, small, large


def log_in(app, staff_id: int):
    """Return a test client carrying a live server-side session for the staff user."""
    db.session.add(UserSession(user_id=staff_id, token_hash=token_digest(SESSION_TOKEN), last_seen_at=utcnow()))
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["sid"] = SESSION_TOKEN
        session["_user_id"] = str(staff_id)
        session["_fresh"] = True
    return client


def measure(app, client, cohort_id: int, cache_seconds: int) -> tuple[float, int, int]:
    """Return (median seconds, SQL queries, page bytes) of the dashboard, after one warm-up request."""
    app.config["DASHBOARD_CACHE_SECONDS"] = cache_seconds
    counted = []

    def count(*_args):
        counted.append(1)

    client.get(f"/staf/kohort/{cohort_id}")
    times, queries = [], []
    for _ in range(5):
        counted.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(f"/staf/kohort/{cohort_id}")
        times.append(time.perf_counter() - started)
        event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200, response.status_code
        queries.append(len(counted))
    return statistics.median(times), max(queries), len(response.data)


def main() -> None:
    """Seed, render, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    url = database_url(args.database_url, folder)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                      "IMPORT_ROOT": str(folder / "imports"), "UPLOAD_ROOT": str(folder / "uploads"),
                      "CERTIFICATE_ROOT": str(folder / "certificates")})
    with app.app_context():
        migrate_fresh()
        staff_id, small, large = seed(random.Random(2026))
        client = log_in(app, staff_id)
        print(f"database: {db.engine.dialect.name}")
        print(f"{'participants':>12}  {'cache':>9}  {'render (median of 5)':>20}  {'SQL queries':>11}  {'bytes':>7}")
        for cache_seconds, label in ((0, "off"), (60, "on (60s)")):
            for size, cohort_id in ((1_000, small), (100_000, large)):
                seconds, queries, size_bytes = measure(app, client, cohort_id, cache_seconds)
                print(f"{size:>12,}  {label:>9}  {seconds * 1000:>17.0f} ms  {queries:>11}  {size_bytes:>7,}")


if __name__ == "__main__":
    main()
