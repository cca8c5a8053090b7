"""File downloads the staff pages send (exports, activation codes, an import's problem rows)."""

from flask import Response

from lms.staff.exports.datasets import CONTENT_TYPES

NO_STORE = {"Cache-Control": "no-store"}


def download(body: bytes, filename: str, fmt: str) -> Response:
    """Return the file as an attachment that no cache keeps."""
    return Response(body, content_type=CONTENT_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE})
