"""Module page throughput against a plain page of the same size, under gunicorn.

    .venv/bin/python bench/lesson_page.py [--seconds 10] [--rounds 3] [--connections 16] [--workers 2]
                                          [--no-page-cache]

Sets up a fresh instance (SQLite, demo seed) in a temp folder, starts gunicorn on
loopback, logs in as a demo participant, saves the module page's HTML as a static
template, and measures requests per second with wrk for:
  * the module page      GET /belajar/ftd-umkm/penganggaran-iklan
  * the plain page       GET /bench/plain (same bytes, rendered from a static template)
  * the same, signed in  GET /bench/plain-signed-in (plus the session check every page pays)
All go through the same app, workers and session cookie, in --rounds rounds of the
three, back to back (a 2-core machine drifts by ±10 % from one 10 s run to the next).
Target: the median module/plain ratio ≥ 0.8.
--no-page-cache turns off the rendered-page cache (MODULE_PAGE_CACHE_SIZE = 0), so every
module request renders its templates: the figure for a viewer whose page is not cached.
Needs wrk (apt-get install wrk).
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE_PATH = "/belajar/ftd-umkm/penganggaran-iklan"
PLAIN_PATH = "/bench/plain"
PARTICIPANT = "081200000001"
PASSWORD = "demo12345"  # noqa: S105 - the published demo password


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_instance(folder: Path, page_cache: bool) -> dict:
    """Write a config, migrate and seed; return the environment for the app."""
    settings = "SECRET_KEY = 'bench-only'\nRATELIMIT_ENABLED = False\n"
    if not page_cache:
        settings += "MODULE_PAGE_CACHE_SIZE = 0\n"
    (folder / "config.py").write_text(settings)
    env = {**os.environ, "LMS_INSTANCE_PATH": str(folder), "PYTHONPATH": str(ROOT)}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "lms", "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    """Start gunicorn with the bench app and wait until it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "bench.lesson_page_app:app"],
        cwd=ROOT, env=env,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


def log_in(port: int) -> str:
    """Log in through the real form and return the session cookie."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/masuk")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "identifier": PARTICIPANT, "password": PASSWORD})
    connection.request("POST", "/masuk", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                 "Cookie": cookie})
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"login failed: {response.status}")
    return response.getheader("Set-Cookie").split(";")[0]


def fetch(port: int, path: str, cookie: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status}")
    return body


def requests_per_second(port: int, path: str, cookie: str, seconds: int, connections: int) -> float:
    """Run wrk against one path and return its requests per second."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Cookie: {cookie}",
         f"http://127.0.0.1:{port}{path}"],
        check=True, capture_output=True, text=True,
    ).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"wrk saw errors on {path}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-page-cache", action="store_true", help="render every module page afresh")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the three measurements (median ratio)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="lms-bench-") as tmp:
        folder = Path(tmp)
        env = prepare_instance(folder, page_cache=not args.no_page_cache)
        env["LMS_BENCH_PLAIN_DIR"] = str(folder / "plain")
        (folder / "plain").mkdir()
        port = free_port()
        # First pass: capture the module page to build the plain template from it.
        server = start_gunicorn(env, port, args.workers)
        try:
            cookie = log_in(port)
            html = fetch(port, MODULE_PATH, cookie)
        finally:
            server.terminate()
            server.wait()
        # Escape Jinja syntax so the plain template renders the same bytes.
        (folder / "plain" / "plain_page.html").write_text("{% raw %}" + html.decode() + "{% endraw %}")
        server = start_gunicorn(env, port, args.workers)
        try:
            cookie = log_in(port)
            plain = fetch(port, PLAIN_PATH, cookie)
            rounds = [measure_round(port, cookie, args) for _ in range(args.rounds)]
        finally:
            server.terminate()
            server.wait()
    print(f"module page: {len(html):,} bytes; plain page: {len(plain):,} bytes")
    print(f"rendered-page cache: {'off' if args.no_page_cache else 'on'}")
    print(f"gunicorn workers={args.workers}, wrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds")
    print(f"{'round':>5}  {'module':>8}  {'plain':>8}  {'signed in':>9}  {'ratio':>5}  {'ratio signed in':>15}")
    for number, (module_rps, plain_rps, signed_in_rps) in enumerate(rounds, 1):
        print(f"{number:>5}  {module_rps:>8,.0f}  {plain_rps:>8,.0f}  {signed_in_rps:>9,.0f}  "
              f"{module_rps / plain_rps:>5.2f}  {module_rps / signed_in_rps:>15.2f}")
    ratio = statistics.median(module / plain_page for module, plain_page, _ in rounds)
    print(f"median ratio module/plain: {ratio:.2f} (target >= 0.80)")


def measure_round(port: int, cookie: str, args) -> tuple[float, float, float]:
    """Measure the three pages back to back; rounds alternate so drift hits them alike."""
    return tuple(
        requests_per_second(port, path, cookie, args.seconds, args.connections)
        for path in (MODULE_PATH, PLAIN_PATH, PLAIN_PATH + "-signed-in")
    )


if __name__ == "__main__":
    main()
