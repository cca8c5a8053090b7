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
    already = db.session.scalar(
        select(ModuleRead.id).where(ModuleRead.user_id == user.id, ModuleRead.module_id == module.id)
    )
    if already is not None:
        return False
    db.session.add(ModuleRead(user_id=user.id, module_id=module.id, module_version=module.version))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True

