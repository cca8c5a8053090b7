"""Indonesian mobile numbers: parse what people type, store E.164, show it back."""

from __future__ import annotations

import re

INVALID_PHONE_MESSAGE = "Nomor HP tidak valid. Contoh: 0812 3456 7890."

COUNTRY_CODE = "62"

# Separators people type between digit groups; none of them carries meaning.
_SEPARATORS = re.compile(r"[\s\-.()]")
# ASCII digits only: str.isdigit() would also accept e.g. Arabic-Indic digits.
_PLUS_DIGITS = re.compile(r"\+?[0-9]+")
# Mobile national significant numbers start with 8 and are 9 to 12 digits long.
_MOBILE_NSN = re.compile(r"8[0-9]{8,11}")
_PHONE_LIKE = re.compile(r"\+?[0-9\s\-.()]+")
MIN_PHONE_DIGITS = 8


class InvalidPhone(ValueError):
    """Raised when text is not an Indonesian mobile number."""

    def __init__(self, message: str = INVALID_PHONE_MESSAGE) -> None:
        super().__init__(message)


def _national_part(compact: str) -> str:
    """Strip the +62 / 62 / 0 prefix and return the national significant number."""
    if compact.startswith("+" + COUNTRY_CODE):
        rest = compact[len(COUNTRY_CODE) + 1 :]
    elif compact.startswith(COUNTRY_CODE):
        rest = compact[len(COUNTRY_CODE) :]
    elif compact.startswith("0"):
        return compact[1:]
    else:
        # A bare "812…" or another country's "+…": we cannot be sure it is Indonesian.
        raise InvalidPhone()
    # "+62 0812…" is a common mix of both forms; the trunk 0 never follows 62.
    return rest[1:] if rest.startswith("0") else rest


def normalize_phone(text: str) -> str:
    """Return an Indonesian mobile number in E.164 form, e.g. "+6281234567890"."""
    compact = _SEPARATORS.sub("", text)
    if not _PLUS_DIGITS.fullmatch(compact):
        raise InvalidPhone()
    national = _national_part(compact)
    if not _MOBILE_NSN.fullmatch(national):
        raise InvalidPhone()
    return f"+{COUNTRY_CODE}{national}"


def looks_like_phone(text: str) -> bool:
    """Tell whether a login identifier is a phone number rather than an email."""
    stripped = text.strip()
    if not _PHONE_LIKE.fullmatch(stripped):
        return False
    return sum(ch.isdigit() for ch in stripped) >= MIN_PHONE_DIGITS


def format_phone_local(e164: str) -> str:
    """Format a number for display the local way, e.g. "0812-3456-7890"."""
    local = "0" + normalize_phone(e164)[len(COUNTRY_CODE) + 1 :]
    return f"{local[:4]}-{local[4:8]}-{local[8:]}"


def whatsapp_number(e164: str) -> str:
    """Return the number the way wa.me wants it, e.g. "6281234567890"."""
    return normalize_phone(e164).removeprefix("+")
