"""Offline-first (issue #16): the installable app, its service worker, offline reading and queued sends."""

from flask import Blueprint

bp = Blueprint("offline", __name__)

from lms.offline import views  # noqa: E402,F401 - the views register themselves on bp
