"""Staff pages for allocating participants to mentors (routes on the staff blueprint)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms import regions
from lms.assignments import allocation_operations as allocating
from lms.assignments.forms import HandAllocationForm, SplitForm
from lms.choices import select_choices
from lms.extensions import db
from lms.models import Cohort
from lms.security import is_safe_next
from lms.staff.blueprint import bp


def mentor_choices(mentors) -> list:
    """Return select options for the mentors who can take participants."""
    return select_choices([(m.id, m.name) for m in mentors])


def split_form(mentors, formdata):
    """Build the split form from GET or POST data; every mentor is ticked the first time."""
    # The preview is a GET form (nothing changes); only applying the plan needs the CSRF token.
    form = SplitForm(formdata=formdata or None, meta={} if request.method == "POST" else {"csrf": False})
    form.mentor_ids.choices = mentor_choices(mentors)
    if not formdata:
        form.mentor_ids.data = [m.id for m in mentors]
    return form


@bp.get("/alokasi-mentor")
def allocation_index():
    """List the cohorts, each leading to its mentor allocation page."""
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.start_date.desc(), Cohort.id.desc())).all()
    return render_template("staff/allocation_index.html", cohorts=cohorts)


@bp.get("/kohort/<int:cohort_id>/mentor")
def allocation(cohort_id: int):
    """Show a cohort's participants with their mentor, filters, and the mentors' loads."""
    cohort = db.get_or_404(Cohort, cohort_id)
    regency, mentor_filter = request.args.get("regency", "")[:4], request.args.get("mentor", "")[:12]
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and int(page) > 0 else 1
    rows, total = allocating.allocation_rows(cohort, regency_code=regency, mentor_filter=mentor_filter, page=page)
    mentors = allocating.active_mentors()
    form = HandAllocationForm()
    form.mentor_id.choices = mentor_choices(mentors)
    return render_template(
        "staff/allocation.html", cohort=cohort, rows=rows, total=total, page=page, per_page=allocating.PER_PAGE,
        mentors=mentors, mentor_names={m.id: m.name for m in mentors}, loads=allocating.mentor_loads(cohort),
        loads_elsewhere=allocating.mentor_loads_elsewhere(cohort), inactive=allocating.never_activated_mentors(),
        form=form, regency=regency, mentor_filter=mentor_filter, regency_choices=regions.regency_choices(),
    )


@bp.post("/kohort/<int:cohort_id>/mentor")
def allocate_selected(cohort_id: int):
    """Allocate the ticked participants of a cohort to one mentor, by hand."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = HandAllocationForm()
    mentors = allocating.active_mentors()
    form.mentor_id.choices = mentor_choices(mentors)
    chosen = [int(v) for v in request.form.getlist("enrollment_id") if v.isdigit()]
    if not form.validate_on_submit() or not chosen:
        flash(_("Centang minimal satu peserta dan pilih mentornya."), "error")
        return redirect(url_for("staff.allocation", cohort_id=cohort.id))
    mentor = next(m for m in mentors if m.id == form.mentor_id.data)
    changed = allocating.allocate_by_hand(cohort, chosen, mentor, assigned_by=current_user)
    flash(_("%(count)s peserta dialokasikan ke %(name)s.", count=changed, name=mentor.name), "success")
    return redirect(request.form.get("back") if is_safe_next(request.form.get("back"))
                    else url_for("staff.allocation", cohort_id=cohort.id))


@bp.get("/kohort/<int:cohort_id>/mentor/otomatis")
def allocation_plan(cohort_id: int):
    """Preview the automatic balanced split (regency first, then load) before applying it."""
    cohort = db.get_or_404(Cohort, cohort_id)
    mentors = allocating.active_mentors()
    form = split_form(mentors, request.args)
    plan = summary = None
    moves = 0
    if request.args and form.validate():
        plan = allocating.plan_split(cohort, form.mentor_ids.data, keep_existing=form.mode.data == "keep",
                                    active_mentor_ids=[m.id for m in mentors])
        summary = plan_summary(cohort, plan, mentors)
        current = {c.enrollment_id: c.current_mentor_id for c in allocating.candidates(cohort)}
        moves = sum(1 for eid, mid in plan.items() if current.get(eid) != mid)
    return render_template("staff/allocation_plan.html", cohort=cohort, form=form, plan=plan, summary=summary,
                           moves=moves, unknown_regency=unknown_regency_count(cohort, plan),
                           inactive=allocating.never_activated_mentors())


@bp.post("/kohort/<int:cohort_id>/mentor/otomatis")
def allocate_auto(cohort_id: int):
    """Apply the automatic balanced split; every change keeps its history and an audit row."""
    cohort = db.get_or_404(Cohort, cohort_id)
    mentors = allocating.active_mentors()
    form = split_form(mentors, request.form)
    if not form.validate_on_submit():
        return render_template("staff/allocation_plan.html", cohort=cohort, form=form, plan=None, summary=None,
                               moves=0, unknown_regency=0, inactive=allocating.never_activated_mentors())
    plan = allocating.plan_split(cohort, form.mentor_ids.data, keep_existing=form.mode.data == "keep",
                                    active_mentor_ids=[m.id for m in mentors])
    changed = allocating.apply_allocations(cohort, plan, assigned_by=current_user)
    flash(_("Pembagian otomatis selesai: %(count)s peserta mendapat mentor baru.", count=changed), "success")
    return redirect(url_for("staff.allocation", cohort_id=cohort.id))


def unknown_regency_count(cohort: Cohort, plan: dict[int, int] | None) -> int:
    """Count the plan's participants whose regency is unknown (they are split by load alone)."""
    if not plan:
        return 0
    return sum(1 for c in allocating.candidates(cohort) if c.enrollment_id in plan and not c.regency_code)


def plan_summary(cohort: Cohort, plan: dict[int, int], mentors) -> list[dict]:
    """Return, per mentor, the load across all cohorts before and after the plan and the regencies they get."""
    here, elsewhere = allocating.mentor_loads(cohort), allocating.mentor_loads_elsewhere(cohort)
    regency_of = {c.enrollment_id: c.regency_code for c in allocating.candidates(cohort)}
    summary = []
    for mentor in mentors:
        mine = [eid for eid, mid in plan.items() if mid == mentor.id]
        codes = sorted({regency_of.get(eid) or "" for eid in mine})
        other = elsewhere.get(mentor.id, 0)
        summary.append({"mentor": mentor, "before": other + here.get(mentor.id, 0), "after": other + len(mine),
                        "elsewhere": other,
                        "regencies": [regions.REGENCY_BY_CODE[c].label for c in codes if c in regions.REGENCY_BY_CODE]})
    return summary

