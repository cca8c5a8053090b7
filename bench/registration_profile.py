"""CPU per GET and POST /daftar in one process, as bench/registration_rush.py's clients send them.

    .venv/bin/python bench/registration_profile.py                          # SQLite, 300 registrants
    .venv/bin/python bench/registration_profile.py --database-url postgresql://lms:lms@127.0.0.1:5432/lms_bench_x
    .venv/bin/python bench/registration_profile.py --code /tmp/older-checkout    # the same, with other code
    .venv/bin/python bench/registration_profile.py --profile 25              # plus cProfile's top 25 (POST)

No gunicorn and no threads: Flask's test client calls the app, so the figures are the app's own
CPU per request (time.process_time, which a loaded machine does not inflate the way it inflates
wall time). Everything the rush turns on stays on: rate limits in the shared SQLite store, the
proxy's X-Forwarded-For (a new address per registrant), CSRF, the signed fill time (the minimum
is set to 0 s so nobody waits; the check still runs), the referral code, the baseline answers,
5% duplicates (answered as such) and 1% invalid POSTs. It counts SQL statements per request too.

--code runs the same measurement against another checkout (e.g. `git archive` of the code
before a change), so before and after are measured in one run on the same machine.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(args) -> None:
    """Run in a process whose sys.path starts at the code to measure."""
    sys.path.insert(0, str(Path(args.code).resolve() if args.code else ROOT))
    from bench.registration_rush import REFERRAL, FormReader, Plan, fill, make_plans

    folder = Path(tempfile.mkdtemp(prefix="lms-regprof-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    (folder / "config.py").write_text(f"SECRET_KEY = 'bench-only'\nSQLALCHEMY_DATABASE_URI = {url!r}\n"
                                      "PROXY_HOPS = 1\nREGISTRATION_MIN_FILL_SECONDS = 0\n")
    os.environ.update({"LMS_INSTANCE_PATH": str(folder), "LMS_PUBLIC_URL": "http://127.0.0.1:5000"})
    for variable in ("DATABASE_URL", "LMS_REDIS_URL", "LMS_QUEUE_URL"):
        os.environ.pop(variable, None)
    from sqlalchemy import event

    from bench._setup import migrate_fresh
    from lms import create_app
    from lms.extensions import db
    from lms.models import Cohort, ReferralCode
    from lms.registration.queries import wib_today

    app = create_app()
    statements = [0]
    with app.app_context():
        migrate_fresh()
        today = wib_today()
        db.session.add(cohort := Cohort(name="FTD Rush", slug="ftd-rush", course_id="ftd-umkm",
                                        start_date=today + timedelta(30), bootcamp_date=today + timedelta(40),
                                        graduation_date=today + timedelta(80),
                                        registration_opens_on=today - timedelta(30), registration_closes_on=today))
        db.session.flush()
        db.session.add(ReferralCode(cohort_id=cohort.id, code=REFERRAL, label="Bench"))
        db.session.commit()
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))

    bench_args = argparse.Namespace(registrations=args.registrations, burst=50, duplicate_share=0.05,
                                    invalid_share=0.01)
    plans: list[Plan] = [plan for burst in make_plans(bench_args) for plan in burst]
    # Warm-up registrants of their own (other phones), so the measured ones meet an empty cohort as the rush does.
    warm_up = [replace(plan, phone=plan.phone.replace("+6281", "+6282", 1)) for plan in plans[:args.warm_up]]
    cpu = {"GET": [], "POST": []}
    queries = {"GET": [], "POST": []}
    outcomes: dict[str, int] = {}
    profiler = cProfile.Profile(time.process_time) if args.profile else None

    inside = {"GET": [], "POST": []}  # CPU inside the WSGI app: without the test client building the request
    wsgi_app = app.wsgi_app

    def timed_app(environ, start_response):
        before = time.process_time()
        try:
            return wsgi_app(environ, start_response)
        finally:
            inside[environ["REQUEST_METHOD"]].append(time.process_time() - before)

    app.wsgi_app = timed_app

    def timed(kind, call, *call_args, **call_kwargs):
        before_cpu, before_sql = time.process_time(), statements[0]
        if profiler is not None and kind == args.profile_kind:
            profiler.enable()
        response = call(*call_args, **call_kwargs)
        if profiler is not None and kind == args.profile_kind:
            profiler.disable()
        cpu[kind].append(time.process_time() - before_cpu)
        queries[kind].append(statements[0] - before_sql)
        return response

    for index, plan in enumerate([*warm_up, *plans]):
        client = app.test_client()
        headers = {"X-Forwarded-For": plan.address}
        page = timed("GET", client.get, f"/daftar?ref={REFERRAL.lower()}", headers=headers)
        reader = FormReader()
        reader.feed(page.get_data(as_text=True))
        fields = fill(reader, plan)
        response = timed("POST", client.post, reader.action, data=_multidict(fields), headers=headers)
        if index < args.warm_up:  # the first requests load templates and content: not counted
            for kind in cpu:
                cpu[kind].clear()
                inside[kind].clear()
                queries[kind].clear()
            if profiler is not None:
                profiler = cProfile.Profile(time.process_time)
            continue
        body = response.get_data(as_text=True)
        answer = ("303" if response.status_code == 303 else
                  "duplicate" if 'data-testid="registration-duplicate"' in body else str(response.status_code))
        outcomes[f"{plan.kind}->{answer}"] = outcomes.get(f"{plan.kind}->{answer}", 0) + 1
    for kind in ("GET", "POST"):
        values = sorted(cpu[kind])
        print(f"{kind} /daftar: {len(values)} requests, CPU mean {1000 * statistics.fmean(values):.2f} ms, "
              f"median {1000 * statistics.median(values):.2f} ms, "
              f"p95 {1000 * values[int(0.95 * (len(values) - 1))]:.2f} ms; "
              f"SQL statements mean {statistics.fmean(queries[kind]):.1f}; inside the WSGI app "
              f"(the request already built) CPU mean {1000 * statistics.fmean(inside[kind]):.2f} ms")
    print("answers:", ", ".join(f"{key} {value}" for key, value in sorted(outcomes.items())))
    if profiler is not None and args.dump:
        profiler.dump_stats(args.dump)
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())
        print("tottime by package:", ", ".join(f"{name} {1000 * seconds / len(cpu[args.profile_kind]):.2f} ms"
                                                for name, seconds in by_package(profiler)))
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_callees(args.callees)
        print(out.getvalue())
    with app.app_context():
        db.engine.dispose()


def by_package(profiler) -> list[tuple[str, float]]:
    """The profile's own time summed per top-level package (lms areas kept apart), largest first."""
    totals: dict[str, float] = {}
    for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in pstats.Stats(profiler).stats.items():
        if filename == "~":
            name = function.split(" of ")[-1].strip("<>'").split(".")[0].replace("method ", "")
        elif "site-packages/" in filename:
            name = filename.split("site-packages/")[1].split("/")[0]
        elif "/lms/" in filename:
            name = "lms." + filename.split("/lms/")[1].split("/")[0].removesuffix(".py")
        else:
            name = "stdlib " + Path(filename).stem
        totals[name] = totals.get(name, 0.0) + tottime
    return sorted(totals.items(), key=lambda item: -item[1])[:25]


def _multidict(fields):
    from werkzeug.datastructures import MultiDict

    return MultiDict(fields)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL of a database this may wipe (default SQLite)")
    parser.add_argument("--registrations", type=int, default=300)
    parser.add_argument("--warm-up", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N functions")
    parser.add_argument("--callees", default="registration/views.py.*register$|full_dispatch_request",
                        help="with --profile: print what these functions (a regex) call")
    parser.add_argument("--profile-kind", choices=("GET", "POST"), default="POST")
    parser.add_argument("--dump", help="with --profile: also write the profile to this file (for pstats)")
    parser.add_argument("--code", help="measure this checkout's code instead (a copy of the repository)")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner or not args.code:
        measure(args)
        return 0
    # A process of its own, so nothing of this checkout's lms is imported there.
    command = [sys.executable, str(Path(__file__).resolve()), "--inner", *sys.argv[1:]]
    return subprocess.call(command, cwd=args.code)


if __name__ == "__main__":
    sys.exit(main())
