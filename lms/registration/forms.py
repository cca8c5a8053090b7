"""Forms of the registration area: self-registration, the "tell me" number, and the signed fill time."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms import phone, regions
from lms.choices import HEARD_FROM, SECTORS, select_choices
from lms.forms import BaseForm

FILL_TIME_SALT = "registration-fill-time"


def too_long_message(limit: int):
    """Return the message for a value longer than `limit` characters."""
    return _l("Paling banyak %(n)s karakter.", n=limit)


def too_long(limit: int):
    """Return a Length validator with an Indonesian message."""
    return Length(max=limit, message=too_long_message(limit))


# The registration form's rules, shared by RegistrationForm (which renders it) and check_registration.
LIMITS = {"phone": 30, "name": 120, "business_name": 160, "regency": 80, "district": 80}
REQUIRED = {
    "phone": _l("Nomor HP wajib diisi."),
    "name": _l("Nama wajib diisi."),
    "business_name": _l("Nama usaha wajib diisi."),
    "sector": _l("Pilih bidang usaha."),
    "regency": _l("Kabupaten/kota wajib diisi."),
    "heard_from": _l("Pilih salah satu."),
    "consent": _l("Anda perlu menyetujui pemrosesan data untuk mendaftar."),
}
UNKNOWN_CHOICE = {"sector": _l("Bidang usaha tidak dikenal. Pilih dari daftar."),
                  "heard_from": _l("Pilihan tidak dikenal. Pilih dari daftar.")}
INVALID_PHONE = _l("Nomor HP tidak valid. Tulis nomor HP Indonesia, contoh: 0812 3456 7890.")
SECTOR_VALUES = frozenset(value for value, _label in SECTORS)
HEARD_FROM_VALUES = frozenset(value for value, _label in HEARD_FROM)
ENTRY_FIELDS = ("phone", "name", "business_name", "sector", "regency", "district", "heard_from", "consent", "ref",
                "started", "website")


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
                raise ValidationError(INVALID_PHONE) from None


class RegistrationForm(BaseForm):
    """The fixed fields of /daftar; the baseline questions come from the survey file (lms.impact.answers).

    It renders the form; a POST is checked by `check_registration` (the same rules and messages,
    without building 11 fields: tests/test_registration_validation.py holds the two together).
    """

    phone = PhoneField(_l("Nomor HP (WhatsApp)"),
                       validators=[DataRequired(REQUIRED["phone"]), too_long(LIMITS["phone"])])
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(REQUIRED["name"]), too_long(LIMITS["name"])])
    business_name = StringField(_l("Nama usaha"), validators=[DataRequired(REQUIRED["business_name"]),
                                                              too_long(LIMITS["business_name"])])
    sector = SelectField(_l("Bidang usaha"), validators=[DataRequired(REQUIRED["sector"])])
    regency = StringField(_l("Kabupaten/kota tempat usaha"),
                          validators=[DataRequired(REQUIRED["regency"]), too_long(LIMITS["regency"])])
    district = StringField(_l("Kecamatan (boleh kosong)"), validators=[Optional(), too_long(LIMITS["district"])])
    heard_from = SelectField(_l("Dari mana Anda tahu program ini?"),
                             validators=[DataRequired(REQUIRED["heard_from"])])
    consent = BooleanField(_l("Saya sudah membaca pemberitahuan di atas dan setuju data saya diproses untuk "
                              "program ini."),
                           validators=[DataRequired(REQUIRED["consent"])])
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
        if field.data not in SECTOR_VALUES:
            raise ValidationError(UNKNOWN_CHOICE["sector"])

    def validate_heard_from(self, field) -> None:
        """Refuse an answer outside the list (a forged POST)."""
        if field.data not in HEARD_FROM_VALUES:
            raise ValidationError(UNKNOWN_CHOICE["heard_from"])

    def validate_regency(self, field) -> None:
        """Accept a regency typed or picked exactly; suggest, never guess, for a near miss."""
        self.regency_code, error = match_regency(field.data or "")
        if error is not None:
            raise ValidationError(error)

    def show(self, entry: RegistrationEntry) -> None:
        """Put a checked POST's messages (and a re-signed fill time) on the form, to render it again."""
        for name, messages in entry.errors.items():
            self[name].errors = list(messages)
        self.started.data = entry.started


def match_regency(text: str) -> tuple[str | None, str | None]:
    """Return (BPS code, None) for a regency typed or picked exactly, else (None, a suggestion or "unknown")."""
    found = regions.match_regency(text)
    if found.status == "exact" and found.regency is not None:
        return found.regency.code, None
    if found.candidates:
        names = ", ".join(r.label for r in found.candidates[:3])
        return None, _l("Maksud Anda: %(names)s? Pilih dari daftar.", names=names)
    return None, _l("Kabupaten/kota tidak dikenal di Sumatera Utara. Pilih dari daftar.")


@dataclass
class RegistrationEntry:
    """What a /daftar POST carried, checked: the typed values, the messages per field, and what they mean."""

    values: dict[str, str]  # the fixed fields as typed ("" when absent)
    errors: dict[str, list] = field(default_factory=dict)  # field name → messages, as RegistrationForm gives them
    phone: str | None = None  # E.164, once valid
    regency_code: str | None = None
    started: str = ""  # the signed fill time (re-signed when it was too old)

    @property
    def valid(self) -> bool:
        return not self.errors


def check_registration(formdata) -> RegistrationEntry:
    """Check a /daftar POST as RegistrationForm.validate() would, without building the form (the rush's hot path).

    Same order and messages as WTForms: a blank required field gets only its "wajib" message;
    a too long value its length message (counted as typed, spaces included), then any other.
    """
    raw = {name: formdata.get(name) for name in ENTRY_FIELDS}
    entry = RegistrationEntry({name: value or "" for name, value in raw.items()}, started=raw["started"] or "")
    for name in ("phone", "name", "business_name", "regency"):
        messages = _text_messages(entry, name, raw[name])
        if messages:
            entry.errors[name] = messages
    for name, values in (("sector", SECTOR_VALUES), ("heard_from", HEARD_FROM_VALUES)):
        value = raw[name]
        if not (value and value.strip()):
            entry.errors[name] = [REQUIRED[name]]
        elif value not in values:  # WTForms' own "not one of the options", then ours
            entry.errors[name] = [_l("Pilihan tidak tersedia."), UNKNOWN_CHOICE[name]]
    district = raw["district"]
    if district and district.strip() and len(district) > LIMITS["district"]:
        entry.errors["district"] = [too_long_message(LIMITS["district"])]
    if raw["consent"] in (None, "", "false"):  # BooleanField's false values
        entry.errors["consent"] = [REQUIRED["consent"]]
    return entry


def _text_messages(entry: RegistrationEntry, name: str, value: str | None) -> list:
    """Return a required text field's messages (phone and regency also keep what they mean on the entry)."""
    messages = []
    if name == "phone":
        text = (value or "").strip()
        if text and len(text) <= LIMITS["phone"]:
            try:
                entry.phone = phone.normalize_phone(text)
            except phone.InvalidPhone:
                messages.append(INVALID_PHONE)
    if not (value and value.strip()):
        return [REQUIRED[name]]
    if len(value) > LIMITS[name]:
        messages.append(too_long_message(LIMITS[name]))
    if name == "regency":
        entry.regency_code, error = match_regency(value)
        if error is not None:
            messages.append(error)
    return messages


class InterestForm(BaseForm):
    """A phone number to be told when the next registration window opens."""

    phone = PhoneField(_l("Nomor HP (WhatsApp)"),
                       validators=[DataRequired(REQUIRED["phone"]), too_long(LIMITS["phone"])])
    consent = BooleanField(_l("Saya setuju nomor ini disimpan hanya untuk memberi tahu saya saat pendaftaran "
                              "dibuka, lalu dihapus."),
                           validators=[DataRequired(_l("Centang persetujuan agar nomor bisa disimpan."))])
    website = StringField(_l("Jangan diisi"), validators=[Optional()])
