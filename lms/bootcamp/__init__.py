"""Bootcamp sessions (issue #19): the schedule, QR and manual check-in, the attendance list, attendance rules."""

from flask import Blueprint

bp = Blueprint("bootcamp", __name__)

from lms.bootcamp import staff_views, views  # noqa: E402,F401 - the views register themselves on bp
