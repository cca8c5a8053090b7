"""Database snapshots for backups: SQLite's online backup API, or pg_dump / pg_restore on PostgreSQL."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump and pg_restore with argument lists, never a shell
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from lms.backup.archive import BackupError

SQLITE_TIMEOUT_SECONDS = 30
# A restore that would wait on a lock held by a running app fails instead of hanging.
PG_RESTORE_OPTIONS = "-c lock_timeout=30s"
IGNORED_TABLES = {"alembic_version"}  # a migrated, empty database still has its revision row


@dataclass
class Snapshot:
    """A database dump written to a file, with what was in it."""

    row_counts: dict[str, int]
    migration_revision: str | None


# --- SQLite --------------------------------------------------------------------------------------


def sqlite_path(engine: Engine) -> Path:
    """Return the file of a SQLite engine; refuse in-memory databases."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def snapshot_sqlite(engine: Engine, destination: Path) -> Snapshot:
    """Copy the live database with the online backup API into one self-contained file."""
    with closing(sqlite3.connect(sqlite_path(engine), timeout=SQLITE_TIMEOUT_SECONDS)) as source, \
            closing(sqlite3.connect(destination)) as target:
        source.backup(target)
        # The copy keeps WAL mode from the header; switch it back so the file stands alone.
        target.execute("PRAGMA journal_mode=DELETE")
    return read_sqlite_snapshot(destination)


def read_sqlite_snapshot(path: Path) -> Snapshot:
    """Open a SQLite dump read-only, check its integrity, and count its rows; raise BackupError if unreadable."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            check = connection.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                raise BackupError(f"The SQLite database in the archive is damaged: {check[0][0]}")
            tables = [row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            counts = {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                      for table in tables}
            revision = None
            if "alembic_version" in counts:
                revision = ",".join(row[0] for row in connection.execute("SELECT version_num FROM alembic_version"))
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The SQLite database in the archive cannot be read ({error}).") from None
    return Snapshot(row_counts=counts, migration_revision=revision or None)


def restore_sqlite(engine: Engine, dump: Path) -> None:
    """Replace the configured SQLite database with the dump, through the backup API (one transaction)."""
    target_path = sqlite_path(engine)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    engine.dispose()
    try:
        with closing(sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)) as source, \
                closing(sqlite3.connect(target_path, timeout=SQLITE_TIMEOUT_SECONDS)) as target:
            source.backup(target)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Restoring the SQLite database failed ({error}); it is unchanged.") from None


# --- PostgreSQL ----------------------------------------------------------------------------------


def libpq_target(engine: Engine) -> tuple[str, dict[str, str]]:
    """Return a libpq URL without the password, and an environment carrying it (not visible in ps)."""
    url = engine.url
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), environment


def require_tool(name: str) -> str:
    """Return the path of a PostgreSQL client program, or raise BackupError saying how to install it."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client matching the server "
                          f"(e.g. apt-get install postgresql-client-15).")
    return found


def snapshot_postgresql(engine: Engine, destination: Path) -> Snapshot:
    """Run pg_dump --format=custom on a snapshot whose row counts are taken in the same transaction."""
    pg_dump = require_tool("pg_dump")
    conninfo, environment = libpq_target(engine)
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot_id = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts = count_rows(connection)
            revision = _pg_revision(connection, counts)
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={destination}",
                  f"--dbname={conninfo}"], environment, "pg_dump")
    return Snapshot(row_counts=counts, migration_revision=revision)


def count_rows(connection: Connection) -> dict[str, int]:
    """Count the rows of every table the connection's database has."""
    preparer = connection.dialect.identifier_preparer
    return {table: connection.execute(text(f"SELECT count(*) FROM {preparer.quote(table)}")).scalar_one()  # noqa: S608
            for table in sorted(inspect(connection).get_table_names())}


def _pg_revision(connection: Connection, counts: dict[str, int]) -> str | None:
    if "alembic_version" not in counts:
        return None
    return ",".join(connection.execute(text("SELECT version_num FROM alembic_version")).scalars()) or None


_LIST_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", re.MULTILINE)


def check_pg_dump(dump: Path, row_counts: dict[str, int]) -> None:
    """Check a custom-format dump is readable end to end and holds every table the manifest counts."""
    pg_restore = require_tool("pg_restore")
    listing = _run([pg_restore, "--list", str(dump)], dict(os.environ), "pg_restore --list")
    tables = {name for _schema, name in _LIST_TABLE.findall(listing)}
    missing = sorted(set(row_counts) - tables)
    if missing:
        raise BackupError(f"The PostgreSQL dump has no table {missing[0]} although the manifest counts it.")
    # Converting the whole dump to SQL reads and decompresses every data block.
    _run([pg_restore, f"--file={os.devnull}", str(dump)], dict(os.environ), "pg_restore")


def restore_postgresql(engine: Engine, dump: Path) -> None:
    """Restore a dump into the configured database in one transaction (--clean --if-exists)."""
    pg_restore = require_tool("pg_restore")
    conninfo, environment = libpq_target(engine)
    environment["PGOPTIONS"] = (environment.get("PGOPTIONS", "") + " " + PG_RESTORE_OPTIONS).strip()
    engine.dispose()
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={conninfo}", str(dump)], environment, "pg_restore")


def _run(command: list[str], environment: dict[str, str], label: str) -> str:
    """Run a client program; raise BackupError with its own message if it fails."""
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{label} failed: {detail[-1] if detail else 'exit code ' + str(result.returncode)}")
    return result.stdout


# --- Either --------------------------------------------------------------------------------------


def snapshot(engine: Engine, destination: Path) -> Snapshot:
    """Write the configured database to destination."""
    if engine.dialect.name == "sqlite":
        return snapshot_sqlite(engine, destination)
    if engine.dialect.name == "postgresql":
        return snapshot_postgresql(engine, destination)
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine.dialect.name}.")


def check_dump(dialect: str, dump: Path, row_counts: dict[str, int]) -> None:
    """Check a dump is readable and (SQLite) holds exactly the rows the manifest counts."""
    if dialect == "postgresql":
        check_pg_dump(dump, row_counts)
        return
    found = read_sqlite_snapshot(dump).row_counts
    if found != row_counts:
        differing = sorted(t for t in set(found) | set(row_counts) if found.get(t) != row_counts.get(t))
        table = differing[0]
        raise BackupError(f"The database in the archive has {found.get(table, 'no')} row(s) in {table}, "
                          f"the manifest says {row_counts.get(table, 'none')}.")


def restore(engine: Engine, dump: Path) -> None:
    """Replace the configured database's contents with the dump."""
    if engine.dialect.name == "sqlite":
        restore_sqlite(engine, dump)
    else:
        restore_postgresql(engine, dump)


def tables_with_rows(engine: Engine) -> list[str]:
    """Return the tables (other than alembic_version) that hold at least one row."""
    if engine.dialect.name == "sqlite" and not sqlite_path(engine).exists():
        return []  # do not create the file just to look
    with engine.connect() as connection:
        preparer = connection.dialect.identifier_preparer
        return [table for table in sorted(inspect(connection).get_table_names()) if table not in IGNORED_TABLES
                and connection.execute(text(f"SELECT 1 FROM {preparer.quote(table)} LIMIT 1")).first()]  # noqa: S608
