"""Registration: the public programme page and self-registration into the open cohort.

The blueprint is created here and the views module adds its routes; operations hold
the writes, queries the reads other areas may share, rules the pure parts.
"""

from flask import Blueprint

bp = Blueprint("registration", __name__)

from lms.registration import views  # noqa: E402, F401
