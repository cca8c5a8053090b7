"""Writes of the registrant import: store an upload, store the dry run, staff's choices on it, the import.

The flow is upload → map columns → dry run → import. Each function here is one
transaction with its audit row. `import_batch` applies the plan in ONE
`write_transaction`: either every valid row lands or nothing does, and because rows
are keyed by phone and existing data is never overwritten, importing the same file
twice changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from lms import audit, regions
from lms.database import write_transaction
from lms.extensions import db
from lms.models import Cohort, ImportBatch, User, utcnow
from lms.staff.imports import storage
from lms.staff.imports.applying import apply_plans
from lms.staff.imports.checking import dry_run_report, summarize
from lms.staff.imports.mapping import guess_mapping
from lms.staff.imports.queries import plan_batch
from lms.staff.imports.reading import read_table

STAFF_CHOICES = ("winners", "fixes")  # kept on the report when the dry run runs again


def store_upload(data: bytes, filename: str, cohort: Cohort, *, uploaded_by: User | None) -> ImportBatch:
    """Check that the file reads as a table, store it under a server-made name, and guess its mapping."""
    table = read_table(data, filename)
    batch = ImportBatch(
        cohort_id=cohort.id, stored_name=storage.save_file(data), display_name=(filename or "impor")[-200:],
        sha256=hashlib.sha256(data).hexdigest(), mapping=guess_mapping(table.header),
        created_by_id=uploaded_by.id if uploaded_by is not None else None,
        report={"file": table.facts()},
    )
    db.session.add(batch)
    db.session.flush()  # the audit row names the batch by its id
    audit.record("import.upload", batch, actor=uploaded_by, after={"file": batch.display_name, "sha256": batch.sha256})
    db.session.commit()
    return batch


def save_mapping_and_preview(batch: ImportBatch, mapping: dict[str, int | None], *, actor: User | None) -> dict:
    """Store the column mapping and the dry-run report; nothing else is written."""
    table = storage.load_table(batch)
    batch.mapping = {key: value for key, value in mapping.items() if value is not None}
    plans = plan_batch(batch, table)
    kept = {key: (batch.report or {}).get(key) or {} for key in STAFF_CHOICES}
    batch.report = dry_run_report(plans, table, kept)
    batch.status = "previewed"
    audit.record("import.preview", batch, actor=actor, after={"mapping": batch.mapping, **batch.report["counts"]})
    db.session.commit()
    return batch.report


def choose_duplicate(batch: ImportBatch, phone_e164: str, line: int, *, actor: User) -> None:
    """Record which row wins for a phone that appears on several rows, then run the dry run again."""
    groups = {g["phone"]: [r["line"] for r in g["rows"]] for g in (batch.report or {}).get("duplicates", [])}
    if line not in groups.get(phone_e164, []):
        raise ValueError("not a duplicate row of this batch")
    batch.report = {**batch.report, "winners": {**(batch.report.get("winners") or {}), phone_e164: line}}
    audit.record("import.choose_duplicate", batch, actor=actor, after={"phone": phone_e164, "line": line})
    save_mapping_and_preview(batch, dict(batch.mapping or {}), actor=actor)


def fix_regency(batch: ImportBatch, line: int, regency_code: str, *, actor: User) -> None:
    """Correct the regency of one row from the dry-run page, then run the dry run again."""
    if regency_code not in regions.REGENCY_BY_CODE:
        raise ValueError("unknown regency")
    if not any(row["line"] == line for row in (batch.report or {}).get("rows", [])):
        raise ValueError("not a row with a problem")
    fixes = {**(batch.report.get("fixes") or {}), str(line): {"regency": regency_code}}
    batch.report = {**batch.report, "fixes": fixes}
    audit.record("import.fix_row", batch, actor=actor, after={"line": line, "regency": regency_code})
    save_mapping_and_preview(batch, dict(batch.mapping or {}), actor=actor)


def import_batch(batch: ImportBatch, *, actor: User | None,
                 progress: Callable[[int, int], None] | None = None) -> dict:
    """Upsert every valid row of a batch in one transaction and return the counts."""
    table = storage.load_table(batch)
    total = len(table.rows) + 1
    if progress is not None:
        # The check runs before the write lock is taken, so progress can be committed as it goes.
        plan_batch(batch, table, progress=lambda done, _total: progress(done, total))
    batch_id = batch.id
    with write_transaction():
        batch = db.session.get(ImportBatch, batch_id)
        plans = plan_batch(batch, table)  # again, under the lock: the database may have changed meanwhile
        apply_plans(plans, db.session.get(Cohort, batch.cohort_id), actor=actor, source=batch.display_name)
        counts = summarize(plans, table)
        batch.status, batch.imported_at = "imported", utcnow()
        batch.report = {**(batch.report or {}), "result": counts}
        audit.record("import.run", batch, actor=actor, after=counts)
    if progress is not None:
        progress(total, total)
    return counts


def mark_failed(batch_id: int) -> None:
    """Roll back a failed import and mark its batch "failed", so staff can run it again."""
    db.session.rollback()
    db.session.get(ImportBatch, batch_id).status = "failed"
    db.session.commit()
