"""Forms of the staff cohort pages."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from lms.choices import select_choices
from lms.extensions import db
from lms.forms import BaseForm
from lms.models import Cohort

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class CohortForm(BaseForm):
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
    posttest_required = BooleanField(_l("Sertifikat baru bisa terbit dan diunduh setelah peserta mengerjakan tes akhir "
                                        "pengetahuan"))  # knowledge

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
