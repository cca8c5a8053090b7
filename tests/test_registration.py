"""Registration: the public programme page, /daftar, the closed window, abuse guards, exactly-once, XSS."""

from __future__ import annotations

import gzip
import io
import re
import threading
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import event, func, select

from lms.extensions import db
from lms.models import (
    AuditEvent,
    Enrollment,
    EnrollmentStatusChange,
    ParticipantProfile,
    ReferralCode,
    RegistrationInterest,
    Role,
    SurveyResponse,
    User,
)
from lms.registration import forms, queries, rules
from lms.registration.rules import Window
from lms.staff.imports import operations
from tests.conftest import enroll_participant, login, make_cohort, make_user

TODAY = queries.wib_today


def open_cohort(slug="ftd-2027", **fields):
    """A cohort whose registration window contains today."""
    today = TODAY()
    return make_cohort(slug, registration_opens_on=today - timedelta(days=3),
                       registration_closes_on=today + timedelta(days=10), **fields)


def form_page(client, path="/daftar"):
    page = client.get(path)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def started_token(html: str) -> str:
    return re.search(r'name="started" type="hidden" value="([^"]*)"', html).group(1)


def filled(html: str, **overrides) -> dict:
    """A complete registration as a person fills it, from the page's own hidden fields."""
    data = {
        "phone": "0812 3456 7890", "name": "Rina Sitompul", "business_name": "Kopi Sidikalang Rina",
        "sector": "kuliner", "regency": "Kabupaten Dairi", "district": "Sidikalang", "heard_from": "dinas",
        "consent": "y", "started": started_token(html),
        "ref": re.search(r'name="ref" type="hidden" value="([^"]*)"', html).group(1),
        "omzet": "Rp 4.500.000", "karyawan": "2", "kanal--dijawab": "1", "kanal": ["whatsapp", "shopee"],
        "legalitas--dijawab": "1", "legalitas": ["nib"], "pola-konten": "2", "pola-pelanggan": "4",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def register(client, path="/daftar", **overrides):
    html = form_page(client, path)
    return client.post("/daftar", data=filled(html, **overrides))


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def quick(app):
    """No minimum fill time (the tests that check it set it back)."""
    app.config["REGISTRATION_MIN_FILL_SECONDS"] = 0
    return app


# --- Pure rules --------------------------------------------------------------------------


def test_the_open_cohort_is_the_newest_whose_window_contains_today():
    today = date(2027, 1, 10)
    windows = [Window(1, date(2027, 1, 1), date(2027, 1, 31), date(2027, 2, 1)),
               Window(2, date(2027, 1, 5), date(2027, 1, 10), date(2027, 3, 1)),
               Window(3, date(2027, 2, 1), date(2027, 2, 28), date(2027, 4, 1)),
               Window(4, None, None, date(2027, 5, 1))]
    assert rules.registration_state(windows, today) == rules.WindowState("open", 2)
    assert rules.registration_state(windows, date(2027, 1, 11)) == rules.WindowState("open", 1)
    assert rules.registration_state(windows, date(2026, 12, 1)) == rules.WindowState("upcoming", 1)
    assert rules.registration_state(windows, date(2027, 2, 1)) == rules.WindowState("open", 3)
    assert rules.registration_state(windows, date(2027, 3, 1)) == rules.WindowState("closed", 3)
    assert rules.registration_state(windows[3:], today) == rules.WindowState("closed", None)


def test_registration_numbers_are_masked_and_referral_codes_normalized():
    assert rules.registration_number(2027, 42) == "FTD27-000042"
    assert rules.mask_registration_number("FTD27-000042") == "FTD27-••••42"
    assert rules.mask_registration_number(None) == "••••"
    assert rules.normalize_referral(" nias-01 ") == "NIAS-01"
    assert rules.normalize_referral("<script>") == ""
    assert rules.filled_too_fast(1.5, 4) and not rules.filled_too_fast(4.0, 4)


def test_the_form_asks_the_impact_surveys_baseline_questions_by_their_ids(app):
    survey, questions = queries.baseline_survey()
    assert [q.id for q in questions] == ["omzet", "karyawan", "kanal", "legalitas", "pola-konten", "pola-pelanggan"]
    assert all("baseline" in q.waves for q in questions)


# --- The programme page ------------------------------------------------------------------


def test_visitors_get_the_programme_page_at_the_root_and_signed_in_users_their_home(client, app, world):
    cohort = open_cohort()
    for path in ("/", "/program"):
        page = client.get(path)
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert 'data-testid="registration-state"' in html and "Pendaftaran dibuka" in html
        assert cohort.registration_closes_on.strftime("%Y") in html
        assert '<html lang="id">' in html
        assert '<link rel="canonical" href="http://127.0.0.1:5000/program">' in html
        assert '<meta name="description" content="' in html
        for tag in ("og:title", "og:description", "og:url", "og:image"):
            assert f'property="{tag}"' in html
        assert 'content="http://127.0.0.1:5000/static/og-ftd.png"' in html
        assert "Pembuatan Konten" in html or "Konten" in html  # a module title from courses/
        assert "https://wa.me/" in html
        # Works without JavaScript: the only script is the deferred offline enhancement every page carries.
        assert all("defer" in tag for tag in re.findall(r"<script[^>]*>", html))
        assert "<script>" not in html
    login(client, world["staff"])
    assert "programme-hero" not in client.get("/").get_data(as_text=True)


def test_the_programme_page_weighs_at_most_14_kilobytes_gzipped(client, app):
    open_cohort()
    html = client.get("/program").data
    css_response = client.get("/static/style.css")
    css = css_response.data
    css_response.close()
    assert len(gzip.compress(html)) + len(gzip.compress(css)) <= 14 * 1024
    image = client.get("/static/og-ftd.png")
    data = image.data
    image.close()
    assert image.status_code == 200 and data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 60_000


def test_the_page_says_when_registration_opens_and_when_nothing_is_planned(client, app):
    assert "Pendaftaran sedang ditutup" in client.get("/program").get_data(as_text=True)
    soon = TODAY() + timedelta(days=20)
    make_cohort("ftd-next", registration_opens_on=soon, registration_closes_on=soon + timedelta(days=30))
    html = client.get("/program").get_data(as_text=True)
    assert "Pendaftaran belum dibuka" in html and str(soon.year) in html


def test_robots_txt_lets_search_engines_read_the_public_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *" and "Allow: /" in lines and "Disallow: /staf/" in lines


def test_staff_set_the_registration_window_on_the_cohort_form(client, world):
    cohort, staff = world["cohort"], world["staff"]
    login(client, staff)
    base = {"name": cohort.name, "slug": cohort.slug, "course_id": cohort.course_id,
            "start_date": "2026-11-02", "bootcamp_date": "2026-11-16", "graduation_date": "2026-12-14"}
    only_one = client.post(f"/staf/kohort/{cohort.id}/ubah", data={**base, "registration_opens_on": "2026-10-01"})
    assert only_one.status_code == 200
    assert "Isi tanggal dibuka dan ditutup" in only_one.get_data(as_text=True)
    saved = client.post(f"/staf/kohort/{cohort.id}/ubah", data={**base, "registration_opens_on": "2026-10-01",
                                                                  "registration_closes_on": "2026-10-20"})
    assert saved.status_code == 302
    db.session.refresh(cohort)
    assert (cohort.registration_opens_on, cohort.registration_closes_on) == (date(2026, 10, 1), date(2026, 10, 20))


# --- Registering -------------------------------------------------------------------------


def test_a_registration_lands_in_the_open_cohorts_registrants_like_an_import_row(client, quick):
    cohort = open_cohort()
    response = register(client)
    assert response.status_code == 303 and response.headers["Location"].endswith("/daftar/terima-kasih")
    user = db.session.scalar(select(User).where(User.phone == "+6281234567890"))
    assert user.password_hash is None and user.role == Role.PARTICIPANT  # no account until staff send a code
    profile = db.session.get(ParticipantProfile, user.id)
    assert (profile.business_name, profile.sector, profile.regency_code, profile.district) == (
        "Kopi Sidikalang Rina", "kuliner", "1210", "Sidikalang")
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id))
    assert (enrollment.cohort_id, enrollment.status, enrollment.registered_via) == (cohort.id, "registered", "form")
    assert enrollment.heard_from == "dinas" and enrollment.referral_code == ""
    assert enrollment.consent_version == rules.CONSENT_VERSION and enrollment.consented_at is not None
    assert enrollment.registration_number == rules.registration_number(cohort.start_date.year, enrollment.id)
    baseline = db.session.scalar(select(SurveyResponse).where(SurveyResponse.user_id == user.id))
    assert (baseline.wave, baseline.status, baseline.source, baseline.cohort_id) == (
        "baseline", "submitted", "form", cohort.id)
    assert baseline.answers == {"omzet": 4_500_000, "karyawan": 2, "kanal": ["shopee", "whatsapp"],
                                "legalitas": ["nib"], "pola-konten": 2, "pola-pelanggan": 4}
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"user.create", "enrollment.create", "registration.form"} <= actions
    done = client.get("/daftar/terima-kasih").get_data(as_text=True)
    assert enrollment.registration_number in done
    assert "https://wa.me/?text=" in done and "Rina" not in done.split("wa.me/?text=")[1].split('"')[0]


def test_a_new_registrations_rows_are_complete_whichever_write_path_the_database_takes(client, quick):
    # PostgreSQL writes a new phone in one statement of CTEs, SQLite in plain INSERTs: the same rows either way.
    cohort = open_cohort()
    register(client)
    user = db.session.scalar(select(User).where(User.phone == "+6281234567890"))
    assert (user.active, user.version, user.data_saver, user.email, user.erased_at) == (True, 1, False, None, None)
    profile = db.session.get(ParticipantProfile, user.id)
    assert (profile.address, profile.certificate_name, profile.website_url, profile.business_started_year) == (
        "", "", "", None)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id))
    number = enrollment.registration_number
    assert number == f"FTD{cohort.start_date.year % 100:02d}-{enrollment.id:06d}"
    assert enrollment.created_at == enrollment.status_changed_at == enrollment.consented_at
    change = db.session.scalar(select(EnrollmentStatusChange).where(EnrollmentStatusChange.enrollment_id
                                                                    == enrollment.id))
    assert (change.from_status, change.to_status, change.changed_by_id) == (None, "registered", None)
    assert change.reason == f"Formulir pendaftaran {number}"
    events = {row.action: row for row in db.session.scalars(select(AuditEvent))}
    assert events["user.create"].object_id == str(user.id) and events["user.create"].after == {
        "phone": "+6281234567890", "role": "participant", "source": "form"}
    assert events["enrollment.create"].object_id == str(enrollment.id)
    assert events["enrollment.create"].after == {"status": "registered", "source": "form"}
    assert events["registration.form"].object_id == str(enrollment.id) and events["registration.form"].after == {
        "number": number, "account": "created", "regency": "1210", "heard_from": "dinas", "referral_code": "",
        "consent_version": rules.CONSENT_VERSION}
    assert all(row.actor_id is None and row.before is None for row in events.values())
    baseline = db.session.scalar(select(SurveyResponse).where(SurveyResponse.user_id == user.id))
    assert (baseline.version_no, baseline.survey_id, baseline.entered_by_id) == (1, queries.SURVEY_ID, None)


def test_a_known_referral_code_is_stored_and_carried_by_the_share_link(client, quick):
    cohort = open_cohort()
    db.session.add(ReferralCode(cohort_id=cohort.id, code="NIAS-01", label="Dinas Koperasi Kab. Nias"))
    db.session.commit()
    register(client, "/daftar?ref=nias-01")
    assert db.session.scalar(select(Enrollment.referral_code)) == "NIAS-01"
    assert "daftar%3Fref%3DNIAS-01" in client.get("/daftar/terima-kasih").get_data(as_text=True)
    register(client, "/daftar?ref=TIDAK-ADA", phone="081234567891")
    assert set(db.session.scalars(select(Enrollment.referral_code))) == {"NIAS-01", ""}


def test_a_phone_that_registered_again_changes_nothing_and_hears_its_masked_number(client, quick):
    open_cohort()
    register(client)
    number = db.session.scalar(select(Enrollment.registration_number))
    again = register(client, phone="+62 812-3456-7890", name="Orang Lain", business_name="Usaha Lain")
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and 'data-testid="registration-duplicate"' in html
    assert rules.mask_registration_number(number) in html and number not in html
    assert "Rina" not in html and "Kopi Sidikalang" not in html
    assert count(Enrollment) == 1 and count(User) == 1 and count(SurveyResponse) == 1
    assert db.session.scalar(select(User.name)) == "Rina Sitompul"


def test_an_earlier_cohorts_participant_is_enrolled_without_touching_their_account(client, quick):
    old = make_cohort("ftd-2025")
    person = make_user(name="Nama Lama", phone="081234567890", business_name="Usaha Lama", regency_code="1275")
    enroll_participant(person, old, status="graduated")
    cohort = open_cohort()
    assert register(client).status_code == 303
    db.session.rollback()
    assert db.session.get(User, person.id).name == "Nama Lama"
    assert db.session.get(ParticipantProfile, person.id).business_name == "Usaha Lama"
    statuses = dict(db.session.execute(select(Enrollment.cohort_id, Enrollment.status)
                                       .where(Enrollment.user_id == person.id)).all())
    assert statuses == {old.id: "graduated", cohort.id: "registered"}


def test_staff_and_mentor_phones_cannot_register(client, quick):
    open_cohort()
    staff = make_user(Role.STAFF, phone="081234567890")
    response = register(client)
    assert response.status_code == 400 and "akun staf atau mentor" in response.get_data(as_text=True)
    assert count(Enrollment) == 0 and db.session.get(User, staff.id).role == Role.STAFF


def test_import_and_form_dedupe_by_the_same_phone(client, quick, world):
    cohort = open_cohort()
    register(client)
    csv = "nama,no hp,nama usaha,kabupaten\nRina Impor,+62 812 3456 7890,Kopi,Dairi\nBaru,0812 9999 0001,Ulos,Medan\n"
    batch = operations.store_upload(csv.encode(), "pendaftar.csv", cohort, uploaded_by=world["staff"])
    operations.save_mapping_and_preview(batch, batch.mapping, actor=world["staff"])
    result = operations.import_batch(batch, actor=world["staff"])
    assert result["create"] == 1
    assert count(Enrollment, Enrollment.cohort_id == cohort.id) == 2
    assert db.session.scalar(select(User.name).where(User.phone == "+6281234567890")) == "Rina Sitompul"
    imported = register(client, phone="081299990001")
    assert 'data-testid="registration-duplicate"' in imported.get_data(as_text=True)
    assert count(Enrollment, Enrollment.cohort_id == cohort.id) == 2


def test_simultaneous_submissions_of_one_phone_register_it_exactly_once(app, quick):
    open_cohort()
    clients = [app.test_client() for _ in range(4)]
    data = [filled(form_page(c)) for c in clients]
    barrier, statuses = threading.Barrier(len(clients)), []

    def submit(client, fields):
        with app.app_context():
            barrier.wait()
            statuses.append(client.post("/daftar", data=fields).status_code)
            db.session.remove()

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(clients, data, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 303]
    assert count(Enrollment) == 1 and count(User) == 1 and count(SurveyResponse) == 1
    assert count(AuditEvent, AuditEvent.action == "registration.form") == 1


def statements_of(client, method, *args, **kwargs) -> list[str]:
    """Run one request and return the SQL it sent (transaction starts left out: they differ by database)."""
    seen = []

    def before(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith("BEGIN"):
            seen.append(" ".join(statement.split())[:40].upper())

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        getattr(client, method)(*args, **kwargs)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return seen


def test_a_new_registration_reads_the_window_once_and_writes_in_one_short_transaction(client, quick):
    # The closing rush sends 50 at once: every statement here is paid 1,700 times.
    cohort = open_cohort()
    db.session.add(ReferralCode(cohort_id=cohort.id, code="NIAS-1", label="Nias"))
    db.session.commit()
    html = form_page(client, "/daftar?ref=nias-1")
    sent = statements_of(client, "post", "/daftar", data=filled(html))
    if db.engine.dialect.name == "postgresql":
        # The whole write is one statement of data-modifying CTEs (the account, profile, enrollment with its
        # number, status change, baseline answers and three audit rows), in the window read's transaction.
        assert [s.split()[0] for s in sent] == ["SELECT", "WITH", "INSERT"]
        assert sent[1].startswith("WITH NEW_USER AS (INSERT INTO")
    else:
        assert [s.split()[0] for s in sent] == ["SELECT",  # the window with the referral code (one Core query)
                                                "SELECT",  # inside the write: is the phone known?
                                                "INSERT", "INSERT",  # the account and its profile
                                                "INSERT",  # the enrollment, its registration number in it
                                                "INSERT", "INSERT", "INSERT",  # status change, answers, audit
                                                "INSERT"]  # the impact report's change count (an upsert), last
    assert "IMPACT_INPUT_COUNTER" in sent[-1]
    assert not any("MAX(SURVEY_RESPONSE" in s for s in sent)  # a new account has no earlier baseline
    assert count(Enrollment, Enrollment.referral_code == "NIAS-1") == 1 and count(SurveyResponse) == 1


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]*)"')


def without_tokens(html: str) -> str:
    """The page with its CSRF token and signed fill time blanked, to compare pages of different visitors."""
    return CSRF_FIELD.sub('name="csrf_token" value=""', html).replace(started_token(html), "")


@pytest.fixture
def form_renders(app):
    """The names of the templates rendered from here on (the kept blank form is not rendered again)."""
    from flask import template_rendered

    names = []

    def note(_sender, template, context, **_extra):
        names.append(template.name)

    template_rendered.connect(note)
    yield names
    template_rendered.disconnect(note)


def test_the_blank_form_is_rendered_once_and_each_visitor_gets_their_own_tokens(make_app, form_renders):
    guarded = make_app(WTF_CSRF_ENABLED=True, REGISTRATION_MIN_FILL_SECONDS=0)
    with guarded.app_context():
        cohort = open_cohort()
        db.session.add(ReferralCode(cohort_id=cohort.id, code="NIAS-1", label="Nias"))
        db.session.commit()
        db.session.remove()
    # Requests outside a held app context, as in production: each has its own `g`.
    visitors = [guarded.test_client() for _ in range(3)]
    pages = [form_page(visitor, "/daftar?ref=nias-1") for visitor in visitors]
    assert form_renders.count("registration/register.html") == 1
    tokens = [CSRF_FIELD.findall(page) for page in pages]
    assert all(len(set(found)) == 1 and len(found) == 2 for found in tokens)  # the form and the language switch
    assert len({found[0] for found in tokens}) == 3 and len({started_token(page) for page in pages}) == 3
    assert all("lms-form-slot" not in page and 'name="ref" type="hidden" value="NIAS-1"' in page for page in pages)
    guarded.jinja_env.auto_reload = True  # as in debug: nothing kept, every GET renders
    fresh = form_page(visitors[0], "/daftar?ref=nias-1")
    assert form_renders.count("registration/register.html") == 2
    assert {without_tokens(page) for page in [*pages, fresh]} == {without_tokens(fresh)}
    guarded.jinja_env.auto_reload = False
    answers = [visitor.post("/daftar", data=filled(page, phone=f"08123456789{n}",
                                                   csrf_token=CSRF_FIELD.findall(page)[0]))
               for n, (visitor, page) in enumerate(zip(visitors[:2], pages, strict=False))]
    assert [answer.status_code for answer in answers] == [303, 303]
    # Without its token (or with another visitor's), CSRFProtect refuses before the view.
    refused = [visitors[2].post("/daftar", data=filled(pages[2], phone="081234567899", csrf_token=token))
               for token in (None, CSRF_FIELD.findall(pages[0])[0])]
    assert [answer.status_code for answer in refused] == [400, 400]
    with guarded.app_context():
        assert count(Enrollment) == 2 and count(Enrollment, Enrollment.referral_code == "NIAS-1") == 2
        db.session.remove()


def test_the_kept_form_follows_the_language_the_cohort_and_what_only_one_visitor_sees(client, quick, form_renders):
    cohort = open_cohort()
    indonesian = form_page(client)
    english_visitor = client.application.test_client()
    with english_visitor.session_transaction() as session:
        session["lang"] = "en"
    english = form_page(english_visitor)
    assert "Register for Fast Track Digitalisasi UMKM" in english and 'lang="en"' in english
    assert "Daftar Fast Track Digitalisasi UMKM" in indonesian and 'lang="id"' in indonesian
    assert form_renders.count("registration/register.html") == 2
    flashed = client.application.test_client()
    with flashed.session_transaction() as session:
        session["_flashes"] = [("info", "Pesan untuk satu pengunjung saja")]
    assert "Pesan untuk satu pengunjung saja" in form_page(flashed)  # rendered for that visitor, not kept
    assert "Pesan untuk satu pengunjung saja" not in form_page(client.application.test_client())
    cohort.name = "FTD 2027 Gelombang Dua"
    db.session.commit()
    assert "FTD 2027 Gelombang Dua" in form_page(client)
    assert form_renders.count("registration/register.html") == 4
    assert without_tokens(form_page(client)) == without_tokens(form_page(client.application.test_client()))
    assert form_renders.count("registration/register.html") == 4


def test_a_returning_participants_baseline_is_a_new_version_after_their_earlier_one(client, quick):
    old = make_cohort("ftd-2025")
    person = make_user(phone="081234567890")
    enroll_participant(person, old, status="graduated")
    cohort = open_cohort()
    db.session.add(SurveyResponse(user_id=person.id, cohort_id=cohort.id, wave="baseline", version_no=1,
                                  status="draft", survey_id="dampak-umkm", survey_version=1, answers={},
                                  source="self"))
    db.session.commit()
    assert register(client).status_code == 303
    versions = db.session.scalars(select(SurveyResponse.version_no).where(SurveyResponse.user_id == person.id)
                                  .order_by(SurveyResponse.version_no)).all()
    assert versions == [1, 2]


# --- Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(("overrides", "message"), [
    ({"phone": "12345"}, "Nomor HP tidak valid"),
    ({"phone": "+1 415 555 0100"}, "Nomor HP tidak valid"),
    ({"phone": ""}, "Nomor HP wajib diisi."),
    ({"regency": "Kabupaten Bogor"}, "Kabupaten/kota tidak dikenal di Sumatera Utara"),
    ({"regency": "Nias Barst"}, "Maksud Anda: Kabupaten Nias Barat?"),
    ({"regency": "Tapanuli"}, "Maksud Anda:"),
    ({"consent": None}, "Anda perlu menyetujui pemrosesan data"),
    ({"name": "N" * 121}, "Paling banyak 120 karakter."),
    ({"business_name": "U" * 161}, "Paling banyak 160 karakter."),
    ({"district": "K" * 81}, "Paling banyak 80 karakter."),
    ({"sector": "narkoba"}, "Bidang usaha tidak dikenal"),
    ({"heard_from": "x"}, "Pilihan tidak dikenal"),
    ({"omzet": "banyak sekali"}, "tidak bisa dibaca sebagai angka"),
    ({"omzet": None}, "Pertanyaan ini wajib dijawab."),
    ({"kanal": ["teleportasi"]}, "Pilihan tidak dikenal"),
])
def test_bad_input_gets_an_indonesian_message_keeps_what_was_typed_and_stores_nothing(client, quick, overrides,
                                                                                       message):
    open_cohort()
    response = register(client, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert 'value="Kopi Sidikalang Rina"' in html or "business_name" in overrides
    assert 'value="Rp 4.500.000"' in html or "omzet" in overrides
    assert count(User) == 0 and count(Enrollment) == 0


def test_a_filled_honeypot_is_refused_and_stores_nothing(client, quick):
    open_cohort()
    response = register(client, website="http://spam.example")
    assert response.status_code == 400 and "Jangan diisi" in response.get_data(as_text=True)
    assert count(User) == 0


def test_a_form_sent_faster_than_a_person_fills_it_is_refused_then_accepted(client, app, monkeypatch):
    open_cohort()
    app.config["REGISTRATION_MIN_FILL_SECONDS"] = 4
    html = form_page(client)
    clock = {"now": forms.time.time()}
    monkeypatch.setattr(forms.time, "time", lambda: clock["now"])
    fields = filled(html)
    fast = client.post("/daftar", data=fields)
    assert fast.status_code == 400 and "terlalu cepat" in fast.get_data(as_text=True)
    assert 'value="Rina Sitompul"' in fast.get_data(as_text=True)
    clock["now"] += 5
    assert client.post("/daftar", data=fields).status_code == 303


def test_a_forged_or_missing_fill_time_is_refused(client, quick):
    open_cohort()
    for token in ("", "MTIz.forged.signature"):
        response = register(client, started=token)
        assert response.status_code == 400 and "terlalu lama terbuka" in response.get_data(as_text=True)
    assert count(User) == 0


def test_a_refused_fill_time_comes_back_re_signed_so_sending_again_works(client, quick):
    open_cohort()
    refused = register(client, started="")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'value="Rina Sitompul"' in html
    with client.application.test_request_context():
        assert forms.fill_seconds(started_token(html)) is not None  # a fresh signed time, not what was sent
    assert client.post("/daftar", data=filled(html)).status_code == 303
    assert count(User) == 1


def test_per_address_and_per_phone_limits_refuse_with_a_message_that_keeps_the_form(app, make_app):
    limited = make_app(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True, REGISTRATION_MIN_FILL_SECONDS=0,
                       REGISTRATION_RATE_LIMIT_PER_IP="3 per hour", REGISTRATION_RATE_LIMIT_PER_PHONE="2 per hour")
    with limited.app_context():
        open_cohort()
        client = limited.test_client()
        by_phone = [register(client, phone="081234567890").status_code for _ in range(3)]
        assert by_phone == [303, 200, 429]
        refused = register(client, phone="081234567899")
        assert refused.status_code == 429
        html = refused.get_data(as_text=True)
        assert "Terlalu banyak pendaftaran dari jaringan ini" in html and 'value="Rina Sitompul"' in html
        other = limited.test_client()
        far_away = other.post("/daftar", data=filled(form_page(other), phone="081234567899"),
                              environ_base={"REMOTE_ADDR": "10.9.9.9"})
        assert far_away.status_code == 303
        db.session.remove()


def test_a_classroom_behind_one_address_all_register_with_the_default_limits(app, make_app):
    """A regency office's Wi-Fi, or a carrier's CGNAT: 60 people from one address in a minute."""
    limited = make_app(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True, REGISTRATION_MIN_FILL_SECONDS=0)
    with limited.app_context():
        open_cohort()
        statuses = {register(limited.test_client(), phone=f"0812 7000 {n:04d}", name=f"Peserta {n}").status_code
                    for n in range(60)}
        assert statuses == {303} and count(Enrollment) == 60
        db.session.remove()


# --- Closed window -----------------------------------------------------------------------


def test_a_closed_window_says_when_the_next_opens_and_keeps_a_tell_me_number_once(client):
    soon = TODAY() + timedelta(days=20)
    upcoming = make_cohort("ftd-next", registration_opens_on=soon, registration_closes_on=soon + timedelta(days=30))
    html = form_page(client)
    assert 'data-testid="registration-closed"' in html and str(soon.year) in html
    posted = client.post("/daftar", data={"phone": "081234567890", "name": "X"})
    assert posted.status_code == 409 and count(User) == 0
    missing = client.post("/daftar/kabari", data={"phone": "081234567890"})
    assert missing.status_code == 400 and "Centang persetujuan" in missing.get_data(as_text=True)
    bad = client.post("/daftar/kabari", data={"phone": "0812", "consent": "y"})
    assert bad.status_code == 400 and "Nomor HP tidak valid" in bad.get_data(as_text=True)
    first = client.post("/daftar/kabari", data={"phone": "0812 3456 7890", "consent": "y"})
    assert first.status_code == 200 and "Kami akan mengabari" in first.get_data(as_text=True)
    second = client.post("/daftar/kabari", data={"phone": "+6281234567890", "consent": "y"})
    assert "sudah tercatat" in second.get_data(as_text=True)
    interest = db.session.scalar(select(RegistrationInterest))
    assert count(RegistrationInterest) == 1 and interest.cohort_id == upcoming.id
    assert interest.consent_version == rules.CONSENT_VERSION


def test_the_confirmation_needs_a_registration_in_this_session(client, quick):
    open_cohort()
    assert client.get("/daftar/terima-kasih").status_code == 302
    register(client)
    other = client.application.test_client()
    assert other.get("/daftar/terima-kasih").status_code == 302


# --- Hostile text ------------------------------------------------------------------------

HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "=HYPERLINK(\"http://evil.example\",\"klik\")",
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
]


def test_hostile_text_stays_inert_on_staff_pages_and_in_exports(client, quick, world):
    cohort = open_cohort()
    for number, text in enumerate(HOSTILE):
        registrant = client.application.test_client()
        response = register(registrant, phone=f"08123456780{number}", name=text[:120], business_name=text,
                            district=text[:80])
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
    login(client, world["staff"])
    users = {u.name: u.id for u in db.session.scalars(select(User).where(User.role == Role.PARTICIPANT))}
    pages = [client.get(f"/staf/kohort/{cohort.id}/peserta").get_data(as_text=True),
             client.get("/staf/pengguna").get_data(as_text=True)]
    pages += [client.get(f"/staf/pengguna/{users[text[:120]]}").get_data(as_text=True) for text in HOSTILE]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg/onload" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in pages[0] or "&lt;script&gt;" in pages[0]
    export = client.get(f"/staf/kohort/{cohort.id}/ekspor/peserta.xlsx")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not [cell for cell in cells if cell.data_type == "f"]
    hyperlinks = [cell for cell in cells if "HYPERLINK" in cell.value]
    assert hyperlinks and all(cell.data_type == "s" for cell in hyperlinks)  # a text cell, never run as a formula
    csv_export = client.get(f"/staf/kohort/{cohort.id}/ekspor/peserta.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_export and ',=HYPERLINK' not in csv_export


# --- Demo --------------------------------------------------------------------------------


def test_the_demo_opens_registration_and_registers_three_people_by_form_once(app, client):
    from lms import seed
    from lms.registration.demo import FORM_REGISTRANTS

    seed.seed_demo()
    phones = [f"+62{row[0][1:]}" for row in FORM_REGISTRANTS]
    demo_users = select(User.id).where(User.phone.in_(phones))
    by_form = (Enrollment.registered_via == "form", Enrollment.user_id.in_(demo_users))
    first = count(Enrollment, Enrollment.registered_via == "form")  # the outreach demo registers many by form too
    seed.seed_demo()
    assert count(Enrollment, Enrollment.registered_via == "form") == first  # once, however often it runs
    assert count(Enrollment, *by_form) == 3
    cohort = db.session.scalar(select(Enrollment.cohort_id).where(*by_form))
    assert count(SurveyResponse, SurveyResponse.source == "form", SurveyResponse.cohort_id == cohort,
                 SurveyResponse.user_id.in_(demo_users)) == 3
    assert "Pendaftaran dibuka" in client.get("/").get_data(as_text=True)
