"""Sign and check VC-JWTs with the issuer's Ed25519 keys (joserfc)."""

from __future__ import annotations

import base64
import json
import warnings
from contextlib import contextmanager

from joserfc import jwt
from joserfc.errors import JoseError

from lms.credentials import keys

ALGORITHM = "EdDSA"
MEDIA_TYPE = "vc+jwt"


@contextmanager
def _eddsa_allowed():
    # joserfc flags "EdDSA" as superseded by RFC 9864's "Ed25519"; Open Badges verifiers
    # and PyJWT still expect "EdDSA", so interoperability wins until they move.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        yield


def sign(claims: dict) -> str:
    """Compact JWS of the claims with the current signing key."""
    key = keys.signing_key()
    header = {"alg": ALGORITHM, "typ": MEDIA_TYPE, "kid": key.kid}
    with _eddsa_allowed():
        return jwt.encode(header, claims, key.key, algorithms=[ALGORITHM])


class Unreadable(ValueError):
    """The text is not a compact JWS at all."""


def unverified_header(token: str) -> dict:
    """Read the protected header without trusting it (to pick the key)."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise Unreadable("not three parts")
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except (ValueError, UnicodeDecodeError) as error:
        raise Unreadable(str(error)) from error
    if not isinstance(header, dict):
        raise Unreadable("header is not an object")
    return header


def verified_claims(token: str, key: keys.IssuerKey) -> dict | None:
    """The claims when the signature holds under this key, else None."""
    with _eddsa_allowed():
        try:
            return dict(jwt.decode(token, key.key, algorithms=[ALGORITHM]).claims)
        except (JoseError, ValueError):
            return None
