"""Shared fixtures: an app on a migrated database, factories, and a login helper.

The schema is built once per test session through the real Alembic migrations
(SQLite by default, PostgreSQL when LMS_TEST_DATABASE_URL is set); after each
test every table it left rows in is emptied, so tests never see each other's rows.

The app is built once per session too (create_app compiles ~170 URL rules: most of
a test's fixed cost). Each test gets it back as built: its own upload/certificate/
import/key folders, the config and the extension objects' state restored, every cache
an app keeps in `app.extensions` dropped, a new app context, a new connection pool.
A test that changes the app itself (routes, hooks, template globals, wsgi_app) fails
in teardown unless it is marked `@pytest.mark.fresh_app`, which gives it an app of
its own as before. Extra apps with other settings: the `make_app` fixture.
"""

import copy
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
from lms.extensions import babel, csrf, db, limiter, login_manager, migrate
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


# What every test app gets; the folders are the test's own (tmp_path), set per test.
APP_SETTINGS = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "JOBS_RUN_INLINE": True,
}
# Extension objects are module globals: every create_app (a test's own, make_app's)
# re-initialises them, so the shared app restores their attributes before each test.
GLOBAL_EXTENSIONS = (babel, csrf, db, limiter, login_manager, migrate)


def folder_settings(tmp_path) -> dict:
    return {
        "UPLOAD_ROOT": str(tmp_path / "uploads"),
        "CERTIFICATE_ROOT": str(tmp_path / "certificates"),
        "IMPORT_ROOT": str(tmp_path / "imports"),
        "CREDENTIAL_KEY_DIR": str(tmp_path / "credential-keys"),
    }


def build_test_app(database_url: str, tmp_path):
    app = create_app(APP_SETTINGS | {"SQLALCHEMY_DATABASE_URI": database_url} | folder_settings(tmp_path))
    app.test_client_class = FreshRequestClient
    return app


def app_structure(app) -> dict:
    """What a test may not change on the shared app: routes, hooks, handlers, template globals.

    Flask keeps hooks and error handlers in defaultdicts that grow empty entries on lookup;
    those are not changes.
    """
    hooks = {"before_request": app.before_request_funcs, "after_request": app.after_request_funcs,
             "teardown_request": app.teardown_request_funcs, "context_processors": app.template_context_processors,
             "url_value_preprocessors": app.url_value_preprocessors, "url_defaults": app.url_default_functions}
    return {
        "view_functions": dict(app.view_functions),
        "url_rules": list(app.url_map.iter_rules()),
        **{name: {key: list(funcs) for key, funcs in hook.items() if funcs} for name, hook in hooks.items()},
        "teardown_appcontext": list(app.teardown_appcontext_funcs),
        "error_handlers": {(name, code, cls): handler for name, codes in app.error_handler_spec.items()
                           for code, handlers in codes.items() for cls, handler in handlers.items()},
        "blueprints": dict(app.blueprints),
        "jinja_globals": dict(app.jinja_env.globals),
        "jinja_filters": dict(app.jinja_env.filters),
        "jinja_tests": dict(app.jinja_env.tests),
        "objects": [app.wsgi_app, app.session_interface, app.json, app.login_manager, app.test_client_class],
        "url_build_error_handlers": list(app.url_build_error_handlers),
        "commands": dict(app.cli.commands),
    }


class SharedApp:
    """The session's app, and how to hand it to the next test as it was built."""

    def __init__(self, app):
        self.app = app
        self.config = dict(app.config)
        frozen = copy.deepcopy(self.config)
        # Values that compare by value are checked for changes in place too; the rest by identity.
        self.frozen_config = {key: value for key, value in frozen.items() if value == self.config[key]}
        self.extensions = dict(app.extensions)
        self.extension_state = [(ext, dict(vars(ext))) for ext in GLOBAL_EXTENSIONS]
        self.structure = app_structure(app)

    def begin(self, tmp_path) -> None:
        for ext, state in self.extension_state:
            vars(ext).clear()
            vars(ext).update(state)
        self.app.config.update(folder_settings(tmp_path))

    def end(self, nodeid: str) -> None:
        app = self.app
        for key in list(app.config):
            if key not in self.config:
                del app.config[key]
        for key, value in self.config.items():
            if key in self.frozen_config and value != self.frozen_config[key]:  # changed in place
                app.config[key] = self.config[key] = copy.deepcopy(self.frozen_config[key])
            elif app.config.get(key, self) is not value:
                app.config[key] = value
        for key in list(app.extensions):  # the per-app caches (content, pages, queue, dashboard)
            if key not in self.extensions:
                del app.extensions[key]
        app.extensions.update(self.extensions)
        structure = app_structure(app)
        if changed := [part for part, value in structure.items() if value != self.structure[part]]:
            self.app = None  # the next test gets a new shared app
            pytest.fail(f"{nodeid} changed the shared app itself ({', '.join(changed)}): "
                        "mark it @pytest.mark.fresh_app", pytrace=False)


@pytest.fixture(scope="session")
def shared_app(database_url, tmp_path_factory):
    holder = {}

    def get() -> SharedApp:
        if holder.get("shared") is None or holder["shared"].app is None:
            holder["shared"] = SharedApp(build_test_app(database_url, tmp_path_factory.mktemp("shared-app")))
        return holder["shared"]

    yield get
    if holder.get("shared") is not None and holder["shared"].app is not None:
        with holder["shared"].app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(request, shared_app, database_url, tmp_path):
    """Return an app bound to the migrated test database; the tables it wrote are emptied afterwards.

    The session's app, reset (see the module docstring), unless the test is marked
    `fresh_app`: then one built for it alone.
    """
    shared = None if request.node.get_closest_marker("fresh_app") else shared_app()
    if shared is None:
        app = build_test_app(database_url, tmp_path)
    else:
        app = shared.app
        shared.begin(tmp_path)
    try:
        with app.app_context():
            yield app
            db.session.remove()
            empty_all_tables()
            db.engine.dispose()
    finally:
        if shared is not None:
            shared.end(request.node.nodeid)


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
    """Delete every row, children first, keeping the migrated schema.

    One query finds the tables holding rows (whoever wrote them: this process, a
    subprocess, a restored backup); only those get a DELETE, in the same order.
    """
    tables = db.metadata.sorted_tables
    quote = db.engine.dialect.identifier_preparer.quote
    probe = " UNION ALL ".join(
        f"SELECT {number} WHERE EXISTS (SELECT 1 FROM {quote(table.name)})"  # noqa: S608 - our own table names
        for number, table in enumerate(tables)
    )
    with db.engine.begin() as connection:
        non_empty = {row[0] for row in connection.exec_driver_sql(probe)}
        for number in sorted(non_empty, reverse=True):
            connection.execute(tables[number].delete())


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
