"""Queue tasks of the auth area: purge sessions and activation codes that can no longer be used."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlalchemy import delete, or_

from lms.database import write_transaction
from lms.extensions import db
from lms.models import ActivationCode, UserSession, utcnow
from lms.queue import periodic_task
from lms.security import LAST_SEEN_GRANULARITY


@periodic_task("auth.purge_expired", crontab(hour="20", minute="30"),
               label=_l("Membersihkan sesi dan kode kedaluwarsa"), when="daily 20:30 UTC (03:30 WIB)")
def purge_expired_sessions_and_codes() -> str:
    """Delete revoked sessions, sessions idle past the cookie lifetime, and expired activation codes."""
    now = utcnow()
    idle_cutoff = now - current_app.config["PERMANENT_SESSION_LIFETIME"] - LAST_SEEN_GRANULARITY
    with write_transaction():
        sessions = db.session.execute(delete(UserSession).where(
            or_(UserSession.revoked_at.is_not(None), UserSession.last_seen_at < idle_cutoff))).rowcount
        codes = db.session.execute(delete(ActivationCode).where(ActivationCode.expires_at < now)).rowcount
    return f"{sessions} session(s) and {codes} activation code(s) deleted"
