"""Reads of the registrant import: the accounts a file meets, earlier batches, the dry-run plan."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import BackgroundJob, Cohort, Enrollment, ImportBatch, ParticipantProfile, User
from lms.staff.imports import checking, report, storage
from lms.staff.imports.checking import PROFILE_FIELDS, ExistingAccount, RowPlan
from lms.staff.imports.mapping import mapped_cell
from lms.staff.imports.reading import Table

IMPORT_JOB_KIND = "registrants.import"
LOOKUP_CHUNK = 500  # phones per IN (...) query; stays far below every database's parameter limit
RECENT_BATCHES = 20


def load_existing(phones: Iterable[str], emails: Iterable[str], cohort: Cohort) -> tuple[dict, dict]:
    """Load the accounts that already have these phones and the owners of these emails, in few queries."""
    phones, emails = sorted(set(phones)), sorted(set(emails))
    accounts: dict[str, ExistingAccount] = {}
    for chunk in _chunks(phones):
        rows = db.session.execute(
            select(User, ParticipantProfile, Enrollment.status)
            .outerjoin(ParticipantProfile, ParticipantProfile.user_id == User.id)
            .outerjoin(Enrollment, (Enrollment.user_id == User.id) & (Enrollment.cohort_id == cohort.id))
            .where(User.phone.in_(chunk))
        )
        for user, profile, status in rows:
            accounts[user.phone] = ExistingAccount(
                user_id=user.id, name=user.name, role=user.role, email=user.email,
                profile={key: getattr(profile, key, None) for key in PROFILE_FIELDS},
                enrollment_status=status,
            )
    taken: dict[str, int] = {}
    for chunk in _chunks(emails):
        rows = db.session.execute(select(func.lower(User.email), User.id).where(func.lower(User.email).in_(chunk)))
        taken.update({email: user_id for email, user_id in rows})
    return accounts, taken


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def plan_batch(batch: ImportBatch, table: Table, progress: Callable[[int, int], None] | None = None) -> list[RowPlan]:
    """Check a batch's rows against the accounts in the database now."""
    mapping = {key: int(value) for key, value in (batch.mapping or {}).items() if value is not None}
    phones = [checking.normalized_phone_or_none(mapped_cell(cells, mapping, "phone")) for _line, cells in table.rows]
    emails = [mapped_cell(cells, mapping, "email").lower() for _line, cells in table.rows]
    cohort = db.session.get(Cohort, batch.cohort_id)
    existing, taken = load_existing([p for p in phones if p], [e for e in emails if e], cohort)
    stored = batch.report or {}
    return checking.check_rows(table, mapping, existing, taken, progress, winners=stored.get("winners") or {},
                               fixes=stored.get("fixes") or {})


def previous_import(batch: ImportBatch) -> ImportBatch | None:
    """Return an earlier imported batch with the same file contents, if any."""
    return db.session.scalar(
        select(ImportBatch)
        .where(ImportBatch.sha256 == batch.sha256, ImportBatch.status == "imported", ImportBatch.id != batch.id)
        .order_by(ImportBatch.id.desc())
        .limit(1)
    )


def recent_batches(cohort: Cohort) -> list[ImportBatch]:
    """Return the cohort's latest uploads, newest first."""
    return list(db.session.scalars(
        select(ImportBatch).where(ImportBatch.cohort_id == cohort.id).order_by(ImportBatch.id.desc())
        .limit(RECENT_BATCHES)
    ))


def latest_import_job(cohort_id: int) -> BackgroundJob | None:
    """Return the cohort's newest import job, whatever its status."""
    return db.session.scalar(select(BackgroundJob).where(BackgroundJob.kind == IMPORT_JOB_KIND,
                                                         BackgroundJob.cohort_id == cohort_id)
                             .order_by(BackgroundJob.id.desc()).limit(1))


def problem_rows(batch: ImportBatch) -> tuple[list[str], list[list[str]]]:
    """Return the stored file's header and its problem rows, each with its problems, to send back."""
    return report.problem_table(storage.load_table(batch), batch.report or {})
