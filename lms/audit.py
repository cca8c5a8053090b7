"""The audit log: one row per change that staff may need to explain later,
and one row per access to personal data (UU PDP No. 27/2022 accountability)."""

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import inspect

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
        actor_id=_id_of(actor),
        action=action,
        object_type=type(obj).__name__,
        object_id=str(getattr(obj, "id", None) or getattr(obj, "user_id", "")),
        before=before,
        after=after,
        reason=reason or None,
    )
    db.session.add(event)
    return event


def _id_of(actor: User | None) -> int | None:
    """Return the id of an authenticated actor, without loading the signed-in user again for it.

    A helper's first commit expires the signed-in user, and `is_authenticated` (its `active`)
    would load the row again; the session loader checked that user this request, so its id
    is taken from the identity map.
    """
    if actor is None:
        return None
    unwrap = getattr(actor, "_get_current_object", None)  # current_user is a proxy
    person = unwrap() if unwrap else actor
    state = inspect(person, raiseerr=False)
    if state is not None and state.identity and has_request_context() and g.get("_login_user") is person:
        return state.identity[0]
    return person.id if person.is_authenticated else None


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
