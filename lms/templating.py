"""Filters and globals shared by every template."""

from datetime import datetime
from decimal import Decimal
from urllib.parse import quote

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _

from lms import choices, i18n, jobs, phone, regions


def init_app(app: Flask) -> None:
    """Register the template filters and globals."""
    i18n.install_template_gettext(app)  # scale3: Flask-Babel's callables, with the translations looked up once
    app.add_template_filter(wib_datetime, "wib")
    app.add_template_filter(format_date, "tanggal")
    app.add_template_filter(phone.format_phone_local, "phone_local")
    app.add_template_global(regency_label)
    app.add_template_global(lambda: str(get_locale()), "current_locale")
    app.add_template_global(choices.STATUS_LABELS, "status_labels")
    app.add_template_global(choices.ROLE_LABELS, "role_labels")
    app.add_template_global(choices.SECTOR_LABELS, "sector_labels")
    app.add_template_global(choices.ASSIGNMENT_STATUS_LABELS, "assignment_status_labels")
    app.add_template_global(phone.whatsapp_number)
    app.add_template_filter(number, "angka")
    app.add_template_filter(hours, "jam")
    app.add_template_global(whatsapp_link)
    app.add_template_global(jobs.error_message, "job_error")  # forms: an interrupted job's code, translated


def wib_datetime(value: datetime | None) -> str:
    """Show a stored UTC time in WIB."""
    if value is None:
        return "–"
    return format_datetime(value, "d MMM yyyy HH.mm") + " WIB"


def regency_label(code: str | None) -> str:
    """Return "Kabupaten X" / "Kota Y" for a BPS code, or a dash."""
    regency = regions.REGENCY_BY_CODE.get(code or "")
    return regency.label if regency else "–"


def number(value: float | int | None, digits: int = 1) -> str:
    """Show a number in the current locale, at most `digits` decimals: 3,5 and 1.234 in Indonesian."""
    if value is None:
        return "–"
    return format_decimal(Decimal(str(round(float(value), digits))).normalize() if digits else round(value))


def hours(value: float | None) -> str:
    """Show a duration in hours for people: "3,5 jam", and "< 1 jam" for anything under an hour."""
    if value is None:
        return "–"
    if value < 1:
        return _("< 1 jam")
    return _("%(hours)s jam", hours=number(value))


def whatsapp_link(e164: str, message: str) -> str:
    """Return a wa.me link to a number with a message typed in."""
    return f"https://wa.me/{phone.whatsapp_number(e164)}?text={quote(message)}"
