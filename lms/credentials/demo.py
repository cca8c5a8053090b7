"""Demo: an issuer key, so the demo's certificates can be downloaded as credentials."""

from lms.credentials import keys


def seed_demo(cohort) -> None:
    keys.ensure_key()
