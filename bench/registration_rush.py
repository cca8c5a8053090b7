"""The closing-hour rush on /daftar: 1,700 registrations in 10 minutes, bursts of 50 at once, 5% duplicates.

    .venv/bin/python bench/registration_rush.py --quick                  # smoke run: 150 in about 40 s
    .venv/bin/python bench/registration_rush.py                          # SQLite, the full rush
    .venv/bin/python bench/registration_rush.py --database-url postgresql://lms:lms@127.0.0.1:5432/lms_test_reg

The PostgreSQL database's public schema is DROPPED: give the bench one of its own.

gunicorn runs with gunicorn.conf.py (gthread, 4 workers × 2 threads, one connection per thread) behind a
pretend proxy (PROXY_HOPS = 1): each registrant sends its own address as X-Forwarded-For,
as nginx would pass it on, so the real per-address and per-phone limits stay on, in the
shared SQLite rate-limit store every process uses.

Each registrant is a client that knows only the HTML: it GETs /daftar, parses the form
(CSRF token, the hidden signed fill time and referral code, the honeypot it leaves empty,
the selects, the datalist of regencies, the baseline questions), waits the minimum fill
time and POSTs. The bench lowers the minimum fill time to --min-fill-seconds (default 2 s,
production default 4 s) through the instance config, so 50 people "typing" at once do not
stretch the schedule. The 50 of a burst POST at the same moment (a barrier).

Mixed in: --duplicate-share of the POSTs repeat a phone already sent (half of them inside the
same burst, so the two race), and --invalid-share carry an invalid phone or a hostile
<script> name with an unknown regency (both must be refused, 400, and store nothing).

Reconciliation: every phone answered 303 is in the cohort's registrants exactly once, with
the regency it chose; every duplicate was answered with the "already registered" page; the
registrants per regency equal what the clients sent (the outreach figures' input); 0
server errors. It prints p50/p95/p99 of the POSTs, seen by the clients and inside gunicorn,
and exits 1 if anything does not reconcile.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quiz_load import FORM, Client, Recorder, free_port, percentile  # noqa: E402 - after the path is set
from bench.scale_out import (  # noqa: E402
    ACCESS_LOG_FORMAT,
    database_name,
    gunicorn_workers,
    postgresql_pids,
    process_cpu,
    start_gunicorn,
    start_redis,
)

PHONE_BASE = 81560000000
REFERRAL = "BENCH-NIAS"


class FormReader(HTMLParser):
    """Read the registration form the way a browser would: fields, their values and their options."""

    def __init__(self):
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.text_inputs: list[str] = []
        self.checkboxes: dict[str, list[str]] = {}
        self.radios: dict[str, list[str]] = {}
        self.selects: dict[str, list[str]] = {}
        self.datalist: list[str] = []
        self._select: str | None = None
        self._in_datalist = False
        self.action = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "registration-form" in (a.get("class") or ""):
            self.action = a.get("action") or ""
        elif tag == "input":
            kind, name = a.get("type", "text"), a.get("name")
            if not name:
                return
            if kind == "hidden":
                self.hidden[name] = a.get("value") or ""
            elif kind == "checkbox":
                self.checkboxes.setdefault(name, []).append(a.get("value") or "y")
            elif kind == "radio":
                self.radios.setdefault(name, []).append(a.get("value") or "")
            else:
                self.text_inputs.append(name)
        elif tag == "select":
            self._select = a.get("name")
            self.selects[self._select] = []
        elif tag == "option" and self._select:
            if a.get("value"):
                self.selects[self._select].append(a["value"])
        elif tag == "datalist":
            self._in_datalist = True
        elif tag == "option" and self._in_datalist and a.get("value"):
            self.datalist.append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "datalist":
            self._in_datalist = False


@dataclass
class Plan:
    """One POST: whose phone, which regency, and what the bench expects back."""

    number: int
    phone: str
    kind: str  # new | duplicate | invalid
    regency_choice: int
    seed: int
    address: str


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    registered: dict[str, str] = field(default_factory=dict)  # phone → regency label sent
    duplicates_answered: int = 0
    invalid_refused: int = 0
    unexpected: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)  # requests resent after a stale kept-alive connection


def fill(reader: FormReader, plan: Plan) -> list[tuple[str, str]]:
    """Fill every field the page offers, as a person would (the honeypot stays empty)."""
    rng = random.Random(plan.seed)
    fields = [(name, value) for name, value in reader.hidden.items()]
    regency = reader.datalist[plan.regency_choice % len(reader.datalist)]
    typed = {"phone": "0" + plan.phone.removeprefix("+62"), "name": f"Pendaftar Bench {plan.number}",
             "business_name": f"Usaha Bench {plan.number}", "regency": regency, "district": "Kecamatan Bench",
             "website": ""}
    if plan.kind == "invalid":
        if plan.number % 2:
            typed["phone"] = "0812-ABC"
        else:
            typed["name"], typed["regency"] = '<script>alert("rush")</script>', "Atlantis"
    for name in reader.text_inputs:
        if name in typed:
            fields.append((name, typed[name]))
        elif name == "omzet":
            fields.append((name, rng.choice(["Rp 2.500.000", "1,5 juta", "750 rb", "12000000"])))
        elif name == "karyawan":
            fields.append((name, str(rng.randint(0, 12))))
    for name, options in reader.selects.items():
        fields.append((name, rng.choice(options)))
    for name, options in reader.checkboxes.items():
        if name == "consent":
            fields.append((name, options[0]))
        else:
            fields += [(name, value) for value in rng.sample(options, rng.randint(0, min(3, len(options))))]
    for name, options in reader.radios.items():
        fields.append((name, rng.choice(options)))
    return fields


STALE_CONNECTION = (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected)


class Registrant(Client):
    def __init__(self, port, recorder, timeout, address, resent: list | None = None, per_request: bool = False):
        super().__init__(port, recorder, timeout)
        self.address, self.resent = address, resent if resent is not None else []
        self.per_request = per_request

    def request(self, kind, method, path, fields=None, headers=None, connection=None):
        headers = {**(headers or {}), "X-Forwarded-For": self.address}
        if self.per_request:
            # As nginx's proxy_pass (docs/deploy.md) talks to gunicorn: HTTP/1.0, one connection per
            # request, so each request goes to whichever worker accepts it, not the one the GET reached.
            headers["Connection"] = "close"
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            return super().request(kind, method, path, fields, headers, connection)
        except STALE_CONNECTION:
            # gunicorn closed the kept-alive connection while this client waited at the burst's
            # barrier (keepalive = 10 s); a browser resends on a fresh connection, so does the bench.
            # Had the server taken the first send, the resend is a duplicate and does not reconcile.
            self.resent.append(kind)
            return super().request(kind, method, path, fields, headers, connection)


class BurstMeter:
    """CPU (utime + stime from /proc) of each part while the POSTs of a burst run, and over the whole rush.

    A burst's POST phase starts when its barrier lets the 50 clients go and ends when the last
    answer is read; the parts are gunicorn (master + workers), this process (the 50 client
    threads; the meter's own reads are in it), the bench database's PostgreSQL backends and the
    cluster's background processes. A background thread refreshes the pids every second (a
    /proc scan), so the boundary samples read only known pids' stat files (well under 1 ms).
    """

    def __init__(self, server: subprocess.Popen, database: str | None):
        self.server, self.database = server, database
        self.pids: dict[str, list[int]] = {}
        self.lock = threading.Lock()
        self.at_start: dict[tuple[str, int], float] = {}
        self.post_cpu: Counter = Counter()  # part → CPU seconds inside POST phases
        self.whole_first: dict[tuple[str, int], float] = {}
        self.whole_last: dict[tuple[str, int], float] = {}
        self.post_wall = 0.0
        self.phase_started = 0.0
        self.pending = 0
        self.stop = threading.Event()
        self.refresh()

    def refresh(self) -> None:
        """Find the pids of every part (a /proc scan)."""
        parts = {"gunicorn": [self.server.pid, *gunicorn_workers(self.server.pid)], "bench client": [os.getpid()],
                 "PostgreSQL backends": [], "PostgreSQL background": []}
        if self.database:
            parts["PostgreSQL backends"], parts["PostgreSQL background"] = postgresql_pids(self.database)
        with self.lock:
            self.pids = parts

    def read(self) -> dict[tuple[str, int], float]:
        with self.lock:
            parts = dict(self.pids)
        now = {}
        for part, pids in parts.items():
            for pid in pids:
                info = process_cpu(pid)
                if info is not None:
                    now[(part, pid)] = info[1]
        return now

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.refresh()
            for key, value in self.read().items():
                self.whole_first.setdefault(key, value)
                self.whole_last[key] = value

    def start(self) -> None:
        for key, value in self.read().items():
            self.whole_first[key] = self.whole_last[key] = value
        threading.Thread(target=self.run, daemon=True).start()

    def burst_starts(self, size: int) -> None:
        """The barrier's action: the burst's POSTs go now."""
        self.pending = size
        self.at_start = self.read()
        self.phase_started = time.perf_counter()

    def post_done(self) -> None:
        """One POST of the burst was answered; the last one closes the phase."""
        with self.lock:
            if self.pending <= 0:
                return  # a broken barrier: this burst's phase was never started
            self.pending -= 1
            last = self.pending == 0
        if last:
            self.post_wall += time.perf_counter() - self.phase_started
            for key, value in self.read().items():
                self.post_cpu[key[0]] += value - self.at_start.get(key, 0.0 if key[0].startswith("PostgreSQL b")
                                                                   else value)

    def finish(self) -> dict[str, float]:
        self.stop.set()
        for key, value in self.read().items():
            self.whole_first.setdefault(key, value)
            self.whole_last[key] = value
        whole: Counter = Counter()
        for key, value in self.whole_last.items():
            whole[key[0]] += value - self.whole_first[key]
        return dict(whole)


def cpu_line(label: str, used: dict[str, float], count: int) -> str:
    """CPU per request by part, in ms."""
    total = sum(used.values())
    return (f"{label}: {total:.1f} s, {1000 * total / max(count, 1):.1f} ms per POST: "
            + ", ".join(f"{part} {1000 * seconds / max(count, 1):.1f}" for part, seconds in used.items()))


def run_one(plan: Plan, port: int, recorder: Recorder, barrier: threading.Barrier, args, results: Results,
            meter: BurstMeter | None = None) -> None:
    client = Registrant(port, recorder, 120, plan.address, results.resent, args.upstream == "per-request")
    try:
        status, _r, page = client.request("GET /daftar", "GET", f"/daftar?ref={REFERRAL.lower()}")
        reader = FormReader()
        reader.feed(page)
        if status != 200 or not reader.action:
            barrier.abort()  # the rest of the burst goes on without this one
            raise RuntimeError(f"form page: {status}")
        fields = fill(reader, plan)
        time.sleep(args.min_fill_seconds + 0.2)  # a person takes longer; the bench waits the minimum
        try:
            barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass  # one of the burst failed before posting: post anyway
        try:
            status, response, body = client.request("POST /daftar", "POST", reader.action, fields, FORM)
        finally:
            if meter is not None:
                meter.post_done()
        check(plan, status, response, body, dict(fields), results)
    except Exception as error:  # noqa: BLE001 - counted and shown
        with results.lock:
            results.unexpected.append(f"{plan.kind} {plan.phone}: {error!r}")
    finally:
        client.connection.close()


def check(plan: Plan, status: int, response, body: str, sent: dict, results: Results) -> None:
    with results.lock:
        if status == 303 and plan.kind != "invalid":
            if plan.phone in results.registered:
                results.unexpected.append(f"{plan.phone}: registered twice (303 twice)")
            results.registered[plan.phone] = sent["regency"]
        elif status == 200 and 'data-testid="registration-duplicate"' in body and plan.kind != "invalid":
            results.duplicates_answered += 1
        elif status == 400 and plan.kind == "invalid":
            results.invalid_refused += 1
        else:
            results.unexpected.append(f"{plan.kind} {plan.phone}: {status} {response.getheader('Location')}")


def make_plans(args) -> list[list[Plan]]:
    """The POSTs in bursts: new phones, duplicates (in the same burst or of an earlier one), invalid ones."""
    rng = random.Random(20270212)
    total, burst = args.registrations, args.burst
    duplicates, invalid = round(total * args.duplicate_share), round(total * args.invalid_share)
    kinds = ["duplicate"] * duplicates + ["invalid"] * invalid + ["new"] * (total - duplicates - invalid)
    rng.shuffle(kinds)
    bursts: list[list[Plan]] = []
    sent_new: list[Plan] = []
    for number, kind in enumerate(kinds):
        if number % burst == 0:
            bursts.append([])
        current = bursts[-1]
        address = f"198.18.{number // 250}.{number % 250 + 1}"
        if kind == "duplicate" and sent_new:
            same_burst = [p for p in current if p.kind == "new"]
            original = rng.choice(same_burst if same_burst and number % 2 else sent_new)
            current.append(Plan(number, original.phone, "duplicate", original.regency_choice, number, address))
            continue
        kind = "new" if kind == "duplicate" else kind
        plan = Plan(number, f"+62{PHONE_BASE + number}", kind, rng.randrange(33), number, address)
        current.append(plan)
        if kind == "new":
            sent_new.append(plan)
    return bursts


def prepare(folder: Path, url: str, args) -> dict:
    """A fresh schema with one cohort open for registration and one referral code."""
    (folder / "config.py").write_text(
        f"SECRET_KEY = 'bench-only'\nSQLALCHEMY_DATABASE_URI = {url!r}\nPROXY_HOPS = 1\n"
        f"REGISTRATION_MIN_FILL_SECONDS = {args.min_fill_seconds!r}\n"
    )
    os.environ.update({"LMS_INSTANCE_PATH": str(folder), "LMS_PUBLIC_URL": "http://127.0.0.1:5000"})
    for variable in ("DATABASE_URL", "LMS_REDIS_URL", "LMS_QUEUE_URL"):
        os.environ.pop(variable, None)
    from bench._setup import migrate_fresh
    from lms import create_app
    from lms.extensions import db
    from lms.models import Cohort, ReferralCode
    from lms.registration.queries import wib_today

    app = create_app()
    with app.app_context():
        migrate_fresh()
        today = wib_today()
        cohort = Cohort(name="FTD Rush", slug="ftd-rush", course_id="ftd-umkm", start_date=today + timedelta(30),
                        bootcamp_date=today + timedelta(40), graduation_date=today + timedelta(80),
                        registration_opens_on=today - timedelta(30), registration_closes_on=today)
        db.session.add(cohort)
        db.session.flush()
        db.session.add(ReferralCode(cohort_id=cohort.id, code=REFERRAL, label="Bench"))
        db.session.commit()
        cohort_id = cohort.id
        db.engine.dispose()
    return {"cohort_id": cohort_id, "env": {**os.environ, "PYTHONPATH": str(ROOT)}}


def reconcile(cohort_id: int, results: Results) -> dict:
    """Compare the database with what the clients were told."""
    from sqlalchemy import func, select

    from lms import create_app, regions
    from lms.extensions import db
    from lms.models import Enrollment, ParticipantProfile, SurveyResponse, User

    app = create_app()
    with app.app_context():
        rows = db.session.execute(
            select(User.phone, ParticipantProfile.regency_code, Enrollment.registered_via, Enrollment.referral_code)
            .join(Enrollment, Enrollment.user_id == User.id).join(ParticipantProfile)
            .where(Enrollment.cohort_id == cohort_id)).all()
        per_phone = Counter(phone for phone, *_ in rows)
        baselines = db.session.scalar(select(func.count()).select_from(SurveyResponse)
                                      .where(SurveyResponse.cohort_id == cohort_id))
        scripts = db.session.scalar(select(func.count()).select_from(User).where(User.name.like("%<script>%")))
        db.engine.dispose()
    stored = {phone: code for phone, code, *_ in rows}
    label_to_code = {r.label: r.code for r in regions.REGENCIES}
    expected_regencies = Counter(label_to_code[label] for label in results.registered.values())
    return {
        "answered_303": len(results.registered),
        "in_registrants": len(stored),
        "lost": len(set(results.registered) - set(stored)),
        "unconfirmed_rows": len(set(stored) - set(results.registered)),
        "double_rows": sum(n - 1 for n in per_phone.values()),
        "wrong_regency": sum(1 for phone, label in results.registered.items()
                             if stored.get(phone) != label_to_code[label]),
        "regency_counts_match": Counter(stored.values()) == expected_regencies,
        "baseline_answers": baselines,
        "via_form_with_referral": sum(1 for _p, _c, via, ref in rows if via == "form" and ref == REFERRAL),
        "hostile_stored": scripts,
    }


def warm_up(port: int, workers: int, threads: int) -> None:
    """Let every worker load the published content once (its first request reads courses/), not timed."""
    for _ in range(workers * threads):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", "/daftar", headers={"X-Forwarded-For": "198.19.0.1"})
        connection.getresponse().read()
        connection.close()


LOG_FORMAT = ACCESS_LOG_FORMAT + " %(p)s"  # and the worker's pid, for the balance figure


def post_lines(access_log: Path, skip: int) -> list[list[str] | None]:
    """The log's POST /daftar lines split into fields, with None for each other line (a GET between bursts)."""
    lines = []
    for line in access_log.read_text().splitlines()[skip:]:
        parts = line.split()
        lines.append(parts if len(parts) == 5 and parts[0] == "POST" and parts[1] == "/daftar" else None)
    return lines


def server_latency(access_log: Path, skip: int) -> list[float]:
    """Each POST /daftar's time inside gunicorn, in seconds."""
    return [int(parts[3]) / 1e6 for parts in post_lines(access_log, skip) if parts]


def busiest_worker_shares(access_log: Path, skip: int) -> list[float]:
    """For each burst, the share of its POSTs the busiest worker served (1/3 = even over 3 workers).

    A burst's POSTs are a run of POST lines: the next burst's GETs come seconds after its last answer.
    """
    shares, run = [], Counter()
    for parts in [*post_lines(access_log, skip), None]:
        if parts:
            run[parts[4]] += 1
        elif run:
            shares.append(max(run.values()) / sum(run.values()))
            run = Counter()
    return shares


def summary(values: list[float]) -> str:
    if not values:
        return "none"
    return ", ".join(f"p{int(s * 100)} {1000 * percentile(values, s):.0f} ms" for s in (0.5, 0.95, 0.99))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL of a database the bench may wipe (default SQLite)")
    parser.add_argument("--registrations", type=int, default=1700)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--duplicate-share", type=float, default=0.05)
    parser.add_argument("--invalid-share", type=float, default=0.01)
    parser.add_argument("--min-fill-seconds", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes (gunicorn.conf.py's default)")
    parser.add_argument("--threads", type=int, default=2, help="threads per process (gunicorn.conf.py's default)")
    parser.add_argument("--upstream", choices=("kept-alive", "per-request"), default="kept-alive",
                        help="per-request: each request on its own connection, as nginx's proxy_pass sends them")
    parser.add_argument("--limits", choices=("sqlite", "redis"), default="sqlite",
                        help="the rate-limit store: the shared SQLite file, or a private Redis (docs/deploy.md)")
    parser.add_argument("--worker-connections", choices=("threads", "gunicorn"), default="threads",
                        help="each worker's open connections: one per thread (the default, lms/admission.py), "
                             "or gunicorn's own setting (1,000; the behaviour until round 27)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 150 registrations in bursts of 25")
    args = parser.parse_args()
    if args.quick:
        args.registrations, args.minutes, args.burst = 150, 0.5, 25
    with tempfile.TemporaryDirectory(prefix="lms-rush-") as tmp:
        folder = Path(tmp)
        from bench._setup import database_url

        url = database_url(args.database_url, folder)
        setup = prepare(folder, url, args)
        redis = None
        if args.limits == "redis":
            redis, redis_port = start_redis(folder)
            setup["env"]["LMS_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        setup["env"]["LMS_WORKER_CONNECTIONS"] = args.worker_connections
        port, access_log = free_port(), folder / "access.log"
        server = start_gunicorn(setup["env"], port, args.workers, args.threads, access_log, LOG_FORMAT)
        warm_up(port, args.workers, args.threads)
        skip = len(access_log.read_text().splitlines())
        recorder, results = Recorder(), Results()
        bursts = make_plans(args)
        load_at_start = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        meter = BurstMeter(server, database_name(url) if url.startswith("postgresql") else None)
        meter.start()
        gap = args.minutes * 60 / len(bursts)
        started = time.perf_counter()
        try:
            with ThreadPoolExecutor(max_workers=args.burst * 3) as pool:
                for index, burst in enumerate(bursts):
                    delay = started + index * gap - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                    barrier = threading.Barrier(len(burst), action=partial(meter.burst_starts, len(burst)))
                    for plan in burst:
                        pool.submit(run_one, plan, port, recorder, barrier, args, results, meter)
            wall = time.perf_counter() - started
            whole_cpu = meter.finish()
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            if redis is not None:
                redis.kill()
                redis.wait()
        figures = reconcile(setup["cohort_id"], results)
        inside = server_latency(access_log, skip)
        shares = busiest_worker_shares(access_log, skip)
    kinds = Counter(plan.kind for burst in bursts for plan in burst)
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"{database}; gunicorn gthread workers={args.workers} threads={args.threads}; {sum(kinds.values())} POSTs "
          f"({dict(kinds)}) in {len(bursts)} bursts of {args.burst}, one every {gap:.1f} s; wall {wall:.0f} s; "
          f"min fill time {args.min_fill_seconds} s; connections {args.upstream}, "
          f"{args.worker_connections} per worker; rate limits in {args.limits}")
    print(f"-- POST /daftar seen by the clients: {summary(recorder.latency['POST /daftar'])}")
    print(f"-- POST /daftar inside gunicorn:     {summary(inside)}")
    print(f"-- GET /daftar seen by the clients:  {summary(recorder.latency['GET /daftar'])}")
    if shares:
        print(f"busiest worker's share of a burst's POSTs: mean {100 * sum(shares) / len(shares):.0f}%, "
              f"max {100 * max(shares):.0f}% (even: {100 / args.workers:.0f}%)")
    posts = sum(kinds.values())
    print(f"load average at the start: {load_at_start}")
    print(cpu_line(f"CPU in the POST phases ({meter.post_wall:.0f} s of wall, {2 * meter.post_wall:.0f} s on 2 cores)",
                   dict(meter.post_cpu), posts))
    print(cpu_line(f"CPU over the whole rush, GETs included ({wall:.0f} s of wall)", whole_cpu, posts))
    print(f"duplicates answered as such: {results.duplicates_answered}; invalid refused: {results.invalid_refused}")
    print("reconciliation:", ", ".join(f"{key}={value}" for key, value in figures.items()))
    print(f"server errors: {recorder.server_errors}; unexpected answers: {len(results.unexpected)}; "
          f"resent on a fresh connection: {len(results.resent)}")
    for line in results.unexpected[:10]:
        print("  ", line)
    ok = (figures["lost"] == 0 and figures["double_rows"] == 0 and figures["unconfirmed_rows"] == 0
          and figures["wrong_regency"] == 0 and figures["regency_counts_match"] and figures["hostile_stored"] == 0
          and not results.unexpected and recorder.server_errors == 0
          and results.duplicates_answered == kinds["duplicate"] and results.invalid_refused == kinds["invalid"]
          and figures["baseline_answers"] == figures["in_registrants"])
    print("OK" if ok else "DOES NOT RECONCILE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
