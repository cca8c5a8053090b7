"""`flask --app wsgi lms impact …` commands."""

import json
import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from lms.extensions import db
from lms.models import Cohort

DEFAULT_SURVEY = "dampak-umkm"


@click.group("impact")
def impact_group():
    """Impact monitoring and evaluation."""


@impact_group.command("report")
@click.option("--cohort", "slug", required=True, help="Cohort slug, e.g. ftd-demo.")
@click.option("--regency", default="", help="BPS code of one regency/city, e.g. 1271.")
@click.option("--sector", default="", help="One sector id, e.g. kuliner.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (numbers rounded to 1 decimal).")
@with_appcontext
def report_command(slug, regency, sector, as_json):
    """Print a cohort's impact indicators, with the comparison group and the extreme changes to check."""
    from lms.impact.indicators import rounded
    from lms.impact.snapshot import current_figures, report_figures
    from lms.knowledge import report as knowledge_report
    from lms.learn.store import get_content

    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == slug))
    survey = get_content().library.surveys.get(DEFAULT_SURVEY)
    if cohort is None or survey is None:
        click.echo(f"Error: {'no cohort ' + slug if cohort is None else 'the survey has problems'}", err=True)
        sys.exit(1)
    figures = rounded(report_figures(cohort, survey, regency_code=regency, sector=sector))
    figures["extreme_changes"] = [rounded(item) for item in figures["extreme_changes"]]
    stored = current_figures(cohort, survey)[1]
    figures[knowledge_report.JSON_KEY] = knowledge_report.json_figures(stored["knowledge"])  # pre/post test means
    if not regency and not sector:  # waves: each of the cohort's waves on its own respondents (stored unfiltered)
        figures["waves"] = rounded(stored["waves"])
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2, sort_keys=True))
        return
    for key, value in figures.items():
        if key not in ("comparison", "extreme_changes", "waves", knowledge_report.JSON_KEY):
            click.echo(f"{key}: {value}")
    if "waves" in figures:
        click.echo("respondents_by_wave: " + ", ".join(f"{wave}={f['n']}" for wave, f in figures["waves"].items()))
    knowledge = figures[knowledge_report.JSON_KEY]
    if knowledge:
        click.echo(f"knowledge_gain: pre {knowledge['pre_mean']} -> post {knowledge['post_mean']} (n={knowledge['n']})")
    click.echo(f"extreme_changes: {len(figures['extreme_changes'])} (check them for typing errors)")


@click.group("survey")
def survey_group():
    """Impact survey answers."""


@survey_group.command("import")
@click.option("--cohort", "slug", required=True, help="Cohort slug, e.g. ftd-demo.")
@click.option("--wave", default="", help="Use this wave for every row (baseline, endline, or one of the cohort's "
                                         "follow-ups: followup-3, followup-6 by default) when the file has no "
                                         "wave column.")
@click.option("--dry-run", is_flag=True, help="Check and report, save nothing.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def survey_import_command(slug, wave, dry_run, path):
    """Import survey answers from CSV/XLSX (matched by phone); safe to run again with the same file."""
    from pathlib import Path

    from lms.impact import imports
    from lms.impact.rules import cohort_waves
    from lms.learn.store import get_content

    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == slug))
    survey = get_content().library.surveys.get(DEFAULT_SURVEY)
    if cohort is None or survey is None or (wave and wave not in cohort_waves(cohort)):
        click.echo(f"Error: {'unknown cohort ' + slug if cohort is None else 'unknown wave or broken survey'}",
                   err=True)
        sys.exit(2)
    try:
        table = imports.read_table(Path(path).read_bytes(), Path(path).name)
    except imports.ImportFileError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    mapping = imports.guess_columns(table.header, survey)
    if "phone" not in mapping or ("wave" not in mapping and not wave):
        click.echo("Error: the file needs a phone column (No HP) and a wave column (Gelombang) or --wave.", err=True)
        sys.exit(2)
    plans = imports.plan_import(table, mapping, cohort, survey, fixed_wave=wave)
    for plan in plans:
        for message in plan.errors:
            click.echo(f"{Path(path).name}:{plan.line}: {message}")
        if plan.note == "duplicate":
            click.echo(f"{Path(path).name}:{plan.line}: {plan.phone_text} answers {plan.wave} again in this file "
                       "(kept as a newer version; the last row counts)")
    summary = imports.summarize(plans)
    columns = ", ".join(f"{name}={table.header[index]!r}" for name, index in mapping.items())
    click.echo(f"columns: {columns}")
    if not dry_run:
        summary["saved"] = imports.apply_plan(plans, cohort, survey, imported_by=None)
    click.echo(" ".join(f"{key}={value}" for key, value in summary.items()))
