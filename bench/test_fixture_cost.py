"""What a test's fixtures cost: a fixed subset of the suite, run in one or more checkouts.

    .venv/bin/python bench/test_fixture_cost.py                      # this checkout
    .venv/bin/python bench/test_fixture_cost.py --tree /tmp/before   # and an older one, same run

The subset: every 12th test of tests/test_permissions.py and all of test_auth, test_people,
test_mentor, test_staff_console, test_registration, and the first 15 of test_learn and
test_quiz (310 tests on 2026-12-01), in file order. For each tree it prints the subset's wall
time and the mean setup, call and teardown time per test (from `--durations=0`), i.e. the
fixed cost every test pays before and after its body (app, tables). Run it through
/work/wt/_notes/cpu-bench when the figure is recorded (docs/benchmarks.md, "Test fixtures").

    .venv/bin/python bench/test_fixture_cost.py --fixture-loop 40 [--database URL]

times only the fixture work, in this process, old and new alternately: the old `app`
fixture (create_app, DELETE from all 42 tables, close the pool) against the shared app's
reset (tests/conftest.py: restore, DELETE from the non-empty tables, close the pool), each
around the same body (the `world` fixture's rows: a cohort, 5 users, 2 enrollments).
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WHOLE = ["test_auth", "test_people", "test_mentor", "test_staff_console", "test_registration"]
FIRST_15 = ["test_learn", "test_quiz"]
LOAD_AT_START = Path("/proc/loadavg").read_text().split()[:3]
DURATION = re.compile(r"^([0-9.]+)s (setup|call|teardown)\s+(\S.*)$")


def collect(tree: Path) -> list[str]:
    files = [f"tests/{name}.py" for name in ["test_permissions", *WHOLE, *FIRST_15]]
    output = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-p", "no:cacheprovider", *files],
        cwd=tree, capture_output=True, text=True, check=True,
    ).stdout
    ids = [line for line in output.splitlines() if "::" in line]
    chosen = [test for number, test in enumerate(ids, 1) if "test_permissions.py" in test and number % 12 == 0]
    chosen += [test for test in ids if any(f"/{name}.py" in test for name in WHOLE)]
    for name in FIRST_15:
        chosen += [test for test in ids if f"/{name}.py" in test][:15]
    return chosen


def measure(tree: Path, tests: list[str], extra: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        argsfile = Path(folder) / "tests.txt"
        argsfile.write_text("\n".join(tests) + "\n", encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=0",
                   "--durations-min=0", "--basetemp=" + str(Path(folder) / "basetemp"), *extra, f"@{argsfile}"]
        started = time.perf_counter()
        result = subprocess.run(command, cwd=tree, capture_output=True, text=True)
        wall = time.perf_counter() - started
    phases: dict[str, dict[str, float]] = {"setup": {}, "call": {}, "teardown": {}}
    for line in result.stdout.splitlines():
        if match := DURATION.match(line.strip()):
            phases[match[2]][match[3]] = float(match[1])
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-500:]
    return {"wall": wall, "summary": summary, "returncode": result.returncode,
            **{phase: statistics.fmean(times.values()) if times else 0.0 for phase, times in phases.items()},
            "median_setup": statistics.median(phases["setup"].values()) if phases["setup"] else 0.0}


def fixture_loop(rounds: int, database: str | None) -> None:
    import os

    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade
    from sqlalchemy import text

    from lms import create_app
    from lms.extensions import db
    from lms.models import Role
    from tests import conftest

    folder = Path(tempfile.mkdtemp(prefix="fixture-cost-"))
    url = database or f"sqlite:///{folder / 'test.sqlite3'}"
    os.environ.setdefault("LMS_PUBLIC_URL", "http://127.0.0.1:5000")
    migrator = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with migrator.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()

    def body() -> None:
        cohort = conftest.make_cohort()
        users = [conftest.make_user(role) for role in (Role.MENTOR, Role.MENTOR, Role.PARTICIPANT,
                                                       Role.PARTICIPANT, Role.STAFF)]
        conftest.enroll_participant(users[2], cohort, mentor=users[0])
        conftest.enroll_participant(users[3], cohort, mentor=users[1])

    def old_empty() -> None:  # the fixture before: a DELETE for every table
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())

    shared = conftest.SharedApp(conftest.build_test_app(url, folder / "shared"))
    times: dict[str, list[float]] = {"old": [], "new": []}
    for number in range(rounds):
        tmp = folder / str(number)
        started = time.perf_counter()
        app = conftest.build_test_app(url, tmp)
        with app.app_context():
            setup = time.perf_counter() - started
            body()
            started = time.perf_counter()
            db.session.remove()
            old_empty()
            db.engine.dispose()
        times["old"].append(setup + time.perf_counter() - started)
        started = time.perf_counter()
        shared.begin(tmp)
        with shared.app.app_context():
            setup = time.perf_counter() - started
            body()
            started = time.perf_counter()
            db.session.remove()
            conftest.empty_all_tables()
            db.engine.dispose()
        shared.end("fixture-loop")
        times["new"].append(setup + time.perf_counter() - started)
    print(f"{rounds} rounds on {url.split(':', 1)[0]}; load average at start and end: {LOAD_AT_START}, "
          f"{Path('/proc/loadavg').read_text().split()[:3]}")
    for name, values in times.items():
        print(f"{name}: fixture work per test median {statistics.median(values) * 1000:.1f} ms, "
              f"mean {statistics.fmean(values) * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", type=Path, default=[],
                        help="another checkout to measure too (repeatable); this one is always measured")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--pytest-arg", action="append", default=[], help="passed to pytest (e.g. -p no:randomly)")
    parser.add_argument("--fixture-loop", type=int, metavar="ROUNDS", help="time only the fixture work (see above)")
    parser.add_argument("--database", help="with --fixture-loop: a database URL instead of a new SQLite file")
    args = parser.parse_args()
    if args.fixture_loop:
        fixture_loop(args.fixture_loop, args.database)
        return
    trees = [*args.tree, ROOT]
    tests = collect(ROOT)
    print(f"{len(tests)} tests; load average at start: {Path('/proc/loadavg').read_text().split()[:3]}")
    for round_number in range(1, args.rounds + 1):
        for tree in trees:
            figures = measure(tree, tests, args.pytest_arg)
            print(f"round {round_number} {tree}: wall {figures['wall']:.1f} s; per test: setup "
                  f"{figures['setup'] * 1000:.0f} ms (median {figures['median_setup'] * 1000:.0f}), call "
                  f"{figures['call'] * 1000:.0f} ms, teardown {figures['teardown'] * 1000:.0f} ms; "
                  f"{figures['summary']} (exit {figures['returncode']})", flush=True)


if __name__ == "__main__":
    main()
