"""Draw the programme page's Open Graph image (lms/static/og-ftd.png, 1200×630): run again after changing it."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
BRAND, INK, ACCENT = (18, 63, 110), (255, 255, 255), (244, 180, 0)


def main() -> None:
    image = Image.new("P", (1200, 630), 0)
    image.putpalette([*BRAND, *INK, *ACCENT] + [0] * (256 - 3) * 3)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1200, 630), fill=2)
    big, small = ImageFont.truetype(FONT, 84), ImageFont.truetype(FONT, 44)
    draw.text((80, 150), "Fast Track", font=big, fill=1)
    draw.text((80, 250), "Digitalisasi UMKM", font=big, fill=1)
    draw.text((80, 390), "Sumatera Utara · 33 kabupaten/kota", font=small, fill=1)
    image.save(ROOT / "lms" / "static" / "og-ftd.png", optimize=True)


if __name__ == "__main__":
    main()
