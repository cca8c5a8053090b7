"""Pure rules of assignments: links, when a new version may be sent, and rubric scoring."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from flask_babel import lazy_gettext as _l

SUBMITTED, NEEDS_REVISION, ACCEPTED = "submitted", "needs_revision", "accepted"
WITHDRAWN = "withdrawn"  # taken back by the participant before a mentor opened it; kept in history
DECISIONS = (ACCEPTED, NEEDS_REVISION)
MAX_REASON_LENGTH = 1000
MAX_LINK_LENGTH = 2000
MAX_TEXT_LENGTH = 20000
MAX_FILES = 10

# "instagram.com/x" has no scheme; "javascript:…" or "ftp://…" has one we refuse.
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+\-]*):")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")  # a dotted name: "wa.me", "tokoku.id"


class LinkError(ValueError):
    """Raised with a message for the participant when a link is refused."""


class RubricError(ValueError):
    """Raised when a review's scores do not fit the rubric; `missing` names ungraded criteria."""

    def __init__(self, message: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


@dataclass(frozen=True)
class Grade:
    scores: dict[str, int]
    total_points: int
    max_points: int


def normalize_link(text: str) -> str:
    """Return an http(s) link in normal form (lowercase scheme and host), or raise LinkError."""
    link = text.strip()
    if not link:
        raise LinkError(_l("Tautan kosong."))
    if len(link) > MAX_LINK_LENGTH or any(ch.isspace() or not ch.isprintable() for ch in link):
        raise LinkError(_l("Tautan tidak valid. Salin tautan dari browser, contohnya https://instagram.com/usaha.anda"))
    match = _SCHEME.match(link)
    if match is None:
        link = "https://" + link
    elif match["scheme"].lower() not in ("http", "https"):
        raise LinkError(_l("Hanya tautan yang diawali http:// atau https:// yang diterima."))
    try:
        parts = urlsplit(link)
        port = parts.port
    except ValueError as error:
        raise LinkError(_l("Tautan tidak valid. Periksa lagi alamatnya.")) from error
    host = (parts.hostname or "").rstrip(".")
    if not _HOST.match(host) or parts.username or parts.password:
        raise LinkError(_l("Tautan tidak valid. Periksa lagi alamatnya."))
    netloc = host.lower() + (f":{port}" if port else "")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, parts.fragment))


def submission_block_reason(latest_status: str | None):
    """Return why a participant may not send a new version now, or None when they may."""
    if latest_status == SUBMITTED:
        return _l(
            "Kiriman Anda sedang menunggu penilaian mentor. Anda bisa mengirim versi baru "
            "jika mentor meminta revisi."
        )
    if latest_status == ACCEPTED:
        return _l("Tugas ini sudah diterima mentor. Tidak perlu mengirim lagi.")
    return None


def withdraw_refusal(status: str, opened_at: datetime | None):
    """Return why a version may not be withdrawn now, or None when its participant may take it back."""
    if status == WITHDRAWN:
        return _l("Versi ini sudah ditarik.")
    if status != SUBMITTED:
        return _l("Versi ini sudah dinilai mentor, jadi tidak bisa ditarik lagi.")
    if opened_at is not None:
        return _l("Mentor Anda sudah membuka versi ini, jadi tidak bisa ditarik lagi. Tunggu penilaiannya.")
    return None


def correction_refusal(status: str, *, is_newest_version: bool, has_review: bool):
    """Return why the review in force on a version may not be corrected, or None when it may.

    Only the newest version's review is corrected: once the participant sent a newer
    version, the older decision has been acted on and changing it would leave two
    live versions.
    """
    if not has_review or status not in DECISIONS:
        return _l("Versi ini belum dinilai, jadi belum ada nilai yang bisa dikoreksi.")
    if not is_newest_version:
        return _l("Peserta sudah mengirim versi yang lebih baru; koreksi nilai hanya untuk versi terbaru.")
    return None


def enrollment_block_reason(enrollment_status: str | None):
    """Return why a participant with this enrollment status may not submit yet, or None."""
    if enrollment_status == "graduated":
        return _l("Bootcamp Anda sudah selesai, jadi kiriman baru tidak diterima lagi.")
    if enrollment_status != "active":
        return _l("Pengiriman tugas dibuka setelah status Anda di kohort menjadi aktif.")
    return None


def grade_rubric(snapshot: Mapping, scores: Mapping[str, object]) -> Grade:
    """Check that every criterion of a rubric snapshot got one of its level points; return the grade."""
    criteria = snapshot.get("criteria", [])
    graded: dict[str, int] = {}
    missing = []
    for criterion in criteria:
        allowed = {int(level["points"]) for level in criterion["levels"]}
        raw = scores.get(criterion["id"])
        try:
            points = int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            points = None
        if points is None or points not in allowed:
            missing.append(criterion["id"])
        else:
            graded[criterion["id"]] = points
    if missing:
        raise RubricError(str(_l("Nilai setiap kriteria rubrik harus dipilih.")), tuple(missing))
    max_points = sum(max(int(level["points"]) for level in c["levels"]) for c in criteria if c["levels"])
    return Grade(scores=graded, total_points=sum(graded.values()), max_points=max_points)


def is_valid_decision(decision: str | None) -> bool:
    """Tell whether a review decision is one of the two allowed."""
    return decision in DECISIONS


def hours_waited(submitted_at: datetime, reviewed_at: datetime) -> float:
    """Return the hours a version waited for its review; never negative, even if clocks disagree."""
    return max(0.0, (reviewed_at - submitted_at).total_seconds() / 3600)
