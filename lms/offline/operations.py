"""Writes of the offline area."""

from lms import audit
from lms.database import write_transaction
from lms.models import User


def set_data_saver(user: User, on: bool) -> None:
    """Turn a user's "Mode hemat data" on or off, with an audit row."""
    with write_transaction():
        before = user.data_saver
        user.data_saver = on
        audit.record("offline.data_saver", user, actor=user, before={"data_saver": before}, after={"data_saver": on})
