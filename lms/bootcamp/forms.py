"""Forms of the bootcamp area: a session, cancelling it, manual check-in, corrections, QR confirmation."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from lms.choices import select_choices  # noqa: E402
from lms.forms import BaseForm

WIB = ZoneInfo("Asia/Jakarta")


def wib_to_utc(day, at: time) -> datetime:
    """Turn a WIB date and time typed by staff into the naive UTC stored."""
    return datetime.combine(day, at, tzinfo=WIB).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def utc_to_wib(value: datetime) -> datetime:
    """Turn a stored naive UTC time into WIB (aware) for filling a form."""
    return value.replace(tzinfo=ZoneInfo("UTC")).astimezone(WIB)


def web_address(form, field) -> None:
    """Accept only http(s) addresses, so a stored link can never run script when clicked."""
    value = (field.data or "").strip()
    field.data = value
    if value and not (value.startswith("https://") or value.startswith("http://")):
        raise ValidationError(_l("Alamat harus diawali https:// atau http://."))


class SessionForm(BaseForm):
    title = StringField(_l("Judul sesi"), validators=[DataRequired(_l("Isi judul sesi.")), Length(max=200)])
    module_id = SelectField(_l("Modul (boleh kosong)"), choices=[], validate_choice=True)
    day = DateField(_l("Tanggal (WIB)"), validators=[DataRequired(_l("Isi tanggal sesi."))])
    start_time = TimeField(_l("Mulai (WIB)"), validators=[DataRequired(_l("Isi jam mulai."))])
    end_time = TimeField(_l("Selesai (WIB)"), validators=[DataRequired(_l("Isi jam selesai."))])
    venue_name = StringField(_l("Tempat"), validators=[Optional(), Length(max=200)])
    venue_address = StringField(_l("Alamat tempat"), validators=[Optional(), Length(max=300)])
    map_url = StringField(_l("Tautan peta"), validators=[Optional(), Length(max=500), web_address])
    online_url = StringField(_l("Tautan pertemuan daring"), validators=[Optional(), Length(max=500), web_address])
    speaker = StringField(_l("Narasumber atau mentor"), validators=[Optional(), Length(max=160)])
    capacity = IntegerField(_l("Kapasitas (boleh kosong)"), validators=[
        Optional(), NumberRange(min=1, max=100000, message=_l("Kapasitas minimal 1."))])
    # InputRequired, not DataRequired: 0 minutes is a real setting ("late from the first minute").
    late_after_minutes = IntegerField(_l("Terlambat setelah (menit)"), default=15, validators=[
        InputRequired(_l("Isi batas terlambat.")), NumberRange(min=0, max=600, message=_l("Antara 0 dan 600 menit."))])
    checkin_opens_minutes = IntegerField(_l("Check-in dibuka sebelum mulai (menit)"), default=60, validators=[
        InputRequired(_l("Isi kapan check-in dibuka.")),
        NumberRange(min=0, max=1440, message=_l("Antara 0 dan 1440 menit."))])
    checkin_always_open = BooleanField(_l("Izinkan check-in di luar jam sesi"))
    notice = StringField(_l("Keterangan perubahan untuk peserta"), validators=[Optional(), Length(max=400)])

    def validate_end_time(self, field) -> None:
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError(_l("Jam selesai harus setelah jam mulai."))

    def validate_venue_name(self, field) -> None:
        if not (field.data or "").strip() and not (self.online_url.data or "").strip():
            raise ValidationError(_l("Isi tempat, atau tautan pertemuan daring untuk sesi daring."))

    def session_values(self) -> dict:
        """Return the model fields this form sets, times in UTC."""
        return {
            "title": self.title.data.strip(),
            "module_id": self.module_id.data or None,
            "starts_at": wib_to_utc(self.day.data, self.start_time.data),
            "ends_at": wib_to_utc(self.day.data, self.end_time.data),
            "venue_name": (self.venue_name.data or "").strip(),
            "venue_address": (self.venue_address.data or "").strip(),
            "map_url": self.map_url.data or "",
            "online_url": self.online_url.data or "",
            "speaker": (self.speaker.data or "").strip(),
            "capacity": self.capacity.data,
            "late_after_minutes": self.late_after_minutes.data,
            "checkin_opens_minutes": self.checkin_opens_minutes.data,
            "checkin_always_open": bool(self.checkin_always_open.data),
        }

    def fill_from(self, session) -> None:
        """Fill the fields from a stored session (times shown in WIB)."""
        starts, ends = utc_to_wib(session.starts_at), utc_to_wib(session.ends_at)
        for name in ("title", "venue_name", "venue_address", "map_url", "online_url", "speaker", "capacity",
                     "late_after_minutes", "checkin_opens_minutes", "checkin_always_open"):
            getattr(self, name).data = getattr(session, name)
        self.module_id.data = session.module_id or ""
        self.day.data, self.start_time.data, self.end_time.data = starts.date(), starts.time(), ends.time()


class CancelSessionForm(BaseForm):
    reason = StringField(_l("Alasan pembatalan"), validators=[
        DataRequired(_l("Tulis alasan pembatalan untuk peserta.")), Length(max=400)])


class ManualCheckInForm(BaseForm):
    user_id = HiddenField(validators=[DataRequired()])


class CorrectionForm(BaseForm):
    user_id = HiddenField(validators=[DataRequired()])
    present = SelectField(_l("Kehadiran"), choices=select_choices([("1", _l("Hadir")), ("0", _l("Tidak hadir"))]))
    at_time = TimeField(_l("Jam hadir (WIB, boleh kosong)"), validators=[Optional()])
    reason = StringField(_l("Alasan koreksi"), validators=[
        DataRequired(_l("Tulis alasan koreksi.")), Length(min=3, max=300, message=_l("Alasan 3–300 huruf."))])


class ConfirmCheckInForm(BaseForm):
    """Only the CSRF token: the check-in token is in the URL the QR code opened."""
