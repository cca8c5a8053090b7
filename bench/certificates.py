"""Benchmark: bulk-issue 1,000 certificates through the real code path, against plain WeasyPrint.

Run from the repository root:

    .venv/bin/python bench/certificates.py            # 1,000 certificates, SQLite in a temporary folder
    .venv/bin/python bench/certificates.py --count 200
    .venv/bin/python bench/certificates.py --database postgresql://lms:lms@127.0.0.1:5432/lms_bench_certificates

It builds a cohort of COUNT participants who completed the course (bulk inserts, not
timed), then times:

1. the real bulk issue: `operations.start_bulk_issue` → the job handler `run_bulk_issue`
   (eligibility, rows, audit, numbers, PDFs rendered in a pool over every core, files
   written atomically, SHA-256 recorded, progress reported);
2. plain WeasyPrint rendering the same certificate COUNT times, the way a first
   implementation would: `HTML(string=...).write_pdf()` in one process, and the same
   spread over every core with a process pool.

It prints both times, the ratio (target ≤ 1.25× against plain WeasyPrint) and the
absolute time of the real path (target ≤ 30 s for 1,000 on 2 cores).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
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


def time_real_path(cohort, staff) -> tuple[float, float, dict]:
    """Time the real bulk issue; return (wall seconds, this process's CPU seconds, job result)."""
    from lms.certificates import operations
    from lms.extensions import db
    from lms.models import BackgroundJob

    started, cpu_started = time.perf_counter(), time.process_time()
    job, _created = operations.start_bulk_issue(cohort, started_by=staff)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    job = db.session.get(BackgroundJob, job.id)
    if job.status != "done":
        raise SystemExit(f"bulk issue failed:\n{job.error}")
    return elapsed, cpu, job.result


def plain_html() -> tuple[str, str]:
    """Return (html with its CSS inlined, base URL) of one certificate, as plain WeasyPrint would get it."""
    from lms.certificates import rendering

    renderer = rendering.CertificateRenderer()
    printed = rendering.PrintedCertificate(
        template="kelulusan", number="FTD-2026-000123", code="K7QM-4XRT-9BZP-WH3C",
        name="Peserta Benchmark 0123", business_name="Usaha Maju Jaya 0123", regency_label="Kota Medan",
        course_title="Fast Track Digitalisasi UMKM", cohort_name="Kohort Benchmark",
        graduation_date_text="14 Desember 2026", verify_url="http://127.0.0.1:5000/verify/K7QM-4XRT-9BZP-WH3C",
        signatories=(rendering.Signatory("Kepala Dinas Koperasi dan UKM", "Provinsi Sumatera Utara",
                                         "signatures/contoh-1.svg"),
                     rendering.Signatory("Ketua Pelaksana PLUT-KUMKM", "Provinsi Sumatera Utara",
                                         "signatures/contoh-2.svg")))
    html = renderer.render_html(printed, rendering.qr_data_uri(printed.verify_url))
    css = "".join((renderer.root / name).read_text() for name in ("certificate.css", "kelulusan.css"))
    return html.replace("</head>", f"<style>{css}</style></head>"), renderer.base_url


def render_plain(args: tuple[str, str]) -> float:
    """Render one certificate with WeasyPrint's defaults; return the CPU seconds it took."""
    from weasyprint import HTML

    html, base_url = args
    started = time.process_time()
    HTML(string=html, base_url=base_url).write_pdf()
    return time.process_time() - started


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


def main() -> None:
    """Build the cohort, run both timings, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--database", default=None, help="database URL (default: SQLite in a temporary folder)")
    options = parser.parse_args()
    load_before = f"{os.getloadavg()[0]:.2f}"
    with tempfile.TemporaryDirectory(prefix="bench-certificates-") as folder:
        from bench._setup import database_url, migrate_fresh
        from lms import create_app
        from lms.extensions import db

        url = database_url(options.database, Path(folder))
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "JOBS_RUN_INLINE": True,
                          "CERTIFICATE_ROOT": str(Path(folder) / "certificates")})
        with app.app_context():
            migrate_fresh()
            cores = os.cpu_count() or 1
            print(f"Building a cohort of {options.count} participants ({db.engine.dialect.name}, {cores} cores)…")
            cohort, staff = build_cohort(options.count)
            real, main_cpu, result = time_real_path(cohort, staff)
            pdfs = list((Path(folder) / "certificates").rglob("*.pdf"))
        plain_serial, plain_serial_cpu = time_plain(options.count, 1)
        plain_parallel, _cpu = time_plain(options.count, cores)
    n = options.count
    # Other work on the machine slows every figure alike; the ratios stay meaningful, absolute times do not.
    print(f"load average before/after: {load_before} / {os.getloadavg()[0]:.2f} (2.0 = both cores busy)")
    print(f"real bulk issue ({cores} processes): {real:7.2f} s  ({1000 * real / n:5.1f} ms/certificate)  "
          f"issued={result['issued']} pdfs={len(pdfs)}")
    print(f"plain WeasyPrint, 1 process:      {plain_serial:7.2f} s  ({1000 * plain_serial / n:5.1f} ms/certificate)")
    print(f"plain WeasyPrint, {cores} processes:     {plain_parallel:7.2f} s  "
          f"({1000 * plain_parallel / n:5.1f} ms/certificate)")
    print(f"ratio real / plain (1 process):   {real / plain_serial:5.2f}×   (target ≤ 1.25×)")
    print(f"ratio real / plain ({cores} processes):  {real / plain_parallel:5.2f}×")
    print(f"absolute time for {n}: {real:.1f} s   (target ≤ 30 s for 1,000)")
    # CPU seconds do not depend on what else runs on the machine: they give the idle-machine estimate.
    real_cpu = main_cpu + result["render_cpu_seconds"]
    print(f"CPU: real path {real_cpu:.1f} s (main {main_cpu:.1f} + renderers {result['render_cpu_seconds']:.1f}) = "
          f"{1000 * real_cpu / n:.1f} ms/certificate; plain {plain_serial_cpu:.1f} s = "
          f"{1000 * plain_serial_cpu / n:.1f} ms/certificate; CPU ratio {real_cpu / plain_serial_cpu:.2f}×")
    print(f"estimated wall time on an idle {cores}-core machine: real ≈ {real_cpu / cores:.1f} s, "
          f"plain 1 process ≈ {plain_serial_cpu:.1f} s")


if __name__ == "__main__":
    main()
