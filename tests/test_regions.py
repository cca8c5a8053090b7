import dataclasses

import pytest

from lms.regions import (
    REGENCIES,
    REGENCY_BY_CODE,
    Regency,
    RegencyMatch,
    match_regency,
    regency_choices,
)

# BPS codes, checked against the BPS master list (not Kemendagri's 12.xx numbering).
EXPECTED_BPS = {
    "1201": ("Nias", "kabupaten"),
    "1202": ("Mandailing Natal", "kabupaten"),
    "1203": ("Tapanuli Selatan", "kabupaten"),
    "1204": ("Tapanuli Tengah", "kabupaten"),
    "1205": ("Tapanuli Utara", "kabupaten"),
    "1206": ("Toba", "kabupaten"),
    "1207": ("Labuhanbatu", "kabupaten"),
    "1208": ("Asahan", "kabupaten"),
    "1209": ("Simalungun", "kabupaten"),
    "1210": ("Dairi", "kabupaten"),
    "1211": ("Karo", "kabupaten"),
    "1212": ("Deli Serdang", "kabupaten"),
    "1213": ("Langkat", "kabupaten"),
    "1214": ("Nias Selatan", "kabupaten"),
    "1215": ("Humbang Hasundutan", "kabupaten"),
    "1216": ("Pakpak Bharat", "kabupaten"),
    "1217": ("Samosir", "kabupaten"),
    "1218": ("Serdang Bedagai", "kabupaten"),
    "1219": ("Batu Bara", "kabupaten"),
    "1220": ("Padang Lawas Utara", "kabupaten"),
    "1221": ("Padang Lawas", "kabupaten"),
    "1222": ("Labuhanbatu Selatan", "kabupaten"),
    "1223": ("Labuhanbatu Utara", "kabupaten"),
    "1224": ("Nias Utara", "kabupaten"),
    "1225": ("Nias Barat", "kabupaten"),
    "1271": ("Sibolga", "kota"),
    "1272": ("Tanjungbalai", "kota"),
    "1273": ("Pematangsiantar", "kota"),
    "1274": ("Tebing Tinggi", "kota"),
    "1275": ("Medan", "kota"),
    "1276": ("Binjai", "kota"),
    "1277": ("Padangsidimpuan", "kota"),
    "1278": ("Gunungsitoli", "kota"),
}


def _code(text: str) -> str | None:
    found = match_regency(text).regency
    return found.code if found else None


# --- the table ---------------------------------------------------------------


def test_table_matches_bps_list() -> None:
    assert {r.code: (r.name, r.kind) for r in REGENCIES} == EXPECTED_BPS


def test_codes_unique_and_in_province_12() -> None:
    codes = [r.code for r in REGENCIES]
    assert len(codes) == len(set(codes)) == 33
    assert all(len(c) == 4 and c.isdigit() and c.startswith("12") for c in codes)


def test_counts_by_kind() -> None:
    kinds = [r.kind for r in REGENCIES]
    assert kinds.count("kabupaten") == 25
    assert kinds.count("kota") == 8


def test_kota_codes_are_71_and_up() -> None:
    for r in REGENCIES:
        assert (int(r.code[2:]) >= 71) == (r.kind == "kota")


def test_names_unique() -> None:
    names = [r.name.casefold() for r in REGENCIES]
    assert len(names) == len(set(names))


def test_labels() -> None:
    assert REGENCY_BY_CODE["1212"].label == "Kabupaten Deli Serdang"
    assert REGENCY_BY_CODE["1275"].label == "Kota Medan"


def test_regency_by_code_covers_all() -> None:
    assert set(REGENCY_BY_CODE) == set(EXPECTED_BPS)
    assert all(REGENCY_BY_CODE[r.code] is r for r in REGENCIES)


def test_regency_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        REGENCIES[0].name = "X"  # type: ignore[misc]


def test_regency_choices_sorted_by_code() -> None:
    choices = regency_choices()
    assert len(choices) == 33
    assert [c for c, _ in choices] == sorted(EXPECTED_BPS)
    assert choices[0] == ("1201", "Kabupaten Nias")
    assert choices[-1] == ("1278", "Kota Gunungsitoli")
    assert ("1275", "Kota Medan") in choices


# --- exact matches -----------------------------------------------------------


@pytest.mark.parametrize("regency", REGENCIES, ids=lambda r: r.code)
def test_every_name_matches_exactly(regency: Regency) -> None:
    assert match_regency(regency.name) == RegencyMatch("exact", regency, (regency,))


@pytest.mark.parametrize("regency", REGENCIES, ids=lambda r: r.code)
def test_every_label_matches_exactly(regency: Regency) -> None:
    assert match_regency(regency.label) == RegencyMatch("exact", regency, (regency,))


@pytest.mark.parametrize("regency", REGENCIES, ids=lambda r: r.code)
def test_every_code_matches_exactly(regency: Regency) -> None:
    assert match_regency(regency.code) == RegencyMatch("exact", regency, (regency,))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # prefixes, case, punctuation, province noise
        ("Kota Medan", "1275"),
        ("medan", "1275"),
        ("MEDAN", "1275"),
        ("  Kota   Medan  ", "1275"),
        ("Kotamadya Medan", "1275"),
        ("Kota Medan, Sumatera Utara", "1275"),
        ("Medan, Sumatra Utara", "1275"),
        ("Medan - Sumut", "1275"),
        ("Kota Medan, Provinsi Sumatera Utara, Indonesia", "1275"),
        ("Pemkot Medan", "1275"),
        ("Kab. Deli Serdang", "1212"),
        ("Kab.Deli Serdang", "1212"),
        ("deli serdang", "1212"),
        ("Deliserdang", "1212"),
        ("Pemkab Deli Serdang", "1212"),
        ("Kabupaten Deli Serdang, Sumut", "1212"),
        ("Kab Nias Selatan", "1214"),
        ("Kot. Binjai", "1276"),
        ("Simalungun Sumut", "1209"),
        ("Sîmalüngün", "1209"),  # stray accents
        ("Nias", "1201"),
        ("Kabupaten Nias", "1201"),
        ("Labuhanbatu", "1207"),
        ("Padang Lawas", "1221"),
        ("12.75", "1275"),
        (" 1212 ", "1212"),
        # old names, spellings and local abbreviations
        ("Toba Samosir", "1206"),
        ("Kab. Toba Samosir", "1206"),
        ("Tobasa", "1206"),
        ("Labuhan Batu", "1207"),
        ("Labuhan Batu Selatan", "1222"),
        ("Labuhan Batu Utara", "1223"),
        ("Labuhan batu utara", "1223"),  # BPS itself spells it this way
        ("Pematang Siantar", "1273"),
        ("Siantar", "1273"),
        ("P. Siantar", "1273"),
        ("P.Siantar", "1273"),
        ("Kota P. Siantar", "1273"),
        ("Tebingtinggi", "1274"),
        ("Tanjung Balai", "1272"),
        ("Tj. Balai", "1272"),
        ("Padang Sidempuan", "1277"),
        ("Padangsidempuan", "1277"),
        ("Padang Sidimpuan", "1277"),
        ("P. Sidimpuan", "1277"),
        ("Sidempuan", "1277"),
        ("Psp", "1277"),
        ("PSP", "1277"),
        ("Gunung Sitoli", "1278"),
        ("Madina", "1202"),
        ("Sergai", "1218"),
        ("Humbahas", "1215"),
        ("Paluta", "1220"),
        ("Palas", "1221"),
        ("Labusel", "1222"),
        ("Labura", "1223"),
        ("Taput", "1205"),
        ("Tapteng", "1204"),
        ("Tapsel", "1203"),
        ("Batubara", "1219"),
        ("Batu Bara", "1219"),
        ("Pakpak Barat", "1216"),
        ("Pak Pak Bharat", "1216"),
        ("Tanah Karo", "1211"),
        ("Nisel", "1214"),
    ],
)
def test_exact_variants(text: str, code: str) -> None:
    result = match_regency(text)
    assert result.status == "exact", result
    assert result.regency == REGENCY_BY_CODE[code]
    assert result.candidates == (result.regency,)


# --- fuzzy matches -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Deli Sedang", "1212"),
        ("Simalugun", "1209"),
        ("Pematangsiantr", "1273"),
        ("Kota Pematangsiantr", "1273"),
        ("Tapanuli Tenggah", "1204"),
        ("Nias Selatn", "1214"),
        ("Nias Utsra", "1224"),
        ("Lankat", "1213"),
        ("Binjay", "1276"),  # one letter off in a short name
        ("Dairy", "1210"),
        ("Medn", "1275"),
        ("Serdang Bedagei", "1218"),
        ("Humbang Hasundutann", "1215"),
        ("Padangsidimpuam", "1277"),
        ("Labuhanbatu Utar", "1223"),
        # the leading part of exactly one name
        ("Humbang", "1215"),
        ("Mandailing", "1202"),
        ("Pematang", "1273"),
    ],
)
def test_fuzzy_typos(text: str, code: str) -> None:
    result = match_regency(text)
    assert result.status == "fuzzy", result
    assert result.regency == REGENCY_BY_CODE[code]
    assert result.candidates == (result.regency,)


# --- ambiguous ---------------------------------------------------------------


def test_tapanuli_is_ambiguous_between_three() -> None:
    result = match_regency("Tapanuli")
    assert result.status == "ambiguous"
    assert result.regency is None
    assert {r.code for r in result.candidates} == {"1203", "1204", "1205"}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Kab. Tapanuli", {"1203", "1204", "1205"}),
        ("Serdang", {"1212", "1218"}),
        ("Padang", {"1220", "1221", "1277"}),
        ("Labuhan", {"1207", "1222", "1223"}),
        ("Lawas", {"1220", "1221"}),
    ],
)
def test_partial_names_are_ambiguous(text: str, codes: set[str]) -> None:
    result = match_regency(text)
    assert result.status == "ambiguous"
    assert result.regency is None
    assert {r.code for r in result.candidates} == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Tapanuli Seltara", {"1203", "1205"}),  # half Selatan, half Utara
        ("Labuhanbatar", {"1207", "1223"}),
        ("Nias ara", {"1224", "1225"}),
    ],
)
def test_typos_close_to_two_names_are_ambiguous(text: str, codes: set[str]) -> None:
    result = match_regency(text)
    assert result.status == "ambiguous"
    assert result.regency is None
    assert {r.code for r in result.candidates} == codes


# --- unknown -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "...",
        "Kota",
        "Kabupaten",
        "Sumatera Utara",
        "Sumut",
        "Jakarta",
        "Jakarta Selatan",
        "Aceh Besar",
        "Kota Bandung",
        "Padang Panjang",
        "Palu",  # Sulawesi; must not slide to "Paluta"
        "Langsa",
        "Batam",
        "Utara",
        "Nias Utara Selatan Barat Timur Tengah",
        "DS",
        "1299",  # code-shaped but not in the province
        "3171",
        "Medan123",
        "x",
    ],
)
def test_unknown(text: str) -> None:
    assert match_regency(text) == RegencyMatch("unknown", None, ())


def test_direction_words_alone_are_unknown() -> None:
    for word in ("utara", "Selatan", "barat", "timur", "tengah", "Utara Selatan"):
        assert match_regency(word).status == "unknown", word


def test_match_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        match_regency("Medan").status = "unknown"  # type: ignore[misc]
