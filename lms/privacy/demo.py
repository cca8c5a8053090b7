"""Demo data for the privacy area: one participant waiting for their data to be erased.

Safe to run again: the request is added only when that participant has never asked.
"""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import Cohort, DeletionRequest, User
from lms.phone import normalize_phone
from lms.privacy import operations

ASKING_PHONE = "081200000020"
REASON = "Usaha saya sudah tutup; mohon data saya dihapus."


def seed_demo(cohort: Cohort) -> None:
    """Queue one deletion request from the last demo participant."""
    user = db.session.scalar(select(User).where(User.phone == normalize_phone(ASKING_PHONE)))
    if user is None or db.session.scalar(select(DeletionRequest.id).where(DeletionRequest.user_id == user.id)):
        return
    operations.request_deletion(user, REASON)
