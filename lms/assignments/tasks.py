"""Queue tasks of the assignments area: remove upload files that no row names."""

import logging
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlalchemy import select

from lms.assignments import uploads
from lms.extensions import db
from lms.models import SubmissionFile
from lms.queue import periodic_task

log = logging.getLogger("lms.assignments.tasks")


@periodic_task("uploads.delete_orphans", crontab(minute="17"), label=_l("Menghapus berkas unggahan yatim"),
               when="hourly at :17")
def delete_orphan_uploads() -> str:
    """Delete upload files older than ORPHAN_UPLOAD_HOURS that no submission_file row refers to.

    A crash between storing a file and committing its row leaves such a file; the
    age margin keeps files of a submission that is being committed right now.
    """
    root = uploads.upload_root()
    if not root.is_dir():
        return "no upload folder"
    referenced = set()
    for stored_name, thumbnail_name in db.session.execute(
            select(SubmissionFile.stored_name, SubmissionFile.thumbnail_name)):
        referenced.update(name for name in (stored_name, thumbnail_name) if name)
    db.session.commit()
    cutoff = time.time() - current_app.config["ORPHAN_UPLOAD_HOURS"] * 3600
    deleted = kept_young = 0
    for path in root.iterdir():
        if not path.is_file() or path.name in referenced:
            continue
        if path.stat().st_mtime > cutoff:
            kept_young += 1
            continue
        size = path.stat().st_size
        path.unlink(missing_ok=True)
        log.warning("deleted orphan upload %s (%d bytes, no submission_file row)", path.name, size)
        deleted += 1
    return f"{deleted} orphan file(s) deleted, {kept_young} recent unreferenced file(s) kept"
