"""CPU and SQL per request of the quiz journey (bench/quiz_load.py's), in one process on PostgreSQL + Redis.

    .venv/bin/python bench/quiz_profile.py --database-url postgresql://lms:lms@127.0.0.1:5432/lms_bench_x
    .venv/bin/python bench/quiz_profile.py --database-url … --code /tmp/older-checkout   # the same, other code
    .venv/bin/python bench/quiz_profile.py --database-url … --profile 30 --profile-kind "quiz page"

No gunicorn and no threads: Flask's test client calls the app, so the app's figures are its own
CPU per request (time.process_time, which a loaded machine does not inflate the way it inflates
wall time). It is set up as bench/scale_out.py is: a private Redis for the rate limits and the
queue, PROXY_HOPS = 1 with an address per participant, CSRF, sessions, audit, everything on.
Per request type it prints the app's CPU, the SQL statements, and the CPU of the PostgreSQL
backends that served them (utime + stime from /proc, summed over the run and divided).

--code runs the same measurement against another checkout (e.g. `git worktree add --detach`
of main), so before and after are measured in one run on the same machine.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")
SHOWN: list[str] = []


def process_cpu(pid: int) -> float:
    """utime + stime of a process in seconds (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def measure(args) -> None:
    """Run in a process whose sys.path starts at the code to measure."""
    sys.path.insert(0, str(Path(args.code).resolve() if args.code else ROOT))
    from sqlalchemy import event, text

    from bench import quiz_load, scale_out
    from bench._setup import database_url

    folder = Path(tempfile.mkdtemp(prefix="lms-quizprof-"))
    redis, redis_port = scale_out.start_redis(folder)
    try:
        scale_out.write_config(folder, database_url(args.database_url, folder), redis_port)
        if args.no_pre_ping:  # an experiment: what the ping on every connection checkout costs
            with (folder / "config.py").open("a") as config:
                config.write('SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": False}\n')
        from bench._setup import migrate_fresh
        from lms import create_app
        from lms.extensions import db

        app = create_app()
        statements, backends = [0], set()
        with app.app_context():
            migrate_fresh()
            quiz_load.insert_participants(args.participants + args.warm_up)
            event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
            if args.show_sql:  # the statements of the last participant's journey, per request type
                event.listen(db.engine, "before_cursor_execute",
                             lambda _c, _r, statement, *_a: SHOWN.append(" ".join(statement.split())[:220]))

            @event.listens_for(db.engine, "connect")
            def remember_backend(connection, _record):
                cursor = connection.cursor()
                cursor.execute("SELECT pg_backend_pid()")
                backends.add(cursor.fetchone()[0])
                cursor.close()

            db.engine.dispose()
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        run_journeys(app, args, statements, backends, quiz_load)
        with app.app_context():
            db.engine.dispose()
    finally:
        redis.kill()
        redis.wait()


def run_journeys(app, args, statements, backends, quiz_load) -> None:
    """Every participant's journey through the test client; print the figures per request type."""
    cpu, sql, pg = defaultdict(list), defaultdict(list), defaultdict(float)
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    counting = [False]
    last_sql: dict[str, list[str]] = {}

    def timed(kind, call, *call_args, **call_kwargs):
        before_cpu, before_sql = time.process_time(), statements[0]
        before_pg = sum(process_cpu(pid) for pid in backends)
        if profiler is not None and kind == args.profile_kind and counting[0]:
            profiler.enable()
        SHOWN.clear()
        response = call(*call_args, **call_kwargs)
        if args.show_sql and counting[0]:
            last_sql[kind] = list(SHOWN)
        if profiler is not None:
            profiler.disable()
        after_cpu = time.process_time()
        if counting[0]:
            cpu[kind].append(after_cpu - before_cpu)
            sql[kind].append(statements[0] - before_sql)
            pg[kind] += sum(process_cpu(pid) for pid in backends) - before_pg
        return response

    for number in range(1, args.participants + args.warm_up + 1):
        counting[0] = number > args.warm_up  # the first ones load templates and content: not counted
        journey(app, number, timed, args, quiz_load)
    total_app = total_pg = total_requests = 0.0
    print(f"{'request':20} {'count':>6} {'app CPU mean':>13} {'median':>8} {'SQL':>5} {'PostgreSQL CPU':>15}")
    for kind, values in cpu.items():
        total_app += sum(values)
        total_pg += pg[kind]
        total_requests += len(values)
        print(f"{kind:20} {len(values):6d} {1000 * statistics.fmean(values):10.2f} ms "
              f"{1000 * statistics.median(values):5.2f} ms {statistics.fmean(sql[kind]):5.1f} "
              f"{1000 * pg[kind] / len(values):12.2f} ms")
    all_sql = [n for values in sql.values() for n in values]
    print(f"{'ALL':20} {int(total_requests):6d} {1000 * total_app / total_requests:10.2f} ms {'':8} "
          f"{statistics.fmean(all_sql):5.1f} {1000 * total_pg / total_requests:12.2f} ms")
    for kind, shown in last_sql.items():
        print(f"-- {kind}: {len(shown)} statements")
        for statement in shown:
            print("   ", statement)
    if profiler is not None:
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.profile)
            print(out.getvalue())


def journey(app, number, timed, args, quiz_load) -> None:
    """One participant: quiz_load.take_quiz's requests, through the test client."""
    rng = random.Random(number)
    client = app.test_client()
    headers = {"X-Forwarded-For": f"198.18.{number // 250}.{number % 250 + 1}"}
    json_headers = {**headers, "Accept": "application/json"}
    token = quiz_load.TOKEN
    course, module = quiz_load.COURSE, quiz_load.MODULE

    def call(kind, method, path, wanted, data=None, extra=None):
        response = timed(kind, getattr(client, method), path, data=data, headers=extra or headers)
        if response.status_code != wanted:
            raise RuntimeError(f"{kind} {path}: {response.status_code} (wanted {wanted})")
        return response

    page = call("login page", "get", "/masuk", 200).get_data(as_text=True)
    call("login", "post", "/masuk", 302, {"csrf_token": token.search(page).group(1),
                                          "identifier": f"+62{quiz_load.PHONE_BASE + number}",
                                          "password": quiz_load.PASSWORD})
    page = call("quiz overview", "get", f"/belajar/{course}/{module}/kuis", 200).get_data(as_text=True)
    response = call("start", "post", f"/belajar/{course}/{module}/kuis/mulai", 302,
                    {"csrf_token": token.search(page).group(1)})
    attempt_path = urllib.parse.urlsplit(response.headers["Location"]).path
    page = call("quiz page", "get", attempt_path, 200).get_data(as_text=True)
    questions = quiz_load.read_questions(page)
    csrf = token.search(page).group(1)
    seq = int(re.search(r'name="seq" value="(\d+)"', page).group(1))
    answers: dict = {}
    for _ in range(args.saves):
        answers = {**answers, **quiz_load.random_answers(questions, rng)}
        reply = call("autosave", "post", f"{attempt_path}/simpan", 200,
                     _multidict(quiz_load.form(csrf, seq, answers)), json_headers)
        if '"saved"' not in reply.get_data(as_text=True):
            raise RuntimeError(f"autosave {seq} not saved")
        seq += 1
    reply = call("autosave (stale)", "post", f"{attempt_path}/simpan", 200,
                 _multidict(quiz_load.form(csrf, seq - 2, quiz_load.random_answers(questions, rng))), json_headers)
    if '"stale"' not in reply.get_data(as_text=True):
        raise RuntimeError("stale autosave was not ignored")
    fields = quiz_load.form(csrf, seq, {**answers, **quiz_load.random_answers(questions, rng)}) if number % 2 else [
        ("csrf_token", csrf), ("seq", str(seq))]
    call("submit", "post", f"{attempt_path}/kirim", 302, _multidict([*fields, ("confirm", "1")]))
    call("result page", "get", attempt_path, 200)


def _multidict(fields):
    from werkzeug.datastructures import MultiDict

    return MultiDict(fields)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL URL of a database this may wipe")
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--warm-up", type=int, default=10)
    parser.add_argument("--saves", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N functions")
    parser.add_argument("--profile-kind", default="quiz page")
    parser.add_argument("--no-pre-ping", action="store_true", help="turn pool_pre_ping off (an experiment)")
    parser.add_argument("--show-sql", action="store_true", help="print the last journey's statements")
    parser.add_argument("--code", help="measure this checkout's code instead (a copy of the repository)")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner or not args.code:
        measure(args)
        return 0
    # A process of its own, so nothing of this checkout's lms is imported there.
    command = [sys.executable, str(Path(__file__).resolve()), "--inner", *sys.argv[1:]]
    return subprocess.call(command, cwd=args.code, env={**os.environ, "PYTHONPATH": args.code})


if __name__ == "__main__":
    sys.exit(main())
