"""Scale-out on one machine: PostgreSQL, Redis, 3 gunicorn processes and a queue worker under the quiz load.

    .venv/bin/python bench/scale_out.py --database-url postgresql://lms:lms@127.0.0.1:5432/lms_bench_scale
    .venv/bin/python bench/scale_out.py --database-url … --participants 1700 --concurrency 64
    .venv/bin/python bench/scale_out.py --database-url … --concurrency 600     # overload
    .venv/bin/python bench/scale_out.py --database-url … --cpus 0              # the whole run on one core
    .venv/bin/python bench/scale_out.py --database-url … --think-seconds 3     # paced, not a closed loop

The PostgreSQL database's public schema is DROPPED: give the bench one of its own
(`su postgres -c "createdb -O lms lms_bench_scale"`). The bench starts its own
Redis on a free loopback port (rate limits and the task queue), gunicorn with
--workers 3 and one `flask --app wsgi lms worker`, then runs the quiz load of
bench/quiz_load.py (each participant its own client with its own address, sent as
X-Forwarded-For through PROXY_HOPS=1, as nginx would).

Halfway through the load it SIGKILLs one gunicorn worker and the queue worker,
then staff starts a bulk certificate issue for a second cohort of --certificates
graduates while the queue worker is down; the worker is started again a few
seconds later. Meanwhile it probes the login limit: wrong passwords for one
account from one address, each on a new connection so the 3 processes share them.

It then reconciles: 0 lost answers, 0 duplicate attempts or grades, the
certificate job done with exactly one valid certificate per graduate, the login
limit held across processes (no more allowed tries than the limit), 0 client
failures. It prints p50/p95/p99 seen by the clients and inside gunicorn and
exits 1 when anything does not reconcile.

By default the load is a closed loop: each of the --concurrency clients sends its
next request the moment the last answer arrives, so --concurrency requests are
always in the system. --think-seconds S makes each client pause like a person
between its requests instead: before logging in (typing), before the quiz
overview, before "start" (reading), before each autosave (answering a question),
before the stale autosave and before submitting; eight pauses per participant,
none after a redirect. Each pause is drawn from an exponential distribution with
mean S, from a Random seeded by the participant's number (apart from the one that
picks the answers, so the answers are the same with and without pauses). A
participant who finishes is replaced at once by the next one, so the paced load
is --concurrency people online, each active about (11 requests) per (8 × S) s.

--cpus LIST (e.g. `0` or `0,1`) pins the whole run to those CPUs: this process and
so everything it starts (gunicorn, the queue worker, Redis, the load generator),
and the PostgreSQL cluster that serves --database-url, which runs on its own:
its postmaster and every child (backends, checkpointer, WAL writer, autovacuum),
each thread, with sched_setaffinity (root, or the cluster's owner). New backends
inherit the postmaster's mask. When the bench ends (also on SIGTERM or Ctrl-C)
the cluster gets its previous mask back; after a SIGKILL of the bench put it back
by hand: `for p in <postmaster pid> $(pgrep -P <postmaster pid>); do taskset -a -p -c 0-1 $p; done`.
The CPUs each part actually ran on are printed, so the pinning is checked.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import quiz_load  # noqa: E402 - after the path is set
from bench.quiz_load import FORM, TOKEN, Client, Recorder, free_port  # noqa: E402

STAFF_PHONE = "+6281100009999"
GRADUATE_PHONE_PREFIX = "+62814"
LOGIN_LIMIT_ACCOUNT = "+6281499999999"  # an account that exists, probed with wrong passwords
LOGIN_LIMIT_PER_MINUTE = 10  # LOGIN_RATE_LIMIT's per-minute part: failed logins per account and address


def start_redis(folder: Path) -> tuple[subprocess.Popen, int]:
    """Start a throwaway Redis on a free loopback port, without persistence."""
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with socket_to(port):
                return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("redis-server did not start")


def socket_to(port: int):
    import socket

    return socket.create_connection(("127.0.0.1", port), timeout=0.5)


def write_config(folder: Path, url: str, redis_port: int) -> None:
    """The instance config of a production-like deployment: shared limits, Redis queue, behind a proxy."""
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    (folder / "config.py").write_text(
        f"SECRET_KEY = 'bench-only'\nPASSWORD_HASH_METHOD = {quiz_load.HASH_METHOD!r}\n"
        f"SQLALCHEMY_DATABASE_URI = {url!r}\nPROXY_HOPS = 1\n"
        f"UPLOAD_ROOT = {str(folder / 'uploads')!r}\nCERTIFICATE_ROOT = {str(folder / 'certificates')!r}\n"
    )
    os.environ.update({"LMS_INSTANCE_PATH": str(folder), "LMS_REDIS_URL": redis_url,
                       "LMS_QUEUE_URL": redis_url.replace("/0", "/1"), "LMS_PUBLIC_URL": "http://127.0.0.1:5000"})
    os.environ.pop("DATABASE_URL", None)


def prepare(folder: Path, url: str, redis_port: int, participants: int, graduates: int) -> dict:
    """Fresh schema, the quiz participants, a staff account and a cohort of graduates."""
    write_config(folder, url, redis_port)
    from bench._setup import migrate_fresh
    from lms import create_app
    from lms.extensions import db

    app = create_app()
    with app.app_context():
        migrate_fresh()
        quiz_load.insert_participants(participants)
        cohort_id = insert_graduates(graduates)
        db.engine.dispose()
    return {"cohort_id": cohort_id, "env": {**os.environ, "PYTHONPATH": str(ROOT)}}


def insert_graduates(count: int) -> int:
    """A second cohort whose `count` participants completed everything, and the staff who issues."""
    from datetime import date

    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from lms.certificates.eligibility import course_and_modules
    from lms.extensions import db
    from lms.models import (
        Cohort,
        Enrollment,
        ModuleRead,
        ParticipantProfile,
        QuizAttempt,
        QuizVersion,
        Role,
        Submission,
        User,
    )

    password_hash = generate_password_hash(quiz_load.PASSWORD, method=quiz_load.HASH_METHOD)
    cohort = Cohort(name="Wisudawan Bench", slug="bench-graduates", course_id=quiz_load.COURSE,
                    start_date=date(2026, 9, 1), bootcamp_date=date(2026, 9, 15), graduation_date=date(2026, 11, 30))
    db.session.add_all([cohort, User(name="Staf Bench", phone=STAFF_PHONE, role=Role.STAFF,
                                     password_hash=password_hash)])
    db.session.flush()
    db.session.execute(insert(User), [
        {"name": f"Wisudawan {i:04d}", "phone": f"{GRADUATE_PHONE_PREFIX}{i:08d}", "role": "participant",
         "password_hash": password_hash} for i in range(count)] + [
        {"name": "Akun Uji Batas", "phone": LOGIN_LIMIT_ACCOUNT, "role": "participant",
         "password_hash": password_hash}])
    user_ids = db.session.scalars(select(User.id).where(User.phone.like(f"{GRADUATE_PHONE_PREFIX}0%"))).all()
    db.session.execute(insert(ParticipantProfile), [
        {"user_id": uid, "business_name": f"Usaha {uid}", "sector": "kuliner", "regency_code": "1271"}
        for uid in user_ids])
    db.session.execute(insert(Enrollment), [{"cohort_id": cohort.id, "user_id": uid, "status": "active"}
                                            for uid in user_ids])
    enrollment_ids = dict(db.session.execute(
        select(Enrollment.user_id, Enrollment.id).where(Enrollment.cohort_id == cohort.id)).all())
    course, modules = course_and_modules(cohort)
    db.session.execute(insert(ModuleRead), [{"user_id": uid, "module_id": m.id, "module_version": m.version}
                                            for uid in user_ids for m in modules])
    for module in modules:
        if module.quiz is not None:
            version = QuizVersion(module_id=module.id, version=module.quiz.version, snapshot=module.quiz.to_dict())
            db.session.add(version)
            db.session.flush()
            db.session.execute(insert(QuizAttempt), [
                {"user_id": uid, "course_id": course.id, "module_id": module.id, "quiz_version_id": version.id,
                 "number": 1, "choice_order": {}, "draft_answers": {}, "submitted_at": date(2026, 11, 20),
                 "score": 90.0, "passed": True, "points": 9.0, "max_points": 10} for uid in user_ids])
        if module.assignment is not None:
            db.session.execute(insert(Submission), [
                {"user_id": uid, "enrollment_id": enrollment_ids[uid], "module_id": module.id,
                 "assignment_version": module.assignment.version,
                 "assignment_snapshot": module.assignment.to_dict(), "version_no": 1, "text": "Tugas bench.",
                 "client_token": f"bench-{uid}-{module.id}", "status": "accepted"} for uid in user_ids])
    db.session.commit()
    from lms import progress

    progress.rebuild_module_progress()  # the dashboard's summary follows the inserted facts
    db.session.commit()
    return cohort.id


ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(D)s"  # method, path, status, microseconds inside gunicorn


def start_gunicorn(env: dict, port: int, workers: int, threads: int, access_log: Path,
                   log_format: str = ACCESS_LOG_FORMAT) -> subprocess.Popen:
    """gunicorn as in docs/deploy.md, logging each request's time in microseconds."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
         "--workers", str(workers), "--threads", str(threads), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--access-logfile", str(access_log),
         "--access-logformat", log_format, "wsgi:app"],
        cwd=ROOT, env=env,
    )
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    """The task-queue worker, as its systemd unit runs it."""
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "lms", "worker"], cwd=ROOT, env=env,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT)


def parse_cpus(text: str) -> set[int]:
    """'0', '0,1' or '0-1' → a set of CPU numbers."""
    cpus: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        cpus.update(range(int(low), int(high or low) + 1))
    return cpus


def postmaster_of(url: str) -> int:
    """The pid of the PostgreSQL postmaster serving this database (the parent of our own backend)."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        backend = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        info = process_cpu(backend)
    if info is None:
        raise SystemExit("--cpus: the database server is not on this machine")
    return info[0]


def set_cpus(pid: int, cpus: set[int]) -> None:
    """Give every thread of a process the CPU mask (a process that is gone is skipped)."""
    try:
        threads = [int(tid) for tid in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        return
    for tid in threads:
        try:
            os.sched_setaffinity(tid, cpus)
        except (ProcessLookupError, FileNotFoundError):
            pass


class Pinning:
    """Pin this process and the PostgreSQL cluster to CPUs; put the cluster back as it was."""

    def __init__(self, url: str, cpus: set[int]):
        self.cpus = cpus
        self.postmaster = postmaster_of(url)
        self.previous = os.sched_getaffinity(self.postmaster)

    def cluster(self) -> list[int]:
        children = subprocess.run(["pgrep", "-P", str(self.postmaster)], capture_output=True, text=True).stdout
        return [self.postmaster, *(int(pid) for pid in children.split())]

    def __enter__(self):
        os.sched_setaffinity(0, self.cpus)  # before any thread or child: they inherit it
        for pid in self.cluster():
            set_cpus(pid, self.cpus)
        return self

    def __exit__(self, *exc):
        for pid in self.cluster():
            set_cpus(pid, self.previous)
        return False


def cpus_of(pids: list[int]) -> str:
    """The CPU masks the processes have now, e.g. '0 ×5'."""
    masks: dict[str, int] = {}
    for pid in pids:
        try:
            mask = ",".join(str(cpu) for cpu in sorted(os.sched_getaffinity(pid)))
        except OSError:
            continue
        masks[mask] = masks.get(mask, 0) + 1
    return "; ".join(f"CPUs {mask} ×{count}" for mask, count in masks.items()) or "none"


def gunicorn_workers(master_pid: int) -> list[int]:
    """The pids of a gunicorn master's worker processes."""
    out = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


LOAD_STARTED = [0.0]  # when the load began, for the crash's time


def tcp_counters() -> dict[str, int]:
    """The kernel's TcpExt counters that tell a full accept queue or an aborted connection."""
    lines = Path("/proc/net/netstat").read_text().splitlines()
    names, values = lines[0].split()[1:], lines[1].split()[1:]
    wanted = ("ListenOverflows", "ListenDrops", "TCPAbortOnData", "TCPAbortOnClose", "TCPAbortOnTimeout")
    return {name: int(value) for name, value in zip(names, values, strict=True) if name in wanted}


TICK = os.sysconf("SC_CLK_TCK")


def postgresql_pids(database: str) -> tuple[list[int], list[int]]:
    """Return (this database's backends, the cluster's own processes) from a /proc scan."""
    backends, postmaster = [], None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if command.startswith("postgres: ") and f" {database} " in command:
            backends.append(int(entry.name))
            info = process_cpu(int(entry.name))
            postmaster = info[0] if info else postmaster
    if postmaster is None:
        return backends, []
    # The cluster's own processes: checkpointer, WAL writer, autovacuum …
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
    return backends, [int(pid) for pid in children if int(pid) not in backends]


def process_cpu(pid: int) -> tuple[int, float] | None:
    """Return (parent pid, utime + stime in seconds) of a live process, None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


class CpuMeter:
    """CPU seconds used during the load by each part: app, queue worker, Redis, PostgreSQL, the load generator.

    Every second it reads utime + stime of each process of a part from /proc and keeps the first
    and the last value seen per process, so a process that is killed (the SIGKILLed web worker)
    keeps what it used until its last sample (less than a second is lost) and a process started
    during the load (its replacement, a new PostgreSQL backend) counts from 0. The load
    generator is this process (its client threads; the sampler's own share is small).
    """

    def __init__(self, server: subprocess.Popen, redis: subprocess.Popen, database: str, events: dict, worker):
        self.server, self.redis, self.database, self.events, self.worker = server, redis, database, events, worker
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.stop = threading.Event()
        self.own_started = time.process_time()
        self.own = 0.0

    def parts(self) -> dict[str, list[int]]:
        """The pids of each part now."""
        parts = {"gunicorn (master + web workers)": [self.server.pid, *gunicorn_workers(self.server.pid)],
                 "queue worker": [self.worker.pid, *([self.events["worker"].pid] if "worker" in self.events else [])],
                 "Redis": [self.redis.pid], "PostgreSQL backends": [], "PostgreSQL background": []}
        parts["PostgreSQL backends"], parts["PostgreSQL background"] = postgresql_pids(self.database)
        return parts

    def sample(self, first: bool = False) -> None:
        for part, pids in self.parts().items():
            for pid in pids:
                info = process_cpu(pid)
                if info is None:
                    continue
                key = (part, pid)
                self.first.setdefault(key, info[1] if first else 0.0)
                self.last[key] = info[1]

    def run(self) -> None:
        self.sample(first=True)
        while not self.stop.wait(1.0):
            self.sample()

    def start(self) -> None:
        threading.Thread(target=self.run, daemon=True).start()

    def finish(self) -> dict[str, float]:
        """Stop sampling; return CPU seconds per part during the load."""
        self.affinity = {part: cpus_of(pids) for part, pids in self.parts().items()}
        self.affinity["load generator (this process)"] = cpus_of([os.getpid()])
        self.sample()
        self.stop.set()
        self.own = time.process_time() - self.own_started
        used: dict[str, float] = {}
        for (part, pid), last in self.last.items():
            used[part] = used.get(part, 0.0) + last - self.first[(part, pid)]
        used["load generator (this process)"] = self.own
        return used


def sample_accept_queue(port: int, stop: threading.Event, seen: dict) -> None:
    """Keep the largest accept queue of the listening socket (ss: Recv-Q of a LISTEN socket)."""
    while not stop.is_set():
        out = subprocess.run(["ss", "-lntH", f"sport = :{port}"], capture_output=True, text=True).stdout.split()
        if len(out) >= 3:
            seen["max_accept_queue"] = max(seen.get("max_accept_queue", 0), int(out[1]))
            seen["backlog"] = int(out[2])
        stop.wait(0.5)


class Participant(Client):
    """A quiz client with its own address, as nginx passes it on."""

    def __init__(self, port, recorder, timeout, address: str):
        super().__init__(port, recorder, timeout)
        self.address = address

    def request(self, kind, method, path, fields=None, headers=None, connection=None):
        # A dropped connection is sent again by quiz_load.Client.send, as a browser does.
        headers = {**(headers or {}), "X-Forwarded-For": self.address}
        return super().request(kind, method, path, fields, headers, connection)


def address_of(number: int) -> str:
    """A distinct documentation-range address per participant (only ever sent as a header)."""
    return f"198.18.{number // 250}.{number % 250 + 1}"


def run_participant(number: int, port: int, recorder: Recorder, args) -> tuple[str, dict]:
    """One participant's quiz, through quiz_load's journey with its own address."""
    original = quiz_load.Client
    quiz_load.Client = lambda p, r, t: Participant(p, r, t, address_of(number))  # noqa: E731
    try:
        return quiz_load.take_quiz(number, port, recorder, args)
    finally:
        quiz_load.Client = original


def staff_client(port: int) -> Participant:
    client = Participant(port, Recorder(), 60, "198.19.0.1")
    _, page = client.expect(200, "-", "GET", "/masuk")
    client.expect(302, "-", "POST", "/masuk", {"csrf_token": TOKEN.search(page).group(1),
                                               "identifier": STAFF_PHONE, "password": quiz_load.PASSWORD}, FORM)
    return client


def start_bulk_issue(client: Participant, cohort_id: int) -> str:
    """Staff presses "issue all" on the cohort's certificate page; return the job page path."""
    _, page = client.expect(200, "-", "GET", f"/staf/kohort/{cohort_id}/sertifikat")
    fields = {"csrf_token": TOKEN.search(page).group(1)}
    for name in re.findall(r'name="(konfirmasi|confirm)"', page)[:1]:
        fields[name] = "1"
    status, response, _ = client.request("-", "POST", f"/staf/kohort/{cohort_id}/sertifikat/terbitkan", fields, FORM)
    location = response.getheader("Location") or ""
    if status != 302 or "/proses/" not in location:
        raise RuntimeError(f"bulk issue did not start: {status} {location}")
    return location


def probe_login_limit(port: int, tries: int) -> dict:
    """Wrong passwords for one account from one address, a new connection each: how many got through?"""
    statuses, started = [], time.time()
    for _ in range(tries):
        client = Participant(port, Recorder(), 30, "198.19.1.1")
        status, _r, page = client.request("-", "GET", "/masuk")
        token = TOKEN.search(page)
        if status != 200 or not token:
            statuses.append(status)
            continue
        status, _r, _page = client.request("-", "POST", "/masuk", {"csrf_token": token.group(1),
                                                                   "identifier": LOGIN_LIMIT_ACCOUNT,
                                                                   "password": "salah-sekali"}, FORM)
        statuses.append(status)
        client.connection.close()
    # Limits count in fixed one-minute windows: a probe that spans k windows may get k × the limit through.
    windows = int(time.time() // 60) - int(started // 60) + 1
    return {"tries": tries, "refused_429": statuses.count(429), "answered": len(statuses) - statuses.count(429),
            "minute_windows": windows}


def wait_for_job(client: Participant, path: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _, _r, body = client.request("-", "GET", path + "/status", headers={"Accept": "application/json"})
        match = re.search(r'"status":\s*"(\w+)"', body)
        if match and match.group(1) in ("done", "failed"):
            return match.group(1)
        time.sleep(1)
    return "timeout"


def reconcile_certificates(cohort_id: int) -> dict:
    from sqlalchemy import func, select

    from lms import create_app
    from lms.extensions import db
    from lms.models import Certificate, Enrollment

    app = create_app()
    with app.app_context():
        per_enrollment = db.session.execute(
            select(Certificate.enrollment_id, func.count()).join(Enrollment)
            .where(Enrollment.cohort_id == cohort_id, Certificate.status == "valid", Certificate.kind == "graduation")
            .group_by(Certificate.enrollment_id)).all()
        graduates = db.session.scalar(select(func.count()).select_from(Enrollment)
                                      .where(Enrollment.cohort_id == cohort_id))
        db.engine.dispose()
    return {"graduates": graduates, "with_certificate": len(per_enrollment),
            "duplicate_certificates": sum(count - 1 for _, count in per_enrollment)}


def server_latency(access_log: Path, skip: int) -> list[float]:
    """Every quiz-journey request's time inside gunicorn, in seconds (not the 503s of the admission limit)."""
    times = []
    for line in access_log.read_text().splitlines()[skip:]:
        parts = line.split()
        if len(parts) == 4 and parts[2] != "503" and not parts[1].startswith(("/staf", "/healthz")):
            times.append(int(parts[3]) / 1e6)
    return times


def percentiles(values: list[float]) -> str:
    if not values:
        return "no requests"
    return ", ".join(f"p{int(share * 100)} {1000 * quiz_load.percentile(values, share):.0f} ms"
                     for share in (0.5, 0.95, 0.99))


def database_name(url: str) -> str:
    """The database name of a PostgreSQL URL (PostgreSQL puts it in each backend's process title)."""
    return url.rsplit("/", 1)[1].split("?")[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL URL of a database the bench may wipe")
    parser.add_argument("--participants", type=int, default=1700)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--certificates", type=int, default=200, help="graduates in the bulk-issue cohort")
    parser.add_argument("--limit-probe", type=int, default=30, help="wrong-password tries on one account")
    parser.add_argument("--saves", type=int, default=3)
    parser.add_argument("--duplicate-every", type=int, default=10)
    parser.add_argument("--max-seconds", type=float, default=1500)
    parser.add_argument("--request-timeout", type=float, default=120)
    parser.add_argument("--think-seconds", type=float, default=0.0,
                        help="mean pause between a client's requests (0: a closed loop, the default)")
    parser.add_argument("--cpus", help="pin the run and the PostgreSQL cluster to these CPUs, e.g. 0 or 0,1")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the cluster's CPUs are put back
    load_at_start = Path("/proc/loadavg").read_text().split()[:3]
    if args.cpus:
        from bench._setup import database_url

        with Pinning(database_url(args.database_url, Path(".")), parse_cpus(args.cpus)):
            run(args, load_at_start)
    else:
        run(args, load_at_start)


def run(args, load_at_start) -> None:
    with tempfile.TemporaryDirectory(prefix="lms-scale-out-") as tmp:
        folder = Path(tmp)
        from bench._setup import database_url

        redis, redis_port = start_redis(folder)
        setup = prepare(folder, database_url(args.database_url, folder), redis_port, args.participants,
                        args.certificates)
        env, port, access_log = setup["env"], free_port(), folder / "access.log"
        server = start_gunicorn(env, port, args.workers, args.threads, access_log)
        worker = start_worker(env, folder / "worker.log")
        recorder, expected, failures, events = Recorder(), {}, [], {}
        try:
            quiz_load.warm_up(port, recorder, args.workers)
            time.sleep(0.5)
            skip = len(access_log.read_text().splitlines())
            started = recorder.started = LOAD_STARTED[0] = time.perf_counter()
            tcp_before, queue_seen, stop_sampling = tcp_counters(), {}, threading.Event()
            threading.Thread(target=sample_accept_queue, args=(port, stop_sampling, queue_seen), daemon=True).start()
            meter = CpuMeter(server, redis, database_name(args.database_url), events, worker)
            meter.start()
            half = args.participants // 2
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                futures = [pool.submit(run_participant, n, port, recorder, args)
                           for n in range(1, args.participants + 1)]
                for finished, future in enumerate(as_completed(futures, timeout=args.max_seconds), start=1):
                    try:
                        phone, answers = future.result()
                        expected[phone] = answers
                    except Exception as error:  # noqa: BLE001 - counted and shown
                        failures.append(f"{time.perf_counter() - started:.1f} s: {error!r}")
                    if finished == half:
                        threading.Thread(target=crash_midway, args=(server, worker, port, setup, env, folder,
                                                                    events, args), daemon=True).start()
            wall = time.perf_counter() - started
            cpu_used = meter.finish()
            stop_sampling.set()
            tcp_after = tcp_counters()
            events.setdefault("job", "not started")
            while events.get("job") in ("not started", "running") and time.perf_counter() - started < args.max_seconds:
                time.sleep(1)
        finally:
            for process in (server, events.get("worker", worker), redis):
                process.send_signal(signal.SIGTERM)
            for process in (server, events.get("worker", worker), redis):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        server_side = server_latency(access_log, skip)
        quiz = quiz_load.reconcile(expected)
        certificates = reconcile_certificates(setup["cohort_id"])
    limit = events.get("limit", {})
    cores = len(os.sched_getaffinity(0))
    pacing = f"paced, mean pause {args.think_seconds:g} s" if args.think_seconds else "closed loop"
    print(f"PostgreSQL + Redis; gunicorn gthread workers={args.workers} threads={args.threads}; 1 queue worker; "
          f"{args.participants} participants, {args.concurrency} at a time ({pacing}); wall {wall:.0f} s")
    print(f"CPUs ({args.cpus or 'not pinned'}):", ", ".join(f"{part} {mask}" for part, mask in meter.affinity.items()))
    everything = [s for values in recorder.latency.values() for s in values]
    print(f"sent again after a dropped connection: {dict(recorder.resent) or 'none'}")
    print(f"503 + Retry-After, sent again after the wait: {dict(recorder.refused_busy) or 'none'}")
    print(f"-- seen by the clients: {len(everything)} requests, {percentiles(everything)}")
    print(f"-- inside gunicorn:     {len(server_side)} requests, {percentiles(server_side)}")
    print(f"requests/s: {len(everything) / wall:.1f}; load average at the start: {load_at_start}")
    total_cpu = sum(cpu_used.values())
    print(f"CPU during the load: {total_cpu:.1f} s of {cores * wall:.0f} s on {cores} core(s); per request "
          f"{1000 * total_cpu / max(len(everything), 1):.1f} ms: "
          + ", ".join(f"{part} {1000 * seconds / max(len(everything), 1):.1f} ms"
                      for part, seconds in cpu_used.items()))
    print("midway:", ", ".join(f"{k}={v}" for k, v in events.items() if k not in ("worker", "limit")))
    print("quiz reconciliation:", ", ".join(f"{key}={value}" for key, value in quiz.items()))
    print("certificates:", ", ".join(f"{key}={value}" for key, value in certificates.items()))
    print(f"login limit probe: {limit}")
    print(f"kernel TcpExt during the load (whole machine): "
          f"{ {k: tcp_after[k] - tcp_before[k] for k in tcp_after} }; accept queue seen: {queue_seen}")
    kinds: dict[str, int] = {}
    for _s, _kind, reused, error in recorder.drops:
        key = f"{'kept-alive' if reused else 'new'} {error}"
        kinds[key] = kinds.get(key, 0) + 1
    killed_at = events.get("killed_at", -1.0)
    near_kill = sum(1 for d in recorder.drops if killed_at <= d[0] <= killed_at + 15)
    print(f"dropped connections: {len(recorder.drops)} {kinds}, {near_kill} within 15 s after the SIGKILL; "
          f"first 20 (s, kind, reused, error): {recorder.drops[:20]}")
    print(f"client failures: {len(failures)}; 5xx responses: {recorder.server_errors}")
    for failure in failures[:5]:
        print("  ", failure)
    ok = (not failures and recorder.server_errors == 0 and quiz["attempts"] == args.participants
          and quiz["lost_answers"] == 0 and quiz["duplicate_attempts"] == 0 and quiz["duplicate_grades"] == 0
          and events.get("job") == "done" and certificates["duplicate_certificates"] == 0
          and certificates["with_certificate"] == certificates["graduates"]
          and limit.get("answered", 99) <= LOGIN_LIMIT_PER_MINUTE * limit.get("minute_windows", 1))
    print(f"result: {'OK' if ok else 'FAILED'}")
    sys.exit(0 if ok else 1)


def crash_midway(server, worker, port, setup, env, folder, events, args) -> None:
    """SIGKILL a web process and the queue worker, issue certificates while the worker is down, restart it."""
    try:
        victims = gunicorn_workers(server.pid)
        os.kill(victims[0], signal.SIGKILL)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        events["killed_at"] = round(time.perf_counter() - LOAD_STARTED[0], 1)
        events["killed"] = f"gunicorn worker {victims[0]} and queue worker {worker.pid}"
        staff = staff_client(port)
        job_path = start_bulk_issue(staff, setup["cohort_id"])
        events["job"] = "running"
        events["limit"] = probe_login_limit(port, args.limit_probe)
        time.sleep(5)
        events["worker"] = start_worker(env, folder / "worker.log")
        events["job"] = wait_for_job(staff, job_path, args.max_seconds)
    except Exception as error:  # noqa: BLE001 - reported in the result
        events["job"] = f"error: {error!r}"


if __name__ == "__main__":
    main()
