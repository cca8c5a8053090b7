"""Queue tasks of the certificates area: graduation happens on the cohort's date, not when PDFs are issued."""

from flask_babel import lazy_gettext as _l
from huey import crontab

from lms.certificates import operations
from lms.queue import periodic_task


# 17:05 UTC is 00:05 WIB: just after midnight in North Sumatra, the day's graduations are made.
@periodic_task("certificates.graduate_due", crontab(hour="17", minute="5"),
               label=_l("Mewisudakan kohort yang tanggal wisudanya tiba"), when="daily 17:05 UTC (00:05 WIB)")
def graduate_due_cohorts() -> str:
    """Make "Lulus" the certified participants of every cohort whose graduation date has come (idempotent)."""
    done = operations.graduate_due_cohorts()
    return ", ".join(f"{slug}: {count}" for slug, count in done.items()) or "nobody due"
