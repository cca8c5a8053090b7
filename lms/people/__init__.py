"""People: staff edit a person's data, and the forgotten-password queue.

The blueprint is created here and the views module adds its routes
(see lms.people.views); operations hold the writes, rules the pure parts.
"""

from flask import Blueprint

bp = Blueprint("people", __name__)

from lms.people import views  # noqa: E402, F401
