"""The login limit holds across separate server processes: the default SQLite store, and Redis.

Two gunicorn processes on two ports serve one instance folder. Wrong passwords go to
them in turn; with per-process counters each would allow the full limit (twice the
tries in total). With a shared store the total is the limit.
"""

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
LIMIT = 5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_instance(folder: Path, extra: str = "") -> dict:
    """Write an instance config, migrate its SQLite database and return the servers' environment."""
    (folder / "config.py").write_text(
        "SECRET_KEY = 'processes-test'\nPASSWORD_HASH_METHOD = 'pbkdf2:sha256:1000'\n"
        f"LOGIN_RATE_LIMIT = '{LIMIT} per minute'\nLOGIN_RATE_LIMIT_PER_ACCOUNT = '100 per hour'\n"
        "PUBLIC_URL = 'http://127.0.0.1:5000'\n" + extra
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LMS_", "DATABASE_URL"))}
    env |= {"LMS_INSTANCE_PATH": str(folder), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,  # noqa: S603
                   check=True, capture_output=True, timeout=120)
    return env


@contextmanager
def servers(env: dict, count: int, workers: int = 1):
    """Start `count` gunicorn processes on their own ports; yield their base URLs."""
    ports = [free_port() for _ in range(count)]
    folder = Path(env["LMS_INSTANCE_PATH"])
    logs = [(folder / f"gunicorn-{n}.log").open("w") for n in range(count)]
    processes = [
        subprocess.Popen(  # noqa: S603
            [str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--no-control-socket",
             "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process, log in zip(urls, processes, logs, strict=True):
            wait_until_up(url, process, Path(log.name))
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process, log in zip(processes, logs, strict=True):
            process.wait(timeout=30)
            log.close()


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    """Poll /healthz until it answers (a readiness wait, not a timing assertion)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5):  # noqa: S310 - a local test server
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # still booting
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


class Browser:
    """A cookie-keeping HTTP client that posts the login form with its CSRF token."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def wrong_login(self, base: str) -> int:
        page = self.opener.open(f"{base}/masuk", timeout=30).read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        token = token or re.search(r'name="csrf_token" value="([^"]+)"', page)
        form = urllib.parse.urlencode({"csrf_token": token.group(1), "identifier": "081299990001",
                                       "password": "salah-sekali"}).encode()
        try:
            return self.opener.open(f"{base}/masuk", data=form, timeout=30).status
        except urllib.error.HTTPError as error:
            error.close()
            return error.code


def tries_allowed(urls: list[str], attempts: int = 3 * LIMIT) -> tuple[int, list[int]]:
    """Send wrong passwords to the servers in turn; return how many were judged (200) and all statuses."""
    browser = Browser()
    statuses = [browser.wrong_login(urls[n % len(urls)]) for n in range(attempts)]
    assert set(statuses) <= {200, 429}, statuses
    return statuses.count(200), statuses


def test_login_limit_holds_across_two_processes_on_the_default_sqlite_store(tmp_path):
    env = prepare_instance(tmp_path)
    with servers(env, count=2) as urls:
        allowed, statuses = tries_allowed(urls)
    assert allowed == LIMIT, statuses
    assert statuses[:LIMIT] == [200] * LIMIT  # and once refused, refused by both
    assert (tmp_path / "ratelimits.sqlite3").exists()


def test_memory_store_would_double_the_limit(tmp_path):
    """The control: the same servers with per-process counters let twice the tries through."""
    env = prepare_instance(tmp_path, "RATELIMIT_STORAGE_URI = 'memory://'\n")
    with servers(env, count=2) as urls:
        allowed, statuses = tries_allowed(urls)
    assert allowed == 2 * LIMIT, statuses


def test_gunicorn_with_two_workers_on_memory_refuses_to_start(tmp_path):
    env = prepare_instance(tmp_path, "RATELIMIT_STORAGE_URI = 'memory://'\n")
    result = subprocess.run(  # noqa: S603
        [str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{free_port()}", "--no-control-socket", "wsgi:app"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "gunicorn runs 2 workers" in result.stderr


@pytest.fixture
def redis_url(tmp_path):
    """Start a private redis-server on a free port (skipped where the binary is absent)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (CI installs it: .ci/run)")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.1)
    client.close()
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=30)


def test_login_limit_holds_across_two_processes_on_redis(tmp_path, redis_url):
    env = prepare_instance(tmp_path) | {"LMS_REDIS_URL": redis_url}
    with servers(env, count=2, workers=2) as urls:
        allowed, statuses = tries_allowed(urls, attempts=4 * LIMIT)
    assert allowed == LIMIT, statuses
    import redis

    with redis.Redis.from_url(redis_url) as client:
        assert any(b"login" in key for key in client.keys("*"))  # the counters were in Redis
