"""Everything the outreach page shows, gathered from the GROUP BY queries (six queries, whatever the size)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask_babel import gettext as _

from lms.choices import HEARD_FROM, HEARD_FROM_LABELS
from lms.models import Cohort, ReferralCode
from lms.outreach import cartogram, charts, queries, rules
from lms.public_url import public_link
from lms.regions import REGENCY_BY_CODE
from lms.staff.dashboard.charts import Bar, bar_chart


@dataclass(frozen=True)
class ReferralRow:
    referral: ReferralCode
    regency: str
    link: str
    whatsapp: str
    count: int


def referral_link(code: str) -> str:
    """Return the absolute registration link carrying a referral code."""
    return public_link(f"/daftar?ref={quote(code)}")


def whatsapp_share(cohort: Cohort, link: str) -> str:
    message = _("Daftar Fast Track Digital (%(cohort)s) untuk UMKM Sumatera Utara, gratis: %(link)s",
                cohort=cohort.name, link=link)
    return "https://wa.me/?text=" + quote(message)


def outreach_page(cohort: Cohort) -> dict:
    """Return the template context of the outreach page."""
    counts = queries.by_regency(cohort.id)
    targets = queries.targets(cohort.id)
    regencies = rules.regency_rows(counts, targets)
    tiles = [cartogram.Tile(r.code, r.name, r.count, r.target) for r in regencies]
    total = sum(counts.values())
    series = charts.day_series(queries.by_day(cohort.id), cohort.registration_opens_on,
                               cohort.registration_closes_on)
    sources = queries.by_source(cohort.id)
    referral_counts = queries.by_referral(cohort.id)
    source_rows = [(str(label), sources.get(key, 0)) for key, label in HEARD_FROM if sources.get(key)]
    unknown_sources = sum(n for key, n in sources.items() if key not in HEARD_FROM_LABELS)
    if unknown_sources:
        source_rows.append((_("Tidak ditanyakan (impor)"), unknown_sources))
    codes = queries.referral_codes(cohort.id)
    referral_rows = []
    for referral in codes:
        link = referral_link(referral.code)
        regency = REGENCY_BY_CODE.get(referral.regency_code or "")
        referral_rows.append(ReferralRow(referral, regency.label if regency else "", link,
                                         whatsapp_share(cohort, link), referral_counts.get(referral.code, 0)))
    known_codes = {r.code for r in codes}
    return {
        "total": total,
        "unknown_regency": counts.get(None, 0),
        "regencies": regencies,
        "map_svg": cartogram.cartogram_svg(
            tiles, title=_("Peta pendaftar per kabupaten/kota dibanding target"),
            tile_title=_("{name}: {count} pendaftar, target {target} ({percent})")),
        "bands": cartogram.BANDS,
        "swatch": cartogram.legend_swatch,
        "daily_svg": charts.daily_svg(series, title=_("Pendaftar per hari"), closes_on=cohort.registration_closes_on,
                                      close_label=_("Tutup"), bar_title=_("{day}: {count} pendaftar")),
        "daily": [(day, count) for day, count in series if count],
        "source_rows": source_rows,
        "source_svg": bar_chart([Bar(label, n, str(n)) for label, n in source_rows],
                                title=_("Pendaftar menurut sumber")) if source_rows else None,
        "referral_rows": referral_rows,
        "without_code": referral_counts.get("", 0),
        "other_codes": sum(n for code, n in referral_counts.items() if code and code not in known_codes),
    }
