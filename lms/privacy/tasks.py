"""Queue task of the privacy area: erase registrants never selected once the retention period has passed."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from huey import crontab

from lms.extensions import db
from lms.impact.queries import wib_today
from lms.models import User, utcnow
from lms.privacy import operations, queries, rules
from lms.queue import periodic_task


@periodic_task("privacy.retention", crontab(hour="20", minute="45"),
               label=_l("Menghapus data pendaftar yang tidak terpilih setelah masa simpan"),
               when="daily 20:45 UTC (03:45 WIB)")
def apply_registrant_retention() -> str:
    """Erase never-selected registrants whose last cohort closed registration REGISTRANT_RETENTION_DAYS ago."""
    cutoff = rules.retention_cutoff(wib_today(utcnow()), current_app.config["REGISTRANT_RETENTION_DAYS"])
    erased = 0
    for user_id in queries.due_for_retention(cutoff):
        user = db.session.get(User, user_id)
        if user is not None and operations.erase_person(
                user, erased_by=None, reason=operations.ERASURE_REASON_RETENTION, source="retention"):
            erased += 1
    return f"{erased} registrant(s) erased (registration closed on or before {cutoff.isoformat()})"
