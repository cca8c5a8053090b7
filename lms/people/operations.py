"""Writes of the people area: each in one transaction with its audit row."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import quote

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lms import accounts, audit, phone, regions
from lms.extensions import db
from lms.models import PasswordResetRequest, User, utcnow
from lms.people import rules

CODE_SENT = "code_sent"
DISMISSED = "dismissed"


class PersonEditError(ValueError):
    """An edit that cannot be saved; the message is for staff, `field` says where to show it."""

    def __init__(self, message: str, field: str = "reason") -> None:
        super().__init__(message)
        self.field = field


class ResetAlreadyHandled(ValueError):
    """Someone else answered or closed the request first."""


def person_values(user: User) -> dict:
    """Return the editable values of a person as stored (phone in E.164)."""
    profile = user.profile
    values = {"name": user.name, "phone": user.phone, "email": user.email or ""}
    for field in rules.PROFILE_FIELDS:
        values[field] = (getattr(profile, field) or "") if profile is not None else ""
    return values


def person_form_data(user: User) -> SimpleNamespace:
    """Return what the edit form starts from: stored values, the phone the local way, the version."""
    values = person_values(user)
    values["phone"] = phone.format_phone_local(user.phone)
    return SimpleNamespace(version=str(user.version), reason="", **values)


def _typed_values(data: dict, normalized_phone: str, has_profile: bool) -> dict:
    values = {
        "name": rules.clean_text(data["name"]),
        "phone": normalized_phone,
        "email": (data.get("email") or "").strip().lower(),
    }
    if has_profile:
        for field in rules.PROFILE_FIELDS:
            values[field] = rules.clean_text(data.get(field))
    return values


def _with_district_checked(before: dict, typed: dict) -> dict:
    if "district" in typed:
        typed["district"] = regions.district_after_edit(before, typed)
    return typed


def edit_person(user: User, data: dict, *, normalized_phone: str, edited_by: User) -> dict[str, tuple]:
    """Save a staff edit of a person, refusing it if the person changed since the form was opened.

    Returns field → (old, new) of what changed (empty: nothing to save). The version
    is bumped with a conditional UPDATE, so of two saves made from the same page only
    the first wins; the second gets PersonEditError and changes nothing.
    """
    has_profile = user.profile is not None
    before = person_values(user)
    typed = _with_district_checked(before, _typed_values(data, normalized_phone, has_profile))
    changes = rules.changed_fields(before, typed)
    if not changes:
        return {}
    if not accounts.claim_person_version(user.id, data.get("version")):
        db.session.rollback()
        raise PersonEditError(_("Data orang ini baru saja diubah oleh orang lain. Muat ulang halaman, "
                                "periksa data terbaru, lalu simpan lagi."))
    for field, (_old, new) in changes.items():
        target = user if field in rules.USER_FIELDS else user.profile
        setattr(target, field, (new or None) if field == "email" else new)
    old_values, new_values = rules.split_change(changes)
    audit.record("person.update", user, actor=edited_by, before=old_values, after=new_values,
                 reason=rules.clean_text(data["reason"]))
    try:
        db.session.commit()
    except IntegrityError:  # another account took the phone or email between the check and the save
        db.session.rollback()
        raise PersonEditError(_("Nomor HP atau email ini baru saja dipakai akun lain."), field="phone") from None
    db.session.expire(user)
    return changes


# --- Forgotten password ---------------------------------------------------------


def request_password_reset(phone_text: str) -> None:
    """Queue a reset request for the account with this phone; do nothing at all for an unknown one.

    The caller answers the same in both cases, so the form never tells whether a number is registered.
    """
    try:
        normalized = phone.normalize_phone(phone_text)
    except phone.InvalidPhone:
        return
    user = db.session.scalar(select(User).where(User.phone == normalized))
    if user is None or not user.active:
        return
    pending = db.session.scalar(select(PasswordResetRequest.id).where(
        PasswordResetRequest.user_id == user.id, PasswordResetRequest.resolved_at.is_(None)))
    if pending is not None:
        return
    request = PasswordResetRequest(user_id=user.id)
    db.session.add(request)
    try:
        db.session.flush()
        audit.record("password_reset.request", request, actor=None, after={"user_id": user.id})
        db.session.commit()
    except IntegrityError:  # a second request for the same account arrived at the same moment
        db.session.rollback()


def _claim(request: PasswordResetRequest, by: User, resolution: str) -> None:
    claimed = db.session.execute(
        update(PasswordResetRequest)
        .where(PasswordResetRequest.id == request.id, PasswordResetRequest.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=by.id, resolution=resolution)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise ResetAlreadyHandled(_("Permintaan ini sudah ditangani."))


def answer_with_code(request: PasswordResetRequest, *, by: User) -> accounts.IssuedCode:
    """Close the request and give its account a fresh activation code to send by WhatsApp."""
    _claim(request, by, CODE_SENT)
    issued = accounts.issue_activation_code(request.user, created_by=by)
    audit.record("password_reset.resolve", request, actor=by, after={"resolution": CODE_SENT})
    db.session.commit()
    return issued


def dismiss(request: PasswordResetRequest, *, by: User) -> None:
    """Close a request without a code (e.g. the person did not ask for it)."""
    _claim(request, by, DISMISSED)
    audit.record("password_reset.resolve", request, actor=by, after={"resolution": DISMISSED})
    db.session.commit()


def reset_whatsapp_link(issued: accounts.IssuedCode, activation_url: str) -> str:
    """Return a wa.me link that opens WhatsApp with the new-password message typed in."""
    message = _(
        "Halo %(name)s, ini kode untuk membuat kata sandi baru di Fast Track LMS: %(code)s. Buka %(url)s, "
        "masukkan kode itu, lalu buat kata sandi baru. Kode berlaku sampai %(date)s dan hanya bisa dipakai "
        "sekali. Jangan berikan kode ini kepada siapa pun.",
        name=issued.user.name,
        url=activation_url,
        code=issued.display,
        date=format_date(issued.expires_at, "d MMMM yyyy"),
    )
    return f"https://wa.me/{phone.whatsapp_number(issued.user.phone)}?text={quote(message)}"

