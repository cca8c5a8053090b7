"""Headers, cookies, CSRF, rate limits, error pages and the secret-key rule."""

import pytest

from lms import create_app
from tests.conftest import TEST_PASSWORD, login, make_user


def test_security_headers_on_every_page(client):
    response = client.get("/masuk")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_flags(client):
    user = make_user()
    cookie = login(client, user).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client):
    user = make_user()
    response = client.post("/masuk", data={"identifier": user.phone, "password": TEST_PASSWORD},
                           base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


def test_post_without_csrf_token_is_refused(make_app, app):
    user = make_user()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/masuk", data={"identifier": user.phone, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.get_data(as_text=True)


def test_login_is_rate_limited_per_account(make_app, app):
    limited = make_app(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    user = make_user()
    client = limited.test_client()
    statuses = [client.post("/masuk", data={"identifier": user.phone, "password": "salah"}).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Terlalu banyak percobaan" in client.post("/masuk", data={"identifier": user.phone}).get_data(as_text=True)
    other = make_user()  # another account on the same connection is not locked out
    assert client.post("/masuk", data={"identifier": other.phone, "password": TEST_PASSWORD}).status_code == 302


def test_friendly_404_in_indonesian(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_oversized_request_gets_the_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/masuk", data={"identifier": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)


def test_english_switch(client):
    client.post("/bahasa", data={"lang": "en", "next": "/masuk"})
    page = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in" in page


def test_missing_secret_key_stops_startup(monkeypatch, tmp_path):
    monkeypatch.delenv("LMS_SECRET_KEY", raising=False)
    monkeypatch.setenv("LMS_PUBLIC_URL", "https://lms.example.go.id")
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="LMS_SECRET_KEY"):
        create_app()


def test_environment_overrides_instance_config(monkeypatch, tmp_path):
    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-instance'\nMAX_UPLOAD_MB = 3\n")
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("LMS_MAX_UPLOAD_MB", "7")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/lms")
    monkeypatch.setenv("LMS_PUBLIC_URL", "https://lms.example.go.id")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["MAX_UPLOAD_MB"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/lms"
