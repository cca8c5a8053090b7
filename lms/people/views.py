"""People pages: staff edit a person; the forgotten-password request and its queues."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import accounts, phone, regions
from lms.extensions import db, limiter
from lms.models import PasswordResetRequest, Role, User
from lms.people import bp, operations, queries, rules
from lms.people.forms import PersonEditForm, ResetRequestForm
from lms.security import require_roles

NO_STORE = {"Cache-Control": "no-store"}
# Deny by default: every endpoint needs a role listed here.
PUBLIC_ENDPOINTS = frozenset({"people.forgot_password"})
ENDPOINT_ROLES = {
    "people.edit_person": (Role.STAFF,),
    "people.staff_resets": (Role.STAFF,),
    "people.mentor_resets": (Role.MENTOR,),
    "people.answer_reset": (Role.STAFF, Role.MENTOR),
    "people.dismiss_reset": (Role.STAFF, Role.MENTOR),
}

bp.add_app_template_global(queries.pending_count, "pending_reset_count")


@bp.before_request
def check_access():
    """Let anyone ask for a reset; every other page needs its role (unknown endpoints: staff)."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return require_roles(*ENDPOINT_ROLES.get(request.endpoint, (Role.STAFF,)))()


@bp.route("/staf/pengguna/<int:user_id>/ubah", methods=["GET", "POST"])
def edit_person(user_id: int):
    """Let staff correct a person's name, phone, email, business data and printed name, with a reason."""
    user = db.get_or_404(User, user_id)
    form = PersonEditForm(obj=operations.person_form_data(user), user=user)
    if form.validate_on_submit():
        try:
            changes = operations.edit_person(user, form.data, normalized_phone=form.normalized_phone,
                                             edited_by=current_user)
        except operations.PersonEditError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            flash(_("Data %(name)s disimpan.", name=user.name) if changes else _("Tidak ada yang berubah."),
                  "success" if changes else "info")
            if regions.district_cleared(*rules.split_change(changes)):
                flash(regions.district_cleared_message(), "info")
            return redirect(url_for("staff.user_detail", user_id=user.id))
    return render_template("people/edit.html", form=form, user=user)


def reset_phone_key() -> str:
    """Rate-limit reset requests per phone number, whatever way it was typed."""
    typed = request.form.get("phone", "")
    try:
        typed = phone.normalize_phone(typed)
    except phone.InvalidPhone:
        typed = typed.strip()[:30]
    return f"reset:{typed}"


@bp.route("/lupa-kata-sandi", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], key_func=reset_phone_key, methods=["POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT_PER_IP"], methods=["POST"])
def forgot_password():
    """Ask staff and one's mentor for a new code; the answer never tells whether the number is registered."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        operations.request_password_reset(form.phone.data)
        return render_template("people/forgot_sent.html")
    return render_template("people/forgot.html", form=form)


@bp.get("/staf/permintaan-kata-sandi")
def staff_resets():
    """Show staff every open forgotten-password request, and the recently closed ones."""
    return render_template("people/resets.html", requests=queries.pending_requests(),
                           resolved=queries.recent_resolved())


@bp.get("/mentor/permintaan-kata-sandi")
def mentor_resets():
    """Show a mentor the open forgotten-password requests of the participants they follow."""
    return render_template("people/resets.html", requests=queries.pending_requests(mentor=current_user),
                           resolved=None)


def answerable_or_404(reset_id: int) -> PasswordResetRequest:
    """Load a request this user may answer; anyone else gets 404, as if it did not exist."""
    reset = db.session.get(PasswordResetRequest, reset_id)
    if reset is None or not queries.may_answer(current_user, reset):
        abort(404)
    return reset


def back_to_queue():
    return redirect(url_for(".staff_resets" if current_user.is_staff else ".mentor_resets"))


@bp.post("/permintaan-kata-sandi/<int:reset_id>/kode")
def answer_reset(reset_id: int):
    """Close the request with a new activation code and show the WhatsApp link that carries it."""
    reset = answerable_or_404(reset_id)
    try:
        issued = operations.answer_with_code(reset, by=current_user)
    except operations.ResetAlreadyHandled as error:
        flash(str(error), "info")
        return back_to_queue()
    activation_url = accounts.activation_url(issued)  # the public address, with the code and the phone filled in
    return render_template("people/reset_code.html", issued=issued, activation_url=activation_url,
                           whatsapp_url=operations.reset_whatsapp_link(issued, activation_url)), 200, NO_STORE


@bp.post("/permintaan-kata-sandi/<int:reset_id>/tutup")
def dismiss_reset(reset_id: int):
    """Close a request without a code."""
    reset = answerable_or_404(reset_id)
    try:
        operations.dismiss(reset, by=current_user)
    except operations.ResetAlreadyHandled as error:
        flash(str(error), "info")
    else:
        flash(_("Permintaan ditutup tanpa kode."), "success")
    return back_to_queue()
