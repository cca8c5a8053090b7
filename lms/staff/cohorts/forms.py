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
from lms.impact import rules as wave_rules
from lms.impact.queries import waves_in_use
from lms.models import Cohort

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MONTHS_SEPARATOR = re.compile(r"[\s,;]+")


class MonthListField(StringField):
    """A list of whole months typed as "3, 6"; `data` is the list (None while what was typed is not numbers)."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return ", ".join(str(m) for m in self.data or [])

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        parts = [part for part in MONTHS_SEPARATOR.split(valuelist[0].strip()) if part]
        self.data = [int(part) for part in parts] if all(part.isdigit() for part in parts) else None


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
    # waves: the follow-up surveys, in months after graduation (lms/impact/rules.py).
    followup_months = MonthListField(_l("Survei lanjutan: bulan setelah kelulusan"),
                                     default=list(wave_rules.DEFAULT_FOLLOWUP_MONTHS))

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

    def validate_followup_months(self, field) -> None:
        """Whole months 1–24, ascending, at most four; never drop a month whose wave already has answers."""
        if field.data is None:
            raise ValidationError(_l("Tulis bulan sebagai angka dipisah koma, misalnya 3, 6."))
        problem = wave_rules.months_problem(field.data)
        if problem == "range":
            raise ValidationError(_l("Setiap bulan harus antara 1 dan 24."))
        if problem == "order":
            raise ValidationError(_l("Urutkan bulan dari yang terkecil, tanpa bulan yang sama dua kali."))
        if problem == "count":
            raise ValidationError(_l("Paling banyak 4 survei lanjutan."))
        cohort = db.session.get(Cohort, self._cohort_id) if self._cohort_id is not None else None
        if cohort is None:
            return
        dropped = set(wave_rules.cohort_months(cohort)) - set(field.data)
        kept = sorted(m for m in dropped if wave_rules.followup_wave(m) in waves_in_use(cohort.id))
        if kept:
            raise ValidationError(_l(
                "Survei lanjutan %(months)s bulan sudah punya jawaban, tautan atau pengingat, jadi bulannya tidak bisa "
                "dihapus.",
                months=", ".join(str(m) for m in kept)))

    def validate_graduation_date(self, field) -> None:
        """Keep the graduation after the bootcamp."""
        if field.data and self.bootcamp_date.data and field.data < self.bootcamp_date.data:
            raise ValidationError(_l("Tanggal kelulusan tidak boleh sebelum tanggal bootcamp."))
