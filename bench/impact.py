"""Benchmark: the impact report (page, PDF, XLSX) for cohorts of 1,700 and 100,000 people with every wave.

    .venv/bin/python bench/impact.py                       # SQLite in a temporary folder, 1,700 and 100,000
    .venv/bin/python bench/impact.py --sizes 1700
    .venv/bin/python bench/impact.py --database postgresql://lms:lms@127.0.0.1:5432/lms_test_impact2

For each size it bulk-inserts the participants (80 %) and a comparison group of
registrants never selected (20 %), each with a submitted baseline and endline (every
measure) and, for half of them, the 3-month follow-up; every participant also has a
knowledge pre-test and post-test result for every module of the course. Then, through the app as staff,
it renders the report page (3 rounds, cold first), the PDF and the XLSX, and counts the
SQL statements of the page, which must not grow with the size. Before the page it
runs the queue task an import queues (`impact.refresh_report`: the figures are
computed and stored, timed as "refresh"); the page, the PDF and the XLSX then read
the stored figures. The first PDF lays the report out with WeasyPrint and keeps it;
the second is the kept one (outside tests the refresh task lays it out already, so
both are kept ones; the refresh's line says how long the layout took). The equal-terms
baseline, measured in the same run with the same client and database: the staff
cohort list (`/staf/kohort`), a page that reads almost nothing, so the difference is
the report's own cost. The 1-minute load average is printed at every step (the
machine is shared). The PostgreSQL database's public schema is dropped: give it a
database of its own.

`--reuse` keeps the data of an earlier run with the same `--database` (a SQLite file
given as sqlite:////path, or PostgreSQL): cohorts already there are not inserted again,
and their stored figures are dropped so the refresh really recomputes them.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHUNK = 5000


def insert_cohort(size: int, slug: str) -> int:
    """A cohort of `size` people with profiles, enrollments and two submitted waves each."""
    from sqlalchemy import insert, select

    from lms.extensions import db
    from lms.knowledge.queries import course_tests
    from lms.models import Cohort, Enrollment, KnowledgeTestResult, ParticipantProfile, SurveyResponse, User
    from lms.regions import REGENCIES

    tests = course_tests("ftd-umkm")
    rng = random.Random(size)
    cohort = Cohort(name=f"Bench {size}", slug=slug, course_id="ftd-umkm", start_date=date(2026, 1, 5),
                    bootcamp_date=date(2026, 2, 2), graduation_date=date(2026, 3, 2))
    db.session.add(cohort)
    db.session.flush()
    prefix = f"+6285{len(slug):01d}{size % 1000:03d}"
    for start in range(0, size, CHUNK):
        numbers = range(start, min(size, start + CHUNK))
        db.session.execute(insert(User), [{"name": f"Peserta {n}", "phone": f"{prefix}{n:06d}",
                                           "role": "participant"} for n in numbers])
        ids = db.session.scalars(select(User.id).where(User.phone.in_([f"{prefix}{n:06d}" for n in numbers]))
                                 .order_by(User.id)).all()
        db.session.execute(insert(ParticipantProfile), [
            {"user_id": uid, "business_name": f"Usaha {uid}", "sector": rng.choice(["kuliner", "kriya", "jasa"]),
             "regency_code": REGENCIES[uid % len(REGENCIES)].code} for uid in ids])
        db.session.execute(insert(Enrollment), [
            {"cohort_id": cohort.id, "user_id": uid, "status": "registered" if uid % 5 == 0 else "active"}
            for uid in ids])
        rows = []
        for uid in ids:
            base = rng.choice([0, 500_000, 1_000_000, 2_500_000, 5_000_000])
            waves = [("baseline", base), ("endline", int(base * rng.uniform(0.7, 2.5)) + 100_000)]
            if uid % 2:
                waves.append(("followup-3", int(base * rng.uniform(0.8, 3.0)) + 150_000))
            for wave, revenue in waves:
                rows.append({"user_id": uid, "cohort_id": cohort.id, "wave": wave, "version_no": 1,
                             "status": "submitted", "survey_id": "dampak-umkm", "survey_version": 1,
                             "source": "import", "answers": {
                                 "omzet": revenue, "karyawan": rng.randint(0, 4),
                                 "kanal": ["whatsapp"] + (["shopee"] if wave != "baseline" and uid % 3 else []),
                                 "legalitas": ["nib"] if wave != "baseline" and uid % 2 else [],
                                 "pola-konten": rng.randint(1, 5), "pola-pelanggan": rng.randint(1, 5),
                                 "pola-data": rng.randint(1, 5), "pola-online": rng.randint(1, 5)}})
        db.session.execute(insert(SurveyResponse), rows)
        db.session.execute(insert(KnowledgeTestResult), [
            {"user_id": uid, "cohort_id": cohort.id, "phase": phase, "answers": {},
             "scores": {test.module_id: {"version": test.version, "items": len(test.questions),
                                         "points": rng.randint(0, len(test.questions))} for test in tests}}
            for uid in ids if uid % 5 for phase in ("pre", "post")])
        db.session.commit()
    return cohort.id


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def time_get(client, url: str, rounds: int) -> list[float]:
    """GET a URL `rounds` times (the first one cold); return the times in seconds."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times


def time_report(app, cohort_id: int, staff_phone: str, rounds: int) -> tuple[list[float], int, object]:
    """Render the report page `rounds` times; return the times, the SQL statements of the last render, the client."""
    from sqlalchemy import event

    from lms.extensions import db

    client = app.test_client()
    client.post("/masuk", data={"identifier": staff_phone, "password": "bench12345"})
    times, statements = [], []
    with app.app_context():
        engine = db.engine
    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    for _ in range(rounds):
        statements.clear()
        started = time.perf_counter()
        response = client.get(f"/staf/kohort/{cohort_id}/dampak")
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"report page answered {response.status_code}")
    event.remove(engine, "before_cursor_execute", count)
    return times, len(statements), client


def existing_cohorts() -> dict[str, int] | None:
    """The bench cohorts of an earlier run in this database (slug → id), or None when there is no schema."""
    from sqlalchemy import inspect, select

    from lms.extensions import db
    from lms.models import Cohort

    if not inspect(db.engine).has_table("impact_report_snapshot"):
        return None
    return dict(db.session.execute(select(Cohort.slug, Cohort.id).where(Cohort.slug.like("bench-%"))).all())


def time_refresh(cohort_id: int) -> tuple[float, str]:
    """Drop the cohort's stored figures and run the refresh task an import queues; return the seconds."""
    from sqlalchemy import delete

    from lms.extensions import db
    from lms.impact.tasks import refresh_report
    from lms.models import ImpactReportSnapshot

    db.session.execute(delete(ImpactReportSnapshot).where(ImpactReportSnapshot.cohort_id == cohort_id))
    db.session.commit()
    started = time.perf_counter()
    outcome = refresh_report(cohort_id)
    elapsed = time.perf_counter() - started
    if not outcome.startswith("recomputed"):
        raise SystemExit(f"refresh said {outcome!r}")
    return elapsed, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1700, 100_000])
    parser.add_argument("--database", default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep the schema and cohorts of an earlier run")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-impact-") as folder:
        from flask_migrate import upgrade
        from werkzeug.security import generate_password_hash

        from bench._setup import database_url, migrate_fresh
        from lms import create_app
        from lms.extensions import db
        from lms.models import Role, User

        url = database_url(options.database, Path(folder))
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            existing = existing_cohorts() if options.reuse else None
            if existing is not None:
                upgrade()  # an earlier run's schema may be behind the head
            if existing is None:
                migrate_fresh()
                db.session.add(User(name="Staf Bench", phone="+6281100009998", role=Role.STAFF,
                                    password_hash=generate_password_hash("bench12345", method="pbkdf2:sha256:1000")))
                db.session.commit()
                existing = {}
            cohorts = {}
            for size in options.sizes:
                if f"bench-{size}" in existing:
                    cohorts[size] = existing[f"bench-{size}"]
                    print(f"reused {size} people from an earlier run")
                    continue
                started = time.perf_counter()
                cohorts[size] = insert_cohort(size, f"bench-{size}")
                print(f"inserted {size} people × 2 waves, 2 knowledge tests in {time.perf_counter() - started:.1f} s")
            dialect = db.engine.dialect.name
            for size, cohort_id in cohorts.items():
                elapsed, outcome = time_refresh(cohort_id)
                print(f"{dialect}: refresh task,  {size:>7} people: {1000 * elapsed:7.0f} ms: {outcome} ({load()})")
        for size, cohort_id in cohorts.items():
            times, statements, client = time_report(app, cohort_id, "+6281100009998", options.rounds)
            print(f"{dialect}: report page, {size:>7} people: cold {1000 * times[0]:7.0f} ms, "
                  f"warm best {1000 * min(times[1:] or times):7.0f} ms, {statements} SQL statements ({load()})")
            plain = time_get(client, "/staf/kohort", options.rounds)
            print(f"{dialect}: baseline /staf/kohort, same client: best {1000 * min(plain):7.0f} ms ({load()})")
            pdf = time_get(client, f"/staf/kohort/{cohort_id}/dampak.pdf", 2)
            print(f"{dialect}: report PDF,  {size:>7} people: first (laid out) {1000 * pdf[0]:7.0f} ms, "
                  f"second (kept) {1000 * pdf[1]:7.0f} ms ({load()})")
            xlsx = time_get(client, f"/staf/kohort/{cohort_id}/dampak.xlsx", 1)
            print(f"{dialect}: report XLSX, {size:>7} people: {1000 * xlsx[0]:7.0f} ms ({load()})")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
