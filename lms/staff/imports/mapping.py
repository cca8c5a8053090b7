"""Which column holds which field (pure): the fields, guessing them from headers, checking a mapping."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

FIELDS = ("name", "phone", "email", "regency", "business_name", "sector", "address", "business_started")
REQUIRED_FIELDS = ("name", "phone")
FIELD_LABELS = {
    "name": _l("Nama lengkap"),
    "phone": _l("Nomor HP/WA"),
    "email": _l("Email"),
    "regency": _l("Kabupaten/kota"),
    "business_name": _l("Nama usaha"),
    "sector": _l("Bidang usaha"),
    "address": _l("Alamat"),
    "business_started": _l("Tahun mulai usaha"),
}
# Folded header texts seen on registration forms (Google Forms, KoboToolbox, Excel sheets).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("nama lengkap", "nama", "nama peserta", "nama pemilik", "nama pemilik usaha", "full name", "name"),
    "phone": ("no hp wa", "no hp", "nomor hp", "no wa", "nomor wa", "nomor whatsapp", "no whatsapp", "whatsapp",
              "no telp", "no telepon", "nomor telepon", "telepon", "hp", "handphone", "no hp whatsapp", "phone"),
    "email": ("email", "e mail", "alamat email", "surel", "alamat e mail"),
    "regency": ("kabupaten kota", "kab kota", "kabupaten", "kota", "kota kabupaten", "domisili", "asal kabupaten kota",
                "kabupaten kota domisili", "daerah", "asal daerah"),
    "business_name": ("nama usaha", "nama toko", "nama brand", "merek usaha", "nama umkm", "usaha"),
    "sector": ("bidang usaha", "jenis usaha", "sektor usaha", "sektor", "kategori usaha", "kategori", "bidang"),
    "address": ("alamat", "alamat usaha", "alamat lengkap", "alamat rumah"),
    "business_started": ("tahun mulai usaha", "tahun berdiri", "tahun berdiri usaha", "mulai usaha",
                         "tahun usaha dimulai", "sejak tahun", "usaha sejak", "tahun mulai"),
}


def fold_header(text: str) -> str:
    """Lower-case a header and keep only letters and digits separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def guess_mapping(header: list[str]) -> dict[str, int]:
    """Guess which column holds which field from Indonesian header names."""
    folded = [fold_header(cell) for cell in header]
    mapping: dict[str, int] = {}
    # Exact names first, so "Nama Usaha" goes to business_name before "nama" claims it by prefix.
    for exact in (True, False):
        for name in FIELDS:
            if name not in mapping and (index := _matching_column(folded, name, exact, mapping)) is not None:
                mapping[name] = index
    return mapping


def _matching_column(folded: list[str], name: str, exact: bool, taken: dict[str, int]) -> int | None:
    """Return the first free column whose header names the field, or None."""
    for index, text in enumerate(folded):
        if index in taken.values() or not text:
            continue
        if any(_header_matches(text, synonym, exact) for synonym in HEADER_SYNONYMS[name]):
            return index
    return None


def _header_matches(text: str, synonym: str, exact: bool) -> bool:
    if exact:
        return text == synonym
    return text.startswith(synonym + " ") or (len(synonym) > 3 and f" {synonym} " in f" {text} ")


def validate_mapping(mapping: dict[str, int], column_count: int) -> list[str]:
    """Return the problems of a column mapping (required fields, a column used twice)."""
    problems = []
    for name in REQUIRED_FIELDS:
        if mapping.get(name) is None:
            problems.append(str(_l("Pilih kolom untuk %(field)s.", field=FIELD_LABELS[name])))
    used = [index for index in mapping.values() if index is not None]
    if any(index < 0 or index >= column_count for index in used):
        problems.append(str(_l("Kolom yang dipilih tidak ada di berkas.")))
    if len(used) != len(set(used)):
        problems.append(str(_l("Satu kolom dipilih untuk dua isian.")))
    return problems


def mapped_cell(cells: list[str], mapping: dict[str, int], name: str) -> str:
    """Return the row's value for a field ("" when the field is unmapped or the row is short)."""
    index = mapping.get(name)
    return cells[index] if index is not None and index < len(cells) else ""
