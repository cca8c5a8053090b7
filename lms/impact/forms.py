"""Forms of the impact area's staff pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from lms.forms import BaseForm


def wave_choices():
    from lms.impact.labels import wave_label

    return [("", _l("Dari kolom Gelombang di berkas"))] + [
        (wave, wave_label(wave)) for wave in ("baseline", "endline", "followup-3", "followup-6")]


class SurveyImportUploadForm(BaseForm):
    file = FileField(_l("Berkas jawaban survei (CSV atau XLSX, paling besar 10 MB)"),
                     validators=[FileRequired(_l("Pilih berkas CSV atau XLSX."))],
                     render_kw={"accept": ".csv,.xlsx,text/csv"})
    wave = SelectField(_l("Gelombang"), choices=wave_choices, default="")
