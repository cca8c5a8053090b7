"""Forms of the operations page."""

from lms.forms import BaseForm


class RetryJobForm(BaseForm):
    """Retry a failed or interrupted job (only the CSRF token)."""
