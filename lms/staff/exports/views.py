"""Staff pages for a cohort's exports (CSV and XLSX)."""

from flask import abort, render_template

from lms import audit
from lms.extensions import db
from lms.models import Cohort
from lms.staff.blueprint import bp
from lms.staff.downloads import download
from lms.staff.exports import datasets


@bp.get("/kohort/<int:cohort_id>/ekspor")
def exports_page(cohort_id: int):
    """List the exports of a cohort."""
    cohort = db.get_or_404(Cohort, cohort_id)
    return render_template("staff/exports.html", cohort=cohort, datasets=datasets.DATASETS, formats=datasets.FORMATS)


@bp.get("/kohort/<int:cohort_id>/ekspor/<dataset>.<fmt>")
def export_file(cohort_id: int, dataset: str, fmt: str):
    """Download one export as CSV or XLSX."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if dataset not in datasets.DATASETS or fmt not in datasets.FORMATS:
        abort(404)
    body, filename = datasets.build_export(cohort, dataset, fmt)
    audit.record_access("export", cohort, dataset=dataset, format=fmt)
    return download(body, filename, fmt)
