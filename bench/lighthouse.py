"""Lighthouse (npm `lighthouse`, pinned in package.json) in mobile mode on six pages of a seeded demo.

    .venv/bin/python bench/lighthouse.py           # print the scores as a Markdown table
    .venv/bin/python bench/lighthouse.py --check   # also exit 1 if accessibility < 100 or performance < 95,
                                                   # or the public programme page's SEO < 100

Starts the app on a throwaway instance (migrated, demo seeded), signs in as demo
participant 1 for the private pages (the session cookie goes in Lighthouse's
extra headers), and runs Lighthouse with the system Chromium (CHROME_PATH,
default /usr/bin/chromium). Needs `npm ci` first. Figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PORT = int(os.environ.get("LIGHTHOUSE_PORT", "5077"))
BASE = f"http://127.0.0.1:{PORT}"
PARTICIPANT = ("081200000001", "demo12345")
MIN_SCORES = {"accessibility": 100, "performance": 95, "seo": 100}  # SEO: public pages only
CATEGORIES = "performance,accessibility,best-practices"


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def signed_in_opener():
    """Log in as the demo participant through the real form; return the opener and the cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/masuk").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "identifier": PARTICIPANT[0], "password": PARTICIPANT[1]}
    opener.open(f"{BASE}/masuk", urllib.parse.urlencode(form).encode()).read()
    return opener, "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def quiz_url(opener) -> str:
    """Start (or reopen) the participant's attempt at a quiz and return its page."""
    page = opener.open(f"{BASE}/belajar/ftd-umkm/penganggaran-iklan/kuis").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = opener.open(f"{BASE}/belajar/ftd-umkm/penganggaran-iklan/kuis/mulai",
                           urllib.parse.urlencode({"csrf_token": token}).encode())
    return response.geturl()


def run_lighthouse(url: str, cookie: str | None, out: Path, *, seo: bool = False) -> dict:
    """Run Lighthouse (mobile, its default) on one URL and return category scores and timings.

    With `seo`, also scored for SEO (the public programme page: the login page asks not to be indexed).
    """
    categories = CATEGORIES + ",seo" if seo else CATEGORIES
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={categories}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    report = json.loads(out.read_text())
    scores = {name: round(category["score"] * 100) for name, category in report["categories"].items()}
    audits = report["audits"]
    scores["fcp_ms"] = round(audits["first-contentful-paint"]["numericValue"])
    scores["lcp_ms"] = round(audits["largest-contentful-paint"]["numericValue"])
    scores["bytes"] = round(audits["total-byte-weight"]["numericValue"])
    return scores


def scored(url: str, cookie: str | None, out: Path, *, seo: bool = False) -> dict:
    """One run, or the median of five when the first falls below the bar.

    Lighthouse's performance score moves by several points between identical runs on a
    busy machine (its own docs on variability advise the median of five runs; three gave
    93, 94, 95 for a page that scores 98–100 on a quiet machine); accessibility does not
    move, and the worst accessibility of the runs is kept, so a real drop still fails.
    """
    first = run_lighthouse(url, cookie, out, seo=seo)
    if first["performance"] >= MIN_SCORES["performance"]:
        return first
    runs = sorted([first, *(run_lighthouse(url, cookie, out, seo=seo) for _ in range(4))],
                  key=lambda scores: scores["performance"])
    median = dict(runs[2])
    median["accessibility"] = min(run["accessibility"] for run in runs)
    if "seo" in first:
        median["seo"] = min(run["seo"] for run in runs)
    median["runs"] = [run["performance"] for run in runs]
    return median


def main() -> int:
    check = "--check" in sys.argv
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "LMS_INSTANCE_PATH": f"{work}/instance", "LMS_SECRET_KEY": "lighthouse-only",
               "LMS_PUBLIC_URL": BASE}
        flask(env, "db", "upgrade")
        flask(env, "lms", "seed-demo")
        log = open(Path(work) / "server.log", "w")  # noqa: SIM115 - closed with the server below
        server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "run", "-p", str(PORT)],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(240):
                try:
                    urllib.request.urlopen(f"{BASE}/masuk").read()  # noqa: S310 - our own http:// server
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                raise SystemExit("the app did not start:\n" + (Path(work) / "server.log").read_text()[-2000:])
            opener, cookie = signed_in_opener()
            pages = [("programme", f"{BASE}/program", None), ("login", f"{BASE}/masuk", None),
                     ("home", f"{BASE}/", cookie),
                     ("module", f"{BASE}/belajar/ftd-umkm/penganggaran-iklan", cookie),
                     ("quiz", quiz_url(opener), cookie),
                     ("assignment", f"{BASE}/belajar/ftd-umkm/orientasi/tugas", cookie)]
            results = {name: scored(url, page_cookie, Path(work) / f"{name}.json", seo=name == "programme")
                       for name, url, page_cookie in pages}
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()
    print("| page | performance | accessibility | best practices | SEO | FCP (ms) | LCP (ms) | bytes |")
    print("|---|---|---|---|---|---|---|---|")
    failed = []
    for name, scores in results.items():
        performance = scores["performance"]
        if "runs" in scores:
            performance = f"{performance} (median of {scores['runs']})"
        print(f"| {name} | {performance} | {scores['accessibility']} | {scores['best-practices']} | "
              f"{scores.get('seo', '–')} | {scores['fcp_ms']} | {scores['lcp_ms']} | {scores['bytes']} |")
        failed += [f"{name}: {category} {scores[category]} < {low}"
                   for category, low in MIN_SCORES.items() if category in scores and scores[category] < low]
    if check and failed:
        print("Lighthouse below the bar:\n" + "\n".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
