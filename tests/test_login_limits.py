"""Login and activation hardening: equal work for every failure, one message, limits that count failures."""

import re

import pytest
from sqlalchemy import select

from lms import accounts, models
from lms.extensions import db
from lms.models import ActivationCode, AuditEvent, Role, User
from tests.conftest import TEST_PASSWORD, login, make_user


def limited(make_app, **settings):
    """Return a test client of an app with rate limits on, in a fresh in-memory store."""
    return make_app(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True, **settings).test_client()


def from_address(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def wrong_login(client, identifier, address="10.1.1.1"):
    return client.post("/masuk", data={"identifier": identifier, "password": "salah-sekali"}, **from_address(address))


@pytest.fixture
def hash_checks(monkeypatch):
    """Count every password-hash verification, real or dummy."""
    calls = []
    real = models.check_password_hash

    def counting(stored_hash, password):
        calls.append(stored_hash)
        return real(stored_hash, password)

    monkeypatch.setattr(models, "check_password_hash", counting)
    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return calls


# --- Timing and wording ------------------------------------------------------------------


def test_every_failed_login_verifies_exactly_one_hash_of_the_same_method(client, hash_checks):
    known = make_user(phone="081234560001")
    unactivated = make_user(phone="081234560002", password=None)
    for identifier in (known.phone, "081299990000", unactivated.phone):
        hash_checks.clear()
        page = client.post("/masuk", data={"identifier": identifier, "password": "salah-sekali"})
        assert len(hash_checks) == 1, identifier
        assert hash_checks[0].startswith("pbkdf2:sha256:1000$")  # same method and cost as real hashes
        assert "Nomor HP/email atau kata sandi salah." in page.get_data(as_text=True)
        assert "belum diaktifkan" not in page.get_data(as_text=True)


def test_unknown_unactivated_and_wrong_password_get_identical_pages(client):
    known = make_user(phone="081234560001")
    unactivated = make_user(phone="081234560002", password=None)
    pages = []
    for identifier in (known.phone, "+6281299990000", unactivated.phone):
        page = client.post("/masuk", data={"identifier": identifier, "password": "salah-sekali"}).get_data(as_text=True)
        # The CSRF token is signed with the time: pages a second apart differ there, and only there.
        pages.append(re.sub(r'name="csrf_token" value="[^"]*"', "", page.replace(f'value="{identifier}"', "")))
    assert pages[0] == pages[1] == pages[2]


# --- Lockout -------------------------------------------------------------------------------


def test_account_and_address_limit_locks_only_the_guesser(make_app, app):
    client = limited(make_app, LOGIN_RATE_LIMIT="3 per minute", SUPPORT_WHATSAPP="0811 6000 123")
    user = make_user()
    assert [wrong_login(client, user.phone).status_code for _ in range(3)] == [200] * 3
    locked = client.post("/masuk", data={"identifier": user.phone, "password": TEST_PASSWORD},
                         **from_address("10.1.1.1"))
    page = locked.get_data(as_text=True)
    assert locked.status_code == 429 and 1 <= int(locked.headers["Retry-After"]) <= 60
    assert "Coba lagi dalam 1 menit." in page
    assert "https://wa.me/628116000123" in page and "mentor" in page
    # The owner on another connection still gets in with the right password.
    owner = client.application.test_client()
    assert owner.post("/masuk", data={"identifier": user.phone, "password": TEST_PASSWORD},
                      **from_address("10.2.2.2")).status_code == 302


def test_lockout_page_in_english(make_app, app):
    client = limited(make_app, LOGIN_RATE_LIMIT="1 per minute")
    client.post("/bahasa", data={"lang": "en"})
    user = make_user()
    wrong_login(client, user.phone)
    page = wrong_login(client, user.phone).get_data(as_text=True)
    assert "Try again in 1 minute." in page


def test_account_wide_limit_holds_across_addresses(make_app, app):
    client = limited(make_app, LOGIN_RATE_LIMIT="10 per minute", LOGIN_RATE_LIMIT_PER_ACCOUNT="4 per hour")
    user = make_user()
    statuses = [wrong_login(client, user.phone, address=f"10.0.0.{n}").status_code for n in range(4)]
    assert statuses == [200] * 4
    locked = client.post("/masuk", data={"identifier": user.phone, "password": TEST_PASSWORD},
                         **from_address("10.9.9.9"))
    assert locked.status_code == 429
    assert "Coba lagi dalam 60 menit." in locked.get_data(as_text=True)


def test_successful_logins_do_not_use_up_the_limit(make_app, app):
    client = limited(make_app, LOGIN_RATE_LIMIT="2 per minute", LOGIN_RATE_LIMIT_PER_ACCOUNT="2 per hour")
    user = make_user()
    for _ in range(5):
        assert login(client, user).status_code == 302
        client.post("/keluar")


def test_empty_or_malformed_input_does_not_count(make_app, app):
    client = limited(make_app, LOGIN_RATE_LIMIT="1 per minute")
    user = make_user()
    for _ in range(3):
        client.post("/masuk", data={"identifier": user.phone, "password": ""})
        client.post("/masuk", data={"identifier": "0812-34", "password": "x"})
    assert login(client, user).status_code == 302


# --- Password spraying ---------------------------------------------------------------------


def test_one_address_failing_on_many_accounts_is_slowed_and_reported(make_app, app):
    client = limited(make_app, LOGIN_FAILED_ACCOUNTS_PER_IP="5 per 10 minutes")
    victims = [make_user() for _ in range(6)]
    assert [wrong_login(client, v.phone, "10.6.6.6").status_code for v in victims[:5]] == [200] * 5
    blocked = client.post("/masuk", data={"identifier": victims[5].phone, "password": TEST_PASSWORD},
                          **from_address("10.6.6.6"))
    assert blocked.status_code == 429
    assert "Coba lagi dalam 10 menit." in blocked.get_data(as_text=True)
    db.session.rollback()  # end this test's read snapshot: the other app wrote through its own session
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login.spraying_blocked")).all()
    assert [(e.object_type, e.object_id) for e in events] == [("ClientAddress", "10.6.6.6")]
    # Another address (another classroom) is not affected.
    assert login_from(client, victims[5], "10.7.7.7").status_code == 302


def test_repeated_failures_on_one_account_count_once_towards_spraying(make_app, app):
    client = limited(make_app, LOGIN_FAILED_ACCOUNTS_PER_IP="2 per 10 minutes", LOGIN_RATE_LIMIT="50 per minute")
    forgetful, other = make_user(), make_user()
    for _ in range(6):
        assert wrong_login(client, forgetful.phone).status_code == 200
    assert login_from(client, other, "10.1.1.1").status_code == 302


def login_from(client, user, address):
    fresh = client.application.test_client()
    return fresh.post("/masuk", data={"identifier": user.phone, "password": TEST_PASSWORD}, **from_address(address))


def test_a_bootcamp_classroom_on_one_address_all_log_in(make_app, app):
    client = limited(make_app)  # the production limits
    participants = [make_user() for _ in range(40)]
    for participant in participants[:5]:  # a few mistype first, as people do
        assert wrong_login(client, participant.phone, "10.40.0.1").status_code == 200
    statuses = [login_from(client, p, "10.40.0.1").status_code for p in participants]
    assert statuses == [302] * 40


# --- Activation codes -----------------------------------------------------------------------


def new_account_with_code():
    user = make_user(password=None)
    issued = accounts.issue_activation_code(user, created_by=None)
    db.session.commit()
    return user, issued


def activation_form(user, code, password=TEST_PASSWORD):
    return {"phone": user.phone, "code": code, "password": password, "confirm": password}


def test_wrong_codes_cancel_the_live_code_and_staff_see_it(client, app):
    user, issued = new_account_with_code()
    for n in range(5):
        page = client.post("/aktivasi", data=activation_form(user, f"AAAA-AAA{'BCDEF'[n]}")).get_data(as_text=True)
        assert "Nomor HP atau kode aktivasi salah" in page
    row = db.session.scalar(select(ActivationCode).where(ActivationCode.user_id == user.id))
    assert row.failed_attempts == 5
    # The right code no longer works: it was cancelled at the cap.
    refused = client.post("/aktivasi", data=activation_form(user, issued.display))
    assert refused.status_code == 200 and db.session.get(User, user.id).password_hash is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.activation_code_locked"))
    assert (event.object_type, event.object_id) == ("User", str(user.id))
    staff = make_user(Role.STAFF)
    login(client, staff)
    audit_page = client.get("/staf/audit").get_data(as_text=True)
    assert "Kode aktivasi dibatalkan: terlalu banyak kode salah untuk akun ini" in audit_page


def test_a_fresh_code_after_cancellation_works(client, app):
    user, _issued = new_account_with_code()
    for _ in range(5):
        client.post("/aktivasi", data=activation_form(user, "AAAA-AAAA"))
    fresh = accounts.issue_activation_code(db.session.get(User, user.id), created_by=None)
    db.session.commit()
    assert client.post("/aktivasi", data=activation_form(user, fresh.display)).status_code == 302


def test_another_accounts_code_is_refused_and_counts_as_wrong(client, app):
    user, _issued = new_account_with_code()
    other, other_issued = new_account_with_code()
    page = client.post("/aktivasi", data=activation_form(user, other_issued.display)).get_data(as_text=True)
    assert "Nomor HP atau kode aktivasi salah" in page
    assert db.session.get(User, other.id).password_hash is None and db.session.get(User, user.id).password_hash is None
    assert db.session.scalar(select(ActivationCode.failed_attempts).where(ActivationCode.user_id == user.id)) == 1


@pytest.mark.parametrize("typed_phone", ["081299990000", "0812-34", "bukan nomor"])
def test_unknown_or_bad_phone_gets_the_same_message(client, typed_phone):
    _user, issued = new_account_with_code()
    form = {"phone": typed_phone, "code": issued.display, "password": "pertama-123", "confirm": "pertama-123"}
    page = client.post("/aktivasi", data=form).get_data(as_text=True)
    assert "Nomor HP atau kode aktivasi salah, sudah dipakai, atau sudah kedaluwarsa." in page
    assert f'value="{typed_phone}"' in page


def test_wrong_activations_from_one_address_are_slowed(make_app, app):
    client = limited(make_app, ACTIVATION_FAILURES_PER_IP="3 per 10 minutes")
    user, issued = new_account_with_code()
    for _ in range(3):
        client.post("/aktivasi", data=activation_form(make_user(password=None), "AAAA-AAAA"))
    blocked = client.post("/aktivasi", data=activation_form(user, issued.display))
    assert blocked.status_code == 429 and "Coba lagi dalam 10 menit." in blocked.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(User, user.id).password_hash is None
