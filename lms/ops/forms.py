"""Forms of the operations page."""

from flask_wtf import FlaskForm


class RetryJobForm(FlaskForm):
    """Retry a failed or interrupted job (only the CSRF token)."""
