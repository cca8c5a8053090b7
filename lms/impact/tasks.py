"""Queue tasks of the impact area: survey reminders, and recomputing a cohort's stored report figures."""

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from huey import crontab

from lms.extensions import db
from lms.impact import outputs, queries, reminders, snapshot
from lms.impact.charts import report_charts
from lms.impact.labels import wave_label
from lms.impact.queries import current_survey, wib_today
from lms.impact.snapshot import REFRESH_TASK
from lms.models import Cohort, utcnow
from lms.queue import is_immediate, periodic_task, task


# 01:00 UTC is 08:00 WIB: the notice and the WhatsApp list are ready when staff start the day.
@periodic_task("impact.survey_reminders", crontab(hour="1", minute="0"),
               label=_l("Mengingatkan peserta yang belum mengisi survei yang sedang dibuka"),
               when="daily 01:00 UTC (08:00 WIB)")
def send_survey_reminders() -> str:
    """Remind, once per wave, every participant whose survey wave is open and not answered."""
    return f"{reminders.send_reminders(wib_today(utcnow()))} reminder(s)"


@task(REFRESH_TASK)
def refresh_report(cohort_id: int) -> str:
    """Recompute a cohort's stored impact figures after new answers (skipped when they are still fresh)."""
    cohort, survey = db.session.get(Cohort, cohort_id), current_survey()
    if cohort is None or survey is None:
        return "no such cohort or survey"
    outcome = snapshot.refresh(cohort, survey)
    if outcome == "recomputed" and not is_immediate():  # tests run tasks inline: no WeasyPrint on every answer
        started = time.perf_counter()
        lay_out_pdf(cohort, survey)
        outcome += f", PDF laid out in {1000 * (time.perf_counter() - started):.0f} ms"
    return outcome


def lay_out_pdf(cohort: Cohort, survey) -> None:
    """Lay out the report's PDF in the default locale now, so staff download a kept one."""
    with current_app.test_request_context():
        report = queries.report_page(cohort, survey)
        charts = report_charts(report["waves"], report["distribution"], wave_label)
        labels = {q.id: q.text for q in survey.by_measure("pola_pikir")}
        outputs.kept_report_pdf(cohort, report, charts, labels)
