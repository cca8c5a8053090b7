"""The module page weighed and timed on Chrome's slow-3G preset, cold and warm (issue #16 §6).

    .venv/bin/python bench/slow3g.py [--runs 5] [--module penganggaran-iklan]

Starts the app on a throwaway instance (migrated, demo seeded), served by Werkzeug behind a small
gzip layer that does what docs/deploy.md's nginx does (`gzip on` for HTML, CSS, JS), signs in as
demo participant 1 through the real form in Chromium (/usr/bin/chromium, Playwright), then
turns on DevTools' "Slow 3G" preset over CDP (Network.emulateNetworkConditions: 2,000 ms
latency per request, 50,000 bytes/s down and up, as the DevTools preset) and opens the module page:

* cold: empty HTTP cache, no service worker (the worker is blocked for this context);
* warm: the same context again, its HTTP cache filled (static files carry a one-year cache);
* worker: a context whose service worker controls the page and keeps it (a kept module page
  known to be current is served from the phone and fetched again in the background; other
  pages, and a kept page known to be outdated, are fetched network-first; static files come
  from the worker's cache). CDP emulation does not reach the worker's own fetches, so those
  are held back by a Playwright route by the same rule: 2,000 ms plus the body at 50,000 bytes/s;
* offline: that context with no network at all: the kept page opens from the worker.

Each is the median of `--runs`; times come from the page's own Navigation and Paint Timing
(first contentful paint, DOMContentLoaded, load), bytes from Resource Timing transfer sizes.
Print a Markdown table for docs/benchmarks.md; record runs through /work/wt/_notes/cpu-bench.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("SLOW3G_PORT", "5079"))
BASE = f"http://127.0.0.1:{PORT}"
PARTICIPANT = ("081200000001", "demo12345")
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Chrome DevTools' "Slow 3G" preset (front_end/core/sdk/NetworkManager.ts): 500 kbit/s × 0.8, 400 ms × 5.
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50000, "uploadThroughput": 50000}
TIMINGS_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const resources = performance.getEntriesByType('resource');
  return {
    fcp: paint ? paint.startTime : null, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
    document_bytes: nav.transferSize, bytes: nav.transferSize + resources.reduce((n, r) => n + r.transferSize, 0),
    requests: 1 + resources.filter(r => r.transferSize > 0).length,
    worker: !!navigator.serviceWorker && !!navigator.serviceWorker.controller,
  };
}"""


class Gzip:
    """Compress HTML, CSS, JS and JSON answers for clients that accept gzip (as nginx's `gzip on`)."""

    TYPES = ("text/html", "text/css", "text/javascript", "application/javascript", "application/json",
             "application/manifest+json")

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        if "gzip" not in environ.get("HTTP_ACCEPT_ENCODING", ""):
            return self.app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        chunks = self.app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers = captured["headers"]
        kind = next((value for name, value in headers if name.lower() == "content-type"), "")
        if kind.split(";")[0] in self.TYPES and body and not any(n.lower() == "content-encoding" for n, _ in headers):
            body = gzip.compress(body, 6)
            headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
            headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(body))), ("Vary", "Accept-Encoding")]
        start_response(captured["status"], headers)
        return [body]


def run_server() -> None:
    """Serve wsgi.app behind the gzip layer (the subprocess that main starts)."""
    from werkzeug.serving import run_simple

    sys.path.insert(0, str(ROOT))
    from wsgi import app

    run_simple("127.0.0.1", PORT, Gzip(app), threaded=True)


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def log_in(page) -> None:
    page.goto(f"{BASE}/masuk")
    page.get_by_label("Nomor HP atau email").fill(PARTICIPANT[0])
    page.get_by_label("Kata sandi").fill(PARTICIPANT[1])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{BASE}/")


def timed_visit(page, cdp, url: str, *, clear_cache: bool, offline: bool = False) -> dict:
    """Open the page once on slow 3G (or with no network) and return its timings once it has loaded."""
    if clear_cache:
        cdp.send("Network.clearBrowserCache")
    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "offline": offline})
    page.goto(url, wait_until="load", timeout=120000)
    page.wait_for_timeout(200)  # let the load event's end be recorded
    result = page.evaluate(TIMINGS_JS)
    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    page.goto("about:blank")
    return result


def median_of(runs: list[dict]) -> dict:
    keys = ("fcp", "dcl", "load", "document_bytes", "bytes", "requests")
    return {key: statistics.median(run[key] for run in runs if run[key] is not None) for key in keys} | {
        "worker": all(run["worker"] for run in runs), "runs": [round(run["fcp"] or 0) for run in runs]}


def measure(browser, url: str, runs: int) -> dict[str, dict]:
    results: dict[str, dict] = {}
    plain = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block", locale="id-ID")
    page = plain.new_page()
    log_in(page)
    cdp = plain.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    results["cold"] = median_of([timed_visit(page, cdp, url, clear_cache=True) for _ in range(runs)])
    timed_visit(page, cdp, url, clear_cache=False)  # fill the HTTP cache
    results["warm"] = median_of([timed_visit(page, cdp, url, clear_cache=False) for _ in range(runs)])
    plain.close()

    kept = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = kept.new_page()
    log_in(page)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=30000)
    page.goto(url)
    page.wait_for_function(f"caches.open('lms-pages').then(c => c.match({url!r})).then(r => !!r)")
    cdp = kept.new_cdp_session(page)
    cdp.send("Network.enable")

    def slow_worker_fetch(route):
        if not route.request.service_worker:
            route.continue_()
            return
        response = route.fetch()
        body = response.body()  # decoded; the line carried it gzipped when the server said so
        sent = len(gzip.compress(body, 6)) if response.headers.get("content-encoding") == "gzip" else len(body)
        page.wait_for_timeout(SLOW_3G["latency"] + sent * 1000 / SLOW_3G["downloadThroughput"])
        try:
            route.fulfill(response=response, body=body)
        except PlaywrightError:  # the offline step below took over this route while it waited
            pass

    kept.route("**/*", slow_worker_fetch)
    results["worker"] = median_of([timed_visit(page, cdp, url, clear_cache=False) for _ in range(runs)])
    # The worker's background refreshes may still be held back: let the offline rule answer them.
    kept.unroute_all(behavior="ignoreErrors")
    kept.set_offline(True)
    kept.route("**/*", lambda route: route.abort("internetdisconnected") if route.request.service_worker
               else route.continue_())
    results["offline"] = median_of([timed_visit(page, cdp, url, clear_cache=False, offline=True)
                                    for _ in range(runs)])
    kept.close()
    return results


def serve(work: str):
    env = {**os.environ, "LMS_INSTANCE_PATH": f"{work}/instance", "LMS_SECRET_KEY": "slow3g-only",
           "LMS_PUBLIC_URL": BASE}
    flask(env, "db", "upgrade")
    flask(env, "lms", "seed-demo")
    log = open(Path(work) / "server.log", "w")  # noqa: SIM115 - closed by the caller
    server = subprocess.Popen([sys.executable, __file__, "--serve"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{BASE}/masuk").read()  # noqa: S310 - our own http:// server
            return server, log
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the app did not start:\n" + (Path(work) / "server.log").read_text()[-2000:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--module", default="penganggaran-iklan")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        run_server()
        return 0
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    print(f"load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    url = f"{BASE}/belajar/ftd-umkm/{args.module}"
    with tempfile.TemporaryDirectory() as work:
        server, log = serve(work)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                results = measure(browser, url, args.runs)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()
    print(f"module page {args.module}, Slow 3G (2,000 ms, 50,000 B/s), median of {args.runs}\n")
    print("| visit | first contentful paint (ms) | DOMContentLoaded (ms) | load (ms) | document bytes | bytes | "
          "requests | worker | FCP of each run |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---|")
    for name, row in results.items():
        print(f"| {name} | {row['fcp']:.0f} | {row['dcl']:.0f} | {row['load']:.0f} | {row['document_bytes']:.0f} | "
              f"{row['bytes']:.0f} | {row['requests']:.0f} | {'yes' if row['worker'] else 'no'} | {row['runs']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
