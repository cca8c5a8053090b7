"""Forms of the privacy area: asking for erasure, and staff confirming it."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from lms.forms import BaseForm


class DeletionRequestForm(BaseForm):
    reason = TextAreaField(_l("Alasan (boleh kosong)"), validators=[
        Optional(), Length(max=500, message=_l("Paling banyak %(n)s karakter.", n=500))])
    confirm = BooleanField(_l("Saya mengerti: data saya akan dihapus dan tidak dapat dikembalikan."),
                           validators=[DataRequired(_l("Centang kotak ini untuk melanjutkan."))])


class CarryOutForm(BaseForm):
    confirm = BooleanField(_l("Saya sudah memeriksa permintaan ini; hapus data orang ini sekarang."),
                           validators=[DataRequired(_l("Centang kotak ini untuk melanjutkan."))])
