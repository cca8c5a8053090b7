"""The staff operations page (/staf/operasional) and retrying a job."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from lms import jobs
from lms.extensions import db
from lms.models import BackgroundJob, Cohort, Role
from lms.ops import bp
from lms.ops.forms import RetryJobForm
from lms.queue import PERIODIC, load_task_modules
from lms.queue.health import queue_health
from lms.queue.periodic import last_runs
from lms.security import require_roles

JOB_LIST_SIZE = 50
STATUS_LABELS = {"queued": _l("Menunggu"), "running": _l("Berjalan"), "done": _l("Selesai"), "failed": _l("Gagal"),
                 "interrupted": _l("Terputus")}
KIND_LABELS = {"certificates.issue": _l("Penerbitan sertifikat"), "registrants.import": _l("Impor pendaftar")}
bp.add_app_template_global(STATUS_LABELS, "job_status_labels")
bp.before_request(require_roles(Role.STAFF))


@bp.get("/")
def index():
    """List the latest jobs with their states, and every periodic task with its last run."""
    load_task_modules()
    recent = db.session.scalars(select(BackgroundJob).order_by(BackgroundJob.id.desc()).limit(JOB_LIST_SIZE)).all()
    cohorts = {c.id: c for c in db.session.scalars(select(Cohort).where(
        Cohort.id.in_({job.cohort_id for job in recent if job.cohort_id})))}
    return render_template("ops/index.html", jobs=recent, cohorts=cohorts, periodic=sorted(PERIODIC.values(),
                           key=lambda p: p.name), runs=last_runs(), health=queue_health(), kind_labels=KIND_LABELS,
                           job_page=job_page, form=RetryJobForm())


@bp.post("/proses/<int:job_id>/ulang")
def retry_job(job_id: int):
    """Queue a failed or interrupted job again; its steps skip what is already done."""
    job = db.get_or_404(BackgroundJob, job_id)
    if not RetryJobForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "error")
    elif jobs.retry_job(job, by=current_user):
        flash(_("Proses dijalankan lagi. Langkah yang sudah selesai tidak diulang."), "info")
    elif job.status in jobs.RETRYABLE_STATUSES:
        flash(_("Proses lain untuk kohort ini sedang berjalan; tunggu sampai selesai."), "warning")
    else:
        flash(_("Hanya proses yang gagal atau terputus yang bisa dijalankan lagi."), "warning")
    return redirect(job_page(db.session.get(BackgroundJob, job_id)))


def job_page(job: BackgroundJob) -> str:
    """Return the URL of a job's own progress page (or this page for a kind without one)."""
    if job.kind == "certificates.issue":
        return url_for("certificates.job", cert_job_id=job.id)
    if job.kind == "registrants.import" and (job.params or {}).get("batch_id"):
        return url_for("staff.import_progress", import_id=job.params["batch_id"], job=job.id)
    return url_for("ops.index")
