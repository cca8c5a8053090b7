"""The filter form of the staff audit page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from lms.choices import select_choices
from lms.forms import BaseForm
from lms.staff.audit.display import action_label, object_type_label


class AuditFilterForm(BaseForm):
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
        kinds = ((t, object_type_label(t)) for t in object_types)
        self.object_type.choices = select_choices([("", _l("Semua")), *kinds])
