"""Registration: the public programme page and self-registration into the open cohort.

The blueprint is created here and the views module adds its routes; operations hold
the writes, queries the reads other areas may share, rules the pure parts.
"""

from flask import Blueprint, request

from lms.extensions import limiter

bp = Blueprint("registration", __name__)


@limiter.request_filter
def _limited_by_throttle() -> bool:
    """Skip Flask-Limiter's per-request pass here: these pages count their limits with lms.throttle.

    No route of this blueprint has a Flask-Limiter limit (the app has no default limits), so the
    pass found nothing to count on each of the closing rush's 3,400 requests; a limit added to
    one of them must use lms.throttle too (tests/test_registration.py pins the per-address
    and per-phone limits).
    """
    return request.blueprint == "registration"

from lms.registration import views  # noqa: E402, F401
