"""Forms of the staff import pages: the upload and the column mapping."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from lms.choices import select_choices
from lms.forms import BaseForm
from lms.staff.imports.mapping import FIELD_LABELS, FIELDS

NO_COLUMN = ""


class ImportUploadForm(BaseForm):
    file = FileField(_l("Berkas pendaftar (CSV atau XLSX, paling besar 10 MB)"),
                     validators=[FileRequired(_l("Pilih berkas CSV atau XLSX."))],
                     render_kw={"accept": ".csv,.xlsx,text/csv"})


class ImportMappingForm(BaseForm):
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

    def show_mapping(self, mapping: dict[str, int]) -> None:
        """Preselect the stored (or guessed) column of each field."""
        for name, index in mapping.items():
            self[name].data = str(index)

    def mapping(self) -> dict[str, int | None]:
        """Return field → column index (None for unmapped fields)."""
        return {name: int(self[name].data) if self[name].data not in (None, NO_COLUMN) else None for name in FIELDS}
