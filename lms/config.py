"""Default settings, and the environment variables that override them."""

import os
from datetime import timedelta

# Environment variable → config key. Strings are taken as they are; the few
# numeric or boolean settings are converted in `from_environment`.
ENVIRONMENT_KEYS = {
    "LMS_SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "LMS_REDIS_URL": "RATELIMIT_STORAGE_URI",
    "LMS_MAX_UPLOAD_MB": "MAX_UPLOAD_MB",
    "LMS_HTTPS": "SESSION_COOKIE_SECURE",
    "LMS_SMTP_HOST": "SMTP_HOST",
    "LMS_PUBLIC_URL": "PUBLIC_URL",
    "LMS_BACKUP_DIR": "BACKUP_DIR",  # backup
    "LMS_BACKUP_KEEP": "BACKUP_KEEP",  # backup
    "LMS_PROXY_HOPS": "PROXY_HOPS",  # backup: docs/deploy.md keeps every setting in one environment file
    "LMS_SUPPORT_WHATSAPP": "SUPPORT_WHATSAPP",  # limits: the lockout page's contact
    "LMS_QUEUE_URL": "QUEUE_URL",  # queue: redis://… for the task queue (default: SQLite in instance/)
}
BOOLEAN_KEYS = {"SESSION_COOKIE_SECURE"}
INTEGER_KEYS = {"MAX_UPLOAD_MB"}
INTEGER_KEYS |= {"BACKUP_KEEP", "PROXY_HOPS"}  # backup


class Defaults:
    """Settings that hold unless instance/config.py or the environment says otherwise."""

    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None  # filled in by create_app: SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Uploads are capped by the assignment limit; the request cap adds room for the form.
    MAX_UPLOAD_MB = 10
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # also set automatically for requests that arrive over HTTPS
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    WTF_CSRF_TIME_LIMIT = None  # a participant may keep a quiz open for hours on a bad line
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")
    RATELIMIT_ENABLED = True  # explicit: the shared Limiter would otherwise inherit the last app's setting
    RATELIMIT_STORAGE_URI = None  # default: the SQLite counter file in instance/ (lms/ratelimit_storage.py)
    RATELIMIT_HEADERS_ENABLED = True
    # --- limits: rate limits; each is explained in docs/architecture.md ("Rate limits") ---
    # Only failures count towards the login and activation limits, so a classroom on
    # one connection logging in correctly is never refused.
    LOGIN_RATE_LIMIT = "10 per minute;60 per hour"  # failed logins per account and address
    LOGIN_RATE_LIMIT_PER_ACCOUNT = "50 per hour"  # failed logins per account from every address together
    LOGIN_FAILED_ACCOUNTS_PER_IP = "20 per 10 minutes"  # distinct accounts failing from one address (spraying)
    LOGIN_RATE_LIMIT_PER_IP = "300 per minute"  # every login POST from one address: a flood ceiling only
    ACTIVATION_CODE_MAX_TRIES = 5  # wrong codes typed for one account before its live code is cancelled
    ACTIVATION_FAILURES_PER_IP = "30 per 10 minutes"  # wrong phone/code pairs from one address
    ACTIVATION_RATE_LIMIT_PER_IP = "300 per minute"  # every activation POST from one address: flood ceiling
    VERIFY_UNKNOWN_CODES_PER_IP = "20 per 10 minutes"  # distinct unknown certificate codes from one address
    VERIFY_RATE_LIMIT_PER_IP = "1200 per minute"  # every verify request from one address: flood ceiling
    SUPPORT_WHATSAPP = "+6281100000001"  # shown on the lockout page: PLUT staff's WhatsApp number
    ACTIVATION_CODE_DAYS = 7
    PROXY_HOPS = 0  # set to 1 behind nginx so client addresses and HTTPS are seen
    PUBLIC_URL = None  # limits: required outside debug and tests (lms/public_url.py); QR codes and links use it
    UPLOAD_ROOT = None  # default: instance/uploads
    CERTIFICATE_ROOT = None  # issued PDFs; default: instance/certificates
    IMPORT_ROOT = None  # uploaded registrant files; default: instance/imports
    # credentials: Open Badges 3.0. The private signing keys live here (default
    # instance/credential-keys, owner-only); only their public halves are published.
    CREDENTIAL_KEY_DIR = None
    CREDENTIAL_ISSUER_NAME = "Dinas Koperasi dan UKM Provinsi Sumatera Utara"
    # Used when a cohort has no signatories of its own: (name, title) pairs.
    CERTIFICATE_SIGNATORIES = (
        ("Kepala Dinas Koperasi dan UKM", "Provinsi Sumatera Utara"),
        ("Ketua Pelaksana PLUT-KUMKM", "Provinsi Sumatera Utara"),
    )
    # certs: render workers are replaced after this many certificates (a safety net; memory is flat without it)
    CERTIFICATE_RENDER_RECYCLE_EVERY = 500
    # certs: bulk issue lays this many certificates of one template out as one document, then splits it per page
    CERTIFICATE_RENDER_BATCH = 25
    CERTIFICATE_SIGNATURE_MAX_BYTES = 512 * 1024  # an uploaded signature image (PNG or SVG)
    DASHBOARD_CACHE_SECONDS = 60  # dashboard progress figures and mentor turnaround are kept per process this long
    MODULE_PAGE_CACHE_SIZE = 256  # rendered module pages kept per process (lms/learn/page_cache.py); 0 turns it off
    # --- queue (lms/queue, lms/jobs.py) ---
    JOBS_RUN_INLINE = False  # tests: Huey's immediate mode, tasks run inside the call that enqueues them
    QUEUE_URL = None  # redis://host:6379/0 for RedisHuey; unset: SqliteHuey in QUEUE_SQLITE_PATH
    QUEUE_SQLITE_PATH = None  # default: instance/queue.sqlite3
    # --- offline: installable app, offline reading and queued quiz submits (lms/offline) ---
    # Answers kept on a phone offline still count if they reach the server this long after a quiz's time
    # limit; per course in OFFLINE_QUIZ_GRACE_BY_COURSE ({"course-id": minutes}). docs/architecture.md "Offline".
    OFFLINE_QUIZ_GRACE_MINUTES = 10
    OFFLINE_QUIZ_GRACE_BY_COURSE: dict = {}
    JOB_HEARTBEAT_SECONDS = 10  # a running job stamps its row this often
    JOB_STALE_SECONDS = 90  # a running job silent this long (or whose process is gone) becomes interrupted
    JOB_AUTO_RETRIES = 2  # the worker resumes an interrupted job itself this many times, then staff decide
    ORPHAN_UPLOAD_HOURS = 24  # upload files no row names are deleted once older than this
    # --- offline2: resumable uploads of files queued on the phone (lms/resumable) ---
    RESUMABLE_UPLOAD_HOURS = 24  # partial and finished chunked uploads are deleted this long after they start
    SMTP_HOST = None
    SMTP_PORT = 587
    SMTP_USER = None
    SMTP_PASSWORD = None
    MAIL_FROM = "noreply@ftd.example"
    # --- backup: archives of the database and instance files (lms/backup) ---
    BACKUP_DIR = None  # where nightly_backup() writes; default: instance/backups
    BACKUP_KEEP = 7  # nightly archives kept in BACKUP_DIR; older ones are deleted
    # people: the forgotten-password request form (lms/people), limited per phone number and per address.
    PASSWORD_RESET_RATE_LIMIT = "3 per hour;10 per day"  # noqa: S105 - a rate, not a secret
    # Every request from one address: a flood ceiling only. A workshop or a carrier's CGNAT puts many honest
    # people behind one address; the per-phone limit and one open request per account stop the abuse.
    PASSWORD_RESET_RATE_LIMIT_PER_IP = "300 per hour"  # noqa: S105 - a rate, not a secret
    # --- season: top awards and curation ---
    TOP_AWARDS_PER_YEAR = 100  # "Peserta Terbaik" places per programme year (cohort start year), across cohorts
    TOP_AWARD_MIN_SCORE = 60.0  # marking someone below this composite score warns and needs a reason
    # --- privacy: retention of registrants never selected (lms/privacy/tasks.py) ---
    # Days after registration closed (or, with no window, the graduation date) of a never-selected
    # registrant's last cohort; then they are erased. Consent text 2026-12-v1 promises at most 12 months.
    REGISTRANT_RETENTION_DAYS = 365

    # --- impact2: survey links for the comparison group (lms/impact/links.py) ---
    SURVEY_LINK_DAYS = 30  # a signed single-use link works this many days after it is made
    # --- registration: the public programme page and self-registration (lms/registration) ---
    # The form carries a signed time; a POST sooner than this after the form was shown is refused as a bot's.
    # The rush bench lowers it through instance/config.py (bench/registration_rush.py --min-fill-seconds).
    REGISTRATION_MIN_FILL_SECONDS = 4
    REGISTRATION_FORM_MAX_AGE_HOURS = 24  # an older form is shown again with a fresh time (nothing lost)
    # Every registration POST from one address: a flood ceiling only. A regency office's Wi-Fi serves a whole
    # event, and in the closing rush a carrier's CGNAT may put hundreds behind one address (1,700 came in 10
    # minutes in the bench). Bots meet the honeypot, the signed fill time and the per-phone limit instead.
    REGISTRATION_RATE_LIMIT_PER_IP = "300 per minute;3000 per hour"
    REGISTRATION_RATE_LIMIT_PER_PHONE = "5 per hour;10 per day"  # POSTs naming one phone number
    REGISTRATION_INTEREST_RATE_LIMIT_PER_IP = "300 per hour"  # "tell me" numbers from one address: a flood ceiling


def from_environment(environ: dict[str, str] | None = None) -> dict:
    """Return the config keys set through environment variables."""
    environ = os.environ if environ is None else environ
    settings = {}
    for variable, key in ENVIRONMENT_KEYS.items():
        value = environ.get(variable)
        if not value:
            continue
        if key in BOOLEAN_KEYS:
            settings[key] = value.lower() in {"1", "true", "yes", "on"}
        elif key in INTEGER_KEYS:
            settings[key] = int(value)
        else:
            settings[key] = value
    database_url = settings.get("SQLALCHEMY_DATABASE_URI", "")
    # Hosting panels hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 driver named.
    if database_url.startswith(("postgres://", "postgresql://")):
        settings["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + database_url.split("://", 1)[1]
    return settings
