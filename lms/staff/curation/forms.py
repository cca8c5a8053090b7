"""Forms of the staff console: cohorts, imports, curation, awards and the audit filter."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, ValidationError

from lms import regions
from lms.choices import SECTORS, STATUS_LABELS, select_choices
from lms.extensions import db
from lms.models import Cohort
from lms.staff.audit_display import action_label
from lms.staff.imports import FIELD_LABELS, FIELDS

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
NO_COLUMN = ""


class CohortForm(FlaskForm):
    name = StringField(_l("Nama kohort"), validators=[DataRequired(_l("Nama kohort wajib diisi.")), Length(max=120)])
    slug = StringField(_l("Slug (untuk alamat dan nama berkas)"),
                       validators=[DataRequired(_l("Slug wajib diisi.")), Length(max=60)])
    course_id = SelectField(_l("Kursus"), validators=[DataRequired(_l("Pilih kursus."))])
    start_date = DateField(_l("Tanggal mulai"), validators=[DataRequired(_l("Tanggal mulai wajib diisi."))])
    bootcamp_date = DateField(_l("Tanggal bootcamp"), validators=[DataRequired(_l("Tanggal bootcamp wajib diisi."))])
    graduation_date = DateField(_l("Tanggal kelulusan"),
                                validators=[DataRequired(_l("Tanggal kelulusan wajib diisi."))])
    capacity = IntegerField(_l("Kapasitas (boleh kosong)"),
                            validators=[Optional(), NumberRange(min=1, max=100_000, message=_l(
                                "Kapasitas harus antara 1 dan 100.000."))])
    # reg: the public registration window (WIB dates, inclusive); both empty = not planned yet.
    registration_opens_on = DateField(_l("Pendaftaran dibuka (boleh kosong)"), validators=[Optional()])
    registration_closes_on = DateField(_l("Pendaftaran ditutup (boleh kosong)"), validators=[Optional()])
    signatory1_name = StringField(_l("Penanda tangan 1: nama"), validators=[Optional(), Length(max=120)])
    signatory1_title = StringField(_l("Penanda tangan 1: jabatan"), validators=[Optional(), Length(max=160)])
    signatory2_name = StringField(_l("Penanda tangan 2: nama"), validators=[Optional(), Length(max=120)])
    signatory2_title = StringField(_l("Penanda tangan 2: jabatan"), validators=[Optional(), Length(max=160)])
    # impact2: the certificate waits for the endline survey (lms/certificates/eligibility.py).
    endline_required = BooleanField(_l("Sertifikat baru bisa terbit dan diunduh setelah peserta mengisi survei akhir"))

    def __init__(self, *args, cohort_id: int | None = None, courses: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self._cohort_id = cohort_id
        self.course_id.choices = select_choices([("", "–"), *courses])

    def validate_slug(self, field) -> None:
        """Require a lower-case slug that no other cohort uses."""
        field.data = (field.data or "").strip().lower()
        if not SLUG_PATTERN.fullmatch(field.data):
            raise ValidationError(_l("Pakai huruf kecil, angka dan tanda minus saja, misalnya ftd-2027."))
        taken = db.session.scalar(select(Cohort.id).where(func.lower(Cohort.slug) == field.data))
        if taken is not None and taken != self._cohort_id:
            raise ValidationError(_l("Slug ini sudah dipakai kohort lain."))

    def validate_bootcamp_date(self, field) -> None:
        """Keep the bootcamp on or after the start."""
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("Tanggal bootcamp tidak boleh sebelum tanggal mulai."))

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then ask for both ends of the registration window, the close not before the opening."""
        valid = super().validate(extra_validators)
        opens, closes = self.registration_opens_on, self.registration_closes_on
        if opens.errors or closes.errors:
            return valid
        if bool(opens.data) != bool(closes.data):
            (closes if opens.data else opens).errors.append(
                _l("Isi tanggal dibuka dan ditutup, atau kosongkan keduanya."))
            return False
        if opens.data and closes.data < opens.data:
            closes.errors.append(_l("Tanggal ditutup tidak boleh sebelum tanggal dibuka."))
            return False
        return valid

    def validate_graduation_date(self, field) -> None:
        """Keep the graduation after the bootcamp."""
        if field.data and self.bootcamp_date.data and field.data < self.bootcamp_date.data:
            raise ValidationError(_l("Tanggal kelulusan tidak boleh sebelum tanggal bootcamp."))


class ImportUploadForm(FlaskForm):
    file = FileField(_l("Berkas pendaftar (CSV atau XLSX, paling besar 10 MB)"),
                     validators=[FileRequired(_l("Pilih berkas CSV atau XLSX."))],
                     render_kw={"accept": ".csv,.xlsx,text/csv"})


class ImportMappingForm(FlaskForm):
    """One select per field; the columns of the uploaded file are the choices."""

    name = SelectField(FIELD_LABELS["name"])
    phone = SelectField(FIELD_LABELS["phone"])
    email = SelectField(FIELD_LABELS["email"])
    regency = SelectField(FIELD_LABELS["regency"])
    business_name = SelectField(FIELD_LABELS["business_name"])
    sector = SelectField(FIELD_LABELS["sector"])
    address = SelectField(FIELD_LABELS["address"])
    business_started = SelectField(FIELD_LABELS["business_started"])

    def __init__(self, *args, header: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        columns = [(NO_COLUMN, _l("(tidak ada)"))] + [
            (str(index), f"{index + 1}. {title or '–'}") for index, title in enumerate(header)
        ]
        for name in FIELDS:
            self[name].choices = select_choices(columns)

    def mapping(self) -> dict[str, int | None]:
        """Return field → column index (None for unmapped fields)."""
        return {name: int(self[name].data) if self[name].data not in (None, NO_COLUMN) else None for name in FIELDS}


STATUS_CHOICES = [(status, label) for status, label in STATUS_LABELS.items()]


class BulkStatusForm(FlaskForm):
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


class CurationFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    kabupaten = SelectField(_l("Kabupaten/kota"), default="", choices=select_choices(
        [("", _l("Semua")), *regions.regency_choices(), ("none", _l("Tidak diketahui"))]))
    bidang = SelectField(_l("Bidang usaha"), default="", choices=select_choices([("", _l("Semua")), *SECTORS]))
    status = SelectField(_l("Status"), default="", choices=select_choices([("", _l("Semua")), *STATUS_CHOICES]))
    q = StringField(_l("Nama, usaha atau nomor HP"), validators=[Optional(), Length(max=80)])


class ActivationCodesForm(FlaskForm):
    confirm = BooleanField(_l("Saya mengerti: kode baru dibuat dan kode lama mereka tidak berlaku lagi."),
                           validators=[DataRequired(_l("Centang dulu pernyataan ini."))])
    purpose = StringField(validators=[AnyOf(("csv", "xlsx", "whatsapp"))])


class AwardForm(FlaskForm):
    enrollment_ids = SelectMultipleField(coerce=int, validate_choice=False,
                                         validators=[DataRequired(_l("Centang minimal satu peserta."))])
    reason = StringField(_l("Alasan tetap memilih mereka (tercatat di log audit)"),
                         validators=[Optional(), Length(max=300)])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    action = SelectField(_l("Tindakan"), default="")
    actor = StringField(_l("Pelaku (nama, nomor HP, atau sistem)"), validators=[Optional(), Length(max=80)])
    object_type = SelectField(_l("Jenis objek"), default="")
    object_id = StringField(_l("ID objek"), validators=[Optional(), Length(max=40)])
    date_from = DateField(_l("Dari tanggal"), validators=[Optional()])
    date_to = DateField(_l("Sampai tanggal"), validators=[Optional()])

    def __init__(self, *args, actions: list[str] = (), object_types: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = select_choices([("", _l("Semua")), *((a, action_label(a)) for a in actions)])
        self.object_type.choices = select_choices([("", _l("Semua")), *((t, t) for t in object_types)])


class MoveEnrollmentForm(FlaskForm):
    """Move one of a person's enrollments to another cohort, with a reason."""

    enrollment_id = IntegerField(validators=[DataRequired()])
    cohort_id = SelectField(_l("Pindah ke kohort"), coerce=int, validators=[DataRequired(_l("Pilih kohort."))])
    reason = StringField(_l("Alasan (wajib, tercatat di riwayat)"),
                         validators=[DataRequired(_l("Alasan wajib diisi.")), Length(max=200)])


class CurationCriteriaForm(FlaskForm):
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


class SelectBestForm(FlaskForm):
    places = IntegerField(_l("Jumlah yang dipilih"), validators=[
        DataRequired(_l("Isi jumlah yang dipilih.")), NumberRange(min=1, max=100_000, message=_l(
            "Jumlah antara 1 dan 100.000."))])
    reason = StringField(_l("Alasan (wajib, tercatat di riwayat)"),
                         validators=[DataRequired(_l("Alasan wajib diisi.")), Length(max=300)])
    confirm = BooleanField(_l("Saya sudah memeriksa daftar ini."))
