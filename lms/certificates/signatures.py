"""Signature images uploaded by staff: checked by content, stored under instance/ with server-made names.

A PNG must be a real PNG (Pillow reads and verifies it). An SVG must parse as
XML with no DOCTYPE or entity (so no entity expansion or external entity), have
an <svg> root, and hold no script, foreignObject, event attribute, external
reference (href, xlink:href or url() that does not point inside the document) or
stylesheet import. The file name a browser sent is never used: stored files are
called `tanda-tangan/kohort-<id>-<slot>-<digest>.<png|svg>` under the
certificate storage folder, and the renderer's fetcher may read exactly those.
"""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - DOCTYPE/ENTITY are refused before parsing
from pathlib import Path

from flask_babel import gettext as _

SIGNATURE_FOLDER = "tanda-tangan"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 4000 * 4000
FORBIDDEN_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object", "audio", "video",
                                "handler", "listener"})
REFERENCE_ATTRIBUTES = frozenset({"href", "src", "action", "formaction"})
LOCAL_URL = re.compile(r"url\(\s*['\"]?#", re.IGNORECASE)
ANY_URL = re.compile(r"url\s*\(", re.IGNORECASE)


class SignatureRejected(ValueError):
    """An uploaded signature image that is not a plain PNG or a safe SVG; the message is shown as it is."""


def check_signature(data: bytes, max_bytes: int) -> str:
    """Return "png" or "svg" for an acceptable signature image; raise SignatureRejected otherwise."""
    if not data:
        raise SignatureRejected(_("Berkas tanda tangan kosong."))
    if len(data) > max_bytes:
        raise SignatureRejected(_("Berkas tanda tangan paling besar %(kb)s KB.", kb=max_bytes // 1024))
    if data.startswith(PNG_MAGIC):
        check_png(data)
        return "png"
    check_svg(data)
    return "svg"


def check_png(data: bytes) -> None:
    """Refuse anything Pillow does not read and verify as a PNG of sensible size."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG" or image.width * image.height > MAX_PIXELS:
                raise SignatureRejected(_("Gambar PNG tanda tangan tidak valid atau terlalu besar."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        if isinstance(error, SignatureRejected):
            raise
        raise SignatureRejected(_("Berkas ini bukan gambar PNG yang utuh.")) from error


def check_svg(data: bytes) -> None:
    """Refuse an SVG that could run script, load anything from outside, or is not an SVG at all."""
    not_image = _("Berkas tanda tangan harus gambar PNG atau SVG.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SignatureRejected(not_image) from error
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise SignatureRejected(_("SVG tanda tangan tidak boleh memuat DOCTYPE atau ENTITY."))
    try:
        root = ET.fromstring(text)  # noqa: S314 - no DOCTYPE, so no entities to expand
    except ET.ParseError as error:
        raise SignatureRejected(not_image) from error
    if local_name(root.tag) != "svg":
        raise SignatureRejected(not_image)
    for element in root.iter():
        name = local_name(element.tag)
        if name in FORBIDDEN_ELEMENTS:
            raise SignatureRejected(_("SVG tanda tangan tidak boleh memuat <%(name)s>.", name=name))
        if name == "style" and (ANY_URL.search(element.text or "") or "@import" in (element.text or "")):
            raise SignatureRejected(_("SVG tanda tangan tidak boleh memuat rujukan ke luar."))
        for attribute, value in element.attrib.items():
            check_attribute(local_name(attribute), value)


def check_attribute(name: str, value: str) -> None:
    """Refuse event handlers and references that leave the document."""
    if name.startswith("on"):
        raise SignatureRejected(_("SVG tanda tangan tidak boleh memuat skrip (%(name)s).", name=name))
    external = _("SVG tanda tangan tidak boleh memuat rujukan ke luar.")
    if name in REFERENCE_ATTRIBUTES and not value.strip().startswith("#"):
        raise SignatureRejected(external)
    if ANY_URL.search(value) and len(ANY_URL.findall(value)) != len(LOCAL_URL.findall(value)):
        raise SignatureRejected(external)
    if "javascript:" in value.lower():
        raise SignatureRejected(external)


def local_name(tag: str) -> str:
    """Return an XML name without its namespace, lower-cased."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower() if isinstance(tag, str) else ""


def store_signature(root: Path, cohort_id: int, slot: int, data: bytes, kind: str) -> str:
    """Write a checked image under a server-made name; return its path relative to root."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    relative = f"{SIGNATURE_FOLDER}/kohort-{cohort_id}-{slot}-{digest}.{kind}"
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".tmp-{target.name}")
    temporary.write_bytes(data)
    temporary.replace(target)
    return relative


def stored_path(root: Path, relative: str) -> Path | None:
    """Return the stored file a cohort names, only when it lies in the signature folder."""
    if not relative:
        return None
    folder = (root / SIGNATURE_FOLDER).resolve()
    path = (root / relative).resolve()
    return path if path.parent == folder and path.is_file() else None
