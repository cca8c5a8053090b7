"""Every user-visible string is in the catalogs, and English is complete."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from lms import PROJECT_ROOT

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}


def message_key(message_id, context) -> tuple[str | None, str]:
    """Return (context, singular id): "Lulus" the status and "Lulus" the quiz badge are two messages."""
    return context, message_id if isinstance(message_id, str) else message_id[0]


def source_messages() -> set[tuple[str | None, str]]:
    """Extract every translatable string from the code and templates, as pybabel does."""
    with open(PROJECT_ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message_key(message, context))
    return found


def catalog(locale: str):
    path = Path(PROJECT_ROOT / "lms" / "translations" / locale / "LC_MESSAGES" / "messages.po")
    with open(path, "rb") as po:
        return read_po(po)


def test_english_catalog_translates_every_string():
    english = catalog("en")
    translated = {message_key(m.id, m.context) for m in english if m.id and m.string}
    missing = sorted(source_messages() - translated)
    assert not missing, f"{len(missing)} strings lack an English translation (make extract-messages): {missing[:10]}"


def test_indonesian_catalog_knows_every_string():
    indonesian = {message_key(m.id, m.context) for m in catalog("id") if m.id}
    missing = sorted(source_messages() - indonesian)
    assert not missing, f"{len(missing)} strings are not in the Indonesian catalog: {missing[:10]}"


def test_graduated_status_and_passed_quiz_are_different_words_in_english(app):
    from flask_babel import force_locale, gettext

    from lms.choices import STATUS_LABELS

    with app.test_request_context(), force_locale("en"):
        assert str(STATUS_LABELS["graduated"]) == "Graduated"
        assert gettext("Lulus") == "Passed"
    with app.test_request_context():
        assert str(STATUS_LABELS["graduated"]) == gettext("Lulus") == "Lulus"


def test_catalogs_compile_without_placeholder_errors():
    """pybabel compile still writes a .mo when a translation's placeholders differ, but exits 1, and CI stops."""
    for locale in ("en", "id"):
        problems = [(message.id, [str(error) for error in errors]) for message, errors in catalog(locale).check()]
        assert not problems, f"{locale}: {problems[:5]}"
