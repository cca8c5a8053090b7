"""Demo data for the people area: one corrected participant and one waiting password request.

Safe to run again: each piece is added only when the demo has never had it.
"""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import AuditEvent, Cohort, PasswordResetRequest, Role, User
from lms.people import operations
from lms.phone import normalize_phone

EDITED_PHONE = "081200000003"  # Butet Simatupang: her certificates carry her degree
EDIT = {"certificate_name": "Butet Simatupang, S.E.", "district": "Tarutung",
        "reason": "Peserta minta gelar dicantumkan di sertifikat (lewat WhatsApp)."}
RESET_PHONE = "081200000002"  # Hotman Sinaga forgot his password


def _user(phone_text: str) -> User | None:
    return db.session.scalar(select(User).where(User.phone == normalize_phone(phone_text)))


def seed_demo(cohort: Cohort) -> None:
    """Correct one participant's printed name through the real edit, and queue one reset request."""
    staff = db.session.scalar(select(User).where(User.role == Role.STAFF).order_by(User.id))
    edited = _user(EDITED_PHONE)
    if staff is not None and edited is not None and not db.session.scalar(
        select(AuditEvent.id).where(AuditEvent.action == "person.update", AuditEvent.object_id == str(edited.id))
    ):
        data = operations.person_values(edited) | EDIT | {"version": str(edited.version)}
        operations.edit_person(edited, data, normalized_phone=edited.phone, edited_by=staff)
    asking = _user(RESET_PHONE)
    if asking is not None and not db.session.scalar(
        select(PasswordResetRequest.id).where(PasswordResetRequest.user_id == asking.id)
    ):
        operations.request_password_reset(asking.phone)
