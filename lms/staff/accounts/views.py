"""The staff console: accounts (cohorts, imports and dashboards build on this)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from lms import accounts
from lms.choices import select_choices
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import Cohort, Role, User
from lms.security import require_roles
from lms.staff import operations
from lms.staff.forms import CreateUserForm

bp = Blueprint("staff", __name__)
bp.before_request(require_roles(Role.STAFF))
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
    issued = accounts.issue_activation_code(user, created_by=current_user)
    db.session.commit()
    return render_activation_code(issued)


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


@bp.get("/konten")
def content():
    """Show the published courses and modules, and every content problem with file and line."""
    published = get_content()
    return render_template("staff/content.html", published=published)


# The other staff pages live in their own modules and add routes to this blueprint.
from lms.staff import allocation_views, console_views  # noqa: E402, F401
