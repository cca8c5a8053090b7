"""Staff (and mentor) pages of a cohort's sessions: plan them, check people in, print the attendance list."""

from __future__ import annotations

import segno
from flask import Response, abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from lms import audit
from lms.bootcamp import bp, checkin, daftar_hadir, operations, queries
from lms.bootcamp.forms import CancelSessionForm, CorrectionForm, ManualCheckInForm, SessionForm, wib_to_utc
from lms.choices import select_choices
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import BootcampSession, Cohort, Enrollment, MentorAllocation, User, utcnow
from lms.public_url import public_url

BASE = "/staf/kohort/<int:cohort_id>/sesi"
NO_STORE = {"Cache-Control": "no-store"}  # personal data: no cache keeps the file


def staff_only() -> None:
    if not current_user.is_staff:
        abort(403)


def visible_user_ids(cohort: Cohort) -> set[int] | None:
    """Return whose attendance the viewer sees: None (everyone) for staff, a mentor's own participants, else 403."""
    if current_user.is_staff:
        return None
    if not current_user.is_mentor:
        abort(403)
    return set(db.session.scalars(
        select(Enrollment.user_id).join(MentorAllocation, MentorAllocation.enrollment_id == Enrollment.id)
        .where(Enrollment.cohort_id == cohort.id, MentorAllocation.mentor_id == current_user.id,
               MentorAllocation.ended_at.is_(None))))


def session_or_404(cohort_id: int, session_id: int) -> BootcampSession:
    return queries.session_of_cohort_or_404(cohort_id, session_id)


def module_choices(cohort: Cohort) -> list[tuple[str, str]]:
    content = get_content()
    course = content.course(cohort.course_id)
    modules = content.course_modules(course) if course else []
    return select_choices([("", _("(tanpa modul)"))] + [(m.id, m.title) for m in modules])


@bp.get("/mentor/sesi")
def mentor_sessions():
    """A mentor's way in: the cohorts of the participants they follow, each with its next session."""
    if not current_user.is_mentor:
        abort(403)
    now = utcnow()
    cohorts = queries.mentor_cohorts(current_user.id)
    return render_template("bootcamp/mentor_sessions.html", cohorts=cohorts, now=now,
                           upcoming=queries.next_sessions([c.id for c in cohorts], now))


@bp.get(BASE)
def sessions(cohort_id: int):
    """List a cohort's sessions with their attendance counts."""
    cohort = db.get_or_404(Cohort, cohort_id)
    user_ids = visible_user_ids(cohort)
    summary = queries.cohort_summary(cohort, utcnow(), user_ids=user_ids)
    return render_template("bootcamp/sessions.html", cohort=cohort, summary=summary, now=utcnow())


@bp.route(BASE + "/baru", methods=["GET", "POST"])
def new_session(cohort_id: int):
    """Plan a new session."""
    staff_only()
    cohort = db.get_or_404(Cohort, cohort_id)
    form = SessionForm()
    form.module_id.choices = module_choices(cohort)
    if form.validate_on_submit():
        session = operations.save_session(None, cohort, form.session_values(), saved_by=current_user)
        flash(_("Sesi disimpan."), "success")
        return redirect(url_for(".session_detail", cohort_id=cohort.id, session_id=session.id))
    return render_template("bootcamp/session_form.html", cohort=cohort, form=form, session=None), \
        400 if form.errors else 200


@bp.route(BASE + "/<int:session_id>/ubah", methods=["GET", "POST"])
def edit_session(cohort_id: int, session_id: int):
    """Change a session; a new time or place notifies the participants."""
    staff_only()
    session = session_or_404(cohort_id, session_id)
    form = SessionForm()
    form.module_id.choices = module_choices(session.cohort)
    if request.method == "GET":
        form.fill_from(session)
    elif form.validate_on_submit():
        operations.save_session(session, session.cohort, form.session_values(), saved_by=current_user,
                                notice=(form.notice.data or "").strip())
        flash(_("Sesi disimpan."), "success")
        return redirect(url_for(".session_detail", cohort_id=cohort_id, session_id=session.id))
    return render_template("bootcamp/session_form.html", cohort=session.cohort, form=form, session=session,
                           cancel_form=CancelSessionForm()), 400 if form.errors else 200


@bp.post(BASE + "/<int:session_id>/batal")
def cancel_session(cohort_id: int, session_id: int):
    """Cancel a session and tell the participants why."""
    staff_only()
    session = session_or_404(cohort_id, session_id)
    form = CancelSessionForm()
    if session.cancelled_at is not None:
        flash(_("Sesi ini sudah dibatalkan."), "info")
    elif form.validate_on_submit():
        operations.cancel_session(session, form.reason.data.strip(), cancelled_by=current_user)
        flash(_("Sesi dibatalkan; peserta diberi tahu."), "success")
    else:
        flash(_("Tulis alasan pembatalan untuk peserta."), "error")
        return redirect(url_for(".edit_session", cohort_id=cohort_id, session_id=session.id))
    return redirect(url_for(".session_detail", cohort_id=cohort_id, session_id=session.id))


@bp.get(BASE + "/<int:session_id>")
def session_detail(cohort_id: int, session_id: int):
    """Show a session's attendance list, manual check-in search and corrections."""
    session = session_or_404(cohort_id, session_id)
    user_ids = visible_user_ids(session.cohort)
    query = request.args.get("q", "")[:80]
    found = queries.search_roster(session.cohort_id, query) if current_user.is_staff else []
    return render_template(
        "bootcamp/session_detail.html", session=session, cohort=session.cohort, query=query, found=found,
        rows=queries.attendance_list(session, user_ids=user_ids), present=queries.attendance_by_user(session.id),
        checkin_form=ManualCheckInForm(), correction_form=CorrectionForm(),
        present_count=queries.present_count(session.id),
        share=current_user.is_staff and bool(session.change_notice))


@bp.get(BASE + "/<int:session_id>/layar")
def checkin_screen(cohort_id: int, session_id: int):
    """The check-in screen: a QR code of a signed URL that changes every 30 seconds (the page refreshes it)."""
    staff_only()
    session = session_or_404(cohort_id, session_id)
    url = public_url("bootcamp.check_in", session_id=session.id, checkin_token=checkin.current_token(session))
    svg = segno.make(url, error="m").svg_inline(scale=8, border=4, omitsize=True, title=_("Kode QR check-in"))
    qr = Markup(svg)  # noqa: S704 - segno's own SVG
    return render_template("bootcamp/checkin_screen.html", session=session, cohort=session.cohort,
                           qr_svg=qr, checkin_url=url, present_count=queries.present_count(session.id))


@bp.post(BASE + "/<int:session_id>/hadir")
def manual_check_in(cohort_id: int, session_id: int):
    """Staff check a participant in by hand (found by name or phone)."""
    staff_only()
    session = session_or_404(cohort_id, session_id)
    user = roster_user_or_404(session, request.form.get("user_id", ""))
    name, capacity = user.name, session.capacity
    outcome = operations.check_in(session, user, method="manual", recorded_by=current_user,
                                  allow_over_capacity=request.form.get("over_capacity") == "1")
    if outcome.full:
        flash(_("Sesi sudah penuh (kapasitas %(capacity)s orang), jadi %(name)s belum dicatat. Bila panitia "
                "mengizinkan, tekan \"Catat walau penuh\".", capacity=capacity, name=name), "error")
        return redirect(url_for(".session_detail", cohort_id=cohort_id, session_id=session_id,
                                q=request.form.get("q", "")[:80] or None))
    if outcome.voided:
        flash(_("Kehadiran %(name)s pernah dikoreksi menjadi tidak hadir: pakai koreksi untuk mengubahnya.",
                name=name), "error")
    elif outcome.created:
        flash(_("%(name)s tercatat hadir.", name=name), "success")
    else:
        flash(_("%(name)s sudah tercatat hadir sebelumnya.", name=name), "info")
    return redirect(url_for(".session_detail", cohort_id=cohort_id, session_id=session_id))


def roster_user_or_404(session: BootcampSession, raw_id: str) -> User:
    if not raw_id.isdigit() or queries.roster_enrollment(session.cohort_id, int(raw_id)) is None:
        abort(404)
    return db.session.get(User, int(raw_id))


@bp.post(BASE + "/<int:session_id>/koreksi")
def correct(cohort_id: int, session_id: int):
    """Correct one participant's attendance with a reason (kept in the audit log)."""
    staff_only()
    session = session_or_404(cohort_id, session_id)
    user = roster_user_or_404(session, request.form.get("user_id", ""))
    form = CorrectionForm()
    if not form.validate_on_submit():
        flash(_("Koreksi tidak disimpan: %(why)s", why=" ".join(str(e) for errs in form.errors.values() for e in errs)),
              "error")
        return redirect(url_for(".session_detail", cohort_id=cohort_id, session_id=session.id))
    day = daftar_hadir_day(session)
    at = wib_to_utc(day, form.at_time.data) if form.at_time.data else None
    operations.correct_attendance(session, user, present=form.present.data == "1", at=at,
                                  reason=form.reason.data.strip(), corrected_by=current_user)
    flash(_("Kehadiran %(name)s dikoreksi.", name=user.name), "success")
    return redirect(url_for(".session_detail", cohort_id=cohort_id, session_id=session.id))


def daftar_hadir_day(session: BootcampSession):
    from lms.bootcamp.forms import utc_to_wib

    return utc_to_wib(session.starts_at).date()


@bp.get(BASE + "/<int:session_id>/offline")
def offline_page(cohort_id: int, session_id: int):
    """A page that keeps check-ins on the staff phone while offline and sends them when back online."""
    staff_only()
    session = session_or_404(cohort_id, session_id)
    people = [{"id": u.id, "name": u.name, "phone": u.phone[-4:],
               "business": u.profile.business_name if u.profile else ""} for u in queries.roster(session.cohort_id)]
    page = make_response(render_template("bootcamp/offline.html", session=session, cohort=session.cohort,
                                         people=people))
    # The service worker keeps this one staff page (and drops it at logout), so it opens again offline.
    page.headers["X-Offline-Cache"] = "1"
    return page


@bp.post(BASE + "/<int:session_id>/sinkron")
def sync(cohort_id: int, session_id: int):
    """Take a batch of offline check-ins (JSON); each is recorded once however often it is sent."""
    staff_only()
    session = session_or_404(cohort_id, session_id)
    payload = request.get_json(silent=True)
    items = payload.get("items") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        return jsonify({"error": _("Kiriman tidak terbaca: harus berisi daftar check-in.")}), 400
    return jsonify({"results": operations.sync_batch(session, items, synced_by=current_user)})


@bp.get(BASE + "/<int:session_id>/daftar-hadir.pdf")
def attendance_pdf(cohort_id: int, session_id: int):
    """Download the session's daftar hadir as PDF (mentors: their own participants)."""
    session = session_or_404(cohort_id, session_id)
    rows = queries.attendance_list(session, user_ids=visible_user_ids(session.cohort))
    body = daftar_hadir.render_pdf(session, rows)
    audit.record_access("attendance_list", session, format="pdf", rows=len(rows))  # names, phones (UU PDP)
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="daftar-hadir-sesi-{session.id}.pdf"', **NO_STORE})


@bp.get(BASE + "/<int:session_id>/daftar-hadir.xlsx")
def attendance_xlsx(cohort_id: int, session_id: int):
    """Download the same rows as a spreadsheet."""
    session = session_or_404(cohort_id, session_id)
    rows = queries.attendance_list(session, user_ids=visible_user_ids(session.cohort))
    body = daftar_hadir.render_xlsx(session, rows)
    audit.record_access("attendance_list", session, format="xlsx", rows=len(rows))
    return Response(body, headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f'attachment; filename="daftar-hadir-sesi-{session.id}.xlsx"', **NO_STORE})
