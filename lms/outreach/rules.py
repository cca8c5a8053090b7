"""Pure rules of the outreach area: referral codes, and the figures per regency."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from lms.regions import REGENCIES

CODE_PATTERN = re.compile(r"^[A-Z0-9](?:[A-Z0-9-]{1,30}[A-Z0-9])$")
CODE_MAX = 32
BASE_MAX = 20


def normalize_code(text: str) -> str:
    """Return a typed code the way it is stored: trimmed, upper-case, spaces and underscores as dashes."""
    return re.sub(r"[\s_]+", "-", (text or "").strip()).upper()


def is_valid_code(code: str) -> bool:
    """Tell whether a (normalized) code is 3–32 letters, digits and inner dashes."""
    return bool(CODE_PATTERN.match(code)) and "--" not in code


def slug(text: str) -> str:
    """Return upper-case ASCII letters and digits of a text, words joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[A-Z0-9]+", ascii_text.upper()))


def suggest_code(label: str, regency_name: str | None, taken: Collection[str]) -> str:
    """Make a code from the regency's name (else the label) that no other code of the cohort has."""
    base = slug(regency_name or "") or slug(label) or "REF"
    base = base[:BASE_MAX].strip("-")
    if len(base) < 3:
        base = (base + "-REF").strip("-")
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


@dataclass(frozen=True)
class RegencyRow:
    code: str
    name: str
    count: int
    target: int | None


def regency_rows(counts: Mapping[str | None, int], targets: Mapping[str, int]) -> list[RegencyRow]:
    """Return one row per regency (all 33, in BPS order) with its count and target."""
    return [RegencyRow(r.code, r.label, counts.get(r.code, 0), targets.get(r.code)) for r in REGENCIES]
