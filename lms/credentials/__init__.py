"""Portable proof: every valid certificate as a signed Open Badges 3.0 credential.

The credential is a W3C Verifiable Credential secured as a VC-JWT (OB 3.0 §8.2), signed
with the issuer's Ed25519 key; revocation is published as a Bitstring Status List.
"""

from flask import Blueprint

bp = Blueprint("credentials", __name__)

from lms.credentials import views  # noqa: E402,F401  (routes register on bp)
