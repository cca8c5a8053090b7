"""Remove what a photo says about where and with what it was taken, without touching its pixels.

Phones write EXIF (GPS position, maker and model, time), XMP (which can repeat the
position) and sometimes Photoshop/IPTC blocks into JPEG, PNG and WebP files. We strip
them at the container level, so the compressed image data is copied byte for byte
and the picture cannot change:

* JPEG: the APPn/COM segments before the image data are dropped except JFIF (APP0),
  the ICC profile (APP2 "ICC_PROFILE") and Adobe (APP14, needed for CMYK colours);
  anything after the end-of-image marker (Samsung trailers, MPF second images) is
  dropped too. The orientation is kept as a new EXIF block holding only that tag,
  so a sideways-shot photo still shows upright.
* PNG: only the chunks that draw the picture are kept (IHDR, PLTE, IDAT, IEND,
  transparency, colour space, physical size, animation); eXIf/tEXt/zTXt/iTXt (XMP)
  and tIME are dropped.
* WebP: EXIF and XMP chunks are dropped and their flags cleared in VP8X.

No Flask here: plain bytes in, plain bytes out; anything we cannot parse raises
MetadataError and the upload is refused as a broken file.
"""

from __future__ import annotations

import struct

from PIL import Image

ORIENTATION_TAG = 0x0112
_JPEG_KEEP_APP = {0xE0: b"JFIF\x00", 0xE2: b"ICC_PROFILE\x00"}  # APPn kept only with these payloads
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
             b"pHYs", b"bKGD", b"cICP", b"acTL", b"fcTL", b"fdAT"}
_WEBP_DROP = {b"EXIF", b"XMP "}
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


class MetadataError(ValueError):
    """Raised when a file's structure cannot be walked safely."""


def strip_jpeg(data: bytes, orientation: int | None = None) -> bytes:
    """Return the JPEG without metadata segments or trailing data; keep only the orientation tag."""
    if not data.startswith(b"\xff\xd8"):
        raise MetadataError("not a JPEG")
    out = [b"\xff\xd8"]
    if orientation and orientation != 1:
        out.append(_orientation_app1(orientation))
    position, length = 2, len(data)
    while position < length:
        if data[position] != 0xFF:
            raise MetadataError("expected a marker")
        while position < length and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= length:
            raise MetadataError("truncated marker")
        marker = data[position]
        position += 1
        if marker == 0xD9:  # end of image: anything after it is dropped
            out.append(b"\xff\xd9")
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            out.append(bytes((0xFF, marker)))
            continue
        if position + 2 > length:
            raise MetadataError("truncated segment")
        size = struct.unpack(">H", data[position:position + 2])[0]
        end = position + size
        if size < 2 or end > length:
            raise MetadataError("bad segment length")
        segment = data[position - 2:end]
        if _keep_jpeg_segment(marker, data[position + 2:end]):
            out.append(segment)
        position = end
        if marker == 0xDA:  # start of scan: copy the entropy-coded data up to the next real marker
            scan_end = _end_of_scan(data, position)
            out.append(data[position:scan_end])
            position = scan_end
    raise MetadataError("no end-of-image marker")


def _keep_jpeg_segment(marker: int, payload: bytes) -> bool:
    """Tell whether a segment is part of the picture rather than metadata."""
    if marker == 0xFE:  # comment
        return False
    if 0xE0 <= marker <= 0xEF:
        if marker == 0xEE:
            return payload.startswith(b"Adobe")
        prefix = _JPEG_KEEP_APP.get(marker)
        return prefix is not None and payload.startswith(prefix)
    return True


def _end_of_scan(data: bytes, position: int) -> int:
    """Return where the entropy-coded data that starts at `position` ends (at the next marker)."""
    length = len(data)
    while True:
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= length:
            raise MetadataError("scan runs past the end")
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position = found + 1 if following == 0xFF else found + 2
            continue
        return found


def _orientation_app1(orientation: int) -> bytes:
    """Return an APP1 segment with an EXIF block that holds only the orientation."""
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = orientation
    payload = exif.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def strip_png(data: bytes) -> bytes:
    """Return the PNG with only the chunks that draw the picture."""
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        raise MetadataError("not a PNG")
    out, position = [signature], len(signature)
    while position < len(data):
        if position + 12 > len(data):
            raise MetadataError("truncated chunk")
        size, kind = struct.unpack(">I4s", data[position:position + 8])
        end = position + 12 + size
        if end > len(data):
            raise MetadataError("bad chunk length")
        if kind in _PNG_KEEP:
            out.append(data[position:end])
        position = end
        if kind == b"IEND":
            return b"".join(out)
    raise MetadataError("no IEND chunk")


def strip_webp(data: bytes) -> bytes:
    """Return the WebP without EXIF and XMP chunks (and their VP8X flags cleared)."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise MetadataError("not a WebP")
    riff_end = min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    chunks, position = [], 12
    while position + 8 <= riff_end:
        kind, size = data[position:position + 4], struct.unpack("<I", data[position + 4:position + 8])[0]
        end = position + 8 + size + (size & 1)  # chunks are padded to an even length
        if position + 8 + size > riff_end:
            raise MetadataError("bad chunk length")
        chunk = data[position:min(end, riff_end)]
        if kind == b"VP8X" and size >= 10:
            flags = chunk[8] & ~(_VP8X_EXIF | _VP8X_XMP)
            chunk = chunk[:8] + bytes((flags,)) + chunk[9:]
        if kind not in _WEBP_DROP:
            chunks.append(chunk)
        position = end
    if not chunks:
        raise MetadataError("empty WebP")
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body
