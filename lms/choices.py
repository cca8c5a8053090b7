"""Fixed lists that forms offer: business sectors, password rules, registration sources."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import SelectChoice

SECTORS = (
    ("kuliner", _l("Kuliner (makanan dan minuman)")),
    ("kriya", _l("Kriya dan fesyen (ulos, tenun, kerajinan)")),
    ("pertanian", _l("Pertanian, perkebunan dan perikanan")),
    ("jasa", _l("Jasa (bengkel, salon, laundry)")),
    ("perdagangan", _l("Perdagangan dan toko kelontong")),
    ("lainnya", _l("Lainnya")),
)
SECTOR_LABELS = dict(SECTORS)
MIN_PASSWORD_LENGTH = 8

STATUS_LABELS = {
    "registered": _l("Terdaftar"),
    "selected": _l("Terpilih"),
    "active": _l("Aktif"),
    # "Lulus" is also a passed quiz; the context gives English its own word for each.
    "graduated": lazy_pgettext("status peserta", "Lulus"),
    "withdrawn": _l("Mengundurkan diri"),
}
ROLE_LABELS = {"participant": _l("Peserta"), "mentor": _l("Mentor"), "staff": _l("Staf")}


def select_choices(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms select options."""
    return [SelectChoice(value, label) for value, label in pairs]

ASSIGNMENT_STATUS_LABELS = {
    None: _l("Tugas belum dikirim"),
    "submitted": _l("Tugas menunggu penilaian"),
    "needs_revision": _l("Tugas perlu revisi"),
    "accepted": _l("Tugas diterima"),
    "withdrawn": _l("Versi ditarik peserta"),  # assign: a new version may follow
}

# How a registrant heard of the programme (the registration form's question; outreach counts them).
HEARD_FROM = (
    ("dinas", _l("Dinas Koperasi kabupaten/kota")),
    ("sosialisasi", _l("Sosialisasi atau acara")),
    ("teman", _l("Teman, keluarga atau sesama UMKM")),
    ("whatsapp", _l("Grup atau pesan WhatsApp")),
    ("instagram", _l("Instagram")),
    ("facebook", _l("Facebook")),
    ("tiktok", _l("TikTok")),
    ("berita", _l("Berita, radio atau TV")),
    ("alumni", _l("Alumni FTD")),
    ("lainnya", _l("Lainnya")),
)
HEARD_FROM_LABELS = dict(HEARD_FROM)
REGISTERED_VIA_LABELS = {"import": _l("Impor"), "form": _l("Formulir daftar"), "staff": _l("Staf")}
