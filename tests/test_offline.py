"""Offline-first (issue #16): worker, manifest, what may be kept, tokens, data saver, queued quiz submits."""

import base64
import hashlib
import json
import re
import struct
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import AuditEvent, QuizAnswer, QuizAttempt, utcnow
from lms.offline import versions
from lms.quiz.versions import quiz_for_version
from lms.security import STYLESHEET
from tests.conftest import login
from tests.test_quiz import COURSE, all_right, form_for, refreshed, start

KEY = "k" * 32


@pytest.fixture
def participant_client(client, world):
    login(client, world["participant"])
    return client


def test_worker_is_served_from_the_root_with_its_headers(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    assert f'"{versions.app_version()}-{versions.content_version()}"' in body
    assert "/offline" in body and "X-Offline-Cache" in body


def test_worker_version_follows_the_content_version(client, monkeypatch):
    before = client.get("/sw.js").get_data(as_text=True)
    monkeypatch.setattr("lms.offline.versions.content_version", lambda: "isi-baru")
    after = client.get("/sw.js").get_data(as_text=True)
    assert before != after and "-isi-baru" in after


def test_app_version_covers_templates_and_python_not_only_static_files(app, monkeypatch, tmp_path):
    with app.app_context():
        before = versions.app_version()
        app.extensions["lms_offline"].pop("app")
        assert versions.app_version() == before  # the same files, the same version
        package = tmp_path / "lms"
        (package / "templates").mkdir(parents=True)
        (package / "templates" / "page.html").write_text("<p>satu</p>")
        (package / "views.py").write_text("x = 1\n")
        monkeypatch.setattr(versions, "PACKAGE_ROOT", package)
        seen = set()
        for path, text in ((None, None), ("templates/page.html", "<p>dua</p>"), ("views.py", "x = 2\n")):
            if path:
                (package / path).write_text(text)
            app.extensions["lms_offline"].pop("app", None)
            seen.add(versions.app_version())
        assert len(seen) == 3


def test_every_page_names_its_version_and_only_module_pages_may_be_served_first_from_the_phone(
        participant_client, monkeypatch):
    module = f"/belajar/{COURSE}/orientasi"
    current = participant_client.get("/sw.js").get_data(as_text=True)
    for url in ("/", f"/belajar/{COURSE}", module):
        response = participant_client.get(url)
        version = response.headers["X-Lms-Version"]
        assert f'var VERSION = "{version}";' in current
        assert (response.headers.get("X-Offline-Swr") == "1") == (url == module), url
    monkeypatch.setattr("lms.offline.versions.content_version", lambda: "isi-baru")
    assert participant_client.get(module).headers["X-Lms-Version"].endswith("-isi-baru")


def test_module_page_with_a_flashed_message_is_kept_but_not_served_first(participant_client):
    module = f"/belajar/{COURSE}/orientasi"
    response = participant_client.get(module)
    token = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)
    answer = participant_client.post("/akun/hemat-data", data={"csrf_token": token, "data_saver": "0", "next": module},
                                     follow_redirects=True)
    assert answer.request.path == module and "Mode hemat data mati" in answer.get_data(as_text=True)
    assert answer.headers.get("X-Offline-Cache") == "1" and "X-Offline-Swr" not in answer.headers
    assert participant_client.get(module).headers.get("X-Offline-Swr") == "1"  # the message was for one view


def test_manifest_names_the_app_in_indonesian_with_both_icons(client):
    manifest = json.loads(client.get("/manifest.webmanifest").data)
    assert manifest["lang"] == "id" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["theme_color"].startswith("#")
    assert "UMKM" in manifest["name"]
    for icon in manifest["icons"]:
        png = client.get(icon["src"])
        assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png.data[16:24])
        assert f"{width}x{height}" == icon["sizes"]
        png.close()
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_inline_stylesheet_is_allowed_by_its_hash_only(participant_client):
    response = participant_client.get("/")
    html = response.get_data(as_text=True)
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    csp = response.headers["Content-Security-Policy"]
    assert f"style-src 'self' 'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp and "worker-src 'self'" in csp
    assert 'rel="stylesheet"' not in html  # no second round trip for the stylesheet


def test_the_inline_stylesheet_drops_the_comments_and_keeps_every_rule(participant_client):
    """Every page carries the inline text, so the developers' notes stay in style.css only."""
    html = participant_client.get("/").get_data(as_text=True)
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    source = STYLESHEET.read_text(encoding="utf-8")
    assert "/*" in source and "/*" not in css and "*/" not in css
    assert css.count("{") == source.count("{") and css.count("}") == source.count("}")
    assert ".prose>:nth-child(n+5):not(:has(img)){content-visibility:auto" in css  # images load ahead as usual


def test_static_files_have_versioned_urls_and_long_lifetimes(participant_client):
    html = participant_client.get("/").get_data(as_text=True)
    url = re.search(r'src="(/static/offline\.js\?v=[0-9a-f]+)"', html).group(1)
    response = participant_client.get(url)
    assert "max-age=31536000" in response.headers["Cache-Control"] and "immutable" in response.headers["Cache-Control"]
    response.close()
    unversioned = participant_client.get("/static/offline.js")
    assert "immutable" not in unversioned.headers.get("Cache-Control", "")
    unversioned.close()


def test_only_a_participants_own_learning_pages_may_be_kept(app, world):
    pages = ["/", f"/belajar/{COURSE}", f"/belajar/{COURSE}/orientasi", f"/belajar/{COURSE}/penganggaran-iklan/kuis"]
    for role in ("participant", "mentor", "staff"):
        client = app.test_client()
        login(client, world[role])
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            assert (response.headers.get("X-Offline-Cache") == "1") == (role == "participant"), (role, url)
    staff = app.test_client()
    login(staff, world["staff"])
    assert "X-Offline-Cache" not in staff.get("/staf/pengguna").headers
    assert "X-Offline-Cache" not in app.test_client().get("/masuk").headers


def test_worker_never_handles_staff_or_mentor_pages(client):
    body = client.get("/sw.js").get_data(as_text=True)
    assert r"/^\/(staf|mentor)(\/|$)/" in body
    # ... except the bootcamp's offline check-in desk, which must open again at a venue without signal.
    assert r"var KEPT_STAFF_PAGE = /^\/staf\/kohort\/\d+\/sesi\/\d+\/offline$/;" in body


def test_uid_cookie_names_the_signed_in_user_and_goes_at_logout(client, world):
    login(client, world["participant"])
    client.get("/")
    assert client.get_cookie("lms_uid").value == str(world["participant"].id)
    client.post("/keluar")
    client.get("/masuk")
    assert client.get_cookie("lms_uid") is None


def test_token_is_fresh_for_a_live_session_and_401_after_it(client, world):
    assert client.get("/offline/token").status_code == 401
    login(client, world["participant"])
    reply = client.get("/offline/token").get_json()
    assert reply["status"] == "ok" and reply["csrf_token"] and reply["user_id"] == world["participant"].id


def test_course_bundle_lists_pages_and_images_under_one_megabyte(participant_client):
    bundle = participant_client.get(f"/belajar/{COURSE}/offline.json").get_json()
    urls = [item["url"] for item in bundle["pages"]]
    assert f"/belajar/{COURSE}/orientasi" in urls and bundle["images"]
    assert bundle["total_bytes"] < 1024 * 1024
    for item in bundle["pages"][:3] + bundle["images"][:3]:
        response = participant_client.get(item["url"])
        assert response.status_code == 200
        response.close()


def test_course_bundle_is_404_for_a_course_not_theirs(participant_client):
    assert participant_client.get("/belajar/kursus-lain/offline.json").status_code == 404


def test_data_saver_shows_images_only_on_tap(participant_client, world):
    module = f"/belajar/{COURSE}/orientasi"
    assert re.search(r'<img[^>]*\ssrc="/modul/', participant_client.get(module).get_data(as_text=True))
    response = participant_client.post("/akun/hemat-data", data={"data_saver": "1", "next": module})
    assert response.status_code == 302 and response.headers["Location"] == module
    html = participant_client.get(module).get_data(as_text=True)
    assert not re.search(r'<img[^>]*\ssrc="/modul/', html)
    assert 'data-image="/modul/orientasi/gambar/' in html and "Tampilkan gambar" in html
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "offline.data_saver")) == 1
    participant_client.post("/akun/hemat-data", data={"data_saver": "0"})
    assert re.search(r'<img[^>]*\ssrc="/modul/', participant_client.get(module).get_data(as_text=True))


def test_data_saver_refuses_a_foreign_next(participant_client):
    response = participant_client.post("/akun/hemat-data", data={"data_saver": "1", "next": "//evil.example"})
    assert response.headers["Location"] == "/"


# --- queued quiz submits -------------------------------------------------------


def queued(quiz, answers, seq, key=KEY):
    return {**form_for(quiz, answers, seq), "confirm": "1", "idempotency_key": key}


def test_queued_submit_sent_twice_grades_once_with_the_same_result(participant_client):
    attempt = start(participant_client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    data = queued(quiz, all_right(quiz), 5)
    first = participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=data)
    again = participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=data)
    assert first.status_code == again.status_code == 302
    attempt = refreshed(attempt)
    assert attempt.score == 100 and attempt.submit_key == KEY
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == len(quiz.questions)
    assert attempt.late_answers is None


def test_replayed_key_with_other_answers_is_refused_and_changes_nothing(participant_client):
    attempt = start(participant_client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=queued(quiz, all_right(quiz), 5))
    other = {**all_right(quiz), "istilah-cpm": "CPC"}
    response = participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=queued(quiz, other, 6))
    assert response.status_code == 400
    assert "kunci kiriman" in response.get_data(as_text=True)
    attempt = refreshed(attempt)
    assert attempt.score == 100 and attempt.late_answers is None


def test_queued_submit_under_an_older_number_with_the_stored_answers_is_graded(participant_client):
    # The last autosave reached the server as the page went away, before the phone noted its number.
    attempt = start(participant_client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    participant_client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=form_for(quiz, all_right(quiz), 7))
    response = participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=queued(quiz, all_right(quiz), 7))
    assert response.status_code == 302
    attempt = refreshed(attempt)
    assert attempt.score == 100 and attempt.draft_seq == 7 and attempt.submit_key == KEY


def test_queued_submit_under_an_older_number_with_other_answers_is_refused(participant_client):
    attempt = start(participant_client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    participant_client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=form_for(quiz, all_right(quiz), 7))
    other = {**all_right(quiz), "istilah-cpm": "CPC"}
    response = participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=queued(quiz, other, 6))
    assert response.status_code == 409
    attempt = refreshed(attempt)
    assert attempt.submitted_at is None and attempt.draft_answers["istilah-cpm"] != "CPC"


def test_queued_submit_for_a_foreign_attempt_is_404(client, world):
    login(client, world["other_participant"])
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    client.post("/keluar")
    login(client, world["participant"])
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=queued(quiz, all_right(quiz), 5))
    assert response.status_code == 404
    assert refreshed(attempt).submitted_at is None


def test_queued_submit_with_a_foreign_question_is_refused(participant_client):
    attempt = start(participant_client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    data = {**queued(quiz, all_right(quiz), 5), "shown": ["soal-lain"], "q-soal-lain": "x"}
    response = participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=data)
    assert response.status_code == 400
    attempt = refreshed(attempt)
    assert attempt.submitted_at is None and attempt.draft_seq == 0


@pytest.mark.parametrize("key", ["pendek", "x" * 65, "kunci dengan spasi!!"])
def test_malformed_idempotency_key_is_refused(participant_client, key):
    attempt = start(participant_client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    data = queued(quiz, all_right(quiz), 5, key)
    response = participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=data)
    assert response.status_code == 400
    assert refreshed(attempt).submitted_at is None


def test_answers_from_the_phone_count_within_the_grace_period(participant_client, app):
    attempt = start(participant_client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    attempt.deadline_at = utcnow() - timedelta(minutes=app.config["OFFLINE_QUIZ_GRACE_MINUTES"] - 1)
    db.session.commit()
    participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=queued(quiz, all_right(quiz), 5))
    attempt = refreshed(attempt)
    assert attempt.score == 100 and attempt.late_answers is None


def test_answers_after_the_grace_period_are_kept_and_shown_but_not_graded(participant_client, app, world):
    attempt = start(participant_client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    attempt.deadline_at = utcnow() - timedelta(minutes=app.config["OFFLINE_QUIZ_GRACE_MINUTES"] + 1)
    db.session.commit()
    participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=queued(quiz, all_right(quiz), 5))
    attempt = refreshed(attempt)
    assert attempt.auto_submitted and attempt.score == 0
    assert attempt.late_answers["istilah-cpm"] == "CPM" and attempt.late_received_at is not None
    page = participant_client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    assert "Jawaban yang terlambat" in page and "CPM" in page
    staff = app.test_client()
    login(staff, world["staff"])
    assert "Jawaban yang terlambat" in staff.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)


def test_late_answers_for_an_attempt_already_graded_are_kept(participant_client, app):
    attempt = start(participant_client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data={"seq": "1", "confirm": "1"})
    participant_client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=queued(quiz, all_right(quiz), 5))
    attempt = refreshed(attempt)
    assert attempt.score == 0 and attempt.late_answers["istilah-cpm"] == "CPM"


def test_grace_period_is_set_per_course(app):
    from lms.quiz.operations import grace_for

    app.config["OFFLINE_QUIZ_GRACE_BY_COURSE"] = {COURSE: 30}
    assert grace_for(COURSE) == timedelta(minutes=30)
    assert grace_for("kursus-lain") == timedelta(minutes=app.config["OFFLINE_QUIZ_GRACE_MINUTES"])


def test_demo_turns_data_saver_on_for_one_participant_and_can_run_again(app):
    from lms.offline import demo
    from tests.conftest import make_user

    user = make_user(phone="081200000018")
    for _ in range(2):
        demo.seed_demo(None)
        db.session.commit()
    assert db.session.get(type(user), user.id).data_saver
