"""Command-line content check: ``python -m lms.content.check [root]``."""

import sys
from collections.abc import Sequence
from pathlib import Path

from .loader import load_library
from .schema import Library, Problem


def check_content(root: Path) -> list[Problem]:
    """Return every problem in the content under ``root`` (empty when fine)."""
    return list(_load(root).problems)


def main(argv: Sequence[str] | None = None) -> int:
    """Print problems as ``path:line: message``; return 1 if there are any."""
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args[0]) if args else Path.cwd()
    library = _load(root)
    for problem in library.problems:
        print(problem)
    if library.problems:
        print(f"{len(library.problems)} masalah ditemukan", file=sys.stderr)
        return 1
    print(f"Konten OK: {len(library.courses)} kursus, {len(library.modules)} modul, {len(library.surveys)} survei")
    return 0


def _load(root: Path) -> Library:
    """Load the library with placeholder image URLs (only problems matter here)."""
    return load_library(root, lambda module_id: f"/modul/{module_id}/gambar/")


if __name__ == "__main__":
    sys.exit(main())
