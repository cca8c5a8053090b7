"""Rate-limit counters shared by every process on one machine, in a SQLite file.

Flask-Limiter keeps its counters in a `limits` storage. The in-memory one is
private to each process, so two gunicorn workers would each allow the full
limit. This storage keeps fixed-window counters in `instance/ratelimits.sqlite3`
instead: every process (and every thread) on the machine sees the same counts.
Each hit is one atomic upsert, so two processes counting at once cannot lose a
hit. Redis (`LMS_REDIS_URL`) stays the choice when processes run on several
machines.
"""

from __future__ import annotations

import importlib
import logging
import os
import runpy
import shlex
import sqlite3
import sys
import threading
import time
from urllib.parse import urlparse

from limits.storage import Storage

SCHEME = "lms-sqlite"
# Expired rows are removed now and then, not on every hit.
PURGE_EVERY_HITS = 500
log = logging.getLogger(__name__)


class SQLiteStorage(Storage):
    """Fixed-window counters in one SQLite table: `lms-sqlite:///abs/path/file.sqlite3`."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = urlparse(uri).path
        if not self.path:
            raise ValueError(f"{SCHEME}:// needs a file path, e.g. {SCHEME}:///srv/lms/instance/ratelimits.sqlite3")
        self._local = threading.local()
        self._hits = 0
        self._connection().execute(
            "CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, value INTEGER NOT NULL, "
            "expires_at REAL NOT NULL)"
        )

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        """Return this thread's connection, opening a new one after a fork."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            # Autocommit: each statement below is its own atomic transaction.
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            local.connection, local.pid = connection, os.getpid()
        return local.connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add to a counter; a counter whose window has passed starts again from `amount`.

        One autocommit statement: SQLite holds its write lock only while the statement runs
        (in C, without the GIL). An explicit BEGIN … COMMIT around it held the lock across
        Python calls, so under a burst a thread waiting for the GIL kept the lock while the
        other processes slept in SQLite's busy handler (1, 2, 5, 10 … 100 ms backoffs).
        """
        now = time.time()
        connection = self._connection()
        # fetchall() steps the statement to its end, which commits it.
        ((value,),) = connection.execute(
            "INSERT INTO counter (key, value, expires_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET "
            "value = CASE WHEN counter.expires_at <= ? THEN excluded.value "
            "ELSE counter.value + excluded.value END, "
            "expires_at = CASE WHEN counter.expires_at <= ? THEN excluded.expires_at ELSE counter.expires_at END "
            "RETURNING value",
            (key, amount, now + expiry, now, now),
        ).fetchall()
        self._counted(1, connection, now)
        return int(value)

    def _counted(self, hits: int, connection: sqlite3.Connection, now: float) -> None:
        """Count hits; every PURGE_EVERY_HITS of them, delete the counters whose window has passed."""
        before, self._hits = self._hits, self._hits + hits
        if before // PURGE_EVERY_HITS != self._hits // PURGE_EVERY_HITS:
            connection.execute("DELETE FROM counter WHERE expires_at <= ?", (now,))

    def incr_many(self, expiries: dict[str, int], amount: int = 1) -> dict[str, int]:
        """Add to several counters in one autocommit statement (as `incr` does each); return their values."""
        now = time.time()
        rows = [(key, amount, now + expiry) for key, expiry in expiries.items()]
        placeholders = ", ".join("(?, ?, ?)" for _ in rows)
        connection = self._connection()
        returned = connection.execute(
            f"INSERT INTO counter (key, value, expires_at) VALUES {placeholders} "  # noqa: S608 - placeholders only
            "ON CONFLICT (key) DO UPDATE SET "
            "value = CASE WHEN counter.expires_at <= ? THEN excluded.value "
            "ELSE counter.value + excluded.value END, "
            "expires_at = CASE WHEN counter.expires_at <= ? THEN excluded.expires_at ELSE counter.expires_at END "
            "RETURNING key, value",
            (*(value for row in rows for value in row), now, now),
        ).fetchall()
        self._counted(len(rows), connection, now)
        return {key: int(value) for key, value in returned}

    def get_many(self, keys: list[str]) -> dict[str, tuple[int, float]]:
        """Return (value, window end) of the counters of these keys in their current window, in one statement."""
        placeholders = ", ".join("?" for _ in keys)
        rows = self._connection().execute(
            f"SELECT key, value, expires_at FROM counter WHERE key IN ({placeholders}) "  # noqa: S608 - placeholders
            "AND expires_at > ?", (*keys, time.time())).fetchall()
        return {key: (int(value), float(expires_at)) for key, value, expires_at in rows}

    def get(self, key: str) -> int:
        """Return a counter's value in its current window (0 when none)."""
        row = self._connection().execute(
            "SELECT value FROM counter WHERE key = ? AND expires_at > ?", (key, time.time())
        ).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        """Return when a counter's window ends (now when there is none)."""
        now = time.time()
        row = self._connection().execute(
            "SELECT expires_at FROM counter WHERE key = ? AND expires_at > ?", (key, now)
        ).fetchone()
        return float(row[0]) if row else now

    def check(self) -> bool:
        """Tell whether the file can be read."""
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        """Remove every counter."""
        return self._connection().execute("DELETE FROM counter").rowcount

    def clear(self, key: str) -> None:
        """Remove one counter."""
        self._connection().execute("DELETE FROM counter WHERE key = ?", (key,))


def default_storage_uri(instance_path: str) -> str:
    """Return the embedded default: a counter file in the instance folder."""
    return f"{SCHEME}://{os.path.join(os.path.abspath(instance_path), 'ratelimits.sqlite3')}"


def is_shared(storage_uri: str) -> bool:
    """Tell whether a storage URI is seen by more than one process (memory:// is not)."""
    return not storage_uri.startswith(("memory://", "async+memory://"))


def is_gunicorn(argv: list[str]) -> bool:
    """Tell whether this process was started as gunicorn (`gunicorn ...` or `python -m gunicorn ...`)."""
    if not argv:
        return False
    program = argv[0]
    return "gunicorn" in os.path.basename(program) or os.path.basename(os.path.dirname(program)) == "gunicorn"


def gunicorn_worker_count(argv: list[str] | None = None, environ: dict | None = None) -> int:
    """Return how many worker processes gunicorn was asked for, or 0 outside gunicorn.

    Follows gunicorn's own order, later winning: WEB_CONCURRENCY (the default), the config
    file (`-c FILE` or `python:module`, from the command line or GUNICORN_CMD_ARGS, else
    ./gunicorn.conf.py), GUNICORN_CMD_ARGS, the command line. The config file is run as
    gunicorn runs it (it is the deployment's own Python file).
    """
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if not is_gunicorn(argv):
        return 0
    from gunicorn.config import Config

    parser = Config().parser()
    try:
        args = parser.parse_args(list(argv[1:]))
        env_args = parser.parse_args(shlex.split(environ.get("GUNICORN_CMD_ARGS", "")))
    except SystemExit:  # gunicorn itself would have refused these arguments
        return 0
    workers = int(environ.get("WEB_CONCURRENCY", 1) or 1)
    location = args.config or env_args.config
    if location is None and os.path.exists("gunicorn.conf.py"):
        location = os.path.abspath("gunicorn.conf.py")
    if location:
        workers = int(config_file_settings(location).get("workers", workers))
    for given in (env_args.workers, args.workers):
        if given is not None:
            workers = int(given)
    return workers


def config_file_settings(location: str) -> dict:
    """Return the names a gunicorn config file (`path.py`, `file:path` or `python:module`) defines."""
    if location.startswith("python:"):
        return vars(importlib.import_module(location.removeprefix("python:")))
    return runpy.run_path(location.removeprefix("file:"), run_name="__config__")


class UnsharedLimitsError(RuntimeError):
    """Several processes would each keep their own rate-limit counters."""


def check_shared_storage(storage_uri: str, *, debug_or_testing: bool, workers: int | None = None) -> None:
    """Refuse to run several gunicorn workers on memory://; warn about memory:// elsewhere outside debug."""
    if is_shared(storage_uri):
        return
    workers = gunicorn_worker_count() if workers is None else workers
    if workers > 1:
        raise UnsharedLimitsError(
            f"Rate limits use memory:// but gunicorn runs {workers} workers: each would allow the full limit. "
            "Remove RATELIMIT_STORAGE_URI = 'memory://' (the default is a shared SQLite file in instance/) "
            "or set LMS_REDIS_URL."
        )
    if not debug_or_testing:
        log.warning(
            "RATE LIMITS ARE NOT SHARED: memory:// counts per process. Run exactly one process, "
            "or use the default SQLite file or LMS_REDIS_URL."
        )


def configure(app) -> None:
    """Pick the rate-limit store (Redis if set, else the shared SQLite file) and check it is shared."""
    testing = bool(app.testing or app.config.get("TESTING"))
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        # Tests get a fresh private store per app unless they ask for another.
        app.config["RATELIMIT_STORAGE_URI"] = "memory://" if testing else default_storage_uri(app.instance_path)
    if app.config.get("RATELIMIT_ENABLED", True):
        check_shared_storage(app.config["RATELIMIT_STORAGE_URI"], debug_or_testing=app.debug or testing)
