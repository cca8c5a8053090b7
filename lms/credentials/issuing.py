"""Build, sign and check credentials for certificates (reads only; nothing here writes)."""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field
from hashlib import sha256

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from lms.certificates import codes
from lms.credentials import badge, keys, signing
from lms.extensions import db
from lms.models import Certificate, utcnow
from lms.public_url import public_link, public_url

MAX_CREDENTIAL_BYTES = 64 * 1024  # a real one is about 3 KB; anything far bigger is not ours


def issuer_facts() -> badge.IssuerFacts:
    config = current_app.config
    return badge.IssuerFacts(
        did=badge.did_web_for(config["PUBLIC_URL"]), name=config["CREDENTIAL_ISSUER_NAME"],
        url=public_link("/"), verify_url="", achievement_url="",
        status_list_url=public_url("credentials.status_list"), criteria="", description="",
    )


def _facts_for(certificate: Certificate) -> tuple[badge.CertificateFacts, badge.IssuerFacts]:
    course_id = certificate.enrollment.cohort.course_id
    cert = badge.CertificateFacts(
        code=certificate.code, number=certificate.number, kind=certificate.kind, name=certificate.name,
        phone=certificate.enrollment.user.phone, course_id=course_id, course_title=certificate.course_title,
        cohort_name=certificate.cohort_name, graduation_date=certificate.graduation_date,
        issued_at=certificate.issued_at, status_index=certificate.id,
    )
    issuer = issuer_facts()
    kind_word = "lulusan" if certificate.kind == "graduation" else "peserta-terbaik"
    issuer = badge.IssuerFacts(
        did=issuer.did, name=issuer.name, url=issuer.url,
        verify_url=public_url("certificates.verify", certificate_code=codes.display_code(certificate.code)),
        achievement_url=public_url("credentials.achievement", course_id=course_id, kind=kind_word),
        status_list_url=issuer.status_list_url,
        criteria=achievement_criteria(certificate.kind), description=achievement_description(certificate.kind),
    )
    return cert, issuer


def achievement_criteria(kind: str) -> str:
    if kind == "top":
        return _("Terpilih sebagai salah satu dari 100 peserta terbaik program Fast Track Digitalisasi UMKM "
                 "oleh Dinas Koperasi dan UKM Provinsi Sumatera Utara, setelah lulus bootcamp.")
    return _("Membaca semua modul bootcamp, lulus semua kuis dengan nilai minimal kelulusan kursus, "
             "dan tugas praktik setiap modul diterima mentor.")


def achievement_description(kind: str) -> str:
    if kind == "top":
        return _("Peserta terbaik Fast Track Digitalisasi UMKM Sumatera Utara.")
    return _("Lulus bootcamp digitalisasi UMKM: konten, homepage usaha, media sosial, landing page, "
             "anggaran iklan, marketplace dan legalitas usaha.")


def identity_salt(certificate: Certificate) -> str:
    """A salt per certificate, stable across downloads, that reveals nothing about the phone."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"ob3-salt:" + certificate.code.encode(), sha256).hexdigest()[:16]


def credential_body(certificate: Certificate) -> dict:
    cert, issuer = _facts_for(certificate)
    return badge.credential_for(cert, issuer, salt=identity_salt(certificate))


def credential_token(certificate: Certificate) -> str:
    """The signed VC-JWT of a certificate."""
    return signing.sign(badge.jwt_claims(credential_body(certificate)))


def revoked_indexes() -> set[int]:
    """Every certificate that is no longer valid: revoked, or superseded by a reissue."""
    return set(db.session.scalars(select(Certificate.id).where(Certificate.status != "valid")))


def status_list_body() -> dict:
    return badge.status_list_credential(issuer_facts(), revoked_indexes(), utcnow())


def status_list_token() -> str:
    body = status_list_body()
    return signing.sign({**body, "iss": body["issuer"], "jti": body["id"],
                         "nbf": int(utcnow().timestamp())})


def did_document() -> dict:
    """The did:web document: every key, current and retired, as a JsonWebKey method."""
    did = issuer_facts().did
    methods = [{"id": f"{did}#{k.kid}", "type": "JsonWebKey", "controller": did, "publicKeyJwk": k.public_jwk()}
               for k in keys.all_keys()]
    refs = [m["id"] for m in methods]
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"], "id": did,
            "verificationMethod": methods, "assertionMethod": refs, "authentication": refs}


def jwks() -> dict:
    return {"keys": [k.public_jwk() | {"alg": signing.ALGORITHM, "use": "sig"} for k in keys.all_keys()]}


# --- verification -------------------------------------------------------------------------

VALID, REVOKED, TAMPERED, UNKNOWN_ISSUER, MALFORMED, UNKNOWN = (
    "valid", "revoked", "tampered", "unknown_issuer", "malformed", "unknown")


@dataclass
class Verdict:
    outcome: str
    claims: dict = field(default_factory=dict)
    certificate: Certificate | None = None


def read_submitted_text(text: str) -> str:
    """Accept a bare token, or a JSON file that carries one (as some wallets export it)."""
    text = text.strip().lstrip("\ufeff")
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return text
        for name in ("credential", "jwt", "vc", "token"):
            if isinstance(data, dict) and isinstance(data.get(name), str):
                return data[name].strip()
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1]
    return text


def verify_text(text: str) -> Verdict:
    """Decide whether a pasted or uploaded credential is ours, intact and not revoked."""
    token = read_submitted_text(text)
    try:
        header = signing.unverified_header(token)
    except signing.Unreadable:
        return Verdict(MALFORMED)
    if header.get("alg") != signing.ALGORITHM:
        return Verdict(UNKNOWN_ISSUER if header.get("alg") else MALFORMED)
    key = keys.find_key(str(header.get("kid", "")).split("#")[-1])
    if key is None:
        return Verdict(UNKNOWN_ISSUER)
    claims = signing.verified_claims(token, key)
    if claims is None:
        return Verdict(TAMPERED)
    issuer = claims.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != issuer_facts().did or claims.get("iss") != issuer_id:
        return Verdict(UNKNOWN_ISSUER, claims)
    return _check_certificate(claims)


def _check_certificate(claims: dict) -> Verdict:
    status = claims.get("credentialStatus")
    try:
        index = int(status["statusListIndex"]) if isinstance(status, dict) else -1
    except (KeyError, TypeError, ValueError):
        index = -1
    certificate = db.session.get(Certificate, index) if index >= 0 else None
    if certificate is None or claims.get("id") != _facts_for(certificate)[1].verify_url:
        return Verdict(UNKNOWN, claims)
    encoded = status_list_body()["credentialSubject"]["encodedList"]
    if badge.status_bit(encoded, index):
        return Verdict(REVOKED, claims, certificate)
    return Verdict(VALID, claims, certificate)
