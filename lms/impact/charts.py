"""The report's SVG charts, drawn on the server (no JavaScript), for the page and the PDF alike.

Built on lms/staff/dashboard/charts.py's habits: presentation attributes only (the CSP forbids
style attributes), every label escaped, a <title> for screen readers, and the page
always prints the same numbers in a table. A grouped chart draws one bar per wave in
each row, with a legend, so baseline, endline and the follow-ups sit side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from lms.content.surveyparse import LEGALITY_ITEMS
from lms.impact.indicators import REVENUE_BANDS
from lms.staff.dashboard.charts import Bar, bar_chart

# One colour per wave, each dark enough for white gaps and legible against the light track.
# Follow-ups take FOLLOWUP_COLOURS in their order (a cohort has at most four), whatever their months.
WAVE_COLOURS = {"baseline": "#6b7785", "endline": "#0b5cad"}
FOLLOWUP_COLOURS = ("#1d7a46", "#8a4b08", "#6a3d9a", "#8c2d19")
TEXT_COLOUR = "#1d2733"
TRACK_COLOUR = "#e7eef6"
FONT_SIZE = 12
BAR_HEIGHT = 11
LABEL_WIDTH = 120
BAR_WIDTH = 120
VALUE_WIDTH = 60
LEGEND_ROW = 18


@dataclass(frozen=True)
class Series:
    key: str  # a wave, for its colour
    label: str


def grouped_bar_chart(rows: list[tuple[str, list[tuple[float, str]]]], series: list[Series], *, title: str,
                      maximum: float | None = None) -> Markup:
    """Return an SVG with a group of bars per row (one per series, in order) under a legend."""
    values = [value for _label, bars in rows for value, _text in bars]
    colours = series_colours(series)
    top = maximum if maximum is not None else max(values, default=0)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    group_height = BAR_HEIGHT * len(series) + 8
    legend_height = LEGEND_ROW * ((len(series) + 1) // 2)
    height = legend_height + group_height * len(rows) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">',
             f"<title>{escape(title)}</title>"]
    for index, item in enumerate(series):
        x, y = (index % 2) * (width // 2), (index // 2) * LEGEND_ROW
        parts.append(f'<rect x="{x}" y="{y + 3}" width="10" height="10" fill="{colours[index]}"/>'
                     f'<text x="{x + 14}" y="{y + 12}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">'
                     f"{escape(item.label)}</text>")
    for row_index, (label, bars) in enumerate(rows):
        y0 = legend_height + row_index * group_height + 2
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y0 + group_height // 2}" text-anchor="end" '
                     f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">{escape(_shorten(label))}</text>')
        for bar_index, ((value, text), _item) in enumerate(zip(bars, series, strict=True)):
            y = y0 + bar_index * BAR_HEIGHT
            length = round(BAR_WIDTH * value / top, 1) if top > 0 else 0
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT - 1}" '
                         f'fill="{TRACK_COLOUR}"/><rect x="{LABEL_WIDTH}" y="{y}" width="{length}" '
                         f'height="{BAR_HEIGHT - 1}" fill="{colours[bar_index]}"/>'
                         f'<text x="{LABEL_WIDTH + BAR_WIDTH + 4}" y="{y + BAR_HEIGHT - 2}" font-size="10" '
                         f'fill="{TEXT_COLOUR}">{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text above is escaped


def series_colours(series: list[Series]) -> list[str]:
    """One colour per series: the baseline's and endline's own, the follow-ups' in their order."""
    followups = [item.key for item in series if item.key not in WAVE_COLOURS]
    return [WAVE_COLOURS.get(item.key) or FOLLOWUP_COLOURS[followups.index(item.key) % len(FOLLOWUP_COLOURS)]
            for item in series]


def _shorten(label: str, limit: int = 17) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def rupiah_short(value: float | None) -> str:
    """Rupiah the short Indonesian way: "Rp 3,2 jt", "Rp 750 rb", "–" for nothing."""
    if value is None:
        return "–"
    if value >= 1_000_000:
        return "Rp " + f"{value / 1_000_000:.1f}".replace(".", ",") + " jt"
    if value >= 1000:
        return f"Rp {value / 1000:.0f} rb"
    return f"Rp {value:.0f}"


def decimal_text(value: float | None, suffix: str = "") -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",") + suffix


def report_charts(waves: dict[str, dict], distribution: dict[str, list[int]], wave_label) -> dict[str, Markup]:
    """The report's charts from its wave summary: revenue, its distribution, employees, channels, legality."""
    answered = [w for w, figures in waves.items() if figures["n"]]
    series = [Series(w, wave_label(w)) for w in answered]
    charts = {}
    charts["revenue"] = bar_chart(
        [Bar(wave_label(w), waves[w]["revenue_median"] or 0,
             rupiah_short(waves[w]["revenue_median"])) for w in answered],
        title=_("Median omzet per bulan per gelombang survei"))
    charts["employees"] = bar_chart(
        [Bar(wave_label(w), waves[w]["employees_mean"] or 0, decimal_text(waves[w]["employees_mean"]))
         for w in answered], title=_("Rata-rata jumlah karyawan per gelombang survei"))
    charts["channels"] = bar_chart(
        [Bar(wave_label(w), waves[w]["online_market_share"] or 0, decimal_text(waves[w]["online_market_share"], "%"))
         for w in answered], title=_("Persentase yang berjualan di marketplace atau e-katalog pemerintah"),
        maximum=100)
    charts["legality"] = grouped_bar_chart(
        [(item.upper(), [(waves[w]["legality_share"][item] or 0,
                          decimal_text(waves[w]["legality_share"][item], "%")) for w in answered])
         for item in LEGALITY_ITEMS], series, title=_("Persentase yang memiliki izin dan sertifikat"), maximum=100)
    paired_waves = [w for w in ("baseline", "endline") if w in distribution]
    totals = {w: sum(distribution[w]) or 1 for w in paired_waves}
    charts["distribution"] = grouped_bar_chart(
        [(band_label(low, high), [(100 * distribution[w][index] / totals[w], str(distribution[w][index]))
                                  for w in paired_waves])
         for index, (low, high) in enumerate(REVENUE_BANDS)],
        [Series(w, wave_label(w)) for w in paired_waves],
        title=_("Sebaran omzet per bulan: survei awal dan akhir (jumlah orang)"))
    return charts


def band_label(low: int, high: int | None) -> str:
    """A revenue band's name, e.g. "Rp 1–2,5 jt"."""
    if high == 1:
        return _("Belum ada omzet")
    if high is None:
        return _("≥ %(amount)s", amount=rupiah_short(low))
    if low <= 1:
        return _("di bawah %(amount)s", amount=rupiah_short(high))
    return _("%(low)s – < %(high)s", low=rupiah_short(low), high=rupiah_short(high))


def compare_chart(figures: list[tuple[object, dict]]) -> Markup:
    """The median and mean revenue change of several cohorts side by side."""
    series = [Series("endline", _("Median")), Series("baseline", _("Rata-rata"))]
    keys = ("revenue_median_pct_change", "revenue_mean_pct_change")
    rows = [(cohort.name, [(max(f[key] or 0, 0), decimal_text(f[key], "%")) for key in keys]) for cohort, f in figures]
    return grouped_bar_chart(rows, series, title=_("Perubahan omzet per bulan per kohort: median dan rata-rata"))
