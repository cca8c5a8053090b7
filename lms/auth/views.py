"""Logging in and out, activation, password change and the participant profile."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import accounts, phone, regions, security, throttle
from lms.auth import login_limits, operations
from lms.auth.forms import ActivationForm, LoginForm, PasswordChangeForm, ProfileForm
from lms.extensions import limiter

bp = Blueprint("auth", __name__)


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_PER_IP"], methods=["POST"])
def login():
    """Log in with a phone number or email and a password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if request.method == "POST":
        attempt = login_limits.LoginAttempt.from_request()
        if wait := attempt.wait_seconds():
            return render_lockout(wait)
        if form.validate_on_submit():
            security.start_session(form.user)
            target = request.args.get("next")
            return redirect(target if security.is_safe_next(target) else url_for("main.home"))
        if form.refused:  # a wrong password or account, not an empty or malformed field
            attempt.record_failure()
    return render_template("auth/login.html", form=form)


def render_lockout(wait: int):
    """Say how long to wait and whom to contact, with 429 and Retry-After."""
    contact = current_app.config["SUPPORT_WHATSAPP"]
    try:
        whatsapp = phone.whatsapp_number(contact)
        shown = phone.format_phone_local(contact)
    except phone.InvalidPhone:
        whatsapp, shown = None, contact
    page = render_template("auth/locked.html", minutes=throttle.wait_minutes(wait), whatsapp=whatsapp,
                           contact=shown)
    return page, 429, {"Retry-After": str(wait)}


@bp.post("/keluar")
@login_required
def logout():
    """End this session on the server and forget the cookie."""
    security.end_session()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/aktivasi", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["ACTIVATION_RATE_LIMIT_PER_IP"], methods=["POST"])
def activate():
    """Set the first password with the one-time code staff handed out."""
    form = ActivationForm(code=request.args.get("kode", ""), phone=request.args.get("hp", ""))
    if request.method == "POST" and (wait := login_limits.activation_wait_seconds()):
        return render_lockout(wait)
    if form.validate_on_submit():
        try:
            user = accounts.activate_account(form.phone.data, form.code.data, form.password.data)
        except accounts.AccountError as error:
            login_limits.record_activation_failure()
            form.code.errors.append(str(error))
        else:
            security.start_session(user)
            flash(_("Akun Anda aktif. Mulai dari modul pertama di halaman ini. Masuk berikutnya dengan nomor HP "
                    "dan kata sandi yang baru Anda buat."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/activate.html", form=form)


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other session of the account is logged out."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data, form.password.data)
        except accounts.AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            security.start_session(current_user._get_current_object())
            flash(_("Kata sandi sudah diganti. Perangkat lain sudah dikeluarkan."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/akun/profil", methods=["GET", "POST"])
@login_required
def profile():
    """Let a participant keep their business details up to date."""
    if not current_user.is_participant:
        abort(403)
    form = ProfileForm(obj=operations.profile_form_data(current_user), user=current_user)
    if form.validate_on_submit():
        try:
            district_cleared = operations.update_profile(current_user, form.data)
        except operations.ProfileConflict as conflict:
            flash(str(conflict), "error")  # the form keeps what was typed
            return render_template("auth/profile.html", form=form), 409
        flash(_("Profil usaha tersimpan."), "success")
        if district_cleared:
            flash(regions.district_cleared_message(), "info")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)
