"""Indonesian number parsing (docs/content-format.md, table under `angka`)."""

from decimal import Decimal

import pytest

from lms.content.numbers import parse_indonesian_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The table in the spec, row by row.
        ("1500000", "1500000"),
        ("1.500.000", "1500000"),
        ("Rp 1.500.000", "1500000"),
        ("Rp1.500.000,-", "1500000"),
        ("1,5", "1.5"),
        ("1.500.000,50", "1500000.5"),
        ("2,5%", "2.5"),
        ("2,5 %", "2.5"),
        ("-3", "-3"),
        ("1.5", "1.5"),
        ("1.500", "1500"),
        # Edge cases named in the brief.
        ("0,1", "0.1"),
        ("12.5%", "12.5"),
        ("Rp 25.000", "25000"),
        # Decorations and spacing people actually type.
        ("  42  ", "42"),
        ("IDR 5.000", "5000"),
        ("idr5000", "5000"),
        ("rp 5.000", "5000"),
        ("Rp. 25.000", "25000"),
        ("RP25.000,00", "25000"),
        ("1 500 000", "1500000"),
        ("1\u00a0500", "1500"),
        ("25.000,-", "25000"),
        ("-Rp 5.000", "-5000"),
        ("Rp -5.000", "-5000"),
        ("\u22122,5", "-2.5"),
        ("0", "0"),
        ("007", "7"),
        ("1.5000", "1.5"),
        ("1.50", "1.5"),
        ("3.14159", "3.14159"),
        ("1.000.000.000", "1000000000"),
        ("100%", "100"),
        ("12,345", "12.345"),
    ],
)
def test_parses_indonesian_numbers(text: str, expected: str) -> None:
    assert parse_indonesian_number(text) == Decimal(expected)


def test_returns_decimal_not_float() -> None:
    value = parse_indonesian_number("0,1")
    assert isinstance(value, Decimal)
    assert value + parse_indonesian_number("0,2") == Decimal("0.3")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "1,2,3",
        "1..5",
        "1.500.00",
        "1.5.0",
        "1500.000",
        "12.34.567",
        ",5",
        "5,",
        "Rp",
        "-",
        "--3",
        "1,500,000",
        "1.500,000,5",
        "satu",
        "1e5",
        "0x10",
        "Infinity",
        "NaN",
        "4 5a",
        "%5",
        "\u0661\u0662",  # Arabic-Indic digits
        "1" * 41,
    ],
)
def test_refuses_junk(text: str) -> None:
    with pytest.raises(ValueError):
        parse_indonesian_number(text)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "angka kosong"),
        ("1,2,3", "koma hanya boleh satu"),
        ("abc", "ada huruf"),
        ("1..5", "bukan angka yang valid"),
    ],
)
def test_refusal_messages_are_indonesian(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_indonesian_number(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rp 1.500.000", 1_500_000),
        ("1,5 juta", 1_500_000),
        ("1,5jt", 1_500_000),
        ("1,5 JT", 1_500_000),
        ("Rp 2 juta", 2_000_000),
        ("750 rb", 750_000),
        ("750rb", 750_000),
        ("750 ribu", 750_000),
        ("15k", 15_000),
        ("15 K", 15_000),
        ("2 miliar", 2_000_000_000),
        ("1.250 ribu", 1_250_000),
        ("0", 0),
        ("3.500.000,-", 3_500_000),
    ],
)
def test_parse_amount_reads_multiplier_words(text, expected):
    from lms.content.numbers import parse_amount

    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "juta", "satu juta", "1,5 M", "1,5 jutaan", "Rp", "15kk", "abc rb"])
def test_parse_amount_refuses_what_it_cannot_read(text):
    from lms.content.numbers import parse_amount

    with pytest.raises(ValueError):
        parse_amount(text)
