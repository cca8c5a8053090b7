"""Permission-matrix rows for the foundation and the reading area.

Columns: anonymous, participant, other participant, mentor (follows participant),
other mentor, staff. See tests/test_permissions.py.
"""

ROWS = {
    ("static", "GET"): (200, 200, 200, 200, 200, 200),
    ("main.home", "GET"): (200, 200, 200, 200, 200, 200),  # reg: visitors see the programme page
    ("main.set_language", "POST"): (302, 302, 302, 302, 302, 302),
    # season: an empty POST names no enrollment of the participant's own.
    ("main.choose_enrollment", "POST"): (302, 404, 404, 404, 404, 404),
    ("main.health", "GET"): (200, 200, 200, 200, 200, 200),
    ("auth.login", "GET"): (200, 302, 302, 302, 302, 302),
    ("auth.login", "POST"): (200, 302, 302, 302, 302, 302),
    ("auth.logout", "POST"): (302, 302, 302, 302, 302, 302),
    ("auth.activate", "GET"): (200, 200, 200, 200, 200, 200),
    ("auth.activate", "POST"): (200, 200, 200, 200, 200, 200),
    ("auth.change_password", "GET"): (302, 200, 200, 200, 200, 200),
    ("auth.change_password", "POST"): (302, 200, 200, 200, 200, 200),
    ("auth.profile", "GET"): (302, 200, 200, 403, 403, 403),
    ("auth.profile", "POST"): (302, 200, 200, 403, 403, 403),
    ("mentor.participants", "GET"): (302, 403, 403, 200, 200, 403),
    ("mentor.participant", "GET"): (302, 403, 403, 200, 404, 403),
    ("staff.users", "GET"): (302, 403, 403, 403, 403, 200),
    ("staff.create_user", "GET"): (302, 403, 403, 403, 403, 200),
    ("staff.create_user", "POST"): (302, 403, 403, 403, 403, 200),
    ("staff.user_detail", "GET"): (302, 403, 403, 403, 403, 200),
    ("staff.issue_code", "POST"): (302, 403, 403, 403, 403, 200),
    ("staff.set_user_active", "POST"): (302, 403, 403, 403, 403, 302),
    ("staff.content", "GET"): (302, 403, 403, 403, 403, 200),
    ("learn.course", "GET"): (302, 200, 200, 200, 200, 200),
    ("learn.module", "GET"): (302, 200, 200, 200, 200, 200),
    ("learn.mark_read", "POST"): (302, 302, 302, 403, 403, 403),
    ("learn.module_image", "GET"): (302, 200, 200, 200, 200, 200),
}


def url_values(world) -> dict:
    """URL parameter values; everything points at `participant`'s objects."""
    return {
        "filename": "style.css",
        "enrollment_id": world["enrollment"].id,
        "user_id": world["participant"].id,
        "course_id": world["cohort"].course_id,
        "module_id": "orientasi",
    }


# Values that differ for one endpoint (the same parameter name means something else there).
ENDPOINT_URL_VALUES = {
    "learn.module_image": {"filename": "alur-bootcamp.png"},
}
