"""Chunked, resumable upload of files queued on the phone (JSON, for static/upload-queue.js).

POST /unggah starts (or finds again) the upload of file `index` of the form `client_token`
and answers its server-made name and the offset received; GET answers the offset;
POST /unggah/<name> appends raw bytes at the `Upload-Offset` header. The submission form
then names the complete uploads in `upload_ids`; only there are they checked and stored.
"""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user

from lms.resumable import bp, operations, rules, storage

bp.teardown_app_request(operations.close_opened)


@bp.before_request
def participants_only():
    """Answer JSON, not a login page: 401 for the anonymous (the phone keeps its queue), 403 for others."""
    if not current_user.is_authenticated:
        return jsonify(error="login"), 401
    if not current_user.is_participant:
        return jsonify(error="forbidden"), 403
    return None


@bp.url_value_preprocessor
def limit_chunk_body(endpoint, _values):
    """Refuse a chunk body bigger than one chunk before anything reads it."""
    if endpoint == "resumable.chunk":
        request.max_content_length = rules.MAX_CHUNK


@bp.errorhandler(rules.UploadRefused)
def refused(error: rules.UploadRefused):
    """Answer a refused request with its message and, for a chunk, the offset the server holds."""
    return jsonify(error=str(error), offset=error.offset), error.status


@bp.post("/unggah")
def start():
    """Start the chunked upload of one queued file, or find the one already started; answer its offset."""
    upload = operations.start_upload(current_user, request.get_json(silent=True))
    return _state(upload)


@bp.route("/unggah/<name>", methods=["GET", "POST"])
def chunk(name: str):
    """Answer how many bytes the server holds (GET), or append one chunk at Upload-Offset (POST)."""
    upload = operations.upload_of(current_user, name)
    if upload is None:
        return jsonify(error="not found"), 404
    if request.method == "POST":
        offset = request.headers.get("Upload-Offset", type=int)
        operations.append_chunk(upload, offset, request.get_data(cache=False))
    return _state(upload)


def _state(upload):
    return jsonify(id=upload.name, offset=storage.received(upload.name), size=upload.size,
                   url=url_for("resumable.chunk", name=upload.name))
