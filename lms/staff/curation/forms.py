"""Forms of the staff curation pages: filters, bulk status, activation codes, criteria, best N."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, ValidationError

from lms import regions
from lms.choices import SECTORS, STATUS_LABELS, select_choices
from lms.forms import BaseForm

STATUS_CHOICES = [(status, label) for status, label in STATUS_LABELS.items()]


class BulkStatusForm(BaseForm):
    target = SelectField(_l("Ubah status menjadi"), choices=select_choices(STATUS_CHOICES))
    reason = StringField(_l("Alasan (wajib, tercatat di riwayat)"),
                         validators=[DataRequired(_l("Alasan wajib diisi.")), Length(max=300)])
    scope = SelectField(_l("Terapkan ke"), choices=select_choices([
        ("selected", _l("Peserta yang dicentang")), ("filtered", _l("Semua hasil filter")),
    ]))
    enrollment_ids = SelectMultipleField(coerce=int, validate_choice=False)
    confirm_elsewhere = BooleanField(_l("Ya, pilih juga yang sudah terpilih atau aktif di kohort lain."))
    override_reason = StringField(_l("Alasan melebihi kapasitas"), validators=[Optional(), Length(max=300)])
    kabupaten = StringField()
    bidang = StringField()
    status = StringField()
    q = StringField()

    def validate_enrollment_ids(self, field) -> None:
        """Require at least one ticked participant when acting on the ticked ones."""
        if self.scope.data == "selected" and not field.data:
            raise ValidationError(_l("Centang minimal satu peserta."))


class CurationFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    kabupaten = SelectField(_l("Kabupaten/kota"), default="", choices=select_choices(
        [("", _l("Semua")), *regions.regency_choices(), ("none", _l("Tidak diketahui"))]))
    bidang = SelectField(_l("Bidang usaha"), default="", choices=select_choices([("", _l("Semua")), *SECTORS]))
    status = SelectField(_l("Status"), default="", choices=select_choices([("", _l("Semua")), *STATUS_CHOICES]))
    q = StringField(_l("Nama, usaha atau nomor HP"), validators=[Optional(), Length(max=80)])


class ActivationCodesForm(BaseForm):
    confirm = BooleanField(_l("Saya mengerti: kode baru dibuat dan kode lama mereka tidak berlaku lagi."),
                           validators=[DataRequired(_l("Centang dulu pernyataan ini."))])
    purpose = StringField(validators=[AnyOf(("csv", "xlsx", "whatsapp"))])


class CurationCriteriaForm(BaseForm):
    """Stage-2 criteria of a cohort: sectors and their weights, regency quotas, business age."""

    allowed_sectors = SelectMultipleField(_l("Bidang usaha yang boleh dipilih (kosong: semua)"),
                                          choices=select_choices(SECTORS), validators=[Optional()])
    min_business_age = IntegerField(_l("Usia usaha minimal (tahun)"), default=0, validators=[
        Optional(), NumberRange(min=0, max=50, message=_l("Usia usaha minimal antara 0 dan 50 tahun."))])
    regency_quota = TextAreaField(_l("Kuota per kabupaten/kota (satu per baris, misalnya \u201cMedan: 20\u201d)"),
                                  validators=[Optional(), Length(max=4000)])
    other_regency_quota = IntegerField(_l("Kuota untuk setiap kabupaten/kota lain (kosong: tanpa batas)"),
                                       validators=[Optional(), NumberRange(min=0, max=100_000, message=_l(
                                           "Kuota harus antara 0 dan 100.000."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed_quota: dict[str, int] = {}

    def validate_regency_quota(self, field) -> None:
        """Read "name or code: number" lines into BPS code → quota, refusing unknown regencies."""
        quotas = {}
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, count = line.rpartition(":")
            found = regions.match_regency(name.strip()) if name.strip() else None
            if found is None or found.regency is None or found.status not in ("exact", "fuzzy"):
                raise ValidationError(_l("Baris %(n)s: kabupaten/kota tidak dikenal: %(value)s", n=number,
                                         value=name.strip() or line.strip()))
            if not count.strip().isdigit():
                raise ValidationError(_l("Baris %(n)s: kuota harus angka, misalnya \u201cMedan: 20\u201d.", n=number))
            quotas[found.regency.code] = int(count.strip())
        self.parsed_quota = quotas


def add_sector_weight_fields(form_class):
    """Give the criteria form one weight field (0–100) per sector."""
    for code, label in SECTORS:
        setattr(form_class, f"weight_{code}", IntegerField(
            _l("Bobot %(sector)s (0–100)", sector=label), validators=[
                Optional(), NumberRange(min=0, max=100, message=_l("Bobot antara 0 dan 100."))]))
    return form_class


add_sector_weight_fields(CurationCriteriaForm)


class SelectBestForm(BaseForm):
    places = IntegerField(_l("Jumlah yang dipilih"), validators=[
        DataRequired(_l("Isi jumlah yang dipilih.")), NumberRange(min=1, max=100_000, message=_l(
            "Jumlah antara 1 dan 100.000."))])
    reason = StringField(_l("Alasan (wajib, tercatat di riwayat)"),
                         validators=[DataRequired(_l("Alasan wajib diisi.")), Length(max=300)])
    confirm = BooleanField(_l("Saya sudah memeriksa daftar ini."))
