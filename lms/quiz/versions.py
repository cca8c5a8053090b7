"""Quiz snapshots: one stored row per quiz version, read back for every attempt.

Rows never change once written, so each process keeps the rebuilt Quiz objects
in a small cache and the JSON is parsed once, not on every autosave.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import g
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.content.schema import Quiz
from lms.database import queued_write_transaction
from lms.extensions import db
from lms.models import QuizVersion

_CACHE_SIZE = 256
_cache: OrderedDict[tuple, Quiz] = OrderedDict()
_cache_lock = threading.Lock()


def ensure_quiz_version(module_id: str, quiz: Quiz) -> int:
    """Return the id of the stored snapshot of this quiz version, storing it first if needed.

    Several workers may store the same version at once: on SQLite the write lock
    serialises them and the check is repeated under it; on PostgreSQL the unique
    (module, version) key lets one win and the others read its row.
    """
    found = _version_id(module_id, quiz.version)
    if found is not None:
        return found
    try:
        with queued_write_transaction():
            found = _version_id(module_id, quiz.version)
            if found is None:
                row = QuizVersion(module_id=module_id, version=quiz.version, snapshot=quiz.to_dict())
                db.session.add(row)
                db.session.flush()
                found = row.id
    except IntegrityError:
        found = _version_id(module_id, quiz.version)
    return found


def _version_id(module_id: str, version: str) -> int | None:
    """Look up a stored snapshot's id."""
    return db.session.scalar(
        select(QuizVersion.id).where(QuizVersion.module_id == module_id, QuizVersion.version == version)
    )


def remember_identity(version_id: int, module_id: str, version: str) -> None:
    """Note a snapshot's (module, version), read with its attempt, for this request's quiz_for_version."""
    g.setdefault("lms_quiz_versions", {})[version_id] = (module_id, version)


def quiz_for_version(version_id: int) -> Quiz:
    """Return the quiz exactly as it was when the snapshot was stored."""
    # The key names the version too: ids are reused when a test database is emptied. The
    # identity is read once per request (with the attempt, or here), never kept across requests.
    seen = g.setdefault("lms_quiz_versions", {})
    identity = seen.get(version_id)
    if identity is None:
        identity = db.session.execute(
            select(QuizVersion.module_id, QuizVersion.version).where(QuizVersion.id == version_id)
        ).first()
        if identity is None:
            raise LookupError(f"quiz version {version_id} does not exist")
        seen[version_id] = identity = tuple(identity)
    key = (str(db.engine.url), version_id, *identity)
    with _cache_lock:
        quiz = _cache.get(key)
        if quiz is not None:
            _cache.move_to_end(key)
            return quiz
    snapshot = db.session.scalar(select(QuizVersion.snapshot).where(QuizVersion.id == version_id))
    quiz = Quiz.from_dict(snapshot)
    with _cache_lock:
        _cache[key] = quiz
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return quiz
