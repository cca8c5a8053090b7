"""Benchmark: the outreach page and the registrants export with 1,700 registrants (FTY 2025's count).

    .venv/bin/python bench/outreach.py                      # SQLite in a temporary folder
    .venv/bin/python bench/outreach.py --database-url postgresql://lms:lms@127.0.0.1:5432/lms_bench_outreach

Adds 1,700 registrants to one cohort the way the demo does (clustered around
Mebidangro, busier towards the closing date, a third with baseline answers,
half of the regencies with a referral code), then renders the outreach page
and downloads the XLSX export through the test client, and prints the median
of 5 requests after one warm-up, with the number of SQL queries per request
(the page's count does not grow with the registrants: every figure is one
GROUP BY). On PostgreSQL the database's schema is dropped and rebuilt first.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, text  # noqa: E402

from bench._setup import database_url, migrate_fresh  # noqa: E402
from lms import create_app  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.models import Cohort, ReferralCode, RegencyTarget, Role, User, UserSession, token_digest, utcnow  # noqa: E402
from lms.outreach import demo  # noqa: E402

REGISTRANTS = 1_700
SESSION_TOKEN = "bench-session-token"  # noqa: S105 - a throwaway session in a throwaway database


def seed(rng) -> tuple[int, int]:
    """Create a staff user and a cohort with its window, codes, targets and registrants."""
    staff = User(name="Staf Bench", phone="+6281100009999", role=Role.STAFF.value)
    cohort = Cohort(name="FTY Bench", slug="fty-bench", course_id="ftd-umkm", start_date=date(2026, 3, 2),
                    bootcamp_date=date(2026, 3, 16), graduation_date=date(2026, 4, 13),
                    registration_opens_on=date(2026, 1, 5), registration_closes_on=date(2026, 2, 12))
    db.session.add_all([staff, cohort])
    db.session.flush()
    for code, label, regency in demo.REFERRALS:
        db.session.add(ReferralCode(cohort_id=cohort.id, code=code, label=label, regency_code=regency))
    for code, target in demo.TARGETS.items():
        db.session.add(RegencyTarget(cohort_id=cohort.id, regency_code=code, target=target * 4))
    demo.add_registrants(cohort, REGISTRANTS, rng=rng, phone_prefix="+628139", baseline_share=1 / 3)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
    return staff.id, cohort.id


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


def measure(client, url: str) -> tuple[float, int, int]:
    """Return (median seconds, SQL queries, response bytes) of a URL, after one warm-up request."""
    counted = []

    def count(*_args):
        counted.append(1)

    client.get(url)
    times, queries = [], []
    for _ in range(5):
        counted.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(url)
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
    folder = Path(tempfile.mkdtemp(prefix="bench-outreach-"))
    url = database_url(args.database_url, folder)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                      "IMPORT_ROOT": str(folder / "imports"), "UPLOAD_ROOT": str(folder / "uploads"),
                      "CERTIFICATE_ROOT": str(folder / "certificates")})
    with app.app_context():
        migrate_fresh()
        started = time.perf_counter()
        staff_id, cohort_id = seed(random.Random(2025))  # noqa: S311 - benchmark data
        print(f"database: {db.engine.dialect.name}; {REGISTRANTS:,} registrants seeded in "
              f"{time.perf_counter() - started:.1f} s")
        client = log_in(app, staff_id)
        print(f"{'request':<28}  {'median of 5':>11}  {'SQL queries':>11}  {'bytes':>9}")
        for label, path in (("outreach page", f"/staf/kohort/{cohort_id}/jangkauan"),
                            ("registrants XLSX export", f"/staf/kohort/{cohort_id}/jangkauan/pendaftar.xlsx")):
            seconds, queries, size = measure(client, path)
            print(f"{label:<28}  {seconds * 1000:>8.0f} ms  {queries:>11}  {size:>9,}")


if __name__ == "__main__":
    main()
