"""The role-aware home page, the language switch and a health check."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import enrollments, security
from lms.extensions import db
from lms.main import health_checks, queries
from lms.models import Enrollment
from lms.registration.views import programme_page

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Send each role to its own home page; visitors who are not signed in see the programme page."""
    if not current_user.is_authenticated:
        return programme_page()  # reg: the public front door
    if current_user.is_staff:
        return render_template("main/home_staff.html", cohorts=queries.cohort_status_counts())
    if current_user.is_mentor:
        return render_template("main/home_mentor.html", rows=queries.mentor_participants(current_user))
    return render_template("main/home_participant.html", **queries.participant_home(current_user))


@bp.post("/kohort-saya")
@login_required
def choose_enrollment():
    """Let a participant with several enrollments switch which cohort their pages show."""
    if not current_user.is_participant:
        abort(404)
    enrollment_id = request.form.get("enrollment_id", "")
    enrollment = db.session.get(Enrollment, int(enrollment_id)) if enrollment_id.isdigit() else None
    if enrollment is None or enrollment.user_id != current_user.id or enrollment.status == "withdrawn":
        abort(404)
    enrollments.choose_enrollment(current_user, enrollment)
    db.session.commit()
    flash(_("Sekarang menampilkan %(cohort)s.", cohort=enrollment.cohort.name), "success")
    return redirect(url_for("main.home"))


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
    """Answer the load balancer's health probe: the database, the queue, and the public URL links carry."""
    from lms.queue.health import queue_health

    report = {"status": "ok", "public_url": current_app.config["PUBLIC_URL"], "database": health_checks.database(),
              "queue": queue_health()}
    if not report["database"]["ok"]:
        report["status"] = "error"
    return report, 200 if report["status"] == "ok" else 503
