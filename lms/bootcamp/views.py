"""Participant pages: the schedule, calendar files, and confirming a QR check-in."""

from __future__ import annotations

import hmac

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.bootcamp import bp, calendars, checkin, dashboard, operations, queries, rules
from lms.bootcamp.forms import ConfirmCheckInForm
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import BootcampSession, Cohort, Enrollment, Role, utcnow
from lms.security import require_roles

_signed_in = require_roles(Role.PARTICIPANT, Role.MENTOR, Role.STAFF)
# The calendar feed is public by design: a phone calendar cannot log in, so its URL carries a signature.
PUBLIC_ENDPOINTS = frozenset({"bootcamp.cohort_feed"})
bp.add_app_template_global(dashboard.attendance_panel, "bootcamp_attendance_panel")


@bp.before_request
def require_signed_in():
    """Let only signed-in people through, except to the signed calendar feed."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return _signed_in()


def own_enrollment_or_404() -> Enrollment:
    if not current_user.is_participant:
        abort(403)
    enrollment = current_user.current_enrollment()
    if enrollment is None:
        abort(404)
    return enrollment


def own_session_or_404(session_id: int) -> BootcampSession:
    """Return a session of one of the participant's cohorts (404 for any other)."""
    if not current_user.is_participant:
        abort(403)
    session = db.get_or_404(BootcampSession, session_id)
    if queries.roster_enrollment(session.cohort_id, current_user.id) is None:
        abort(404)
    return session


@bp.get("/jadwal")
def schedule():
    """Show the participant's sessions, upcoming then past, with their own attendance."""
    enrollment = own_enrollment_or_404()
    now = utcnow()
    sessions = queries.cohort_sessions(enrollment.cohort_id)
    course = get_content().course(enrollment.cohort.course_id)
    standing = queries.standings(enrollment.cohort_id, course.attendance_minimum if course else None, now)
    return render_template(
        "bootcamp/schedule.html", cohort=enrollment.cohort, now=now,
        upcoming=[s for s in sessions if s.ends_at >= now], past=[s for s in sessions if s.ends_at < now][::-1],
        attended=queries.own_attendance(current_user.id, [s.id for s in sessions]),
        standing=standing.of(current_user.id), feed_url=url_for(
            ".cohort_feed", cohort_id=enrollment.cohort_id, _external=True,
            signature=rules.feed_signature(current_app.config["SECRET_KEY"], enrollment.cohort_id)))


@bp.get("/jadwal/kalender.ics")
def cohort_calendar():
    """Download the cohort's whole schedule as an iCalendar file."""
    enrollment = own_enrollment_or_404()
    text = calendars.cohort_calendar(enrollment.cohort, queries.cohort_sessions(enrollment.cohort_id))
    return calendar_response(text, f"jadwal-{enrollment.cohort.slug}.ics")


@bp.get("/jadwal/langganan/<int:cohort_id>/<signature>.ics")
def cohort_feed(cohort_id: int, signature: str):
    """The cohort's calendar for phone calendars to subscribe to (a signed URL instead of a login)."""
    expected = rules.feed_signature(current_app.config["SECRET_KEY"], cohort_id)
    if not hmac.compare_digest(expected, signature):
        abort(404)
    cohort = db.get_or_404(Cohort, cohort_id)
    return calendar_response(calendars.cohort_calendar(cohort, queries.cohort_sessions(cohort_id)),
                             f"jadwal-{cohort.slug}.ics")


@bp.get("/jadwal/sesi/<int:session_id>.ics")
def session_calendar(session_id: int):
    """Download one session as an iCalendar file."""
    session = own_session_or_404(session_id)
    return calendar_response(calendars.cohort_calendar(session.cohort, [session]), f"sesi-{session.id}.ics")


def calendar_response(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/sesi/<int:session_id>/hadir/<checkin_token>", methods=["GET", "POST"])
def check_in(session_id: int, checkin_token: str):
    """Confirm a check-in from the QR code: the page asks, the button (a POST) records it once."""
    session = own_session_or_404(session_id)
    already = queries.own_attendance(current_user.id, [session.id]).get(session.id)
    form = ConfirmCheckInForm()
    reason = None if already else checkin.refusal(session, checkin_token, utcnow())
    if reason is None and not already and form.validate_on_submit():
        title = session.title
        outcome = operations.check_in(session, current_user, method="qr", recorded_by=current_user)
        if outcome.full:
            reason = checkin.full_message(session)  # the last seat went while the page was open
        else:
            if outcome.voided:
                flash(_("Panitia sudah mengoreksi kehadiran Anda di sesi ini. Hubungi panitia bila keliru."), "error")
            else:
                flash(_("Terima kasih, kehadiran Anda di \"%(title)s\" tercatat.", title=title), "success")
            return redirect(url_for(".schedule"))
    status = 403 if reason else 200
    return render_template("bootcamp/check_in.html", session=session, form=form, reason=reason,
                           already=already), status
