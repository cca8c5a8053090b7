"""Routes: the public showcase, a graduate's own listing, and staff moderation."""

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import regions
from lms.assignments import uploads
from lms.choices import SECTORS
from lms.extensions import db
from lms.models import Role, ShowcaseListing
from lms.public_url import public_url
from lms.security import require_roles
from lms.showcase import bp, operations, queries
from lms.showcase.forms import HideForm, ListingForm, PlainForm
from lms.showcase.rules import LINK_KINDS, LINK_LABELS

PUBLIC_ENDPOINTS = frozenset({"showcase.index", "showcase.listing", "showcase.photo", "showcase.sitemap"})
PARTICIPANT_ENDPOINTS = frozenset({"showcase.mine", "showcase.withdraw"})
_participant = require_roles(Role.PARTICIPANT)
_staff = require_roles(Role.STAFF)
bp.add_app_template_global(LINK_LABELS, "showcase_link_labels")


@bp.before_request
def check_access():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.endpoint in PARTICIPANT_ENDPOINTS:
        return _participant()
    return _staff()


@bp.get("/alumni")
def index():
    """Browse graduates' businesses by regency and sector, or search by name; no JavaScript needed."""
    regency = request.args.get("kabupaten", "")
    sector = request.args.get("bidang", "")
    query = request.args.get("q", "").strip()[:80]
    regency = regency if regency in regions.REGENCY_BY_CODE else ""
    sector = sector if sector in dict(SECTORS) else ""
    page = queries.browse(regency=regency, sector=sector, query=query, page=request.args.get("hal", 1, type=int))
    return render_template("showcase/index.html", page=page, regency=regency, sector=sector, query=query,
                           regencies=regions.regency_choices(), sectors=SECTORS,
                           canonical=public_url("showcase.index"))


@bp.get("/alumni/<int:listing_id>")
def listing(listing_id: int):
    item = queries.public_listing(listing_id)
    if item is None:
        abort(404)
    top_year = queries.top_years([item.user_id]).get(item.user_id)
    return render_template("showcase/listing.html", item=item, top_year=top_year,
                           canonical=public_url("showcase.listing", listing_id=item.id),
                           photo_url=public_url("showcase.photo", listing_id=item.id))


@bp.get("/alumni/<int:listing_id>/foto")
def photo(listing_id: int):
    """The listing's product photo (the small, metadata-free copy): public only while the listing is."""
    item = queries.public_listing(listing_id)
    if item is None and current_user.is_authenticated:
        own = db.session.get(ShowcaseListing, listing_id)
        item = own if own is not None and own.user_id == current_user.id else None
    if item is None or not item.photo_thumbnail:
        abort(404)
    path = uploads.path_of(item.photo_thumbnail)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=_image_type(item.photo_thumbnail), max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _image_type(name: str) -> str:
    return {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}.get(name[name.rfind("."):], "image/jpeg")


@bp.get("/sitemap.xml")
def sitemap():
    """The programme's public pages and every public listing, for search engines."""
    rows = [(public_url("showcase.listing", listing_id=listing_id), updated_at)
            for listing_id, updated_at in queries.all_public_ids()]
    xml = render_template("showcase/sitemap.xml", rows=rows, index_url=public_url("showcase.index"))
    return Response(xml, mimetype="application/xml")


@bp.route("/alumni/saya", methods=["GET", "POST"])
def mine():
    """A graduate's own listing: agree, choose what to show, or see why it is not possible yet."""
    if not queries.is_graduate(current_user):
        return render_template("showcase/not_graduate.html"), 403
    existing = queries.listing_of(current_user)
    form = ListingForm(obj=None if request.method == "POST" else _form_data(existing))
    if form.validate_on_submit():
        if not form.consent.data and not (existing and existing.consented_at):
            form.consent.errors = [_("Centang persetujuan agar usaha Anda tampil di etalase.")]
        else:
            try:
                stored = _photo_from(form)
                operations.save_listing(current_user, form, stored)
            except uploads.UploadError as error:
                form.photo.errors = [str(error)]
            else:
                flash(_("Etalase Anda tersimpan dan tampil untuk umum."), "success")
                return redirect(url_for(".mine"))
    status = 400 if request.method == "POST" else 200
    return render_template("showcase/mine.html", form=form, listing=existing, link_kinds=LINK_KINDS,
                           withdraw_form=PlainForm()), status


def _photo_from(form: ListingForm):
    upload = form.photo.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    return operations.store_photo(upload.stream, upload.filename)


class _Prefill:
    """Form data from a saved listing (WTForms reads attributes)."""

    def __init__(self, listing: ShowcaseListing | None, user):
        profile = user.profile
        self.business_name = listing.business_name if listing else (profile.business_name if profile else "")
        self.description = listing.description if listing else ""
        self.sector = listing.sector if listing else (profile.sector if profile else "")
        self.regency_code = listing.regency_code if listing else (profile.regency_code if profile else "")
        self.whatsapp = listing.whatsapp if listing else ""
        self.consent = bool(listing and listing.consented_at)
        links = (listing.links if listing else None) or {}
        for kind, _label in LINK_KINDS:
            setattr(self, f"link_{kind}", links.get(kind, ""))


def _form_data(listing):
    return _Prefill(listing, current_user)


@bp.post("/alumni/saya/tarik")
def withdraw():
    form = PlainForm()
    if form.validate_on_submit():
        operations.withdraw(current_user)
        flash(_("Persetujuan ditarik. Usaha Anda tidak lagi tampil di etalase alumni."), "success")
    return redirect(url_for(".mine"))


@bp.get("/staf/alumni")
def staff_list():
    return render_template("showcase/staff.html", listings=queries.staff_listings(), hide_form=HideForm(),
                           plain_form=PlainForm())


def _load(listing_id: int) -> ShowcaseListing:
    item = db.session.get(ShowcaseListing, listing_id)
    if item is None:
        abort(404)
    return item


@bp.post("/staf/alumni/<int:listing_id>/sembunyikan")
def hide(listing_id: int):
    item = _load(listing_id)
    form = HideForm()
    if not form.validate_on_submit():
        return render_template("showcase/staff.html", listings=queries.staff_listings(), hide_form=form,
                               plain_form=PlainForm(), failed_id=item.id), 400
    operations.hide(item, form.reason.data, current_user)
    flash(_("Listing disembunyikan dari etalase."), "success")
    return redirect(url_for(".staff_list"))


@bp.post("/staf/alumni/<int:listing_id>/tampilkan")
def unhide(listing_id: int):
    item = _load(listing_id)
    if PlainForm().validate_on_submit():
        operations.unhide(item, current_user)
    return redirect(url_for(".staff_list"))


@bp.post("/staf/alumni/<int:listing_id>/unggulan")
def feature(listing_id: int):
    item = _load(listing_id)
    if PlainForm().validate_on_submit():
        operations.toggle_featured(item, current_user)
    return redirect(url_for(".staff_list"))
