"""Short content hashes recorded with attempts and submissions."""

import hashlib
from collections.abc import Iterable

VERSION_LENGTH = 12


def version_of(data: bytes) -> str:
    """Return the first 12 hex characters of the SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()[:VERSION_LENGTH]


def version_of_files(main: bytes, extra: Iterable[tuple[str, bytes]]) -> str:
    """Hash a main file together with named extra files (e.g. images)."""
    digest = hashlib.sha256(main)
    for name, data in sorted(extra):
        # Hash each extra file separately so names and contents cannot blur
        # into each other.
        digest.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:VERSION_LENGTH]
