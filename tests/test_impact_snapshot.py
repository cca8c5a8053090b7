"""The stored report figures: read back exactly, recomputed when what they come from changes, the PDF kept."""

from sqlalchemy import event, insert, select

from lms.enrollments import change_status
from lms.extensions import db
from lms.impact import queries, snapshot
from lms.impact.indicators import rounded
from lms.impact.operations import save_answers
from lms.impact.report import impact_report
from lms.models import ImpactReportSnapshot, Role, SurveyResponse
from tests.conftest import enroll_participant, login, make_user
from tests.test_impact import answers, build_cohort_with_comparison, survey


def stored_stamp(cohort):
    return db.session.scalar(select(ImpactReportSnapshot.stamp).where(ImpactReportSnapshot.cohort_id == cohort.id))


def live(cohort, **filters):
    return rounded(impact_report(cohort, survey(), **filters))


def snap(cohort, **filters):
    return rounded(snapshot.report_figures(cohort, survey(), **filters))


def test_a_submitted_answer_refreshes_the_stored_figures_through_the_queue(app):
    cohort, _people = build_cohort_with_comparison()
    before = stored_stamp(cohort)
    assert before is not None  # every submission queued a refresh (tests run the queue inline)
    user = make_user(regency_code="1271", sector="kuliner")
    enroll_participant(user, cohort)
    save_answers(user, cohort, "baseline", survey(), answers(400_000), submit=True)
    assert stored_stamp(cohort) not in (None, before)
    assert snap(cohort) == live(cohort)
    assert snapshot.refresh(cohort, survey()) == "already fresh"


def test_figures_are_recomputed_when_inputs_change_behind_the_queue(app):
    cohort, people = build_cohort_with_comparison()
    first = snap(cohort)
    # An answer written without the operation (no refresh queued): the stamp still sees it.
    db.session.execute(insert(SurveyResponse), [{
        "user_id": people[0].id, "cohort_id": cohort.id, "wave": "endline", "version_no": 9, "status": "submitted",
        "survey_id": "dampak-umkm", "survey_version": 1, "source": "import", "answers": answers(9_000_000)}])
    db.session.commit()
    second = snap(cohort)
    assert second != first and second == live(cohort)
    # A participant moved to the comparison group, a regency edited: both change the figures.
    enrollment = people[1].enrollments[0]
    change_status(enrollment, "withdrawn", changed_by=None)
    db.session.commit()
    assert snap(cohort) == live(cohort) != second
    people[2].profile.regency_code = "1201"
    db.session.commit()
    assert snap(cohort, regency_code="1201") == live(cohort, regency_code="1201")
    assert snap(cohort, sector="kuliner") == live(cohort, sector="kuliner")
    assert snap(cohort, regency_code="1201", sector="kuliner") == live(cohort, regency_code="1201", sector="kuliner")
    assert snap(cohort, regency_code="9999") == live(cohort, regency_code="9999")


def test_a_fresh_report_reads_no_answers(app):
    cohort, _people = build_cohort_with_comparison()
    queries.report_page(cohort, survey())
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        queries.report_page(cohort, survey())
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert not [s for s in statements if "survey_response.answers" in s]
    assert len([s for s in statements if s != "BEGIN"]) <= 3  # the cohort, the change counts, the snapshot


def test_the_pdf_is_kept_until_the_figures_change(app, client):
    cohort, people = build_cohort_with_comparison()
    login(client, make_user(Role.STAFF))
    first = client.get(f"/staf/kohort/{cohort.id}/dampak.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    kept = db.session.get(ImpactReportSnapshot, cohort.id)
    assert kept.pdf == first.data and kept.pdf_key
    assert client.get(f"/staf/kohort/{cohort.id}/dampak.pdf").data == first.data
    save_answers(people[0], cohort, "endline", survey(), answers(7_000_000), submit=True)
    db.session.expire_all()
    assert db.session.get(ImpactReportSnapshot, cohort.id).pdf is None  # new figures: the old PDF is dropped
    assert client.get(f"/staf/kohort/{cohort.id}/dampak.pdf").status_code == 200


def test_the_worker_lays_out_the_pdf_after_recomputing(app):
    from lms.impact.tasks import lay_out_pdf

    cohort, _people = build_cohort_with_comparison()
    lay_out_pdf(cohort, survey())
    kept = db.session.get(ImpactReportSnapshot, cohort.id)
    assert kept.pdf.startswith(b"%PDF") and kept.stamp == snapshot.input_stamp(cohort, survey())


def test_a_new_knowledge_result_makes_new_figures_and_a_new_pdf(app, client):
    """The knowledge section is stored with the figures: a new pre- or post-test makes them (and the PDF) new."""
    from lms.knowledge import operations as knowledge_operations
    from lms.knowledge.queries import course_tests, report_section

    cohort, people = build_cohort_with_comparison()
    login(client, make_user(Role.STAFF))
    assert client.get(f"/staf/kohort/{cohort.id}/dampak.pdf").status_code == 200
    first_key = db.session.get(ImpactReportSnapshot, cohort.id).pdf_key
    assert queries.report_page(cohort, survey())["knowledge"]["respondents_pre"] == 0
    tests = course_tests(cohort.course_id)
    knowledge_operations.submit_test(people[0], cohort, "pre", tests, {})
    report = queries.report_page(cohort, survey())
    assert report["knowledge"] == report_section(cohort) and report["knowledge"]["respondents_pre"] == 1
    assert client.get(f"/staf/kohort/{cohort.id}/dampak.pdf").status_code == 200
    db.session.expire_all()
    assert db.session.get(ImpactReportSnapshot, cohort.id).pdf_key != first_key
