"""Forms of the people area: the staff edit of a person and the forgotten-password request."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from lms import phone, regions
from lms.choices import SECTOR_LABELS, SECTORS, select_choices
from lms.extensions import db
from lms.forms import BaseForm
from lms.models import User

# The shape only (something@domain.tld): the email_validator package is not a dependency.
EMAIL_SHAPE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
INVALID_PHONE = _l("Nomor HP tidak valid. Contoh: 0812 3456 7890.")


def too_long(limit: int):
    """Return a Length validator with an Indonesian message."""
    return Length(max=limit, message=_l("Paling banyak %(n)s karakter.", n=limit))


def known_regency(_form, field) -> None:
    """Refuse a regency code that is not one of North Sumatra's (an empty value means unknown)."""
    if field.data and field.data not in regions.REGENCY_BY_CODE:
        raise ValidationError(_l("Kabupaten/kota tidak dikenal. Pilih dari daftar."))


def known_sector(_form, field) -> None:
    """Refuse a sector that is not in the list."""
    if field.data and field.data not in SECTOR_LABELS:
        raise ValidationError(_l("Bidang usaha tidak dikenal. Pilih dari daftar."))


def holder_of(column, value, *, other_than: int) -> User | None:
    """Return the other account that already uses a phone or email, if any."""
    return db.session.scalar(select(User).where(column == value, User.id != other_than))


class PersonEditForm(BaseForm):
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama wajib diisi.")), too_long(120)])
    phone = StringField(_l("Nomor HP (untuk masuk)"), validators=[DataRequired(_l("Nomor HP wajib diisi.")),
                                                                   too_long(30)])
    email = EmailField(_l("Email (boleh kosong)"),
                       validators=[Optional(), Regexp(EMAIL_SHAPE, message=_l("Alamat email tidak valid.")),
                                   too_long(254)])
    certificate_name = StringField(_l("Nama di sertifikat (boleh kosong)"), validators=[Optional(), too_long(120)])
    business_name = StringField(_l("Nama usaha"), validators=[Optional(), too_long(160)])
    sector = SelectField(_l("Bidang usaha"), validate_choice=False, validators=[known_sector])
    regency_code = SelectField(_l("Kabupaten/kota"), validate_choice=False, validators=[known_regency])
    district = StringField(_l("Kecamatan"), validators=[Optional(), too_long(80)])
    reason = TextAreaField(_l("Alasan perubahan"), validators=[DataRequired(_l("Tulis alasan perubahan.")),
                                                               too_long(300)])
    version = HiddenField()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user
        self.sector.choices = select_choices([("", "–"), *SECTORS])
        self.regency_code.choices = select_choices([("", _l("Belum diketahui")), *regions.regency_choices()])
        self.normalized_phone: str | None = None

    def validate_phone(self, field) -> None:
        """Accept any common way of typing a mobile number; refuse one another account holds."""
        try:
            self.normalized_phone = phone.normalize_phone(field.data)
        except phone.InvalidPhone:
            raise ValidationError(INVALID_PHONE) from None
        holder = holder_of(User.phone, self.normalized_phone, other_than=self._user.id)
        if holder is not None:
            raise ValidationError(_l("Nomor HP ini sudah dipakai akun %(name)s.", name=holder.name))

    def validate_email(self, field) -> None:
        """Refuse an email address that another account already uses, naming it."""
        if not field.data:
            return
        holder = db.session.scalar(select(User).where(func.lower(User.email) == field.data.strip().lower(),
                                                      User.id != self._user.id))
        if holder is not None:
            raise ValidationError(_l("Email ini sudah dipakai akun %(name)s.", name=holder.name))


class ResetRequestForm(BaseForm):
    phone = StringField(_l("Nomor HP yang terdaftar"), validators=[DataRequired(_l("Isi nomor HP.")), too_long(30)])

    def validate_phone(self, field) -> None:
        """Check only the form of the number: whether it is registered is never told."""
        try:
            phone.normalize_phone(field.data)
        except phone.InvalidPhone:
            raise ValidationError(INVALID_PHONE) from None
