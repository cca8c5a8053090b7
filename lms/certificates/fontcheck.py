"""Warn at start-up when WeasyPrint would fall back to slow font subsetting.

Without libharfbuzz-subset (>= 4.1), WeasyPrint subsets fonts with fontTools,
silently making every certificate several times slower. The check loads the
libraries with ctypes, so the app does not import WeasyPrint just to start.
"""

from __future__ import annotations

import ctypes
import functools

from flask import Flask

SUBSET_LIBRARY_NAMES = ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll")
HARFBUZZ_LIBRARY_NAMES = ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll")
MINIMUM_VERSION = (4, 1, 0)  # what WeasyPrint requires before it uses HarfBuzz to subset
WARNING = (
    "libharfbuzz-subset (HarfBuzz >= 4.1) was not found: WeasyPrint will subset fonts with fontTools and "
    "certificates will render several times slower. Install it (Debian/Ubuntu: apt-get install libharfbuzz-subset0)."
)


def _load(names: tuple[str, ...]) -> ctypes.CDLL | None:
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


@functools.cache
def harfbuzz_subset_available() -> bool:
    """Tell whether WeasyPrint can subset fonts with HarfBuzz (checked once per process)."""
    if _load(SUBSET_LIBRARY_NAMES) is None:
        return False
    harfbuzz = _load(HARFBUZZ_LIBRARY_NAMES)
    if harfbuzz is None:
        return False
    harfbuzz.hb_version_atleast.restype = ctypes.c_int
    return bool(harfbuzz.hb_version_atleast(*MINIMUM_VERSION))


def warn_if_slow_fonts(app: Flask) -> bool:
    """Log a clear warning when font subsetting would be slow; return whether all is well."""
    if harfbuzz_subset_available():
        return True
    app.logger.warning(WARNING)
    return False
