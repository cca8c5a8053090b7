"""Open Badges 3.0 credentials: signing, publishing keys and revocation, and checking."""

import base64
import io
import json
import warnings
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from joserfc import jwt
from joserfc.jwk import OKPKey
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

from lms.certificates import codes
from lms.credentials import badge, issuing, keys, signing
from lms.extensions import db
from lms.models import AuditEvent, Certificate
from tests.conftest import login

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.fixture
def certificate(world):
    cohort = world["cohort"]
    cert = Certificate(enrollment_id=world["enrollment"].id, kind="graduation", number="FTD-2026-000042",
                       code=codes.new_code(), name="Rosmawati Nasution", business_name="Bika Ambon",
                       regency_code="1275", course_title="Fast Track Digitalisasi UMKM", cohort_name=cohort.name,
                       graduation_date=cohort.graduation_date)
    db.session.add(cert)
    db.session.commit()
    return cert


@pytest.fixture
def key(app):
    with app.app_context():
        return keys.make_key()


def download(client, world, certificate) -> str:
    login(client, world["participant"])
    response = client.get(f"/sertifikat/{certificate.id}/kredensial")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/vc+jwt"
    client.post("/keluar")
    return response.get_data(as_text=True)


def check(client, text: str, *, as_file: bool = False):
    data = {"upload": (io.BytesIO(text.encode()), "kredensial.jwt")} if as_file else {"pasted": text}
    return client.post("/verify/kredensial", data=data, content_type="multipart/form-data")


def public_pem(issuer_key: keys.IssuerKey) -> bytes:
    return issuer_key.key.public_key.public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)


def payload_of(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def with_payload(token: str, payload: dict) -> str:
    header, _body, signature = token.split(".")
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return ".".join([header, body, signature])


# --- pure rules --------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "did"), [
    ("https://lms.sumutprov.go.id", "did:web:lms.sumutprov.go.id"),
    ("https://lms.sumutprov.go.id/", "did:web:lms.sumutprov.go.id"),
    ("http://127.0.0.1:5000", "did:web:127.0.0.1%3A5000"),
    ("https://dinas.example.id/ftd/lms", "did:web:dinas.example.id:ftd:lms"),
])
def test_did_web_identifier(url, did):
    assert badge.did_web_for(url) == did


def test_status_list_sets_the_named_bits_only_and_keeps_the_privacy_minimum():
    encoded = badge.encode_status_list({0, 9, 131_071})
    assert encoded.startswith("u")
    assert [badge.status_bit(encoded, i) for i in (0, 1, 8, 9, 10, 131_071)] == [True, False, False, True, False, True]
    raw = __import__("gzip").decompress(base64.urlsafe_b64decode(encoded[1:] + "=="))
    assert len(raw) * 8 == badge.STATUS_LIST_MIN_BITS and raw[0] == 0x80  # bit 0 is the first byte's top bit
    assert badge.status_bit(badge.encode_status_list(set()), 5) is False
    assert len(base64.urlsafe_b64decode(badge.encode_status_list({200_000})[1:] + "==")) > 0
    with pytest.raises(badge.BadStatusList):
        badge.status_bit("zzz", 1)


def test_linkedin_link_carries_the_certification_fields():
    url = badge.linkedin_add_url(name="FTD UMKM", organization="Dinas", issued=date(2026, 12, 14),
                                 cert_url="https://x/verify/AB", cert_id="FTD-2026-000042")
    query = parse_qs(urlsplit(url).query)
    assert url.startswith("https://www.linkedin.com/profile/add?")
    assert query["startTask"] == ["CERTIFICATION_NAME"] and query["issueYear"] == ["2026"]
    assert query["issueMonth"] == ["12"] and query["certId"] == ["FTD-2026-000042"]


# --- issuing and an independent verifier ---------------------------------------------------

def test_downloaded_credential_is_an_ob3_vc_jwt_an_independent_verifier_accepts(app, client, world, certificate, key):
    token = download(client, world, certificate)
    header = signing.unverified_header(token)
    assert header == {"alg": "EdDSA", "typ": "vc+jwt", "kid": key.kid}
    credential = OB3Verifier(public_pem(key)).verify(token)  # openbadgeslib: PyJWT, not our joserfc
    assert credential.achievement.name == "Fast Track Digitalisasi UMKM"
    claims = payload_of(token)
    assert claims["@context"] == [badge.VC_CONTEXT, badge.OB_CONTEXT]
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["issuer"]["id"] == claims["iss"] == badge.did_web_for(app.config["PUBLIC_URL"])
    assert claims["issuer"]["name"] == "Dinas Koperasi dan UKM Provinsi Sumatera Utara"
    assert claims["jti"] == claims["id"] and claims["nbf"] > 0
    assert claims["id"].endswith("/verify/" + codes.display_code(certificate.code))
    identities = {i["identityType"]: i for i in claims["credentialSubject"]["identifier"]}
    assert identities["name"]["identityHash"] == "Rosmawati Nasution"
    phone = world["participant"].phone
    hashed = identities["phoneNumber"]
    assert hashed["hashed"] is True and hashed["identityHash"] == badge.phone_identity_hash(phone, hashed["salt"])
    assert phone not in token and phone not in json.dumps(claims)
    assert claims["credentialStatus"]["statusListIndex"] == str(certificate.id)
    assert db.session.query(AuditEvent).filter_by(action="access.certificate_credential").count() == 1


def test_round_trip_pasted_and_uploaded(client, world, certificate, key):
    token = download(client, world, certificate)
    for response in (check(client, token), check(client, token, as_file=True),
                     check(client, json.dumps({"credential": token}), as_file=True)):
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "asli, utuh, dan berlaku" in page
        assert certificate.number in page


def test_tampered_field_is_reported(client, world, certificate, key):
    token = download(client, world, certificate)
    payload = payload_of(token)
    payload["credentialSubject"]["identifier"][0]["identityHash"] = "Orang Lain"
    response = check(client, with_payload(token, payload))
    assert response.status_code == 422 and "telah DIUBAH" in response.get_data(as_text=True)
    with pytest.raises(OB3VerificationError):
        OB3Verifier(public_pem(key)).verify(with_payload(token, payload))


def test_wrong_key_is_tampered_and_a_foreign_issuer_is_unknown(app, client, world, certificate, key):
    token = download(client, world, certificate)
    claims = payload_of(token)
    impostor = keys.IssuerKey(key.kid, key.created_at, OKPKey.generate_key("Ed25519"))
    forged = _sign_with(impostor, claims)
    assert "telah DIUBAH" in check(client, forged).get_data(as_text=True)
    stranger = keys.IssuerKey("key-asing", key.created_at, OKPKey.generate_key("Ed25519"))
    response = check(client, _sign_with(stranger, claims))
    assert response.status_code == 422 and "tidak ditandatangani oleh Dinas" in response.get_data(as_text=True)


def _sign_with(issuer_key: keys.IssuerKey, claims: dict) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jwt.encode({"alg": "EdDSA", "kid": issuer_key.kid, "typ": "vc+jwt"}, claims, issuer_key.key,
                          algorithms=["EdDSA"])


def test_revoked_certificate_fails_here_and_in_the_published_status_list(app, client, world, certificate, key):
    token = download(client, world, certificate)
    fetch = lambda url: client.get(urlsplit(url).path).data  # noqa: E731  the verifier's network, in process
    verifier = OB3Verifier(public_pem(key))
    verifier.check_status(verifier.verify(token), verify_list=True, download=fetch)  # not revoked yet
    certificate.status = "revoked"
    db.session.commit()
    page = check(client, token).get_data(as_text=True)
    assert "DICABUT" in page
    status = client.get("/kredensial/status/1")
    assert status.mimetype == "application/vc+jwt"
    subject = payload_of(status.get_data(as_text=True))["credentialSubject"]
    assert badge.status_bit(subject["encodedList"], certificate.id) is True
    with pytest.raises(OB3VerificationError, match="revocation. is set"):
        verifier.check_status(verifier.verify(token), verify_list=True, download=fetch)
    login(client, world["participant"])
    assert client.get(f"/sertifikat/{certificate.id}/kredensial").status_code == 409


def test_rotating_the_key_keeps_old_credentials_verifiable(app, client, world, certificate, key):
    old_token = download(client, world, certificate)
    with app.app_context():
        new_key = keys.make_key()
    new_token = download(client, world, certificate)
    assert signing.unverified_header(new_token)["kid"] == new_key.kid
    for token in (old_token, new_token):
        assert check(client, token).status_code == 200
    published = {k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]}
    assert published == {key.kid, new_key.kid}
    did = client.get("/.well-known/did.json").get_json()
    assert did["id"] == badge.did_web_for(app.config["PUBLIC_URL"]) and len(did["verificationMethod"]) == 2
    assert all("d" not in m["publicKeyJwk"] for m in did["verificationMethod"])  # never the private part


@pytest.mark.parametrize("text", [
    "bukan kredensial", "a.b.c", "eyJ.eyJ.sig", '{"credential": 5}', HOSTILE, "x" * 5000, "....", "{}", "[]",
    base64.urlsafe_b64encode(b'{"alg":"none"}').decode() + ".e30.",
    base64.urlsafe_b64encode(b'{"alg":"HS256","kid":"key-1"}').decode() + ".e30.c2ln",
])
def test_malformed_and_hostile_text_gets_a_message_not_a_500(client, key, text):
    response = check(client, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert(1)" not in page and "onerror=alert(2)>" not in page


def test_oversized_upload_and_binary_file_are_refused_clearly(client, key):
    big = client.post("/verify/kredensial", data={"upload": (io.BytesIO(b"a" * 70_000), "besar.jwt")},
                      content_type="multipart/form-data")
    assert big.status_code == 400 and "terlalu besar" in big.get_data(as_text=True)
    binary = client.post("/verify/kredensial", data={"upload": (io.BytesIO(b"\xff\xfe\x00\x81"), "x.jwt")},
                         content_type="multipart/form-data")
    assert binary.status_code == 400 and "bukan teks" in binary.get_data(as_text=True)
    empty = client.post("/verify/kredensial", data={"pasted": "  "})
    assert empty.status_code == 400 and "Tempel kredensial" in empty.get_data(as_text=True)


def test_download_needs_the_owner_a_valid_certificate_and_a_key(app, client, world, certificate):
    login(client, world["other_participant"])
    assert client.get(f"/sertifikat/{certificate.id}/kredensial").status_code == 404
    client.post("/keluar")
    login(client, world["participant"])
    response = client.get(f"/sertifikat/{certificate.id}/kredensial")
    assert response.status_code == 503 and "keygen" in response.get_data(as_text=True)


def test_home_card_offers_the_credential_and_linkedin(client, world, certificate, key):
    login(client, world["participant"])
    page = client.get("/").get_data(as_text=True)
    assert f"/sertifikat/{certificate.id}/kredensial" in page
    assert "https://www.linkedin.com/profile/add?" in page


def test_achievement_page_and_issuer_documents_are_public_json(client, key):
    achievement = client.get("/kredensial/pencapaian/ftd-umkm/lulusan")
    assert achievement.status_code == 200 and achievement.get_json()["type"] == ["Achievement"]
    assert client.get("/kredensial/pencapaian/ftd-umkm/lainnya").status_code == 404
    assert client.get("/kredensial/pencapaian/tidak-ada/lulusan").status_code == 404


def test_keygen_command(app, runner):
    first = runner.invoke(args=["lms", "credentials", "keygen"])
    second = runner.invoke(args=["lms", "credentials", "keygen"])
    assert first.exit_code == 0 and second.exit_code == 0
    listing = runner.invoke(args=["lms", "credentials", "keys"]).output
    assert listing.count("verifies only") == 1 and listing.count("signs") == 1
    with app.app_context():
        key_files = list(keys.key_dir().glob("key-*.json"))
    assert len(key_files) == 2 and all((f.stat().st_mode & 0o777) == 0o600 for f in key_files)


def test_verdict_for_a_signed_credential_naming_an_unknown_certificate(app, client, world, certificate, key):
    token = download(client, world, certificate)
    claims = payload_of(token)
    claims["credentialStatus"]["statusListIndex"] = "999999"
    with app.test_request_context():
        assert issuing.verify_text(_sign_with(key, claims)).outcome == issuing.UNKNOWN
