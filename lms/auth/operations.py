"""Writes behind the profile page."""

from types import SimpleNamespace

from lms import audit
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
    return SimpleNamespace(name=user.name, email=user.email, **values)


def update_profile(user: User, data: dict) -> None:
    """Save the participant's name, email and business details in one transaction."""
    profile = user.profile or ParticipantProfile(user=user)
    before = {field: getattr(profile, field) for field in PROFILE_FIELDS}
    user.name = data["name"].strip()
    user.email = (data["email"] or "").strip().lower() or None
    for field in PROFILE_FIELDS:
        setattr(profile, field, (data[field] or "").strip())
    db.session.add(profile)
    after = {field: getattr(profile, field) for field in PROFILE_FIELDS}
    changed = {key: value for key, value in after.items() if before[key] != value}
    if changed:
        user.version = User.version + 1  # a staff edit opened before this save is then refused (lms.people)
        audit.record("profile.update", profile, actor=user, before={k: before[k] for k in changed}, after=changed)
    db.session.commit()
