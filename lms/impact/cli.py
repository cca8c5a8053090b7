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
    from lms.impact.report import impact_report
    from lms.learn.store import get_content

    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == slug))
    survey = get_content().library.surveys.get(DEFAULT_SURVEY)
    if cohort is None or survey is None:
        click.echo(f"Error: {'no cohort ' + slug if cohort is None else 'the survey has problems'}", err=True)
        sys.exit(1)
    figures = rounded(impact_report(cohort, survey, regency_code=regency, sector=sector))
    figures["extreme_changes"] = [rounded(item) for item in figures["extreme_changes"]]
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2, sort_keys=True))
        return
    for key, value in figures.items():
        if key not in ("comparison", "extreme_changes"):
            click.echo(f"{key}: {value}")
    click.echo(f"extreme_changes: {len(figures['extreme_changes'])} (check them for typing errors)")
