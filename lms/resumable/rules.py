"""Pure rules of a resumable upload: what a start request may ask for, where a chunk may go."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

TOKEN_RE = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")  # the submission form's client_token
NAME_RE = re.compile(r"^[0-9a-f]{32}$")  # the server-made name of an upload
MAX_CHUNK = 512 * 1024  # one request; the phone sends 256 KB (about 5 s on slow 3G)
MAX_FILENAME = 200


class UploadRefused(ValueError):
    """Raised with a message for the participant and the HTTP status to answer."""

    def __init__(self, message, status: int = 400, offset: int | None = None) -> None:
        super().__init__(str(message))
        self.status = status
        self.offset = offset


@dataclass(frozen=True)
class StartRequest:
    """A checked request to start (or find again) the upload of one file of a queued submission."""

    client_token: str
    file_index: int
    size: int
    filename: str


def read_start(data: object, *, max_files: int, max_bytes: int, max_mb: int) -> StartRequest:
    """Check the JSON body of a start request; raise UploadRefused with a clear message."""
    if not isinstance(data, dict):
        raise UploadRefused(_l("Permintaan unggah tidak bisa dibaca. Muat ulang halaman lalu coba lagi."))
    token, index, size = data.get("client_token"), data.get("index"), data.get("size")
    filename = data.get("name") if isinstance(data.get("name"), str) else ""
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        raise UploadRefused(_l("Formulir kedaluwarsa. Muat ulang halaman lalu kirim lagi."))
    if type(index) is not int or not 0 <= index < max_files:
        raise UploadRefused(_l("Paling banyak %(count)s berkas per kiriman.", count=max_files))
    if type(size) is not int or size <= 0:
        raise UploadRefused(_l("Berkas kosong. Pilih berkas lain."))
    if size > max_bytes:
        raise UploadRefused(_l("Berkas terlalu besar. Batasnya %(mb)s MB per berkas.", mb=max_mb), status=413)
    return StartRequest(token, index, size, filename[:MAX_FILENAME])


def check_chunk(*, offset: int | None, received: int, length: int, size: int) -> None:
    """Refuse a chunk that does not start at the received offset or would pass the declared size.

    A wrong offset (a chunk sent twice, or one whose answer was lost) answers 409 with the
    offset the server holds, so the phone continues from there and no byte is kept twice.
    """
    if offset is None or offset < 0:
        raise UploadRefused(_l("Bagian berkas tanpa posisi (Upload-Offset)."), offset=received)
    if offset != received:
        raise UploadRefused(_l("Bagian ini sudah diterima; lanjutkan dari posisi server."), status=409,
                            offset=received)
    if length == 0 or length > MAX_CHUNK:
        raise UploadRefused(_l("Bagian berkas kosong atau terlalu besar."), offset=received)
    if received + length > size:
        raise UploadRefused(_l("Berkas lebih besar dari yang diumumkan. Pilih berkasnya lagi."), offset=received)
