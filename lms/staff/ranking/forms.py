"""Forms of the staff ranking page."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional

from lms.forms import BaseForm


class AwardForm(BaseForm):
    enrollment_ids = SelectMultipleField(coerce=int, validate_choice=False,
                                         validators=[DataRequired(_l("Centang minimal satu peserta."))])
    reason = StringField(_l("Alasan tetap memilih mereka (tercatat di log audit)"),
                         validators=[Optional(), Length(max=300)])
