"""Names of the survey waves, shared by the pages, the charts and the exports."""

from flask_babel import gettext as _


def wave_label(wave: str) -> str:
    """The Indonesian (or English) name of a survey wave."""
    labels = {"baseline": _("Survei awal"), "endline": _("Survei akhir"),
              "followup-3": _("Survei lanjutan 3 bulan"), "followup-6": _("Survei lanjutan 6 bulan")}
    return labels.get(wave, wave)


