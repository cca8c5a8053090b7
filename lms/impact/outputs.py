"""The report as files: an XLSX of every figure plus the anonymised paired data, and a PDF.

The XLSX stores every text cell as text (never a formula, whatever a cohort name
says), like lms/staff/exports/datasets.py. The paired data is anonymised: a running number,
the regency and the sector, never a name or a phone. The PDF is the report page's
figures in a printable template with the Dinas letterhead, rendered by the
certificates' confined WeasyPrint renderer (it can read only certificates/: the
fonts and the logo).
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from flask import render_template
from flask_babel import gettext as _

from lms.choices import SECTOR_LABELS
from lms.content.surveyparse import LEGALITY_ITEMS
from lms.impact.indicators import Person
from lms.knowledge import report as knowledge_report
from lms.regions import REGENCY_BY_CODE


def indicator_rows(overall: dict, mindset_labels: dict[str, str]) -> list[tuple[str, object, object]]:
    """(label, value, n) for every headline figure, in the order the page prints them."""
    o = overall
    rows = [
        (_("Responden survei awal"), o["respondents_baseline"], o["enrolled"]),
        (_("Responden survei akhir"), o["respondents_endline"], o["enrolled"]),
        (_("Tingkat respons survei akhir (%)"), o["response_rate"], o["enrolled"]),
        (_("Perubahan omzet per bulan: median (%)"), o["revenue_median_pct_change"], o["revenue_n"]),
        (_("Perubahan omzet per bulan: rata-rata (%)"), o["revenue_mean_pct_change"], o["revenue_n"]),
        (_("Perubahan total omzet semua peserta (%)"), o["revenue_pct_change_of_totals"], o["revenue_n"]),
        (_("Peserta yang omzetnya naik (%)"), o["share_revenue_up"], o["revenue_n"]),
        (_("Tidak dihitung karena omzet awal 0"), o["excluded_zero_baseline"], o["revenue_paired"]),
        (_("Lapangan kerja baru (bersih)"), o["jobs_created"], o["jobs_n"]),
        (_("Mulai berjualan di marketplace atau e-katalog pemerintah"), o["marketplace_onboarded"], o["channels_n"]),
    ]
    rows += [(_("Baru memiliki %(item)s", item=item.upper()), count, o["legality_n"])
             for item, count in o["legality_gained"].items()]
    rows += [(_("Perubahan skala pola pikir (1–5): %(item)s", item=mindset_labels.get(item, item)),
              change["mean_change"], change["n"]) for item, change in o["mindset_change"].items()]
    rows += [(_("Kelompok pembanding: median perubahan omzet (%)"), o["comparison"]["revenue_median_pct_change"],
              o["comparison_revenue_n"]),
             (_("Kelompok pembanding: rata-rata perubahan omzet (%)"), o["comparison"]["revenue_mean_pct_change"],
              o["comparison_revenue_n"]),
             (_("Selisih median (poin persen)"), o["did_revenue_median_pct_change"], None),
             (_("Selisih rata-rata (poin persen)"), o["did_revenue_mean_pct_change"], None)]
    return rows


def paired_rows(participants: list[Person]) -> list[list]:
    """One anonymised row per participant with both a baseline and an endline answer."""
    rows = []
    paired = [p for p in participants if p.baseline is not None and p.endline is not None]
    for number, person in enumerate(paired, start=1):
        regency = REGENCY_BY_CODE.get(person.regency_code)
        b, e = person.baseline, person.endline
        rows.append([f"P{number:05d}", regency.label if regency else "",
                     str(SECTOR_LABELS.get(person.sector, person.sector)),
                     b.revenue, e.revenue, b.employees, e.employees,
                     _joined(b.channels), _joined(e.channels), _joined(b.legality), _joined(e.legality)])
    return rows


def _joined(values) -> str:
    return "" if values is None else "; ".join(sorted(values))


PAIRED_COLUMNS = ("No.", "Kabupaten/kota", "Sektor", "Omzet awal", "Omzet akhir", "Karyawan awal", "Karyawan akhir",
                  "Kanal awal", "Kanal akhir", "Legalitas awal", "Legalitas akhir")


def group_rows(groups) -> list[list]:
    return [[getattr(label, "label", str(label)), f["respondents_endline"], f["revenue_n"],
             f["revenue_median_pct_change"], f["revenue_mean_pct_change"], f["jobs_created"],
             f["marketplace_onboarded"]] for label, f in groups]


def wave_rows(waves: dict, wave_label) -> list[list]:
    return [[wave_label(wave), f["n"], f["revenue_median"], f["revenue_mean"], f["employees_mean"],
             f["online_market_share"], *[f["legality_share"][item] for item in LEGALITY_ITEMS]]
            for wave, f in waves.items()]


def report_xlsx(cohort, report: dict, mindset_labels: dict[str, str], wave_label) -> bytes:
    """Every figure of the report, per wave, per regency and sector, and the anonymised paired data."""
    group_columns = [_("Wilayah atau sektor"), _("Responden akhir"), _("n omzet"), _("Median perubahan omzet (%)"),
                     _("Rata-rata perubahan omzet (%)"), _("Kerja baru"), _("Masuk marketplace")]
    sheets = [
        (_("Indikator"), [_("Indikator"), _("Nilai"), "n"],
         [[label, value, n] for label, value, n in indicator_rows(report["overall"], mindset_labels)]),
        (_("Per gelombang"), [_("Gelombang"), _("Responden"), _("Median omzet"), _("Rata-rata omzet"),
                              _("Rata-rata karyawan"), _("Di marketplace/e-katalog (%)"),
                              *[f"{item.upper()} (%)" for item in LEGALITY_ITEMS]],
         wave_rows(report["waves"], wave_label)),
        (_("Per kabupaten"), group_columns, group_rows(report["by_regency"])),
        (_("Per sektor"), group_columns, group_rows(report["by_sector"])),
        (_("Data berpasangan"), list(PAIRED_COLUMNS), paired_rows(report["participants"])),
        (_("Catatan metode"), [_("Catatan metode")], [[line] for line in methods_note()]),
    ]
    sheets[0][2].insert(0, [_("Kohort"), cohort.name, None])
    sheets[-1:-1] = [sheet for sheet in [knowledge_report.xlsx_sheet(report["knowledge"])] if sheet]
    return workbook_bytes(sheets)


MIN_WIDTH, MAX_WIDTH = 8, 60  # as the staff exports (lms/staff/exports/datasets.py)


def column_widths(columns: list, rows: list[list]) -> list[int]:
    """Return a width per column: the longest of header and values, within sensible bounds."""
    widths = [len(str(c)) for c in columns]
    for row in rows[:500]:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], len("" if value is None else str(value)))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def workbook_bytes(sheets: list[tuple[str, list, list[list]]]) -> bytes:
    """Write several sheets; every text cell is stored as text so nothing runs as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(column_widths(columns, rows), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

        def cells(values, sheet=sheet):
            for value in values:
                cell = WriteOnlyCell(sheet, value="" if value is None else value)
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would otherwise treat "=…" as a formula
                yield cell

        sheet.append(list(cells(columns)))
        for row in rows:
            sheet.append(list(cells(row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def methods_note() -> list[str]:
    """The methods note printed with every report (page, PDF and XLSX)."""
    return [
        _("Setiap angka dihitung dari peserta yang menjawab survei awal dan survei akhir untuk pertanyaan itu (n). "
          "Jawaban terbaru yang dikirim yang dipakai."),
        _("Perubahan omzet seorang peserta = (omzet akhir − omzet awal) ÷ omzet awal × 100. Peserta dengan omzet "
          "awal 0 tidak punya persentase, jadi dikeluarkan dan jumlahnya ditulis."),
        _("Rata-rata persentase bisa jauh lebih besar dari median: satu usaha kecil yang omzetnya naik dari Rp 100 "
          "ribu ke Rp 3,5 juta menyumbang +3.400%. Karena itu median dan perubahan total omzet ditampilkan di "
          "samping rata-rata."),
        _("Perubahan total omzet = (jumlah omzet akhir − jumlah omzet awal) ÷ jumlah omzet awal × 100, atas peserta "
          "yang sama. Peserta yang omzetnya naik: persentase peserta itu yang omzet akhirnya lebih besar dari omzet "
          "awalnya."),
        _("Tingkat respons = responden survei akhir ÷ peserta aktif dan lulus kohort × 100."),
        # The percentages are arguments: "90% didaftar" in the text itself reads to gettext as a "% d" placeholder.
        _("Perubahan di atas %(rise)s atau penurunan lebih dari %(drop)s didaftar untuk diperiksa (salah ketik?), "
          "tetapi tetap dihitung.", rise="1000%", drop="90%"),
        _("Lapangan kerja baru adalah jumlah bersih (karyawan akhir − karyawan awal) dan bisa negatif."),
        _("Mulai berjualan di marketplace atau e-katalog pemerintah: peserta yang di survei akhir memakai paling "
          "sedikit satu marketplace (termasuk aplikasi pesan-antar makanan) atau kanal pemerintah (e-Katalog LKPP, "
          "PaDi UMKM, Bela Pengadaan) yang belum dipakainya di survei awal."),
        _("Baru memiliki izin atau sertifikat: peserta yang belum memilikinya di survei awal dan memilikinya di "
          "survei akhir, dihitung per izin. Perubahan pola pikir: rata-rata (skor akhir − skor awal) pada skala 1–5, "
          "per pernyataan."),
        _("Kelompok pembanding adalah pendaftar yang tidak terpilih. Peserta dipilih lewat kurasi, bukan diundi, "
          "jadi selisih dengan pembanding adalah petunjuk, bukan bukti dampak program."),
    ]


PDF_TEMPLATES = ("impact/report_pdf.html", "impact/_charts.html", "impact/_group_row.html", "_table.html",
                 "knowledge/_report_section.html")


def pdf_key(stamp: str, knowledge: dict | None = None) -> str:
    """What a kept PDF must match: the figures' stamp, the knowledge section, the locale, and the
    templates and catalog that print it.

    The knowledge test results live in their own table, outside the figures' stamp, so the
    section's own figures go into the key: a new pre- or post-test makes a new PDF.
    """
    from flask import current_app
    from flask_babel import get_locale

    locale = str(get_locale())
    knowledge_text = json.dumps(knowledge, sort_keys=True, default=str)
    digest = hashlib.sha256(f"{stamp}|{locale}|{knowledge_text}".encode())
    for name in PDF_TEMPLATES:
        digest.update(current_app.jinja_env.loader.get_source(current_app.jinja_env, name)[0].encode())
    catalog = Path(current_app.root_path) / "translations" / locale / "LC_MESSAGES" / "messages.mo"
    digest.update(str(catalog.stat().st_mtime_ns if catalog.is_file() else 0).encode())
    return digest.hexdigest()


def report_pdf(cohort, report: dict, charts: dict, mindset_labels: dict[str, str],
               knowledge: dict | None = None) -> bytes:
    """The report as a PDF with the Dinas letterhead, through the certificates' confined renderer."""
    from lms.certificates.rendering import get_renderer

    if knowledge is None:
        knowledge = report["knowledge"]
    html = render_template("impact/report_pdf.html", cohort=cohort, report=report, charts=charts,
                           rows=indicator_rows(report["overall"], mindset_labels), methods=methods_note(),
                           knowledge=knowledge)
    return get_renderer().render_html_document(html)


def kept_report_pdf(cohort, report: dict, charts: dict, mindset_labels: dict[str, str]) -> bytes:
    """The PDF kept for these figures and this locale, or laid out now and kept (WeasyPrint takes seconds)."""
    from lms.impact import snapshot

    knowledge = report["knowledge"]  # stored with the figures
    key = pdf_key(report["stamp"], knowledge)
    body = snapshot.stored_pdf(cohort, key)
    if body is None:
        body = report_pdf(cohort, report, charts, mindset_labels, knowledge)
        snapshot.store_pdf(cohort, report["stamp"], key, body)
    return body
