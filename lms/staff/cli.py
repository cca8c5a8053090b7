"""`flask --app wsgi lms cohorts …` and `lms registrants …`: the staff console's steps for scripts.

Regency offices send files every week; staff who script those imports get the same
checks and the same report as the import pages, and the import runs inline in the
command's own process (no background worker needed).
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Cohort

SLUG_HELP = "Lower-case letters, digits and dashes, e.g. ftd-2027-1."


@click.group("cohorts")
def cohorts_group():
    """Cohorts."""


@cohorts_group.command("create")
@click.option("--slug", required=True, help=SLUG_HELP)
@click.option("--name", required=True, help="Display name, e.g. \"FTD 2027 Gelombang 1\".")
@click.option("--course", "course_id", default=None, help="Course id (default: the only or first published course).")
@click.option("--capacity", type=click.IntRange(1, 100_000), default=None, help="Most participants selected.")
@click.option("--start", "start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Start date (default today).")
@with_appcontext
def cohorts_create_command(slug, name, course_id, capacity, start):
    """Create a cohort; running it again with the same slug changes nothing."""
    from lms.learn.store import get_content
    from lms.staff.cohorts.forms import SLUG_PATTERN
    from lms.staff.cohorts.operations import save_cohort

    slug = slug.strip().lower()
    if not SLUG_PATTERN.fullmatch(slug):
        raise click.UsageError(f"--slug: {SLUG_HELP}")
    existing = db.session.scalar(select(Cohort).where(func.lower(Cohort.slug) == slug))
    if existing is not None:
        click.echo(f"Cohort {existing.slug} already exists (id {existing.id}); nothing changed.")
        return
    courses = sorted(get_content().library.courses)
    if course_id is None and courses:
        course_id = courses[0]
    if course_id not in courses:
        raise click.UsageError(f"--course: unknown course {course_id!r}; published: {', '.join(courses) or '-'}")
    first = start.date() if start else date.today()
    cohort = save_cohort(None, {
        "name": name.strip()[:120], "slug": slug, "course_id": course_id, "start_date": first,
        "bootcamp_date": first + timedelta(days=14), "graduation_date": first + timedelta(days=42),
        "capacity": capacity, "signatory1_name": "", "signatory1_title": "", "signatory2_name": "",
        "signatory2_title": "",
    }, saved_by=None)
    click.echo(f"Created cohort {cohort.slug} (id {cohort.id}), course {cohort.course_id}, "
               f"capacity {cohort.capacity or '-'}.")


@click.group("registrants")
def registrants_group():
    """Registrant files from the regency offices."""


@registrants_group.command("import")
@click.option("--cohort", "slug", required=True, help="The cohort's slug.")
@click.option("--dry-run", is_flag=True, help="Check and report only; write nothing but the report.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def registrants_import_command(slug, dry_run, file):
    """Check a registrant file (CSV or XLSX) like the import page does, then import it unless --dry-run."""
    from lms.staff.imports import operations, reading
    from lms.staff.imports.mapping import FIELDS, validate_mapping
    from lms.staff.imports.report import report_text

    cohort = db.session.scalar(select(Cohort).where(func.lower(Cohort.slug) == slug.strip().lower()))
    if cohort is None:
        click.echo(f"Error: no cohort with slug {slug!r}.", err=True)
        sys.exit(2)
    try:
        data = file.read_bytes()
        if len(data) > reading.MAX_IMPORT_BYTES:
            raise reading.ImportFileError(f"{file.name}: larger than {reading.MAX_IMPORT_BYTES // (1024 * 1024)} MB")
        batch = operations.store_upload(data, file.name, cohort, uploaded_by=None)
    except (OSError, reading.ImportFileError) as error:
        click.echo(f"Error: the file cannot be read: {error}", err=True)
        sys.exit(1)
    mapping = {key: batch.mapping.get(key) for key in FIELDS}
    problems = validate_mapping({k: v for k, v in mapping.items() if v is not None}, batch.report["file"]
                                        ["columns"])
    if problems:
        for problem in problems:
            click.echo(f"Error: {problem}", err=True)
        sys.exit(1)
    report = operations.save_mapping_and_preview(batch, mapping, actor=None)
    click.echo(report_text(batch, report))
    if dry_run:
        click.echo("Dry run: nothing imported.")
        return
    counts = operations.import_batch(batch, actor=None)
    click.echo(f"Imported: {counts['create']} new, {counts['update']} updated, {counts['unchanged']} unchanged, "
               f"{counts['with_errors']} skipped with errors.")
