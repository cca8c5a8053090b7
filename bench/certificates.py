"""Benchmark: bulk-issue certificates through the real code path, against plain WeasyPrint.

Run from the repository root:

    .venv/bin/python bench/certificates.py            # 1,000 certificates, SQLite in a temporary folder
    .venv/bin/python bench/certificates.py --count 10000 --plain-count 1000
    .venv/bin/python bench/certificates.py --recycle 0   # never replace render workers (memory must stay flat)
    .venv/bin/python bench/certificates.py --database postgresql://lms:lms@127.0.0.1:5432/lms_bench_certificates

It builds a cohort of COUNT participants who completed the course (bulk inserts, not
timed), then times:

1. the real bulk issue: `operations.start_bulk_issue` → the job handler `run_bulk_issue`
   (eligibility, rows, audit, numbers, PDFs rendered in batches of one document split
   with pikepdf, in a pool over every core, files written atomically, SHA-256 recorded,
   progress reported); afterwards every stored PDF is checked (one page, digest as recorded);
2. plain WeasyPrint rendering the same certificate, the way a first implementation
   would: `HTML(string=...).write_pdf()`, one document per certificate, spread over
   the same number of processes;
3. our renderer alone (no database) on --compare-count certificates over the same
   processes, batched and one document each, and in one process the QR code as PNG
   against SVG paths.

It prints both times and their ratio on EQUAL process counts (the real path and plain
WeasyPrint both over every core; plain in one process only with --plain-serial), the
absolute time of the real path, and each render worker's peak RSS after its first and
after its last certificate: flat memory means the two are the same, however many
certificates a worker rendered. Plain WeasyPrint renders --plain-count certificates
(default: the same count, at most 1,000) and its time is scaled per certificate.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build_cohort(count: int):
    """Create a cohort of `count` participants who completed everything (bulk inserts)."""
    from sqlalchemy import insert, select

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
    from lms.regions import REGENCIES

    staff = User(name="Staf Benchmark", phone="+6281100009999", role=Role.STAFF)
    cohort = Cohort(name="Kohort Benchmark", slug="bench-certificates", course_id="ftd-umkm",
                    start_date=date(2026, 11, 2), bootcamp_date=date(2026, 11, 16), graduation_date=date(2026, 12, 14))
    db.session.add_all([staff, cohort])
    db.session.commit()
    course, modules = course_and_modules(cohort)
    users = [{"name": f"Peserta Benchmark {i:04d}", "phone": f"+62813{i:08d}", "role": Role.PARTICIPANT.value}
             for i in range(count)]
    db.session.execute(insert(User), users)
    user_ids = db.session.scalars(select(User.id).where(User.role == Role.PARTICIPANT.value).order_by(User.id)).all()
    db.session.execute(insert(ParticipantProfile), [
        {"user_id": uid, "business_name": f"Usaha Maju Jaya {i:04d}", "sector": "kuliner",
         "regency_code": REGENCIES[i % len(REGENCIES)].code} for i, uid in enumerate(user_ids)])
    db.session.execute(insert(Enrollment), [{"cohort_id": cohort.id, "user_id": uid, "status": "active"}
                                            for uid in user_ids])
    enrollment_ids = dict(db.session.execute(select(Enrollment.user_id, Enrollment.id)).all())
    db.session.execute(insert(ModuleRead), [{"user_id": uid, "module_id": m.id, "module_version": m.version}
                                            for uid in user_ids for m in modules])
    for module in modules:
        if module.quiz is not None:
            version = QuizVersion(module_id=module.id, version=module.quiz.version, snapshot=module.quiz.to_dict())
            db.session.add(version)
            db.session.flush()
            db.session.execute(insert(QuizAttempt), [
                {"user_id": uid, "course_id": course.id, "module_id": module.id, "quiz_version_id": version.id,
                 "number": 1, "choice_order": {}, "draft_answers": {}, "submitted_at": date(2026, 12, 1),
                 "score": 90.0, "passed": True, "points": 9.0, "max_points": 10} for uid in user_ids])
        if module.assignment is not None:
            snapshot = module.assignment.to_dict()
            db.session.execute(insert(Submission), [
                {"user_id": uid, "enrollment_id": enrollment_ids[uid], "module_id": module.id,
                 "assignment_version": module.assignment.version, "assignment_snapshot": snapshot, "version_no": 1,
                 "text": "Tugas benchmark.", "client_token": f"bench-{uid}-{module.id}", "status": "accepted"}
                for uid in user_ids])
    db.session.commit()
    return cohort, staff


def time_real_path(cohort, staff) -> tuple[float, float, dict, Watcher]:
    """Time the real bulk issue; return (wall seconds, this process's CPU seconds, job result)."""
    from lms.certificates import operations
    from lms.extensions import db
    from lms.models import BackgroundJob

    started, cpu_started = time.perf_counter(), time.process_time()
    watcher = Watcher(started)
    watcher.start()
    try:
        job, _created = operations.start_bulk_issue(cohort, started_by=staff)
    finally:
        watcher.stop.set()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    job = db.session.get(BackgroundJob, job.id)
    if job.status != "done":
        raise SystemExit(f"bulk issue failed:\n{job.error}")
    return elapsed, cpu, job.result, watcher


class Watcher(threading.Thread):
    """Every 30 s, print how many PDFs exist and the current RSS of every render worker (read from /proc).

    Independent of the job's own figures, and still useful if a long run is cut short.
    """

    def __init__(self, started: float, every: float = 15.0):
        super().__init__(daemon=True)
        self.started, self.every, self.stop = started, every, threading.Event()
        self.samples: list[tuple[float, list[float]]] = []  # (seconds since start, each worker's RSS in MB)
        self.loads: list[float] = []

    def run(self) -> None:
        while not self.stop.wait(self.every):
            workers = sorted(rss_mb(pid) for pid in descendants(os.getpid()) if is_render_worker(pid))
            at = time.perf_counter() - self.started
            self.loads.append(os.getloadavg()[0])
            if workers:
                self.samples.append((at, workers))
            print(f"  [{at:7.1f} s] load {self.loads[-1]:.2f}; render workers "
                  f"RSS now: {', '.join(f'{mb:.1f}' for mb in workers) or '–'} MB", flush=True)

    def summary(self) -> str:
        """Describe the worker RSS samples: count, range, and the first and last third's averages (flat = equal)."""
        if not self.samples:
            return "no render-worker samples (the run was shorter than one interval)"
        values = [mb for _at, workers in self.samples for mb in workers]
        third = max(1, len(self.samples) // 3)
        early = [mb for _at, workers in self.samples[:third] for mb in workers]
        late = [mb for _at, workers in self.samples[-third:] for mb in workers]
        return (f"{len(self.samples)} samples every {self.every:.0f} s over {self.samples[-1][0]:.0f} s: "
                f"{min(values):.1f}–{max(values):.1f} MB; first third averages {sum(early) / len(early):.1f} MB, "
                f"last third {sum(late) / len(late):.1f} MB")


def descendants(root: int) -> list[int]:
    """Return the ids of every process below root (children of children included)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def is_render_worker(pid: int) -> bool:
    """Tell a pool worker from the fork server itself (both run the forkserver command line)."""
    try:
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        command = Path(f"/proc/{parent}/cmdline").read_bytes()
    except (OSError, IndexError, ValueError):
        return False
    return b"forkserver" in command


def rss_mb(pid: int) -> float:
    """Return a process's current resident memory in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def plain_html() -> tuple[str, str]:
    """Return (html with its CSS inlined, base URL) of one certificate, as plain WeasyPrint would get it."""
    from lms.certificates import rendering

    renderer = rendering.CertificateRenderer()
    printed = sample_printed()
    html = renderer.render_html(printed, rendering.qr_data_uri(printed.verify_url))
    css = "".join((renderer.root / name).read_text() for name in ("certificate.css", "kelulusan.css"))
    return html.replace("</head>", f"<style>{css}</style></head>"), renderer.base_url


def sample_printed():
    """Return the printed fields of one typical certificate."""
    from lms.certificates import rendering

    return rendering.PrintedCertificate(
        template="kelulusan", number="FTD-2026-000123", code="K7QM-4XRT-9BZP-WH3C",
        name="Peserta Benchmark 0123", business_name="Usaha Maju Jaya 0123", regency_label="Kota Medan",
        course_title="Fast Track Digitalisasi UMKM", cohort_name="Kohort Benchmark",
        graduation_date_text="14 Desember 2026", verify_url="http://127.0.0.1:5000/verify/K7QM-4XRT-9BZP-WH3C",
        signatories=(rendering.Signatory("Kepala Dinas Koperasi dan UKM", "Provinsi Sumatera Utara",
                                         "signatures/contoh-1.svg"),
                     rendering.Signatory("Ketua Pelaksana PLUT-KUMKM", "Provinsi Sumatera Utara",
                                         "signatures/contoh-2.svg")))


def render_plain(args: tuple[str, str]) -> float:
    """Render one certificate with WeasyPrint's defaults; return the CPU seconds it took."""
    from weasyprint import HTML

    html, base_url = args
    started = time.process_time()
    HTML(string=html, base_url=base_url).write_pdf()
    return time.process_time() - started


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_plain(count: int, processes: int) -> tuple[float, float]:
    """Time plain WeasyPrint rendering the same certificate `count` times; return (wall, CPU seconds)."""
    item = plain_html()
    started = time.perf_counter()
    if processes == 1:
        cpu = sum(render_plain(item) for _ in range(count))
    else:
        with multiprocessing.get_context("forkserver").Pool(processes) as pool:
            cpu = sum(pool.map(render_plain, [item] * count, chunksize=4))
    return time.perf_counter() - started, cpu


def time_renderer(count: int, processes: int, batch_size: int, folder: Path) -> float:
    """Time our renderer alone (no database) on `count` certificates; batch_size 1 is one document each."""
    from lms.certificates import rendering

    printed = sample_printed()
    tasks = [rendering.RenderTask(i, dataclasses.replace(printed, number=f"FTD-2026-{i:06d}",
                                                         name=f"Peserta Benchmark {i:04d}",
                                                         verify_url=f"{printed.verify_url[:-4]}{i:04d}"),
                                  str(folder / f"{batch_size}-{i}.pdf")) for i in range(count)]
    started = time.perf_counter()
    done = sum(len(results) for results in rendering.render_many(tasks, processes=processes, batch_size=batch_size))
    assert done == count  # noqa: S101
    return time.perf_counter() - started


def time_qr_forms(count: int) -> dict[str, float]:
    """Return CPU ms per certificate of batched rendering in this process, QR as PNG (ours) and as SVG paths."""
    from lms.certificates import rendering

    renderer, base = rendering.CertificateRenderer(), sample_printed()
    batch = [dataclasses.replace(base, number=f"FTD-2026-{i:06d}", verify_url=f"{base.verify_url[:-4]}{i:04d}")
             for i in range(50)]
    forms, made = {"PNG, 1 px per module": rendering.qr_data_uri, "SVG paths": rendering.qr_svg_data_uri}, {}
    try:
        for label, form in forms.items():
            rendering.qr_data_uri = form
            renderer.render_batch(batch[:5])  # warm
            started = time.process_time()
            for _ in range(max(1, count // len(batch))):
                renderer.render_batch(batch)
            made[label] = 1000 * (time.process_time() - started) / (max(1, count // len(batch)) * len(batch))
    finally:
        rendering.qr_data_uri = forms["PNG, 1 px per module"]
    return made


def time_batch_sizes(count: int, sizes=(1, 10, 25, 50, 100)) -> dict[int, float]:
    """Return CPU ms per certificate in this process for each batch size (1: one document each)."""
    from lms.certificates import rendering

    renderer, base = rendering.CertificateRenderer(), sample_printed()
    made = {}
    renderer.render_batch([base] * 5)  # warm
    for size in sizes:
        batch = [dataclasses.replace(base, number=f"FTD-2026-{i:06d}", verify_url=f"{base.verify_url[:-4]}{i:04d}")
                 for i in range(size)]
        rounds = max(1, count // size)
        started = time.process_time()
        for _ in range(rounds):
            renderer.render_batch(batch)
        made[size] = 1000 * (time.process_time() - started) / (rounds * size)
    return made


def main() -> None:
    """Build the cohort, run both timings, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--plain-count", type=int, default=None, help="certificates for plain WeasyPrint")
    parser.add_argument("--plain-serial", action="store_true", help="also time plain WeasyPrint in one process")
    parser.add_argument("--recycle", type=int, default=None,
                        help="replace render workers every N certificates (default: the app's setting; 0: never)")
    parser.add_argument("--database", default=None, help="database URL (default: SQLite in a temporary folder)")
    parser.add_argument("--compare-count", type=int, default=400,
                        help="certificates for our renderer alone, batched and one document each (0: skip)")
    options = parser.parse_args()
    n = options.count
    plain_n = options.plain_count or min(n, 1000)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-certificates-") as folder:
        from bench._setup import database_url, migrate_fresh
        from lms import create_app
        from lms.extensions import db

        url = database_url(options.database, Path(folder))
        config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "JOBS_RUN_INLINE": True,
                  "CERTIFICATE_ROOT": str(Path(folder) / "certificates")}
        if options.recycle is not None:
            config["CERTIFICATE_RENDER_RECYCLE_EVERY"] = options.recycle or None
        app = create_app(config)
        with app.app_context():
            migrate_fresh()
            cores = os.cpu_count() or 1
            recycle = app.config.get("CERTIFICATE_RENDER_RECYCLE_EVERY")
            print(f"Building a cohort of {n} participants ({db.engine.dialect.name}, {cores} cores, "
                  f"workers recycled every {recycle or 'never'})…", flush=True)
            cohort, staff = build_cohort(n)
            real, main_cpu, result, watcher = time_real_path(cohort, staff)
            pdfs = list((Path(folder) / "certificates").rglob("*.pdf"))
            main_rss = peak_rss_mb()
            checked = check_stored(pdfs, Path(folder) / "certificates")
        load_after_real = os.getloadavg()
        plain_parallel, _cpu = time_plain(plain_n, cores)
        batched = one_each = None
        if options.compare_count:
            scratch = Path(folder) / "compare"
            scratch.mkdir()
            batch_size = app.config["CERTIFICATE_RENDER_BATCH"]
            batched = time_renderer(options.compare_count, cores, batch_size, scratch)
            one_each = time_renderer(options.compare_count, cores, 1, scratch)
            qr_forms = time_qr_forms(options.compare_count // 2)
            sizes = time_batch_sizes(options.compare_count // 4)
        plain_serial = plain_serial_cpu = None
        if options.plain_serial:
            plain_serial, plain_serial_cpu = time_plain(plain_n, 1)
    load_end = os.getloadavg()
    per = 1000 * real / n
    plain_per = 1000 * plain_parallel / plain_n
    # The machine is shared: other work slows every figure; the load average says how busy it was.
    print(f"load average (1/5/15 min): before {fmt_load(load_before)}; after the real run "
          f"{fmt_load(load_after_real)}; at the end {fmt_load(load_end)} ({cores} cores)")
    print(f"real bulk issue, {cores} processes: {real:8.2f} s for {n} ({per:5.1f} ms/certificate)  "
          f"issued={result['issued']} pdfs={len(pdfs)}")
    print(f"plain WeasyPrint, {cores} processes: {plain_parallel:8.2f} s for {plain_n} "
          f"({plain_per:5.1f} ms/certificate)")
    print(f"  of which rendering (after the rows): {result['render_seconds']:8.2f} s "
          f"({1000 * result['render_seconds'] / n:5.1f} ms/certificate); {checked}")
    print(f"ratio real / plain, both {cores} processes: {per / plain_per:5.2f}×  (per certificate)")
    if batched is not None:
        m = options.compare_count
        print(f"our renderer alone, {cores} processes, {m} certificates: batches of {batch_size} split with pikepdf "
              f"{batched:7.2f} s ({1000 * batched / m:5.1f} ms/certificate); one document each {one_each:7.2f} s "
              f"({1000 * one_each / m:5.1f} ms/certificate); plain WeasyPrint {plain_per:5.1f} ms/certificate")
        print("QR code form, batched, one process, CPU per certificate: "
              + "; ".join(f"{label} {ms:.1f} ms" for label, ms in qr_forms.items()))
        print("batch size, one process, CPU per certificate: "
              + "; ".join(f"{size}: {ms:.1f} ms" for size, ms in sizes.items()))
    print(f"render-worker RSS (from /proc): {watcher.summary()}")
    if watcher.loads:
        print(f"1-minute load during the real run: {min(watcher.loads):.2f}–{max(watcher.loads):.2f}, "
              f"average {sum(watcher.loads) / len(watcher.loads):.2f}")
    if plain_serial is not None:
        print(f"plain WeasyPrint, 1 process: {plain_serial:8.2f} s for {plain_n} "
              f"({1000 * plain_serial / plain_n:5.1f} ms/certificate; CPU {plain_serial_cpu:.1f} s)")
    workers = result.get("render_worker_rss_mb", [])
    print(f"render workers: {result.get('render_workers')} processes, "
          f"peak RSS of any {result.get('render_peak_rss_mb')} MB")
    for first, last, count in workers:
        print(f"  worker: {count:5d} certificates, peak RSS after the first {first:6.1f} MB, "
              f"after the last {last:6.1f} MB")
    print(f"main process (rows, job, progress) peak RSS: {main_rss:.1f} MB")
    real_cpu = main_cpu + result["render_cpu_seconds"]
    print(f"CPU: real path {real_cpu:.1f} s (main {main_cpu:.1f} + renderers {result['render_cpu_seconds']:.1f}) = "
          f"{1000 * real_cpu / n:.1f} ms/certificate")


def check_stored(pdfs: list[Path], root: Path) -> str:
    """Check every stored PDF is one page and matches its recorded SHA-256; describe the result."""
    import hashlib

    import pikepdf
    from sqlalchemy import select

    from lms.extensions import db
    from lms.models import Certificate

    recorded = dict(db.session.execute(select(Certificate.pdf_path, Certificate.pdf_sha256)).all())
    pages = []
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            pages.append(len(pdf.pages))
    matching = sum(recorded.get(str(path.relative_to(root))) == hashlib.sha256(path.read_bytes()).hexdigest()
                   for path in pdfs)
    temporary = len(list(root.rglob(".tmp-*")))
    return (f"stored {len(pdfs)} PDFs, {pages.count(1)} of one page, {matching} matching their recorded SHA-256, "
            f"{len(recorded)} rows recorded, {temporary} temporary files left")


def fmt_load(load: tuple[float, float, float]) -> str:
    """Format a load-average triple."""
    return "/".join(f"{value:.2f}" for value in load)


if __name__ == "__main__":
    main()
