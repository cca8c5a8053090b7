"""Pure rules of the showcase: which links may be shown, and what is public."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

# Where a graduate sells; each is one optional https link.
LINK_KINDS = (
    ("homepage", _l("Homepage usaha")),
    ("landing", _l("Landing page")),
    ("shopee", _l("Toko Shopee")),
    ("tokopedia", _l("Toko Tokopedia / TikTok Shop")),
    ("lainnya", _l("Toko atau halaman lain")),
)
LINK_LABELS = dict(LINK_KINDS)
MAX_LINK_LENGTH = 300
PAGE_SIZE = 24


class BadLink(ValueError):
    """A link that may not be shown: not http(s), no host, or carrying a password."""


def clean_link(text: str) -> str:
    """Return a showable http(s) link, adding https:// to a bare domain; raise BadLink otherwise.

    Only http and https ever reach a page: javascript:, data:, vbscript: and the rest are
    refused outright rather than escaped, because an href runs them when tapped.
    """
    text = (text or "").strip()
    if not text:
        return ""
    if len(text) > MAX_LINK_LENGTH:
        raise BadLink("too long")
    if "://" not in text and ":" in text.split("/", 1)[0].split(".", 1)[0]:
        raise BadLink("scheme")  # javascript:alert(1), data:text/html,…
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise BadLink("scheme or host")
    if parts.username or parts.password or any(c.isspace() or ord(c) < 32 for c in text):
        raise BadLink("credentials or spaces")
    return text


def is_public(consented_at: datetime | None, withdrawn_at: datetime | None, hidden_at: datetime | None,
              graduated: bool) -> bool:
    """A listing is shown only to graduates who agreed, did not withdraw, and were not hidden by staff."""
    return graduated and consented_at is not None and withdrawn_at is None and hidden_at is None


def top_mark(years: list[int]) -> int | None:
    """The year on the "Peserta Terbaik FTD <year>" mark: the latest award, if any."""
    return max(years) if years else None
