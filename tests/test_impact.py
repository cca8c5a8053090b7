"""Survey answers stored in versions, and the cohort report computed from the newest ones."""

import json

from sqlalchemy import func, select

from lms.extensions import db
from lms.impact.operations import save_answers
from lms.impact.report import impact_report
from lms.learn.store import get_content
from lms.models import AuditEvent, SurveyResponse
from tests.conftest import enroll_participant, make_cohort, make_user


def survey():
    return get_content().library.surveys["dampak-umkm"]


def answers(revenue, employees=1, channels=("whatsapp",), legality=()):
    return {"omzet": revenue, "karyawan": employees, "kanal": list(channels), "legalitas": list(legality),
            "pola-konten": 2, "pola-pelanggan": 3, "pola-data": 2, "pola-online": 3}


def test_a_second_answer_is_a_new_version_and_the_newest_counts(app):
    cohort = make_cohort()
    user = make_user()
    enroll_participant(user, cohort)
    save_answers(user, cohort, "baseline", survey(), answers(1_000_000), submit=True)
    save_answers(user, cohort, "endline", survey(), answers(1_500_000), submit=True)
    save_answers(user, cohort, "endline", survey(), answers(3_000_000), submit=True)  # a correction
    rows = db.session.scalars(select(SurveyResponse).where(SurveyResponse.wave == "endline")
                              .order_by(SurveyResponse.version_no)).all()
    assert [(r.version_no, r.answers["omzet"]) for r in rows] == [(1, 1_500_000), (2, 3_000_000)]
    assert impact_report(cohort, survey())["revenue_mean_pct_change"] == 200
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "survey.submitted")) == 3


def test_a_draft_is_kept_in_place_until_submitted_and_does_not_count(app):
    cohort = make_cohort()
    user = make_user()
    enroll_participant(user, cohort)
    save_answers(user, cohort, "baseline", survey(), {"omzet": 5}, submit=False)
    draft = save_answers(user, cohort, "baseline", survey(), {"omzet": 7}, submit=False)
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
    assert impact_report(cohort, survey())["respondents_baseline"] == 0
    submitted = save_answers(user, cohort, "baseline", survey(), answers(9), submit=True)
    assert submitted.id == draft.id and submitted.status == "submitted"


def test_proxy_entry_records_who_entered_it(app):
    cohort = make_cohort()
    user, mentor = make_user(), make_user("mentor")
    enroll_participant(user, cohort, mentor=mentor)
    response = save_answers(user, cohort, "baseline", survey(), answers(1), submit=True, source="proxy",
                            entered_by=mentor)
    assert (response.source, response.entered_by_id) == ("proxy", mentor.id)


def build_cohort_with_comparison():
    cohort = make_cohort()
    people = []
    for number, (base, end, status) in enumerate([(1_000_000, 2_000_000, "active"), (2_000_000, 3_000_000, "active"),
                                                  (0, 1_000_000, "graduated"), (100_000, 5_000_000, "active"),
                                                  (1_000_000, 1_100_000, "registered"),
                                                  (1_000_000, 1_000_000, "registered")]):
        user = make_user(regency_code="1201" if number % 2 else "1271", sector="kuliner")
        enroll_participant(user, cohort, status=status)
        save_answers(user, cohort, "baseline", survey(), answers(base, channels=()), submit=True)
        save_answers(user, cohort, "endline", survey(), answers(end, employees=2, channels=("shopee",),
                                                                legality=("nib",)), submit=True)
        people.append(user)
    silent = make_user()
    enroll_participant(silent, cohort)  # enrolled, never answered: lowers the response rate
    return cohort, people


def test_the_report_separates_participants_from_the_comparison_group(app):
    cohort, people = build_cohort_with_comparison()
    report = impact_report(cohort, survey())
    assert report["respondents_endline"] == 4 and report["enrolled"] == 5 and report["response_rate"] == 80
    assert report["excluded_zero_baseline"] == 1 and report["revenue_n"] == 3
    assert report["revenue_median_pct_change"] == 100  # +100, +50, +4900
    assert report["jobs_created"] == 4 and report["marketplace_onboarded"] == 4
    assert report["legality_gained"]["nib"] == 4
    assert report["comparison_respondents"] == 2
    assert report["comparison"]["revenue_median_pct_change"] == 5
    assert report["did_revenue_median_pct_change"] == 95
    assert [item["phone"] for item in report["extreme_changes"]] == [people[3].phone]


def test_report_filters_by_regency(app):
    cohort, _people = build_cohort_with_comparison()
    medan = impact_report(cohort, survey(), regency_code="1271")
    assert medan["respondents_endline"] == 2  # participants 0 and 2; 4 is comparison


def test_cli_prints_json_rounded_with_the_extreme_changes(app, runner):
    cohort, people = build_cohort_with_comparison()
    result = runner.invoke(args=["lms", "impact", "report", "--cohort", cohort.slug, "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["revenue_mean_pct_change"] == round((100 + 50 + 4900) / 3, 1)
    assert figures["did_revenue_median_pct_change"] == 95
    assert figures["extreme_changes"][0]["phone"] == people[3].phone
    assert runner.invoke(args=["lms", "impact", "report", "--cohort", "tidak-ada"]).exit_code == 1


def test_report_query_count_does_not_grow_with_size(app):
    from sqlalchemy import event

    cohort, _people = build_cohort_with_comparison()
    get_content()
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        impact_report(cohort, survey())
        small = len(statements)
        for _ in range(5):
            user = make_user()
            enroll_participant(user, cohort)
            save_answers(user, cohort, "baseline", survey(), answers(5), submit=True)
        statements.clear()
        impact_report(cohort, survey())
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == small
