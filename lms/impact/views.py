"""Impact pages: a participant answers a survey wave, a mentor or staff enters one for them, staff read the report."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.extensions import db
from lms.impact import bp, operations, queries
from lms.impact.answers import read_answers
from lms.impact.labels import wave_label
from lms.impact.rules import cohort_waves, cohort_windows
from lms.models import Enrollment, MentorAllocation, Role
from lms.models import utcnow as _utcnow
from lms.security import require_roles

PUBLIC_ENDPOINTS = frozenset({"impact.answer_by_link"})  # a signed single-use link, no account (lms/impact/links.py)
_signed_in = require_roles(Role.PARTICIPANT, Role.MENTOR, Role.STAFF)


@bp.before_request
def check_access():
    """Signed-in people only, except the comparison group's signed links."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return _signed_in()


def survey_or_404():
    survey = queries.current_survey()
    if survey is None:
        abort(404)
    return survey


def own_enrollment_or_404() -> Enrollment:
    if not current_user.is_participant:
        abort(403)
    enrollment = current_user.current_enrollment()
    if enrollment is None:
        abort(404)
    return enrollment


def today():
    return queries.wib_today(_utcnow())


@bp.get("/survei")
def my_surveys():
    """List the participant's survey waves: open, answered, or not yet open."""
    enrollment = own_enrollment_or_404()
    cohort = enrollment.cohort
    windows = cohort_windows(cohort)
    answered = queries.submitted_waves(enrollment.user_id, cohort.id)
    return render_template("impact/my_surveys.html", windows=windows, answered=answered, today=today())


@bp.route("/survei/<wave>", methods=["GET", "POST"])
def answer(wave: str):
    """The participant answers one open wave; "Simpan" keeps a draft, "Kirim" submits a new version."""
    enrollment = own_enrollment_or_404()
    window = next((w for w in cohort_windows(enrollment.cohort) if w.wave == wave), None)
    if window is None:
        abort(404)
    if not window.is_open(today()):
        if request.method == "POST":
            flash(_("Survei ini belum dibuka atau sudah ditutup. Jawaban tidak disimpan."), "error")
            return redirect(url_for(".my_surveys"))
        return render_template("impact/closed.html", window=window, today=today())
    return answer_form(enrollment, wave, source="self", done_url=url_for(".my_surveys"))


@bp.route("/survei/<wave>/pendaftaran/<int:enrollment_id>", methods=["GET", "POST"])
def proxy_answer(wave: str, enrollment_id: int):
    """A mentor (for a participant they follow) or staff enters answers given by phone or on paper."""
    enrollment = enrollment_for_proxy_or_404(enrollment_id)
    if wave not in cohort_waves(enrollment.cohort):
        abort(404)
    return answer_form(enrollment, wave, source="proxy", done_url=url_for(".proxy_answer", wave=wave,
                                                                         enrollment_id=enrollment.id))


def enrollment_for_proxy_or_404(enrollment_id: int) -> Enrollment:
    if current_user.is_staff:
        return db.get_or_404(Enrollment, enrollment_id)
    if not current_user.is_mentor:
        abort(403)
    enrollment = db.session.scalar(
        select(Enrollment).join(MentorAllocation, MentorAllocation.enrollment_id == Enrollment.id)
        .where(Enrollment.id == enrollment_id, MentorAllocation.mentor_id == current_user.id,
               MentorAllocation.ended_at.is_(None)))
    if enrollment is None:
        abort(404)
    return enrollment


def answer_form(enrollment: Enrollment, wave: str, *, source: str, done_url: str):
    """Show and take the form of one wave for one enrollment (shared by self and proxy entry)."""
    survey = survey_or_404()
    questions = survey.for_wave(operations.survey_wave(wave))
    stored = queries.latest_answers(enrollment.user_id, enrollment.cohort_id, wave)
    if request.method == "GET":
        return render_template("impact/answer.html", enrollment=enrollment, survey=survey, questions=questions,
                               wave=wave, values=queries.as_form_values(questions, stored), errors={},
                               source=source)
    submit = request.form.get("aksi") == "kirim"
    answers, errors = read_answers(questions, request.form.to_dict(flat=False), require_all=submit)
    if errors:
        flash(_("Periksa lagi jawaban yang ditandai. Jawaban belum disimpan."), "error")
        return render_template("impact/answer.html", enrollment=enrollment, survey=survey, questions=questions,
                               wave=wave, values=request.form.to_dict(flat=False), errors=errors,
                               source=source), 400
    operations.save_answers(enrollment.user, enrollment.cohort, wave, survey, answers, submit=submit,
                            source=source, entered_by=current_user._get_current_object())
    flash(_("Terima kasih, jawaban Anda sudah terkirim.") if submit else _("Draf jawaban disimpan."), "success")
    return redirect(done_url)


bp.add_app_template_global(wave_label, "wave_label")
bp.add_app_template_global(cohort_waves, "cohort_waves")


@bp.app_template_global()
def participant_due_surveys(user) -> list[str]:
    """The open waves a participant has not answered yet, for the home page."""
    if not user.is_authenticated or not user.is_participant:
        return []
    enrollment = user.current_enrollment()
    if enrollment is None:
        return []
    cohort = enrollment.cohort
    answered = queries.submitted_waves(user.id, cohort.id)
    return [w.wave for w in cohort_windows(cohort)
            if w.is_open(today()) and w.wave not in answered]


@bp.app_template_global()
def endline_gate(user) -> dict | None:
    """For the home page: the cohort requires the endline before the certificate and it is not answered yet."""
    if not user.is_authenticated or not user.is_participant:
        return None
    enrollment = user.current_enrollment()
    if enrollment is None or not enrollment.cohort.endline_required:
        return None
    cohort = enrollment.cohort
    if "endline" in queries.submitted_waves(user.id, cohort.id):
        return None
    window = next(w for w in cohort_windows(cohort) if w.wave == "endline")
    return {"open": window.is_open(today()), "opens": window.opens}
