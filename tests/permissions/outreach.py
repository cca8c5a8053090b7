"""Permission-matrix rows for the outreach area: staff only, on a cohort named in the URL.

Columns: anonymous, participant, other participant, mentor, other mentor, staff.
"""

ROWS = {
    ("outreach.page", "GET"): (302, 403, 403, 403, 403, 200),
    # Every target is optional: an empty POST stores "no targets" and redirects.
    ("outreach.save_targets", "POST"): (302, 403, 403, 403, 403, 302),
    # The label is required: an empty POST re-renders the page with the message.
    ("outreach.create_referral", "POST"): (302, 403, 403, 403, 403, 200),
    ("outreach.export_registrants", "GET"): (302, 403, 403, 403, 403, 200),
}


def url_values(world) -> dict:
    return {"cohort_id": world["cohort"].id}
