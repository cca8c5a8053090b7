"""Benchmark: importing 1,700 registrants (dry run, then import) through the real code.

    .venv/bin/python bench/import_registrants.py                      # SQLite in a temporary folder
    .venv/bin/python bench/import_registrants.py --database-url postgresql://lms:lms@127.0.0.1:5432/lms_bench_staff

Writes a 1,700-row registration export (UTF-8 CSV with BOM, the regency spelled
the many ways people type it, a few bad phones and duplicates), stores it as an
upload, then times the dry run (save_mapping_and_preview), the import as a
background job (start_job → run_import_job, progress written as it goes), and a
second import of the same file (which must change nothing). On PostgreSQL the
database's schema is dropped and rebuilt first.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench._setup import database_url, migrate_fresh  # noqa: E402
from lms import accounts, create_app  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.jobs import start_job  # noqa: E402
from lms.models import BackgroundJob, Cohort, Enrollment, ImportBatch, Role, User  # noqa: E402
from lms.regions import REGENCIES  # noqa: E402
from lms.staff.imports import operations  # noqa: E402

ROWS = 1_700
SPELLINGS = ("{name}", "Kab. {name}", "kab {name}", "{upper}", "{lower}", "Kota {name}")
SECTORS = ("Kuliner", "Makanan & Minuman", "Fashion", "Kerajinan", "Jasa", "Toko Kelontong", "Pertanian")


def registration_csv(rng: random.Random) -> bytes:
    """Return a realistic 1,700-row export with a few bad rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Timestamp", "Nama Lengkap", "No. HP/WA", "Email", "Kabupaten/Kota", "Nama Usaha",
                     "Bidang Usaha", "Alamat Usaha"])
    for index in range(1, ROWS + 1):
        regency = rng.choice(REGENCIES)
        spelling = rng.choice(SPELLINGS if regency.kind == "kabupaten" else ("{name}", "Kota {name}", "{lower}"))
        phone = f"0812 {index // 10000:04d} {index % 10000:04d}"
        if index % 97 == 0:
            phone = "12345"  # a bad phone now and then
        if index % 113 == 0:
            phone = f"0812 {(index - 1) // 10000:04d} {(index - 1) % 10000:04d}"  # a duplicate of the row before
        writer.writerow([f"2026/10/01 10:{index % 60:02d}:00", f"Peserta Bench {index}", phone,
                         f"peserta{index}@contoh.id" if index % 3 == 0 else "",
                         spelling.format(name=regency.name, upper=regency.name.upper(), lower=regency.name.lower()),
                         f"Usaha {index}", rng.choice(SECTORS), f"Jl. Bench No. {index}"])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def timed(label: str, function):
    """Run a function, print how long it took, and return its result."""
    started = time.perf_counter()
    result = function()
    print(f"{label:<38} {time.perf_counter() - started:6.2f} s")
    return result


def main() -> None:
    """Set up, import twice, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    url = database_url(args.database_url, folder)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "JOBS_RUN_INLINE": True,
                      "IMPORT_ROOT": str(folder / "imports"), "UPLOAD_ROOT": str(folder / "uploads"),
                      "CERTIFICATE_ROOT": str(folder / "certificates")})
    with app.app_context():
        migrate_fresh()
        staff = accounts.create_user(name="Staf Bench", phone_text="081100009999", role=Role.STAFF)
        cohort = Cohort(name="Bench", slug="bench", course_id="ftd-umkm", start_date=date(2027, 2, 1),
                        bootcamp_date=date(2027, 2, 15), graduation_date=date(2027, 3, 15))
        db.session.add(cohort)
        db.session.commit()
        data = registration_csv(random.Random(2026))
        print(f"database: {db.engine.dialect.name}; file: {ROWS:,} rows, {len(data) / 1024:.0f} kB")
        batch = timed("upload (read + store + guess mapping)",
                      lambda: operations.store_upload(data, "pendaftar-1700.csv", cohort, uploaded_by=staff))
        report = timed("dry run (check every row)",
                       lambda: operations.save_mapping_and_preview(batch, batch.mapping, actor=staff))
        print("  dry run counts:", {k: v for k, v in report["counts"].items() if k != "issues"})
        print("  issues:", report["counts"]["issues"])
        progress = []
        original = operations.import_batch

        def import_with_progress_log(batch_arg, actor, progress=None):
            return original(batch_arg, actor=actor,
                            progress=lambda done, total: (progress(done, total), progress_log(done, total)))

        def progress_log(done, total):
            progress.append((round(time.perf_counter(), 3), done, total))

        operations.import_batch = import_with_progress_log
        job, _ = timed("import job (check again + write, 1 tx)", lambda: start_job(
            "registrants.import", cohort_id=cohort.id, created_by=staff, params={"batch_id": batch.id}))
        job = db.session.get(BackgroundJob, job.id)
        print(f"  job {job.status}: {job.result}; progress updates written: {len(progress)}")
        users = db.session.scalar(select(func.count()).select_from(User))
        enrollments = db.session.scalar(select(func.count()).select_from(Enrollment))
        again = timed("same file again: upload + dry run", lambda: operations.save_mapping_and_preview(
            operations.store_upload(data, "pendaftar-1700.csv", cohort, uploaded_by=staff), batch.mapping,
            actor=staff))
        second = db.session.scalar(select(func.max(BackgroundJob.id)))
        job2, _ = timed("same file again: import job", lambda: start_job(
            "registrants.import", cohort_id=cohort.id, created_by=staff,
            params={"batch_id": db.session.scalar(select(func.max(ImportBatch.id)))}))
        print(f"  second dry run: create={again['counts']['create']} update={again['counts']['update']} "
              f"unchanged={again['counts']['unchanged']}; job {db.session.get(BackgroundJob, job2.id).status} "
              f"(previous job id {second})")
        same = (db.session.scalar(select(func.count()).select_from(User)),
                db.session.scalar(select(func.count()).select_from(Enrollment)))
        print(f"  accounts {users:,} → {same[0]:,}, enrollments {enrollments:,} → {same[1]:,} (must not change)")


if __name__ == "__main__":
    main()
