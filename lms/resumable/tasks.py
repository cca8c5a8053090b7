"""Queue task of resumable uploads: remove uploads a day old, finished or abandoned."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlalchemy import select

from lms.extensions import db
from lms.models import ResumableUpload, utcnow
from lms.queue import periodic_task
from lms.resumable import rules, storage

log = logging.getLogger("lms.resumable.tasks")


@periodic_task("uploads.delete_stale_partials", crontab(minute="47"),
               label=_l("Menghapus unggahan bertahap yang lama"), when="hourly at :47")
def delete_stale_partial_uploads() -> str:
    """Delete resumable uploads older than RESUMABLE_UPLOAD_HOURS, with their bytes, and stray partial files.

    A complete upload is kept that long after its start too, so a submission retried after a
    lost answer still finds its files (and is recognised as already saved); its stored copy
    is in the submissions folder, so nothing of a saved version is lost.
    """
    hours = current_app.config["RESUMABLE_UPLOAD_HOURS"]
    cutoff = utcnow() - timedelta(hours=hours)
    stale = list(db.session.scalars(select(ResumableUpload).where(ResumableUpload.created_at < cutoff)))
    for upload in stale:
        storage.remove(upload.name)
        db.session.delete(upload)
    db.session.commit()
    known = set(db.session.scalars(select(ResumableUpload.name)))
    db.session.commit()
    strays = 0
    root = storage.partial_root()
    if root.is_dir():
        for path in root.iterdir():
            name = path.name.removesuffix(".part")
            if path.is_file() and name not in known and (not rules.NAME_RE.match(name)
                                                         or path.stat().st_mtime < time.time() - hours * 3600):
                path.unlink(missing_ok=True)
                strays += 1
    if stale or strays:
        log.info("deleted %d stale resumable upload(s) and %d stray partial file(s)", len(stale), strays)
    return f"{len(stale)} stale upload(s) and {strays} stray partial file(s) deleted"
