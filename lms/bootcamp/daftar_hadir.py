"""The daftar hadir of a session: one set of rows, printed as a PDF (confined WeasyPrint) and as XLSX."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _

from lms import phone
from lms.bootcamp import queries, rules
from lms.models import BootcampSession
from lms.regions import REGENCY_BY_CODE


@dataclass(frozen=True)
class PrintedRow:
    number: int
    name: str
    business: str
    regency: str
    phone: str  # partly masked
    checked_in: str  # "08.05 WIB (terlambat)", or empty


def printed_rows(session: BootcampSession, rows: list[queries.ListRow]) -> list[PrintedRow]:
    """Turn list rows into the printed text, the same for the PDF and the spreadsheet."""
    printed = []
    for row in rows:
        profile = row.profile
        regency = REGENCY_BY_CODE.get((profile.regency_code if profile else None) or "")
        checked = ""
        if row.attendance is not None:
            checked = format_datetime(row.attendance.checked_in_at, "HH.mm") + " WIB"
            if row.attendance.late:
                checked += " " + _("(terlambat)")
        printed.append(PrintedRow(row.number, row.user.name, profile.business_name if profile else "",
                                  regency.label if regency else "", rules.mask_phone(phone.format_phone_local(
                                      row.user.phone)), checked))
    return printed


def place_text(session: BootcampSession) -> str:
    if session.is_online:
        return _("Daring")
    return ", ".join(part for part in (session.venue_name, session.venue_address) if part)


def when_text(session: BootcampSession) -> str:
    return (format_datetime(session.starts_at, "EEEE, d MMMM yyyy, HH.mm") + "–"
            + format_datetime(session.ends_at, "HH.mm") + " WIB")


def labels() -> dict:
    return {
        "lang": str(get_locale()), "title": _("DAFTAR HADIR"), "org1": _("FAST TRACK DIGITALISASI UMKM"),
        "org2": _("PLUT-KUMKM · Dinas Koperasi dan UKM Provinsi Sumatera Utara"),
        "programme": _("Bootcamp dan sesi langsung peserta"), "session": _("Kegiatan"), "cohort": _("Kohort"),
        "when": _("Hari, tanggal"), "place": _("Tempat"), "speaker": _("Narasumber"), "status": _("Status"),
        "no": _("No."), "name": _("Nama"), "business": _("Usaha"), "regency": _("Kabupaten/Kota"),
        "phone": _("Telepon"), "checked_in": _("Jam hadir"), "signature": _("Tanda tangan"),
        "officer": _("Panitia pelaksana,"),
    }


def session_text(session: BootcampSession, rows: list[PrintedRow]) -> dict:
    present = sum(1 for r in rows if r.checked_in)
    return {
        "title": session.title, "cohort": session.cohort.name, "when": when_text(session), "place": place_text(session),
        "speaker": session.speaker, "cancelled": _("Dibatalkan") if session.cancelled_at else "",
        "summary": _("Hadir %(present)s dari %(expected)s peserta.", present=present, expected=len(rows)),
        "place_date": _("Medan, %(date)s", date=format_date(session.starts_at, "d MMMM yyyy")),
    }


def render_pdf(session: BootcampSession, rows: list[queries.ListRow]) -> bytes:
    """Render the attendance list PDF through the certificates' confined renderer."""
    from lms.certificates.rendering import get_renderer

    printed = printed_rows(session, rows)
    return get_renderer().render_document("daftar-hadir", "daftar-hadir.css", t=labels(), rows=printed,
                                          s=session_text(session, printed))


def render_xlsx(session: BootcampSession, rows: list[queries.ListRow]) -> bytes:
    """Write the same rows as a spreadsheet (text cells never run as formulas)."""
    from lms.staff.exports.datasets import Dataset, to_xlsx

    t = labels()
    printed = printed_rows(session, rows)
    columns = [t["no"], t["name"], t["business"], t["regency"], t["phone"], t["checked_in"], t["signature"]]
    data = [[r.number, r.name, r.business, r.regency, r.phone, r.checked_in, ""] for r in printed]
    return to_xlsx(Dataset(columns, data), _("Daftar hadir"))
