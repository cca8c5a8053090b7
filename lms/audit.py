"""The audit log: one row per change that staff may need to explain later,
and one row per access to personal data (UU PDP No. 27/2022 accountability)."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

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
    reason: str | None = None,
) -> AuditEvent:
    """Add an audit row for a change to `obj` to the current transaction."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=str(getattr(obj, "id", None) or getattr(obj, "user_id", "")),
        before=before,
        after=after,
        reason=reason or None,
    )
    db.session.add(event)
    return event


def record_access(what: str, obj: object, **details: object) -> AuditEvent:
    """Log that the current user read personal data (an export or a download) and commit it.

    `what` names the kind of access ("export", "certificate_pdf", ...); it becomes the
    action "access.<what>". `details` (dataset, format, file name, row count) go in `after`.
    Downloads are GET requests: this row is the one write they make, and it is committed
    here so the log holds even when the response then fails half-way.
    """
    actor = current_user._get_current_object() if current_user else None
    event = record(f"access.{what}", obj, actor=actor, after={k: v for k, v in details.items() if v is not None})
    db.session.commit()
    return event
