"""Demo data of the offline area (called by lms.seed; safe to run again).

Participant 18 has "Mode hemat data" on, so its module pages show "Tampilkan gambar"
buttons instead of images.
"""

from sqlalchemy import select

from lms.extensions import db
from lms.models import Cohort, User

DATA_SAVER_PHONE = "+6281200000018"


def seed_demo(cohort: Cohort) -> None:
    """Turn on "Mode hemat data" for one demo participant."""
    user = db.session.scalar(select(User).where(User.phone == DATA_SAVER_PHONE))
    if user is not None and not user.data_saver:
        user.data_saver = True
