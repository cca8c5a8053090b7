"""Read numbers the way Indonesians write them (see docs/content-format.md)."""

import re
from decimal import Decimal

# Currency words may sit before the number ("Rp 25.000", "IDR 5000", "Rp. 5.000").
_CURRENCY = re.compile(r"^(?:rp\.?|idr)", re.IGNORECASE)
# Minus signs people paste from word processors, not only ASCII "-".
_MINUS = ("-", "\u2212", "\u2013")
# ASCII digits only: \d would also accept Arabic-Indic and other scripts.
_PLAIN = re.compile(r"[0-9]+(?:,[0-9]+)?")
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
# A dot followed by exactly three digits always groups thousands, so it is
# never read as a decimal point (refusing "1500.000" instead of guessing).
_DOT_DECIMAL = re.compile(r"[0-9]+\.(?![0-9]{3}$)[0-9]+")
# Longer than any real price or answer; keeps junk input cheap to refuse.
_MAX_LENGTH = 40


def parse_indonesian_number(text: str) -> Decimal:
    """Parse an Indonesian-written number such as "Rp 1.500.000,50"."""
    compact = "".join(text.split())
    if not compact:
        raise ValueError("angka kosong")
    if len(compact) > _MAX_LENGTH:
        raise ValueError("angka terlalu panjang")
    negative, digits = _strip_decorations(compact)
    value = _parse_digits(digits, original=text.strip())
    return -value if negative else value


def _strip_decorations(compact: str) -> tuple[bool, str]:
    """Remove sign, currency, percent and a trailing ",-" from a spaceless string."""
    rest = compact
    if rest.endswith(",-"):
        rest = rest[:-2]
    if rest.endswith("%"):
        rest = rest[:-1]
    negative, rest = _take_minus(rest)
    rest = _CURRENCY.sub("", rest, count=1)
    if not negative:
        # "Rp -5.000" puts the sign after the currency.
        negative, rest = _take_minus(rest)
    return negative, rest


def _take_minus(text: str) -> tuple[bool, str]:
    """Split a leading minus sign off ``text``."""
    if text[:1] in _MINUS:
        return True, text[1:]
    return False, text


def _parse_digits(digits: str, *, original: str) -> Decimal:
    """Turn the bare digits-and-separators part into a Decimal."""
    if _PLAIN.fullmatch(digits) or _GROUPED.fullmatch(digits):
        return Decimal(digits.replace(".", "").replace(",", "."))
    if _DOT_DECIMAL.fullmatch(digits):
        return Decimal(digits)
    raise ValueError(_explain(digits, original))


def _explain(digits: str, original: str) -> str:
    """Say in Indonesian why ``original`` is not a number."""
    if digits.count(",") > 1:
        return f"'{original}' bukan angka: koma hanya boleh satu (tanda desimal)"
    if any(ch.isalpha() for ch in digits):
        return f"'{original}' bukan angka: ada huruf"
    return f"'{original}' bukan angka yang valid"


# Multiplier words people type after a money amount ("1,5 juta", "750 rb", "15k").
# "M" is left out on purpose: it is "miliar" to some and "million" to others.
_MULTIPLIERS = (
    (("miliar", "milyar"), Decimal(1_000_000_000)),
    (("juta", "jt"), Decimal(1_000_000)),
    (("ribu", "rb", "k"), Decimal(1_000)),
)
_AMOUNT_SUFFIX = re.compile(
    r"^(?P<number>.*?[0-9])\s*(?P<word>" + "|".join(w for words, _ in _MULTIPLIERS for w in words) + r")\.?$",
    re.IGNORECASE,
)


def parse_amount(text: str) -> Decimal:
    """Parse a money amount as people type it: "Rp 1.500.000", "1,5 juta", "1,5jt", "750 rb", "15k"."""
    stripped = text.strip()
    match = _AMOUNT_SUFFIX.match(stripped)
    if not match:
        return parse_indonesian_number(stripped)
    word = match.group("word").lower()
    factor = next(value for words, value in _MULTIPLIERS if word in words)
    return parse_indonesian_number(match.group("number")) * factor
