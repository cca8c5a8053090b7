"""module_progress, the dashboard's summary: kept by the writers, equal to the facts."""

from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, insert, select

from lms import create_app, progress
from lms.extensions import db
from lms.models import (
    Cohort,
    Enrollment,
    ModuleProgress,
    ModuleRead,
    QuizAttempt,
    QuizVersion,
    Review,
    Submission,
    User,
    utcnow,
)

PREVIOUS_REVISION = "6aa410ebb43d"  # the revision before module_progress existed


def summary_rows() -> set[tuple]:
    return set(db.session.execute(select(
        ModuleProgress.user_id, ModuleProgress.module_id, ModuleProgress.read_at, ModuleProgress.best_quiz_score,
        ModuleProgress.accepted_at)).all())


def fact_rows() -> set[tuple]:
    return set(db.session.execute(progress.facts_statement()).all())


def as_flags(rows: set[tuple]) -> set[tuple]:
    """Compare what the dashboard counts: which facts exist, and the best score."""
    return {(user, module, read is not None, score, accepted is not None)
            for user, module, read, score, accepted in rows}


def test_the_demo_seeds_writers_keep_the_summary_equal_to_the_facts(runner):
    result = runner.invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, result.output
    summary = summary_rows()
    assert len(summary) > 20  # reads, graded attempts and accepted work from every demo area
    assert {row[0] for row in summary if row[4] is not None}  # some accepted assignments
    assert as_flags(summary) == as_flags(fact_rows())


def test_facts_only_grow_whatever_the_order(app):
    user = User(name="Peserta", phone="+6281299990001", role="participant")
    db.session.add(user)
    db.session.commit()
    first, later = utcnow(), utcnow()
    progress.record_quiz_score(user.id, "orientasi", 80.0)
    progress.record_quiz_score(user.id, "orientasi", 60.0)
    progress.record_quiz_score(user.id, "orientasi", None)
    progress.record_read(user.id, "orientasi", first)
    progress.record_read(user.id, "orientasi", later)
    progress.record_accepted(user.id, "orientasi", first)
    progress.record_accepted(user.id, "orientasi", later)
    progress.record_quiz_score(user.id, "orientasi", 95.5)
    db.session.commit()
    row = db.session.get(ModuleProgress, (user.id, "orientasi"))
    assert (row.read_at, row.best_quiz_score, row.accepted_at) == (first, 95.5, first)


def test_rebuild_restores_a_damaged_summary(runner):
    runner.invoke(args=["lms", "seed-demo"])
    expected = summary_rows()
    db.session.execute(delete(ModuleProgress).where(ModuleProgress.module_id == "orientasi"))
    db.session.commit()
    assert summary_rows() != expected
    result = runner.invoke(args=["lms", "progress", "rebuild"])
    assert result.exit_code == 0 and f"{len(expected)} row(s)" in result.output
    assert as_flags(summary_rows()) == as_flags(expected)


@pytest.fixture
def scratch_app(tmp_path):
    """An app on its own SQLite file, for walking migrations down and up."""
    scratch = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'scratch.sqlite3'}"})
    with scratch.app_context():
        upgrade()
        yield scratch
        db.session.remove()
        db.engine.dispose()


def test_the_migration_fills_the_summary_and_the_waits_from_existing_rows(app, scratch_app):
    now = utcnow()
    with scratch_app.app_context():
        connection = db.session.connection()
        connection.execute(insert(User), [dict(id=1, name="Mentor", phone="+6281100000001", role="mentor"),
                                          dict(id=2, name="Peserta", phone="+6281200000002", role="participant")])
        connection.execute(insert(Cohort), [dict(id=1, name="Kohort", slug="kohort", course_id="ftd-umkm",
                                                 start_date=date(2026, 11, 2), bootcamp_date=date(2026, 11, 16),
                                                 graduation_date=date(2026, 12, 14), signatory1_name="",
                                                 signatory1_title="", signatory2_name="", signatory2_title="")])
        connection.execute(insert(Enrollment), [dict(id=1, cohort_id=1, user_id=2, status="active")])
        connection.execute(insert(QuizVersion), [dict(id=1, module_id="orientasi", version="v1", snapshot={})])
        connection.execute(insert(ModuleRead), [dict(user_id=2, module_id="orientasi", module_version="v1",
                                                     read_at=now)])
        connection.execute(insert(QuizAttempt), [
            dict(user_id=2, course_id="ftd-umkm", module_id="orientasi", quiz_version_id=1, number=n,
                 choice_order={}, draft_answers={}, started_at=now, submitted_at=now, score=score)
            for n, score in ((1, 40.0), (2, 85.0))])
        connection.execute(insert(Submission), [
            dict(id=1, user_id=2, enrollment_id=1, module_id="landing-page", assignment_version="v1",
                 assignment_snapshot={}, version_no=1, client_token="t1", status="accepted",
                 created_at=now.replace(hour=1, minute=0, second=0, microsecond=0))])
        connection.execute(insert(Review), [
            dict(submission_id=1, mentor_id=1, decision="accepted", scores={}, total_points=1, max_points=1,
                 created_at=now.replace(hour=7, minute=30, second=0, microsecond=0))])
        db.session.commit()
        downgrade(revision=PREVIOUS_REVISION)
        upgrade()
        assert as_flags(summary_rows()) == {(2, "orientasi", True, 85.0, False), (2, "landing-page", False, None, True)}
        assert db.session.scalar(select(Review.waited_hours)) == pytest.approx(6.5)
