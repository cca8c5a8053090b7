"""Response rules of the offline area, applied to every response of the app.

* Pages that show only the signed-in participant's own learning get
  ``X-Offline-Cache: 1``; the service worker keeps those and nothing else (never
  a staff or mentor page, never a page with other people's data).
* Every page says which app and content version made it (``X-Lms-Version``), and a
  module page with no one-time message on it may be served from the phone at once
  while that version is current (``X-Offline-Swr: 1``; docs/architecture.md,
  "Which kept page is current").
* The ``lms_uid`` cookie (not secret, readable by the page script) names the
  signed-in user, so the phone can wipe what it kept when another person signs in.
* "Mode hemat data": module images become a "Tampilkan gambar" button.
* Static files asked for with their content version (``?v=``) may be kept a year.
"""

from __future__ import annotations

import re

from flask import request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import escape

from lms.offline.versions import current_version, static_versions

UID_COOKIE = "lms_uid"
# Pages whose kept copy changes only with the content, the code or the participant's own writes
# (a module's text and their own "Saya sudah membaca"): the worker may serve those at once.
CACHE_FIRST_ENDPOINTS = frozenset({"learn.module"})
OFFLINE_ENDPOINTS = frozenset({"main.home", "learn.course", "learn.module", "quiz.overview", "quiz.attempt",
                               "assignments.assignment"})
STATIC_MAX_AGE = 365 * 24 * 3600
MODULE_IMAGE = re.compile(r'<img\b([^>]*?)\ssrc="(/modul/[^"]+)"([^>]*)>')
ALT = re.compile(r'\salt="([^"]*)"')


def mark_offline_pages(response):
    """Apply the offline area's response rules (see the module docstring)."""
    if request.endpoint == "static":
        if request.args.get("v") and request.args.get("v") == static_versions().get(request.view_args["filename"]):
            response.headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}, immutable"
        return response
    keep_uid_cookie(response)
    if request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html":
        response.headers["X-Lms-Version"] = current_version()
    if (request.method == "GET" and response.status_code == 200 and request.endpoint in OFFLINE_ENDPOINTS
            and response.mimetype == "text/html" and current_user.is_authenticated and current_user.is_participant):
        response.headers["X-Offline-Cache"] = "1"
        if request.endpoint in CACHE_FIRST_ENDPOINTS and not request_ctx.flashes:
            response.headers["X-Offline-Swr"] = "1"  # a flashed message is for this one view only
        if request.endpoint == "learn.module" and current_user.data_saver:
            response.set_data(images_on_tap(response.get_data(as_text=True)))
    return response


def keep_uid_cookie(response) -> None:
    """Set or clear the cookie that names the signed-in user for the page script."""
    if request.method != "GET":  # the page after a login or logout sets it; the session cookie goes first
        return
    uid = str(current_user.id) if current_user.is_authenticated else None
    if uid and request.cookies.get(UID_COOKIE) != uid:
        response.set_cookie(UID_COOKIE, uid, max_age=30 * 24 * 3600, samesite="Lax", secure=request.is_secure)
    elif not uid and UID_COOKIE in request.cookies:
        response.delete_cookie(UID_COOKIE, samesite="Lax")


def images_on_tap(html: str) -> str:
    """Turn each module image into a button that loads it when tapped ("Mode hemat data")."""
    label = _("Tampilkan gambar")

    def replace(match: re.Match) -> str:
        before, src, after = match.groups()
        alt = ALT.search(before + after)
        text = f"{label}: {alt.group(1)}" if alt and alt.group(1) else label  # alt is already escaped HTML
        return (f'<button type="button" class="secondary tap-image" data-image="{escape(src)}">{text}</button>'
                f'<img{before} data-src="{src}"{after} hidden>')

    return MODULE_IMAGE.sub(replace, html)
