"""The schema matches the migrations; enrollment and allocation keep their history."""

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from lms import seed
from lms.database import is_sqlite, write_transaction
from lms.enrollments import allocate_mentor, can_transition, change_status
from lms.extensions import db
from lms.models import EnrollmentStatusChange, MentorAllocation, Role, User
from tests.conftest import enroll_participant, make_cohort, make_user


def test_models_match_the_migration_head(app):
    """Runs on whichever database the suite uses: SQLite, or PostgreSQL in the PG pass."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("registered", "selected", True),
        ("selected", "active", True),
        ("active", "graduated", True),
        ("active", "withdrawn", True),
        ("registered", "active", False),
        ("graduated", "withdrawn", False),
        ("withdrawn", "registered", True),
    ],
)
def test_status_transitions(current, target, allowed):
    assert can_transition(current, target) is allowed


def test_status_history_is_kept(app):
    staff = make_user(Role.STAFF)
    enrollment = enroll_participant(make_user(), make_cohort(), status="registered")
    change_status(enrollment, "selected", changed_by=staff, reason="lolos kurasi")
    change_status(enrollment, "active", changed_by=staff)
    db.session.commit()
    history = db.session.scalars(select(EnrollmentStatusChange.to_status).order_by(EnrollmentStatusChange.id)).all()
    assert history == ["registered", "selected", "active"]
    with pytest.raises(ValueError, match="not allowed"):
        change_status(enrollment, "registered", changed_by=staff)


def test_reallocation_keeps_history_and_one_open_row(app):
    first, second = make_user(Role.MENTOR), make_user(Role.MENTOR)
    enrollment = enroll_participant(make_user(), make_cohort(), mentor=first)
    allocate_mentor(enrollment, second, assigned_by=None)
    db.session.commit()
    rows = db.session.scalars(select(MentorAllocation).order_by(MentorAllocation.id)).all()
    assert [(r.mentor_id, r.ended_at is None) for r in rows] == [(first.id, False), (second.id, True)]
    assert enrollment.current_mentor_allocation().mentor_id == second.id


def test_seed_demo_is_idempotent(app, runner):
    first = runner.invoke(args=["lms", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert "081200000020" in first.output and "demo12345" in first.output
    counts = db.session.query(User).count()
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    assert db.session.query(User).count() == counts >= 23
    demo_phones = [f"+62{number[1:]}" for role, number, _name in seed.demo_logins() if role == "peserta"]
    participants = db.session.scalars(select(User).where(User.phone.in_(demo_phones))).all()
    assert len(participants) == 20
    assert len({p.profile.regency_code for p in participants}) >= 10
    assert all(p.check_password(seed.DEMO_PASSWORD) for p in participants[:2])
    # current_enrollment: participant 1 is also registered in a second demo cohort (no mentor there), and
    # PostgreSQL returns a person's enrollments in no fixed order.
    mentors = {p.current_enrollment().current_mentor_allocation().mentor_id for p in participants}
    assert len(mentors) == 2


def test_every_demo_login_works(app, runner):
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    for _role, number, _name in seed.demo_logins():
        client = app.test_client()
        response = client.post("/masuk", data={"identifier": number, "password": seed.DEMO_PASSWORD})
        assert response.status_code == 302, number


def test_write_transaction_takes_the_write_lock_up_front(app):
    """On SQLite, BEGIN IMMEDIATE: a second writer cannot start until the first commits."""
    if not is_sqlite():
        pytest.skip("SQLite-specific locking; PostgreSQL uses row locks")
    path = db.engine.url.database
    with write_transaction() as session:
        session.execute(select(User.id)).all()  # only a read so far, yet the lock is held
        other = sqlite3.connect(path, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
