"""Forms of the certificates area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from lms.certificates.eligibility import KINDS


class IssueForm(FlaskForm):
    kind = HiddenField(default="graduation", validators=[AnyOf(KINDS, message=_l("Jenis sertifikat tidak dikenal."))])


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Alasan pencabutan"), validators=[
        DataRequired(_l("Tuliskan alasan pencabutan.")),
        Length(min=5, max=300, message=_l("Alasan 5 sampai 300 karakter.")),
    ])


class ReissueForm(FlaskForm):
    name = StringField(_l("Nama yang dicetak"), validators=[
        DataRequired(_l("Nama wajib diisi.")), Length(max=120, message=_l("Nama paling panjang 120 karakter.")),
    ])
    business_name = StringField(_l("Nama usaha yang dicetak"), validators=[
        Length(max=160, message=_l("Nama usaha paling panjang 160 karakter.")),
    ])


class VerifyForm(Form):
    """The public code box; a GET form, so it changes nothing and needs no CSRF token."""

    code = StringField(_l("Kode verifikasi"), validators=[DataRequired(_l("Ketik kode verifikasi sertifikat."))])
