"""The permission matrix: every route × method × role has an expected status.

Roles, in column order: anonymous, participant, another participant, mentor (who
follows `participant`), another mentor, staff. URL parameters always name objects
that belong to `participant`, so the "another" columns are IDOR probes.

Each area keeps its rows in tests/permissions/<area>.py: ROWS, and optionally
url_values(world), ENDPOINT_URL_VALUES and extend_world(world) (which creates the
area's objects owned by `participant`, e.g. a submission). A route that is in no
ROWS fails `test_every_route_is_in_the_matrix`.
"""

import importlib
import pkgutil

import pytest
from flask import url_for

import tests.permissions
from tests.conftest import login

ROLES = ("anonymous", "participant", "other_participant", "mentor", "other_mentor", "staff")
AREAS = [
    importlib.import_module(f"tests.permissions.{info.name}")
    for info in pkgutil.iter_modules(tests.permissions.__path__)
]
EXPECTED = {key: statuses for area in AREAS for key, statuses in area.ROWS.items()}


def url_values(world, endpoint: str) -> dict:
    """Merge every area's URL values, then the per-endpoint overrides."""
    values: dict = {}
    for area in AREAS:
        if hasattr(area, "url_values"):
            values.update(area.url_values(world))
    for area in AREAS:
        values.update(getattr(area, "ENDPOINT_URL_VALUES", {}).get(endpoint, {}))
    return values


@pytest.fixture
def full_world(world):
    """The shared world plus every area's own objects."""
    for area in AREAS:
        if hasattr(area, "extend_world"):
            area.extend_world(world)
    return world


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


def test_every_row_has_a_status_per_role():
    assert all(len(statuses) == len(ROLES) for statuses in EXPECTED.values())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), sorted(EXPECTED))
def test_route_answers_each_role_as_expected(app, full_world, endpoint, method, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, full_world[role]).status_code == 302
    rule = next(r for e, m, r in routes(app) if (e, m) == (endpoint, method))
    values = url_values(full_world, endpoint)
    with app.test_request_context():
        url = url_for(endpoint, **{name: values[name] for name in rule.arguments})
    response = client.open(url, method=method, data={})
    response.close()  # file responses (static, downloads) hold their file open until closed
    expected = EXPECTED[(endpoint, method)][ROLES.index(role)]
    assert response.status_code == expected, f"{method} {url} as {role}"
