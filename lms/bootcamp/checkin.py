"""Deciding a QR check-in: the token, the session's state, the window and the person's cohort, in one place."""

from __future__ import annotations

import time
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from lms.bootcamp import queries, rules
from lms.models import BootcampSession


def current_step() -> int:
    """Return the 30-second step of now."""
    return rules.time_step(time.time())


def current_token(session: BootcampSession) -> str:
    """Return the token the check-in screen shows now."""
    return rules.sign_checkin(current_app.config["SECRET_KEY"], session.id, current_step())


def refusal(session: BootcampSession, token: str, now: datetime) -> str | None:
    """Return why this person may not check in with this token now (in Indonesian), or None.

    The session is one of the person's cohort (the view loads it with own_session_or_404);
    the capacity is checked again, under a lock, when the check-in is written.
    """
    state = rules.check_token(current_app.config["SECRET_KEY"], token, session.id, current_step())
    if state == rules.TOKEN_FORGED:
        return _("Kode QR ini tidak sah. Pindai kode di layar panitia.")
    if state == rules.TOKEN_OTHER_SESSION:
        return _("Kode QR ini untuk sesi lain. Pindai kode di layar sesi yang Anda ikuti.")
    if state == rules.TOKEN_EXPIRED:
        return _("Kode QR ini sudah kedaluwarsa (kode berganti tiap 30 detik). Pindai lagi kode di layar panitia.")
    if session.cancelled_at is not None:
        return _("Sesi ini dibatalkan.")
    window = rules.window_state(now, session.starts_at, session.ends_at, session.checkin_opens_minutes,
                                always_open=session.checkin_always_open)
    if window == rules.WINDOW_EARLY:
        return _("Check-in belum dibuka: dibuka %(minutes)s menit sebelum sesi mulai.",
                 minutes=session.checkin_opens_minutes)
    if window == rules.WINDOW_CLOSED:
        return _("Sesi ini sudah selesai, check-in sudah ditutup. Minta panitia mencatat kehadiran Anda.")
    if session.capacity is not None and not rules.has_room(session.capacity, queries.present_count(session.id)):
        return full_message(session)
    return None


def full_message(session: BootcampSession) -> str:
    """Tell a participant the session is full and what to do (staff at the desk may still let them in)."""
    return _("Sesi ini sudah penuh: %(capacity)s kursi sudah terisi. Temui panitia di meja registrasi bila "
             "Anda perlu masuk.", capacity=session.capacity)
