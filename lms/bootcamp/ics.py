"""iCalendar (RFC 5545) feeds written by hand: escaping, 75-octet line folding, CRLF, UTC times.

Times are written in UTC ("Z"), which every phone calendar shows in its own zone;
an X-WR-TIMEZONE hint names Asia/Jakarta for calendars that like one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

PRODID = "-//Fast Track LMS//Bootcamp//ID"


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    starts_at: datetime  # naive UTC
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    stamp: datetime | None = None


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a UTF-8 character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    chunks, current, limit = [], b"", 75
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > limit:
            chunks.append(current.decode())
            current, limit = b"", 74  # continuation lines start with one space
        current += piece
    chunks.append(current.decode())
    return "\r\n ".join(chunks)


def utc_stamp(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def _clean(value: str) -> str:
    # Control characters other than newlines have no place in a calendar (and would break lines).
    return "".join(ch for ch in value if ch in "\n\r\t" or ord(ch) >= 32)


def calendar(name: str, events: Iterable[Event], now: datetime) -> str:
    """Return a VCALENDAR with one VEVENT per event, as CRLF-terminated text."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(_clean(name))}", "X-WR-TIMEZONE:Asia/Jakarta"]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"SEQUENCE:{event.sequence}",
            f"DTSTAMP:{utc_stamp(event.stamp or now)}",
            f"DTSTART:{utc_stamp(event.starts_at)}",
            f"DTEND:{utc_stamp(event.ends_at)}",
            f"SUMMARY:{escape_text(_clean(event.summary))}",
        ]
        if event.location:
            lines.append(f"LOCATION:{escape_text(_clean(event.location))}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(_clean(event.description))}")
        if event.url:
            lines.append(f"URL:{_clean(event.url).replace(chr(10), '').replace(chr(13), '')}")
        lines.append(f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
