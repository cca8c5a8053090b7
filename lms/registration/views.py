"""Public pages: the programme page, self-registration, its confirmation, "tell me when it opens", robots.txt."""

from __future__ import annotations

from urllib.parse import quote

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from lms import phone, throttle
from lms.extensions import db
from lms.impact.answers import read_answers
from lms.models import Cohort, Enrollment
from lms.public_url import public_url
from lms.registration import bp, formcache, forms, operations, queries, rules

# Deny by default: only these endpoints exist for visitors; the blueprint has no other.
PUBLIC_ENDPOINTS = frozenset({"registration.programme", "registration.register", "registration.confirmation",
                              "registration.interest", "registration.robots"})
SESSION_KEY = "registered_enrollment_id"
NO_STORE = {"Cache-Control": "no-store"}


@bp.before_request
def only_public_endpoints():
    """Refuse anything not listed as public (a route added without thought stays closed)."""
    if request.endpoint not in PUBLIC_ENDPOINTS:
        return ("", 404)
    return None


def programme_page():
    """Render the public programme page (also served at / to visitors who are not signed in)."""
    registration = queries.registration_state_today()
    course_title, modules = queries.course_modules(registration.cohort)
    whatsapp = phone.whatsapp_number(current_app.config["SUPPORT_WHATSAPP"])
    return render_template("registration/programme.html", registration=registration, course_title=course_title,
                           modules=modules, whatsapp_url=f"https://wa.me/{whatsapp}",
                           canonical_url=public_url("registration.programme"),
                           og_image_url=public_url("static", filename="og-ftd.png"))


@bp.get("/program")
def programme():
    """Show what the programme is, who may join, the season's dates and whether registration is open."""
    return programme_page()


@bp.route("/daftar", methods=["GET", "POST"])
def register():
    """Show the open cohort's self-registration form and take it, or a "tell me" number when closed."""
    if request.method == "POST":
        return take_registration()
    registration = queries.registration_state_today()
    if not registration.is_open:
        return closed_page(registration, forms.InterestForm())
    cohort = registration.cohort
    form = forms.RegistrationForm()
    survey, questions = queries.baseline_survey()
    form.ref.data = queries.known_referral(cohort, request.args.get("ref", ""))
    form.started.data = forms.sign_fill_time()
    if formcache.applies():  # the rush GETs the blank form 1,700 times: render it once
        return formcache.blank_form_page(form, cohort, survey, lambda: form_html(form, questions, cohort)), \
            200, NO_STORE
    return render_form(form, questions, cohort)


def take_registration():
    """Take a self-registration into the open cohort's registrants (the closing rush's hot path: no ORM, no WTForms)."""
    cohort = queries.open_cohort_with_referral(request.form.get("ref", ""))
    if cohort is None:
        return closed_page(queries.registration_state_today(), forms.InterestForm(), status=409)
    survey, questions = queries.baseline_survey()
    entry = forms.check_registration(request.form)
    refusal, status = guard_post(entry)
    answers, answer_errors = read_answers(questions, request.form.to_dict(flat=False), require_all=True)
    if refusal is None and entry.valid and not answer_errors:
        refusal, status = phone_limit(entry.phone)
    if refusal is not None or not entry.valid or answer_errors:
        return render_entry(entry, questions, cohort, answer_errors=answer_errors, refusal=refusal,
                            status=status if refusal else 400)
    outcome = operations.register(cohort, registrant_from(entry, answers, cohort), survey)
    return answer_outcome(outcome, entry, questions, cohort)


def answer_outcome(outcome: operations.Outcome, entry: forms.RegistrationEntry, questions, cohort):
    """Confirm a new registration (POST-redirect-GET), or say why nothing was stored."""
    if outcome.kind == "refused":
        return render_entry(entry, questions, cohort, status=400, refusal=_(
            "Nomor HP ini dipakai akun staf atau mentor, jadi tidak bisa dipakai untuk mendaftar. Pakai nomor lain."))
    if outcome.kind == "duplicate":
        page = render_template("registration/duplicate.html", cohort=cohort, masked=outcome.masked_number)
        return page, 200, NO_STORE
    session[SESSION_KEY] = outcome.enrollment_id
    return redirect(url_for(".confirmation"), code=303)


def registrant_from(entry: forms.RegistrationEntry, answers: dict, cohort: queries.OpenCohort) -> operations.Registrant:
    """Turn a checked POST into what the operation stores."""
    values = entry.values
    return operations.Registrant(
        phone=entry.phone, name=values["name"].strip(), business_name=values["business_name"].strip(),
        sector=values["sector"], regency_code=entry.regency_code, district=values["district"].strip(),
        heard_from=values["heard_from"], referral_code=cohort.referral_code, answers=answers)


def guard_post(entry: forms.RegistrationEntry) -> tuple[str | None, int]:
    """Apply the per-address limit, the honeypot and the minimum fill time; return (message, status) or (None, 0)."""
    address = get_remote_address() or ""
    if wait := throttle.take("REGISTRATION_RATE_LIMIT_PER_IP", "register-ip", address):
        return _("Terlalu banyak pendaftaran dari jaringan ini. Coba lagi dalam %(n)s menit; isian Anda tetap ada.",
                 n=throttle.wait_minutes(wait)), 429
    if entry.values["website"].strip():
        return _("Formulir tidak bisa diproses: kosongkan kolom \u201cJangan diisi\u201d lalu kirim lagi."), 400
    elapsed = forms.fill_seconds(entry.started)
    if elapsed is None:
        entry.started = forms.sign_fill_time()
        return _("Formulir ini sudah terlalu lama terbuka. Periksa isian Anda lalu kirim lagi."), 400
    if rules.filled_too_fast(elapsed, current_app.config["REGISTRATION_MIN_FILL_SECONDS"]):
        return _("Formulir dikirim terlalu cepat. Periksa isian Anda lalu kirim lagi."), 400
    return None, 0


def phone_limit(phone_e164: str | None) -> tuple[str | None, int]:
    """Apply the per-phone limit (every process shares the count)."""
    if phone_e164 is None:
        return None, 0
    if wait := throttle.take("REGISTRATION_RATE_LIMIT_PER_PHONE", "register-phone", phone_e164):
        return _("Nomor HP ini sudah terlalu sering dikirim. Coba lagi dalam %(n)s menit.",
                 n=throttle.wait_minutes(wait)), 429
    return None, 0


def render_entry(entry: forms.RegistrationEntry, questions, open_cohort: queries.OpenCohort, *, answer_errors=None,
                 refusal=None, status=400):
    """Render /daftar again with what was typed and why it was refused (the slow path: WTForms renders it)."""
    form = forms.RegistrationForm()
    form.show(entry)
    cohort = db.session.get(Cohort, open_cohort.id)
    return render_form(form, questions, cohort, answer_errors=answer_errors, refusal=refusal, status=status)


def render_form(form, questions, cohort, *, answer_errors=None, refusal=None, status=200):
    """Render /daftar with what was typed, the field errors and any refusal message."""
    return form_html(form, questions, cohort, answer_errors=answer_errors, refusal=refusal), status, NO_STORE


def form_html(form, questions, cohort, *, answer_errors=None, refusal=None) -> str:
    """Return the /daftar page's HTML."""
    values = request.form.to_dict(flat=False) if request.method == "POST" else {}
    return render_template("registration/register.html", form=form, questions=questions, cohort=cohort,
                           values=values, errors=answer_errors or {}, refusal=refusal,
                           regency_groups=forms.regency_options(), consent_template=rules.CONSENT_TEMPLATE,
                           canonical_url=public_url("registration.register"))


def closed_page(registration, form, *, status: int = 200, saved: bool | None = None):
    """Render the closed form: when the next window opens, and the "tell me" number."""
    return render_template("registration/closed.html", registration=registration, form=form, saved=saved,
                           canonical_url=public_url("registration.register")), status, NO_STORE


@bp.get("/daftar/terima-kasih")
def confirmation():
    """Show the registration number just given, what happens next, and a link to share."""
    enrollment_id = session.get(SESSION_KEY)
    enrollment = db.session.get(Enrollment, enrollment_id) if isinstance(enrollment_id, int) else None
    if enrollment is None or enrollment.registered_via != "form":
        return redirect(url_for(".register"))
    link = public_url("registration.register", **({"ref": enrollment.referral_code} if enrollment.referral_code
                                                  else {}))
    message = _("Saya baru mendaftar Fast Track Digitalisasi UMKM Sumatera Utara, pelatihan digital gratis untuk "
                "UMKM. Daftar juga di sini: %(url)s", url=link)
    return render_template("registration/confirmation.html", enrollment=enrollment, share_link=link,
                           share_url=f"https://wa.me/?text={quote(message, safe='')}"), 200, NO_STORE


@bp.post("/daftar/kabari")
def interest():
    """Keep a phone number to be told when the next registration window opens."""
    registration = queries.registration_state_today()
    form = forms.InterestForm()
    if registration.is_open:
        return redirect(url_for(".register"))
    address = get_remote_address() or ""
    if wait := throttle.wait_seconds("REGISTRATION_INTEREST_RATE_LIMIT_PER_IP", "interest-ip", address):
        form.phone.errors = [_("Terlalu banyak nomor dari jaringan ini. Coba lagi dalam %(n)s menit.",
                               n=throttle.wait_minutes(wait))]
        return closed_page(registration, form, status=429)
    if not form.validate_on_submit() or (form.website.data or "").strip():
        return closed_page(registration, form, status=400)
    throttle.count("REGISTRATION_INTEREST_RATE_LIMIT_PER_IP", "interest-ip", address)
    saved = operations.note_interest(form.phone.normalized, registration.cohort if registration.state == "upcoming"
                                     else None)
    return closed_page(registration, forms.InterestForm(formdata=None), saved=saved)


@bp.get("/robots.txt")
def robots():
    """Let search engines read the public pages, and keep them out of the signed-in areas."""
    lines = ["User-agent: *", "Allow: /", "Disallow: /staf/", "Disallow: /mentor/", "Disallow: /daftar/",
             "Disallow: /masuk", "", ""]
    return "\n".join(lines), 200, {"Content-Type": "text/plain; charset=utf-8"}
