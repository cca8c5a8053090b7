"""Shared fixtures: an app on a migrated database, factories, and a login helper.

The schema is built once per test session through the real Alembic migrations
(SQLite by default, PostgreSQL when LMS_TEST_DATABASE_URL is set); after each
test every table is emptied, so tests never see each other's rows.
"""

import itertools
import os
import sys
from datetime import date

import pytest
import yaml
from flask import g
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from lms import PROJECT_ROOT, create_app
from lms.extensions import db
from lms.models import Cohort, Role

TEST_PASSWORD = "rahasia123"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """Return the test database URL, migrated to the head revision."""
    url = os.environ.get("LMS_TEST_DATABASE_URL")
    if url:
        url = "postgresql+psycopg://" + url.split("://", 1)[1] if url.startswith("postgres") else url
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    return url


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with an empty `g`.

    The fixture keeps an app context open for the whole test, and Flask reuses
    it for requests; without this, Flask-Login's per-request user cache would
    survive from one request to the next and hide a revoked session.
    """

    def open(self, *args, **kwargs):
        for key in list(g):
            g.pop(key)
        return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, tmp_path):
    """Return an app bound to the migrated test database; tables are emptied afterwards."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "UPLOAD_ROOT": str(tmp_path / "uploads"),
            "CERTIFICATE_ROOT": str(tmp_path / "certificates"),
            "IMPORT_ROOT": str(tmp_path / "imports"),
            "CREDENTIAL_KEY_DIR": str(tmp_path / "credential-keys"),
            "JOBS_RUN_INLINE": True,
        }
    )
    app.test_client_class = FreshRequestClient
    with app.app_context():
        yield app
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build extra apps on the test database with other settings; their pools are closed afterwards.

    An extra app has its own engine: a PostgreSQL connection left for the garbage
    collector raises a ResourceWarning, which fails whichever test is running then.
    """
    created = []

    def factory(**overrides):
        settings = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False,
                    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "UPLOAD_ROOT": str(tmp_path / "uploads")}
        extra = create_app(settings | overrides)
        created.append(extra)
        return extra

    yield factory
    for extra in created:
        with extra.app_context():
            db.engine.dispose()


def empty_all_tables() -> None:
    """Delete every row, children first, keeping the migrated schema."""
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _shared_phone_numbers() -> itertools.count:
    """One counter for both copies of this file.

    pytest loads this file as `conftest` (for the fixtures), and test modules import it
    again as `tests.conftest` (for the factories). With a counter each, `world`'s users
    and a test's own `make_user` drew the same numbers, and a test failed or passed
    depending on which tests ran before it.
    """
    other = sys.modules.get("tests.conftest" if __name__ == "conftest" else "conftest")
    return getattr(other, "_phone_numbers", None) or itertools.count(1)


_phone_numbers = _shared_phone_numbers()


def make_user(role: str = Role.PARTICIPANT, *, name: str | None = None, phone: str | None = None,
              password: str | None = TEST_PASSWORD, **profile):
    """Create and commit a user with a unique phone number (factory)."""
    from lms import accounts

    number = next(_phone_numbers)
    user = accounts.create_user(
        name=name or f"{role.title()} {number}",
        phone_text=phone or f"0857{number:08d}",
        role=role,
        password=password,
    )
    for key, value in profile.items():
        setattr(user.profile, key, value)
    db.session.commit()
    return user


def make_cohort(slug: str = "ftd-test", course_id: str = "ftd-umkm", **fields) -> Cohort:
    """Create and commit a cohort (factory)."""
    cohort = Cohort(
        name=fields.pop("name", f"Kohort {slug}"),
        slug=slug,
        course_id=course_id,
        start_date=date(2026, 11, 2),
        bootcamp_date=date(2026, 11, 16),
        graduation_date=date(2026, 12, 14),
        **fields,
    )
    db.session.add(cohort)
    db.session.commit()
    return cohort


def enroll_participant(user, cohort, *, status="active", mentor=None):
    """Enroll a participant (and allocate a mentor), committed (factory)."""
    from lms.enrollments import allocate_mentor, enroll

    enrollment = enroll(user, cohort, changed_by=None, status=status)
    if mentor is not None:
        allocate_mentor(enrollment, mentor, assigned_by=None)
    db.session.commit()
    return enrollment


def login(client, user, password: str = TEST_PASSWORD):
    """Log a user in through the real login form and return the response."""
    return client.post("/masuk", data={"identifier": user.phone, "password": password})


@pytest.fixture
def world(app):
    """Two participants, two mentors and a staff member in one cohort.

    `participant` is followed by `mentor`; `other_participant` by `other_mentor`.
    """
    cohort = make_cohort()
    mentor = make_user(Role.MENTOR, name="Mentor Satu")
    other_mentor = make_user(Role.MENTOR, name="Mentor Dua")
    participant = make_user(name="Peserta Satu", business_name="Bika Ambon Satu", regency_code="1275")
    other_participant = make_user(name="Peserta Dua", business_name="Ulos Dua", regency_code="1205")
    staff = make_user(Role.STAFF, name="Staf Satu")
    enrollment = enroll_participant(participant, cohort, mentor=mentor)
    other_enrollment = enroll_participant(other_participant, cohort, mentor=other_mentor)
    return {
        "cohort": cohort,
        "participant": participant,
        "other_participant": other_participant,
        "mentor": mentor,
        "other_mentor": other_mentor,
        "staff": staff,
        "enrollment": enrollment,
        "other_enrollment": other_enrollment,
    }


def shipped_module_ids() -> list[str]:
    """The modules the shipped course lists, in order (content grows; the tests follow it)."""
    manifest = yaml.safe_load((PROJECT_ROOT / "courses" / "ftd-umkm.yaml").read_text(encoding="utf-8"))
    return list(manifest["modul"])
