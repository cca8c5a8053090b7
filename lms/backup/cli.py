"""`flask --app wsgi lms backup …` commands."""

import sys

import click
from flask.cli import with_appcontext

from lms.backup import operations
from lms.backup.archive import BackupError


@click.group("backup")
def backup_group():
    """Archives of the database and instance files."""


@backup_group.command("create")
@click.argument("path", type=click.Path(dir_okay=True))
@with_appcontext
def create_command(path):
    """Write one archive (a folder gets a dated lms-backup-….tar.gz inside)."""
    try:
        summary = operations.create_backup(path)
    except BackupError as error:
        _fail(error)
    click.echo(f"Backup written: {summary.describe()}")


@backup_group.command("verify")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def verify_command(path):
    """Check an archive without restoring it: manifest, every checksum, the database dump."""
    try:
        summary = operations.verify_backup(path)
    except BackupError as error:
        _fail(error, prefix="Backup refused")
    click.echo(f"Backup OK: {summary.describe()}")


@backup_group.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Restore even though the instance already holds files or rows.")
@with_appcontext
def restore_command(path, force):
    """Verify an archive, then restore it into this instance (or LMS_INSTANCE_PATH); refuses a non-empty one."""
    try:
        result = operations.restore_backup(path, force=force)
    except BackupError as error:
        _fail(error, prefix="Restore refused; nothing was changed")
    click.echo(f"Restored into {result.instance_path}: {result.backup.describe()}")
    if result.kept_files:
        click.echo(f"{len(result.kept_files)} file(s) not in the backup were left in place, "
                   f"e.g. {result.kept_files[0]}.")
    if result.head_revision != result.backup.manifest.migration_revision:
        click.echo(f"The code's newest migration is {result.head_revision}: run `flask --app wsgi db upgrade`.")


def _fail(error: BackupError, prefix: str = "Error") -> None:
    click.echo(f"{prefix}: {error}", err=True)
    sys.exit(1)
