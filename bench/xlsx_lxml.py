"""Benchmark: openpyxl with and without lxml on the registrants export (1,700 rows) and on reading it back.

    .venv/bin/python bench/xlsx_lxml.py [--rounds 2]

openpyxl picks its XML writer and reader once, at import: lxml's when lxml is importable
and OPENPYXL_LXML is not "False", else the standard library's. So the same export is
timed in child processes that alternate OPENPYXL_LXML=False / True on one seeded SQLite
database (the outreach bench's 1,700 registrants), in the same run: writing the XLSX
(lms.staff.exports.to_xlsx, as every export in the app writes) and reading it back
(openpyxl read-only, as the registrant import reads an upload). Each figure is the median
of 3 after one warm-up; the children also check both writers produce the same cells.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def app_for(url: str):
    from lms import create_app

    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})


def child(url: str, cohort_id: int) -> None:
    """Time writing and reading the export with whichever XML library openpyxl chose; print JSON."""
    import openpyxl
    import openpyxl.xml

    from lms.extensions import db
    from lms.models import Cohort
    from lms.outreach.exports import registrants_dataset
    from lms.staff.exports import to_xlsx

    app = app_for(url)
    with app.app_context(), app.test_request_context():
        dataset = registrants_dataset(db.session.get(Cohort, cohort_id))

        def write() -> bytes:
            return to_xlsx(dataset, "Pendaftar")

        def read(data: bytes) -> list[tuple]:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            rows = list(book.active.iter_rows(values_only=True))
            book.close()
            return rows

        def median(function, *args) -> float:
            function(*args)
            times = []
            for _ in range(3):
                started = time.perf_counter()
                function(*args)
                times.append(time.perf_counter() - started)
            return statistics.median(times)

        data = write()
        rows = read(data)
        cells = hashlib.sha256(repr(rows).encode()).hexdigest()
        print(json.dumps({"lxml": openpyxl.xml.LXML, "write": median(write), "read": median(read, data),
                          "rows": len(rows), "cells": cells, "bytes": len(data)}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    from bench._setup import migrate_fresh
    from bench.outreach import seed

    folder = Path(tempfile.mkdtemp(prefix="bench-xlsx-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    app = app_for(url)
    with app.app_context():
        migrate_fresh()
        _staff_id, cohort_id = seed(random.Random(2025))  # noqa: S311 - benchmark data
    results = {False: [], True: []}
    for _ in range(args.rounds):
        for use_lxml in (False, True):
            env = {**os.environ, "OPENPYXL_LXML": str(use_lxml), "PYTHONPATH": str(ROOT)}
            out = subprocess.run([sys.executable, __file__, "--child", url, str(cohort_id)], env=env, cwd=ROOT,  # noqa: S603
                                 capture_output=True, text=True, check=True).stdout
            results[use_lxml].append(json.loads(out.strip().splitlines()[-1]))
    same = len({r["cells"] for runs in results.values() for r in runs}) == 1
    print(f"registrants export, {results[False][0]['rows'] - 1:,} rows; same cells with both writers: {same}")
    print(f"{'openpyxl XML':<22} {'write (median)':>15} {'read back (median)':>19} {'bytes':>9}")
    for use_lxml, runs in results.items():
        if runs and runs[0]["lxml"] != use_lxml:
            print("lxml is not installed: both rows use the standard library")
        label = "lxml" if use_lxml else "standard library"
        write = statistics.median(r["write"] for r in runs)
        read = statistics.median(r["read"] for r in runs)
        print(f"{label:<22} {write * 1000:>12.0f} ms {read * 1000:>16.0f} ms {runs[0]['bytes']:>9,}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
