"""Staff pages for importing registrants: upload, map columns, dry run, import job."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import audit
from lms.extensions import db
from lms.jobs import find_live_job
from lms.models import BackgroundJob, Cohort, ImportBatch
from lms.regions import regency_choices
from lms.staff.blueprint import bp
from lms.staff.downloads import download
from lms.staff.exports import datasets
from lms.staff.imports import jobs, operations, queries, storage
from lms.staff.imports.checking import MANUAL_REGENCY_CODES
from lms.staff.imports.forms import ImportMappingForm, ImportUploadForm
from lms.staff.imports.mapping import FIELD_LABELS, validate_mapping
from lms.staff.imports.reading import MAX_IMPORT_BYTES, ImportFileError
from lms.staff.imports.report import CONFLICT_LABELS, issue_text


@bp.route("/kohort/<int:cohort_id>/impor", methods=["GET", "POST"])
def import_registrants(cohort_id: int):
    """Step 1: upload a registration export (CSV or XLSX)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        with upload.stream:  # a large upload is spooled to a temporary file; close it now
            data = upload.read(MAX_IMPORT_BYTES + 1)
        try:
            batch = operations.store_upload(data, upload.filename or "", cohort, uploaded_by=current_user)
        except ImportFileError as error:
            form.file.errors.append(str(error))
        else:
            return redirect(url_for("staff.import_mapping", import_id=batch.id))
    return render_template("staff/import_upload.html", cohort=cohort, form=form,
                           batches=queries.recent_batches(cohort))


@bp.route("/impor/<int:import_id>/kolom", methods=["GET", "POST"])
def import_mapping(import_id: int):
    """Step 2: choose which column holds which field, then run the dry run."""
    batch = db.get_or_404(ImportBatch, import_id)
    try:
        table = storage.load_table(batch)
    except (ImportFileError, OSError):
        flash(_("Berkas impor ini tidak bisa dibaca lagi. Unggah ulang berkasnya."), "error")
        return redirect(url_for("staff.import_registrants", cohort_id=batch.cohort_id))
    form = ImportMappingForm(header=table.header)
    if request.method == "GET":
        form.show_mapping(batch.mapping or {})
    if form.validate_on_submit():
        problems = validate_mapping(form.mapping(), len(table.header))
        if not problems:
            operations.save_mapping_and_preview(batch, form.mapping(), actor=current_user)
            return redirect(url_for("staff.import_preview", import_id=batch.id))
        form.name.errors = [*form.name.errors, *problems]
    samples = {index: table.samples(index) for index in range(len(table.header))}
    return render_template("staff/import_mapping.html", batch=batch, form=form, table=table, samples=samples,
                           field_labels=FIELD_LABELS)


@bp.get("/impor/<int:import_id>")
def import_preview(import_id: int):
    """Step 3: show the dry run's counts and every row with an error or a warning."""
    batch = db.get_or_404(ImportBatch, import_id)
    if not batch.report or "counts" not in batch.report:
        return redirect(url_for("staff.import_mapping", import_id=batch.id))
    return render_template("staff/import_preview.html", batch=batch, report=batch.report,
                           job=queries.latest_import_job(batch.cohort_id), issue_text=issue_text,
                           earlier=queries.previous_import(batch), cohort=db.session.get(Cohort, batch.cohort_id),
                           conflict_labels=CONFLICT_LABELS, manual_codes=MANUAL_REGENCY_CODES,
                           regency_choices=regency_choices())


def line_to_correct(batch: ImportBatch) -> int:
    """Return the posted row line of a dry run that can still change; 404 after the import or for junk."""
    line = request.form.get("line", "")
    if batch.status == "imported" or not line.isdigit():
        abort(404)
    return int(line)


@bp.post("/impor/<int:import_id>/duplikat")
def choose_import_duplicate(import_id: int):
    """Choose which of the rows sharing a phone is imported, then re-run the dry run."""
    batch = db.get_or_404(ImportBatch, import_id)
    line = line_to_correct(batch)
    try:
        operations.choose_duplicate(batch, request.form.get("phone", ""), line, actor=current_user)
    except ValueError:
        abort(404)
    flash(_("Baris %(line)s dipakai; uji coba dijalankan ulang.", line=line), "success")
    return redirect(url_for("staff.import_preview", import_id=batch.id))


@bp.post("/impor/<int:import_id>/perbaiki")
def fix_import_row(import_id: int):
    """Correct one row's regency from the dry-run page, then re-run the dry run."""
    batch = db.get_or_404(ImportBatch, import_id)
    line = line_to_correct(batch)
    try:
        operations.fix_regency(batch, line, request.form.get("regency", ""), actor=current_user)
    except ValueError:
        flash(_("Pilih kabupaten/kota dari daftar."), "error")
    else:
        flash(_("Baris %(line)s diperbaiki; uji coba dijalankan ulang.", line=line), "success")
    return redirect(url_for("staff.import_preview", import_id=batch.id))


@bp.get("/impor/<int:import_id>/masalah.xlsx")
def import_problems(import_id: int):
    """Download the rows with errors or warnings, as in the file plus their problems, to send back."""
    batch = db.get_or_404(ImportBatch, import_id)
    try:
        columns, rows = queries.problem_rows(batch)
    except (ImportFileError, OSError):
        abort(404)
    body = datasets.to_xlsx(datasets.Dataset(columns, rows), _("Baris bermasalah"))
    cohort = db.session.get(Cohort, batch.cohort_id)
    audit.record_access("import_problems", batch, format="xlsx", rows=len(rows))  # names and phones (UU PDP)
    return download(body, f"{cohort.slug}-impor-{batch.id}-baris-bermasalah.xlsx", "xlsx")


@bp.post("/impor/<int:import_id>/jalankan")
def run_import(import_id: int):
    """Step 4: start the import as a background job and show its progress."""
    batch = db.get_or_404(ImportBatch, import_id)
    if batch.status not in ("previewed", "imported", "failed"):
        flash(_("Periksa dulu hasil uji coba (dry run) sebelum mengimpor."), "error")
        return redirect(url_for("staff.import_mapping", import_id=batch.id))
    job = jobs.start_import(batch, started_by=current_user)
    if (job.params or {}).get("batch_id") != batch.id:
        flash(_("Impor lain untuk kohort ini sedang berjalan. Tunggu sampai selesai, lalu coba lagi."), "warning")
        return redirect(url_for("staff.import_preview", import_id=batch.id))
    return redirect(url_for("staff.import_progress", import_id=batch.id, job=job.id))


@bp.get("/impor/<int:import_id>/proses")
def import_progress(import_id: int):
    """Show the import job's progress; the page refreshes itself while it runs."""
    batch = db.get_or_404(ImportBatch, import_id)
    job = db.session.get(BackgroundJob, request.args.get("job", 0, type=int))
    if job is None or job.kind != queries.IMPORT_JOB_KIND or (job.params or {}).get("batch_id") != batch.id:
        job = find_live_job(queries.IMPORT_JOB_KIND, batch.cohort_id)
    return render_template("staff/import_progress.html", batch=batch, job=job)
