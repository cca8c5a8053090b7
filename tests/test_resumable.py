"""Resumable uploads of files queued on the phone (lms/resumable) and exactly-once submissions (issue #16).

A file is sent in chunks; a chunk sent twice or at the wrong offset is refused with the
server's offset, so no byte is kept twice; only the complete file, named in the submission
form, is checked and stored (metadata stripped). A form token reused with other content is refused.
"""

import hashlib
import io
import os
import secrets
import time
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from lms.assignments import uploads
from lms.extensions import db
from lms.models import ResumableUpload, Submission, SubmissionFile, utcnow
from lms.resumable import rules, storage
from lms.resumable.tasks import delete_stale_partial_uploads
from tests.conftest import login
from tests.test_assignments import ORIENTASI, assert_no_location, gps_jpeg, send

CHUNK = 256 * 1024


def token() -> str:
    return secrets.token_urlsafe(24)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def start(client, client_token, data: bytes, index=0, name="rumah.jpg"):
    return client.post("/unggah", json={"client_token": client_token, "index": index, "size": len(data),
                                        "name": name})


def put(client, url, offset, chunk: bytes):
    return client.post(url, data=chunk, headers={"Upload-Offset": str(offset)},
                       content_type="application/octet-stream")


def upload_all(client, client_token, data: bytes, index=0) -> str:
    state = start(client, client_token, data, index).get_json()
    offset = state["offset"]
    while offset < len(data):
        offset = put(client, state["url"], offset, data[offset:offset + CHUNK]).get_json()["offset"]
    return state["id"]


def submit(client, client_token, upload_ids, text="Foto toko saya."):
    return client.post(ORIENTASI, data={"client_token": client_token, "text": text,
                                        "upload_ids": " ".join(upload_ids)})


# --- pure rules -------------------------------------------------------------------


def test_start_request_is_checked():
    read = dict(max_files=5, max_bytes=1000, max_mb=1)
    good = rules.read_start({"client_token": "a" * 20, "index": 0, "size": 10, "name": "x.jpg"}, **read)
    assert good.size == 10 and good.filename == "x.jpg"
    for bad in (None, [], {"client_token": "kurang", "index": 0, "size": 1},
                {"client_token": "a" * 20, "index": 5, "size": 1}, {"client_token": "a" * 20, "index": True, "size": 1},
                {"client_token": "a" * 20, "index": 0, "size": 0}, {"client_token": "a" * 20, "index": 0, "size": "9"}):
        with pytest.raises(rules.UploadRefused):
            rules.read_start(bad, **read)
    with pytest.raises(rules.UploadRefused) as too_big:
        rules.read_start({"client_token": "a" * 20, "index": 0, "size": 1001}, **read)
    assert too_big.value.status == 413 and "1 MB" in str(too_big.value)


@pytest.mark.parametrize(("offset", "received", "length", "size", "status"), [
    (0, 10, 5, 100, 409),  # sent again: the server already holds 10 bytes
    (20, 10, 5, 100, 409),  # a gap
    (None, 0, 5, 100, 400),
    (10, 10, 91, 100, 400),  # past the declared size
    (10, 10, 0, 100, 400),
])
def test_a_chunk_must_start_at_the_received_offset(offset, received, length, size, status):
    with pytest.raises(rules.UploadRefused) as refused:
        rules.check_chunk(offset=offset, received=received, length=length, size=size)
    assert refused.value.status == status and refused.value.offset == received
    rules.check_chunk(offset=received, received=received, length=size - received, size=size)


# --- the chunked upload over HTTP --------------------------------------------------------


def test_a_dropped_chunk_resumes_at_the_server_offset_and_one_version_is_saved(client, world):
    photo = gps_jpeg(size=(1200, 900))
    assert len(photo) > 2 * CHUNK
    login(client, world["participant"])
    same = token()
    state = start(client, same, photo).get_json()
    assert state["offset"] == 0 and state["size"] == len(photo)
    assert put(client, state["url"], 0, photo[:CHUNK]).get_json()["offset"] == CHUNK
    # The answer to the first chunk was lost: the phone sends it again and learns where to go on.
    again = put(client, state["url"], 0, photo[:CHUNK])
    assert again.status_code == 409 and again.get_json()["offset"] == CHUNK
    # After a reload the phone starts again: the same upload is found, with its offset.
    resumed = start(client, same, photo).get_json()
    assert resumed["id"] == state["id"] and resumed["offset"] == CHUNK
    assert client.get(state["url"]).get_json()["offset"] == CHUNK
    # Not complete yet: the form refuses it and saves nothing.
    early = submit(client, same, [state["id"]])
    assert early.status_code == 200 and "belum terkirim lengkap" in early.get_data(as_text=True)
    assert count(Submission) == 0
    assert upload_all(client, same, photo) == state["id"]
    assert storage.path_of(state["id"]).read_bytes() == photo  # every byte once, in order
    first = submit(client, same, [state["id"]])
    assert first.status_code == 302
    # The answer to the submission was lost too: sent again, it is recognised, not saved twice.
    retry = submit(client, same, [state["id"]])
    assert retry.status_code == 302
    assert count(Submission, Submission.user_id == world["participant"].id) == 1
    stored = db.session.scalar(select(SubmissionFile))
    on_disk = uploads.path_of(stored.stored_name).read_bytes()
    assert_no_location(on_disk)  # checked and stripped like a form upload
    assert stored.display_name == "rumah.jpg" and stored.sha256 == hashlib.sha256(on_disk).hexdigest()
    with Image.open(io.BytesIO(photo)) as original, Image.open(io.BytesIO(on_disk)) as kept:
        assert kept.convert("RGB").tobytes() == original.convert("RGB").tobytes()


def test_a_file_that_is_not_an_image_or_pdf_is_refused_only_when_complete(client, world):
    login(client, world["participant"])
    same = token()
    name = upload_all(client, same, b"<html>bukan foto</html>" * 100)
    response = submit(client, same, [name])
    assert response.status_code == 200 and "Jenis berkas tidak didukung" in response.get_data(as_text=True)
    assert count(Submission) == 0 and count(SubmissionFile) == 0


def test_uploads_are_bound_to_their_owner_and_their_form_token(client, world, app):
    login(client, world["participant"])
    same = token()
    name = upload_all(client, same, gps_jpeg(size=(200, 150)))
    other = app.test_client()
    login(other, world["other_participant"])
    assert other.get(f"/unggah/{name}").status_code == 404
    assert put(other, f"/unggah/{name}", 0, b"x").status_code == 404
    foreign = submit(other, same, [name])
    assert "tidak ditemukan" in foreign.get_data(as_text=True)
    # The owner cannot attach it to another form either (a replayed upload id).
    replayed = submit(client, token(), [name])
    assert "tidak ditemukan" in replayed.get_data(as_text=True)
    assert client.get("/unggah/" + "0" * 32).status_code == 404
    assert count(Submission) == 0


def test_start_refuses_a_file_over_the_limit_and_another_file_in_the_same_place(client, world, app):
    login(client, world["participant"])
    same = token()
    limit = app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    too_big = client.post("/unggah", json={"client_token": same, "index": 0, "size": limit + 1})
    assert too_big.status_code == 413 and "Batasnya" in too_big.get_json()["error"]
    start(client, same, b"a" * 10)
    other_file = start(client, same, b"a" * 11)
    assert other_file.status_code == 409
    assert count(ResumableUpload) == 1


def test_a_chunk_bigger_than_one_chunk_is_refused(client, world):
    login(client, world["participant"])
    state = start(client, token(), b"a" * (rules.MAX_CHUNK + 10)).get_json()
    assert put(client, state["url"], 0, b"a" * (rules.MAX_CHUNK + 1)).status_code == 413
    assert storage.received(state["id"]) == 0


# --- a reused form token with other content ----------------------------------------------


def test_the_same_token_with_the_same_content_stays_idempotent(client, world):
    login(client, world["participant"])
    same = token()
    assert send(client, client_token=same, text="Perkenalan usaha.").status_code == 302
    again = send(client, client_token=same, text="Perkenalan usaha.")
    assert again.status_code == 302
    assert "sudah tersimpan sebelumnya" in client.get(ORIENTASI).get_data(as_text=True)
    assert count(Submission) == 1


def test_the_same_token_with_other_content_is_refused_and_the_content_kept(client, world):
    login(client, world["participant"])
    same = token()
    assert send(client, client_token=same, text="Versi pertama.").status_code == 302
    db.session.scalar(select(Submission)).status = "needs_revision"  # a new version would be allowed
    db.session.commit()
    refused = send(client, client_token=same, text="Isi yang lain sama sekali.")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "sudah pernah dikirim (versi 1) dengan isi yang berbeda" in page
    assert "Isi yang lain sama sekali." in page  # what was typed is still in the form
    assert f'value="{same}"' not in page  # with a fresh token, so sending it again makes a new version
    assert [s.text for s in db.session.scalars(select(Submission))] == ["Versi pertama."]
    fresh = page.split('name="client_token" type="hidden" value="')[1].split('"')[0]
    assert send(client, client_token=fresh, text="Isi yang lain sama sekali.").status_code == 302
    assert count(Submission) == 2


def test_the_same_token_with_another_file_is_refused(client, world):
    login(client, world["participant"])
    same = token()
    assert send(client, client_token=same, files=[("a.jpg", gps_jpeg(size=(100, 80)))]).status_code == 302
    refused = send(client, client_token=same, files=[("a.jpg", gps_jpeg(size=(101, 80)))])
    assert refused.status_code == 409 and count(Submission) == 1 and count(SubmissionFile) == 1


# --- the periodic clean-up ---------------------------------------------------------------


def test_stale_partial_uploads_are_deleted_and_recent_ones_kept(client, world, app):
    login(client, world["participant"])
    old = start(client, token(), b"a" * 100).get_json()["id"]
    put(client, f"/unggah/{old}", 0, b"a" * 40)
    recent = start(client, token(), b"b" * 100).get_json()["id"]
    db.session.scalar(select(ResumableUpload).where(ResumableUpload.name == old)).created_at = (
        utcnow() - timedelta(hours=app.config["RESUMABLE_UPLOAD_HOURS"] + 1))
    db.session.commit()
    stray = storage.partial_root() / ("f" * 32 + ".part")
    stray.write_bytes(b"x")
    os.utime(stray, (time.time() - 2 * 86400,) * 2)
    young_stray = storage.partial_root() / ("e" * 32 + ".part")
    young_stray.write_bytes(b"x")
    summary = delete_stale_partial_uploads()
    assert summary.startswith("1 stale upload(s) and 1 stray")
    assert not storage.path_of(old).exists() and storage.path_of(recent).exists() and young_stray.exists()
    assert [u.name for u in db.session.scalars(select(ResumableUpload))] == [recent]
