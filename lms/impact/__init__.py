"""Impact monitoring and evaluation (issue #15): surveys in waves, the indicators, the cohort report."""

from flask import Blueprint

bp = Blueprint("impact", __name__)

from lms.impact import changes, import_views, link_views, report_views, views  # noqa: E402,F401 - the views register themselves on bp; changes its session events
