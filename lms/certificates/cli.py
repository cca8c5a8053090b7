"""`flask --app wsgi lms certificates …` commands."""

import click


@click.group("certificates")
def certificates_group():
    """Graduation certificates."""
