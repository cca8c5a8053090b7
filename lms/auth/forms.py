"""Login, activation, password and profile forms."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, URLField
from wtforms.validators import URL, DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from lms import accounts, phone, regions
from lms.choices import MIN_PASSWORD_LENGTH, SECTORS, select_choices
from lms.extensions import db
from lms.forms import BaseForm
from lms.models import User
from lms.people.forms import known_regency, known_sector


def find_user_by_identifier(identifier: str) -> User | None:
    """Find a user by phone number (any common form) or email address.

    Anything without an "@" is taken as a phone number; phone.InvalidPhone is raised
    when it is not a valid one, so the user is told what is wrong with it.
    """
    identifier = identifier.strip()
    if "@" in identifier:
        return db.session.scalar(select(User).where(func.lower(User.email) == identifier.lower()))
    return db.session.scalar(select(User).where(User.phone == phone.normalize_phone(identifier)))


def new_password_field(label):
    """Return a password field with the shared length rule."""
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Kata sandi wajib diisi.")),
            Length(min=MIN_PASSWORD_LENGTH, max=128, message=_l("Kata sandi minimal 8 karakter.")),
        ],
    )


def confirm_field():
    """Return the repeat-password field."""
    return PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[DataRequired(_l("Ulangi kata sandi.")), EqualTo("password", _l("Kedua kata sandi tidak sama."))],
    )


class LoginForm(BaseForm):
    identifier = StringField(
        _l("Nomor HP atau email"), validators=[DataRequired(_l("Isi nomor HP atau email."))]
    )
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Isi kata sandi."))])

    user: User | None = None
    refused = False  # True when the phone/email and password did not match (a failure to count)

    def validate(self, extra_validators=None) -> bool:
        """Check the credentials and keep the user on the form for the view."""
        if not super().validate(extra_validators):
            return False
        try:
            user = find_user_by_identifier(self.identifier.data)
        except phone.InvalidPhone:
            self.identifier.errors.append(_l("Nomor HP tidak valid. Contoh: 0812 3456 7890."))
            return False
        # Unknown and never-activated accounts verify a dummy hash, so every failure takes
        # as long as a wrong password, and all three get the same words.
        if not accounts.check_login_password(user, self.password.data):
            self.refused = True
            self.password.errors.append(_l("Nomor HP/email atau kata sandi salah."))
            return False
        if not user.active:
            self.identifier.errors.append(_l("Akun ini dinonaktifkan. Hubungi staf PLUT."))
            return False
        self.user = user
        return True


class ActivationForm(BaseForm):
    # The phone tells whose code is being tried, so wrong tries can be capped per code.
    phone = StringField(_l("Nomor HP"), validators=[DataRequired(_l("Isi nomor HP Anda."))])
    code = StringField(_l("Kode aktivasi"), validators=[DataRequired(_l("Isi kode aktivasi."))])
    password = new_password_field(_l("Kata sandi baru"))
    confirm = confirm_field()


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(
        _l("Kata sandi sekarang"), validators=[DataRequired(_l("Isi kata sandi sekarang."))]
    )
    password = new_password_field(_l("Kata sandi baru"))
    confirm = confirm_field()


def optional_url(label):
    """Return an optional http(s) link field."""
    return URLField(
        label,
        validators=[
            Optional(),
            URL(require_tld=True, message=_l("Tautan harus diawali http:// atau https://.")),
            Length(max=300),
        ],
    )


class ProfileForm(BaseForm):
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=120)])
    email = EmailField(
        _l("Email (boleh kosong)"),
        # The shape only: Email() needs the email_validator package, which is not installed.
        validators=[Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Alamat email tidak valid.")),
                    Length(max=254)],
    )
    business_name = StringField(
        _l("Nama usaha"), validators=[DataRequired(_l("Nama usaha wajib diisi.")), Length(max=160)]
    )
    # Checked by our validators, so a forged value gets an Indonesian message (WTForms' own is English).
    sector = SelectField(_l("Bidang usaha"), choices=select_choices(SECTORS), validate_choice=False,
                         validators=[DataRequired(_l("Pilih bidang usaha.")), known_sector])
    regency_code = SelectField(_l("Kabupaten/kota"), choices=select_choices(regions.regency_choices()),
                               validate_choice=False,
                               validators=[DataRequired(_l("Pilih kabupaten/kota.")), known_regency])
    district = StringField(_l("Kecamatan"),
                           validators=[Optional(), Length(max=80, message=_l("Paling banyak %(n)s karakter.", n=80))])
    address = StringField(_l("Alamat usaha"), validators=[Optional(), Length(max=300)])
    instagram_url = optional_url(_l("Instagram"))
    facebook_url = optional_url(_l("Facebook"))
    tiktok_url = optional_url(_l("TikTok"))
    marketplace_url = optional_url(_l("Toko di marketplace"))
    website_url = optional_url(_l("Situs web"))
    version = HiddenField()  # the person's version when the page was opened (a staff edit meanwhile refuses)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def validate_email(self, field) -> None:
        """Refuse an email address that another account already uses."""
        if not field.data:
            return
        taken = db.session.scalar(
            select(User.id).where(func.lower(User.email) == field.data.lower(), User.id != self._user.id)
        )
        if taken:
            raise ValidationError(_l("Email ini sudah dipakai akun lain."))
