"""The staff dashboard of a cohort: funnel, modules, regencies, mentors, participants at risk."""

from flask import render_template, request
from flask_babel import gettext as _

from lms.choices import STATUS_LABELS
from lms.extensions import db
from lms.models import Cohort
from lms.staff.blueprint import bp
from lms.staff.dashboard import queries
from lms.staff.dashboard.charts import Bar, bar_chart
from lms.templating import number


@bp.get("/kohort/<int:cohort_id>")
def cohort_dashboard(cohort_id: int):
    """Show the funnel, completion per module, progress per regency, mentors and participants at risk."""
    cohort = db.get_or_404(Cohort, cohort_id)
    days = request.args.get("hari", queries.DEFAULT_AT_RISK_DAYS, type=int)
    board = queries.cohort_dashboard(cohort, at_risk_days=min(max(days, 1), 90))
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    funnel_chart = bar_chart([Bar(labels[s], n, number(n)) for s, n in board.funnel.items()],
                             title=_("Peserta per status"))
    regency_chart = bar_chart(
        [Bar(row.short_label or _("Tidak diketahui"), row.percent, f"{number(row.percent)}%")
         for row in board.regencies],
        title=_("Kemajuan per kabupaten/kota"), maximum=100,
    )
    return render_template("staff/dashboard.html", cohort=cohort, board=board, funnel_chart=funnel_chart,
                           regency_chart=regency_chart)
