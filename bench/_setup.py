"""What the benchmarks share: which database to use, and a fresh schema at the migration head."""

from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import text

from lms.extensions import db


def database_url(given: str | None, folder: Path) -> str:
    """Return the URL given (PostgreSQL gets the psycopg driver) or a new SQLite file in the folder."""
    if not given:
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    if given.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + given.split("://", 1)[1]
    return given


def migrate_fresh() -> None:
    """Bring the current app's database to the head revision; PostgreSQL starts from an empty schema.

    Benchmarks take a throwaway database: on PostgreSQL its public schema is dropped.
    """
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade()
