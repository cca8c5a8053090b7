"""Signed survey links: the comparison group answers without an account; staff make and share the links."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.extensions import db
from lms.impact import bp, links, queries, reminders
from lms.impact.answers import read_answers
from lms.impact.labels import wave_label
from lms.impact.operations import survey_wave
from lms.models import Cohort
from lms.public_url import public_url
from lms.templating import whatsapp_link

COMPARISON_MEASURES = ("omzet", "karyawan", "kanal", "legalitas")  # the short survey: what the comparison needs


def short_questions(survey, wave: str):
    return [q for q in survey.for_wave(survey_wave(wave)) if q.measure in COMPARISON_MEASURES]


@bp.route("/survei/tautan/<token>", methods=["GET", "POST"])
def answer_by_link(token: str):
    """A registrant not selected answers one wave's short survey through their signed single-use link."""
    link = links.link_for_token(token)
    survey = queries.current_survey()
    if link is None or survey is None:
        abort(404)
    try:
        links.check_usable(link)
    except links.LinkUnusable as error:
        return render_template("impact/link_closed.html", message=str(error)), 410
    questions = short_questions(survey, link.wave)
    context = {"enrollment": link.enrollment, "survey": survey, "questions": questions, "wave": link.wave,
               "source": "link"}
    if request.method == "GET":
        return render_template("impact/answer.html", values={}, errors={}, **context)
    answers, errors = read_answers(questions, request.form.to_dict(flat=False), require_all=True)
    if errors:
        flash(_("Periksa lagi jawaban yang ditandai. Jawaban belum disimpan."), "error")
        return render_template("impact/answer.html", values=request.form.to_dict(flat=False), errors=errors,
                               **context), 400
    try:
        links.answer_with_link(link, survey, answers)
    except links.LinkUnusable as error:
        return render_template("impact/link_closed.html", message=str(error)), 410
    return render_template("impact/link_closed.html", message=_("Terima kasih, jawaban Anda sudah terkirim."),
                           thanks=True)


def staff_cohort_or_404(cohort_id: int) -> Cohort:
    if not current_user.is_staff:
        abort(403)
    return db.get_or_404(Cohort, cohort_id)


def chosen_wave(values, cohort: Cohort) -> str:
    wave = values.get("gelombang", "endline")
    if wave not in links.link_waves(cohort):
        abort(404)
    return wave


@bp.get("/staf/kohort/<int:cohort_id>/dampak/tautan")
def survey_links(cohort_id: int):
    """The comparison group's links for one wave, each with a WhatsApp message to send it."""
    cohort = staff_cohort_or_404(cohort_id)
    wave = chosen_wave(request.args, cohort)
    rows = links.link_rows(cohort, wave)
    for row in rows:
        if row["token"]:
            url = public_url("impact.answer_by_link", token=row["token"])
            row["url"] = url
            row["whatsapp"] = whatsapp_link(row["user"].phone, share_text(row["user"].name, wave, url))
    return render_template("impact/links.html", cohort=cohort, wave=wave, rows=rows, waves=links.link_waves(cohort))


def share_text(name: str, wave: str, url: str) -> str:
    """The WhatsApp message that carries a registrant's link."""
    return _("Halo %(name)s, terima kasih sudah mendaftar Fast Track Digitalisasi UMKM. Mohon isi %(wave)s singkat "
             "(2 menit, tanpa akun) tentang usaha Anda: %(url)s", name=name, wave=wave_label(wave).lower(), url=url)


@bp.post("/staf/kohort/<int:cohort_id>/dampak/tautan")
def make_survey_links(cohort_id: int):
    """Make the missing (and renew the expired) links of the comparison group for one wave."""
    cohort = staff_cohort_or_404(cohort_id)
    wave = chosen_wave(request.form, cohort)
    made = links.make_links(cohort, wave, made_by=current_user._get_current_object())
    flash(_("%(n)s tautan dibuat.", n=made), "success")
    return redirect(url_for(".survey_links", cohort_id=cohort.id, gelombang=wave))


@bp.get("/staf/kohort/<int:cohort_id>/dampak/pengingat")
def cohort_reminders(cohort_id: int):
    """The cohort's survey reminders still unanswered, each with its WhatsApp link."""
    cohort = staff_cohort_or_404(cohort_id)
    return render_template("impact/reminders.html", cohort=cohort, rows=reminders.open_reminders(cohort_id=cohort.id))


@bp.get("/survei/pengingat")
def mentor_reminders():
    """A mentor's participants reminded of a survey wave they have not answered, with WhatsApp links."""
    if not current_user.is_mentor:
        abort(403)
    return render_template("impact/reminders.html", cohort=None,
                           rows=reminders.open_reminders(mentor_id=current_user.id))
