"""What a reissue should print after staff (or the participant) corrected the person's data.

A certificate keeps what it printed. When the person's name, printed name, business name or
regency is corrected *after* the certificate was issued, the reissue form starts from the
corrected values, so "correct the data, then reissue" prints the correction; without a later
correction it starts from the certificate itself, so a printed name typed at an earlier
reissue (a title such as ", S.E.") survives.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lms import regions
from lms.extensions import db
from lms.models import AuditEvent, Certificate, User

CORRECTION_ACTIONS = ("person.update", "profile.update")
# printed field -> the person fields it is made from
PRINTED_FROM = {"name": ("name", "certificate_name"), "business_name": ("business_name",),
                "regency_code": ("regency_code",)}


@dataclass(frozen=True)
class Correction:
    field: str
    printed: str  # on this certificate
    now: str  # what a new certificate prints


def printed_name(user: User) -> str:
    """Return the name a certificate issued now prints for this person (a set printed name wins)."""
    return (user.profile.certificate_name if user.profile else "") or user.name


def printed_now(certificate: Certificate) -> dict[str, str]:
    """Return what a certificate issued now would print for this certificate's person."""
    user = certificate.enrollment.user
    profile = user.profile
    return {"name": printed_name(user),
            "business_name": profile.business_name if profile else "",
            "regency_code": (profile.regency_code if profile else None) or ""}


def corrections_since_issue(certificate: Certificate) -> list[Correction]:
    """Return the printed fields whose person data was corrected after this certificate was issued."""
    user_id = certificate.enrollment.user_id
    touched: set[str] = set()
    for after in db.session.scalars(select(AuditEvent.after).where(
            AuditEvent.action.in_(CORRECTION_ACTIONS), AuditEvent.object_id == str(user_id),
            AuditEvent.object_type.in_(("User", "ParticipantProfile")),
            AuditEvent.created_at >= certificate.issued_at)):
        touched |= set(after or {})
    now = printed_now(certificate)
    return [Correction(field, getattr(certificate, field) or "", now[field])
            for field, sources in PRINTED_FROM.items()
            if touched.intersection(sources) and now[field] != (getattr(certificate, field) or "")]


def reissue_defaults(certificate: Certificate) -> tuple[dict[str, str], list[Correction]]:
    """Return the reissue form's starting values and the corrections they carry."""
    corrections = corrections_since_issue(certificate)
    values = {"name": certificate.name, "business_name": certificate.business_name}
    values.update({c.field: c.now for c in corrections if c.field in values})
    return values, corrections


def regency_label(code: str) -> str:
    """Return a regency's name for the corrections note."""
    regency = regions.REGENCY_BY_CODE.get(code)
    return regency.label if regency else (code or "–")
