"""The blank /daftar form, rendered once per language and cohort: a GET fills in what is its own.

The closing rush GETs the form 1,700 times. Rendering it (the 33 regencies, the baseline
questions, the consent text and ~75 strings through Flask-Babel) cost ~13 ms of CPU; a GET
of the blank form differs between visitors in three values only: the CSRF token, the signed
fill time and the referral code. So the page is rendered once with markers in those three
places and kept; a GET replaces the markers (escaped, as the template would) in the copy.

The copy is used only when nothing else can differ: a visitor who is not signed in, no
flashed message waiting, a blank form (a GET), and templates that do not reload (debug).
It is kept per language, path with its query (the language switch sends the visitor back
to it), script root and the cohort facts the page shows, for the survey object the
questions came from (published content that changes is rendered anew).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import current_app, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from lms.i18n import select_locale
from lms.learn.page_cache import app_cache

# Random per process, so no text in a template or in content can match a marker.
_MARKER = f"lms-form-slot-{secrets.token_hex(8)}"
CSRF_MARKER, STARTED_MARKER, REF_MARKER = (f"{_MARKER}-csrf", f"{_MARKER}-started", f"{_MARKER}-ref")
PAGES_KEPT = 64  # paths carry the visitor's ?ref= text: the least recently used page goes first


def applies() -> bool:
    """Tell whether this request may get the kept blank form."""
    return (request.method == "GET" and not current_app.jinja_env.auto_reload
            and "_flashes" not in session and not current_user.is_authenticated)


def blank_form_page(form, cohort, survey, render: Callable[[], str]) -> str:
    """Return the blank form page for this request, rendering it with `render` the first time."""
    pages = app_cache("lms_registration_forms", PAGES_KEPT)
    key = (select_locale(), request.script_root, request.full_path, cohort.id, cohort.name,
           cohort.registration_closes_on)
    started, ref = form.started.data or "", form.ref.data or ""
    kept = pages.get(key)
    if kept is None or kept[0] is not survey:
        form.started.data, form.ref.data = STARTED_MARKER, REF_MARKER
        try:  # the template's token is generate_csrf()'s (signed once per request): mark where it went
            page = render().replace(generate_csrf(), CSRF_MARKER)
        finally:
            form.started.data, form.ref.data = started, ref
        pages.put(key, kept := (survey, page))
    return (kept[1].replace(CSRF_MARKER, str(escape(generate_csrf())))
            .replace(STARTED_MARKER, str(escape(started))).replace(REF_MARKER, str(escape(ref))))
