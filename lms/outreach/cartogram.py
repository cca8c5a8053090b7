"""The North Sumatra tile cartogram: where each regency sits, how a tile is coloured, and its SVG.

Each of the 33 regencies and cities is one square tile on a hand-made grid that
keeps their rough places: the Nias islands in the west, Mebidangro (Medan, Binjai,
Deli Serdang, Karo) in the centre-north, the Labuhanbatu regencies in the east and
south-east, the Tapanuli regencies down the west coast. Sizes do not follow area or
population: a small city (Sibolga) gets as much room as a large regency, so every
tile can carry its name and count.

Colour says how far a regency is towards its target, in five steps of one blue hue
(light to dark reads as "more", also without colour vision); every tile also writes
its count and percentage, and a regency without a target is hatched. Presentation
attributes only (fill=, stroke=), no style attributes: the Content-Security-Policy
forbids those.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from lms.regions import REGENCY_BY_CODE

# code → (column, row); column 0 is the west, row 0 the north.
GRID: Mapping[str, tuple[int, int]] = {
    # Mebidangro and the north coast
    "1213": (3, 0), "1276": (4, 0), "1275": (5, 0),
    "1216": (2, 1), "1211": (3, 1), "1212": (4, 1), "1218": (5, 1), "1274": (6, 1),
    "1210": (2, 2), "1217": (3, 2), "1209": (4, 2), "1273": (5, 2), "1219": (6, 2),
    # Lake Toba, the east coast and the Nias islands
    "1224": (1, 3), "1204": (2, 3), "1215": (3, 3), "1206": (4, 3), "1208": (5, 3), "1272": (6, 3),
    "1225": (0, 4), "1278": (1, 4), "1271": (2, 4), "1205": (3, 4), "1223": (5, 4), "1207": (6, 4),
    # the south: Tapanuli Selatan, Padang Lawas, Mandailing Natal, Labuhanbatu Selatan
    "1201": (1, 5), "1277": (2, 5), "1203": (3, 5), "1220": (4, 5), "1222": (5, 5),
    "1214": (1, 6), "1202": (3, 6), "1221": (4, 6),
}

# Names short enough for a tile (about 8 characters at 9 units).
SHORT_NAMES: Mapping[str, str] = {
    "1201": "Nias", "1202": "Madina", "1203": "Tapsel", "1204": "Tapteng", "1205": "Taput",
    "1206": "Toba", "1207": "Labuhanbt", "1208": "Asahan", "1209": "Simalung.", "1210": "Dairi",
    "1211": "Karo", "1212": "Deli Srd.", "1213": "Langkat", "1214": "Nisel", "1215": "Humbahas",
    "1216": "Pakpak B.", "1217": "Samosir", "1218": "Sergai", "1219": "Batu Bara", "1220": "Paluta",
    "1221": "Palas", "1222": "Labusel", "1223": "Labura", "1224": "Nias Utr.", "1225": "Nias Brt.",
    "1271": "Sibolga", "1272": "Tj. Balai", "1273": "Siantar", "1274": "T. Tinggi", "1275": "Medan",
    "1276": "Binjai", "1277": "P. Sidimp.", "1278": "G. Sitoli",
}

TILE = 44
GAP = 2
PITCH = TILE + GAP
FONT = 9
TEXT_DARK = "#1d2733"
TEXT_LIGHT = "#ffffff"
NO_TARGET_FILL = "#ffffff"
HATCH_ID = "outreach-hatch"


@dataclass(frozen=True)
class Band:
    """One step of the colour scale."""

    key: str
    low: float | None  # the share of the target this step starts at (None: no target)
    fill: str
    text: str  # the colour of the tile's writing, chosen for contrast


# ColorBrewer "Blues": one hue, light to dark, safe for the common colour-vision deficiencies.
BANDS: tuple[Band, ...] = (
    Band("none", None, NO_TARGET_FILL, TEXT_DARK),
    Band("0", 0.0, "#f1f6fc", TEXT_DARK),
    Band("25", 0.25, "#c6dbef", TEXT_DARK),
    Band("50", 0.5, "#9ecae1", TEXT_DARK),
    Band("75", 0.75, "#2b6fb3", TEXT_LIGHT),
    Band("100", 1.0, "#08306b", TEXT_LIGHT),
)


def layout() -> dict[str, tuple[int, int]]:
    """Return each regency code's (x, y) tile corner in SVG units."""
    return {code: (col * PITCH + GAP, row * PITCH + GAP) for code, (col, row) in GRID.items()}


def share(count: int, target: int | None) -> float | None:
    """Return count / target, or None when there is no (positive) target."""
    if not target or target <= 0:
        return None
    return count / target


def band_for(count: int, target: int | None) -> Band:
    """Return the colour step for a count against its target."""
    ratio = share(count, target)
    if ratio is None:
        return BANDS[0]
    chosen = BANDS[1]
    for band in BANDS[1:]:
        if ratio >= band.low:
            chosen = band
    return chosen


def percent_text(count: int, target: int | None) -> str:
    """Return "45%" of the target, or "–" without one."""
    ratio = share(count, target)
    return "–" if ratio is None else f"{round(ratio * 100)}%"


@dataclass(frozen=True)
class Tile:
    code: str
    name: str  # the full name, for the <title>
    count: int
    target: int | None


def cartogram_svg(tiles: list[Tile], *, title: str, tile_title: str) -> Markup:
    """Return the map as SVG; `tile_title` is a format string with {name}, {count}, {target}, {percent}."""
    positions = layout()
    columns = max(col for col, _row in GRID.values()) + 1
    rows = max(row for _col, row in GRID.values()) + 1
    width, height = columns * PITCH + GAP, rows * PITCH + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart cartogram" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
        f'<defs><pattern id="{HATCH_ID}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{NO_TARGET_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#8a96a3" stroke-width="1.5"/></pattern></defs>',
    ]
    for tile in tiles:
        x, y = positions[tile.code]
        band = band_for(tile.count, tile.target)
        fill = f"url(#{HATCH_ID})" if band.key == "none" else band.fill
        label = tile_title.format(name=tile.name, count=tile.count,
                                  target=tile.target if tile.target else "–",
                                  percent=percent_text(tile.count, tile.target))
        middle = x + TILE / 2
        parts.append(
            f'<g class="tile" data-regency="{escape(tile.code)}"><title>{escape(label)}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3" fill="{fill}" '
            f'stroke="#4a5a6a" stroke-width="0.75"/>'
            f'<text x="{middle}" y="{y + 12}" text-anchor="middle" font-size="{FONT}" '
            f'fill="{band.text}">{escape(SHORT_NAMES[tile.code])}</text>'
            f'<text x="{middle}" y="{y + 27}" text-anchor="middle" font-size="13" font-weight="bold" '
            f'fill="{band.text}">{tile.count}</text>'
            f'<text x="{middle}" y="{y + 39}" text-anchor="middle" font-size="{FONT}" '
            f'fill="{band.text}">{escape(percent_text(tile.count, tile.target))}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text above is escaped


def legend_swatch(band: Band) -> Markup:
    """Return a small SVG square in a band's colour (hatched for "no target") for the legend."""
    if band.key == "none":
        inner = (f'<rect width="16" height="16" fill="{NO_TARGET_FILL}"/>'
                 '<path d="M0 16 L16 0 M-4 4 L4 -4 M12 20 L20 12" stroke="#8a96a3" stroke-width="1.5"/>')
    else:
        inner = f'<rect width="16" height="16" fill="{band.fill}"/>'
    return Markup(  # noqa: S704 - constant markup, colours from BANDS
        f'<svg xmlns="http://www.w3.org/2000/svg" class="swatch" viewBox="0 0 16 16" width="16" height="16" '
        f'aria-hidden="true" focusable="false">{inner}<rect width="16" height="16" fill="none" '
        f'stroke="#4a5a6a"/></svg>')


def regency_name(code: str) -> str:
    regency = REGENCY_BY_CODE.get(code)
    return regency.label if regency else code
