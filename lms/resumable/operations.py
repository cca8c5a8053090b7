"""Writes and look-ups of resumable uploads: start or find an upload, append, hand complete files to the form."""

from __future__ import annotations

import secrets

from flask import g
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from lms.assignments import rules as assignment_rules
from lms.assignments import uploads
from lms.extensions import db
from lms.models import ResumableUpload, User
from lms.resumable import rules, storage


def start_upload(user: User, data: object) -> ResumableUpload:
    """Start the upload of one file of a queued submission, or return the one already started for it."""
    wanted = rules.read_start(data, max_files=assignment_rules.MAX_FILES, max_bytes=uploads.max_upload_bytes(),
                              max_mb=uploads.max_upload_mb())
    existing = _find(user, wanted)
    if existing is None:
        upload = ResumableUpload(name=secrets.token_hex(16), user_id=user.id, client_token=wanted.client_token,
                                 file_index=wanted.file_index, size=wanted.size, filename=wanted.filename)
        db.session.add(upload)
        try:
            db.session.commit()
        except IntegrityError:  # the same file started at the same moment from another tab
            db.session.rollback()
            existing = _find(user, wanted)
        else:
            storage.create(upload.name)
            return upload
    if existing is None or existing.size != wanted.size:
        raise rules.UploadRefused(_("Berkas ini berbeda dari yang sudah mulai diunggah untuk kiriman ini. Kirim "
                                    "sebagai kiriman baru."), status=409)
    return existing


def upload_of(user: User, name: str) -> ResumableUpload | None:
    """Return the user's own upload with this server-made name, or None (the view answers 404)."""
    if not rules.NAME_RE.match(name):
        return None
    return db.session.scalar(select(ResumableUpload).where(ResumableUpload.name == name,
                                                           ResumableUpload.user_id == user.id))


def append_chunk(upload: ResumableUpload, offset: int | None, data: bytes) -> int:
    """Append one chunk at `offset`; return the new offset (UploadRefused with the server's offset if not)."""
    return storage.append(upload.name, offset, data, upload.size)


def completed_files(user: User, client_token: str, names: list[str]) -> list[FileStorage]:
    """Return the complete uploads of this form token as files for the submission form, in their order.

    Refuses a name that is not the user's, was started for another form token, or is not
    received in full. The files are opened here and closed when the request ends.
    """
    files = []
    for name in names:
        upload = upload_of(user, name)
        if upload is None or upload.client_token != client_token:
            raise rules.UploadRefused(_("Berkas yang diunggah tidak ditemukan. Pilih berkasnya lagi lalu kirim."))
        if storage.received(upload.name) != upload.size:
            raise rules.UploadRefused(_("Berkas \"%(name)s\" belum terkirim lengkap. Tunggu sampai unggahan "
                                        "selesai, lalu kirim lagi.", name=upload.filename or "berkas"))
        files.append((upload.file_index, upload))
    opened = g.setdefault("resumable_open", [])
    result = []
    for _index, upload in sorted(files, key=lambda item: item[0]):
        stream = storage.path_of(upload.name).open("rb")
        opened.append(stream)
        result.append(FileStorage(stream=stream, filename=upload.filename or "berkas",
                                  content_type="application/octet-stream"))
    return result


def close_opened(_error=None) -> None:
    """Close the upload files opened for this request's submission form."""
    for stream in g.pop("resumable_open", []):
        stream.close()


def _find(user: User, wanted: rules.StartRequest) -> ResumableUpload | None:
    return db.session.scalar(select(ResumableUpload).where(
        ResumableUpload.user_id == user.id, ResumableUpload.client_token == wanted.client_token,
        ResumableUpload.file_index == wanted.file_index))
