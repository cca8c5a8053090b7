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
from werkzeug.security import check_password_hash, generate_password_hash

from lms import audit, enrollments, phone, security
from lms.extensions import db
from lms.models import ActivationCode, ParticipantProfile, Role, User, token_digest, utcnow
from lms.public_url import public_url

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


# A hash of nothing anybody knows, one per hash method, verified for unknown accounts.
_DUMMY_HASHES: dict[str, str] = {}


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


def check_login_password(user: User | None, password: str) -> bool:
    """Tell whether the password opens the account, verifying exactly one hash in every case.

    An unknown phone or a never-activated account checks a dummy hash of the same
    method, so it takes as long as a wrong password and timing tells nobody which
    registrants exist or still wait for their code.
    """
    if user is not None and user.password_hash:
        return user.check_password(password)
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password)
    return False


def live_activation_code(user: User) -> ActivationCode | None:
    """Return the user's current unused, unexpired activation code, if any."""
    return db.session.scalar(
        select(ActivationCode)
        .where(ActivationCode.user_id == user.id, ActivationCode.used_at.is_(None),
               ActivationCode.expires_at > utcnow())
        .order_by(ActivationCode.id.desc())
        .limit(1)
    )


def claim_person_version(user_id: int, typed_version) -> bool:
    """Bump the person's version if it is still the one the form was shown with; False: someone saved first.

    A conditional UPDATE, so of two saves of the same form only one can win, whichever process they reach.
    """
    expected = int(typed_version) if str(typed_version or "").isdigit() else -1
    return db.session.execute(
        update(User).where(User.id == user_id, User.version == expected).values(version=User.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount == 1


def bad_activation_message() -> str:
    """Return the one message for a wrong phone, a wrong code, or a used or expired code."""
    return _("Nomor HP atau kode aktivasi salah, sudah dipakai, atau sudah kedaluwarsa. Minta kode baru ke staf PLUT.")


def record_wrong_activation_try(row: ActivationCode) -> bool:
    """Count a wrong try against the account's live code; cancel it at the cap. Return True if cancelled."""
    db.session.execute(
        update(ActivationCode).where(ActivationCode.id == row.id)
        .values(failed_attempts=ActivationCode.failed_attempts + 1)
    )
    cap = current_app.config["ACTIVATION_CODE_MAX_TRIES"]
    # Conditional, so two processes reaching the cap at once cancel (and audit) once.
    cancelled = db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.id == row.id, ActivationCode.failed_attempts >= cap,
               ActivationCode.used_at.is_(None), ActivationCode.expires_at > utcnow())
        .values(expires_at=utcnow())
    ).rowcount == 1
    if cancelled:
        audit.record("user.activation_code_locked", row.user, actor=None, after={"wrong_tries": cap})
    db.session.commit()
    return cancelled


def activate_account(phone_text: str, code_text: str, password: str) -> User:
    """Set the first password with a one-time code; raise AccountError if phone and code do not match."""
    try:
        user = db.session.scalar(select(User).where(User.phone == phone.normalize_phone(phone_text)))
    except phone.InvalidPhone:
        user = None
    row = live_activation_code(user) if user is not None else None
    if row is None or row.code_hash != token_digest(normalize_code(code_text)):
        if row is not None:
            record_wrong_activation_try(row)
        raise AccountError(bad_activation_message())
    # Claim the code with a conditional update so two simultaneous uses cannot both win.
    claimed = db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.id == row.id, ActivationCode.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise AccountError(bad_activation_message())
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


def activation_url(issued: IssuedCode) -> str:
    """Return the public activation link, with the code and the phone filled in."""
    return public_url("auth.activate", kode=issued.display, hp=phone.format_phone_local(issued.user.phone))


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
