"""Writes of the learning area."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms import progress
from lms.content.schema import Module
from lms.database import queued_write_transaction
from lms.extensions import db
from lms.models import ModuleRead, User, utcnow


def mark_module_read(user: User, module: Module) -> bool:
    """Record that the participant read a module; return False if it was already recorded.

    The unique (user, module) key makes a double tap or a retried POST harmless.
    """
    if _already_read(user, module):
        return False
    now = utcnow()
    try:
        # In the SQLite writers' queue: a deferred transaction that read first and then writes would
        # fail at once ("database is locked") when another writer committed meanwhile.
        with queued_write_transaction():
            if _already_read(user, module):  # a second tap that waited its turn
                return False
            db.session.add(ModuleRead(user_id=user.id, module_id=module.id, module_version=module.version,
                                      read_at=now))
            db.session.flush()  # a racing second tap fails here (PostgreSQL), on the unique key
            progress.record_read(user.id, module.id, now)
    except IntegrityError:
        return False
    return True


def _already_read(user: User, module: Module) -> bool:
    return db.session.scalar(
        select(ModuleRead.id).where(ModuleRead.user_id == user.id, ModuleRead.module_id == module.id)
    ) is not None

