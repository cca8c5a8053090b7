"""Staff pages for curating a cohort's registrants: filters, bulk status, criteria, activation codes."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import accounts, audit, enrollments
from lms.choices import SECTORS
from lms.extensions import db
from lms.models import Cohort, EnrollmentStatus
from lms.regions import REGENCY_BY_CODE
from lms.staff.blueprint import bp
from lms.staff.curation import operations, rules
from lms.staff.curation.forms import (
    ActivationCodesForm,
    BulkStatusForm,
    CurationCriteriaForm,
    CurationFilterForm,
    SelectBestForm,
)
from lms.staff.downloads import NO_STORE, download
from lms.staff.exports import datasets

CURATION_PER_PAGE = 100


def _filters(source) -> operations.Filters:
    return operations.Filters(regency=source.get("kabupaten", ""), sector=source.get("bidang", ""),
                            status=source.get("status", ""), query=source.get("q", "").strip())


@bp.get("/kohort/<int:cohort_id>/peserta")
def curation_list(cohort_id: int):
    """List the cohort's registrants with filters, bulk status actions and activation codes."""
    cohort = db.get_or_404(Cohort, cohort_id)
    filter_form = CurationFilterForm(request.args)
    filters = _filters(request.args) if filter_form.validate() else operations.Filters()
    page = db.paginate(operations.enrollments_query(cohort, filters), per_page=CURATION_PER_PAGE, error_out=False)
    bulk_form = BulkStatusForm(formdata=None, data=filters.as_args())
    return render_template("staff/curation.html", cohort=cohort, page=page, filters=filters,
                           filter_form=filter_form, bulk_form=bulk_form, codes_form=ActivationCodesForm(),
                           code_candidates=operations.count_code_candidates(cohort),
                           places_taken=enrollments.places_taken(cohort),
                           scores=operations.scores_for(cohort, list(page.items)))


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
    ids = operations.matching_ids(cohort, filters) if form.scope.data == "filtered" else form.enrollment_ids.data
    result = operations.bulk_change_status(cohort, ids, form.target.data, form.reason.data.strip(),
                                         changed_by=current_user, confirmed_elsewhere=form.confirm_elsewhere.data,
                                         override_reason=(form.override_reason.data or "").strip())
    if result.needs_confirmation is not None:
        missing = _missing_confirmations(form, result.needs_confirmation) if request.form.get("confirming") else ()
        return render_template("staff/curation_confirm.html", cohort=cohort, form=form, ids=ids, filters=filters,
                               check=result.needs_confirmation, missing=missing)
    flash(_("%(changed)s peserta diubah; %(skipped)s dilewati karena statusnya tidak bisa diubah ke sana.",
            changed=result.changed, skipped=result.skipped), "success" if result.changed else "warning")
    return redirect(url_for("staff.curation_list", cohort_id=cohort.id, **filters.as_args()))


def _missing_confirmations(form: BulkStatusForm, check) -> tuple[str, ...]:
    """Say what a submitted confirmation step still lacks (the tick, the override reason)."""
    missing = []
    if check.elsewhere and not form.confirm_elsewhere.data:
        missing.append("elsewhere")
    if check.over_capacity and not (form.override_reason.data or "").strip():
        form.override_reason.errors = [*form.override_reason.errors,
                                       _("Tulis alasan melebihi kapasitas; tanpa alasan tidak ada yang dipilih.")]
        missing.append("capacity")
    return tuple(missing)


def _criteria_form_data(criteria: rules.Criteria) -> dict:
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
    form = CurationCriteriaForm(data=_criteria_form_data(operations.criteria_of(cohort)) if request.method == "GET"
                                else None)
    if form.validate_on_submit():
        weights = {code: form[f"weight_{code}"].data / 100 for code, _label in SECTORS
                   if form[f"weight_{code}"].data is not None}
        criteria = rules.Criteria(
            sector_weights=weights, allowed_sectors=tuple(form.allowed_sectors.data or ()),
            regency_quota=form.parsed_quota, other_regency_quota=form.other_regency_quota.data,
            min_business_age=form.min_business_age.data or 0)
        operations.save_criteria(cohort, criteria, saved_by=current_user)
        flash(_("Kriteria kurasi disimpan."), "success")
        return redirect(url_for("staff.curation_criteria", cohort_id=cohort.id))
    return render_template("staff/curation_criteria.html", cohort=cohort, form=form,
                           best_form=SelectBestForm(formdata=None), ranked=operations.scored_registrants(cohort)[:50])


@bp.post("/kohort/<int:cohort_id>/pilih-terbaik")
def select_best(cohort_id: int):
    """Select the best N registrants within each regency's quota: a preview first, then the change."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = SelectBestForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("staff.curation_criteria", cohort_id=cohort.id))
    chosen = operations.plan_best(cohort, form.places.data)
    if not form.confirm.data:
        return render_template("staff/select_best.html", cohort=cohort, form=form, chosen=chosen,
                               per_regency=rules.count_by_regency(chosen))
    ids = [item.registrant.enrollment_id for item in chosen]
    result = operations.bulk_change_status(cohort, ids, EnrollmentStatus.SELECTED.value, form.reason.data.strip(),
                                         changed_by=current_user)
    if result.needs_confirmation is not None:
        bulk = BulkStatusForm(formdata=None, data={"target": "selected", "reason": form.reason.data.strip()})
        return render_template("staff/curation_confirm.html", cohort=cohort, form=bulk, ids=ids,
                               filters=operations.Filters(), check=result.needs_confirmation, missing=())
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
    issued = operations.issue_codes(cohort, issued_by=current_user, purpose=form.purpose.data)
    rows = [_code_row(code) for code in issued]
    audit.record_access("activation_codes", cohort, format=form.purpose.data, rows=len(rows))
    if form.purpose.data == "csv":
        body = datasets.activation_codes_csv(rows)
        return download(body, f"{cohort.slug}-kode-aktivasi.csv", "csv")
    if form.purpose.data == "xlsx":
        body = datasets.activation_codes_xlsx(rows)
        return download(body, f"{cohort.slug}-kode-aktivasi.xlsx", "xlsx")
    shown = [(name, phone, code, date.fromisoformat(until), link) for name, phone, code, until, link in rows]
    return render_template("staff/activation_codes.html", cohort=cohort, rows=shown), 200, NO_STORE


def _code_row(issued: accounts.IssuedCode) -> tuple[str, str, str, str, str]:
    activation_url = accounts.activation_url(issued)
    return (issued.user.name, issued.user.phone, issued.display, issued.expires_at.strftime("%Y-%m-%d"),
            accounts.activation_whatsapp_link(issued, activation_url))
