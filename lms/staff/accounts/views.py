"""Staff pages for accounts: the list, creating one, its activation code, its status, moving its enrollment."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from lms import accounts, enrollments
from lms.choices import select_choices
from lms.extensions import db
from lms.models import Cohort, Enrollment, User
from lms.staff.accounts import operations
from lms.staff.accounts.forms import CreateUserForm, MoveEnrollmentForm
from lms.staff.blueprint import bp

USERS_PER_PAGE = 50


@bp.get("/pengguna")
def users():
    """List accounts, newest first, with a search box."""
    query = request.args.get("q", "").strip()
    statement = select(User).order_by(User.id.desc())
    if query:
        pattern = f"%{query}%"
        statement = statement.where(or_(User.name.ilike(pattern), User.phone.contains(query.lstrip("0"))))
    page = db.paginate(statement, per_page=USERS_PER_PAGE, error_out=False)
    return render_template("staff/users.html", page=page, query=query)


@bp.route("/pengguna/baru", methods=["GET", "POST"])
def create_user():
    """Create an account and show its activation code once."""
    form = CreateUserForm()
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.start_date.desc())).all()
    form.cohort_id.choices = select_choices([(0, "–"), *((c.id, c.name) for c in cohorts)])
    if form.validate_on_submit():
        cohort = db.session.get(Cohort, form.cohort_id.data) if form.cohort_id.data else None
        try:
            issued = operations.create_account(form.data, created_by=current_user, cohort=cohort)
        except accounts.AccountError as error:
            form.phone.errors.append(str(error))
        else:
            flash(_("Akun %(name)s dibuat.", name=issued.user.name), "success")
            return render_activation_code(issued)
    return render_template("staff/create_user.html", form=form)


@bp.get("/pengguna/<int:user_id>")
def user_detail(user_id: int):
    """Show an account with its enrollments and the actions staff can take."""
    user = db.get_or_404(User, user_id)
    return render_template("staff/user_detail.html", user=user)


@bp.post("/pengguna/<int:user_id>/kode-aktivasi")
def issue_code(user_id: int):
    """Issue a fresh activation code (the page that shows it is never cached)."""
    user = db.get_or_404(User, user_id)
    return render_activation_code(operations.issue_new_activation_code(user, issued_by=current_user))


@bp.post("/pengguna/<int:user_id>/status")
def set_user_active(user_id: int):
    """Deactivate or reactivate an account."""
    user = db.get_or_404(User, user_id)
    try:
        accounts.set_active(user, request.form.get("active") == "1", changed_by=current_user)
    except accounts.AccountError as error:
        flash(str(error), "error")
    else:
        flash(_("Status akun diperbarui."), "success")
    return redirect(url_for("staff.user_detail", user_id=user.id))


def render_activation_code(issued: accounts.IssuedCode):
    """Render the one-time code with a copyable link and a WhatsApp link."""
    activation_url = accounts.activation_url(issued)
    response = render_template(
        "staff/activation_code.html",
        issued=issued,
        activation_url=activation_url,
        whatsapp_url=accounts.activation_whatsapp_link(issued, activation_url),
    )
    return response, 200, {"Cache-Control": "no-store"}


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
        moved = operations.move_enrollment(enrollment, db.session.get(Cohort, form.cohort_id.data),
                                           moved_by=current_user, reason=form.reason.data.strip())
    except enrollments.MoveError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s dipindah ke %(cohort)s.", name=user.name, cohort=moved.cohort.name), "success")
    return redirect(url_for("staff.user_detail", user_id=user.id))
