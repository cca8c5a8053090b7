"""Permission-matrix rows for the graduate showcase.

Columns: anonymous, participant, other participant, mentor (follows participant),
other mentor, staff. `participant` graduated (a valid certificate) and has a public listing.
"""

ROWS = {
    ("showcase.index", "GET"): (200, 200, 200, 200, 200, 200),
    ("showcase.listing", "GET"): (200, 200, 200, 200, 200, 200),
    ("showcase.photo", "GET"): (404, 404, 404, 404, 404, 404),  # the world's listing has no photo
    ("showcase.sitemap", "GET"): (200, 200, 200, 200, 200, 200),
    ("showcase.mine", "GET"): (302, 200, 403, 403, 403, 403),  # other participant has not graduated
    ("showcase.mine", "POST"): (302, 400, 403, 403, 403, 403),  # empty form comes back
    ("showcase.withdraw", "POST"): (302, 302, 302, 403, 403, 403),
    ("showcase.staff_list", "GET"): (302, 403, 403, 403, 403, 200),
    ("showcase.hide", "POST"): (302, 403, 403, 403, 403, 400),  # no reason: form comes back
    ("showcase.unhide", "POST"): (302, 403, 403, 403, 403, 302),
    ("showcase.feature", "POST"): (302, 403, 403, 403, 403, 302),
}


def extend_world(world) -> None:
    """A public listing for `participant` (who holds the certificates area's valid certificate)."""
    from lms.extensions import db
    from lms.models import ShowcaseListing, utcnow

    listing = ShowcaseListing(user_id=world["participant"].id, consented_at=utcnow(), business_name="Bika Ambon Satu",
                              sector="kuliner", regency_code="1275", links={})
    db.session.add(listing)
    db.session.commit()
    world["showcase_listing"] = listing


def url_values(world) -> dict:
    return {"listing_id": world["showcase_listing"].id} if "showcase_listing" in world else {}
