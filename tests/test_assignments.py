"""Submitting assignment work: versions, exactly-once, file checks, links, downloads."""

import hashlib
import io
import itertools
import os
import secrets

import pytest
from flask import current_app
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import EnvironBuilder

from lms.assignments import operations, rules, uploads
from lms.assignments.demo import demo_pdf, demo_png
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import AuditEvent, Notification, OutboxMessage, Submission, SubmissionFile, SubmissionKeptFile
from tests.conftest import enroll_participant, login, make_cohort
from tests.conftest import make_user as _make_user

ORIENTASI = "/belajar/ftd-umkm/orientasi/tugas"  # accepts text and files
KONTEN = "/belajar/ftd-umkm/pembuatan-konten/tugas"  # accepts files, link and text

_numbers = itertools.count(1)


def person(*args, **kwargs):
    """Make a user with a phone number of this file's own series.

    tests.conftest is loaded twice (as "conftest" by pytest and as "tests.conftest" here),
    so its phone counter would repeat the numbers the `world` fixture already used.
    """
    return _make_user(*args, phone=f"0856{next(_numbers):08d}", **kwargs)


def token() -> str:
    return secrets.token_urlsafe(24)


def send(client, url=ORIENTASI, *, files=(), **fields):
    """Post the submission form as a browser would (multipart), with a fresh token unless given."""
    data = {"client_token": fields.pop("client_token", token()), **fields}
    if files:
        data["files"] = [(io.BytesIO(content), name) for name, content in files]
    # Large bodies are spooled to a temporary file by the test client; close it ourselves.
    environ = EnvironBuilder(path=url, method="POST", data=data, content_type="multipart/form-data").get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def stored_files() -> list[str]:
    root = uploads.upload_root()
    return sorted(os.listdir(root)) if root.exists() else []


def jpeg_bytes(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


# --- pure rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("https://Instagram.com/kopi.karo", "https://instagram.com/kopi.karo"),
        ("  HTTP://WA.ME/6281234567890 ", "http://wa.me/6281234567890"),
        ("tokoku.id", "https://tokoku.id/"),
        ("www.tokopedia.com/kopi?src=ig#atas", "https://www.tokopedia.com/kopi?src=ig#atas"),
        ("https://tokoku.id:8443/a", "https://tokoku.id:8443/a"),
    ],
)
def test_links_are_normalised(typed, normal):
    assert rules.normalize_link(typed) == normal


@pytest.mark.parametrize(
    "typed",
    ["javascript:alert(1)", "ftp://files.example.id/a", "data:text/html,hi", "https://", "http://localhost/",
     "https://user:pw@tokoku.id/", "https://toko ku.id", "mailto:a@b.id", "https://tokoku.id:99999/"],
)
def test_links_other_than_http_are_refused(typed):
    with pytest.raises(rules.LinkError):
        rules.normalize_link(typed)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", uploads.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", uploads.PNG),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", uploads.WEBP),
        (b"%PDF-1.7\n", uploads.PDF),
        (b"MZ\x90\x00", None),
        (b"<html><script>", None),
        (b"GIF89a", None),
    ],
)
def test_content_type_comes_from_the_bytes(head, kind):
    assert uploads.sniff_content_type(head) == kind


def test_block_reasons():
    assert rules.submission_block_reason(None) is None
    assert rules.submission_block_reason("needs_revision") is None
    assert "menunggu penilaian" in str(rules.submission_block_reason("submitted"))
    assert "sudah diterima" in str(rules.submission_block_reason("accepted"))
    assert rules.enrollment_block_reason("active") is None
    assert rules.enrollment_block_reason("selected") is not None


def test_display_names_never_carry_paths():
    assert uploads.display_name_for("../../etc/passwd.png", uploads.PNG) == "passwd.png"
    assert uploads.display_name_for("C:\\Users\\a\\foto.jpg", uploads.JPEG) == "foto.jpg"
    assert uploads.display_name_for("", uploads.PDF) == "berkas.pdf"


# --- submitting ------------------------------------------------------------------


def test_participant_submits_a_photo_and_text(client, world):
    login(client, world["participant"])
    png = demo_png()
    response = send(client, text="Usaha saya Bika Ambon.", files=[("../../rahasia.png", png)])
    assert response.status_code == 302
    submission = db.session.scalar(select(Submission))
    assert (submission.version_no, submission.status, submission.module_id) == (1, "submitted", "orientasi")
    assert submission.assignment_snapshot["criteria"]  # the rubric is frozen with the work
    stored = submission.files[0]
    assert stored.content_type == uploads.PNG and stored.display_name == "rahasia.png"
    assert stored.sha256 == hashlib.sha256(png).hexdigest() and stored.size == len(png)
    assert (stored.width, stored.height) == (320, 240)
    assert "rahasia" not in stored.stored_name and stored.thumbnail_name
    assert uploads.path_of(stored.stored_name).read_bytes() == png  # the original is kept as sent
    with Image.open(uploads.path_of(stored.thumbnail_name)) as thumb:
        assert thumb.format == "JPEG"
    assert not [name for name in stored_files() if name.startswith(".")]  # no temp files left
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "submission.create"))


def test_mentor_is_notified_of_a_new_submission(client, world):
    login(client, world["participant"])
    send(client, text="Perkenalan")
    notice = db.session.scalar(select(Notification).where(Notification.user_id == world["mentor"].id))
    assert notice.kind == "submission.new" and "Peserta Satu" in notice.message
    outbox = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient_id == world["mentor"].id))
    assert outbox.status == "logged"  # no SMTP in tests
    assert outbox.whatsapp_url.startswith("https://wa.me/62") and "text=" in outbox.whatsapp_url


def test_large_photos_are_downscaled_for_display_only(client, world):
    login(client, world["participant"])
    big = jpeg_bytes((2000, 1500))
    assert send(client, files=[("besar.jpg", big)]).status_code == 302
    stored = db.session.scalar(select(SubmissionFile))
    assert (stored.width, stored.height) == (2000, 1500)
    with Image.open(uploads.path_of(stored.thumbnail_name)) as thumb:
        assert max(thumb.size) <= 640
    assert uploads.path_of(stored.stored_name).read_bytes() == big


def test_pdf_and_webp_are_accepted(client, world):
    login(client, world["participant"])
    webp = io.BytesIO()
    Image.new("RGB", (50, 40), (10, 20, 30)).save(webp, "WEBP")
    assert send(client, files=[("rencana.pdf", demo_pdf()), ("foto.webp", webp.getvalue())]).status_code == 302
    kinds = sorted(f.content_type for f in db.session.scalars(select(SubmissionFile)))
    assert kinds == [uploads.PDF, uploads.WEBP]


def test_a_double_tap_saves_one_version(client, world):
    login(client, world["participant"])
    same = token()
    first = send(client, text="Perkenalan", client_token=same, files=[("a.png", demo_png())])
    second = send(client, text="Perkenalan", client_token=same, files=[("a.png", demo_png())])
    assert first.status_code == second.status_code == 302
    assert count(Submission) == 1 and count(SubmissionFile) == 1
    assert len([n for n in stored_files() if not n.endswith("-thumb.jpg")]) == 1  # the retry stored nothing
    assert "sudah tersimpan" in client.get(ORIENTASI).get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.png", b"MZ\x90\x00 this is a program", "Jenis berkas tidak didukung"),
        ("foto.gif", b"GIF89a\x01\x00\x01\x00", "Jenis berkas tidak didukung"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "Foto ini rusak"),
        ("dok.pdf", b"%PDF-1.4\nnot really a pdf", "PDF ini rusak"),
        ("kosong.png", b"", "Berkas kosong"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(client, world, name, content, message):
    login(client, world["participant"])
    response = send(client, text="Isi teks tetap ada", files=[("ok.png", demo_png()), (name, content)])
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert "Isi teks tetap ada" in page  # what was typed comes back
    assert count(Submission) == 0 and count(SubmissionFile) == 0
    assert stored_files() == []  # the good file sent with it was removed too


def test_a_png_named_jpg_is_stored_as_png(client, world):
    login(client, world["participant"])
    assert send(client, files=[("foto.jpg", demo_png())]).status_code == 302
    stored = db.session.scalar(select(SubmissionFile))
    assert stored.content_type == uploads.PNG and stored.stored_name.endswith(".png")


def test_a_file_over_the_limit_gets_a_clear_message(client, world):
    current_app.config["MAX_UPLOAD_MB"] = 1
    login(client, world["participant"])
    response = send(client, files=[("besar.jpg", jpeg_bytes() + b"\x00" * (1024 * 1024))])
    assert response.status_code == 200
    assert "Berkas &#34;besar.jpg&#34; terlalu besar. Batasnya 1 MB per berkas." in response.get_data(as_text=True)


def test_the_name_of_an_oversized_file_is_escaped(client, world):
    current_app.config["MAX_UPLOAD_MB"] = 1
    login(client, world["participant"])
    response = send(client, files=[("<b>x</b>.jpg", jpeg_bytes() + b"\x00" * (1024 * 1024))])
    page = response.get_data(as_text=True)
    assert "&lt;b&gt;x&lt;/b&gt;.jpg" in page and "<b>x</b>" not in page
    assert count(Submission) == 0 and stored_files() == []


def test_a_photo_well_over_the_limit_keeps_the_typed_text_and_link(client, world):
    current_app.config["MAX_UPLOAD_MB"] = 1  # the submission form's body may be up to 4 × 1 MB + 1 MB
    current_app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024  # what create_app sets for a 1 MB limit
    login(client, world["participant"])
    response = send(client, KONTEN, text="Caption promosi kopi", link_url="https://instagram.com/p/kopi",
                    files=[("hp.jpg", jpeg_bytes() + b"\x00" * (3 * 1024 * 1024))])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "terlalu besar. Batasnya 1 MB per berkas" in page and "Cara memperkecilnya" in page
    assert "Caption promosi kopi" in page and 'value="https://instagram.com/p/kopi"' in page
    assert count(Submission) == 0 and stored_files() == []


def test_a_request_over_the_cap_gets_the_friendly_413_page(client, world):
    current_app.config["MAX_UPLOAD_MB"] = 1  # the submission form's cap: 4 × 1 MB + 1 MB
    login(client, world["participant"])
    response = send(client, files=[("besar.jpg", b"\xff\xd8\xff" + b"\x00" * (6 * 1024 * 1024))])
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Berkas terlalu besar" in page and "batas 1 MB per berkas" in page
    assert f'href="{ORIENTASI}"' in page  # back to the form
    assert count(Submission) == 0


def test_a_link_that_is_not_http_is_refused(client, world):
    login(client, world["participant"])
    response = send(client, KONTEN, link_url="javascript:alert(1)", text="caption")
    assert response.status_code == 200
    assert "Hanya tautan yang diawali http:// atau https:// yang diterima." in response.get_data(as_text=True)
    assert count(Submission) == 0


def test_links_are_stored_normalised(client, world):
    login(client, world["participant"])
    assert send(client, KONTEN, link_url="Instagram.com/reel/abc").status_code == 302
    assert db.session.scalar(select(Submission.link_url)) == "https://instagram.com/reel/abc"


def test_an_empty_submission_is_refused(client, world):
    login(client, world["participant"])
    response = send(client, text="   ")
    assert response.status_code == 200
    assert "Kiriman masih kosong" in response.get_data(as_text=True)
    assert count(Submission) == 0


def test_a_form_without_its_token_is_refused(client, world):
    login(client, world["participant"])
    response = client.post(ORIENTASI, data={"text": "halo"})
    assert response.status_code == 200 and "Formulir kedaluwarsa" in response.get_data(as_text=True)
    assert count(Submission) == 0


def test_no_new_version_while_waiting_or_after_acceptance(client, world):
    login(client, world["participant"])
    send(client, text="versi 1")
    response = send(client, text="versi 2")
    assert response.status_code == 200
    assert "menunggu penilaian mentor" in response.get_data(as_text=True)
    assert count(Submission) == 1
    db.session.scalar(select(Submission)).status = "accepted"
    db.session.commit()
    response = send(client, text="versi 2")
    assert "sudah diterima mentor" in response.get_data(as_text=True) and count(Submission) == 1


def test_revision_makes_a_new_version_and_keeps_the_old_one(client, world):
    login(client, world["participant"])
    send(client, text="versi pertama", files=[("a.png", demo_png())])
    first = db.session.scalar(select(Submission))
    first.status = "needs_revision"
    db.session.commit()
    assert send(client, text="versi kedua").status_code == 302
    versions = db.session.scalars(select(Submission).order_by(Submission.version_no)).all()
    assert [(v.version_no, v.text, v.status) for v in versions] == [
        (1, "versi pertama", "needs_revision"), (2, "versi kedua", "submitted")]
    page = client.get(ORIENTASI).get_data(as_text=True)
    assert "versi pertama" in page and "versi kedua" in page and "Versi 2" in page
    assert client.get(f"/kiriman/{first.id}").status_code == 200


def test_only_active_participants_submit(client, world):
    other = person()
    enroll_participant(other, world["cohort"], status="selected")
    login(client, other)
    response = send(client, text="halo")
    assert response.status_code == 200 and "status Anda di kohort menjadi aktif" in response.get_data(as_text=True)
    assert count(Submission) == 0


def test_participants_outside_the_course_get_404(client, app):
    outsider = person()
    login(client, outsider)
    assert send(client, text="halo").status_code == 404
    assert client.get(ORIENTASI).status_code == 404


def test_unknown_module_or_assignment_is_404(client, world):
    login(client, world["participant"])
    assert client.get("/belajar/ftd-umkm/tidak-ada/tugas").status_code == 404
    assert client.get("/belajar/kursus-lain/orientasi/tugas").status_code == 404


def test_mentors_and_staff_read_the_assignment_but_cannot_submit(client, world):
    login(client, world["mentor"])
    page = client.get(ORIENTASI).get_data(as_text=True)
    assert "Rubrik penilaian" in page and "Kirim tugas" not in page
    assert send(client, text="halo").status_code == 403


def test_module_page_and_home_show_the_assignment_status(client, world):
    login(client, world["participant"])
    assert "Kerjakan tugas" in client.get("/belajar/ftd-umkm/orientasi").get_data(as_text=True)
    send(client, text="halo")
    assert "Tugas menunggu penilaian" in client.get("/belajar/ftd-umkm/orientasi").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "Tugas menunggu penilaian" in home and "Tugas belum dikirim" in home


# --- downloads -------------------------------------------------------------------


@pytest.fixture
def photo(client, world):
    """A waiting submission of `participant` with one photo; returns its file row."""
    login(client, world["participant"])
    send(client, text="foto", files=[("foto saya.png", demo_png())])
    client.post("/keluar")
    return db.session.scalar(select(SubmissionFile))


def test_downloads_are_attachments_with_nosniff(client, world, photo):
    login(client, world["participant"])
    response = client.get(f"/berkas/{photo.id}")
    assert response.status_code == 200 and response.data == demo_png()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.mimetype == "image/png" and "private" in response.headers["Cache-Control"]
    response.close()
    inline = client.get(f"/berkas/{photo.id}/kecil")
    assert inline.headers["Content-Disposition"] == "inline" and inline.mimetype == "image/jpeg"
    inline.close()


@pytest.mark.parametrize("who", ["other_participant", "other_mentor"])
@pytest.mark.parametrize("suffix", ["", "/lihat", "/kecil"])
def test_other_people_get_404_for_files(client, world, photo, who, suffix):
    login(client, world[who])
    assert client.get(f"/berkas/{photo.id}{suffix}").status_code == 404
    assert client.get(f"/kiriman/{photo.submission_id}").status_code == 404


def test_mentor_access_follows_the_allocation(client, world, photo):
    from lms.enrollments import allocate_mentor

    allocate_mentor(world["enrollment"], world["other_mentor"], assigned_by=world["staff"])
    db.session.commit()
    login(client, world["mentor"])
    assert client.get(f"/berkas/{photo.id}").status_code == 404
    client.post("/keluar")
    login(client, world["other_mentor"])
    response = client.get(f"/berkas/{photo.id}")
    assert response.status_code == 200
    response.close()


def test_a_missing_file_on_disk_is_404_not_500(client, world, photo):
    uploads.path_of(photo.stored_name).unlink()
    login(client, world["participant"])
    assert client.get(f"/berkas/{photo.id}").status_code == 404


def test_participant_in_another_cohort_cannot_see_submissions(client, world, photo):
    stranger = person()
    enroll_participant(stranger, make_cohort(slug="lain"))
    login(client, stranger)
    assert client.get(f"/berkas/{photo.id}").status_code == 404
    assert client.get(f"/kiriman/{photo.submission_id}").status_code == 404


def test_a_retry_that_races_the_first_send_stores_nothing(world, monkeypatch):
    from lms.assignments import operations
    from lms.learn.store import get_content

    module = get_content().modules["orientasi"]
    same = token()

    def sent():
        return operations.SubmissionInput(client_token=same, text="halo",
                                          files=[FileStorage(io.BytesIO(demo_png()), filename="a.png")])

    with current_app.test_request_context():
        first = operations.submit_work(world["participant"], world["enrollment"], module, sent()).submission
        first.status = "needs_revision"  # so only the token, checked again under the lock, stops the retry
        db.session.commit()
        files_before = stored_files()
        real = operations._by_token
        calls = []

        def miss_once(user, value):
            calls.append(value)
            return None if len(calls) == 1 else real(user, value)  # the first check ran before the other commit

        monkeypatch.setattr(operations, "_by_token", miss_once)
        again = operations.submit_work(world["participant"], world["enrollment"], module, sent())
    assert again.created is False and again.submission.id == first.id
    assert count(Submission) == 1 and stored_files() == files_before


def test_pdf_is_shown_inline_only_through_the_view_route(client, world):
    login(client, world["participant"])
    send(client, files=[("rencana.pdf", demo_pdf())])
    stored = db.session.scalar(select(SubmissionFile))
    inline = client.get(f"/berkas/{stored.id}/lihat")
    assert inline.mimetype == "application/pdf" and inline.headers["Content-Disposition"] == "inline"
    assert inline.headers["X-Content-Type-Options"] == "nosniff"
    inline.close()
    assert client.get(f"/berkas/{stored.id}/kecil").status_code == 404  # no thumbnail for a PDF
    download = client.get(f"/berkas/{stored.id}")
    assert download.headers["Content-Disposition"] == "attachment; filename=rencana.pdf"
    download.close()


def test_demo_seed_covers_every_state_and_is_idempotent(app, monkeypatch):
    from lms import seed
    from lms.assignments import demo
    from lms.models import Review, User
    from lms.phone import normalize_phone

    monkeypatch.setattr(seed, "AREA_SEEDS", [])  # only the base cohort; this test runs our seed itself
    cohort = seed.seed_demo()
    demo.seed_demo(cohort)
    db.session.commit()
    first = (count(Submission), count(Review), count(SubmissionFile))
    demo.seed_demo(cohort)
    db.session.commit()
    assert (count(Submission), count(Review), count(SubmissionFile)) == first
    statuses = set(db.session.scalars(select(Submission.status)))
    assert statuses == {"submitted", "needs_revision", "accepted", "withdrawn"}
    assert count(SubmissionKeptFile) >= 1  # a version 2 that kept a file of version 1
    assert db.session.scalar(select(func.count()).select_from(Review).where(Review.corrects_id.is_not(None))) >= 1
    assert db.session.scalar(select(func.max(Submission.version_no))) == 2  # resubmitted work
    assert db.session.scalar(select(func.count()).select_from(Review).where(Review.decision == "accepted")) >= 4
    owners = {db.session.get(User, uid).phone for uid in db.session.scalars(select(Submission.user_id))}
    untouched = {normalize_phone(seed.participant_phone(n)) for n in range(1, 5)}
    assert owners and not owners & untouched
    for stored in db.session.scalars(select(SubmissionFile)):
        assert uploads.path_of(stored.stored_name).is_file()


# --- photo metadata, thumbnails and download names (issue 13) -----------------------

GPS_IFD, MAKE, MODEL, ORIENTATION = 0x8825, 0x010F, 0x0110, 0x0112


def gps_jpeg(size=(1600, 1200), orientation=None) -> bytes:
    """A phone-like photo: noise (so it compresses like a photo), GPS, maker and model, XMP."""
    image = Image.effect_noise(size, 60).convert("RGB")
    exif = Image.Exif()
    exif[MAKE], exif[MODEL] = "Samsung", "SM-A515F"
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (3.0, 35.0, 12.5), "E", (98.0, 40.0, 1.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=92,
               xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>3,35N</exif:GPSLatitude></x:xmpmeta>')
    return out.getvalue()


def assert_no_location(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD) and MAKE not in exif and MODEL not in exif
        assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info
    assert b"GPSLatitude" not in data and b"Samsung" not in data and b"SM-A515F" not in data


def test_gps_exif_and_xmp_are_stripped_from_stored_and_served_photos(client, world):
    original = gps_jpeg()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(GPS_IFD)  # the test photo really carries a position
        original_pixels = image.convert("RGB").tobytes()
    login(client, world["participant"])
    assert send(client, files=[("rumah.jpg", original)]).status_code == 302
    stored = db.session.scalar(select(SubmissionFile))
    on_disk = uploads.path_of(stored.stored_name).read_bytes()
    assert_no_location(on_disk)
    assert stored.size == len(on_disk) and stored.sha256 == hashlib.sha256(on_disk).hexdigest()
    with Image.open(io.BytesIO(on_disk)) as image:
        assert image.convert("RGB").tobytes() == original_pixels  # stripped losslessly: the same pixels

    mentor = client.application.test_client()
    login(mentor, world["mentor"])
    download = mentor.get(f"/berkas/{stored.id}")
    assert download.status_code == 200
    assert_no_location(download.data)
    thumb = mentor.get(f"/berkas/{stored.id}/kecil")
    assert_no_location(thumb.data)
    with Image.open(io.BytesIO(thumb.data)) as image:
        assert max(image.size) <= 480
    assert len(thumb.data) < len(original) / 5
    download.close()
    thumb.close()


def test_orientation_is_kept_so_a_sideways_photo_still_shows_upright(client, world):
    login(client, world["participant"])
    assert send(client, files=[("tegak.jpg", gps_jpeg((400, 300), orientation=6))]).status_code == 302
    stored = db.session.scalar(select(SubmissionFile))
    with Image.open(uploads.path_of(stored.stored_name)) as image:
        assert dict(image.getexif()) == {ORIENTATION: 6}
    with Image.open(uploads.path_of(stored.thumbnail_name)) as thumb:
        assert thumb.size[1] > thumb.size[0]  # the thumbnail is turned upright


def test_png_and_webp_lose_their_metadata_too(client, world):
    from PIL import PngImagePlugin

    exif = Image.Exif()
    exif[MAKE], exif[MODEL] = "Samsung", "SM-A515F"
    picture = Image.effect_noise((120, 90), 50).convert("RGB")
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPSLatitude 3.58")
    png, webp = io.BytesIO(), io.BytesIO()
    picture.save(png, "PNG", pnginfo=info, exif=exif)
    picture.save(webp, "WEBP", exif=exif, xmp=b"<x>GPSLatitude</x>", lossless=True)
    login(client, world["participant"])
    assert send(client, files=[("a.png", png.getvalue()), ("b.webp", webp.getvalue())]).status_code == 302
    for stored in db.session.scalars(select(SubmissionFile)):
        data = uploads.path_of(stored.stored_name).read_bytes()
        assert_no_location(data)
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif() and image.convert("RGB").tobytes() == picture.tobytes()


def test_a_download_gets_the_extension_of_its_detected_type(client, world):
    login(client, world["participant"])
    assert send(client, files=[("laporan.html", jpeg_bytes()), ("rencana.exe", demo_pdf())]).status_code == 302
    names = {f.content_type: f for f in db.session.scalars(select(SubmissionFile))}
    assert names[uploads.JPEG].display_name == "laporan.jpg" and names[uploads.PDF].display_name == "rencana.pdf"
    response = client.get(f"/berkas/{names[uploads.JPEG].id}")
    assert 'filename=laporan.jpg' in response.headers["Content-Disposition"]
    response.close()


def test_names_stored_earlier_are_served_with_the_right_extension(client, world):
    login(client, world["participant"])
    assert send(client, files=[("foto.png", demo_png())]).status_code == 302
    stored = db.session.scalar(select(SubmissionFile))
    stored.display_name = "laporan.html"  # as rows from before this rule were saved
    db.session.commit()
    response = client.get(f"/berkas/{stored.id}")
    assert "filename=laporan.png" in response.headers["Content-Disposition"]
    response.close()


def test_the_form_says_how_big_a_file_may_be_and_how_to_shrink_photos(client, world):
    login(client, world["participant"])
    page = client.get(ORIENTASI).get_data(as_text=True)
    assert "maksimal 10 MB per berkas" in page and "Cara memperkecilnya" in page
    assert 'data-max-bytes="10485760"' in page and "/static/upload.js" in page


# --- withdraw and keep files (issue 13, §3) ------------------------------------------


def versions() -> list[Submission]:
    return list(db.session.scalars(select(Submission).order_by(Submission.version_no)))


def test_a_waiting_version_can_be_withdrawn_and_a_corrected_one_sent(client, world):
    login(client, world["participant"])
    send(client, text="Salah unggah", files=[("salah.png", demo_png())])
    first = versions()[0]
    response = client.post(f"/kiriman/{first.id}/tarik")
    assert response.status_code == 302
    db.session.expire_all()
    assert first.status == rules.WITHDRAWN and first.withdrawn_at is not None
    assert first.text == "Salah unggah" and len(first.files) == 1  # kept in history, never deleted
    assert uploads.path_of(first.files[0].stored_name).is_file()
    page = client.get(ORIENTASI).get_data(as_text=True)
    assert "Versi ditarik peserta" in page and "Salah unggah" in page
    assert send(client, text="Yang benar").status_code == 302
    assert [(v.version_no, v.status) for v in versions()] == [(1, rules.WITHDRAWN), (2, rules.SUBMITTED)]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "submission.withdraw")) == 1


def test_a_withdrawn_version_leaves_the_mentor_queue(client, world):
    login(client, world["participant"])
    send(client, text="Salah unggah")
    mentor = client.application.test_client()
    login(mentor, world["mentor"])
    assert "Peserta Satu" in mentor.get("/mentor/antrean").get_data(as_text=True)
    client.post(f"/kiriman/{versions()[0].id}/tarik")
    assert "Peserta Satu" not in mentor.get("/mentor/antrean").get_data(as_text=True)


@pytest.mark.parametrize("state", ["opened", "reviewed", "withdrawn"])
def test_a_version_opened_or_reviewed_cannot_be_withdrawn(client, world, state):
    login(client, world["participant"])
    send(client, text="Perkenalan")
    submission = versions()[0]
    mentor = client.application.test_client()
    login(mentor, world["mentor"])
    if state in ("opened", "reviewed"):
        assert mentor.get(f"/mentor/kiriman/{submission.id}").status_code == 200
    if state == "reviewed":
        mentor.post(f"/mentor/kiriman/{submission.id}", data={
            "score-profil-usaha": "4", "score-tantangan-target": "4", "score-keamanan-akun": "4",
            "score-foto-usaha": "4", "decision": "accepted", "feedback": "Bagus"})
    if state == "withdrawn":
        client.post(f"/kiriman/{submission.id}/tarik")
    db.session.expire_all()
    before = (submission.status, submission.opened_at, submission.withdrawn_at)
    assert "Tarik versi 1" not in client.get(ORIENTASI).get_data(as_text=True)
    response = client.post(f"/kiriman/{submission.id}/tarik")
    assert response.status_code == 409
    db.session.expire_all()
    assert (submission.status, submission.opened_at, submission.withdrawn_at) == before


def test_someone_elses_version_cannot_be_withdrawn(client, world):
    login(client, world["participant"])
    send(client, text="Perkenalan")
    submission = versions()[0]
    for who in ("other_participant", "mentor", "staff"):
        someone = client.application.test_client()
        login(someone, world[who])
        assert someone.post(f"/kiriman/{submission.id}/tarik").status_code == 404
    db.session.expire_all()
    assert submission.status == rules.SUBMITTED and submission.withdrawn_at is None
    assert client.post("/kiriman/999999/tarik").status_code == 404


REVISE_SCORES = {"profil-usaha": "2", "tantangan-target": "2", "keamanan-akun": "2", "foto-usaha": "0"}


def request_revision(submission: Submission, mentor) -> None:
    """Record a revision request through the real operation."""
    with current_app.test_request_context():
        operations.review_submission(submission.id, mentor, decision=rules.NEEDS_REVISION, scores=REVISE_SCORES,
                                     feedback="Fotonya gelap, tambahkan target.")


def test_a_new_version_keeps_ticked_files_by_reference(client, world):
    login(client, world["participant"])
    send(client, text="Versi satu", files=[("toko.png", demo_png()), ("rencana.pdf", demo_pdf())])
    first = versions()[0]
    request_revision(first, world["mentor"])
    photo, plan = sorted(first.files, key=lambda f: f.display_name, reverse=True)
    page = client.get(ORIENTASI).get_data(as_text=True)
    assert "Pertahankan" in page and f'value="{plan.id}"' in page
    on_disk = stored_files()
    response = send(client, text="Versi dua", keep_files=[str(plan.id)], files=[("baru.png", demo_png())])
    assert response.status_code == 302
    second = versions()[1]
    assert [f.id for f in second.kept_files] == [plan.id] and len(second.files) == 1
    assert [f.display_name for f in second.all_files] == ["rencana.pdf", "baru.png"]
    assert count(SubmissionFile) == 3  # the kept file was not copied
    assert set(on_disk) <= set(stored_files()) and uploads.path_of(plan.stored_name).is_file()
    db.session.expire_all()
    assert {f.id for f in first.files} == {photo.id, plan.id}  # v1 still holds both
    page = client.get(f"/kiriman/{second.id}").get_data(as_text=True)
    assert f"/berkas/{plan.id}" in page and "dipertahankan dari versi sebelumnya" in page
    mentor = client.application.test_client()
    login(mentor, world["mentor"])
    response = mentor.get(f"/berkas/{plan.id}")
    assert response.status_code == 200
    response.close()


def test_only_kept_files_make_a_version_not_empty(client, world):
    login(client, world["participant"])
    send(client, text="Versi satu", files=[("toko.png", demo_png())])
    first = versions()[0]
    request_revision(first, world["mentor"])
    assert send(client, keep_files=[str(first.files[0].id)]).status_code == 302
    assert [f.id for f in versions()[1].all_files] == [first.files[0].id]


def test_a_forged_file_to_keep_is_refused_and_nothing_is_saved(client, world):
    other = client.application.test_client()
    login(other, world["other_participant"])
    send(other, text="Punya orang lain", files=[("lain.png", demo_png())])
    foreign = db.session.scalar(select(SubmissionFile))
    login(client, world["participant"])
    send(client, text="Versi satu", files=[("toko.png", demo_png())])
    mine = versions()[-1]
    request_revision(mine, world["mentor"])
    for forged in (str(foreign.id), "abc"):
        response = send(client, text="Teks tetap", keep_files=[forged])
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "tidak ditemukan" in page and "Teks tetap" in page
    assert count(Submission) == 2 and count(SubmissionFile) == 2
    # The operation refuses a foreign file even without the form's check.
    sent = operations.SubmissionInput(client_token=token(), text="x", kept_file_ids=[foreign.id])
    with current_app.test_request_context(), pytest.raises(operations.SubmissionRefused):
        operations.submit_work(world["participant"], world["enrollment"], get_content().modules["orientasi"], sent)
    assert count(Submission) == 2
