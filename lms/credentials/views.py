"""Routes: download a credential, the issuer's public keys and status list, and checking a credential."""

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from lms import audit
from lms.credentials import bp, issuing, keys
from lms.credentials.forms import CredentialCheckForm
from lms.extensions import db, limiter
from lms.learn.store import get_content
from lms.models import Certificate, Role
from lms.security import require_roles

JWT_MEDIA_TYPE = "application/vc+jwt"
PUBLIC_CACHE = {"Cache-Control": "public, max-age=300"}
_signed_in = require_roles(Role.STAFF, Role.MENTOR, Role.PARTICIPANT)
PUBLIC_ENDPOINTS = frozenset({"credentials.did_document", "credentials.did_document_at_path", "credentials.jwks",
                              "credentials.status_list", "credentials.achievement", "credentials.check"})
VERIFY_RATE_LIMIT = lambda: current_app.config["VERIFY_RATE_LIMIT_PER_IP"]  # noqa: E731


@bp.before_request
def check_access():
    """Public keys, the status list and checking are public; downloading needs a signed-in owner."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return _signed_in()


@bp.get("/sertifikat/<int:certificate_id>/kredensial")
def download(certificate_id: int):
    """The certificate as a signed Open Badges 3.0 credential, for its owner (and staff)."""
    certificate = db.session.get(Certificate, certificate_id)
    owner = certificate is not None and certificate.enrollment.user_id == current_user.id
    if certificate is None or not (owner or current_user.is_staff):
        abort(404)
    if certificate.status != "valid":
        return render_template("credentials/not_available.html", certificate=certificate), 409
    try:
        token = issuing.credential_token(certificate)
    except keys.NoSigningKey:
        return render_template("credentials/not_available.html", certificate=certificate, no_key=True), 503
    audit.record_access("certificate_credential", certificate, number=certificate.number)
    return Response(token, mimetype=JWT_MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="kredensial-{certificate.number}.jwt"'})


@bp.get("/.well-known/did.json")
def did_document():
    return issuing.did_document(), PUBLIC_CACHE


@bp.get("/did.json")
def did_document_at_path():
    """did:web of a site served under a path (https://host/lms → https://host/lms/did.json)."""
    return issuing.did_document(), PUBLIC_CACHE


@bp.get("/.well-known/jwks.json")
def jwks():
    return issuing.jwks(), PUBLIC_CACHE


@bp.get("/kredensial/status/1")
def status_list():
    """The revocation list every credential points at, signed like the credentials."""
    try:
        token = issuing.status_list_token()
    except keys.NoSigningKey:
        abort(404)
    return Response(token, mimetype=JWT_MEDIA_TYPE, headers=PUBLIC_CACHE)


@bp.get("/kredensial/pencapaian/<course_id>/<kind>")
def achievement(course_id: str, kind: str):
    """What the achievement a credential names means (its id resolves here)."""
    certificate_kind = {"lulusan": "graduation", "peserta-terbaik": "top"}.get(kind)
    if certificate_kind is None or get_content().course(course_id) is None:
        abort(404)
    issuer = issuing.issuer_facts()
    return {"id": request.base_url, "type": ["Achievement"], "achievementType": "Certificate",
            "name": _("Fast Track Digitalisasi UMKM"), "description": issuing.achievement_description(certificate_kind),
            "criteria": {"narrative": issuing.achievement_criteria(certificate_kind)},
            "creator": {"id": issuer.did, "type": ["Profile"], "name": issuer.name}}, PUBLIC_CACHE


@bp.route("/verify/kredensial", methods=["GET", "POST"])
@limiter.shared_limit(VERIFY_RATE_LIMIT, scope="certificate-verify")
def check():
    """Check a pasted or uploaded credential: valid, revoked, tampered or from an unknown issuer."""
    form = CredentialCheckForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("credentials/check.html", form=form), (400 if request.method == "POST" else 200)
    text, problem = _submitted_text(form)
    if problem:
        form.pasted.errors = [problem]
        return render_template("credentials/check.html", form=form), 400
    verdict = issuing.verify_text(text)
    status = 200 if verdict.outcome in (issuing.VALID, issuing.REVOKED) else 422
    return render_template("credentials/check.html", form=form, verdict=verdict), status


def _submitted_text(form: CredentialCheckForm) -> tuple[str, str | None]:
    """The credential text from the file (preferred) or the text box, or why there is none."""
    upload = form.upload.data
    if upload and getattr(upload, "filename", ""):
        data = upload.read(issuing.MAX_CREDENTIAL_BYTES + 1)
        if len(data) > issuing.MAX_CREDENTIAL_BYTES:
            return "", _("Berkas terlalu besar untuk sebuah kredensial (paling besar 64 KB).")
        try:
            return data.decode("utf-8"), None
        except UnicodeDecodeError:
            return "", _("Berkas ini bukan kredensial: isinya bukan teks.")
    if not (form.pasted.data or "").strip():
        return "", _("Tempel kredensial atau pilih berkasnya.")
    return form.pasted.data, None


@bp.app_template_global()
def linkedin_add_url(certificate: Certificate) -> str:
    """LinkedIn's add-to-profile link for a certificate card."""
    from lms.certificates import codes
    from lms.credentials import badge
    from lms.public_url import public_url

    return badge.linkedin_add_url(
        name=certificate.course_title, organization=current_app.config["CREDENTIAL_ISSUER_NAME"],
        issued=certificate.graduation_date, cert_id=certificate.number,
        cert_url=public_url("certificates.verify", certificate_code=codes.display_code(certificate.code)))
