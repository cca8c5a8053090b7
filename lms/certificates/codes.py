"""Certificate numbers and verification codes.

The number (FTD-2026-000123) is for people: it is printed large and quoted on the
phone. The verification code is for checking: 15 random Crockford base32
characters (75 bits) plus one Luhn mod 32 check character, shown in groups of four
(K7QM-4XRT-9BZP-WH3C). Crockford's alphabet leaves out I, L, O and U, so the code
is easy to read aloud and type; when typing, I/L are read as 1 and O as 0, dashes
and spaces are ignored, and the check character catches every single typo and
most swapped neighbours before the database is even asked.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford: the look-alike letters stand for the digits they resemble.
TYPED_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})
RANDOM_LENGTH = 15  # 15 × 5 = 75 random bits
CODE_LENGTH = RANDOM_LENGTH + 1
GROUP = 4
NUMBER_PREFIX = "FTD"


class MalformedCode(ValueError):
    """A typed code that cannot be a verification code (length, characters or check)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "length" | "characters" | "check"


def check_character(body: str) -> str:
    """Return the Luhn mod 32 check character of a string of alphabet characters."""
    total, factor = 0, 2
    for ch in reversed(body):
        addend = factor * VALUE[ch]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def new_code() -> str:
    """Return a fresh random verification code in canonical form (16 characters, no dashes)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_character(body)


def display_code(code: str) -> str:
    """Group a canonical code in fours with dashes, as printed and used in URLs."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def parse_code(typed: str) -> str:
    """Return the canonical form of a typed code, or raise MalformedCode."""
    cleaned = "".join(typed.split()).replace("-", "").upper().translate(TYPED_ALIASES)
    if len(cleaned) != CODE_LENGTH:
        raise MalformedCode("length")
    if any(ch not in VALUE for ch in cleaned):
        raise MalformedCode("characters")
    if check_character(cleaned[:-1]) != cleaned[-1]:
        raise MalformedCode("check")
    return cleaned


def format_number(year: int, sequence: int) -> str:
    """Return the printed certificate number, e.g. FTD-2026-000123."""
    return f"{NUMBER_PREFIX}-{year}-{sequence:06d}"
