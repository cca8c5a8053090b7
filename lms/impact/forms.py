"""Forms of the impact area's staff pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from lms.forms import BaseForm
from lms.impact.labels import wave_label
from lms.impact.rules import cohort_waves


class SurveyImportUploadForm(BaseForm):
    file = FileField(_l("Berkas jawaban survei (CSV atau XLSX, paling besar 10 MB)"),
                     validators=[FileRequired(_l("Pilih berkas CSV atau XLSX."))],
                     render_kw={"accept": ".csv,.xlsx,text/csv"})
    wave = SelectField(_l("Gelombang"), default="")

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.wave.choices = [("", _l("Dari kolom Gelombang di berkas"))] + [
            (wave, wave_label(wave)) for wave in cohort_waves(cohort)]
