"""Pure rules: what an Open Badges 3.0 credential for a certificate says, and the status list.

Nothing here reads the database or the clock; views and operations pass the facts in.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote, urlencode, urlsplit

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# Bitstring Status List: at least 131,072 entries, so one list says nothing about how many
# certificates exist or which one a verifier is asking about (the spec's privacy minimum).
STATUS_LIST_MIN_BITS = 131_072


@dataclass(frozen=True)
class CertificateFacts:
    """What the credential states, copied from the certificate as printed."""

    code: str  # canonical verification code
    number: str
    kind: str  # graduation | top
    name: str
    phone: str  # E.164; only its salted hash goes into the credential
    course_id: str
    course_title: str
    cohort_name: str
    graduation_date: date
    issued_at: datetime
    status_index: int


@dataclass(frozen=True)
class IssuerFacts:
    did: str
    name: str
    url: str
    verify_url: str  # the certificate's public page, e.g. https://…/verify/K7QM-…
    achievement_url: str
    status_list_url: str
    criteria: str
    description: str


def did_web_for(public_url: str) -> str:
    """did:web identifier of the site: the host, a port encoded as %3A, then path parts."""
    parts = urlsplit(public_url)
    host = parts.hostname or ""
    if parts.port:
        host += "%3A" + str(parts.port)
    path = [quote(p, safe="") for p in parts.path.split("/") if p]
    return ":".join(["did:web", host, *path])


def phone_identity_hash(phone: str, salt: str) -> str:
    """OB 3.0 hashed identity: 'sha256$' + hex digest of the value followed by the salt."""
    return "sha256$" + hashlib.sha256((phone + salt).encode("utf-8")).hexdigest()


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:  # the database keeps naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def credential_for(cert: CertificateFacts, issuer: IssuerFacts, *, salt: str) -> dict:
    """The OpenBadgeCredential body (also the JWT claims set, OB 3.0 §8.2.4.1)."""
    valid_from = _iso(cert.issued_at)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer.verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": cert.course_title,
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
        "validFrom": valid_from,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": cert.name},
                {"type": "IdentityObject", "identityType": "phoneNumber", "hashed": True,
                 "identityHash": phone_identity_hash(cert.phone, salt), "salt": salt},
            ],
            "achievement": {
                "id": issuer.achievement_url,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": cert.course_title,
                "description": issuer.description,
                "criteria": {"narrative": issuer.criteria},
                "creator": {"id": issuer.did, "type": ["Profile"], "name": issuer.name},
            },
            "source": {"id": issuer.did, "type": ["Profile"], "name": issuer.name},
        },
        "credentialStatus": {
            "id": f"{issuer.status_list_url}#{cert.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(cert.status_index),
            "statusListCredential": issuer.status_list_url,
        },
        # Extra, human-checkable facts printed on the PDF (ignored by generic verifiers).
        "evidence": [{
            "id": issuer.verify_url,
            "type": ["Evidence"],
            "name": cert.number,
            "description": f"{cert.cohort_name} · {cert.graduation_date.isoformat()}",
        }],
    }


def jwt_claims(credential: dict) -> dict:
    """The registered claims OB 3.0 §8.2.6.1 requires next to the credential members."""
    valid_from = datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00"))
    return {**credential, "iss": credential["issuer"]["id"], "jti": credential["id"],
            "nbf": int(valid_from.timestamp())}


def encode_status_list(revoked_indexes: set[int], size: int | None = None) -> str:
    """The encodedList: multibase 'u' + base64url (no padding) of the GZIP'd bitstring.

    Bit 0 is the most significant bit of the first byte, as the spec orders them.
    """
    bits = max(STATUS_LIST_MIN_BITS, size or 0, (max(revoked_indexes) + 1) if revoked_indexes else 0)
    bits = (bits + 7) // 8 * 8
    raw = bytearray(bits // 8)
    for index in revoked_indexes:
        raw[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(raw), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


class BadStatusList(ValueError):
    """The encodedList cannot be read."""


def status_bit(encoded_list: str, index: int) -> bool:
    """True when the entry at index is set (the certificate is revoked)."""
    if not encoded_list.startswith("u"):
        raise BadStatusList("not base64url multibase")
    body = encoded_list[1:]
    try:
        raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, OSError, EOFError) as error:
        raise BadStatusList(str(error)) from error
    if not 0 <= index < len(raw) * 8:
        raise BadStatusList("index outside the list")
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(issuer: IssuerFacts, revoked_indexes: set[int], now: datetime) -> dict:
    """The BitstringStatusListCredential body the status URL serves (signed like a badge)."""
    return {
        "@context": [VC_CONTEXT],
        "id": issuer.status_list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did,
        "validFrom": _iso(now),
        "credentialSubject": {
            "id": issuer.status_list_url + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(revoked_indexes),
        },
    }


def linkedin_add_url(*, name: str, organization: str, issued: date, cert_url: str, cert_id: str) -> str:
    """LinkedIn's add-to-profile link with the certification fields filled in."""
    query = urlencode({
        "startTask": "CERTIFICATION_NAME", "name": name, "organizationName": organization,
        "issueYear": issued.year, "issueMonth": issued.month, "certUrl": cert_url, "certId": cert_id,
    })
    return "https://www.linkedin.com/profile/add?" + query
