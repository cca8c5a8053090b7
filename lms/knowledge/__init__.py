"""Knowledge gain (issue #15 §4): the same items as a pre-test at orientation and a post-test at the end."""

from flask import Blueprint

bp = Blueprint("knowledge", __name__)

from lms.knowledge import report, views  # noqa: E402,F401 - they register themselves on bp
