"""Certificates: issuing, downloading, revoking and public verification."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import func, select

from lms import audit, throttle
from lms.certificates import codes, corrections, operations
from lms.certificates.eligibility import cohort_overview, waits_for_endline
from lms.certificates.forms import ConfirmForm, IssueForm, ReissueForm, RevokeForm, SignatoriesForm, VerifyForm
from lms.certificates.news import certificate_news
from lms.extensions import db, limiter
from lms.jobs import find_live_job
from lms.knowledge import queries as knowledge_queries
from lms.models import BackgroundJob, Certificate, Cohort, Enrollment, Role, User
from lms.security import require_roles

bp = Blueprint("certificates", __name__)
# Deny by default: every endpoint is staff-only unless listed here.
PUBLIC_ENDPOINTS = frozenset({"certificates.verify", "certificates.verify_form"})
SIGNED_IN_ENDPOINTS = frozenset({"certificates.download"})
# A flood ceiling only: 500 guests on one ceremony Wi-Fi may all scan valid codes. What
# an attacker needs, many different unknown codes, is limited separately (VERIFY_UNKNOWN_CODES_PER_IP).
VERIFY_RATE_LIMIT = lambda: current_app.config["VERIFY_RATE_LIMIT_PER_IP"]  # noqa: E731
KIND_LABELS = {"graduation": _l("Sertifikat Kelulusan"), "top": _l("Sertifikat Peserta Terbaik")}
STATUS_LABELS = {"valid": _l("Berlaku"), "revoked": _l("Dicabut"), "superseded": _l("Digantikan")}
LISTS = ("perlu", "terbit", "belum")  # due, issued, not yet eligible
bp.add_app_template_global(KIND_LABELS, "certificate_kind_labels")
bp.add_app_template_global(STATUS_LABELS, "certificate_status_labels")
bp.add_app_template_filter(codes.display_code, "certificate_code")
_staff_only = require_roles(Role.STAFF)
_signed_in = require_roles(Role.STAFF, Role.MENTOR, Role.PARTICIPANT)


@bp.before_request
def check_access():
    """Let the public verify, signed-in users download, and only staff do the rest."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.endpoint in SIGNED_IN_ENDPOINTS:
        return _signed_in()
    return _staff_only()


@bp.app_template_global()
def participant_certificates(user: User) -> list[Certificate]:
    """Return a participant's valid certificates, newest first (for the home page)."""
    return db.session.scalars(
        select(Certificate).join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.user_id == user.id, Certificate.status == "valid").order_by(Certificate.id.desc())
    ).all()


bp.add_app_template_global(certificate_news, "certificate_news")


@bp.get("/staf/sertifikat")
def index():
    """List cohorts with how many valid certificates each has."""
    counts = dict(db.session.execute(
        select(Enrollment.cohort_id, func.count(Certificate.id))
        .join(Certificate, Certificate.enrollment_id == Enrollment.id)
        .where(Certificate.status == "valid").group_by(Enrollment.cohort_id)
    ).all())
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.graduation_date.desc(), Cohort.id.desc())).all()
    return render_template("certificates/index.html", cohorts=cohorts, counts=counts)


@bp.get("/staf/kohort/<int:cohort_id>/sertifikat")
def cohort(cohort_id: int):
    """Show who is eligible, what the others still miss, and what was issued."""
    cohort = db.get_or_404(Cohort, cohort_id)
    shown = request.args.get("tampil") if request.args.get("tampil") in LISTS else LISTS[0]
    return render_template("certificates/cohort.html", overview=cohort_overview(cohort), shown=shown,
                           live_job=find_live_job(operations.JOB_KIND, cohort.id), form=IssueForm(),
                           before_graduation=operations.before_graduation(cohort),
                           signatories=operations.cohort_signatories(cohort),
                           to_graduate=len(operations.graduates_due(cohort)))


@bp.post("/staf/kohort/<int:cohort_id>/sertifikat/terbitkan")
def issue_all(cohort_id: int):
    """Start issuing every due certificate of the cohort (a second click shows the same job)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if operations.before_graduation(cohort) and not ConfirmForm().is_confirmed:
        return confirm_early_issue(cohort, url_for(".issue_all", cohort_id=cohort.id), {})
    job, created = operations.start_bulk_issue(cohort, started_by=current_user)
    if not created:
        flash(_("Penerbitan untuk kohort ini sedang berjalan; berikut kemajuannya."), "info")
    return redirect(url_for(".job", cert_job_id=job.id))


@bp.get("/staf/sertifikat/proses/<int:cert_job_id>")
def job(cert_job_id: int):
    """Show a bulk issue's progress (refreshes itself; polled by job-progress.js)."""
    job = load_job(cert_job_id)
    return render_template("certificates/job.html", job=job, cohort=db.session.get(Cohort, job.cohort_id))


@bp.get("/staf/sertifikat/proses/<int:cert_job_id>/status")
def job_status(cert_job_id: int):
    """Return a bulk issue's progress as JSON for the polling script."""
    job = load_job(cert_job_id)
    return {"status": job.status, "done": job.done, "total": job.total,
            "finished": job.status not in ("queued", "running")}


@bp.get("/staf/kohort/<int:cohort_id>/sertifikat.zip")
def cohort_zip(cohort_id: int):
    """Download every valid certificate of a cohort as one ZIP, streamed."""
    cohort = db.get_or_404(Cohort, cohort_id)
    entries = operations.cohort_zip_entries(cohort)
    if not entries:
        flash(_("Belum ada sertifikat yang berlaku di kohort ini."), "error")
        return redirect(url_for(".cohort", cohort_id=cohort.id))
    audit.record_access("certificate_zip", cohort, files=len(entries))
    response = Response(operations.stream_zip(entries), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="sertifikat-{cohort.slug}.zip"'
    return response


@bp.post("/staf/pendaftaran/<int:enrollment_id>/sertifikat")
def issue_one(enrollment_id: int):
    """Issue one certificate to one participant, when eligible."""
    enrollment = db.get_or_404(Enrollment, enrollment_id)
    form = IssueForm()
    if not form.validate_on_submit():
        flash(" ".join(form.kind.errors) or _("Permintaan tidak valid."), "error")
        return redirect(url_for(".cohort", cohort_id=enrollment.cohort_id))
    try:
        if operations.before_graduation(enrollment.cohort) and not form.is_confirmed:
            operations.check_can_issue(enrollment, form.kind.data)  # ask only when issuing can succeed
            return confirm_early_issue(enrollment.cohort, url_for(".issue_one", enrollment_id=enrollment.id),
                                       {"kind": form.kind.data}, name=corrections.printed_name(enrollment.user))
        certificate = operations.issue_certificate(enrollment, form.kind.data, issued_by=current_user)
    except operations.CertificateError as error:
        flash(str(error), "error")
    else:
        # A printed name ending in a title ("…, S.E.") ends the sentence with its own full stop.
        flash(_("Sertifikat %(number)s diterbitkan untuk %(name)s.", number=certificate.number,
                name=certificate.name.rstrip(".")), "success")
    return redirect(url_for(".cohort", cohort_id=enrollment.cohort_id))


@bp.get("/staf/sertifikat/<int:certificate_id>")
def detail(certificate_id: int):
    """Show one certificate with the revoke and reissue forms."""
    certificate = db.get_or_404(Certificate, certificate_id)
    return render_detail(certificate, RevokeForm(formdata=None), reissue_form_for(certificate))


@bp.post("/staf/sertifikat/<int:certificate_id>/cabut")
def revoke(certificate_id: int):
    """Revoke a certificate with a reason."""
    certificate = db.get_or_404(Certificate, certificate_id)
    form = RevokeForm()
    if not form.validate_on_submit():
        return render_detail(certificate, form, reissue_form_for(certificate))
    if not form.is_confirmed and certificate.status == "valid":
        return render_template("certificates/confirm_revoke.html", certificate=certificate, form=form,
                               ungraduates=certificate.kind == "graduation"
                               and certificate.enrollment.status == "graduated")
    try:
        operations.revoke_certificate(certificate.id, reason=form.reason.data.strip(), revoked_by=current_user)
    except operations.CertificateError as error:
        flash(str(error), "error")
    else:
        flash(_("Sertifikat %(number)s dicabut.", number=certificate.number), "success")
    return redirect(url_for(".detail", certificate_id=certificate.id))


@bp.post("/staf/sertifikat/<int:certificate_id>/terbitkan-ulang")
def reissue(certificate_id: int):
    """Issue a corrected certificate that supersedes this one."""
    certificate = db.get_or_404(Certificate, certificate_id)
    form = ReissueForm()
    if not form.validate_on_submit():
        return render_detail(certificate, RevokeForm(formdata=None), form)
    try:
        new = operations.reissue_certificate(certificate.id, name=form.name.data.strip(),
                                             business_name=form.business_name.data.strip(), issued_by=current_user)
    except operations.CertificateError as error:
        flash(str(error), "error")
        return redirect(url_for(".detail", certificate_id=certificate.id))
    flash(_("Sertifikat baru %(number)s menggantikan %(old)s.", number=new.number, old=certificate.number), "success")
    return redirect(url_for(".detail", certificate_id=new.id))


@bp.get("/sertifikat/<int:certificate_id>/unduh")
def download(certificate_id: int):
    """Send a certificate's PDF to its owner (valid ones only) or to staff."""
    certificate = db.get_or_404(Certificate, certificate_id)
    owner = certificate.enrollment.user_id == current_user.id and certificate.status == "valid"
    if not (current_user.is_staff or owner):
        abort(404)
    if not current_user.is_staff and waits_for_endline(certificate.enrollment):
        flash(_("Isi survei akhir dulu; setelah itu sertifikat bisa diunduh."), "warning")
        return redirect(url_for("impact.my_surveys"))
    if not current_user.is_staff and knowledge_queries.waits_for_posttest(certificate.enrollment):
        flash(_("Kerjakan tes akhir pengetahuan dulu; setelah itu sertifikat bisa diunduh."), "warning")
        return redirect(url_for("knowledge.overview"))
    path = operations.ensure_pdf(certificate)
    audit.record_access("certificate_pdf", certificate, number=certificate.number)
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=f"sertifikat-{certificate.number}.pdf")


@bp.get("/verify")
@limiter.shared_limit(VERIFY_RATE_LIMIT, scope="certificate-verify")
def verify_form():
    """Let anyone type a verification code; a well-formed one goes to its page."""
    form = VerifyForm(request.args)
    if "code" not in request.args:
        return render_template("certificates/verify_form.html", form=form)
    if form.validate():
        try:
            return redirect(url_for(".verify", certificate_code=codes.display_code(codes.parse_code(form.code.data))))
        except codes.MalformedCode as error:
            form.code.errors = [malformed_message(error)]
    return render_template("certificates/verify_form.html", form=form), 400


@bp.get("/verify/<certificate_code>")
@limiter.shared_limit(VERIFY_RATE_LIMIT, scope="certificate-verify")
def verify(certificate_code: str):
    """Show whether a certificate is genuine, and what it says."""
    form = VerifyForm(data={"code": certificate_code})
    try:
        canonical = codes.parse_code(certificate_code)
    except codes.MalformedCode as error:
        form.code.errors = [malformed_message(error)]
        return render_template("certificates/verify_form.html", form=form), 400
    address = get_remote_address() or ""
    # Refused while blocked even for valid codes: answering those would tell a guesser which guess hit.
    if wait := throttle.wait_seconds("VERIFY_UNKNOWN_CODES_PER_IP", "verify-unknown", address):
        return render_template("certificates/verify_blocked.html", minutes=throttle.wait_minutes(wait)), 429, {
            "Retry-After": str(wait)}
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == canonical))
    if certificate is None:
        if throttle.first_time("VERIFY_UNKNOWN_CODES_PER_IP", "verify-unknown", address, canonical):
            throttle.count("VERIFY_UNKNOWN_CODES_PER_IP", "verify-unknown", address)
        return render_template("certificates/verify_unknown.html", form=form, code=codes.display_code(canonical)), 404
    newer = db.session.get(Certificate, certificate.superseded_by_id) if certificate.superseded_by_id else None
    return render_template("certificates/verify.html", certificate=certificate, newer=newer,
                           code=codes.display_code(canonical))


def malformed_message(error: codes.MalformedCode) -> str:
    """Explain, in Indonesian, why a typed code cannot be a verification code."""
    if error.reason == "length":
        return _("Kode verifikasi terdiri dari 16 huruf/angka, misalnya K7QM-4XRT-9BZP-WH3C. Periksa lagi kode Anda.")
    if error.reason == "characters":
        return _("Kode berisi karakter yang tidak dipakai dalam kode verifikasi. Periksa lagi kode Anda.")
    return _("Kode ini salah ketik: karakter pemeriksanya tidak cocok. Periksa lagi setiap huruf dan angka.")


def load_job(job_id: int) -> BackgroundJob:
    """Load a certificate job or 404."""
    job = db.session.get(BackgroundJob, job_id)
    if job is None or job.kind != operations.JOB_KIND:
        abort(404)
    return job


def reissue_form_for(certificate: Certificate) -> ReissueForm:
    """Prefill the reissue form: what this certificate prints, or the person's data corrected since."""
    values, _corrections = corrections.reissue_defaults(certificate)
    return ReissueForm(formdata=None, data=values)


def confirm_early_issue(cohort: Cohort, action: str, hidden: dict, *, name: str | None = None):
    """Ask staff to confirm issuing before the cohort's graduation date (a server-rendered step)."""
    return render_template("certificates/confirm_issue.html", cohort=cohort, action=action, hidden=hidden,
                           name=name, due=len(cohort_overview(cohort).to_issue()) if name is None else 1)


@bp.post("/staf/kohort/<int:cohort_id>/wisudakan")
def graduate_now(cohort_id: int):
    """Graduate the cohort's certified participants now, before the date, after a confirmation."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if not ConfirmForm().is_confirmed:
        return render_template("certificates/confirm_graduate.html", cohort=cohort,
                               count=len(operations.graduates_due(cohort)))
    count = operations.graduate_now(cohort, graduated_by=current_user)
    flash(_("%(count)s peserta diwisudakan (status Lulus).", count=count), "success")
    return redirect(url_for(".cohort", cohort_id=cohort.id))


@bp.route("/staf/kohort/<int:cohort_id>/sertifikat/penanda-tangan", methods=["GET", "POST"])
def signatories(cohort_id: int):
    """Let staff set a cohort's two signatories: names, titles and signature images."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = SignatoriesForm(data={"name1": cohort.signatory1_name, "title1": cohort.signatory1_title,
                                 "name2": cohort.signatory2_name, "title2": cohort.signatory2_title})
    if form.validate_on_submit():
        operations.save_signatories(cohort, form.people(), saved_by=current_user)
        flash(_("Penanda tangan kohort ini disimpan."), "success")
        return redirect(url_for(".signatories", cohort_id=cohort.id))
    status = 400 if form.is_submitted() else 200
    return render_template("certificates/signatories.html", cohort=cohort, form=form,
                           current=operations.cohort_signatories(cohort)), status


def render_detail(certificate: Certificate, revoke_form: RevokeForm, reissue_form: ReissueForm):
    """Render the certificate page for staff."""
    newer = db.session.get(Certificate, certificate.superseded_by_id) if certificate.superseded_by_id else None
    older = db.session.scalars(select(Certificate).where(Certificate.superseded_by_id == certificate.id)).all()
    return render_template("certificates/detail.html", certificate=certificate, newer=newer, older=older,
                           revoke_form=revoke_form, reissue_form=reissue_form,
                           corrections=corrections.corrections_since_issue(certificate) if certificate.status == "valid"
                           else [], regency_label=corrections.regency_label)
