"""Filters and globals shared by every template."""

from datetime import datetime

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale

from lms import choices, phone, regions


def init_app(app: Flask) -> None:
    """Register the template filters and globals."""
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


def wib_datetime(value: datetime | None) -> str:
    """Show a stored UTC time in WIB."""
    if value is None:
        return "–"
    return format_datetime(value, "d MMM yyyy HH.mm") + " WIB"


def regency_label(code: str | None) -> str:
    """Return "Kabupaten X" / "Kota Y" for a BPS code, or a dash."""
    regency = regions.REGENCY_BY_CODE.get(code or "")
    return regency.label if regency else "–"
