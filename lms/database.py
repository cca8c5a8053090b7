"""Database engine settings and the transaction helpers the operations use."""

import fcntl
import os
import threading
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from lms.extensions import db


def configure_engine_events(app: Flask) -> None:
    """Turn on WAL, foreign keys and a busy timeout for every SQLite connection."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name != "sqlite":
            return
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # pysqlite's own transaction handling issues BEGIN lazily and too late for
    # writers that read first; we issue BEGIN ourselves in _sqlite_on_begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection) -> None:
    # IMMEDIATE takes the write lock up front, so two writers that both read
    # first cannot deadlock; the busy timeout makes the second one wait.
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite(engine: Engine | None = None) -> bool:
    """Tell whether the app runs on SQLite."""
    return (engine or db.engine).dialect.name == "sqlite"


@contextmanager
def write_transaction():
    """Run a block in one transaction that holds the write lock from its start.

    On SQLite this is BEGIN IMMEDIATE; on PostgreSQL callers lock the rows they
    change with SELECT … FOR UPDATE, which this helper leaves to them.
    """
    session = db.session()  # the scoped session's current Session (the proxy lacks in_transaction)
    if session.in_transaction():
        # Whatever the view read so far is finished; the write starts afresh.
        session.commit()
    session.connection(execution_options={"sqlite_immediate": True})
    with _committed(session):
        yield session


@contextmanager
def _committed(session):
    """Commit the session after the block, or roll it back if the block raises."""
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise


class _SQLiteWriterQueue:
    """One writer at a time across every process on a SQLite file, waiting on a file lock.

    SQLite lets one transaction write at a time; the others retry in its busy handler,
    which sleeps 1, 2, 5, 10 … up to 100 ms between tries. Under a burst (50 registrations
    at once over 3 processes × 8 threads) those sleeps, not the work, made the latency:
    a waiter slept on while the lock was already free. Here a waiter blocks in the kernel
    (flock) or on a thread lock and wakes as soon as the writer before it commits.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid: int | None = None

    @contextmanager
    def turn(self):
        with self._thread_lock:  # threads of one process share the file descriptor, so queue them first
            if self._pid != os.getpid():  # a forked worker opens its own descriptor
                self._fd, self._pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)


_writer_queues: dict[str, _SQLiteWriterQueue] = {}
_writer_queues_lock = threading.Lock()
os.register_at_fork(after_in_child=_writer_queues.clear)  # a thread lock held at fork stays held in the child


def _writer_queue(engine: Engine) -> _SQLiteWriterQueue | None:
    """Return the queue of the engine's SQLite file (None for PostgreSQL or an in-memory database)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    with _writer_queues_lock:
        queue = _writer_queues.get(database)
        if queue is None:
            queue = _writer_queues[database] = _SQLiteWriterQueue(f"{database}-writers.lock")
        return queue


@contextmanager
def queued_write_transaction(*, after_reads: bool = False):
    """Run a block as write_transaction does; on a SQLite file, first wait for the writers before it.

    For hot write paths hit by many processes at once (self-registration's closing rush):
    the block should be short, plain statements prepared before it starts. PostgreSQL
    needs no queue (rows, not the database, are locked), so there this is write_transaction.

    `after_reads=True`: on PostgreSQL the block goes on in the transaction the caller's reads
    began (what it read stays valid: its writes are guarded by unique constraints, not by
    what was read), so a request pays one BEGIN, one COMMIT and one pool checkout (with its
    pre-ping) instead of two. SQLite still ends the reads first: a read snapshot cannot
    become the write.
    """
    session = db.session()
    if after_reads and session.in_transaction() and not is_sqlite(session.get_bind()):
        with _committed(session):
            yield session
        return
    if session.in_transaction():
        session.commit()  # what the caller read is finished; release the read before queuing
    queue = _writer_queue(session.get_bind())
    if queue is None:
        with write_transaction() as session:
            yield session
        return
    with queue.turn(), write_transaction() as session:
        yield session
