"""The issuer's signing keys, kept as JWK files in a private directory.

The newest key that is not retired signs; every key ever made stays published, so a
credential signed before a rotation still verifies. Only public parts leave this module.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from joserfc.jwk import OKPKey


class NoSigningKey(RuntimeError):
    """No key has been made yet (`flask --app wsgi lms credentials keygen`)."""


@dataclass(frozen=True)
class IssuerKey:
    kid: str
    created_at: str
    key: OKPKey

    def public_jwk(self) -> dict:
        """The public half as a JWK, with its id, for JWKS and the DID document."""
        public = self.key.as_dict(private=False)
        return {"kty": public["kty"], "crv": public["crv"], "x": public["x"], "kid": self.kid}


def key_dir() -> Path:
    return Path(current_app.config["CREDENTIAL_KEY_DIR"])


def make_key() -> IssuerKey:
    """Make a new Ed25519 key; it becomes the signing key, older ones stay for verifying."""
    directory = key_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = datetime.now(UTC)  # microseconds order two keys made within one second
    kid = f"key-{created:%Y%m%d}-{secrets.token_hex(3)}"
    key = OKPKey.generate_key("Ed25519", parameters={"kid": kid})
    record = {"kid": kid, "created_at": created.isoformat(), "jwk": key.as_dict(private=True)}
    path = directory / f"{kid}.json"
    # The private key is written readable by the owner only, and never into the repository.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(record, handle)
    return IssuerKey(kid, record["created_at"], key)


def all_keys() -> list[IssuerKey]:
    """Every key on disk, oldest first."""
    directory = key_dir()
    if not directory.is_dir():
        return []
    keys = []
    for path in sorted(directory.glob("key-*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        keys.append(IssuerKey(record["kid"], record["created_at"], OKPKey.import_key(record["jwk"])))
    return sorted(keys, key=lambda k: (k.created_at, k.kid))


def signing_key() -> IssuerKey:
    """The newest key; raises NoSigningKey when none was made."""
    keys = all_keys()
    if not keys:
        raise NoSigningKey("no credential signing key")
    return keys[-1]


def find_key(kid: str) -> IssuerKey | None:
    return next((k for k in all_keys() if k.kid == kid), None)


def ensure_key() -> IssuerKey:
    """Return the signing key, making the first one if there is none (demo and `make run`)."""
    try:
        return signing_key()
    except NoSigningKey:
        return make_key()
