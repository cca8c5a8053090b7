"""The role-aware home page, the language switch and a health check."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from lms import security
from lms.main import queries

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Send each role to its own home page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.is_staff:
        return render_template("main/home_staff.html", cohorts=queries.cohort_status_counts())
    if current_user.is_mentor:
        return render_template("main/home_mentor.html", rows=queries.mentor_participants(current_user))
    return render_template("main/home_participant.html", **queries.participant_home(current_user))


@bp.post("/bahasa")
def set_language():
    """Switch the interface between Bahasa Indonesia and English."""
    language = request.form.get("lang", "")
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
    target = request.form.get("next")
    return redirect(target if security.is_safe_next(target) else url_for("main.home"))


@bp.get("/healthz")
def health():
    """Answer the load balancer's health probe."""
    from lms.queue.health import queue_health

    return {"status": "ok", "queue": queue_health()}
