"""Staff pages for cohorts: the list, creating one and editing one."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.extensions import db
from lms.learn.store import get_content
from lms.main.queries import cohort_status_counts
from lms.models import Cohort
from lms.staff.blueprint import bp
from lms.staff.cohorts import operations
from lms.staff.cohorts.forms import CohortForm


def course_choices() -> list[tuple[str, str]]:
    """Return (course id, title) of every published course."""
    courses = get_content().library.courses
    return [(course_id, f"{course.title} ({course_id})") for course_id, course in sorted(courses.items())]


@bp.get("/kohort")
def cohorts_list():
    """List cohorts with their number of participants per status."""
    return render_template("staff/cohorts.html", cohorts=cohort_status_counts())


@bp.route("/kohort/baru", methods=["GET", "POST"])
def create_cohort():
    """Create a cohort."""
    form = CohortForm(courses=course_choices())
    if form.validate_on_submit():
        cohort = operations.save_cohort(None, form.data, saved_by=current_user)
        flash(_("Kohort %(name)s dibuat.", name=cohort.name), "success")
        return redirect(url_for("staff.cohort_dashboard", cohort_id=cohort.id))
    return render_template("staff/cohort_form.html", form=form, cohort=None)


@bp.route("/kohort/<int:cohort_id>/ubah", methods=["GET", "POST"])
def edit_cohort(cohort_id: int):
    """Edit a cohort's course, dates, capacity and signatories."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = CohortForm(obj=cohort, cohort_id=cohort.id, courses=course_choices())
    if form.validate_on_submit():
        operations.save_cohort(cohort, form.data, saved_by=current_user)
        flash(_("Kohort disimpan."), "success")
        return redirect(url_for("staff.cohort_dashboard", cohort_id=cohort.id))
    return render_template("staff/cohort_form.html", form=form, cohort=cohort)
