"""300 participants take a quiz at once under gunicorn; the database is then reconciled.

    .venv/bin/python bench/quiz_load.py [--participants 300] [--concurrency 16] [--workers 2] [--threads 4]
    .venv/bin/python bench/quiz_load.py --database-url postgresql://lms:lms@127.0.0.1:5432/lms_bench_quiz

Sets up a fresh instance in a temp folder (an SQLite file there, or the given
PostgreSQL database, whose public schema is DROPPED and recreated: give it a
database of its own, e.g. `su postgres -c "createdb -O lms lms_bench_quiz"`),
inserts the participants in bulk with a cheap password hash, starts gunicorn
(gthread) on loopback, and runs every participant as its own client with its own
session, at most --concurrency at a time:

  log in → open the quiz → start an attempt → open the quiz page → autosave three
  times (whole answer set, rising sequence numbers) → one stale autosave with an old
  sequence number and different answers (must be ignored) → submit (every
  --duplicate-every'th participant fires three submits at once, as a double tap or a
  retry would) → open the result page.

Then it reconciles the database against what the clients sent and prints
p50/p95 latency per request type. It fails (exit 1) unless: attempts == participants,
0 lost answers, 0 duplicate attempts or grades, 0 5xx responses.
"""

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COURSE = "ftd-umkm"
MODULE = "penganggaran-iklan"  # every question kind
PASSWORD = "bench12345"  # noqa: S105 - bench-only accounts in a throwaway database
HASH_METHOD = "pbkdf2:sha256:1000"  # cheap on purpose: the bench measures quizzes, not password hashing
PHONE_BASE = 81390000000
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
BUSY_RETRIES = 100  # a 503 with Retry-After is sent again (the busy page reloads itself; --max-seconds bounds it)
# A connection that drops before any answer is tried again, as a browser does: at once when it was a
# kept-alive connection the server closed as the request went out, after 1, 2, 4 … s otherwise.
DROP_RETRIES = 5
DROPPED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
JSON_FORM = {**FORM, "Accept": "application/json"}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
INPUT = re.compile(r'<input type="(radio|checkbox|text)"[^>]*?name="q-([a-z0-9-]+)"(?: value="([a-z]+)")?')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_instance(folder: Path, url: str, participants: int) -> tuple[dict, dict]:
    """Write the instance config, build a fresh schema and insert the participants."""
    (folder / "config.py").write_text(
        f"SECRET_KEY = 'bench-only'\nRATELIMIT_ENABLED = False\nPASSWORD_HASH_METHOD = {HASH_METHOD!r}\n"
        f"SQLALCHEMY_DATABASE_URI = {url!r}\nPUBLIC_URL = 'http://127.0.0.1:5000'\n"
    )
    os.environ["LMS_INSTANCE_PATH"] = str(folder)
    os.environ.pop("DATABASE_URL", None)
    from bench._setup import migrate_fresh
    from lms import create_app
    from lms.extensions import db

    app = create_app()
    with app.app_context():
        migrate_fresh()
        phones = insert_participants(participants)
        db.engine.dispose()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return env, phones


def insert_participants(count: int) -> dict:
    """Insert a cohort and `count` active participants in bulk; return phone → user id."""
    from datetime import date

    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from lms.extensions import db
    from lms.models import Cohort, Enrollment, User

    cohort = Cohort(name="Bench", slug="bench", course_id=COURSE, start_date=date(2026, 11, 2),
                    bootcamp_date=date(2026, 11, 16), graduation_date=date(2026, 12, 14))
    db.session.add(cohort)
    db.session.flush()
    password_hash = generate_password_hash(PASSWORD, method=HASH_METHOD)
    db.session.execute(insert(User), [
        {"name": f"Peserta Bench {n}", "phone": f"+62{PHONE_BASE + n}", "password_hash": password_hash,
         "role": "participant"}
        for n in range(count + 1)  # number 0 only warms the workers up
    ])
    users = dict(db.session.execute(select(User.phone, User.id)).all())
    db.session.execute(insert(Enrollment), [
        {"cohort_id": cohort.id, "user_id": user_id, "status": "active"} for user_id in users.values()
    ])
    db.session.commit()
    return users


def start_gunicorn(env: dict, port: int, workers: int, threads: int, access_log: Path) -> subprocess.Popen:
    """Start gunicorn (gthread with the admission limit, as gunicorn.conf.py) and wait until it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--worker-class", "lms.admission.QueueLimitWorker",
         "--workers", str(workers), "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "--access-logfile", str(access_log), "--access-logformat", "%(m)s %(U)s %(s)s %(M)s", "wsgi:app"],
        cwd=ROOT, env=env,
    )
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


class Recorder:
    """Latency and status of every request, by kind."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.server_errors = 0
        self.unexpected = []
        self.refused_busy = defaultdict(int)
        self.resent = defaultdict(int)  # reason → requests sent again after a dropped connection
        self.drops = []  # (seconds since the recorder was made, kind, reused, error) of every dropped connection
        self.started = time.perf_counter()

    def dropped(self, kind: str, reused: bool, error: BaseException) -> None:
        """Count a connection dropped before its answer (the request is sent again)."""
        with self.lock:
            self.resent["kept-alive connection closed" if reused else "new connection dropped"] += 1
            self.drops.append((round(time.perf_counter() - self.started, 1), kind, reused, type(error).__name__))

    def busy(self, kind: str) -> None:
        """Count a 503 + Retry-After answer (the request is sent again after the wait)."""
        with self.lock:
            self.refused_busy[kind] += 1

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            if status >= 500:
                self.server_errors += 1


class Client:
    """One participant's browser: its own connection and cookie."""

    def __init__(self, port: int, recorder: Recorder, timeout: float):
        self.port, self.recorder, self.timeout = port, recorder, timeout
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    @property
    def cookie(self) -> str:
        """The Cookie header a browser would send: every cookie the server set, the last value of each."""
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, kind: str, method: str, path: str, fields=None, headers=None, connection=None):
        """Send one request, record its latency, keep the session cookie; return (status, headers, body)."""
        body = urllib.parse.urlencode(fields, doseq=True) if fields is not None else None
        all_headers = {**(headers or {}), "Cookie": self.cookie} if self.cookie else dict(headers or {})
        connection = connection or self.connection
        started = time.perf_counter()
        for _busy in range(BUSY_RETRIES + 1):
            response, data = self.send(kind, connection, method, path, body, all_headers)
            retry_after = response.getheader("Retry-After")
            if response.status != 503 or not retry_after:
                break
            # Refused by the admission limit before the app ran (lms/admission.py): the quiz script (and a
            # person, for a page) waits Retry-After and sends the same request again. Counted apart.
            self.recorder.busy(kind)
            time.sleep(int(retry_after))
        # The latency a person sees: from the first try to the answer, the waits included.
        self.recorder.add(kind, time.perf_counter() - started, response.status)
        for cookie in response.headers.get_all("Set-Cookie") or ():  # every cookie, as a browser keeps them
            name, _, value = cookie.split(";")[0].partition("=")
            if value and "max-age=0" not in cookie.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response.status, response, data

    def send(self, kind: str, connection, method: str, path: str, body, headers):
        """Send a request once, or again after a dropped connection, as a browser does; return (response, body).

        A kept-alive connection may be closed by the server (idle past gunicorn's keep-alive) just as
        a request goes out on it, which the client sees as a reset or an empty answer: browsers send
        such a request again at once on a new connection, whatever its method. A new connection that
        drops (its process was killed) is tried again after a pause, as the quiz script does for
        autosave and the queued submit and a person does for a page. Every step of the quiz journey
        is idempotent (sequence numbers, the exactly-once claim), so sending again is safe.
        """
        for dropped in range(DROP_RETRIES + 1):
            reused = connection.sock is not None
            try:
                # Stamped as docs/deploy.md's nginx stamps each request: the admission limit counts the
                # wait in the kernel's listen queue from it (lms/admission.py).
                connection.request(method, path, body, {**headers, "X-Request-Start": f"t={time.time():.3f}"})
                response = connection.getresponse()
                return response, response.read().decode()
            except DROPPED as error:
                connection.close()
                if dropped == DROP_RETRIES:
                    raise
                self.recorder.dropped(kind, reused, error)
                if not reused:
                    time.sleep(2**dropped)
            except (OSError, http.client.HTTPException):
                connection.close()  # reconnect on the next request, as a browser would
                raise
        raise AssertionError("unreachable")

    def expect(self, wanted: int, kind: str, method: str, path: str, fields=None, headers=None):
        """Send a request and insist on a status."""
        status, response, data = self.request(kind, method, path, fields, headers)
        if status != wanted:
            raise RuntimeError(f"{method} {path}: {status} (wanted {wanted})")
        return response, data


def read_questions(page: str) -> dict[str, tuple[str, list[str]]]:
    """Return question id → (input type, choice values) from the quiz page."""
    questions: dict[str, tuple[str, list[str]]] = {}
    for kind, question_id, value in INPUT.findall(page):
        questions.setdefault(question_id, (kind, []))[1].append(value)
    return questions


def random_answers(questions, rng: random.Random) -> dict[str, object]:
    """Answer every question at random, as the stored form of the answer."""
    answers = {}
    for question_id, (kind, values) in questions.items():
        if kind == "radio":
            answers[question_id] = rng.choice(values)
        elif kind == "checkbox":
            answers[question_id] = sorted(rng.sample(values, rng.randint(0, len(values))))
        else:
            answers[question_id] = rng.choice(["12.500", "1,2", "Rp 750", "15000", "CPM", "3", "tiga", "2,5"])
    return answers


def form(token: str, seq: int, answers: dict) -> list[tuple[str, str]]:
    """Encode answers as the quiz page's form."""
    fields = [("csrf_token", token), ("seq", str(seq))]
    for question_id, answer in answers.items():
        fields.append(("shown", question_id))
        for value in answer if isinstance(answer, list) else [answer]:
            fields.append((f"q-{question_id}", value))
    return fields


def thinker(number: int, mean: float):
    """A participant's pause between requests: exponential with the given mean, seeded by the number.

    With mean 0 (the default) it does nothing and draws nothing, so the closed loop is unchanged.
    Its own Random, apart from the answers', so pacing never changes what is answered.
    """
    if not mean:
        return lambda: None
    rng = random.Random(-1 - number)
    return lambda: time.sleep(rng.expovariate(1 / mean))


def take_quiz(number: int, port: int, recorder: Recorder, args) -> tuple[str, dict]:
    """Run one participant; return (phone, the answers the server must have graded)."""
    rng = random.Random(number)
    think = thinker(number, getattr(args, "think_seconds", 0.0))
    phone = f"+62{PHONE_BASE + number}"
    client = Client(port, recorder, args.request_timeout)
    _, page = client.expect(200, "login page", "GET", "/masuk")
    think()  # typing the phone number and password
    client.expect(302, "login", "POST", "/masuk", {"csrf_token": TOKEN.search(page).group(1),
                                                   "identifier": phone, "password": PASSWORD}, FORM)
    think()  # on to the quiz
    _, page = client.expect(200, "quiz overview", "GET", f"/belajar/{COURSE}/{MODULE}/kuis")
    token = TOKEN.search(page).group(1)
    think()  # reading the overview before "start"
    response, _ = client.expect(302, "start", "POST", f"/belajar/{COURSE}/{MODULE}/kuis/mulai",
                                {"csrf_token": token}, FORM)
    attempt_path = urllib.parse.urlsplit(response.getheader("Location")).path
    _, page = client.expect(200, "quiz page", "GET", attempt_path)
    questions = read_questions(page)
    token = TOKEN.search(page).group(1)
    answers: dict = {}
    seq = int(re.search(r'name="seq" value="(\d+)"', page).group(1))
    for _ in range(args.saves):
        answers = {**answers, **random_answers(questions, rng)}
        think()  # answering: quiz.js autosaves 0.4 s after each change
        _, reply = client.expect(200, "autosave", "POST", f"{attempt_path}/simpan", form(token, seq, answers),
                                 JSON_FORM)
        if '"status":"saved"' not in reply.replace(" ", ""):
            raise RuntimeError(f"autosave {seq} not saved: {reply}")
        seq += 1
    think()
    _, reply = client.expect(200, "autosave (stale)", "POST", f"{attempt_path}/simpan",
                             form(token, seq - 2, random_answers(questions, rng)), JSON_FORM)
    if '"status":"stale"' not in reply.replace(" ", ""):
        raise RuntimeError(f"stale autosave was not ignored: {reply}")
    if number % 2:  # half submit a last change with the submit, half submit the saved draft
        changed = random_answers(questions, rng)
        answers = {**answers, **changed}
        fields = form(token, seq, answers)
    else:
        fields = [("csrf_token", token), ("seq", str(seq))]
    # A random answer set may leave a checkbox question empty: the participant has seen the
    # "unanswered questions" confirm step and pressed "Kirim sekarang".
    fields.append(("confirm", "1"))
    think()  # a last look before "Kirim"
    submit(client, attempt_path, fields, duplicate=number % args.duplicate_every == 0)
    client.expect(200, "result page", "GET", attempt_path)
    return phone, answers


def submit(client: Client, attempt_path: str, fields, duplicate: bool) -> None:
    """Submit once, or three times at once on separate connections (double tap, retry)."""
    copies = 3 if duplicate else 1
    barrier = threading.Barrier(copies)
    locations, errors = [], []

    def send(connection):
        try:
            barrier.wait()
            status, response, _ = client.request("submit" if not duplicate else "submit (concurrent duplicate)",
                                                 "POST", f"{attempt_path}/kirim", fields, FORM, connection)
            locations.append((status, response.getheader("Location")))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    connections = [client.connection] + [
        http.client.HTTPConnection("127.0.0.1", client.port, timeout=client.timeout) for _ in range(copies - 1)
    ]
    threads = [threading.Thread(target=send, args=(c,)) for c in connections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for connection in connections[1:]:
        connection.close()
    if errors:
        raise errors[0]
    if {status for status, _ in locations} != {302} or len({loc for _, loc in locations}) != 1:
        raise RuntimeError(f"submits disagree: {locations}")


def warm_up(port: int, recorder: Recorder, workers: int) -> None:
    """Let every worker load the content once (participant 0, not counted)."""
    client = Client(port, Recorder(), 30)
    _, page = client.expect(200, "-", "GET", "/masuk")
    client.expect(302, "-", "POST", "/masuk", {"csrf_token": TOKEN.search(page).group(1),
                                               "identifier": f"+62{PHONE_BASE}", "password": PASSWORD}, FORM)
    for _ in range(workers * 8):
        fresh = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        client.request("-", "GET", f"/belajar/{COURSE}/{MODULE}/kuis", connection=fresh)
        fresh.close()


def reconcile(expected: dict[str, dict]) -> dict:
    """Compare the database with what the clients sent."""
    from sqlalchemy import func, select

    from lms import create_app
    from lms.extensions import db
    from lms.models import AuditEvent, QuizAnswer, QuizAttempt, User

    app = create_app()
    with app.app_context():
        users = dict(db.session.execute(select(User.phone, User.id)).all())
        attempts = db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.id, QuizAttempt.submitted_at, QuizAttempt.points)
            .where(QuizAttempt.module_id == MODULE)
        ).all()
        by_user = defaultdict(list)
        for row in attempts:
            by_user[row.user_id].append(row)
        stored = defaultdict(dict)
        answer_rows = 0
        for attempt_id, question_id, answer in db.session.execute(
            select(QuizAnswer.attempt_id, QuizAnswer.question_id, QuizAnswer.answer)
        ):
            stored[attempt_id][question_id] = answer
            answer_rows += 1
        grades = db.session.scalar(select(func.count()).where(AuditEvent.action == "quiz.graded"))
        report = {"participants": len(expected), "attempts": 0, "submitted": 0, "lost_answers": 0,
                  "duplicate_attempts": 0, "answer_rows": answer_rows, "grade_events": grades}
        for phone, answers in expected.items():
            rows = by_user.get(users[phone], [])
            report["attempts"] += len(rows)
            report["duplicate_attempts"] += max(len(rows) - 1, 0)
            if not rows:
                report["lost_answers"] += len(answers)
                continue
            row = rows[0]
            report["submitted"] += row.submitted_at is not None
            got = stored[row.id]
            report["lost_answers"] += sum(1 for qid, answer in answers.items() if got.get(qid) != answer)
        # Per attempt, so a client that failed after its submit was graded is not miscounted as a duplicate.
        per_attempt = db.session.execute(
            select(AuditEvent.object_id, func.count()).where(AuditEvent.action == "quiz.graded")
            .group_by(AuditEvent.object_id)).all()
        report["duplicate_grades"] = sum(count - 1 for _attempt, count in per_attempt)
        db.engine.dispose()
    return report


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def print_latency(recorder: Recorder, wall: float) -> float:
    """Print p50/p95/max per request type; return the overall p95 in ms."""
    everything = [s for values in recorder.latency.values() for s in values]
    print(f"{'request':32} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in list(recorder.latency.items()) + [("ALL", everything)]:
        print(f"{kind:32} {len(values):6d} {1000 * statistics.median(values):8.1f} "
              f"{1000 * percentile(values, 0.95):8.1f} {1000 * max(values):8.1f}")
    print(f"{len(everything)} requests in {wall:.1f} s = {len(everything) / wall:.0f} req/s")
    return 1000 * percentile(everything, 0.95)


SERVER_KINDS = [
    (re.compile(r"^GET /masuk$"), "login page"),
    (re.compile(r"^POST /masuk$"), "login"),
    (re.compile(r"^GET /belajar/.*/kuis$"), "quiz overview"),
    (re.compile(r"^POST /belajar/.*/kuis/mulai$"), "start"),
    (re.compile(r"^GET /kuis/percobaan/\d+$"), "quiz page / result page"),
    (re.compile(r"^POST /kuis/percobaan/\d+/simpan$"), "autosave (incl. stale)"),
    (re.compile(r"^POST /kuis/percobaan/\d+/kirim$"), "submit (incl. duplicates)"),
]


def server_times(access_log: Path, skip: int) -> dict[str, list[float]]:
    """Read gunicorn's per-request times (ms) by request type, skipping the warm-up lines."""
    times = defaultdict(list)
    for line in access_log.read_text().splitlines()[skip:]:
        method, path, status, millis = line.split()
        if status == "503":
            continue  # refused before the app ran (counted by the clients)
        kind = next((k for pattern, k in SERVER_KINDS if pattern.match(f"{method} {path}")), None)
        if kind:
            times[kind].append(float(millis) / 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16, help="clients running at the same time")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--saves", type=int, default=3, help="autosaves per participant before the stale one")
    parser.add_argument("--duplicate-every", type=int, default=10)
    parser.add_argument("--database-url", help="PostgreSQL URL of a database the bench may wipe")
    parser.add_argument("--max-seconds", type=float, default=300, help="give up after this long")
    parser.add_argument("--request-timeout", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lms-quiz-bench-") as tmp:
        folder = Path(tmp)
        from bench._setup import database_url

        url = database_url(args.database_url, folder)
        env, _ = prepare_instance(folder, url, args.participants)
        port = free_port()
        access_log = folder / "access.log"
        server = start_gunicorn(env, port, args.workers, args.threads, access_log)
        recorder, expected, failures = Recorder(), {}, []
        try:
            warm_up(port, recorder, args.workers)
            time.sleep(0.5)  # let the workers flush the warm-up lines
            warm_up_lines = len(access_log.read_text().splitlines())
            started = recorder.started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                futures = [pool.submit(take_quiz, n, port, recorder, args) for n in range(1, args.participants + 1)]
                for future in as_completed(futures, timeout=args.max_seconds):
                    try:
                        phone, answers = future.result()
                        expected[phone] = answers
                    except Exception as error:  # noqa: BLE001 - counted and shown
                        failures.append(repr(error))
            wall = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        server_side = Recorder()
        server_side.latency = server_times(access_log, warm_up_lines)
        report = reconcile(expected)
    kind = "PostgreSQL" if args.database_url else "SQLite"
    print(f"database: {kind}; gunicorn gthread workers={args.workers} threads={args.threads}; "
          f"{args.participants} participants, {args.concurrency} at a time")
    print("-- seen by the clients (includes queueing in the load generator, which shares the 2 cores)")
    overall_p95 = print_latency(recorder, wall)
    print("-- inside gunicorn (its access log: time from request read to response written)")
    print_latency(server_side, wall)
    print("reconciliation:", ", ".join(f"{key}={value}" for key, value in report.items()))
    print(f"503 + Retry-After, sent again after the wait: {dict(recorder.refused_busy) or 'none'}")
    print(f"sent again after a dropped connection: {dict(recorder.resent) or 'none'}; first 10 "
          f"(s, kind, reused, error): {recorder.drops[:10]}")
    print(f"client failures: {len(failures)}; 5xx responses: {recorder.server_errors}")
    for failure in failures[:5]:
        print("  ", failure)
    ok = (not failures and recorder.server_errors == 0 and report["attempts"] == args.participants
          and report["submitted"] == args.participants and report["lost_answers"] == 0
          and report["duplicate_attempts"] == 0 and report["duplicate_grades"] == 0)
    print(f"result: {'OK' if ok else 'FAILED'}; overall p95 {overall_p95:.0f} ms (target < 300 ms)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
