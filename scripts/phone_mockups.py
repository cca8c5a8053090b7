"""Draw the light phone-screen mock-ups used in the lessons (our own drawings, not screenshots).

Run from the repository root: .venv/bin/python scripts/phone_mockups.py
The PNGs are written into the modules' images/ folders, quantized to a few colours so each stays small.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
W, H = 360, 720
INK, GREY, LINE, PAPER = "#1f2933", "#52606d", "#d9e2ec", "#ffffff"


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def phone(title: str, bar: str, bar_text: str = PAPER) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A phone outline with a status bar and an app bar; returns the image and its drawing context."""
    image = Image.new("RGB", (W, H), "#f0f4f8")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, W - 5, H - 5), radius=34, fill=PAPER, outline=INK, width=6)
    draw.rectangle((10, 30, W - 11, 84), fill=bar)
    draw.text((24, 12), "09.41", font=font(12, True), fill=INK)
    draw.text((W - 70, 12), "4G ▮▮▮", font=font(12), fill=INK)
    draw.text((24, 46), "←", font=font(20, True), fill=bar_text)
    draw.text((56, 47), title, font=font(17, True), fill=bar_text)
    draw.rounded_rectangle((W // 2 - 40, H - 26, W // 2 + 40, H - 20), radius=3, fill=INK)
    return image, draw


def button(draw, box, label, fill, text=PAPER, size=13):
    draw.rounded_rectangle(box, radius=16, fill=fill)
    width = draw.textlength(label, font=font(size, True))
    x0, y0, x1, y1 = box
    draw.text(((x0 + x1 - width) / 2, (y0 + y1 - size) / 2 - 1), label, font=font(size, True), fill=text)


def save(image: Image.Image, module: str, name: str) -> None:
    path = ROOT / "content" / module / "images" / name
    image.quantize(colors=24, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(path.relative_to(ROOT), path.stat().st_size, "bytes")


def google_business_profile() -> None:
    blue, green = "#1a73e8", "#188038"
    image, draw = phone("Profil bisnis Anda", blue)
    draw.rectangle((10, 84, W - 11, 200), fill="#e8d9c5")
    draw.text((26, 120), "Foto tampak depan kedai", font=font(13), fill=GREY)
    draw.text((24, 212), "Kopi Sidikalang Tigor", font=font(20, True), fill=INK)
    draw.text((24, 240), "☆☆☆☆☆  Belum ada ulasan", font=font(13), fill="#b06000")
    draw.text((24, 260), "Kedai kopi · Sidikalang, Dairi", font=font(13), fill=GREY)
    for i, label in enumerate(("Telepon", "Rute", "WhatsApp")):
        x = 24 + i * 108
        button(draw, (x, 290, x + 96, 322), label, blue if i < 2 else green)
    draw.text((24, 340), "Buka · Tutup pukul 21.00", font=font(13, True), fill=green)
    draw.text((24, 360), "Jl. Sisingamangaraja, Sidikalang", font=font(13), fill=GREY)
    draw.line((24, 388, W - 25, 388), fill=LINE, width=2)
    draw.rounded_rectangle((24, 402, W - 25, 560), radius=10, fill="#fef7e0", outline="#f9ab00", width=2)
    draw.text((38, 414), "Menunggu verifikasi", font=font(15, True), fill="#b06000")
    lines = ("Setelah terverifikasi, Anda bisa:", "• memposting kabar dan promo", "• membalas ulasan",
             "• menambahkan produk dan harga", "Sementara itu: siapkan draf", "postingan dan balasan ulasan.")
    for i, line in enumerate(lines):
        draw.text((38, 442 + i * 19), line, font=font(13, i in (0, 4, 5)), fill=INK)
    button(draw, (24, 578, W - 25, 614), "Lihat status verifikasi", blue, size=14)
    draw.text((24, 634), "Gambar contoh, bukan tangkapan layar asli.", font=font(11), fill=GREY)
    save(image, "homepage-web-usaha", "layar-profil-google.png")


def whatsapp_catalogue() -> None:
    teal, green = "#075e54", "#25d366"
    image, draw = phone("Katalog", teal)
    draw.text((24, 98), "Keripik Ubi Ompung", font=font(17, True), fill=INK)
    draw.text((24, 120), "Pematangsiantar · 4 item", font=font(13), fill=GREY)
    button(draw, (24, 148, 180, 180), "+ Tambah item", green, size=13)
    button(draw, (192, 148, W - 25, 180), "Bagikan tautan", "#e7f8ee", text=teal, size=13)
    items = (("Keripik Ubi Balado 250 g", "Rp 15.000"), ("Keripik Ubi Original 250 g", "Rp 12.000"),
             ("Keripik Pedas Manis 250 g", "Rp 15.000"), ("Paket Oleh-oleh 3 Rasa", "Rp 42.000"))
    for i, (name, price) in enumerate(items):
        y = 204 + i * 92
        draw.rounded_rectangle((24, y, 96, y + 72), radius=8, fill=("#f6c453", "#f2e3c6", "#e8794a", "#c7a56b")[i])
        draw.text((110, y + 8), name, font=font(13, True), fill=INK)
        draw.text((110, y + 30), price, font=font(13), fill=INK)
        draw.text((110, y + 50), "Kode: KUO-0" + str(i + 1), font=font(11), fill=GREY)
        draw.line((24, y + 84, W - 25, y + 84), fill=LINE, width=1)
    draw.rounded_rectangle((24, 580, W - 25, 640), radius=10, fill="#e7f8ee")
    draw.text((36, 590), "Pembeli mengetuk item → Tanyakan", font=font(12, True), fill=teal)
    draw.text((36, 610), "lewat chat. Foto 1:1, harga jelas.", font=font(12), fill=teal)
    draw.text((24, 654), "Gambar contoh, bukan tangkapan layar asli.", font=font(11), fill=GREY)
    save(image, "manajemen-media-sosial", "layar-katalog-whatsapp.png")


def whatsapp_short_link() -> None:
    teal, green = "#075e54", "#25d366"
    image, draw = phone("Link singkat", teal)
    draw.text((24, 100), "Alat bisnis → Link singkat", font=font(13), fill=GREY)
    draw.text((24, 130), "Tautan Anda", font=font(14, True), fill=INK)
    draw.rounded_rectangle((24, 152, W - 25, 190), radius=8, outline=LINE, width=2)
    draw.text((36, 162), "wa.me/message/ABCD1234", font=font(14), fill="#1a73e8")
    button(draw, (24, 202, 180, 234), "Salin", green)
    button(draw, (192, 202, W - 25, 234), "Bagikan", green)
    draw.line((24, 254, W - 25, 254), fill=LINE, width=2)
    draw.text((24, 268), "Pesan pembuka", font=font(14, True), fill=INK)
    draw.rounded_rectangle((24, 292, W - 25, 392), radius=8, fill="#e7f8ee")
    for i, line in enumerate(("Halo Bika Ambon Rosma, saya", "mau pesan bika ambon pandan.", "(dari landing page)")):
        draw.text((36, 304 + i * 22), line, font=font(13), fill=INK)
    draw.text((24, 404), "Ketuk untuk mengubah. Aktifkan", font=font(12), fill=GREY)
    draw.text((24, 422), "pesan pembuka agar terisi otomatis.", font=font(12), fill=GREY)
    draw.line((24, 450, W - 25, 450), fill=LINE, width=2)
    draw.text((24, 464), "Kode QR", font=font(14, True), fill=INK)
    for row in range(7):
        for col in range(7):
            if (row * 3 + col * 5) % 4 in (0, 1) or row in (0, 6) or col in (0, 6):
                draw.rectangle((24 + col * 14, 490 + row * 14, 37 + col * 14, 503 + row * 14), fill=INK)
    draw.text((140, 500), "Cetak untuk meja kasir,", font=font(12), fill=GREY)
    draw.text((140, 518), "stiker kemasan, atau", font=font(12), fill=GREY)
    draw.text((140, 536), "spanduk.", font=font(12), fill=GREY)
    draw.text((24, 654), "Gambar contoh, bukan tangkapan layar asli.", font=font(11), fill=GREY)
    save(image, "landing-page", "layar-link-singkat.png")


if __name__ == "__main__":
    google_business_profile()
    whatsapp_catalogue()
    whatsapp_short_link()
