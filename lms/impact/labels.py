"""Names of the survey waves, shared by the pages, the charts and the exports."""

from flask_babel import gettext as _

from lms.impact.rules import followup_months_of


def wave_label(wave: str) -> str:
    """The Indonesian (or English) name of a survey wave."""
    if wave == "baseline":
        return _("Survei awal")
    if wave == "endline":
        return _("Survei akhir")
    months = followup_months_of(wave)
    return wave if months is None else _("Survei lanjutan %(months)s bulan", months=months)
