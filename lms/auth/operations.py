"""Writes behind the profile page."""

from types import SimpleNamespace

from flask_babel import gettext as _

from lms import accounts, audit, regions
from lms.extensions import db
from lms.models import ParticipantProfile, User

PROFILE_FIELDS = (
    "business_name",
    "sector",
    "regency_code",
    "district",
    "address",
    "instagram_url",
    "facebook_url",
    "tiktok_url",
    "marketplace_url",
    "website_url",
)


def profile_form_data(user: User) -> SimpleNamespace:
    """Return the values the profile form starts from."""
    profile = user.profile or ParticipantProfile()
    values = {field: getattr(profile, field) for field in PROFILE_FIELDS}
    return SimpleNamespace(name=user.name, email=user.email, version=user.version, **values)


class ProfileConflict(Exception):
    """Staff changed this person after the profile page was opened; the save would overwrite their correction."""


def update_profile(user: User, data: dict) -> bool:
    """Save the participant's name, email and business details in one transaction.

    Refused with ProfileConflict (nothing saved) when the person's version moved since the form was
    opened, e.g. staff corrected the name meanwhile: the version is bumped with a conditional UPDATE,
    as `lms.people.operations.edit_person` does the other way round. Returns whether the old
    kecamatan was emptied because the regency changed (the page tells the participant).
    """
    profile = user.profile or ParticipantProfile(user=user)
    before = {field: getattr(profile, field) for field in PROFILE_FIELDS}
    name, email = data["name"].strip(), (data["email"] or "").strip().lower() or None
    typed = {field: (data[field] or "").strip() for field in PROFILE_FIELDS}
    typed["district"] = regions.district_after_edit(before, typed)
    changed = {key: value for key, value in typed.items() if before[key] != value}
    if not changed and (name, email) == (user.name, user.email):
        return False
    if not accounts.claim_person_version(user.id, data.get("version")):
        db.session.rollback()
        raise ProfileConflict(_("Data Anda baru saja diubah oleh staf. Isian Anda belum disimpan: muat ulang "
                                "halaman, periksa data terbaru, lalu simpan lagi."))
    user.name, user.email = name, email
    for field, value in typed.items():
        setattr(profile, field, value)
    db.session.add(profile)
    if changed:
        audit.record("profile.update", profile, actor=user, before={k: before[k] for k in changed}, after=changed)
    db.session.commit()
    return regions.district_cleared(before, typed)
    db.session.refresh(user)
