"""Forms of the showcase."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from lms import regions
from lms.choices import SECTORS, select_choices
from lms.forms import BaseForm
from lms.people.forms import known_regency, known_sector
from lms.phone import InvalidPhone, normalize_phone
from lms.showcase.rules import LINK_KINDS, BadLink, clean_link


def showable_link(_form, field) -> None:
    """Refuse javascript:, data: and other non-web links with an Indonesian message; keep a clean one."""
    try:
        field.data = clean_link(field.data or "")
    except BadLink:
        raise ValidationError(
            _l("Tautan harus alamat web yang diawali https://, misalnya https://shopee.co.id/tokoanda.")) from None


def whatsapp_phone(_form, field) -> None:
    if not (field.data or "").strip():
        field.data = ""
        return
    try:
        field.data = normalize_phone(field.data)
    except InvalidPhone:
        raise ValidationError(_l("Nomor WhatsApp tidak valid. Contoh: 0812-3456-7890.")) from None


class ListingForm(BaseForm):
    consent = BooleanField(_l("Saya setuju usaha saya ditampilkan di etalase alumni publik, dengan data di bawah ini."))
    business_name = StringField(_l("Nama usaha"), validators=[
        DataRequired(_l("Nama usaha wajib diisi.")),
        Length(max=160, message=_l("Paling banyak %(n)s karakter.", n=160))])
    description = TextAreaField(_l("Deskripsi singkat"), validators=[
        Optional(), Length(max=500, message=_l("Paling banyak %(n)s karakter.", n=500))])
    sector = SelectField(_l("Bidang usaha"), choices=select_choices(SECTORS), validate_choice=False,
                         validators=[DataRequired(_l("Pilih bidang usaha.")), known_sector])
    regency_code = SelectField(_l("Kabupaten/kota"), choices=select_choices(regions.regency_choices()),
                               validate_choice=False,
                               validators=[DataRequired(_l("Pilih kabupaten/kota.")), known_regency])
    photo = FileField(_l("Satu foto produk (JPEG, PNG atau WebP; lokasi GPS di foto dihapus)"))
    whatsapp = StringField(_l("Nomor WhatsApp usaha"), validators=[Optional(), whatsapp_phone])


for _kind, _label in LINK_KINDS:
    setattr(ListingForm, f"link_{_kind}", StringField(_label, validators=[Optional(), showable_link]))


class HideForm(BaseForm):
    reason = TextAreaField(_l("Alasan menyembunyikan"), validators=[
        DataRequired(_l("Tuliskan alasannya.")), Length(min=5, max=300, message=_l("Alasan 5 sampai 300 karakter."))])


class PlainForm(BaseForm):
    """A button with only a CSRF token."""
