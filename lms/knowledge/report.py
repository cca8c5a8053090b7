"""The knowledge gain in the cohort's impact report: the page's and PDF's section, the XLSX sheet, the JSON key.

Kept apart from lms/impact's builders on purpose: the impact report calls `section(cohort)`
once and passes it to its templates, so its own computations stay untouched.
"""

from __future__ import annotations

from flask_babel import gettext as _

from lms.knowledge import bp, queries
from lms.models import Cohort

JSON_KEY = "knowledge_gain"


def section(cohort: Cohort) -> dict | None:
    """The rounded figures, per module (in the course's order) and overall; None when the course has no items.

    Computed from every result row of the cohort: the impact report keeps `stored_gain`
    with its figures instead and prints `section_from` of it.
    """
    return queries.report_section(cohort)


def stored_gain(cohort: Cohort) -> dict | None:
    """The unrounded gain the impact report stores with its figures (None when the course has no items)."""
    return queries.stored_gain(cohort)


def section_from(gain: dict | None) -> dict | None:
    """A stored gain as the page, PDF, XLSX and `--json` print it."""
    return queries.section_of(gain)


@bp.app_template_global("knowledge_method_note")
def method_note() -> str:
    """How the knowledge figures are computed, printed under them (page, PDF and XLSX)."""
    return _("Nilai tes pengetahuan adalah 100 × soal yang dijawab benar ÷ jumlah soal. Soal tes awal dan tes akhir "
             "sama. Rata-rata dihitung hanya dari peserta yang mengerjakan keduanya (n berpasangan), jadi kenaikan "
             "tidak tercampur oleh siapa yang ikut tes. Untuk \"Semua modul\", nilai seorang peserta dihitung dari "
             "semua soal modul yang berpasangan.")


def xlsx_sheet(figures: dict | None) -> tuple[str, list, list[list]] | None:
    """The "Tes pengetahuan" sheet: one row per module, then all modules, then the counts and the method."""
    if figures is None:
        return None
    columns = [_("Modul"), _("Rata-rata tes awal"), _("Rata-rata tes akhir"), _("Kenaikan (poin)"), "n"]
    rows = [[row["title"], row["pre_mean"], row["post_mean"], row["gain_mean"], row["n"]] for row in figures["modules"]]
    rows.append([_("Semua modul"), figures["pre_mean"], figures["post_mean"], figures["gain_mean"], figures["n"]])
    rows += [[_("Peserta yang mengerjakan tes awal"), figures["respondents_pre"]],
             [_("Peserta yang mengerjakan tes akhir"), figures["respondents_post"]],
             [method_note()]]
    return _("Tes pengetahuan"), columns, rows


def json_figures(gain: dict | None) -> dict | None:
    """The `knowledge_gain` key of `lms impact report --json` (numbers rounded to 1 decimal) from a stored gain."""
    return section_from(gain)
