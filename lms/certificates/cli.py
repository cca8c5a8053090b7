"""`flask --app wsgi lms certificates …` commands."""

import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from lms.extensions import db
from lms.models import BackgroundJob, Certificate, Cohort, User

POLL_SECONDS = 0.5


@click.group("certificates")
def certificates_group():
    """Graduation certificates."""


@certificates_group.command("issue")
@click.option("--cohort", "slug", required=True, help="Cohort slug, e.g. ftd-demo.")
@click.option("--by", "by_phone", default=None, help="Phone of the staff member to record as issuer.")
@with_appcontext
def issue_command(slug, by_phone):
    """Issue every due certificate of a cohort, with a progress bar (safe to run again)."""
    from lms import jobs
    from lms.certificates import operations

    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == slug))
    if cohort is None:
        click.echo(f"Error: no cohort with slug {slug!r}.", err=True)
        sys.exit(1)
    issuer = find_staff(by_phone) if by_phone else None
    # start_job first marks a dead worker's job interrupted, so it never blocks this run.
    job, _created = jobs.start_job(operations.JOB_KIND, cohort_id=cohort.id, created_by=issuer, run=False)
    if job.status == "running":
        click.echo(f"A certificate job for {slug} is already running (job {job.id}); following it.")
        job = follow_job(job.id, None)
        if job.status == "interrupted" and jobs.requeue(job.id):
            click.echo(f"Job {job.id} stopped responding; resuming it here.")
    if job.status == "queued":
        # Run it in this process (a thread); this thread draws its stored progress.
        job = follow_job(job.id, jobs.spawn(current_app._get_current_object(), job.id))
    if job.status != "done":
        click.echo(f"Job {job.id} {job.status}:\n{job.error or ''}", err=True)
        sys.exit(1)
    result = job.result or {}
    click.echo(f"Issued {result.get('issued', 0)} new certificate(s); {result.get('already_issued', 0)} already "
               f"existed; {result.get('rendered', 0)} PDF(s) rendered; {result.get('not_eligible', 0)} "
               f"participant(s) not yet eligible.")


def follow_job(job_id: int, worker) -> BackgroundJob:
    """Draw a progress bar from the job row until the job ends, or its worker is found dead."""
    from lms import jobs

    with click.progressbar(length=1, label="Issuing certificates", show_pos=True) as bar:
        while True:
            db.session.expire_all()
            job = db.session.get(BackgroundJob, job_id)
            if job.total and bar.length != job.total:
                bar.length = job.total
            bar.update(job.done - bar.pos)
            if job.status not in jobs.LIVE_STATUSES:
                db.session.commit()
                return job
            if worker is not None and not worker.is_alive():
                worker = None  # a queue worker claimed it first: follow that one
            if worker is None and jobs.is_stale(job):
                jobs.reap_stale_jobs()  # its worker died: stop following a job nobody runs
                continue
            db.session.commit()  # end the read so SQLite does not pin an old snapshot
            time.sleep(POLL_SECONDS)


def find_staff(phone_text: str) -> User:
    """Return the staff account with that phone, or stop."""
    from lms.phone import normalize_phone

    user = db.session.scalar(select(User).where(User.phone == normalize_phone(phone_text)))
    if user is None or not user.is_staff:
        click.echo(f"Error: {phone_text} is not a staff account.", err=True)
        sys.exit(1)
    return user


@certificates_group.command("revoke")
@click.argument("number")
@click.option("--reason", required=True, help="Shown on the public verification page.")
@click.option("--by", "by_phone", default=None, help="Phone of the staff member to record.")
@with_appcontext
def revoke_command(number, reason, by_phone):
    """Revoke a certificate by its number (e.g. FTD-2026-000123)."""
    from lms.certificates import operations

    certificate = db.session.scalar(select(Certificate).where(Certificate.number == number.strip().upper()))
    if certificate is None:
        click.echo(f"Error: no certificate numbered {number}.", err=True)
        sys.exit(1)
    try:
        operations.revoke_certificate(certificate.id, reason=reason, revoked_by=find_staff(by_phone) if by_phone
                                      else None)
    except operations.CertificateError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(f"Revoked {certificate.number}.")


@certificates_group.command("list")
@click.option("--cohort", "slug", required=True, help="Cohort slug.")
@with_appcontext
def list_command(slug):
    """Print a cohort's certificates: number, status, code, name and verification URL."""
    from lms.certificates import codes, operations
    from lms.models import Enrollment

    rows = db.session.scalars(
        select(Certificate).join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id).where(Cohort.slug == slug).order_by(Certificate.id)
    ).all()
    for c in rows:
        click.echo(f"{c.number}  {c.kind:10} {c.status:10} {codes.display_code(c.code)}  {c.name}  "
                   f"{operations.verify_url(c.code)}")
    click.echo(f"{len(rows)} certificate(s).")
