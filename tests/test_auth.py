"""Logging in, sessions, activation codes, password change and the profile."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms import accounts
from lms.extensions import db
from lms.models import ActivationCode, AuditEvent, Role, User, UserSession, utcnow
from tests.conftest import TEST_PASSWORD, login, make_user


@pytest.mark.parametrize("typed", ["081234567890", "+6281234567890", "6281234567890", "0812-3456-7890"])
def test_login_accepts_every_phone_form(client, typed):
    make_user(phone="081234567890")
    response = client.post("/masuk", data={"identifier": typed, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_with_email(client):
    user = make_user()
    user.email = "ros@example.id"
    db.session.commit()
    response = client.post("/masuk", data={"identifier": "ROS@example.id", "password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("identifier", "password", "message"),
    [
        ("081299999999", TEST_PASSWORD, "Nomor HP/email atau kata sandi salah."),
        ("081234567890", "salah-sekali", "Nomor HP/email atau kata sandi salah."),
        ("0812-34", TEST_PASSWORD, "Nomor HP tidak valid."),
        ("", "", "Isi nomor HP atau email."),
    ],
)
def test_login_refuses_bad_input_with_a_message(client, identifier, password, message):
    make_user(phone="081234567890")
    response = client.post("/masuk", data={"identifier": identifier, "password": password})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert f'value="{identifier}"' in page  # what was typed comes back
    assert db.session.scalar(select(UserSession.id)) is None


def test_login_refuses_deactivated_account(client):
    user = make_user()
    user.active = False
    db.session.commit()
    response = login(client, user)
    assert "dinonaktifkan" in response.get_data(as_text=True)


def test_next_must_be_a_local_path(client):
    user = make_user()
    data = {"identifier": user.phone, "password": TEST_PASSWORD}
    assert client.post("/masuk?next=https://evil.example/", data=data).headers["Location"] == "/"
    client.post("/keluar")
    assert client.post("/masuk?next=//evil.example/", data=data).headers["Location"] == "/"
    client.post("/keluar")
    assert client.post("/masuk?next=/akun/profil", data=data).headers["Location"] == "/akun/profil"


def test_logout_revokes_the_session_on_the_server(client):
    user = make_user()
    login(client, user)
    stolen_cookie = client.get_cookie("session").value
    client.post("/keluar")
    thief = client.application.test_client()
    thief.set_cookie("session", stolen_cookie)
    assert thief.get("/akun/profil").status_code == 302  # sent to the login page
    assert db.session.scalar(select(UserSession.revoked_at)) is not None


def test_deactivation_ends_sessions_at_once(client, app):
    user = make_user()
    staff = make_user(Role.STAFF)
    login(client, user)
    assert client.get("/akun/profil").status_code == 200
    accounts.set_active(db.session.get(User, user.id), False, changed_by=staff)
    assert client.get("/akun/profil").status_code == 302


def test_password_change_logs_out_other_sessions(app):
    user = make_user()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, user)
    login(laptop, user)
    response = phone.post(
        "/akun/kata-sandi",
        data={"current_password": TEST_PASSWORD, "password": "baru-12345", "confirm": "baru-12345"},
    )
    assert response.status_code == 302
    assert phone.get("/akun/profil").status_code == 200
    assert laptop.get("/akun/profil").status_code == 302
    assert db.session.get(User, user.id).check_password("baru-12345")


def test_password_change_with_wrong_current_password_changes_nothing(client):
    user = make_user()
    login(client, user)
    response = client.post(
        "/akun/kata-sandi", data={"current_password": "bukan", "password": "baru-12345", "confirm": "baru-12345"}
    )
    assert "Kata sandi sekarang salah." in response.get_data(as_text=True)
    assert db.session.get(User, user.id).check_password(TEST_PASSWORD)


def issue_code_for_new_user():
    user = make_user(password=None)
    issued = accounts.issue_activation_code(user, created_by=None)
    db.session.commit()
    return user, issued


def test_activation_code_sets_password_once(client):
    user, issued = issue_code_for_new_user()
    form = {"phone": user.phone, "code": issued.display.lower(), "password": "pertama-123", "confirm": "pertama-123"}
    assert client.post("/aktivasi", data=form).status_code == 302
    assert db.session.get(User, user.id).check_password("pertama-123")
    again = client.application.test_client().post("/aktivasi", data={**form, "password": "kedua-1234",
                                                                         "confirm": "kedua-1234"})
    assert "sudah dipakai" in again.get_data(as_text=True)
    assert db.session.get(User, user.id).check_password("pertama-123")


def test_expired_activation_code_is_refused(client):
    user, issued = issue_code_for_new_user()
    db.session.execute(ActivationCode.__table__.update().values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    response = client.post("/aktivasi", data={"phone": user.phone, "code": issued.code, "password": "pertama-123",
                                              "confirm": "pertama-123"})
    assert "kedaluwarsa" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).password_hash is None


def test_new_code_cancels_the_old_one(client):
    user, first = issue_code_for_new_user()
    accounts.issue_activation_code(user, created_by=None)
    db.session.commit()
    response = client.post("/aktivasi", data={"phone": user.phone, "code": first.code, "password": "pertama-123",
                                              "confirm": "pertama-123"})
    assert response.status_code == 200
    assert db.session.get(User, user.id).password_hash is None


def test_unactivated_account_cannot_log_in_and_is_not_told_apart(client):
    user, _issued = issue_code_for_new_user()
    page = client.post("/masuk", data={"identifier": user.phone, "password": "apa-saja-123"}).get_data(as_text=True)
    assert "Nomor HP/email atau kata sandi salah." in page
    assert "belum diaktifkan" not in page


def test_activation_link_prefills_the_code(client):
    _user, issued = issue_code_for_new_user()
    link = accounts.activation_url(issued)
    assert link.startswith("http://127.0.0.1:5000/aktivasi?")  # the configured public URL, as in tests
    page = client.get(link.removeprefix("http://127.0.0.1:5000")).get_data(as_text=True)
    assert f'value="{issued.display}"' in page
    assert 'value="0857-' in page  # the phone comes filled in too


def test_duplicate_phone_at_creation_is_refused(app):
    make_user(phone="081234567890")
    with pytest.raises(accounts.AccountError, match="sudah terdaftar"):
        accounts.create_user(name="Lain", phone_text="+62 812 3456 7890")
    db.session.rollback()
    assert db.session.query(User).count() == 1


def test_create_user_cli_prints_an_activation_code(runner):
    result = runner.invoke(args=["lms", "create-user", "--name", "Bu Ros", "--phone", "0813 7000 1234"])
    assert result.exit_code == 0, result.output
    assert "Activation code:" in result.output
    assert "Activation link: http://127.0.0.1:5000/aktivasi?kode=" in result.output  # from the public URL
    duplicate = runner.invoke(args=["lms", "create-user", "--name", "Lagi", "--phone", "6281370001234"])
    assert duplicate.exit_code == 1
    assert "sudah terdaftar" in duplicate.output


def test_profile_update_saves_and_audits(client):
    user = make_user()
    login(client, user)
    form = {
        "name": "Rosmawati", "email": "", "business_name": "Bika Ambon Kak Ros", "sector": "kuliner",
        "regency_code": "1275", "address": "Jl. Majapahit, Medan", "instagram_url": "https://instagram.com/kakros",
        "facebook_url": "", "tiktok_url": "", "marketplace_url": "", "website_url": "", "version": str(user.version),
    }
    assert client.post("/akun/profil", data=form).status_code == 302
    user = db.session.get(User, user.id)
    assert (user.name, user.profile.regency_code, user.profile.instagram_url) == (
        "Rosmawati", "1275", "https://instagram.com/kakros")
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "profile.update"))


def test_profile_bad_link_changes_nothing_and_keeps_input(client):
    user = make_user(business_name="Lama")
    login(client, user)
    form = {"name": "Baru", "email": "", "business_name": "Baru", "sector": "kuliner", "regency_code": "1275",
            "address": "", "instagram_url": "javascript:alert(1)", "facebook_url": "", "tiktok_url": "",
            "marketplace_url": "", "website_url": ""}
    page = client.post("/akun/profil", data=form).get_data(as_text=True)
    assert "Tautan harus diawali http:// atau https://." in page
    assert 'value="Baru"' in page
    assert db.session.get(User, user.id).profile.business_name == "Lama"
