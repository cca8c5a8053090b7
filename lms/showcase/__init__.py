"""The graduate showcase (/alumni): opt-in public listings of graduates' businesses."""

from flask import Blueprint

bp = Blueprint("showcase", __name__)

from lms.showcase import views  # noqa: E402,F401  (routes register on bp)
