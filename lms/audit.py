"""The audit log: one row per change that staff may need to explain later."""

from flask_babel import lazy_gettext as _l

from lms.extensions import db
from lms.models import AuditEvent, User

# Indonesian names shown beside the code in the staff audit log; actions without one show only the code.
ACTION_LABELS = {
    "login.spraying_blocked": _l("Satu alamat gagal masuk ke banyak akun: alamat ini diperlambat"),
    "user.activation_code_locked": _l("Kode aktivasi dibatalkan: terlalu banyak kode salah untuk akun ini"),
}


def record(
    action: str,
    obj: object,
    *,
    actor: User | None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Add an audit row for a change to `obj` to the current transaction."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=str(getattr(obj, "id", None) or getattr(obj, "user_id", "")),
        before=before,
        after=after,
    )
    db.session.add(event)
    return event
