"""The staff page of the audit log, filtered by action, actor, object and date."""

from flask import render_template, request

from lms.extensions import db
from lms.staff.audit import display, queries
from lms.staff.audit.forms import AuditFilterForm
from lms.staff.blueprint import bp

AUDIT_PER_PAGE = 50


@bp.get("/audit")
def audit_events():
    """Show the audit log, filtered by action, actor, object and date."""
    actions, object_types = queries.known_values()
    form = AuditFilterForm(request.args, actions=actions, object_types=object_types)
    filters = queries.AuditFilters()
    if form.validate():
        filters = queries.AuditFilters(action=form.action.data or "", actor=form.actor.data or "",
                                         object_type=form.object_type.data or "", object_id=form.object_id.data or "",
                                         date_from=form.date_from.data, date_to=form.date_to.data)
    page = db.paginate(queries.audit_query(filters), per_page=AUDIT_PER_PAGE, error_out=False)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("staff/audit.html", form=form, page=page, args=args,
                           rows=display.event_views(list(page.items)))
