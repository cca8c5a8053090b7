"""The `flask --app wsgi lms …` commands."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from lms import accounts, phone
from lms.extensions import db
from lms.models import Role, User


@click.group("lms")
def lms_group():
    """Fast Track LMS administration."""


@lms_group.command("create-user")
@click.option("--name", required=True, help="Full name.")
@click.option("--phone", "phone_text", required=True, help="Mobile number, e.g. 081234567890.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.PARTICIPANT.value)
@click.option("--email", default=None)
@click.option("--password", default=None, help="Set a password now instead of issuing an activation code.")
@with_appcontext
def create_user_command(name, phone_text, role, email, password):
    """Create an account and print its activation code (or set a password)."""
    try:
        user = accounts.create_user(name=name, phone_text=phone_text, role=role, email=email, password=password)
        issued = None if password else accounts.issue_activation_code(user, created_by=None)
        db.session.commit()
    except (accounts.AccountError, phone.InvalidPhone) as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(f"Created {user.role} {user.name} ({user.phone}).")
    if issued:
        click.echo(f"Activation code: {issued.display} (valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC)")
        click.echo(f"Activation link: {accounts.activation_url(issued)}")


@lms_group.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo cohort "FTD Demo" and its accounts (safe to run again)."""
    from lms import seed

    seed.seed_demo()
    click.echo("Demo cohort 'FTD Demo' (ftd-demo) is ready. Every password: " + seed.DEMO_PASSWORD)
    for role, number, name in seed.demo_logins():
        click.echo(f"  {role:8} {number}  {name}")
    click.echo(f"Lockout page contact (SUPPORT_WHATSAPP): {current_app.config['SUPPORT_WHATSAPP']}")


@lms_group.command("seed-if-empty")
@with_appcontext
def seed_if_empty_command():
    """Seed the demo cohort only when the database has no users yet (used by make run)."""
    if db.session.scalar(select(User.id).limit(1)) is None:
        seed_demo_command.callback()
    else:
        from lms import seed

        click.echo("Database already has users; demo logins (password " + seed.DEMO_PASSWORD + "):")
        for role, number, name in seed.demo_logins():
            click.echo(f"  {role:8} {number}  {name}")
        click.echo(f"Lockout page contact (SUPPORT_WHATSAPP): {current_app.config['SUPPORT_WHATSAPP']}")


@lms_group.group("content")
def content_group():
    """Course manifests and Markdown modules."""


@content_group.command("check")
@click.option("--root", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder holding content/ and courses/ (default: the project).")
@click.option("--strict", is_flag=True, help="Fail on warnings too (modules below the curriculum minimums).")
def content_check_command(root, strict):
    """Validate courses/ and content/; print problems as path:line: message (warnings on stderr)."""
    from pathlib import Path

    from flask import current_app

    from lms.content.check import main

    sys.exit(main([str(Path(root or current_app.config["PROJECT_ROOT"])), *(["--strict"] if strict else [])]))


@lms_group.group("jobs")
def jobs_group():
    """Background jobs."""


@jobs_group.command("run")
@with_appcontext
def jobs_run_command():
    """Run here every queued job and every interrupted one (a dead worker's jobs are marked first)."""
    from lms.jobs import run_pending_here

    click.echo(f"Ran {run_pending_here()} queued or interrupted job(s).")


@lms_group.group("progress")
def progress_group():
    """The dashboard's per-participant progress summary."""


@progress_group.command("rebuild")
@with_appcontext
def progress_rebuild_command():
    """Recompute module_progress from reads, quiz attempts and submissions (after repairs by hand)."""
    from lms.progress import rebuild_module_progress

    click.echo(f"module_progress: {rebuild_module_progress()} row(s).")


def _register_area_commands() -> None:
    from lms.backup.cli import backup_group
    from lms.certificates.cli import certificates_group
    from lms.credentials.cli import credentials_group
    from lms.impact.cli import impact_group, survey_group
    from lms.queue.cli import tasks_group, worker_command
    from lms.staff.cli import cohorts_group, registrants_group

    lms_group.add_command(certificates_group)
    lms_group.add_command(credentials_group)
    lms_group.add_command(impact_group)
    lms_group.add_command(survey_group)
    lms_group.add_command(backup_group)
    lms_group.add_command(cohorts_group)
    lms_group.add_command(registrants_group)
    lms_group.add_command(worker_command)
    lms_group.add_command(tasks_group)


_register_area_commands()
