"""Writes of the learning area."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.content.schema import Module
from lms.extensions import db
from lms.models import ModuleRead, User


def mark_module_read(user: User, module: Module) -> bool:
    """Record that the participant read a module; return False if it was already recorded.

    The unique (user, module) key makes a double tap or a retried POST harmless.
    """
    if read_module_ids(user) & {module.id}:
        return False
    db.session.add(ModuleRead(user_id=user.id, module_id=module.id, module_version=module.version))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def read_module_ids(user: User) -> set[str]:
    """Return the ids of the modules a user has marked as read."""
    return set(db.session.scalars(select(ModuleRead.module_id).where(ModuleRead.user_id == user.id)))
