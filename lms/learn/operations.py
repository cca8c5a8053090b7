"""Writes of the learning area."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms import progress
from lms.content.schema import Module
from lms.extensions import db
from lms.models import ModuleRead, User, utcnow


def mark_module_read(user: User, module: Module) -> bool:
    """Record that the participant read a module; return False if it was already recorded.

    The unique (user, module) key makes a double tap or a retried POST harmless.
    """
    already = db.session.scalar(
        select(ModuleRead.id).where(ModuleRead.user_id == user.id, ModuleRead.module_id == module.id)
    )
    if already is not None:
        return False
    now = utcnow()
    db.session.add(ModuleRead(user_id=user.id, module_id=module.id, module_version=module.version, read_at=now))
    try:
        db.session.flush()  # a racing second tap fails here, on the unique key, before the summary is touched
        progress.record_read(user.id, module.id, now)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True

