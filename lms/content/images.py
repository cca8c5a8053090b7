"""Check the images a module uses and measure them."""

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .render import ImageRef, image_refs
from .report import Report

# Pillow format name → file name endings that may carry it.
_FORMAT_SUFFIXES = {
    "PNG": (".png",),
    "JPEG": (".jpg", ".jpeg"),
    "WEBP": (".webp",),
}
_ALLOWED_SUFFIXES = tuple(s for group in _FORMAT_SUFFIXES.values() for s in group)
# Names that work unchanged in URLs and on every operating system.
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class ImageFile:
    """A checked image: its name in images/, size, and bytes (for the version)."""

    name: str
    width: int
    height: int
    data: bytes


def check_images(
    body: str,
    *,
    body_first_line: int,
    module_dir: Path,
    report: Report,
) -> tuple[ImageFile, ...]:
    """Check every image ``body`` uses; return the good ones in name order."""
    found: dict[str, ImageFile] = {}
    seen: set[tuple[str, str]] = set()
    refs = image_refs(body)
    for ref, line in zip(refs, _locate(refs, body, body_first_line), strict=True):
        if (ref.src, ref.alt) in seen:
            continue
        seen.add((ref.src, ref.alt))
        image = _check_one(ref, line, module_dir, report)
        if image is not None:
            found[image.name] = image
    return tuple(found[name] for name in sorted(found))


def report_images_not_allowed(body: str, *, body_first_line: int, report: Report) -> None:
    """Report images in files that cannot show them (quiz.md, assignment.md)."""
    refs = image_refs(body)
    for ref, line in zip(refs, _locate(refs, body, body_first_line), strict=True):
        report.add(line, f"gambar '{ref.src}' hanya bisa dipakai di module.md")


def _check_one(ref: ImageRef, line: int, module_dir: Path, report: Report) -> ImageFile | None:
    """Validate one image reference and load its file."""
    name = _name_in_images(ref.src, line, report)
    if name is None:
        return None
    label = f"images/{name}"
    if not ref.alt.strip():
        report.add(line, f"gambar '{label}' belum punya teks alt: tulis keterangan di antara [ ]")
    images_dir = module_dir / "images"
    path = images_dir / name
    if not path.is_file():
        report.add(line, _missing_message(label, images_dir, name))
        return None
    if not path.resolve().is_relative_to(images_dir.resolve()):
        # A symlink pointing elsewhere would publish files outside the module.
        report.add(line, f"path gambar '{ref.src}' keluar dari folder modul")
        return None
    return _measure(path, name, label, line, report)


def _name_in_images(src: str, line: int, report: Report) -> str | None:
    """Return the file name for ``images/NAME``, reporting any other location."""
    path = src.strip()
    if not path:
        report.add(line, "gambar tanpa alamat berkas")
        return None
    if _SCHEME.match(path) or path.startswith("//"):
        report.add(
            line, f"gambar '{_short(path)}' harus disimpan di folder images/ modul ini, bukan diambil dari internet"
        )
        return None
    parts = path.replace("\\", "/").split("/")
    if path.startswith(("/", "\\")) or ".." in parts:
        report.add(line, f"path gambar '{path}' keluar dari folder modul")
        return None
    if parts[0] == ".":
        parts = parts[1:]
    if len(parts) < 2 or parts[0] != "images":
        report.add(line, f"gambar '{path}' harus ada di folder images/ (tulis 'images/{parts[-1]}')")
        return None
    if len(parts) > 2:
        report.add(line, f"gambar '{path}' harus langsung di folder images/, tanpa subfolder")
        return None
    return _valid_name(parts[1], path, line, report)


def _valid_name(name: str, path: str, line: int, report: Report) -> str | None:
    """Check the file name characters and ending."""
    if not _SAFE_NAME.fullmatch(name):
        report.add(line, f"nama berkas gambar '{path}' hanya boleh berisi huruf, angka, '-', '_' dan '.' (tanpa spasi)")
        return None
    if not name.lower().endswith(_ALLOWED_SUFFIXES):
        report.add(line, f"gambar '{path}' harus PNG, JPEG atau WebP")
        return None
    return name


def _measure(path: Path, name: str, label: str, line: int, report: Report) -> ImageFile | None:
    """Open the image with Pillow to confirm its real format and read its size."""
    try:
        data = path.read_bytes()
        with warnings.catch_warnings():
            # Huge images raise a warning first; treat them like other failures.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                fmt = img.format or ""
                width, height = img.size
                img.verify()
    except Exception:  # Pillow raises many types for bad files; all mean "broken".
        fmt = ""
    if fmt not in _FORMAT_SUFFIXES:
        report.add(line, f"gambar '{label}' bukan PNG, JPEG atau WebP (atau rusak)")
        return None
    if not name.lower().endswith(_FORMAT_SUFFIXES[fmt]):
        ending = _FORMAT_SUFFIXES[fmt][0]
        report.add(line, f"gambar '{label}' sebenarnya berformat {fmt}; ganti akhiran nama berkasnya menjadi {ending}")
        return None
    return ImageFile(name=name, width=width, height=height, data=data)


def _missing_message(label: str, images_dir: Path, name: str) -> str:
    """Explain a missing image, hinting at a different upper/lower case name."""
    message = f"gambar '{label}' tidak ditemukan"
    if images_dir.is_dir():
        for candidate in sorted(images_dir.iterdir()):
            if candidate.name.lower() == name.lower():
                return f"{message} (yang ada 'images/{candidate.name}'; huruf besar/kecil harus sama)"
    return message


def _locate(refs: tuple[ImageRef, ...], body: str, body_first_line: int) -> list[int]:
    """Find the line of each image, in order, to point staff at it.

    Python-Markdown does not keep line numbers, so search the text for each
    source in document order (a cursor keeps repeated sources apart).
    """
    lines: list[int] = []
    cursor = 0
    for ref in refs:
        pattern = re.compile(r"(?<=[(<\s:])" + re.escape(ref.src) + r"(?=[)>\s\"']|$)", re.MULTILINE)
        match = pattern.search(body, cursor) or pattern.search(body)
        if match is None:
            lines.append(body_first_line)
            continue
        cursor = match.end()
        lines.append(body_first_line + body.count("\n", 0, match.start()))
    return lines


def _short(text: str, limit: int = 60) -> str:
    """Shorten long values (e.g. data: URLs) for messages."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
