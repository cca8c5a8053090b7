"""Permission-matrix rows for credentials (Open Badges 3.0).

Columns: anonymous, participant, other participant, mentor (follows participant),
other mentor, staff. The certificate (from the certificates rows) belongs to `participant`.
"""

ROWS = {
    ("credentials.download", "GET"): (302, 200, 404, 404, 404, 200),
    ("credentials.did_document", "GET"): (200, 200, 200, 200, 200, 200),
    ("credentials.did_document_at_path", "GET"): (200, 200, 200, 200, 200, 200),
    ("credentials.jwks", "GET"): (200, 200, 200, 200, 200, 200),
    ("credentials.status_list", "GET"): (200, 200, 200, 200, 200, 200),
    ("credentials.achievement", "GET"): (200, 200, 200, 200, 200, 200),
    ("credentials.check", "GET"): (200, 200, 200, 200, 200, 200),
    ("credentials.check", "POST"): (400, 400, 400, 400, 400, 400),  # nothing pasted: the form comes back
}
ENDPOINT_URL_VALUES = {"credentials.achievement": {"course_id": "ftd-umkm", "kind": "lulusan"}}


def extend_world(world) -> None:
    """A signing key, so downloads and the status list answer."""
    from lms.credentials import keys

    keys.ensure_key()
