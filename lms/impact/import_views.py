"""Staff import page for survey answers: upload, dry run with the problem rows and the columns, then import."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import audit
from lms.extensions import db
from lms.impact import bp, imports, queries
from lms.impact.forms import SurveyImportUploadForm
from lms.impact.rules import cohort_waves
from lms.models import Cohort

SHOWN_PROBLEMS = 200


def staff_cohort_or_404(cohort_id: int) -> Cohort:
    if not current_user.is_staff:
        abort(403)
    return db.get_or_404(Cohort, cohort_id)


@bp.route("/staf/kohort/<int:cohort_id>/dampak/impor", methods=["GET", "POST"])
def import_answers(cohort_id: int):
    """Step 1: upload survey answers collected elsewhere (CSV or XLSX)."""
    cohort = staff_cohort_or_404(cohort_id)
    form = SurveyImportUploadForm(cohort=cohort)
    if form.validate_on_submit():
        upload = form.file.data
        with upload.stream:
            data = upload.read(imports.MAX_IMPORT_BYTES + 1)
        try:
            stored = imports.store_upload(data, upload.filename or "", cohort)
        except imports.ImportFileError as error:
            form.file.errors.append(str(error))
        else:
            return redirect(url_for(".import_preview", cohort_id=cohort.id, stored=stored, gelombang=form.wave.data))
    return render_template("impact/import_upload.html", cohort=cohort, form=form), 400 if form.errors else 200


def dry_run(cohort: Cohort, stored: str, values):
    """Read the kept file, map its columns (as chosen, else guessed) and plan every row; nothing is written."""
    survey = queries.current_survey()
    table = imports.load_upload(cohort, stored)
    if survey is None or table is None:
        abort(404)
    wave = values.get("gelombang", "")
    wave = wave if wave in cohort_waves(cohort) else ""
    mapping = imports.mapping_from(values, table.header, survey)
    if mapping is None:
        mapping = imports.guess_columns(table.header, survey)
    missing = [] if "phone" in mapping else [_("Pilih kolom nomor HP.")]
    if "wave" not in mapping and not wave:
        missing.append(_("Pilih kolom gelombang, atau satu gelombang untuk semua baris."))
    plans = [] if missing else imports.plan_import(table, mapping, cohort, survey, fixed_wave=wave)
    return survey, table, mapping, wave, missing, plans


@bp.get("/staf/kohort/<int:cohort_id>/dampak/impor/<stored>")
def import_preview(cohort_id: int, stored: str):
    """Step 2: the dry run: counts, the problem rows, and the columns used (change them and check again)."""
    cohort = staff_cohort_or_404(cohort_id)
    survey, table, mapping, wave, missing, plans = dry_run(cohort, stored, request.args)
    problems = [p for p in plans if p.errors or p.note]
    return render_template("impact/import_preview.html", cohort=cohort, stored=stored, table=table, survey=survey,
                           mapping=mapping, wave=wave, missing=missing, summary=imports.summarize(plans),
                           problems=problems[:SHOWN_PROBLEMS], more=max(0, len(problems) - SHOWN_PROBLEMS))


@bp.post("/staf/kohort/<int:cohort_id>/dampak/impor/<stored>")
def import_confirm(cohort_id: int, stored: str):
    """Step 3: import the rows without errors (planned again, so the same file twice saves nothing twice)."""
    cohort = staff_cohort_or_404(cohort_id)
    survey, _table, mapping, wave, missing, plans = dry_run(cohort, stored, request.form)
    if missing:
        flash(" ".join(missing), "error")
        return redirect(url_for(".import_preview", cohort_id=cohort.id, stored=stored, gelombang=wave))
    summary = imports.summarize(plans)
    summary["saved"] = imports.apply_plan(plans, cohort, survey, imported_by=current_user._get_current_object())
    audit.record("survey.imported", cohort, actor=current_user._get_current_object(), after=summary)
    db.session.commit()
    imports.discard_upload(cohort, stored)
    flash(_("%(saved)s jawaban diimpor; %(unchanged)s sudah ada dan dilewati; %(errors)s baris bermasalah tidak "
            "diimpor.", saved=summary["saved"], unchanged=summary["unchanged"], errors=summary["errors"]), "success")
    return redirect(url_for(".cohort_report", cohort_id=cohort.id))
