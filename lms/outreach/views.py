"""Outreach pages for staff: the map and figures, targets, referral codes and the registrants export."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import audit
from lms.extensions import db
from lms.models import Cohort, Role
from lms.outreach import bp, exports, operations, queries
from lms.outreach.figures import outreach_page
from lms.outreach.forms import ReferralCodeForm, TargetsForm, target_field_name
from lms.security import require_roles
from lms.staff.exports.datasets import CONTENT_TYPES

bp.before_request(require_roles(Role.STAFF))
NO_STORE = {"Cache-Control": "no-store"}


def render_page(cohort: Cohort, *, targets_form=None, referral_form=None, status: int = 200):
    if targets_form is None:
        current = {target_field_name(code): value for code, value in queries.targets(cohort.id).items()}
        targets_form = TargetsForm(data=current)
    return render_template("outreach/page.html", cohort=cohort, targets_form=targets_form,
                           referral_form=referral_form or ReferralCodeForm(formdata=None),
                           target_field_name=target_field_name, **outreach_page(cohort)), status


@bp.get("/staf/kohort/<int:cohort_id>/jangkauan")
def page(cohort_id: int):
    """Show where the cohort's registrations come from: map, table, days, sources and referral links."""
    cohort = db.get_or_404(Cohort, cohort_id)
    return render_page(cohort)


@bp.post("/staf/kohort/<int:cohort_id>/jangkauan/target")
def save_targets(cohort_id: int):
    """Store the per-regency targets staff typed."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = TargetsForm()
    if not form.validate_on_submit():
        return render_page(cohort, targets_form=form)
    changed = operations.set_targets(cohort, form.targets(), set_by=current_user)
    flash(_("Target disimpan (%(n)s berubah).", n=changed) if changed else _("Tidak ada yang berubah."),
          "success" if changed else "info")
    return redirect(url_for(".page", cohort_id=cohort.id, _anchor="target"))


@bp.post("/staf/kohort/<int:cohort_id>/jangkauan/rujukan")
def create_referral(cohort_id: int):
    """Add a referral code for a regency office or an event."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = ReferralCodeForm()
    if form.validate_on_submit():
        try:
            referral = operations.create_referral_code(cohort, label=form.label.data,
                                                       regency_code=form.regency_code.data or None,
                                                       typed_code=form.code.data or "", created_by=current_user)
        except operations.ReferralCodeError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Kode rujukan %(code)s dibuat.", code=referral.code), "success")
            return redirect(url_for(".page", cohort_id=cohort.id, _anchor="rujukan"))
    return render_page(cohort, referral_form=form)


@bp.get("/staf/kohort/<int:cohort_id>/jangkauan/pendaftar.xlsx")
def export_registrants(cohort_id: int):
    """Download the cohort's registrants with their baseline answers as XLSX."""
    cohort = db.get_or_404(Cohort, cohort_id)
    body, filename = exports.registrants_xlsx(cohort)
    audit.record_access("export", cohort, dataset="registrants", format="xlsx")
    return Response(body, content_type=CONTENT_TYPES["xlsx"],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE})
