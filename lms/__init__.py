"""Fast Track LMS: the application factory."""

import os
from pathlib import Path

from flask import Flask

from lms import config as lms_config
from lms import public_url, ratelimit_storage

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: defaults, then instance/config.py, then the environment, then tests."""
    app = Flask(__name__, instance_path=os.environ.get("LMS_INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
                instance_relative_config=True)
    load_config(app, test_config)
    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    warn_about_slow_certificates(app)
    return app


def load_config(app: Flask, test_config: dict | None) -> None:
    """Layer the settings and refuse to start without a secret key in production."""
    app.config.from_object(lms_config.Defaults)
    app.config["PROJECT_ROOT"] = PROJECT_ROOT
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(lms_config.from_environment())
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    for key, folder in (("UPLOAD_ROOT", "uploads"), ("CERTIFICATE_ROOT", "certificates"), ("IMPORT_ROOT", "imports"),
                        ("CREDENTIAL_KEY_DIR", "credential-keys")):
        app.config[key] = app.config.get(key) or str(Path(app.instance_path) / folder)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'lms.sqlite3'}"
    app.config["MAX_CONTENT_LENGTH"] = (app.config["MAX_UPLOAD_MB"] + 1) * 1024 * 1024
    if not app.config.get("SECRET_KEY"):
        if not (app.debug or app.testing):
            raise RuntimeError(
                "LMS_SECRET_KEY is not set. Put SECRET_KEY in instance/config.py "
                "(make run does this for you) or set the LMS_SECRET_KEY environment variable."
            )
        app.config["SECRET_KEY"] = "dev-only-not-secret"  # noqa: S105 - debug and tests only
    ratelimit_storage.configure(app)  # limits: a store every process shares
    public_url.check_public_url(app)  # limits: QR codes and WhatsApp links need the real address


def register_extensions(app: Flask) -> None:
    """Bind the extension objects created in lms.extensions."""
    from lms import database
    from lms.extensions import babel, csrf, db, limiter, login_manager, migrate
    from lms.i18n import select_locale, select_timezone

    db.init_app(app)
    database.configure_engine_events(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)


def register_security(app: Flask) -> None:
    """Install server-side sessions, security headers and the proxy fix."""
    from lms import security

    security.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per user-facing area."""
    from lms.assignments.views import bp as assignments_bp
    from lms.auth.views import bp as auth_bp
    from lms.bootcamp import bp as bootcamp_bp
    from lms.certificates.views import bp as certificates_bp
    from lms.credentials import bp as credentials_bp
    from lms.impact import bp as impact_bp
    from lms.knowledge import bp as knowledge_bp
    from lms.learn.views import bp as learn_bp
    from lms.main.views import bp as main_bp
    from lms.mentor.views import bp as mentor_bp
    from lms.offline import bp as offline_bp
    from lms.ops import bp as ops_bp
    from lms.outreach import bp as outreach_bp
    from lms.people import bp as people_bp
    from lms.privacy import bp as privacy_bp
    from lms.quiz.views import bp as quiz_bp
    from lms.registration import bp as registration_bp
    from lms.resumable import bp as resumable_bp
    from lms.showcase import bp as showcase_bp
    from lms.staff import bp as staff_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(assignments_bp)
    app.register_blueprint(mentor_bp, url_prefix="/mentor")
    app.register_blueprint(staff_bp, url_prefix="/staf")
    app.register_blueprint(certificates_bp)
    app.register_blueprint(credentials_bp)
    app.register_blueprint(showcase_bp)
    app.register_blueprint(impact_bp)
    app.register_blueprint(knowledge_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(ops_bp, url_prefix="/staf/operasional")
    app.register_blueprint(offline_bp)
    app.register_blueprint(outreach_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(bootcamp_bp)
    app.register_blueprint(registration_bp)  # reg: the public programme page and /daftar
    app.register_blueprint(resumable_bp)  # offline2: chunked uploads of files queued on the phone


def register_error_handlers(app: Flask) -> None:
    """Show friendly Indonesian pages for the common HTTP errors."""
    from lms import errors

    errors.init_app(app)


def register_template_helpers(app: Flask) -> None:
    """Add filters and globals the templates share."""
    from lms import templating

    templating.init_app(app)


def warn_about_slow_certificates(app: Flask) -> None:
    """Log a clear warning when libharfbuzz-subset is missing (WeasyPrint then runs ~9× slower)."""
    from lms.certificates.fontcheck import warn_if_slow_fonts

    warn_if_slow_fonts(app)


def register_commands(app: Flask) -> None:
    """Add the `flask lms …` command group."""
    from lms.cli import lms_group

    app.cli.add_command(lms_group)
