"""Privacy pages: a participant's own data and erasure request; the staff queue of requests."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import audit
from lms.extensions import db
from lms.models import DeletionRequest, Role
from lms.privacy import bp, downloads, operations, queries
from lms.privacy.forms import CarryOutForm, DeletionRequestForm
from lms.security import require_roles
from lms.staff.exports.datasets import CONTENT_TYPES

NO_STORE = {"Cache-Control": "no-store"}
ENDPOINT_ROLES = {
    "privacy.my_data": (Role.PARTICIPANT,),
    "privacy.download": (Role.PARTICIPANT,),
    "privacy.request_deletion": (Role.PARTICIPANT,),
}
DOWNLOAD_TYPES = {"json": "application/json", "xlsx": CONTENT_TYPES["xlsx"]}

bp.add_app_template_global(queries.pending_count, "pending_deletion_count")


@bp.before_request
def check_access():
    """Participants reach their own data; every other page (the queue) is for staff."""
    return require_roles(*ENDPOINT_ROLES.get(request.endpoint, (Role.STAFF,)))()


@bp.get("/data-saya")
def my_data():
    """Show the signed-in participant everything the LMS holds about them."""
    data = queries.person_data(current_user)
    return render_template("privacy/my_data.html", data=data, open_request=queries.open_request(current_user.id)), \
        200, NO_STORE


@bp.get("/data-saya/unduh.<fmt>")
def download(fmt: str):
    """Download one's own data as JSON or XLSX (the access is logged)."""
    if fmt not in DOWNLOAD_TYPES:
        abort(404)
    data = queries.person_data(current_user)
    body = downloads.to_json(data) if fmt == "json" else downloads.to_xlsx(data)
    audit.record_access("own_data", current_user._get_current_object(), format=fmt)
    return Response(body, content_type=DOWNLOAD_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="data-saya.{fmt}"', **NO_STORE})


@bp.route("/data-saya/hapus", methods=["GET", "POST"])
def request_deletion():
    """Ask for one's data to be erased, after a confirm step; staff carry it out."""
    existing = queries.open_request(current_user.id)
    form = DeletionRequestForm()
    if existing is None and form.validate_on_submit():
        operations.request_deletion(current_user._get_current_object(), form.reason.data or "")
        flash(_("Permintaan hapus data terkirim. Staf akan memprosesnya dan mengabari Anda."), "success")
        return redirect(url_for(".my_data"))
    return render_template("privacy/request.html", form=form, existing=existing)


@bp.get("/staf/permintaan-hapus-data")
def staff_requests():
    """List open deletion requests, oldest first, and the recently carried out ones."""
    return render_template("privacy/staff_requests.html", requests=queries.pending_requests(),
                           resolved=queries.recent_resolved())


@bp.get("/staf/permintaan-hapus-data/<int:request_id>")
def staff_request(request_id: int):
    """Show one request with what the erasure removes and keeps, and the confirm form."""
    deletion = db.get_or_404(DeletionRequest, request_id)
    return render_template("privacy/staff_request.html", deletion=deletion, form=CarryOutForm(),
                           data=queries.person_data(deletion.user))


@bp.post("/staf/permintaan-hapus-data/<int:request_id>/laksanakan")
def carry_out(request_id: int):
    """Erase the person's data (after the confirm box); a request already done changes nothing."""
    deletion = db.get_or_404(DeletionRequest, request_id)
    if deletion.resolved_at is not None:
        flash(_("Permintaan ini sudah diproses."), "info")
        return redirect(url_for(".staff_requests"))
    form = CarryOutForm()
    if not form.validate_on_submit():
        return render_template("privacy/staff_request.html", deletion=deletion, form=form,
                               data=queries.person_data(deletion.user))
    operations.erase_person(deletion.user, erased_by=current_user._get_current_object(),
                            reason=deletion.reason or _("Permintaan peserta"), source="request")
    flash(_("Data dihapus. Yang tersisa hanya yang wajib disimpan."), "success")
    return redirect(url_for(".staff_requests"))
