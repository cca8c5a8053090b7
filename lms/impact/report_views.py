"""Staff report pages: a cohort's report with charts, its PDF and XLSX, and several cohorts side by side."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from lms import audit
from lms.extensions import db
from lms.impact import bp, outputs, queries
from lms.impact.charts import compare_chart, report_charts
from lms.impact.labels import wave_label
from lms.models import Cohort

NO_STORE = {"Cache-Control": "no-store"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COMPARED = 6


def survey_or_404():
    survey = queries.current_survey()
    if survey is None:
        abort(404)
    return survey


def staff_only() -> None:
    if not current_user.is_staff:
        abort(403)


def cohort_report_data(cohort_id: int):
    """The cohort (or 404), its report figures, charts and the mindset item labels."""
    staff_only()
    cohort = db.get_or_404(Cohort, cohort_id)
    survey = survey_or_404()
    report = queries.report_page(cohort, survey)
    charts = report_charts(report["waves"], report["distribution"], wave_label)
    return cohort, report, charts, {q.id: q.text for q in survey.by_measure("pola_pikir")}


@bp.get("/staf/kohort/<int:cohort_id>/dampak")
def cohort_report(cohort_id: int):
    """The cohort's impact report: every figure with its n, mean and median, charts, the comparison group, checks."""
    cohort, report, charts, labels = cohort_report_data(cohort_id)
    return render_template("impact/report.html", cohort=cohort, report=report, charts=charts, mindset_labels=labels,
                           methods=outputs.methods_note(), knowledge=report["knowledge"])


@bp.get("/staf/kohort/<int:cohort_id>/dampak.pdf")
def report_pdf(cohort_id: int):
    """The cohort's impact report as a PDF with the Dinas letterhead."""
    cohort, report, charts, labels = cohort_report_data(cohort_id)
    body = outputs.kept_report_pdf(cohort, report, charts, labels)
    audit.record_access("impact_report", cohort, format="pdf")
    return download(body, f"laporan-dampak-{cohort.slug}.pdf", "application/pdf")


@bp.get("/staf/kohort/<int:cohort_id>/dampak.xlsx")
def report_xlsx(cohort_id: int):
    """Every figure of the report and the anonymised paired data as an XLSX workbook."""
    cohort, report, _charts, labels = cohort_report_data(cohort_id)
    report["participants"] = queries.paired_participants(cohort, survey_or_404())
    body = outputs.report_xlsx(cohort, report, labels, wave_label)
    audit.record_access("impact_report", cohort, format="xlsx")
    return download(body, f"laporan-dampak-{cohort.slug}.xlsx", XLSX_TYPE)


def download(body: bytes, filename: str, content_type: str) -> Response:
    return Response(body, content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE})


@bp.get("/staf/dampak")
def compare_cohorts():
    """Several cohorts' headline figures side by side (chosen with ?kohort=<id>, up to six)."""
    staff_only()
    survey = survey_or_404()
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.start_date.desc(), Cohort.id)).all()
    chosen_ids = {int(v) for v in request.args.getlist("kohort") if v.isdigit()}
    chosen = [c for c in cohorts if c.id in chosen_ids][:MAX_COMPARED]
    figures = [(cohort, queries.cohort_figures(cohort, survey)) for cohort in chosen]
    return render_template("impact/compare.html", cohorts=cohorts, chosen=chosen, figures=figures,
                           chart=compare_chart(figures) if figures else None, too_many=len(chosen_ids) > MAX_COMPARED)
