"""`flask --app wsgi lms credentials …`: the issuer's signing keys."""

import click
from flask.cli import with_appcontext


@click.group("credentials")
def credentials_group():
    """Open Badges 3.0 credentials: the issuer's signing keys."""


@credentials_group.command("keygen")
@with_appcontext
def keygen_command():
    """Make a new Ed25519 signing key; older keys stay published so old credentials still verify."""
    from lms.credentials import keys

    key = keys.make_key()
    click.echo(f"New signing key {key.kid} in {keys.key_dir()} (private: keep it out of backups you share).")
    click.echo(f"Published keys: {len(keys.all_keys())}. New credentials are signed with {key.kid}.")


@credentials_group.command("keys")
@with_appcontext
def keys_command():
    """List the keys, newest last; the newest signs."""
    from lms.credentials import keys

    all_keys = keys.all_keys()
    if not all_keys:
        click.echo("No signing key yet: run `flask --app wsgi lms credentials keygen`.")
    for key in all_keys:
        marker = "signs" if key is all_keys[-1] else "verifies only"
        click.echo(f"{key.kid}  created {key.created_at}  {marker}")
