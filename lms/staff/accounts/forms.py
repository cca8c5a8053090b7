"""Forms of the staff console."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from lms import phone, regions
from lms.choices import select_choices
from lms.forms import BaseForm
from lms.models import Role

ROLE_CHOICES = (
    (Role.PARTICIPANT.value, _l("Peserta")),
    (Role.MENTOR.value, _l("Mentor")),
    (Role.STAFF.value, _l("Staf")),
)


class CreateUserForm(BaseForm):
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=120)])
    phone = StringField(_l("Nomor HP"), validators=[DataRequired(_l("Nomor HP wajib diisi."))])
    email = EmailField(
        _l("Email (boleh kosong)"), validators=[Optional(), Email(_l("Alamat email tidak valid.")), Length(max=254)]
    )
    role = SelectField(_l("Peran"), choices=select_choices(ROLE_CHOICES))
    cohort_id = SelectField(_l("Kohort (untuk peserta)"), coerce=int, validate_choice=True)
    business_name = StringField(_l("Nama usaha (untuk peserta)"), validators=[Optional(), Length(max=160)])
    regency_code = SelectField(
        _l("Kabupaten/kota (untuk peserta)"), choices=select_choices([("", "–"), *regions.regency_choices()])
    )

    def validate_phone(self, field) -> None:
        """Refuse anything that is not an Indonesian mobile number."""
        try:
            phone.normalize_phone(field.data)
        except phone.InvalidPhone as error:
            raise ValidationError(_l("Nomor HP tidak valid. Contoh: 0812 3456 7890.")) from error


class MoveEnrollmentForm(BaseForm):
    """Move one of a person's enrollments to another cohort, with a reason."""

    enrollment_id = IntegerField(validators=[DataRequired()])
    cohort_id = SelectField(_l("Pindah ke kohort"), coerce=int, validators=[DataRequired(_l("Pilih kohort."))])
    reason = StringField(_l("Alasan (wajib, tercatat di riwayat)"),
                         validators=[DataRequired(_l("Alasan wajib diisi.")), Length(max=200)])
