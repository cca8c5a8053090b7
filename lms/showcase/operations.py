"""Writes of the showcase, each in one transaction with an audit row."""

from __future__ import annotations

from flask_babel import gettext as _

from lms import audit
from lms.assignments import uploads
from lms.extensions import db
from lms.models import ShowcaseListing, User, utcnow
from lms.showcase import queries
from lms.showcase.rules import LINK_KINDS


class ShowcaseError(ValueError):
    """A refusal with a message for the participant."""


def store_photo(stream, filename: str | None) -> uploads.StoredFile:
    """Check the photo by its content (images only), strip its metadata and keep a small copy."""
    stored = uploads.store_upload(stream, filename)
    if stored.content_type not in uploads.IMAGE_TYPES:
        uploads.remove_stored(stored.names())
        raise uploads.UploadError(_("Kirim foto produk (JPEG, PNG atau WebP), bukan dokumen."))
    return stored


def save_listing(user: User, form, photo: uploads.StoredFile | None) -> ShowcaseListing:
    """Create or update the graduate's own listing; consent given here, withdrawn by withdraw()."""
    if not queries.is_graduate(user):
        raise ShowcaseError(_("Etalase alumni hanya untuk peserta yang sudah lulus."))
    listing = queries.listing_of(user) or ShowcaseListing(user_id=user.id, links={})
    before = _snapshot(listing) if listing.id else None
    listing.business_name = form.business_name.data.strip()
    listing.description = (form.description.data or "").strip()
    listing.sector = form.sector.data
    listing.regency_code = form.regency_code.data
    listing.whatsapp = form.whatsapp.data or ""
    listing.links = {kind: getattr(form, f"link_{kind}").data for kind, _label in LINK_KINDS
                     if getattr(form, f"link_{kind}").data}
    old_photo = [name for name in (listing.photo_name, listing.photo_thumbnail) if name]
    if photo is not None:
        listing.photo_name, listing.photo_thumbnail = photo.stored_name, photo.thumbnail_name or photo.stored_name
    if form.consent.data:
        listing.consented_at = listing.consented_at if listing.withdrawn_at is None and listing.consented_at \
            else utcnow()
        listing.withdrawn_at = None
    db.session.add(listing)
    db.session.flush()
    audit.record("showcase.save", listing, actor=user, before=before, after=_snapshot(listing))
    db.session.commit()
    if photo is not None:
        uploads.remove_stored(old_photo)  # after the commit: a failed save keeps the old photo
    return listing


def withdraw(user: User) -> ShowcaseListing | None:
    """Withdraw consent: the listing leaves every public page at once (the data stays for the owner)."""
    listing = queries.listing_of(user)
    if listing is None or listing.consented_at is None:
        return listing
    listing.consented_at, listing.withdrawn_at = None, utcnow()
    audit.record("showcase.withdraw", listing, actor=user)
    db.session.commit()
    return listing


def hide(listing: ShowcaseListing, reason: str, staff: User) -> None:
    listing.hidden_at, listing.hidden_reason, listing.hidden_by_id = utcnow(), reason.strip(), staff.id
    audit.record("showcase.hide", listing, actor=staff, reason=reason.strip())
    db.session.commit()


def unhide(listing: ShowcaseListing, staff: User) -> None:
    listing.hidden_at, listing.hidden_reason, listing.hidden_by_id = None, "", None
    audit.record("showcase.unhide", listing, actor=staff)
    db.session.commit()


def toggle_featured(listing: ShowcaseListing, staff: User) -> None:
    listing.featured = not listing.featured
    audit.record("showcase.feature", listing, actor=staff, after={"featured": listing.featured})
    db.session.commit()


def _snapshot(listing: ShowcaseListing) -> dict:
    return {"business_name": listing.business_name, "sector": listing.sector, "regency": listing.regency_code,
            "links": dict(listing.links or {}), "whatsapp": listing.whatsapp, "photo": listing.photo_name,
            "consented": listing.consented_at is not None}
