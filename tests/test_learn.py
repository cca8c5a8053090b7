"""Course and module pages, reading progress, images, and content publishing."""

import gzip
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from lms import PROJECT_ROOT
from lms.content import render
from lms.extensions import db
from lms.models import ModuleRead, PublishedModule
from tests.conftest import enroll_participant, login, make_cohort, make_user, shipped_module_ids

MODULE_PAGE_BUDGET = 14 * 1024  # one first round trip on a slow network
DEFERRED_SCRIPT_BUDGET = 2 * 1024  # enhancement scripts after first paint (offline.js today)
# The shipped course's modules, in order (read from the manifest so adding a module needs no test edits).
COURSE_MODULES = shipped_module_ids()


def test_course_page_lists_modules_with_progress(client, world):
    login(client, world["participant"])
    page = client.get("/belajar/ftd-umkm").get_data(as_text=True)
    assert "Penganggaran Iklan" in page
    assert page.count("Belum dibaca") == len(COURSE_MODULES)


def test_module_page_has_toc_time_and_neighbours(client, world):
    login(client, world["participant"])
    page = client.get("/belajar/ftd-umkm/pembuatan-konten").get_data(as_text=True)
    assert "Daftar isi" in page and 'href="#' in page
    assert "Perkiraan waktu baca" in page
    assert 'rel="prev" href="/belajar/ftd-umkm/orientasi"' in page
    assert 'rel="next" href="/belajar/ftd-umkm/homepage-web-usaha"' in page


def test_mark_read_is_recorded_once_and_goes_to_the_quiz(client, world):
    login(client, world["participant"])
    first = client.post("/belajar/ftd-umkm/orientasi/selesai")
    again = client.post("/belajar/ftd-umkm/orientasi/selesai")
    assert first.headers["Location"] == again.headers["Location"] == "/belajar/ftd-umkm/orientasi/kuis"
    rows = db.session.scalars(select(ModuleRead).where(ModuleRead.user_id == world["participant"].id)).all()
    assert [row.module_id for row in rows] == ["orientasi"]
    assert "Sudah dibaca" in client.get("/belajar/ftd-umkm").get_data(as_text=True)


def test_mark_read_is_post_only(client, world):
    login(client, world["participant"])
    assert client.get("/belajar/ftd-umkm/orientasi/selesai").status_code == 405


def test_unknown_module_or_course_is_404(client, world):
    login(client, world["participant"])
    assert client.get("/belajar/ftd-umkm/tidak-ada").status_code == 404
    assert client.get("/belajar/kursus-lain/orientasi").status_code == 404


@pytest.mark.parametrize("module_id", COURSE_MODULES)
def test_module_page_weighs_at_most_14_kb_gzipped(client, world, module_id):
    """The document, with its inline stylesheet, fits the first round trip; deferred scripts stay small.

    The 14 KB budget is what one round trip carries on a cold connection (TCP's initial
    window), so it binds the HTML that renders the page. Scripts are `defer`: they arrive
    after the text is on screen, only enhance it, and are served from the phone's cache
    afterwards, so they have their own small budget (docs/architecture.md, "Page weight").
    """
    login(client, world["participant"])
    html = client.get(f"/belajar/ftd-umkm/{module_id}").data
    assert b'rel="stylesheet"' not in html  # the stylesheet is inline: nothing else blocks the first paint
    document = len(gzip.compress(html, 9))
    scripts = 0
    for url in re.findall(rb'<script src="([^"]+)"', html):
        assert re.search(rb'<script src="' + re.escape(url) + rb'"[^>]*\bdefer\b', html), url
        asset = client.get(url.decode().replace("&amp;", "&"))
        assert asset.status_code == 200
        scripts += len(gzip.compress(asset.data, 9))
        asset.close()
    assert document <= MODULE_PAGE_BUDGET, f"{module_id}: the document is {document} bytes gzipped"
    assert scripts <= DEFERRED_SCRIPT_BUDGET, f"{module_id}: deferred scripts are {scripts} bytes gzipped"


def test_module_page_never_renders_markdown(client, world, monkeypatch):
    login(client, world["participant"])
    client.get("/belajar/ftd-umkm/orientasi")  # content is loaded (and rendered) once, here

    def fail(*_args, **_kwargs):
        raise AssertionError("Markdown rendered on a request")

    monkeypatch.setattr(render, "render_markdown", fail)
    monkeypatch.setattr(render, "render_block", fail)
    for module_id in ("orientasi", "landing-page", "penganggaran-iklan"):
        assert client.get(f"/belajar/ftd-umkm/{module_id}").status_code == 200


def test_images_are_served_with_size_and_cache_headers(client, world):
    login(client, world["participant"])
    page = client.get("/belajar/ftd-umkm/orientasi").get_data(as_text=True)
    assert 'src="/modul/orientasi/gambar/alur-bootcamp.png"' in page
    assert 'width="720"' in page and "height=" in page
    image = client.get("/modul/orientasi/gambar/alur-bootcamp.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert "max-age=604800" in image.headers["Cache-Control"]
    image.close()


@pytest.mark.parametrize(
    "path", ["/modul/orientasi/gambar/..%2Fmodule.md", "/modul/orientasi/gambar/module.md",
             "/modul/orientasi/gambar/%2E%2E%2F%2E%2E%2Fwsgi.py", "/modul/tidak-ada/gambar/a.png"]
)
def test_image_route_refuses_anything_but_measured_images(client, world, path):
    login(client, world["participant"])
    response = client.get(path)
    response.close()
    assert response.status_code == 404


@pytest.fixture
def content_copy(app, tmp_path):
    """A private copy of the content with a second course, used by the app under test."""
    root = tmp_path / "repo"
    shutil.copytree(PROJECT_ROOT / "content", root / "content")
    shutil.copytree(PROJECT_ROOT / "courses", root / "courses")
    (root / "courses" / "young-preneur.yaml").write_text(
        "judul: Young Preneur\ndeskripsi: Kursus lain.\nmodul:\n  - pembuatan-konten\n"
        "kelulusan:\n  nilai_lulus_kuis: 60\nsertifikat: kelulusan\n"
    )
    app.config["CONTENT_ROOT"] = str(root)
    app.extensions.pop("lms_content", None)
    return root


def test_participants_see_only_their_cohorts_courses(client, world, content_copy):
    login(client, world["participant"])
    assert client.get("/belajar/ftd-umkm/orientasi").status_code == 200
    assert client.get("/belajar/young-preneur").status_code == 404
    assert client.get("/belajar/young-preneur/pembuatan-konten").status_code == 404
    young = make_user(name="Peserta Muda")
    enroll_participant(young, make_cohort(slug="yp-2026", course_id="young-preneur"))
    other = client.application.test_client()
    login(other, young)
    assert other.get("/belajar/young-preneur/pembuatan-konten").status_code == 200
    assert other.get("/belajar/ftd-umkm/orientasi").status_code == 404


def test_mentors_and_staff_read_every_course(app, world, content_copy):
    for role in ("mentor", "other_mentor", "staff"):
        client = app.test_client()
        login(client, world[role])
        assert client.get("/belajar/young-preneur/pembuatan-konten").status_code == 200


def article(page: str) -> str:
    return page[page.index("<article"):page.index("</article>")]


def test_broken_module_keeps_last_good_version_and_staff_see_why(app, world, content_copy, monkeypatch):
    monkeypatch.setattr("lms.learn.store.RECHECK_SECONDS", 0)
    client = app.test_client()
    login(client, world["participant"])
    good = client.get("/belajar/ftd-umkm/pembuatan-konten").get_data(as_text=True)
    assert db.session.scalar(select(PublishedModule.id).where(PublishedModule.module_id == "pembuatan-konten"))
    module_md = Path(content_copy) / "content" / "pembuatan-konten" / "module.md"
    module_md.write_text(module_md.read_text().replace("judul:", "judul: [rusak", 1))
    still = client.get("/belajar/ftd-umkm/pembuatan-konten")
    assert still.status_code == 200
    assert article(still.get_data(as_text=True)) == article(good)
    staff = app.test_client()
    login(staff, world["staff"])
    report = staff.get("/staf/konten").get_data(as_text=True)
    assert "content/pembuatan-konten/module.md:2:" in report
    assert "versi lama" in report


def test_content_check_command_passes_on_shipped_content(runner):
    result = runner.invoke(args=["lms", "content", "check"])
    assert result.exit_code == 0, result.output
    assert f"Konten OK: 1 kursus, {len(COURSE_MODULES)} modul, 1 survei" in result.output


def test_content_check_command_reports_path_and_line(runner, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(PROJECT_ROOT / "content", root / "content")
    shutil.copytree(PROJECT_ROOT / "courses", root / "courses")
    quiz = root / "content" / "landing-page" / "quiz.md"
    quiz.write_text(quiz.read_text().replace("- [x]", "- [ ]", 1))
    result = runner.invoke(args=["lms", "content", "check", "--root", str(root)])
    assert result.exit_code == 1
    assert "content/landing-page/quiz.md:" in result.output


def test_staff_content_page_counts_words_questions_and_criteria(client, world):
    login(client, world["staff"])
    page = client.get("/staf/konten").get_data(as_text=True)
    assert "Semua konten lolos pemeriksaan." in page
    assert page.count("<code>") >= 7


def test_participant_home_shows_course_progress(client, world):
    login(client, world["participant"])
    client.post("/belajar/ftd-umkm/orientasi/selesai")
    page = client.get("/").get_data(as_text=True)
    assert "Fast Track Digitalisasi UMKM" in page and "Lanjut belajar" in page


def test_mentor_cannot_mark_modules_read(app, world):
    client = app.test_client()
    login(client, world["mentor"])
    assert client.post("/belajar/ftd-umkm/orientasi/selesai").status_code == 403
    assert db.session.scalar(select(ModuleRead.id)) is None


def test_mark_read_without_a_quiz_goes_to_the_next_module_then_the_course(client, world, content_copy):
    for module_id in ("orientasi", COURSE_MODULES[-1]):
        (Path(content_copy) / "content" / module_id / "quiz.md").unlink()
    login(client, world["participant"])
    first = client.post("/belajar/ftd-umkm/orientasi/selesai")
    assert first.headers["Location"] == "/belajar/ftd-umkm/pembuatan-konten"
    last = client.post(f"/belajar/ftd-umkm/{COURSE_MODULES[-1]}/selesai")
    assert last.headers["Location"] == "/belajar/ftd-umkm"
