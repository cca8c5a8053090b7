"""Identifier rules shared by modules, courses, questions and criteria."""

import re

# Lowercase letters, digits and "-", not starting or ending with "-".
_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
# "{#some-id}" at the end of a heading; spaces inside the braces are tolerated.
_ID_SUFFIX = re.compile(r"\s*\{\s*#(?P<id>[^}]*?)\s*\}\s*$")


def is_valid_id(value: str) -> bool:
    """Return True if ``value`` is a valid module/course/question id."""
    return bool(_ID.fullmatch(value))


def id_rule() -> str:
    """Return the id rule in Indonesian, for problem messages."""
    return "pakai huruf kecil, angka dan '-' saja"


def split_heading_id(text: str) -> tuple[str, str | None]:
    """Split ``"Question text {#id}"`` into the text and the id (None if absent)."""
    match = _ID_SUFFIX.search(text)
    if match is None:
        return text.strip(), None
    return text[: match.start()].strip(), match["id"]
