"""Regencies and cities of North Sumatra, and matching of free-text answers to them.

Codes are the four-digit BPS codes (1275 = Kota Medan). Kemendagri numbers the
same places differently (12.71 = Kota Medan), so never mix the two schemes.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from flask_babel import gettext as _

Kind = Literal["kabupaten", "kota"]
MatchStatus = Literal["exact", "fuzzy", "ambiguous", "unknown"]

# Below ~0.85 different regencies start to look alike ("Nias Utara" vs "Nias Barat").
FUZZY_CUTOFF = 0.85
# One wrong letter in a short official name ("Binjay", "Dairy") costs more than 0.15.
SHORT_FUZZY_CUTOFF = 0.8
SHORT_KEY_LEN = 6
# Two fuzzy scores this close mean we cannot honestly pick one.
AMBIGUITY_MARGIN = 0.03
# Shorter aliases ("psp", "palas") would match almost any short typo.
MIN_FUZZY_ALIAS_LEN = 6
# Partial words shorter than this ("de", "ni") say too little to suggest anything.
MIN_PARTIAL_LEN = 4


@dataclass(frozen=True)
class Regency:
    """A kabupaten or kota of North Sumatra."""

    code: str
    name: str
    kind: Kind

    @property
    def label(self) -> str:
        """Return the display name, e.g. "Kabupaten Deli Serdang"."""
        return f"{self.kind.capitalize()} {self.name}"


@dataclass(frozen=True)
class RegencyMatch:
    """The outcome of matching free text against the regency list."""

    status: MatchStatus
    regency: Regency | None = None
    candidates: tuple[Regency, ...] = ()


def _kab(code: str, name: str) -> Regency:
    return Regency(code, name, "kabupaten")


def _kota(code: str, name: str) -> Regency:
    return Regency(code, name, "kota")


REGENCIES: tuple[Regency, ...] = (
    _kab("1201", "Nias"),
    _kab("1202", "Mandailing Natal"),
    _kab("1203", "Tapanuli Selatan"),
    _kab("1204", "Tapanuli Tengah"),
    _kab("1205", "Tapanuli Utara"),
    _kab("1206", "Toba"),  # "Toba Samosir" until 2020; BPS kept the code
    _kab("1207", "Labuhanbatu"),
    _kab("1208", "Asahan"),
    _kab("1209", "Simalungun"),
    _kab("1210", "Dairi"),
    _kab("1211", "Karo"),
    _kab("1212", "Deli Serdang"),
    _kab("1213", "Langkat"),
    _kab("1214", "Nias Selatan"),
    _kab("1215", "Humbang Hasundutan"),
    _kab("1216", "Pakpak Bharat"),
    _kab("1217", "Samosir"),
    _kab("1218", "Serdang Bedagai"),
    _kab("1219", "Batu Bara"),
    _kab("1220", "Padang Lawas Utara"),
    _kab("1221", "Padang Lawas"),
    _kab("1222", "Labuhanbatu Selatan"),
    _kab("1223", "Labuhanbatu Utara"),
    _kab("1224", "Nias Utara"),
    _kab("1225", "Nias Barat"),
    _kota("1271", "Sibolga"),
    _kota("1272", "Tanjungbalai"),
    _kota("1273", "Pematangsiantar"),
    _kota("1274", "Tebing Tinggi"),
    _kota("1275", "Medan"),
    _kota("1276", "Binjai"),
    _kota("1277", "Padangsidimpuan"),
    _kota("1278", "Gunungsitoli"),
)

REGENCY_BY_CODE: Mapping[str, Regency] = MappingProxyType(
    {r.code: r for r in REGENCIES}
)

# Old names, local abbreviations and common spellings, as compact keys (see _compact).
# Spacing variants ("Labuhan Batu", "Tanjung Balai") need no entry: keys ignore spaces.
_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "tobasamosir": "1206",
        "tobasa": "1206",
        "madina": "1202",
        "tapsel": "1203",
        "tapteng": "1204",
        "taput": "1205",
        "tanahkaro": "1211",
        "deliserdang": "1212",
        "nisel": "1214",
        "humbahas": "1215",
        "pakpakbarat": "1216",
        "sergai": "1218",
        "paluta": "1220",
        "palas": "1221",
        "labusel": "1222",
        "labura": "1223",
        "tjbalai": "1272",
        "siantar": "1273",
        "psiantar": "1273",
        "padangsidempuan": "1277",
        "psidimpuan": "1277",
        "psidempuan": "1277",
        "sidimpuan": "1277",
        "sidempuan": "1277",
        "psp": "1277",
    }
)

# Leading words that name the kind of government, not the place.
_ADMIN_PREFIXES = frozenset(
    {
        "pemerintah",
        "pemkab",
        "pemkot",
        "kabupaten",
        "kab",
        "kota",
        "kot",
        "kotamadya",
        "kodya",
    }
)
# Trailing province/country noise, e.g. "Medan, Sumatera Utara" or "Binjai - Sumut".
_PROVINCE_SUFFIX = re.compile(
    r"(?:\s+(?:(?:provinsi|prov)\s+)?(?:sumatera|sumatra)\s+utara|\s+sumut|\s+indonesia)+$"
)
# A query made only of compass words matches half the province; treat it as unknown.
_DIRECTION_WORDS = frozenset({"utara", "selatan", "tengah", "barat", "timur"})
_CODE_PATTERN = re.compile(r"([0-9]{2})\.?([0-9]{2})")


def _fold(text: str) -> str:
    """Casefold, drop accents and punctuation, and collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text)
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    no_punct = re.sub(r"[^\w\s]|_", " ", no_marks.casefold())
    return " ".join(no_punct.split())


def _strip_noise(folded: str) -> str:
    """Remove the province suffix and any leading administrative words."""
    words = _PROVINCE_SUFFIX.sub("", " " + folded).split()
    while words and words[0] in _ADMIN_PREFIXES:
        words = words[1:]
    return " ".join(words)


def _compact(text: str) -> str:
    return text.replace(" ", "")


_NAME_KEYS: Mapping[str, Regency] = MappingProxyType(
    {_compact(_fold(r.name)): r for r in REGENCIES}
)
_ALIAS_KEYS: Mapping[str, Regency] = MappingProxyType(
    {key: REGENCY_BY_CODE[code] for key, code in _ALIASES.items()}
)
_INDEX: Mapping[str, Regency] = MappingProxyType({**_NAME_KEYS, **_ALIAS_KEYS})


def _name_cutoff(key: str) -> float:
    return SHORT_FUZZY_CUTOFF if len(key) <= SHORT_KEY_LEN else FUZZY_CUTOFF


# Aliases never get the relaxed cutoff: "Palu" (Sulawesi) must not become "Paluta".
_FUZZY_KEYS: tuple[tuple[str, Regency, float], ...] = (
    *((k, r, _name_cutoff(k)) for k, r in _NAME_KEYS.items()),
    *(
        (k, r, FUZZY_CUTOFF)
        for k, r in _ALIAS_KEYS.items()
        if len(k) >= MIN_FUZZY_ALIAS_LEN
    ),
)


def _match_code(text: str) -> RegencyMatch | None:
    """Resolve a BPS code such as "1275" or "12.75"; None if not code-shaped."""
    found = _CODE_PATTERN.fullmatch(text.strip())
    if found is None:
        return None
    regency = REGENCY_BY_CODE.get(found.group(1) + found.group(2))
    if regency is None:
        return RegencyMatch("unknown")
    return RegencyMatch("exact", regency, (regency,))


def _match_partial(query: str) -> RegencyMatch | None:
    """Match the start of a name or whole words in it, e.g. "Tapanuli"."""
    key = _compact(query)
    words = set(query.split())
    if len(key) < MIN_PARTIAL_LEN or words <= _DIRECTION_WORDS:
        return None
    hits = tuple(
        r
        for r in REGENCIES
        if _compact(_fold(r.name)).startswith(key)
        or words <= set(_fold(r.name).split())
    )
    if not hits:
        return None
    if len(hits) == 1:
        return RegencyMatch("fuzzy", hits[0], hits)
    return RegencyMatch("ambiguous", None, hits)


def _passing_scores(key: str) -> list[tuple[float, Regency]]:
    """Score each regency by its closest key above the cutoff, best first."""
    best: dict[str, tuple[float, Regency]] = {}
    for candidate, regency, cutoff in _FUZZY_KEYS:
        score = difflib.SequenceMatcher(None, key, candidate).ratio()
        if score >= cutoff and score > best.get(regency.code, (0.0,))[0]:
            best[regency.code] = (score, regency)
    return sorted(best.values(), key=lambda pair: pair[0], reverse=True)


def _match_fuzzy(query: str) -> RegencyMatch:
    """Catch small typos such as "Simalugun" or "Deli Sedang"."""
    scored = _passing_scores(_compact(query))
    if not scored:
        return RegencyMatch("unknown")
    top_score = scored[0][0]
    close = tuple(r for score, r in scored if top_score - score <= AMBIGUITY_MARGIN)
    if len(close) > 1:
        return RegencyMatch("ambiguous", None, close)
    return RegencyMatch("fuzzy", close[0], close)


def match_regency(text: str) -> RegencyMatch:
    """Match free text (name, alias, typo or BPS code) to a North Sumatra regency."""
    by_code = _match_code(text)
    if by_code is not None:
        return by_code
    query = _strip_noise(_fold(text))
    if not query:
        return RegencyMatch("unknown")
    exact = _INDEX.get(_compact(query))
    if exact is not None:
        return RegencyMatch("exact", exact, (exact,))
    return _match_partial(query) or _match_fuzzy(query)


def regency_choices() -> list[tuple[str, str]]:
    """Return (code, label) pairs sorted by code, for a select box."""
    return [(r.code, r.label) for r in sorted(REGENCIES, key=lambda r: r.code)]


def district_after_edit(before: Mapping[str, str | None], typed: Mapping[str, str | None]) -> str:
    """Return the kecamatan to store after an edit of a person's regency and kecamatan.

    A kecamatan lies in one regency: when the regency changes and the kecamatan was left as it
    was, the old one is wrong for the new regency, so it is emptied rather than kept (the audit
    row keeps the old value). A kecamatan typed along with the move is kept.
    """
    district = typed.get("district") or ""
    moved = (before.get("regency_code") or "") != (typed.get("regency_code") or "")
    if moved and district == (before.get("district") or ""):
        return ""
    return district


def district_cleared(before: Mapping[str, str | None], after: Mapping[str, str | None]) -> bool:
    """Tell whether an edit emptied the kecamatan because the regency changed (the page says so)."""
    moved = (before.get("regency_code") or "") != (after.get("regency_code") or "")
    return moved and bool(before.get("district")) and not after.get("district")


def district_cleared_message() -> str:
    """What the page says after `district_cleared`."""
    return _("Kecamatan yang lama dikosongkan karena kabupaten/kota berubah. Isi kecamatan yang baru bila perlu.")
