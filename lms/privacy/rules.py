"""Pure rules of the privacy area: what an erased account looks like, and when retention is due."""

from __future__ import annotations

from datetime import date, timedelta

ERASED_NAME = "Dihapus"
# Statuses that mean the programme selected the person: their records are kept (certificates, reports).
SELECTED_STATUSES = ("selected", "active", "graduated")


def tombstone_phone(user_id: int) -> str:
    """Return the value that replaces an erased account's phone: unique, at most 16 characters, never a number."""
    return f"dihapus-{user_id}"[:16]


def retention_cutoff(today: date, days: int) -> date:
    """Return the day (registration closed, else graduation) on or before which a registrant is erased."""
    return today - timedelta(days=days)
