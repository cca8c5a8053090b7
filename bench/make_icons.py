"""Draw the app icons (lms/static/icons/icon-192.png, icon-512.png) with the standard library only.

The PNGs are committed; run this again only to change them: .venv/bin/python bench/make_icons.py
The mark is a block-letter "FT" on the brand blue with an orange bar, inside the
maskable safe zone (the middle 80 %), so launchers may crop it to any shape.
"""

import struct
import zlib
from pathlib import Path

BRAND = (11, 92, 173)
WHITE = (255, 255, 255)
ORANGE = (245, 160, 0)
OUT = Path(__file__).resolve().parent.parent / "lms" / "static" / "icons"
# Rectangles on a 20 × 20 grid: (x0, y0, x1, y1, colour).
SHAPES = (
    (5, 5, 7, 13, WHITE), (7, 5, 10, 7, WHITE), (7, 8, 9, 10, WHITE),  # F
    (10.5, 5, 15, 7, WHITE), (11.75, 7, 13.75, 13, WHITE),  # T
    (5, 14, 15, 15.2, ORANGE),
)


def pixel(x: float, y: float) -> tuple[int, int, int]:
    """Return the colour at a point of the 20 × 20 grid."""
    for x0, y0, x1, y1, colour in SHAPES:
        if x0 <= x < x1 and y0 <= y < y1:
            return colour
    return BRAND


def png(size: int) -> bytes:
    """Encode the icon at one size as a PNG file."""
    scale = 20 / size
    rows = b"".join(b"\x00" + bytes(c for x in range(size) for c in pixel(x * scale, y * scale))
                    for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(png(size))
