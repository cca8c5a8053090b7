"""Queue tasks of the operations area: the worker's heartbeat, job recovery and the nightly backup."""

from flask_babel import lazy_gettext as _l
from huey import crontab

from lms import jobs
from lms.queue import HEARTBEAT_TASK, periodic_task


@periodic_task(HEARTBEAT_TASK, crontab(), label=_l("Detak pekerja antrean"), when="every minute")
def worker_heartbeat() -> str:
    """Record that a worker is alive and its scheduler runs (read by /healthz and the staff page)."""
    return f"worker {jobs.worker_id()} alive"


@periodic_task("jobs.recover", crontab(), label=_l("Memulihkan proses yang terputus"), when="every minute")
def recover_interrupted_jobs() -> str:
    """Mark jobs of dead workers interrupted and resume them (lms/jobs.py)."""
    counts = jobs.recover_jobs()
    return f"{counts['interrupted']} interrupted, {counts['resumed']} resumed"


@periodic_task("backup.nightly", crontab(hour="19", minute="0"), label=_l("Cadangan malam"),
               when="daily 19:00 UTC (02:00 WIB)")
def nightly_backup() -> str:
    """Write the nightly archive into BACKUP_DIR and keep the last BACKUP_KEEP (lms/backup)."""
    from lms.backup import nightly_backup as write_nightly_backup

    summary = write_nightly_backup()
    return f"{summary['path']}: {summary['files']} files, {summary['size']} bytes; kept {summary['kept']}"
