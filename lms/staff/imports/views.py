"""Staff console pages: cohorts, imports, curation, dashboard, ranking, exports, audit log.

Routes on the staff blueprint (url prefix /staf, staff role only, see lms.staff.views).
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from lms import accounts, audit, enrollments
from lms.choices import SECTORS, STATUS_LABELS
from lms.extensions import db
from lms.jobs import find_live_job
from lms.learn.store import get_content
from lms.main.queries import cohort_status_counts
from lms.models import BackgroundJob, Cohort, Enrollment, EnrollmentStatus, ImportBatch, TopAward, User
from lms.regions import REGENCY_BY_CODE, regency_choices
from lms.staff import audit_display, audit_log, awards, cohorts, curation, curation_score, dashboard, exports, imports
from lms.staff.charts import Bar, bar_chart
from lms.staff.console_forms import (
    ActivationCodesForm,
    AuditFilterForm,
    AwardForm,
    BulkStatusForm,
    CohortForm,
    CurationCriteriaForm,
    CurationFilterForm,
    ImportMappingForm,
    ImportUploadForm,
    MoveEnrollmentForm,
    SelectBestForm,
)
from lms.staff.views import bp
from lms.templating import number

CURATION_PER_PAGE = 100
AUDIT_PER_PAGE = 50
RANKING_SHOWN = 300
NO_STORE = {"Cache-Control": "no-store"}


def course_choices() -> list[tuple[str, str]]:
    """Return (course id, title) of every published course."""
    courses = get_content().library.courses
    return [(course_id, f"{course.title} ({course_id})") for course_id, course in sorted(courses.items())]


# --- Cohorts -----------------------------------------------------------------------------


@bp.get("/kohort")
def cohorts_list():
    """List cohorts with their number of participants per status."""
    return render_template("staff/cohorts.html", cohorts=cohort_status_counts())


@bp.route("/kohort/baru", methods=["GET", "POST"])
def create_cohort():
    """Create a cohort."""
    form = CohortForm(courses=course_choices())
    if form.validate_on_submit():
        cohort = cohorts.save_cohort(None, form.data, saved_by=current_user)
        flash(_("Kohort %(name)s dibuat.", name=cohort.name), "success")
        return redirect(url_for("staff.cohort_dashboard", cohort_id=cohort.id))
    return render_template("staff/cohort_form.html", form=form, cohort=None)


@bp.route("/kohort/<int:cohort_id>/ubah", methods=["GET", "POST"])
def edit_cohort(cohort_id: int):
    """Edit a cohort's course, dates, capacity and signatories."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = CohortForm(obj=cohort, cohort_id=cohort.id, courses=course_choices())
    if form.validate_on_submit():
        cohorts.save_cohort(cohort, form.data, saved_by=current_user)
        flash(_("Kohort disimpan."), "success")
        return redirect(url_for("staff.cohort_dashboard", cohort_id=cohort.id))
    return render_template("staff/cohort_form.html", form=form, cohort=cohort)


@bp.app_template_global("all_cohorts")
def all_cohorts() -> list[Cohort]:
    """Return every cohort, newest first (the move form on the account page offers them)."""
    return list(db.session.scalars(select(Cohort).order_by(Cohort.start_date.desc(), Cohort.id.desc())))


@bp.post("/pengguna/<int:user_id>/pindah-kohort")
def move_enrollment(user_id: int):
    """Move one of a person's enrollments to another cohort, keeping the history."""
    user = db.get_or_404(User, user_id)
    form = MoveEnrollmentForm()
    form.cohort_id.choices = [(c.id, c.name) for c in db.session.scalars(select(Cohort))]
    enrollment = db.session.get(Enrollment, form.enrollment_id.data or 0)
    if enrollment is None or enrollment.user_id != user.id:
        abort(404)
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("staff.user_detail", user_id=user.id))
    try:
        moved = enrollments.move_enrollment(enrollment, db.session.get(Cohort, form.cohort_id.data),
                                            moved_by=current_user, reason=form.reason.data.strip())
        db.session.commit()
    except enrollments.MoveError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("%(name)s dipindah ke %(cohort)s.", name=user.name, cohort=moved.cohort.name), "success")
    return redirect(url_for("staff.user_detail", user_id=user.id))


# --- Dashboard ---------------------------------------------------------------------------


@bp.get("/kohort/<int:cohort_id>")
def cohort_dashboard(cohort_id: int):
    """Show the funnel, completion per module, progress per regency, mentors and participants at risk."""
    cohort = db.get_or_404(Cohort, cohort_id)
    days = request.args.get("hari", dashboard.DEFAULT_AT_RISK_DAYS, type=int)
    board = dashboard.cohort_dashboard(cohort, at_risk_days=min(max(days, 1), 90))
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    funnel_chart = bar_chart([Bar(labels[s], n, number(n)) for s, n in board.funnel.items()],
                             title=_("Peserta per status"))
    regency_chart = bar_chart(
        [Bar(row.short_label or _("Tidak diketahui"), row.percent, f"{number(row.percent)}%")
         for row in board.regencies],
        title=_("Kemajuan per kabupaten/kota"), maximum=100,
    )
    return render_template("staff/dashboard.html", cohort=cohort, board=board, funnel_chart=funnel_chart,
                           regency_chart=regency_chart)


# --- Import ------------------------------------------------------------------------------


@bp.route("/kohort/<int:cohort_id>/impor", methods=["GET", "POST"])
def import_registrants(cohort_id: int):
    """Step 1: upload a registration export (CSV or XLSX)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        with upload.stream:  # a large upload is spooled to a temporary file; close it now
            data = upload.read(imports.MAX_IMPORT_BYTES + 1)
        try:
            batch = imports.store_upload(data, upload.filename or "", cohort, uploaded_by=current_user)
        except imports.ImportFileError as error:
            form.file.errors.append(str(error))
        else:
            return redirect(url_for("staff.import_mapping", import_id=batch.id))
    batches = db.session.scalars(
        select(ImportBatch).where(ImportBatch.cohort_id == cohort.id).order_by(ImportBatch.id.desc()).limit(20)
    ).all()
    return render_template("staff/import_upload.html", cohort=cohort, form=form, batches=batches)


@bp.route("/impor/<int:import_id>/kolom", methods=["GET", "POST"])
def import_mapping(import_id: int):
    """Step 2: choose which column holds which field, then run the dry run."""
    batch = db.get_or_404(ImportBatch, import_id)
    try:
        table = imports.load_table(batch)
    except (imports.ImportFileError, OSError):
        flash(_("Berkas impor ini tidak bisa dibaca lagi. Unggah ulang berkasnya."), "error")
        return redirect(url_for("staff.import_registrants", cohort_id=batch.cohort_id))
    form = ImportMappingForm(header=table.header)
    if request.method == "GET":
        for name, index in (batch.mapping or {}).items():
            form[name].data = str(index)
    if form.validate_on_submit():
        problems = imports.validate_mapping(form.mapping(), len(table.header))
        if not problems:
            imports.save_mapping_and_preview(batch, form.mapping(), actor=current_user)
            return redirect(url_for("staff.import_preview", import_id=batch.id))
        form.name.errors = [*form.name.errors, *problems]
    samples = {index: table.samples(index) for index in range(len(table.header))}
    return render_template("staff/import_mapping.html", batch=batch, form=form, table=table, samples=samples,
                           field_labels=imports.FIELD_LABELS)


@bp.get("/impor/<int:import_id>")
def import_preview(import_id: int):
    """Step 3: show the dry run's counts and every row with an error or a warning."""
    batch = db.get_or_404(ImportBatch, import_id)
    if not batch.report or "counts" not in batch.report:
        return redirect(url_for("staff.import_mapping", import_id=batch.id))
    job = db.session.scalar(select(BackgroundJob).where(BackgroundJob.kind == "registrants.import",
                                                        BackgroundJob.cohort_id == batch.cohort_id)
                            .order_by(BackgroundJob.id.desc()).limit(1))
    return render_template("staff/import_preview.html", batch=batch, report=batch.report, job=job,
                           issue_text=imports.issue_text, earlier=imports.previous_import(batch),
                           cohort=db.session.get(Cohort, batch.cohort_id), conflict_labels=imports.CONFLICT_LABELS,
                           manual_codes=MANUAL_REGENCY_CODES, regency_choices=regency_choices())


# Rows whose regency staff fill in by hand from the dry-run page ("isi manual").
MANUAL_REGENCY_CODES = ("ambiguous_regency", "unknown_regency", "missing_regency")


@bp.post("/impor/<int:import_id>/duplikat")
def choose_import_duplicate(import_id: int):
    """Choose which of the rows sharing a phone is imported, then re-run the dry run."""
    batch = db.get_or_404(ImportBatch, import_id)
    line = request.form.get("line", "")
    if batch.status == "imported" or not line.isdigit():
        abort(404)
    try:
        imports.choose_duplicate(batch, request.form.get("phone", ""), int(line), actor=current_user)
    except ValueError:
        abort(404)
    flash(_("Baris %(line)s dipakai; uji coba dijalankan ulang.", line=line), "success")
    return redirect(url_for("staff.import_preview", import_id=batch.id))


@bp.post("/impor/<int:import_id>/perbaiki")
def fix_import_row(import_id: int):
    """Correct one row's regency from the dry-run page, then re-run the dry run."""
    batch = db.get_or_404(ImportBatch, import_id)
    line = request.form.get("line", "")
    if batch.status == "imported" or not line.isdigit():
        abort(404)
    try:
        imports.fix_regency(batch, int(line), request.form.get("regency", ""), actor=current_user)
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
        columns, rows = imports.problem_rows(batch)
    except (imports.ImportFileError, OSError):
        abort(404)
    body = exports.to_xlsx(exports.Dataset(columns, rows), _("Baris bermasalah"))
    cohort = db.session.get(Cohort, batch.cohort_id)
    return _download(body, f"{cohort.slug}-impor-{batch.id}-baris-bermasalah.xlsx", "xlsx")


@bp.post("/impor/<int:import_id>/jalankan")
def run_import(import_id: int):
    """Step 4: start the import as a background job and show its progress."""
    batch = db.get_or_404(ImportBatch, import_id)
    if batch.status not in ("previewed", "imported", "failed"):
        flash(_("Periksa dulu hasil uji coba (dry run) sebelum mengimpor."), "error")
        return redirect(url_for("staff.import_mapping", import_id=batch.id))
    job = imports.start_import(batch, started_by=current_user)
    if (job.params or {}).get("batch_id") != batch.id:
        flash(_("Impor lain untuk kohort ini sedang berjalan. Tunggu sampai selesai, lalu coba lagi."), "warning")
        return redirect(url_for("staff.import_preview", import_id=batch.id))
    return redirect(url_for("staff.import_progress", import_id=batch.id, job=job.id))


@bp.get("/impor/<int:import_id>/proses")
def import_progress(import_id: int):
    """Show the import job's progress; the page refreshes itself while it runs."""
    batch = db.get_or_404(ImportBatch, import_id)
    job = db.session.get(BackgroundJob, request.args.get("job", 0, type=int))
    if job is None or job.kind != "registrants.import" or (job.params or {}).get("batch_id") != batch.id:
        job = find_live_job("registrants.import", batch.cohort_id)
    return render_template("staff/import_progress.html", batch=batch, job=job)


# --- Curation ----------------------------------------------------------------------------


def _filters(source) -> curation.Filters:
    return curation.Filters(regency=source.get("kabupaten", ""), sector=source.get("bidang", ""),
                            status=source.get("status", ""), query=source.get("q", "").strip())


@bp.get("/kohort/<int:cohort_id>/peserta")
def curation_list(cohort_id: int):
    """List the cohort's registrants with filters, bulk status actions and activation codes."""
    cohort = db.get_or_404(Cohort, cohort_id)
    filter_form = CurationFilterForm(request.args)
    filters = _filters(request.args) if filter_form.validate() else curation.Filters()
    page = db.paginate(curation.enrollments_query(cohort, filters), per_page=CURATION_PER_PAGE, error_out=False)
    bulk_form = BulkStatusForm(formdata=None, data=filters.as_args())
    return render_template("staff/curation.html", cohort=cohort, page=page, filters=filters,
                           filter_form=filter_form, bulk_form=bulk_form, codes_form=ActivationCodesForm(),
                           code_candidates=curation.count_code_candidates(cohort),
                           places_taken=enrollments.places_taken(cohort),
                           scores=curation.scores_for(cohort, list(page.items)))


@bp.post("/kohort/<int:cohort_id>/peserta/status")
def bulk_status(cohort_id: int):
    """Change the status of the ticked (or all filtered) registrants, with a reason."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = BulkStatusForm()
    filters = _filters(request.form)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
        return redirect(url_for("staff.curation_list", cohort_id=cohort.id, **filters.as_args()))
    ids = curation.matching_ids(cohort, filters) if form.scope.data == "filtered" else form.enrollment_ids.data
    result = curation.bulk_change_status(cohort, ids, form.target.data, form.reason.data.strip(),
                                         changed_by=current_user, confirmed_elsewhere=form.confirm_elsewhere.data,
                                         override_reason=(form.override_reason.data or "").strip())
    if result.needs_confirmation is not None:
        return render_template("staff/curation_confirm.html", cohort=cohort, form=form, ids=ids, filters=filters,
                               check=result.needs_confirmation)
    flash(_("%(changed)s peserta diubah; %(skipped)s dilewati karena statusnya tidak bisa diubah ke sana.",
            changed=result.changed, skipped=result.skipped), "success" if result.changed else "warning")
    return redirect(url_for("staff.curation_list", cohort_id=cohort.id, **filters.as_args()))


def _criteria_form_data(criteria: curation_score.Criteria) -> dict:
    labels = {code: REGENCY_BY_CODE[code].label for code in criteria.regency_quota if code in REGENCY_BY_CODE}
    data = {"allowed_sectors": list(criteria.allowed_sectors), "min_business_age": criteria.min_business_age,
            "other_regency_quota": criteria.other_regency_quota,
            "regency_quota": "\n".join(f"{labels.get(code, code)}: {n}" for code, n in criteria.regency_quota.items())}
    data.update({f"weight_{code}": round(100 * w) for code, w in criteria.sector_weights.items()})
    return data


@bp.route("/kohort/<int:cohort_id>/kriteria", methods=["GET", "POST"])
def curation_criteria(cohort_id: int):
    """Choose the cohort's stage-2 criteria and see who scores best within each regency's quota."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = CurationCriteriaForm(data=_criteria_form_data(curation.criteria_of(cohort)) if request.method == "GET"
                                else None)
    if form.validate_on_submit():
        weights = {code: form[f"weight_{code}"].data / 100 for code, _label in SECTORS
                   if form[f"weight_{code}"].data is not None}
        criteria = curation_score.Criteria(
            sector_weights=weights, allowed_sectors=tuple(form.allowed_sectors.data or ()),
            regency_quota=form.parsed_quota, other_regency_quota=form.other_regency_quota.data,
            min_business_age=form.min_business_age.data or 0)
        curation.save_criteria(cohort, criteria, saved_by=current_user)
        flash(_("Kriteria kurasi disimpan."), "success")
        return redirect(url_for("staff.curation_criteria", cohort_id=cohort.id))
    return render_template("staff/curation_criteria.html", cohort=cohort, form=form,
                           best_form=SelectBestForm(formdata=None), ranked=curation.scored_registrants(cohort)[:50])


@bp.post("/kohort/<int:cohort_id>/pilih-terbaik")
def select_best(cohort_id: int):
    """Select the best N registrants within each regency's quota: a preview first, then the change."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = SelectBestForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("staff.curation_criteria", cohort_id=cohort.id))
    chosen = curation.plan_best(cohort, form.places.data)
    if not form.confirm.data:
        return render_template("staff/select_best.html", cohort=cohort, form=form, chosen=chosen,
                               per_regency=curation_score.count_by_regency(chosen))
    ids = [item.registrant.enrollment_id for item in chosen]
    result = curation.bulk_change_status(cohort, ids, EnrollmentStatus.SELECTED.value, form.reason.data.strip(),
                                         changed_by=current_user)
    if result.needs_confirmation is not None:
        bulk = BulkStatusForm(formdata=None, data={"target": "selected", "reason": form.reason.data.strip()})
        return render_template("staff/curation_confirm.html", cohort=cohort, form=bulk, ids=ids,
                               filters=curation.Filters(), check=result.needs_confirmation)
    flash(_("%(changed)s peserta terpilih menurut kriteria.", changed=result.changed), "success")
    return redirect(url_for("staff.curation_list", cohort_id=cohort.id, status="selected"))


@bp.post("/kohort/<int:cohort_id>/kode-aktivasi")
def activation_codes(cohort_id: int):
    """Issue fresh codes to accepted participants not yet activated: as CSV, or a page of WhatsApp links."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = ActivationCodesForm()
    if not form.validate_on_submit():
        flash(_("Centang pernyataan lalu pilih CSV atau WhatsApp."), "error")
        return redirect(url_for("staff.curation_list", cohort_id=cohort.id))
    issued = curation.issue_codes(cohort, issued_by=current_user, purpose=form.purpose.data)
    rows = [_code_row(code) for code in issued]
    audit.record_access("activation_codes", cohort, format=form.purpose.data, rows=len(rows))
    if form.purpose.data == "csv":
        body = exports.activation_codes_csv(rows)
        return _download(body, f"{cohort.slug}-kode-aktivasi.csv", "csv")
    if form.purpose.data == "xlsx":
        body = exports.activation_codes_xlsx(rows)
        return _download(body, f"{cohort.slug}-kode-aktivasi.xlsx", "xlsx")
    return render_template("staff/activation_codes.html", cohort=cohort, rows=rows), 200, NO_STORE


def _code_row(issued: accounts.IssuedCode) -> tuple[str, str, str, str, str]:
    activation_url = accounts.activation_url(issued)
    return (issued.user.name, issued.user.phone, issued.display, issued.expires_at.strftime("%Y-%m-%d"),
            accounts.activation_whatsapp_link(issued, activation_url))


# --- Ranking and awards ------------------------------------------------------------------


@bp.get("/kohort/<int:cohort_id>/peringkat")
def ranking(cohort_id: int):
    """Show the ranking by composite score, with the awardees marked."""
    cohort = db.get_or_404(Cohort, cohort_id)
    rows = awards.cohort_ranking(cohort)
    year = awards.programme_year(cohort)
    return render_template("staff/ranking.html", cohort=cohort, rows=rows[:RANKING_SHOWN], total=len(rows),
                           awarded=awards.awards_in_year(year), year=year, limit=awards.year_limit(),
                           form=AwardForm())


@bp.post("/kohort/<int:cohort_id>/peringkat/terbaik")
def mark_awardees(cohort_id: int):
    """Mark the ticked participants as top awardees (within the programme year's places)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = AwardForm()
    if not form.validate_on_submit():
        flash(_("Centang minimal satu peserta."), "error")
        return redirect(url_for("staff.ranking", cohort_id=cohort.id))
    try:
        created = awards.mark_awardees(cohort, form.enrollment_ids.data, awarded_by=current_user,
                                       reason=(form.reason.data or "").strip())
    except awards.AwardNeedsReason as needs:
        names = {row.ranked.entry.enrollment_id: row.name for row in awards.cohort_ranking(cohort)}
        return render_template("staff/ranking_confirm.html", cohort=cohort, form=form, warnings=needs.warnings,
                               names=names, labels=AWARD_WARNING_LABELS)
    skipped = len(set(form.enrollment_ids.data)) - len(created)
    flash(_("%(count)s peserta ditandai sebagai Peserta Terbaik; %(skipped)s dilewati (sudah ditandai, bukan "
            "peserta kohort ini, atau kuota %(limit)s per tahun program penuh).", count=len(created), skipped=skipped,
            limit=awards.year_limit()), "success")
    return redirect(url_for("staff.ranking", cohort_id=cohort.id))


AWARD_WARNING_LABELS = {
    "incomplete": _l("belum memenuhi semua syarat lulus"),
    "at_risk": _l("berisiko (lama tidak membuka LMS)"),
    "below_threshold": _l("skor di bawah batas"),
}


@bp.post("/kohort/<int:cohort_id>/peringkat/terbaik/<int:award_id>/hapus")
def remove_award(cohort_id: int, award_id: int):
    """Take a participant off the top awardees."""
    award = db.get_or_404(TopAward, award_id)
    if award.cohort_id != cohort_id:
        abort(404)
    awards.remove_award(award, removed_by=current_user)
    flash(_("Tanda Peserta Terbaik dihapus. Sertifikat yang sudah terbit dicabut lewat halaman sertifikat."), "success")
    return redirect(url_for("staff.ranking", cohort_id=cohort_id))


# --- Exports -----------------------------------------------------------------------------


@bp.get("/kohort/<int:cohort_id>/ekspor")
def exports_page(cohort_id: int):
    """List the exports of a cohort."""
    cohort = db.get_or_404(Cohort, cohort_id)
    return render_template("staff/exports.html", cohort=cohort, datasets=exports.DATASETS, formats=exports.FORMATS)


@bp.get("/kohort/<int:cohort_id>/ekspor/<dataset>.<fmt>")
def export_file(cohort_id: int, dataset: str, fmt: str):
    """Download one export as CSV or XLSX."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if dataset not in exports.DATASETS or fmt not in exports.FORMATS:
        abort(404)
    body, filename = exports.build_export(cohort, dataset, fmt)
    audit.record_access("export", cohort, dataset=dataset, format=fmt)
    return _download(body, filename, fmt)


def _download(body: bytes, filename: str, fmt: str) -> Response:
    return Response(body, content_type=exports.CONTENT_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE})


# --- Audit log ---------------------------------------------------------------------------


@bp.get("/audit")
def audit_events():
    """Show the audit log, filtered by action, actor, object and date."""
    actions, object_types = audit_log.known_values()
    form = AuditFilterForm(request.args, actions=actions, object_types=object_types)
    filters = audit_log.AuditFilters()
    if form.validate():
        filters = audit_log.AuditFilters(action=form.action.data or "", actor=form.actor.data or "",
                                         object_type=form.object_type.data or "", object_id=form.object_id.data or "",
                                         date_from=form.date_from.data, date_to=form.date_to.data)
    page = db.paginate(audit_log.audit_query(filters), per_page=AUDIT_PER_PAGE, error_out=False)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("staff/audit.html", form=form, page=page, args=args,
                           rows=audit_display.event_views(list(page.items)))
