"""The installable app: service worker, manifest, offline page, fresh CSRF tokens, "Mode hemat data"."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from lms.offline import bp, headers, operations, queries
from lms.offline.versions import current_version, static_versions
from lms.security import inline_stylesheet, is_safe_next

# Pages that show only the signed-in participant's own learning; the worker keeps nothing else.
bp.after_app_request(headers.mark_offline_pages)


@bp.get("/sw.js")
def worker():
    """Serve the service worker from the site root, so its scope is the whole app."""
    body = render_template("offline/worker.js", version=current_version(),
                           shell=queries.shell_urls())
    return Response(body, mimetype="text/javascript", headers={
        "Service-Worker-Allowed": "/",
        # The browser must ask every time, or a new version would wait for the HTTP cache to expire.
        "Cache-Control": "no-cache, max-age=0",
    })


@bp.get("/manifest.webmanifest")
def manifest():
    """Serve the web app manifest: name, icons and colours of the installed app."""
    return Response(render_template("offline/manifest.json"), mimetype="application/manifest+json",
                    headers={"Cache-Control": "no-cache"})


@bp.get("/offline")
def fallback():
    """Show what this phone keeps for offline reading (the worker serves this page when a page is not kept)."""
    return render_template("offline/fallback.html", offline_shell=True)


@bp.get("/offline/token")
def token():
    """Give a queued request a CSRF token that is valid now; 401 when the session has ended."""
    if not current_user.is_authenticated:
        return jsonify(status="login", login_url=url_for("auth.login")), 401
    return jsonify(status="ok", csrf_token=generate_csrf(), user_id=current_user.id), 200, {
        "Cache-Control": "no-store"}


@bp.get("/belajar/<course_id>/offline.json")
@login_required
def course_bundle(course_id: str):
    """List a course's pages and images with their sizes, for "Simpan kursus untuk offline"."""
    if not current_user.is_participant:
        abort(403)
    bundle = queries.course_bundle(current_user, course_id)
    if bundle is None:
        abort(404)
    return jsonify(bundle), 200, {"Cache-Control": "no-store"}


@bp.post("/akun/hemat-data")
@login_required
def data_saver():
    """Turn "Mode hemat data" on or off for the signed-in user."""
    on = request.form.get("data_saver") == "1"
    operations.set_data_saver(current_user, on)
    flash(_("Mode hemat data aktif: gambar modul hanya dimuat saat diketuk.") if on
          else _("Mode hemat data mati: gambar modul dimuat seperti biasa."), "success")
    target = request.form.get("next") or ""
    return redirect(target if is_safe_next(target) else url_for("main.home"))


@bp.app_template_global()
def inline_css() -> Markup:
    """Return the stylesheet for the page's <style> element (its hash is in the CSP)."""
    return Markup(inline_stylesheet()[0])  # noqa: S704 - our own stylesheet file, not user text


@bp.app_url_defaults
def versioned_static(endpoint: str, values: dict) -> None:
    """Give every static URL its content version (?v=…), so it may be cached for a year."""
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = static_versions().get(values["filename"])
        if version:
            values["v"] = version
