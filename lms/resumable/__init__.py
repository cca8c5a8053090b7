"""Resumable uploads (issue #16): files queued on the phone are sent in chunks and resumed after a drop."""

from flask import Blueprint

bp = Blueprint("resumable", __name__)

from lms.resumable import views  # noqa: E402,F401 - the views register themselves on bp
