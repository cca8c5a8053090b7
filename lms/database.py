"""Database engine settings and the transaction helpers the operations use."""

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
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
