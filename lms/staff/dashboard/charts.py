"""Light server-side SVG charts: horizontal bars, no JavaScript and no style attributes.

Colours and sizes are SVG presentation attributes (fill=, width=), which the
Content-Security-Policy allows, unlike inline style attributes. Every label is
escaped; the chart also carries a <title> for screen readers, and the page always
shows the same numbers in a table next to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

BAR_COLOUR = "#0b5cad"
TRACK_COLOUR = "#e7eef6"
TEXT_COLOUR = "#1d2733"
# 300 units wide: on a 360 px phone the chart is drawn at about 1:1, so 12-unit text stays 12 px
# (it was 370 units, which shrank the labels to about 9 px); style.css caps the width on desktops.
ROW_HEIGHT = 24
BAR_HEIGHT = 15
FONT_SIZE = 12
LABEL_WIDTH = 152
BAR_WIDTH = 104
VALUE_WIDTH = 44


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # what the bar's length shows
    text: str  # what is written after the bar, e.g. "42%" or "1.234"


def bar_chart(bars: list[Bar], *, title: str, maximum: float | None = None) -> Markup:
    """Return an SVG with one horizontal bar per row, scaled to the maximum value."""
    top = maximum if maximum is not None else max((bar.value for bar in bars), default=0)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = ROW_HEIGHT * len(bars) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = index * ROW_HEIGHT + 2
        length = round(BAR_WIDTH * bar.value / top, 1) if top > 0 else 0
        text_y = y + BAR_HEIGHT - 2
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" font-size="{FONT_SIZE}" '
            f'fill="{TEXT_COLOUR}">{escape(_shorten(bar.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="{TRACK_COLOUR}"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 4}" y="{text_y}" font-size="{FONT_SIZE}" '
            f'fill="{TEXT_COLOUR}">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text above is escaped


def _shorten(label: str, limit: int = 20) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
