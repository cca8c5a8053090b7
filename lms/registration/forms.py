"""Forms of the registration area: self-registration, the "tell me" number, and the signed fill time."""

from __future__ import annotations

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms import phone, regions
from lms.choices import HEARD_FROM, SECTORS, select_choices
from lms.forms import BaseForm

FILL_TIME_SALT = "registration-fill-time"


def too_long(limit: int):
    """Return a Length validator with an Indonesian message."""
    return Length(max=limit, message=_l("Paling banyak %(n)s karakter.", n=limit))


def regency_options() -> list[tuple[str, list[regions.Regency]]]:
    """Return the 33 regencies as (group label, regencies by name): kabupaten first, then kota."""
    groups = []
    for kind, label in (("kabupaten", _l("Kabupaten")), ("kota", _l("Kota"))):
        groups.append((label, sorted((r for r in regions.REGENCIES if r.kind == kind), key=lambda r: r.name)))
    return groups


def sign_fill_time(now: float | None = None) -> str:
    """Return the form's hidden start time, signed so a bot cannot backdate it."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=FILL_TIME_SALT)
    return serializer.dumps(int((now or time.time()) * 1000))


def fill_seconds(token: str, now: float | None = None) -> float | None:
    """Return how many seconds ago the form was shown, or None for a missing, forged or too old token."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=FILL_TIME_SALT)
    max_age = current_app.config["REGISTRATION_FORM_MAX_AGE_HOURS"] * 3600
    try:
        shown_ms = serializer.loads(token or "", max_age=max_age)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(shown_ms, int):
        return None
    return (now or time.time()) - shown_ms / 1000


class PhoneField(StringField):
    """A phone number as typed; `normalized` holds its E.164 form once valid."""

    normalized: str | None = None

    def pre_validate(self, form) -> None:
        self.normalized = None
        text = (self.data or "").strip()
        if text and len(text) <= 30:
            try:
                self.normalized = phone.normalize_phone(text)
            except phone.InvalidPhone:
                raise ValidationError(_l("Nomor HP tidak valid. Tulis nomor HP Indonesia, contoh: 0812 3456 7890.")) \
                    from None


class RegistrationForm(BaseForm):
    """The fixed fields of /daftar; the baseline questions come from the survey file (lms.impact.answers)."""

    phone = PhoneField(_l("Nomor HP (WhatsApp)"),
                       validators=[DataRequired(_l("Nomor HP wajib diisi.")), too_long(30)])
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama wajib diisi.")), too_long(120)])
    business_name = StringField(_l("Nama usaha"),
                                validators=[DataRequired(_l("Nama usaha wajib diisi.")), too_long(160)])
    sector = SelectField(_l("Bidang usaha"), validators=[DataRequired(_l("Pilih bidang usaha."))])
    regency = StringField(_l("Kabupaten/kota tempat usaha"),
                          validators=[DataRequired(_l("Kabupaten/kota wajib diisi.")), too_long(80)])
    district = StringField(_l("Kecamatan (boleh kosong)"), validators=[Optional(), too_long(80)])
    heard_from = SelectField(_l("Dari mana Anda tahu program ini?"),
                             validators=[DataRequired(_l("Pilih salah satu."))])
    consent = BooleanField(_l("Saya sudah membaca pemberitahuan di atas dan setuju data saya diproses untuk "
                              "program ini."),
                           validators=[DataRequired(_l("Anda perlu menyetujui pemrosesan data untuk mendaftar."))])
    # Labels given (never shown): without one WTForms translates a made-up "Ref" on every form built.
    ref = HiddenField("")
    started = HiddenField("")
    # The honeypot: hidden from people by CSS, left empty by them; bots fill every field.
    website = StringField(_l("Jangan diisi"), validators=[Optional()])

    regency_code: str | None = None

    class Meta:
        # CSRFProtect (lms.extensions.csrf) checks every POST's token before the view runs, and the
        # template renders the token itself: a form-level check would verify the same token twice.
        csrf = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = select_choices([("", "–"), *SECTORS])
        self.heard_from.choices = select_choices([("", "–"), *HEARD_FROM])

    def validate_sector(self, field) -> None:
        """Refuse a sector outside the list (a forged POST)."""
        if field.data not in dict(SECTORS):
            raise ValidationError(_l("Bidang usaha tidak dikenal. Pilih dari daftar."))

    def validate_heard_from(self, field) -> None:
        """Refuse an answer outside the list (a forged POST)."""
        if field.data not in dict(HEARD_FROM):
            raise ValidationError(_l("Pilihan tidak dikenal. Pilih dari daftar."))

    def validate_regency(self, field) -> None:
        """Accept a regency typed or picked exactly; suggest, never guess, for a near miss."""
        self.regency_code = None
        found = regions.match_regency(field.data or "")
        if found.status == "exact" and found.regency is not None:
            self.regency_code = found.regency.code
            return
        if found.candidates:
            names = ", ".join(r.label for r in found.candidates[:3])
            raise ValidationError(_l("Maksud Anda: %(names)s? Pilih dari daftar.", names=names))
        raise ValidationError(_l("Kabupaten/kota tidak dikenal di Sumatera Utara. Pilih dari daftar."))


class InterestForm(BaseForm):
    """A phone number to be told when the next registration window opens."""

    phone = PhoneField(_l("Nomor HP (WhatsApp)"),
                       validators=[DataRequired(_l("Nomor HP wajib diisi.")), too_long(30)])
    consent = BooleanField(_l("Saya setuju nomor ini disimpan hanya untuk memberi tahu saya saat pendaftaran "
                              "dibuka, lalu dihapus."),
                           validators=[DataRequired(_l("Centang persetujuan agar nomor bisa disimpan."))])
    website = StringField(_l("Jangan diisi"), validators=[Optional()])
