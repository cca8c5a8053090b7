"""Operations for staff: background jobs and their states, periodic tasks and their last runs."""

from flask import Blueprint

bp = Blueprint("ops", __name__)

from lms.ops import views  # noqa: E402, F401 - the views attach themselves to bp
