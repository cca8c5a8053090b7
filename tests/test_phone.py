import pytest

from lms.phone import (
    INVALID_PHONE_MESSAGE,
    InvalidPhone,
    format_phone_local,
    looks_like_phone,
    normalize_phone,
    whatsapp_number,
)

E164 = "+6281234567890"


@pytest.mark.parametrize(
    "text",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "0812.3456.7890",
        "(0812) 3456-7890",
        "(0812)34567890",
        "+62 812 3456 7890",
        "+62 (812) 3456-7890",
        "+62-812-3456-7890",
        "+6281234567890",
        "6281234567890",
        "62 812 3456 7890",
        "+62 0812 3456 7890",
        "+62081234567890",
        "62 0812 3456 7890",
        "  0812 3456 7890  ",
        "0812\t3456\u00a07890",
    ],
)
def test_normalize_accepts_common_forms(text: str) -> None:
    assert normalize_phone(text) == E164


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0812345678", "+62812345678"),  # 9-digit national number, shortest allowed
        ("0812345678901", "+62812345678901"),  # 12 digits, longest allowed
        ("0852-1234-567", "+628521234567"),
        ("0878 1234 5678", "+6287812345678"),
        ("+62 896 1234 5678", "+6289612345678"),
    ],
)
def test_normalize_length_bounds_and_prefixes(text: str, expected: str) -> None:
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "+62",
        "0",
        "08",
        "081234567",  # 8-digit national number: too short
        "08123456789012",  # 13-digit national number: too long
        "+62 812 3456 7890 12",
        "0812-3456-78ab",
        "O812 3456 7890",  # letter O instead of zero
        "budi@example.com",
        "021 1234 5678",  # Jakarta landline
        "061 4567 890",  # Medan landline
        "+62 61 4567 890",
        "+60 12 345 6789",  # Malaysia
        "+1 415 555 0100",
        "+65 8123 4567",  # Singapore number starting with 8
        "812 3456 7890",  # no country code or trunk 0
        "0062 812 3456 7890",
        "+62 00812 3456 7890",
        "++62 812 3456 7890",
        "0812+3456+7890",
        "0812/3456/7890",
        # Arabic-Indic digits: isdigit() is true for them, but they are no phone
        "\u0660\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660",
    ],
)
def test_normalize_rejects(text: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(text)


def test_invalid_phone_is_value_error_with_indonesian_message() -> None:
    with pytest.raises(ValueError, match="Nomor HP tidak valid") as info:
        normalize_phone("12345")
    assert str(info.value) == INVALID_PHONE_MESSAGE


def test_three_forms_agree() -> None:
    forms = ("0812 3456 7890", "+62 812 3456 7890", "62 812 3456 7890")
    assert {normalize_phone(f) for f in forms} == {E164}


def test_normalize_is_idempotent() -> None:
    assert normalize_phone(normalize_phone("0812-3456-7890")) == E164


@pytest.mark.parametrize(
    "text",
    [
        "0812 3456 7890",
        "+62 812-3456-7890",
        "081234567890",
        "(0812) 3456.7890",
        "12345678",
    ],
)
def test_looks_like_phone(text: str) -> None:
    assert looks_like_phone(text)


@pytest.mark.parametrize(
    "text",
    [
        "budi@example.com",
        "0812345",
        "",
        "   ",
        "budi",
        "0812 3456 789a",
        "08123456789@wa",
        "+",
    ],
)
def test_does_not_look_like_phone(text: str) -> None:
    assert not looks_like_phone(text)


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+6281234567890", "0812-3456-7890"),
        ("+628123456789", "0812-3456-789"),
        ("+62812345678", "0812-3456-78"),
        ("+62812345678901", "0812-3456-78901"),
    ],
)
def test_format_phone_local(e164: str, expected: str) -> None:
    assert format_phone_local(e164) == expected


def test_format_phone_local_accepts_any_valid_form() -> None:
    assert format_phone_local("62 812 3456 7890") == "0812-3456-7890"


def test_format_phone_local_rejects_garbage() -> None:
    with pytest.raises(InvalidPhone):
        format_phone_local("not a phone")


def test_whatsapp_number_has_no_plus() -> None:
    assert whatsapp_number(E164) == "6281234567890"
    assert whatsapp_number("0812-3456-7890") == "6281234567890"


def test_whatsapp_number_rejects_garbage() -> None:
    with pytest.raises(InvalidPhone):
        whatsapp_number("+1 415 555 0100")
