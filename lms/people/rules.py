"""Pure rules of the people area: which fields an edit touches and how a change reads."""

from __future__ import annotations

# Fields on the account (User) and on the business profile (ParticipantProfile) staff may edit.
USER_FIELDS = ("name", "phone", "email")
PROFILE_FIELDS = ("business_name", "sector", "regency_code", "district", "certificate_name")
EDITABLE_FIELDS = USER_FIELDS + PROFILE_FIELDS


def changed_fields(before: dict, after: dict) -> dict[str, tuple]:
    """Return field → (old, new) for every field whose value differs."""
    return {key: (before.get(key), value) for key, value in after.items() if before.get(key) != value}


def split_change(changes: dict[str, tuple]) -> tuple[dict, dict]:
    """Return the (before, after) dicts an audit row stores for a set of changes."""
    return ({key: old for key, (old, _new) in changes.items()}, {key: new for key, (_old, new) in changes.items()})


def clean_text(value: str | None) -> str:
    """Strip a typed value and collapse runs of spaces (names pasted from spreadsheets)."""
    return " ".join((value or "").split())
