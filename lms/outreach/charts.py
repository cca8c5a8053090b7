"""Registrations per day as a server-side SVG column chart, with the closing date marked.

One column per calendar day (WIB) from the first day shown to the last, empty days
included, so a rush before the closing date stands out as it happened. Each column
has a <title> with its date and count; the page also lists the days in a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from markupsafe import Markup, escape

BAR_COLOUR = "#0b5cad"
CLOSE_COLOUR = "#b3261e"
TEXT_COLOUR = "#1d2733"
WIDTH = 300
PLOT_HEIGHT = 120
TOP = 14
BOTTOM = 18
LEFT = 28
FONT = 10


def day_series(counts: Mapping[date, int], first: date | None, last: date | None) -> list[tuple[date, int]]:
    """Return (day, count) for every day from first to last (defaults: the first and last day with a count)."""
    if not counts and (first is None or last is None):
        return []
    first = first or min(counts)
    last = last or max(counts)
    if counts:
        first, last = min(first, min(counts)), max(last, max(counts))
    days = (last - first).days + 1
    return [(first + timedelta(days=offset), counts.get(first + timedelta(days=offset), 0)) for offset in range(days)]


def daily_svg(series: list[tuple[date, int]], *, title: str, closes_on: date | None, close_label: str,
              bar_title: str) -> Markup:
    """Return a column chart of the series; `bar_title` is a format string with {day} and {count}."""
    top = max((count for _day, count in series), default=0) or 1
    slot = (WIDTH - LEFT) / max(len(series), 1)
    height = TOP + PLOT_HEIGHT + BOTTOM
    base = TOP + PLOT_HEIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart daily" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" font-size="{FONT}" fill="{TEXT_COLOUR}">{top}</text>',
        f'<text x="{LEFT - 4}" y="{base}" text-anchor="end" font-size="{FONT}" fill="{TEXT_COLOUR}">0</text>',
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#8a96a3" stroke-width="1"/>',
    ]
    for index, (day, count) in enumerate(series):
        bar_height = round(PLOT_HEIGHT * count / top, 1)
        x = round(LEFT + index * slot + slot * 0.1, 1)
        label = bar_title.format(day=day.strftime("%d-%m-%Y"), count=count)
        parts.append(f'<rect x="{x}" y="{round(base - bar_height, 1)}" width="{round(slot * 0.8, 1)}" '
                     f'height="{bar_height}" fill="{BAR_COLOUR}"><title>{escape(label)}</title></rect>')
        if closes_on is not None and day == closes_on:
            middle = round(LEFT + index * slot + slot / 2, 1)
            anchor = "end" if index > len(series) / 2 else "start"
            parts.append(f'<line x1="{middle}" y1="{TOP - 4}" x2="{middle}" y2="{base}" stroke="{CLOSE_COLOUR}" '
                         f'stroke-width="1.5" stroke-dasharray="3 2"/>'
                         f'<text x="{middle}" y="{TOP - 5}" text-anchor="{anchor}" font-size="{FONT}" '
                         f'fill="{CLOSE_COLOUR}">{escape(close_label)}</text>')
    if series:
        parts.append(f'<text x="{LEFT}" y="{height - 4}" font-size="{FONT}" fill="{TEXT_COLOUR}">'
                     f'{series[0][0].strftime("%d-%m")}</text>'
                     f'<text x="{WIDTH}" y="{height - 4}" text-anchor="end" font-size="{FONT}" fill="{TEXT_COLOUR}">'
                     f'{series[-1][0].strftime("%d-%m")}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text above is escaped
