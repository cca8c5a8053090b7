"""Uploaded files: decide the type from the content, store atomically under server-made names.

A file is first streamed to a temporary file next to its final place (so the size
limit holds without keeping it in memory), checked, then moved with os.replace:
readers never see half a file, and no name a user typed ever reaches the filesystem.
Images lose their metadata (GPS position, phone model: lms/assignments/metadata.py)
before they are stored, so neither the original nor the thumbnail can reveal them.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lms.assignments import metadata

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", PDF: ".pdf"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
IMAGE_TYPES = frozenset(PILLOW_FORMATS)
INLINE_TYPES = frozenset(EXTENSIONS)  # every type we accept has been checked, so each may show inline
THUMBNAIL_SIZE = (480, 480)  # a phone screen's width, ~30 KB over 3G; the original is kept for download
CHUNK = 64 * 1024
SUBFOLDER = "submissions"


class UploadError(ValueError):
    """Raised with a message for the participant when an upload is refused."""


@dataclass(frozen=True)
class StoredFile:
    """A checked file, stored under its server-made name."""

    stored_name: str
    display_name: str
    content_type: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    thumbnail_name: str | None = None

    def names(self) -> list[str]:
        """Return every name this file occupies on disk."""
        return [name for name in (self.stored_name, self.thumbnail_name) if name]


def sniff_content_type(head: bytes) -> str | None:
    """Return the content type that the first bytes of a file declare, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def display_name_for(filename: str | None, content_type: str) -> str:
    """Return a harmless name to show people (and to offer on download); never used as a path.

    The extension is always the one of the detected type, never the uploader's:
    a JPEG sent as `laporan.html` is offered back as `laporan.jpg`.
    """
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().strip(".")
    stem = base.rsplit(".", 1)[0].strip().strip(".") if "." in base else base
    extension = EXTENSIONS[content_type]
    return (stem or "berkas")[: 120 - len(extension)] + extension


def upload_root() -> Path:
    """Return the folder that holds submission files."""
    return Path(current_app.config["UPLOAD_ROOT"]) / SUBFOLDER


def path_of(stored_name: str) -> Path:
    """Return where a stored file lives; stored names are ours, so they are safe path parts."""
    return upload_root() / stored_name


def max_upload_mb() -> int:
    """Return the per-file size limit in MB from config (MAX_UPLOAD_MB)."""
    return int(current_app.config["MAX_UPLOAD_MB"])


def max_upload_bytes() -> int:
    """Return the per-file size limit in bytes."""
    return max_upload_mb() * 1024 * 1024


def store_upload(stream: BinaryIO, filename: str | None) -> StoredFile:
    """Check one uploaded file and store it (and a thumbnail for images); raise UploadError if refused."""
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    temp_path = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            size, digest, head = _copy_limited(stream, out, max_upload_bytes())
        content_type = sniff_content_type(head)
        if content_type is None:
            raise UploadError(_("Jenis berkas tidak didukung. Kirim foto JPEG, PNG atau WebP, atau dokumen PDF."))
        width = height = None
        if content_type in IMAGE_TYPES:
            width, height = _check_image(temp_path, content_type)
            size, digest = _strip_metadata(temp_path, content_type)
        elif not _looks_like_pdf(temp_path):
            raise UploadError(_("Berkas PDF ini rusak atau tidak lengkap. Simpan ulang lalu kirim lagi."))
        stem = secrets.token_hex(16)
        stored_name = stem + EXTENSIONS[content_type]
        thumbnail_name = _make_thumbnail(temp_path, stem) if content_type in IMAGE_TYPES else None
        os.replace(temp_path, root / stored_name)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    return StoredFile(
        stored_name=stored_name,
        display_name=display_name_for(filename, content_type),
        content_type=content_type,
        size=size,
        sha256=digest,
        width=width,
        height=height,
        thumbnail_name=thumbnail_name,
    )


def remove_stored(names: list[str]) -> None:
    """Delete stored files whose database rows were never written."""
    for name in names:
        path_of(name).unlink(missing_ok=True)


def _copy_limited(stream: BinaryIO, out: BinaryIO, limit: int) -> tuple[int, str, bytes]:
    """Copy a stream to a file, refusing more than `limit` bytes; return size, SHA-256 and head."""
    digest, size, head = hashlib.sha256(), 0, b""
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise UploadError(
                _("Berkas terlalu besar. Batasnya %(mb)s MB per berkas.", mb=current_app.config["MAX_UPLOAD_MB"])
            )
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        digest.update(chunk)
        out.write(chunk)
    if size == 0:
        raise UploadError(_("Berkas kosong. Pilih berkas lain."))
    return size, digest.hexdigest(), head


def _check_image(path: Path, content_type: str) -> tuple[int, int]:
    """Decode the whole image with Pillow; refuse broken images and decompression bombs."""
    bad = UploadError(_("Foto ini rusak atau tidak bisa dibaca. Ambil ulang fotonya lalu kirim lagi."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format != PILLOW_FORMATS[content_type]:
                    raise bad
                image.verify()
            with Image.open(path) as image:  # verify() leaves the image unusable; decode it fully too
                image.load()
                return image.size
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:
        raise bad from error


def _strip_metadata(path: Path, content_type: str) -> tuple[int, str]:
    """Rewrite an image in place without EXIF/XMP/GPS; return the new size and SHA-256.

    The compressed picture data is copied as it is (see metadata.py). PNG and WebP
    carry no orientation tag once stripped, so the rare one that needs turning is
    re-encoded upright and losslessly instead.
    """
    bad = UploadError(_("Foto ini rusak atau tidak bisa dibaca. Ambil ulang fotonya lalu kirim lagi."))
    data = path.read_bytes()
    with Image.open(path) as image:
        orientation = image.getexif().get(metadata.ORIENTATION_TAG)
        if content_type != JPEG and orientation not in (None, 1) and not getattr(image, "is_animated", False):
            return _reencode_upright(path, image, content_type)
    try:
        if content_type == JPEG:
            clean = metadata.strip_jpeg(data, orientation if isinstance(orientation, int) else None)
        elif content_type == PNG:
            clean = metadata.strip_png(data)
        else:
            clean = metadata.strip_webp(data)
    except metadata.MetadataError as error:
        raise bad from error
    if clean != data:
        path.write_bytes(clean)
        _check_image(path, content_type)  # the stripped file must still decode
    return len(clean), hashlib.sha256(clean).hexdigest()


def _reencode_upright(path: Path, image: Image.Image, content_type: str) -> tuple[int, str]:
    """Save a PNG/WebP turned upright, losslessly, keeping only its ICC profile."""
    upright = ImageOps.exif_transpose(image)
    options = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    if content_type == WEBP:
        options |= {"lossless": True, "exact": True}
    temp = path.with_name(path.name + ".upright")
    upright.save(temp, PILLOW_FORMATS[content_type], **options)
    os.replace(temp, path)
    clean = path.read_bytes()
    return len(clean), hashlib.sha256(clean).hexdigest()


def _looks_like_pdf(path: Path) -> bool:
    """Tell whether a file with a %PDF- header also ends like a PDF (%%EOF near the end)."""
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 2048))
        return b"%%EOF" in handle.read()


def _make_thumbnail(source: Path, stem: str) -> str:
    """Write a downscaled JPEG copy for display, turned upright by its EXIF orientation."""
    name = f"{stem}-thumb.jpg"
    root = upload_root()
    handle, temp_name = tempfile.mkstemp(dir=root, prefix=".thumb-")
    os.close(handle)
    try:
        with Image.open(source) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMBNAIL_SIZE)
            flat = _flatten(image)
            flat.save(temp_name, "JPEG", quality=80, optimize=True)
        os.replace(temp_name, root / name)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return name


def _flatten(image: Image.Image) -> Image.Image:
    """Return an RGB copy, putting transparent parts on white (JPEG has no transparency)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
