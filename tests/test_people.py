"""People: staff edit a person, self-service business data, the forgotten-password queue,
the readable audit log and the access log for personal data."""

import itertools
import re

import pytest
from sqlalchemy import func, select

from lms import accounts
from lms.certificates import operations as certificate_operations
from lms.extensions import db
from lms.models import AuditEvent, PasswordResetRequest, User, UserSession
from lms.people import rules
from lms.staff.audit import display as audit_display
from tests.conftest import TEST_PASSWORD, login, make_user

_phones = itertools.count(1)


def person(name: str, **profile) -> User:
    """A participant with a phone number of this file's own series."""
    return make_user(name=name, phone=f"0858{next(_phones):08d}", **profile)


def edit_url(user: User) -> str:
    return f"/staf/pengguna/{user.id}/ubah"


def form_for(user: User, **changes) -> dict:
    """The edit form as the page fills it in, with some fields changed."""
    db.session.refresh(user)
    profile = user.profile
    data = {
        "name": user.name, "phone": user.phone, "email": user.email or "",
        "certificate_name": profile.certificate_name, "business_name": profile.business_name,
        "sector": profile.sector, "regency_code": profile.regency_code or "", "district": profile.district,
        "reason": "Salah ketik saat impor", "version": str(user.version),
    }
    return data | changes


def audit_rows(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# --- pure rules --------------------------------------------------------------------


def test_changed_fields_and_split():
    changes = rules.changed_fields({"name": "A", "phone": "+62"}, {"name": "B", "phone": "+62"})
    assert changes == {"name": ("A", "B")}
    assert rules.split_change(changes) == ({"name": "A"}, {"name": "B"})
    assert rules.clean_text("  Butet   Simatupang ") == "Butet Simatupang"


# --- staff edit ----------------------------------------------------------------------


def test_staff_corrects_name_and_regency_with_one_audit_row(client, world):
    participant = world["participant"]
    login(client, world["staff"])
    page = client.get(edit_url(participant)).get_data(as_text=True)
    assert "Alasan perubahan" in page and 'value="Peserta Satu"' in page
    response = client.post(edit_url(participant), data=form_for(
        participant, name="Peserta  Satu Sinaga", regency_code="1212", certificate_name="Peserta Satu Sinaga, S.E."))
    assert response.status_code == 302
    db.session.refresh(participant)
    assert participant.name == "Peserta Satu Sinaga" and participant.profile.regency_code == "1212"
    assert participant.version == 2
    [row] = audit_rows("person.update")
    assert row.actor_id == world["staff"].id and row.reason == "Salah ketik saat impor"
    assert row.before == {"name": "Peserta Satu", "regency_code": "1275", "certificate_name": ""}
    assert row.after == {"name": "Peserta Satu Sinaga", "regency_code": "1212",
                         "certificate_name": "Peserta Satu Sinaga, S.E."}


def test_saving_unchanged_data_writes_nothing(client, world):
    login(client, world["staff"])
    response = client.post(edit_url(world["participant"]), data=form_for(world["participant"]))
    assert response.status_code == 302
    assert audit_rows("person.update") == [] and world["participant"].version == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "12345"}, "Nomor HP tidak valid"),
        ({"regency_code": "3171"}, "Kabupaten/kota tidak dikenal"),
        ({"sector": "tambang"}, "Bidang usaha tidak dikenal"),
        ({"name": "   "}, "Nama wajib diisi"),
        ({"name": "N" * 121}, "Paling banyak 120 karakter"),
        ({"business_name": "U" * 161}, "Paling banyak 160 karakter"),
        ({"email": "bukan-email"}, "Alamat email tidak valid"),
        ({"reason": ""}, "Tulis alasan perubahan"),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_keeps_what_was_typed(client, world, changes, message):
    participant = world["participant"]
    login(client, world["staff"])
    typed = form_for(participant, district="Medan Johor", **changes)
    response = client.post(edit_url(participant), data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert 'value="Medan Johor"' in page  # what was typed stays
    db.session.refresh(participant)
    assert participant.name == "Peserta Satu" and participant.profile.district == ""
    assert audit_rows("person.update") == [] and participant.version == 1


def test_a_taken_phone_is_refused_with_the_holders_name(client, world):
    login(client, world["staff"])
    response = client.post(edit_url(world["participant"]),
                           data=form_for(world["participant"], phone=world["other_participant"].phone))
    assert "Nomor HP ini sudah dipakai akun Peserta Dua." in response.get_data(as_text=True)
    db.session.refresh(world["participant"])
    assert world["participant"].phone != world["other_participant"].phone


def test_a_taken_email_is_refused_with_the_holders_name(client, world):
    world["other_participant"].email = "dua@contoh.id"
    db.session.commit()
    login(client, world["staff"])
    response = client.post(edit_url(world["participant"]), data=form_for(world["participant"], email="DUA@contoh.id"))
    assert "Email ini sudah dipakai akun Peserta Dua." in response.get_data(as_text=True)


def test_phone_change_moves_the_login_and_keeps_sessions(app, client, world):
    participant = world["participant"]
    own = app.test_client()
    login(own, participant)
    login(client, world["staff"])
    old_phone = participant.phone
    client.post(edit_url(participant), data=form_for(participant, phone="0813-7000-1234"))
    db.session.refresh(participant)
    assert participant.phone == "+6281370001234"
    assert own.get("/").status_code == 200  # the participant's open session stays valid
    assert db.session.scalar(select(func.count()).where(UserSession.user_id == participant.id,
                                                        UserSession.revoked_at.is_(None))) == 1
    fresh = app.test_client()
    assert fresh.post("/masuk", data={"identifier": old_phone, "password": TEST_PASSWORD}).status_code == 200
    assert fresh.post("/masuk", data={"identifier": "0813 7000 1234", "password": TEST_PASSWORD}).status_code == 302
    [row] = audit_rows("person.update")
    assert row.before == {"phone": old_phone} and row.after == {"phone": "+6281370001234"}


def test_the_second_of_two_concurrent_edits_is_refused(client, world):
    participant = world["participant"]
    login(client, world["staff"])
    opened_by_both = form_for(participant)
    first = client.post(edit_url(participant), data=opened_by_both | {"name": "Nama Pertama"})
    assert first.status_code == 302
    second = client.post(edit_url(participant), data=opened_by_both | {"business_name": "Usaha Kedua"})
    assert second.status_code == 200 and "baru saja diubah oleh orang lain" in second.get_data(as_text=True)
    db.session.refresh(participant)
    assert participant.name == "Nama Pertama" and participant.profile.business_name == "Bika Ambon Satu"
    assert len(audit_rows("person.update")) == 1


def test_a_participants_own_profile_save_makes_an_open_staff_form_stale(app, client, world):
    participant = world["participant"]
    login(client, world["staff"])
    opened = form_for(participant)
    own = app.test_client()
    login(own, participant)
    saved = own.post("/akun/profil", data={"name": participant.name, "business_name": "Bika Ambon Medan",
                                            "sector": "kuliner", "regency_code": "1275", "district": "Medan Kota",
                                            "version": str(participant.version)})
    assert saved.status_code == 302
    [row] = audit_rows("profile.update")
    assert row.after == {"business_name": "Bika Ambon Medan", "sector": "kuliner", "district": "Medan Kota"}
    stale = client.post(edit_url(participant), data=opened | {"name": "Nama Staf"})
    assert "baru saja diubah oleh orang lain" in stale.get_data(as_text=True)
    db.session.refresh(participant)
    assert participant.name == "Peserta Satu" and participant.profile.district == "Medan Kota"


def test_a_staff_correction_made_while_the_participant_edits_is_not_overwritten(app, client, world):
    participant = world["participant"]
    own = app.test_client()
    login(own, participant)
    page = own.get("/akun/profil").get_data(as_text=True)
    opened_version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    login(client, world["staff"])
    assert client.post(edit_url(participant), data=form_for(participant, name="Nama Benar")).status_code == 302
    typed = {"name": "Peserta Satu", "email": "", "business_name": "Bika Ambon Medan", "sector": "kuliner",
             "regency_code": "1275", "district": "Medan Kota", "version": opened_version}
    stale = own.post("/akun/profil", data=typed)
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Data Anda baru saja diubah oleh staf." in page
    assert 'value="Bika Ambon Medan"' in page and 'value="Medan Kota"' in page  # what was typed is kept
    db.session.refresh(participant)
    assert participant.name == "Nama Benar" and participant.profile.business_name == "Bika Ambon Satu"
    assert audit_rows("profile.update") == []
    # Reloaded, the page carries the new version and the save goes through.
    page = own.get("/akun/profil").get_data(as_text=True)
    fresh = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    assert own.post("/akun/profil", data=typed | {"name": "Nama Benar", "version": fresh}).status_code == 302
    db.session.refresh(participant)
    assert participant.name == "Nama Benar" and participant.profile.business_name == "Bika Ambon Medan"


def test_certificates_print_the_printed_name_when_set(world):
    participant = world["participant"]
    participant.profile.certificate_name = "Peserta Satu, S.E."
    db.session.commit()
    certificate = certificate_operations.create_certificate(world["enrollment"], "graduation", issued_by=None)
    assert certificate.name == "Peserta Satu, S.E."


def test_edit_links_from_user_page_and_curation_list(client, world):
    login(client, world["staff"])
    detail = client.get(f"/staf/pengguna/{world['participant'].id}").get_data(as_text=True)
    curation = client.get(f"/staf/kohort/{world['cohort'].id}/peserta").get_data(as_text=True)
    assert edit_url(world["participant"]) in detail and edit_url(world["participant"]) in curation


def test_edit_of_an_unknown_person_is_404(client, world):
    login(client, world["staff"])
    assert client.get("/staf/pengguna/999999/ubah").status_code == 404


# --- forgotten password ------------------------------------------------------------------


def test_login_page_links_to_the_reset_form(client):
    assert "/lupa-kata-sandi" in client.get("/masuk").get_data(as_text=True)


def test_reset_answer_is_the_same_for_known_and_unknown_numbers(client, world):
    known = client.post("/lupa-kata-sandi", data={"phone": world["participant"].phone}).get_data(as_text=True)
    unknown = client.post("/lupa-kata-sandi", data={"phone": "0812 9999 0000"}).get_data(as_text=True)
    # Each response carries a freshly signed CSRF token (its timestamp may tick between them): compare the rest.
    def without_token(page):
        return re.sub(r'name="csrf_token" value="[^"]*"', "", page)

    assert without_token(known) == without_token(unknown) and "Permintaan terkirim" in known
    [reset] = db.session.scalars(select(PasswordResetRequest)).all()
    assert reset.user_id == world["participant"].id and reset.resolved_at is None


def test_asking_twice_keeps_one_open_request(client, world):
    for _ in range(2):
        client.post("/lupa-kata-sandi", data={"phone": world["participant"].phone})
    assert db.session.scalar(select(func.count()).select_from(PasswordResetRequest)) == 1


def test_an_invalid_number_is_told_in_indonesian(client, world):
    page = client.post("/lupa-kata-sandi", data={"phone": "abc"}).get_data(as_text=True)
    assert "Nomor HP tidak valid" in page and 'value="abc"' in page


def test_reset_requests_are_rate_limited_per_phone(make_app, world):
    limited = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False, PASSWORD_RESET_RATE_LIMIT="2 per hour",
                       PASSWORD_RESET_RATE_LIMIT_PER_IP="100 per hour")
    with limited.app_context():
        client = limited.test_client()
        statuses = [client.post("/lupa-kata-sandi", data={"phone": "0812 5555 0101"}).status_code for _ in range(3)]
        other = client.post("/lupa-kata-sandi", data={"phone": "0812 5555 0202"}).status_code
    assert statuses == [200, 200, 429] and other == 200


def test_reset_requests_are_rate_limited_per_address(make_app, world):
    limited = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False, PASSWORD_RESET_RATE_LIMIT="100 per hour",
                       PASSWORD_RESET_RATE_LIMIT_PER_IP="2 per hour")
    with limited.app_context():
        client = limited.test_client()
        statuses = [client.post("/lupa-kata-sandi", data={"phone": f"0812 5555 03{i:02d}"}).status_code
                    for i in range(3)]
    assert statuses == [200, 200, 429]


def test_a_workshop_behind_one_address_may_all_ask_with_the_default_limits(make_app, world):
    limited = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False)
    with limited.app_context():
        client = limited.test_client()
        statuses = {client.post("/lupa-kata-sandi", data={"phone": f"0812 5555 1{i:03d}"}).status_code
                    for i in range(40)}
    assert statuses == {200}


def open_request(user: User) -> PasswordResetRequest:
    reset = PasswordResetRequest(user_id=user.id)
    db.session.add(reset)
    db.session.commit()
    return reset


def test_staff_see_every_request_and_mentors_only_their_participants(app, world):
    open_request(world["participant"])
    open_request(world["other_participant"])
    pages = {}
    for role, url in (("staff", "/staf/permintaan-kata-sandi"), ("mentor", "/mentor/permintaan-kata-sandi"),
                      ("other_mentor", "/mentor/permintaan-kata-sandi")):
        client = app.test_client()
        login(client, world[role])
        pages[role] = client.get(url).get_data(as_text=True)
    assert "Peserta Satu" in pages["staff"] and "Peserta Dua" in pages["staff"]
    assert "Peserta Satu" in pages["mentor"] and "Peserta Dua" not in pages["mentor"]
    assert "Peserta Dua" in pages["other_mentor"] and "Peserta Satu" not in pages["other_mentor"]


def test_mentor_answers_with_a_whatsapp_code_that_sets_a_new_password(app, client, world):
    reset = open_request(world["participant"])
    login(client, world["mentor"])
    response = client.post(f"/permintaan-kata-sandi/{reset.id}/kode")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "https://wa.me/62" in page and "kata%20sandi%20baru" in page
    code = page.split('data-testid="activation-code">')[1].split("<")[0]
    db.session.refresh(reset)
    assert reset.resolved_by_id == world["mentor"].id and reset.resolution == "code_sent"
    assert audit_rows("password_reset.resolve")[0].actor_id == world["mentor"].id
    again = client.post(f"/permintaan-kata-sandi/{reset.id}/kode")
    assert again.status_code == 302  # already answered: no second code
    participant = app.test_client()
    done = participant.post("/aktivasi", data={"code": code, "phone": world["participant"].phone,
                                               "password": "sandibaru99", "confirm": "sandibaru99"})
    assert done.status_code == 302
    fresh = app.test_client()
    assert login(fresh, world["participant"], password="sandibaru99").status_code == 302


def test_another_mentor_cannot_answer(client, world):
    reset = open_request(world["participant"])
    login(client, world["other_mentor"])
    assert client.post(f"/permintaan-kata-sandi/{reset.id}/kode").status_code == 404
    db.session.refresh(reset)
    assert reset.resolved_at is None


def test_staff_dismiss_records_who(client, world):
    reset = open_request(world["participant"])
    login(client, world["staff"])
    client.post(f"/permintaan-kata-sandi/{reset.id}/tutup")
    db.session.refresh(reset)
    assert (reset.resolution, reset.resolved_by_id) == ("dismissed", world["staff"].id)
    assert "Staf Satu" in client.get("/staf/permintaan-kata-sandi").get_data(as_text=True)


# --- audit log ---------------------------------------------------------------------------


def test_audit_log_shows_labels_names_links_and_a_diff(client, world):
    login(client, world["staff"])
    client.post(edit_url(world["participant"]), data=form_for(world["participant"], regency_code="1212"))
    page = client.get("/staf/audit?action=person.update").get_data(as_text=True)
    table = page.split('data-testid="audit-table"')[1]
    assert "Data orang diubah" in table and "person.update" not in table.replace('title="person.update"', "")
    assert f'href="/staf/pengguna/{world["participant"].id}">Peserta Satu' in table
    assert f'href="/staf/pengguna/{world["staff"].id}">Staf Satu' in table
    assert "<del>Kota Medan</del> → <ins>Kabupaten Deli Serdang</ins>" in table
    assert "Alasan: Salah ketik saat impor" in table and "{" not in table


def test_unknown_actions_fall_back_to_the_raw_name():
    assert audit_display.action_label("something.new") == "something.new"
    assert audit_display.action_label("user.create") == "Akun dibuat"


def test_system_filter_shows_rows_without_an_actor(client, world):
    login(client, world["staff"])
    client.post("/lupa-kata-sandi", data={"phone": world["participant"].phone})  # written with no actor
    accounts.issue_activation_code(world["participant"], created_by=world["staff"])
    db.session.commit()
    page = client.get("/staf/audit?actor=sistem").get_data(as_text=True).split('data-testid="audit-table"')[1]
    assert "Minta kata sandi baru" in page and "Kode aktivasi dibuat" not in page


def test_profile_email_is_checked_without_crashing(client, world):
    login(client, world["participant"])
    page = client.post("/akun/profil", data={"name": "Peserta Satu", "email": "bukan-email", "business_name": "X",
                                             "sector": "kuliner", "regency_code": "1275"}).get_data(as_text=True)
    assert "Alamat email tidak valid." in page


# --- access to personal data is logged ------------------------------------------------------


def access_rows(what: str) -> list[AuditEvent]:
    return audit_rows(f"access.{what}")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_export_logs_who_what_and_when(client, world, fmt):
    login(client, world["staff"])
    assert client.get(f"/staf/kohort/{world['cohort'].id}/ekspor/peserta.{fmt}").status_code == 200
    [row] = access_rows("export")
    assert row.actor_id == world["staff"].id and row.object_type == "Cohort"
    assert row.after == {"dataset": "peserta", "format": fmt} and row.created_at is not None


def test_the_daftar_hadir_and_the_import_problem_rows_are_logged_and_never_cached(client, world):
    from lms.bootcamp import operations as bootcamp_operations
    from tests.test_bootcamp import make_session
    from tests.test_import_registrants import map_and_preview, newest_batch, upload

    session = make_session(world["cohort"])
    bootcamp_operations.check_in(session, world["participant"], method="manual", recorded_by=world["staff"])
    login(client, world["staff"])
    base = f"/staf/kohort/{world['cohort'].id}/sesi/{session.id}/daftar-hadir"
    for fmt in ("pdf", "xlsx"):
        response = client.get(f"{base}.{fmt}")
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = access_rows("attendance_list")
    assert [row.after for row in rows] == [{"format": "pdf", "rows": 2}, {"format": "xlsx", "rows": 2}]
    assert {(row.actor_id, row.object_type, row.object_id) for row in rows} == {
        (world["staff"].id, "BootcampSession", str(session.id))}
    upload(client, world["cohort"], "pendaftar_bom.csv")
    batch = newest_batch()
    map_and_preview(client, batch.id)
    response = client.get(f"/staf/impor/{batch.id}/masalah.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    [row] = access_rows("import_problems")
    assert (row.actor_id, row.object_type, row.object_id) == (world["staff"].id, "ImportBatch", str(batch.id))
    assert row.after["format"] == "xlsx" and row.after["rows"] >= 1


def test_activation_code_export_is_logged(client, world):
    world["enrollment"].status = "selected"
    world["participant"].password_hash = None
    db.session.commit()
    login(client, world["staff"])
    client.post(f"/staf/kohort/{world['cohort'].id}/kode-aktivasi", data={"purpose": "csv", "confirm": "y"})
    [row] = access_rows("activation_codes")
    assert row.actor_id == world["staff"].id and row.after == {"format": "csv", "rows": 1}


def test_certificate_pdf_and_zip_downloads_are_logged(client, world):
    from tests.test_certificates import complete_course

    complete_course(world["enrollment"])
    certificate = certificate_operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    login(client, world["participant"])
    client.get(f"/sertifikat/{certificate.id}/unduh").close()
    [pdf] = access_rows("certificate_pdf")
    assert pdf.actor_id == world["participant"].id and pdf.object_id == str(certificate.id)
    staff = client.application.test_client()
    login(staff, world["staff"])
    staff.get(f"/staf/kohort/{world['cohort'].id}/sertifikat.zip").get_data()
    [archive] = access_rows("certificate_zip")
    assert archive.actor_id == world["staff"].id and archive.after == {"files": 1}


def test_submission_file_downloads_are_logged(client, world):
    from lms.assignments.demo import demo_png
    from lms.models import SubmissionFile
    from tests.test_assignments import send

    login(client, world["participant"])
    send(client, text="Perkenalan", files=[("foto.png", demo_png())])
    stored = db.session.scalar(select(SubmissionFile))
    mentor = client.application.test_client()
    login(mentor, world["mentor"])
    mentor.get(f"/berkas/{stored.id}").close()
    mentor.get(f"/berkas/{stored.id}/lihat").close()
    rows = access_rows("submission_file")
    assert [(r.actor_id, r.after) for r in rows] == [
        (world["mentor"].id, {"file": "foto.png"}), (world["mentor"].id, {"file": "foto.png", "inline": True})]


# --- numbers, turnaround, WhatsApp ------------------------------------------------------------


def test_numbers_use_the_locales_decimal_comma(app):
    from flask_babel import force_locale

    from lms.templating import hours, number

    with app.test_request_context():
        assert (number(3.456), number(1700), number(66.666, 2), number(None)) == ("3,5", "1.700", "66,67", "–")
        assert (hours(0), hours(0.4), hours(12.25), hours(None)) == ("< 1 jam", "< 1 jam", "12,2 jam", "–")
        with force_locale("en"):
            assert (number(3.456), number(1700), hours(0), hours(3.5)) == ("3.5", "1,700", "< 1 hour", "3.5 hours")


def test_dashboard_shows_a_zero_hour_median_and_a_prefilled_whatsapp_message(client, world):
    from datetime import timedelta

    from lms.models import Review, utcnow
    from tests.test_staff_console import add_progress

    add_progress(world["enrollment"], world["mentor"])
    db.session.execute(Review.__table__.update().values(waited_hours=0.0))
    world["other_participant"].last_seen_at = utcnow() - timedelta(days=30)
    db.session.commit()
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{world['cohort'].id}").get_data(as_text=True)
    mentors = page.split('id="mentor-h"')[1].split("</section>")[0]
    assert "&lt; 1 jam" in mentors
    risk = page.split('data-testid="at-risk-whatsapp"')[0].rsplit('href="', 1)[1]
    assert risk.startswith("https://wa.me/62") and "?text=Halo%20Peserta%20Dua" in risk


def test_demo_shows_an_edited_participant_and_a_waiting_request(app):
    from lms import seed

    seed.seed_demo()
    seed.seed_demo()  # idempotent
    [edit] = audit_rows("person.update")
    assert edit.after == {"certificate_name": "Butet Simatupang, S.E.", "district": "Tarutung"} and edit.reason
    [reset] = db.session.scalars(select(PasswordResetRequest)).all()
    assert reset.user.name == "Hotman Sinaga" and reset.resolved_at is None


def test_a_forged_regency_or_sector_on_the_profile_is_refused_in_indonesian(client, world):
    login(client, world["participant"])
    page = client.post("/akun/profil", data={"name": "Peserta Satu", "business_name": "Bika Ambon Satu",
                                             "sector": "tambang", "regency_code": "3171"}).get_data(as_text=True)
    assert "Kabupaten/kota tidak dikenal" in page and "Bidang usaha tidak dikenal" in page
    db.session.refresh(world["participant"])
    assert world["participant"].profile.regency_code == "1275"


def test_moving_a_person_to_another_regency_empties_the_old_kecamatan_unless_one_is_typed(client, world):
    participant = world["participant"]
    participant.profile.district = "Tarutung"
    db.session.commit()
    login(client, world["staff"])
    response = client.post(edit_url(participant), data=form_for(participant, regency_code="1212"))
    assert response.status_code == 302
    assert "Kecamatan yang lama dikosongkan" in client.get(response.location).get_data(as_text=True)
    db.session.refresh(participant.profile)
    assert participant.profile.regency_code == "1212" and participant.profile.district == ""
    [row] = audit_rows("person.update")
    assert row.before == {"regency_code": "1275", "district": "Tarutung"}
    assert row.after == {"regency_code": "1212", "district": ""}
    client.post(edit_url(participant), data=form_for(participant, regency_code="1275", district="Medan Baru"))
    db.session.refresh(participant.profile)
    assert participant.profile.district == "Medan Baru"
    client.post(edit_url(participant), data=form_for(participant, district="Medan Petisah"))
    db.session.refresh(participant.profile)
    assert participant.profile.district == "Medan Petisah"  # the regency stays: a typed kecamatan is kept


def test_a_participant_moving_their_own_business_to_another_regency_empties_the_old_kecamatan(client, world):
    participant = world["participant"]
    participant.profile.district = "Tarutung"
    db.session.commit()
    login(client, participant)
    saved = client.post("/akun/profil", data={"name": participant.name, "business_name": "Bika Ambon Satu",
                                              "sector": "kuliner", "regency_code": "1212",
                                              "district": "Tarutung", "version": str(participant.version)})
    assert saved.status_code == 302
    assert "Kecamatan yang lama dikosongkan" in client.get(saved.location).get_data(as_text=True)
    db.session.refresh(participant.profile)
    assert participant.profile.regency_code == "1212" and participant.profile.district == ""
    [row] = audit_rows("profile.update")
    assert row.before["district"] == "Tarutung" and row.after["district"] == ""
