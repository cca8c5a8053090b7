"""Account operations shared by the auth views, the staff console and the CLI."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from lms import audit, enrollments, phone, security
from lms.extensions import db
from lms.models import ActivationCode, ParticipantProfile, Role, User, token_digest, utcnow

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is for the user."""


@dataclass(frozen=True)
class IssuedCode:
    user: User
    code: str  # shown once; only its hash is stored
    expires_at: datetime

    @property
    def display(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


def normalize_code(text: str) -> str:
    """Return an activation code as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def create_user(
    *,
    name: str,
    phone_text: str,
    role: str = Role.PARTICIPANT,
    email: str | None = None,
    password: str | None = None,
    created_by: User | None = None,
) -> User:
    """Create an account (not committed); raise AccountError for a taken phone or email."""
    normalized = phone.normalize_phone(phone_text)
    if db.session.scalar(select(User.id).where(User.phone == normalized)):
        raise AccountError(_("Nomor HP %(phone)s sudah terdaftar.", phone=phone.format_phone_local(normalized)))
    if email and db.session.scalar(select(User.id).where(func.lower(User.email) == email.lower())):
        raise AccountError(_("Email %(email)s sudah terdaftar.", email=email))
    user = User(name=name.strip(), phone=normalized, email=email or None, role=str(role))
    if password:
        user.set_password(password)
    db.session.add(user)
    if user.role == Role.PARTICIPANT:
        db.session.add(ParticipantProfile(user=user))
    db.session.flush()
    audit.record("user.create", user, actor=created_by, after={"phone": normalized, "role": user.role})
    return user


def issue_activation_code(user: User, *, created_by: User | None) -> IssuedCode:
    """Give the user a fresh one-time code, cancelling earlier unused ones (not committed)."""
    now = utcnow()
    db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.user_id == user.id, ActivationCode.used_at.is_(None))
        .values(expires_at=now)
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = now + timedelta(days=current_app.config["ACTIVATION_CODE_DAYS"])
    db.session.add(
        ActivationCode(
            user_id=user.id,
            code_hash=token_digest(code),
            expires_at=expires_at,
            created_by_id=created_by.id if created_by else None,
        )
    )
    audit.record("user.activation_code", user, actor=created_by, after={"expires_at": expires_at.isoformat()})
    return IssuedCode(user=user, code=code, expires_at=expires_at)


def find_activation(code_text: str) -> ActivationCode | None:
    """Return the live activation code row for typed text, or None."""
    code = normalize_code(code_text)
    if len(code) != CODE_LENGTH:
        return None
    row = db.session.scalar(select(ActivationCode).where(ActivationCode.code_hash == token_digest(code)))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def activate_account(code_text: str, password: str) -> User:
    """Set the first password with a one-time code; raise AccountError if the code is not valid."""
    row = find_activation(code_text)
    if row is None:
        raise AccountError(_("Kode aktivasi salah, sudah dipakai, atau sudah kedaluwarsa. Minta kode baru ke staf."))
    # Claim the code with a conditional update so two simultaneous uses cannot both win.
    claimed = db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.id == row.id, ActivationCode.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise AccountError(_("Kode aktivasi salah, sudah dipakai, atau sudah kedaluwarsa. Minta kode baru ke staf."))
    user = row.user
    user.set_password(password)
    security.revoke_all_sessions(user)
    audit.record("user.activate", user, actor=user)
    enrollments.activate_selected(user)  # season: they land in the cohort that selected them
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password and revoke every session; the caller starts a new one."""
    if not user.check_password(current_password):
        raise AccountError(_("Kata sandi sekarang salah."))
    user.set_password(new_password)
    security.revoke_all_sessions(user)
    audit.record("user.password_change", user, actor=user)
    db.session.commit()


def set_active(user: User, active: bool, *, changed_by: User) -> None:
    """Activate or deactivate an account; deactivation ends its sessions at once."""
    if user.id == changed_by.id and not active:
        raise AccountError(_("Anda tidak bisa menonaktifkan akun Anda sendiri."))
    before = user.active
    user.active = active
    if not active:
        security.revoke_all_sessions(user)
    audit.record("user.set_active", user, actor=changed_by, before={"active": before}, after={"active": active})
    db.session.commit()


def activation_whatsapp_link(issued: IssuedCode, activation_url: str) -> str:
    """Return a wa.me link that opens WhatsApp with the activation message typed in."""
    message = _(
        "Halo %(name)s, akun Fast Track LMS Anda sudah dibuat. Buka %(url)s lalu masukkan kode "
        "aktivasi %(code)s untuk membuat kata sandi. Kode berlaku sampai %(date)s dan hanya bisa "
        "dipakai sekali. Jangan berikan kode ini kepada siapa pun.",
        name=issued.user.name,
        url=activation_url,
        code=issued.display,
        date=format_date(issued.expires_at, "d MMMM yyyy"),
    )
    return f"https://wa.me/{phone.whatsapp_number(issued.user.phone)}?text={quote(message)}"
