"""The permission matrix: every route × method × role has an expected status.

Roles, in column order: anonymous, participant, another participant, mentor (who
follows `participant`), another mentor, staff. URL parameters always name objects
that belong to `participant`, so the "another" columns are IDOR probes.
A route that is not in EXPECTED fails `test_every_route_is_in_the_matrix`.
"""

import pytest

from tests.conftest import login

ROLES = ("anonymous", "participant", "other_participant", "mentor", "other_mentor", "staff")

# (endpoint, method): statuses in ROLES order.
EXPECTED = {
    ("static", "GET"): (200, 200, 200, 200, 200, 200),
    ("main.home", "GET"): (302, 200, 200, 200, 200, 200),
    ("main.set_language", "POST"): (302, 302, 302, 302, 302, 302),
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
# URL values that differ by endpoint.
ENDPOINT_URL_VALUES = {
    "learn.module_image": {"filename": "alur-bootcamp.png"},
}


def url_values(world, endpoint: str) -> dict:
    """Values for every URL parameter, all pointing at `participant`'s objects."""
    values = {
        "filename": "style.css",
        "enrollment_id": world["enrollment"].id,
        "user_id": world["participant"].id,
        "course_id": world["cohort"].course_id,
        "module_id": "orientasi",
    }
    return values | ENDPOINT_URL_VALUES.get(endpoint, {})


def routes(app):
    """Yield (endpoint, method, rule) for every route the app serves."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule


def test_every_route_is_in_the_matrix(app):
    served = {(endpoint, method) for endpoint, method, _rule in routes(app)}
    missing = served - EXPECTED.keys()
    stale = EXPECTED.keys() - served
    assert not missing, f"routes missing from the permission matrix: {sorted(missing)}"
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), sorted(EXPECTED))
def test_route_answers_each_role_as_expected(app, world, endpoint, method, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, world[role]).status_code == 302
    rule = next(r for e, m, r in routes(app) if (e, m) == (endpoint, method))
    values = {name: url_values(world, endpoint)[name] for name in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **values)
    response = client.open(url, method=method, data={})
    response.close()  # file responses (static, downloads) hold their file open until closed
    expected = EXPECTED[(endpoint, method)][ROLES.index(role)]
    assert response.status_code == expected, f"{method} {url} as {role}"
