"""Read numbers the way Indonesians write them (see docs/content-format.md)."""

import re
from dataclasses import dataclass
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


# --- answers: numbers as participants type them, with units ------------------

# Units an author may declare with ``Satuan:`` on an ``angka`` question, and the
# family each belongs to ("rasio" and "kali" are one family: ROAS 3 = 3x = 3:1).
DECLARED_UNITS: dict[str, str] = {
    "rupiah": "rupiah",
    "persen": "persen",
    "kali": "kali",
    "rasio": "kali",
    "kg": "kg",
    "gram": "gram",
    "piksel": "piksel",
    "bintang": "bintang",
}
# How each family is named in a refusal ("soal ini meminta ...").
UNIT_LABELS = {
    "rupiah": "rupiah",
    "persen": "persen (%)",
    "kali": "kali (mis. 3 atau 3x)",
    "kg": "kilogram (kg)",
    "gram": "gram",
    "piksel": "piksel",
    "bintang": "bintang",
}
# Unit words typed after the number → family. Longest first so "kg" wins over "g".
_UNIT_WORDS: dict[str, str] = {
    "%": "persen",
    "persen": "persen",
    "rupiah": "rupiah",
    "kali lipat": "kali",
    "lipat": "kali",
    "kali": "kali",
    "x": "kali",
    "\u00d7": "kali",
    "kilogram": "kg",
    "kilo": "kg",
    "kg": "kg",
    "gram": "gram",
    "gr": "gram",
    "g": "gram",
    "piksel": "piksel",
    "pixel": "piksel",
    "px": "piksel",
    "bintang": "bintang",
}
_UNIT_TAIL = re.compile(
    r"(?<=[0-9\s%a-z])(?P<word>" + "|".join(re.escape(w) for w in sorted(_UNIT_WORDS, key=len, reverse=True))
    + r")$",
    re.IGNORECASE,
)
# A multiplier word right after the number; "k" must not be the start of "kg".
_MULTIPLIER_TAIL = re.compile(
    r"(?<=[0-9\s])(?P<word>" + "|".join(w for words, _ in _MULTIPLIERS for w in words) + r")$",
    re.IGNORECASE,
)
_CURRENCY_HEAD = re.compile(r"^[-\u2212\u2013]?\s*(?:rp\.?|idr)", re.IGNORECASE)
# One thousands group and nothing else ("1.200", "12.500"): 1,2 / 12,5 may be meant.
_ONE_GROUP = re.compile(r"[-\u2212\u2013]?[1-9][0-9]{0,2}\.[0-9]{3}")
# "0.750" is never thousands grouping: a leading zero group means a decimal point.
_ZERO_DOT = re.compile(r"[-\u2212\u2013]?0\.[0-9]+")
_MAX_ANSWER_LENGTH = 60
# Conversions between families a person would accept: (typed, declared) → factor.
_CONVERSIONS = {
    ("persen", "kali"): Decimal("0.01"),  # "300%" for a ROAS of 3
    ("gram", "kg"): Decimal("0.001"),
    ("kg", "gram"): Decimal(1000),
}


@dataclass(frozen=True)
class TypedNumber:
    """A number read from an answer: its value in the question's unit, and how it was read.

    ``alternative`` is the other reading of a lone thousands group ("1.200" could be
    1,2): the value the answer would have had with the dot read as a decimal point.
    """

    value: Decimal
    unit: str | None  # family typed: "rupiah", "persen", "kali", "kg", …; None for a bare number
    alternative: Decimal | None = None
    converted: bool = False  # typed in another unit of the family ("1500 gram" for kg, "300%" for kali)


def declared_unit(text: str) -> str | None:
    """Return the unit family for a ``Satuan:`` value, or None if it is not one we know."""
    return DECLARED_UNITS.get(" ".join(text.split()).casefold())


def read_typed_number(text: str, unit: str | None = None) -> TypedNumber:
    """Read an answer such as "1,5 juta", "15rb", "300%", "1,5 kg" in the declared unit family.

    Raise ValueError (an Indonesian message) when it is not a number, or when the
    unit typed contradicts ``unit`` (a family from DECLARED_UNITS). Grammar and
    conversions: docs/content-format.md, "Angka yang diketik peserta".
    """
    unit = DECLARED_UNITS.get(unit, unit) if unit else None
    original = " ".join(text.split())
    if len(original) > _MAX_ANSWER_LENGTH:
        raise ValueError("angka terlalu panjang")
    if ":" in original:
        raise ValueError(f"'{original}' bukan angka: tulis satu angka saja, mis. 3 untuk 3:1")
    rest, typed_unit = _peel_unit(original)
    rest, factor = _peel_multiplier(rest)
    if _CURRENCY_HEAD.match(rest):
        if typed_unit not in (None, "rupiah"):
            raise ValueError(f"'{original}' bukan angka: Rp dan '{typed_unit}' tidak bisa sekaligus")
        typed_unit = "rupiah"
    if not any(ch.isdigit() for ch in rest):
        raise ValueError(_explain(rest, original) if rest else "angka kosong")
    digits = _bare_digits(rest)
    if _ZERO_DOT.fullmatch(digits):
        value = Decimal(digits.replace("\u2212", "-").replace("\u2013", "-"))
    else:
        value = parse_indonesian_number(rest)
    alternative = None
    if _ONE_GROUP.fullmatch(digits) and "rupiah" not in (typed_unit, unit):  # Rp 1.200 is never 1,2
        alternative = value / 1000
    conversion = _conversion(typed_unit, unit, original)
    value = value * factor * conversion
    if alternative is not None:
        alternative = alternative * factor * conversion
    return TypedNumber(value=value, unit=typed_unit, alternative=alternative, converted=conversion != 1)


def _peel_unit(text: str) -> tuple[str, str | None]:
    """Split a trailing unit word ("kg", "%", "kali", "x") off an answer."""
    rest = text
    if rest.endswith(",-"):
        rest = rest[:-2].rstrip()
    if rest.endswith("."):
        rest = rest[:-1]  # a sentence's full stop: "15 rb.", "3 kali.", "16."
    match = _UNIT_TAIL.search(rest)
    if not match:
        return rest, None
    return rest[: match.start()].rstrip(), _UNIT_WORDS[match["word"].lower()]


def _peel_multiplier(text: str) -> tuple[str, Decimal]:
    """Split a trailing "juta"/"jt"/"ribu"/"rb"/"k"/"miliar" off; return the rest and its factor."""
    rest = text[:-1] if text.endswith(".") and text[-2:-1].isalpha() else text
    match = _MULTIPLIER_TAIL.search(rest)
    if not match:
        return text, Decimal(1)
    word = match["word"].lower()
    factor = next(value for words, value in _MULTIPLIERS if word in words)
    return rest[: match.start()].rstrip(), factor


def _bare_digits(text: str) -> str:
    """Return the number part without currency, spaces or ",-" (for pattern checks only)."""
    compact = "".join(text.split())
    compact = _CURRENCY_HEAD.sub(lambda m: m.group(0)[:1] if m.group(0)[:1] in _MINUS else "", compact)
    if compact.endswith(",-"):
        compact = compact[:-2]
    return compact.removesuffix("%")


def _conversion(typed: str | None, declared: str | None, original: str) -> Decimal:
    """Return the factor from the typed unit to the declared one; refuse a contradiction."""
    if typed is None or declared is None or typed == declared:
        return Decimal(1)
    if (typed, declared) in _CONVERSIONS:
        return _CONVERSIONS[(typed, declared)]
    raise ValueError(
        f"'{original}' ditulis dalam {UNIT_LABELS[typed]}, padahal soal ini meminta "
        f"{UNIT_LABELS.get(declared, declared)}"
    )


def is_ambiguous_reading(reading: TypedNumber, expected: Decimal | None, tolerance: Decimal) -> bool:
    """Tell whether a lone thousands group ("1.200") may have been meant as a decimal (1,2).

    It is, when the question calls for decimals at all (the expected answer or the
    tolerance has a fractional part, or the answer is 0) and the number was typed
    in the question's unit, or when the expected answer is nearer in size to the
    decimal reading than to the thousands one.
    It depends only on the question and the form typed, never on whether the
    answer is right, so the hint gives nothing away.
    """
    if reading.alternative is None or expected is None:
        return False
    if not reading.converted and (expected == 0 or expected % 1 != 0 or tolerance % 1 != 0):
        return True
    size = abs(expected)
    # Nearer in ratio: size / alt < value / size  ⇔  size² < alt · value.
    return size * size < abs(reading.alternative) * abs(reading.value)
