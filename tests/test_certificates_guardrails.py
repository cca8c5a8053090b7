"""Certificate guard-rails: confirm steps, graduation on the date, revoke un-graduates, printed name on
reissue, signatures per cohort (checked uploads, confined fetcher), notices, the home card and flat memory."""

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import func, select

from lms.certificates import operations, rendering, signatures
from lms.certificates.rendering import CERTIFICATES_DIR, FetchLog, SafeUrlFetcher
from lms.extensions import db
from lms.models import (
    AuditEvent,
    BackgroundJob,
    Certificate,
    Cohort,
    Enrollment,
    EnrollmentStatusChange,
    Notification,
)
from tests.conftest import enroll_participant, login, make_cohort
from tests.test_certificates import AFTER_GRADUATION, BEFORE_GRADUATION, complete_course, new_participant, pdf_text

SAFE_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            b'viewBox="0 0 200 60"><defs><path id="p" d="M5 40 C 40 0, 80 80, 120 30 S 180 20, 195 45"/></defs>'
            b'<use xlink:href="#p" fill="none" stroke="#123" stroke-width="3"/></svg>')
HOSTILE_SVGS = {
    "script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><path d="M0 0"/></svg>',
    "onload": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><path d="M0 0"/></svg>',
    "external href": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                     b'<image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>',
    "plain href": b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:9/x.png"/></svg>',
    "foreignObject": b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>hi</p></foreignObject></svg>',
    "style url": b'<svg xmlns="http://www.w3.org/2000/svg"><path style="fill:url(http://x/y)" d="M0 0"/></svg>',
    "style import": b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "http://x/y.css";</style></svg>',
    "entity": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
              b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    "not svg": b'<html><body>hello</body></html>',
}


@pytest.fixture(autouse=True)
def today_is_before_graduation(monkeypatch):
    """Fix "today" (WIB): the test cohort graduates on 14 December 2026."""
    monkeypatch.setattr(operations, "today_wib", lambda: BEFORE_GRADUATION)


def png_bytes(size=(120, 40)) -> bytes:
    """Return a real PNG made by Pillow."""
    buffer = io.BytesIO()
    Image.new("RGBA", size, (10, 20, 30, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def status_of(enrollment) -> str:
    db.session.expire_all()
    return db.session.get(Enrollment, enrollment.id).status


# --- Issuing before the graduation date -----------------------------------------------------


def test_issuing_one_before_the_date_asks_first_and_does_not_graduate(client, world):
    complete_course(world["enrollment"])
    world["participant"].profile.certificate_name = "Peserta Satu, S.E."
    db.session.commit()
    login(client, world["staff"])
    url = f"/staf/pendaftaran/{world['enrollment'].id}/sertifikat"
    ask = client.post(url, data={"kind": "graduation"})
    page = ask.get_data(as_text=True)
    assert ask.status_code == 200 and "Terbitkan sebelum wisuda?" in page and 'name="confirmed" value="1"' in page
    assert "Peserta Satu, S.E." in page  # the confirmation names the person as the certificate prints them
    assert db.session.scalar(select(func.count(Certificate.id))) == 0
    done = client.post(url, data={"kind": "graduation", "confirmed": "1"})
    assert done.status_code == 302
    flashed = client.get(done.location).get_data(as_text=True)
    assert "diterbitkan untuk Peserta Satu, S.E." in flashed and "S.E.." not in flashed
    assert db.session.scalar(select(func.count(Certificate.id))) == 1
    assert status_of(world["enrollment"]) == "active"


def test_bulk_issue_before_the_date_asks_first(client, world):
    complete_course(world["enrollment"])
    login(client, world["staff"])
    url = f"/staf/kohort/{world['cohort'].id}/sertifikat/terbitkan"
    ask = client.post(url)
    assert ask.status_code == 200 and "1 sertifikat akan diterbitkan sekarang" in ask.get_data(as_text=True)
    assert db.session.scalar(select(func.count(BackgroundJob.id))) == 0
    assert client.post(url, data={"confirmed": "1"}).status_code == 302
    assert db.session.scalar(select(func.count(Certificate.id))) == 1
    assert status_of(world["enrollment"]) == "active"


def test_issuing_on_or_after_the_date_needs_no_confirmation_and_graduates(client, world, monkeypatch):
    monkeypatch.setattr(operations, "today_wib", lambda: date(2026, 12, 14))
    complete_course(world["enrollment"])
    login(client, world["staff"])
    response = client.post(f"/staf/pendaftaran/{world['enrollment'].id}/sertifikat", data={"kind": "graduation"})
    assert response.status_code == 302
    assert status_of(world["enrollment"]) == "graduated"


def test_graduate_due_cohorts_graduates_on_the_date_only_and_once(world, monkeypatch):
    complete_course(world["enrollment"])
    operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    assert status_of(world["enrollment"]) == "active"
    assert operations.graduate_due_cohorts(today=date(2026, 12, 13)) == {}
    assert status_of(world["enrollment"]) == "active"
    assert operations.graduate_due_cohorts(today=date(2026, 12, 14)) == {world["cohort"].slug: 1}
    assert status_of(world["enrollment"]) == "graduated"
    assert status_of(world["other_enrollment"]) == "active"  # no certificate, no graduation
    change = db.session.scalars(select(EnrollmentStatusChange).order_by(EnrollmentStatusChange.id.desc())).first()
    assert (change.from_status, change.to_status, change.reason) == ("active", "graduated", "Tanggal wisuda")
    assert operations.graduate_due_cohorts(today=AFTER_GRADUATION) == {}
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "cohort.graduate")) == 1


def test_graduate_now_asks_then_graduates_with_audit(client, world):
    complete_course(world["enrollment"])
    operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    login(client, world["staff"])
    assert "Wisudakan sekarang (1 peserta)" in client.get(f"/staf/kohort/{world['cohort'].id}/sertifikat").text
    url = f"/staf/kohort/{world['cohort'].id}/wisudakan"
    ask = client.post(url)
    assert ask.status_code == 200 and "Wisudakan sekarang?" in ask.get_data(as_text=True)
    assert status_of(world["enrollment"]) == "active"
    assert client.post(url, data={"confirmed": "1"}).status_code == 302
    assert status_of(world["enrollment"]) == "graduated"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cohort.graduate"))
    assert event.actor_id == world["staff"].id and event.after["graduated"] == 1


# --- Revoking ------------------------------------------------------------------------------------


def test_revoke_asks_then_takes_the_graduate_back_to_active(client, world, monkeypatch):
    monkeypatch.setattr(operations, "today_wib", lambda: AFTER_GRADUATION)
    complete_course(world["enrollment"])
    issued = operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    assert status_of(world["enrollment"]) == "graduated"
    login(client, world["staff"])
    url = f"/staf/sertifikat/{issued.id}/cabut"
    ask = client.post(url, data={"reason": "Data usaha dipalsukan"})
    page = ask.get_data(as_text=True)
    assert ask.status_code == 200 and "Cabut sertifikat" in page and "kembali dari Lulus ke Aktif" in page
    assert db.session.get(Certificate, issued.id).status == "valid"
    client.post(url, data={"reason": "Data usaha dipalsukan", "confirmed": "1"})
    db.session.expire_all()
    assert db.session.get(Certificate, issued.id).status == "revoked"
    assert status_of(world["enrollment"]) == "active"
    change = db.session.scalars(select(EnrollmentStatusChange).order_by(EnrollmentStatusChange.id.desc())).first()
    assert (change.from_status, change.to_status) == ("graduated", "active") and issued.number in change.reason
    statuses = db.session.scalars(select(AuditEvent.after).where(AuditEvent.action == "enrollment.status")).all()
    assert statuses[-1]["status"] == "active"


def test_revoking_a_top_certificate_keeps_the_graduation(world, monkeypatch):
    from lms.models import TopAward

    monkeypatch.setattr(operations, "today_wib", lambda: AFTER_GRADUATION)
    complete_course(world["enrollment"])
    operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    db.session.add(TopAward(cohort_id=world["cohort"].id, enrollment_id=world["enrollment"].id, rank_at_award=1))
    db.session.commit()
    top = operations.issue_certificate(world["enrollment"], "top", issued_by=world["staff"])
    operations.revoke_certificate(top.id, reason="Salah pilih peserta", revoked_by=world["staff"])
    assert status_of(world["enrollment"]) == "graduated"


def test_reissue_then_revoke_the_old_one_is_refused_and_keeps_graduation(world, monkeypatch):
    monkeypatch.setattr(operations, "today_wib", lambda: AFTER_GRADUATION)
    complete_course(world["enrollment"])
    old = operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    new = operations.reissue_certificate(old.id, name="Peserta Satu", business_name="", issued_by=world["staff"])
    with pytest.raises(operations.CertificateError):
        operations.revoke_certificate(old.id, reason="Salah cetak", revoked_by=world["staff"])
    assert status_of(world["enrollment"]) == "graduated"
    operations.revoke_certificate(new.id, reason="Data palsu", revoked_by=world["staff"])
    assert status_of(world["enrollment"]) == "active"


# --- Reissue keeps the printed name ------------------------------------------------------------


def test_correct_name_and_regency_then_reissue_prints_the_correction(client, world):
    """The trial: staff correct a person's name, printed name and regency, then reissue."""
    from tests.test_people import edit_url, form_for

    user = new_participant("Butet Simatupang", business_name="Ulos Butet", regency_code="1205",
                           certificate_name="Butet Simatupang, S.E.")
    enrollment = enroll_participant(user, world["cohort"], mentor=world["mentor"])
    complete_course(enrollment)
    first = operations.issue_certificate(enrollment, "graduation", issued_by=world["staff"])
    assert first.name == "Butet Simatupang, S.E." and first.regency_code == "1205"
    login(client, world["staff"])
    client.post(edit_url(user), data=form_for(user, name="Butet Simatupang Br. Sihombing", regency_code="1275",
                                              certificate_name="Butet Simatupang Br. Sihombing, S.E., M.Si."))
    page = client.get(f"/staf/sertifikat/{first.id}").get_data(as_text=True)
    assert 'value="Butet Simatupang Br. Sihombing, S.E., M.Si."' in page and 'value="Ulos Butet"' in page
    note = page.split('data-testid="reissue-corrections"')[1].split("</div>")[0]
    assert "Butet Simatupang, S.E. → Butet Simatupang Br. Sihombing, S.E., M.Si." in note
    assert "Kabupaten Tapanuli Utara → Kota Medan" in note and "Nama usaha" not in note
    client.post(f"/staf/sertifikat/{first.id}/terbitkan-ulang",
                data={"name": "Butet Simatupang Br. Sihombing, S.E., M.Si.", "business_name": "Ulos Butet"})
    newest = db.session.scalar(select(Certificate).where(Certificate.enrollment_id == enrollment.id,
                                                         Certificate.status == "valid"))
    assert newest.id != first.id and newest.regency_code == "1275"
    assert newest.name == "Butet Simatupang Br. Sihombing, S.E., M.Si."
    text = pdf_text(operations.storage_root() / newest.pdf_path)
    assert "Butet Simatupang Br. Sihombing, S.E., M.Si." in " ".join(text.split())
    # The new certificate prints the correction: its own page starts from it and shows no note.
    page = client.get(f"/staf/sertifikat/{newest.id}").get_data(as_text=True)
    assert 'value="Butet Simatupang Br. Sihombing, S.E., M.Si."' in page and "reissue-corrections" not in page


def test_reissue_prefills_the_printed_name_not_the_account_name(client, world):
    user = new_participant("Butet Simatupang", business_name="Ulos Butet")
    enrollment = enroll_participant(user, world["cohort"], mentor=world["mentor"])
    complete_course(enrollment)
    first = operations.issue_certificate(enrollment, "graduation", issued_by=world["staff"])
    titled = operations.reissue_certificate(first.id, name="Butet Simatupang, S.E.",
                                            business_name="Ulos Butet Tarutung", issued_by=world["staff"])
    login(client, world["staff"])
    page = client.get(f"/staf/sertifikat/{titled.id}").get_data(as_text=True)
    assert 'value="Butet Simatupang, S.E."' in page and 'value="Ulos Butet Tarutung"' in page
    # Submitting the prefilled form unchanged prints the title again.
    client.post(f"/staf/sertifikat/{titled.id}/terbitkan-ulang",
                data={"name": "Butet Simatupang, S.E.", "business_name": "Ulos Butet Tarutung"})
    newest = db.session.scalar(select(Certificate).where(Certificate.enrollment_id == enrollment.id,
                                                         Certificate.status == "valid"))
    assert newest.id != titled.id and newest.name == "Butet Simatupang, S.E."
    assert "Butet Simatupang, S.E." in pdf_text(operations.storage_root() / newest.pdf_path)


# --- Signatures --------------------------------------------------------------------------------


def test_safe_svg_and_real_png_pass_the_check():
    assert signatures.check_signature(SAFE_SVG, 512 * 1024) == "svg"
    assert signatures.check_signature(png_bytes(), 512 * 1024) == "png"


@pytest.mark.parametrize("name", sorted(HOSTILE_SVGS))
def test_hostile_svgs_are_refused(name):
    with pytest.raises(signatures.SignatureRejected):
        signatures.check_signature(HOSTILE_SVGS[name], 512 * 1024)


def test_truncated_png_and_oversized_files_are_refused():
    with pytest.raises(signatures.SignatureRejected, match="PNG"):
        signatures.check_signature(png_bytes()[:60], 512 * 1024)
    with pytest.raises(signatures.SignatureRejected, match="paling besar"):
        signatures.check_signature(SAFE_SVG, 100)


def upload(data: bytes, filename: str):
    return (io.BytesIO(data), filename)


def signatory_data(**overrides):
    data = {"name1": "Dr. Ir. Naslindo Sirait, M.M.", "title1": "Kepala Dinas Koperasi dan UKM",
            "name2": "Rina Sembiring, S.E.", "title2": "Ketua Pelaksana PLUT-KUMKM"}
    data.update(overrides)
    return data


def test_staff_upload_signatures_and_certificates_print_them_confined(client, world):
    login(client, world["staff"])
    url = f"/staf/kohort/{world['cohort'].id}/sertifikat/penanda-tangan"
    assert "tanda tangan contoh (demo)" in client.get(f"/staf/kohort/{world['cohort'].id}/sertifikat").text
    response = client.post(url, data=signatory_data(image1=upload(SAFE_SVG, "../../evil.svg"),
                                                    image2=upload(png_bytes(), "ttd kepala.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    cohort = db.session.get(Cohort, world["cohort"].id)
    root = operations.storage_root()
    for slot, extension in ((1, "svg"), (2, "png")):
        stored = getattr(cohort, f"signatory{slot}_image")
        assert stored.startswith(f"tanda-tangan/kohort-{cohort.id}-{slot}-") and stored.endswith(f".{extension}")
        assert (root / stored).is_file() and "evil" not in stored
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "cohort.signatories")) == 1
    assert "tanda tangan contoh (demo)" not in client.get(f"/staf/kohort/{world['cohort'].id}/sertifikat").text
    # The next certificate prints them; the fetcher read exactly those two stored files and our own.
    complete_course(world["enrollment"])
    log = rendering.get_renderer().fetch_log
    log.clear()
    certificate = operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    text = pdf_text(root / certificate.pdf_path)
    assert "Naslindo Sirait" in text and "Rina Sembiring" in text and "contoh tanda tangan" not in text
    assert log.refused_count == 0
    stored_uris = {(root / cohort.signatory1_image).resolve().as_uri(),
                   (root / cohort.signatory2_image).resolve().as_uri()}
    outside = {url for url in log.allowed if not url.startswith((CERTIFICATES_DIR.as_uri() + "/", "data:"))}
    assert outside == stored_uris


@pytest.mark.parametrize(("data", "filename"), [
    (HOSTILE_SVGS["script"], "ttd.svg"),
    (HOSTILE_SVGS["external href"], "ttd.svg"),
    (b"<!doctype html><html><body><script>alert(1)</script></body></html>", "ttd.png"),
])
def test_hostile_upload_is_refused_keeps_what_was_typed_and_changes_nothing(client, world, data, filename):
    login(client, world["staff"])
    url = f"/staf/kohort/{world['cohort'].id}/sertifikat/penanda-tangan"
    response = client.post(url, data=signatory_data(image1=upload(data, filename)), content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "tidak boleh" in page or "harus gambar PNG atau SVG" in page
    assert 'value="Rina Sembiring, S.E."' in page
    cohort = db.session.get(Cohort, world["cohort"].id)
    assert (cohort.signatory1_name, cohort.signatory1_image) == ("", "")
    assert not (operations.storage_root() / signatures.SIGNATURE_FOLDER).exists()


def test_fetcher_reads_exactly_the_stored_signatures_and_nothing_beside_them(tmp_path):
    folder = tmp_path / signatures.SIGNATURE_FOLDER
    folder.mkdir()
    allowed = folder / "kohort-1-1-abc.svg"
    allowed.write_bytes(SAFE_SVG)
    neighbour = folder / "kohort-2-1-def.svg"
    neighbour.write_bytes(SAFE_SVG)
    guard = SafeUrlFetcher(CERTIFICATES_DIR, FetchLog(), files=[allowed])
    assert guard.fetch(allowed.as_uri()) is not None and guard.log.allowed[-1] == allowed.as_uri()
    for url in (neighbour.as_uri(), folder.as_uri(), (folder / ".." / "x").as_uri(), "file:///etc/passwd"):
        with pytest.raises(ValueError, match="not allowed"):
            guard.fetch(url)
    link = folder / "link.svg"
    link.symlink_to(neighbour)
    with pytest.raises(ValueError, match="not allowed"):
        guard.fetch(link.as_uri())
    assert guard.log.refused_count == 5


def test_stored_path_refuses_anything_outside_the_signature_folder(tmp_path):
    (tmp_path / "secret.svg").write_bytes(SAFE_SVG)
    assert signatures.stored_path(tmp_path, "tanda-tangan/../secret.svg") is None
    assert signatures.stored_path(tmp_path, "") is None
    relative = signatures.store_signature(tmp_path, 7, 1, SAFE_SVG, "svg")
    assert signatures.stored_path(tmp_path, relative) == (tmp_path / relative).resolve()


# --- Notices and the home page ---------------------------------------------------------------------


def test_participant_is_notified_of_issue_and_revoke(world):
    complete_course(world["enrollment"])
    certificate = operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    operations.revoke_certificate(certificate.id, reason="Data usaha dipalsukan", revoked_by=world["staff"])
    notices = db.session.scalars(select(Notification).where(Notification.user_id == world["participant"].id)
                                 .order_by(Notification.id)).all()
    assert [n.kind for n in notices] == ["certificate.issued", "certificate.revoked"]
    assert certificate.number in notices[0].message and "Data usaha dipalsukan" in notices[1].message
    from lms.models import OutboxMessage

    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "pending")) == 0


def test_bulk_issue_notifies_each_participant_once(world):
    complete_course(world["enrollment"])
    job, _created = operations.start_bulk_issue(world["cohort"], started_by=world["staff"])
    assert db.session.get(BackgroundJob, job.id).status == "done"
    operations.start_bulk_issue(world["cohort"], started_by=world["staff"])
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == world["participant"].id)).all()
    assert kinds == ["certificate.issued"]


def test_home_page_shows_waiting_for_graduation_at_100_percent(client, world):
    complete_course(world["enrollment"])
    login(client, world["participant"])
    page = client.get("/").get_data(as_text=True)
    assert "menunggu wisuda" in page and "14 Des 2026" in page
    client.post("/keluar")
    login(client, world["other_participant"])
    assert "menunggu wisuda" not in client.get("/").get_data(as_text=True)


def test_home_page_puts_a_new_certificate_card_at_the_top(client, world):
    complete_course(world["enrollment"])
    certificate = operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    login(client, world["participant"])
    page = client.get("/").get_data(as_text=True)
    card = page.index("Sertifikat Anda sudah terbit")
    assert card < page.index(world["cohort"].name) and card < page.index("Mentor Anda")
    assert f"/sertifikat/{certificate.id}/unduh" in page[card:card + 800]
    assert "menunggu wisuda" not in page


# --- Counts and memory ---------------------------------------------------------------------------


def test_job_result_counts_what_already_existed(world):
    second = new_participant("Lulusan Dua")
    second_enrollment = enroll_participant(second, world["cohort"], mentor=world["mentor"])
    for enrollment in (world["enrollment"], second_enrollment):
        complete_course(enrollment)
    operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    job, _created = operations.start_bulk_issue(world["cohort"], started_by=world["staff"])
    result = db.session.get(BackgroundJob, job.id).result
    assert (result["issued"], result["already_issued"], result["not_eligible"]) == (1, 1, 1)


def test_image_cache_keeps_files_but_not_each_certificates_qr_code():
    renderer = rendering.CertificateRenderer()
    signatory = rendering.Signatory("A", "B", "signatures/contoh-1.svg")
    for index in range(3):
        renderer.render_pdf(rendering.PrintedCertificate(
            "kelulusan", f"FTD-2026-00000{index}", "K7QM-4XRT-9BZP-WH3C", f"Nama {index}", "Usaha", "Kota Medan",
            "Kursus", "Kohort", "14 Desember 2026", f"http://x/verify/{index}", (signatory,)))
    keys = list(renderer._image_cache)
    assert any(str(k).endswith("contoh-1.svg") for k in keys)
    assert not any(str(k).startswith("data:") for k in keys)


def test_render_workers_are_recycled(world, tmp_path):
    printed = rendering.PrintedCertificate(
        "kelulusan", "FTD-2026-000001", "K7QM-4XRT-9BZP-WH3C", "Nama", "Usaha", "Kota Medan", "Kursus", "Kohort",
        "14 Desember 2026", "http://x/verify/1")
    tasks = [rendering.RenderTask(i, printed, str(tmp_path / f"{i}.pdf")) for i in range(16)]
    results = [r for batch in rendering.render_many(tasks, processes=2, recycle_every=4) for r in batch]
    assert len(results) == 16 and all((tmp_path / f"{i}.pdf").is_file() for i in range(16))
    assert len({r.pid for r in results}) >= 3  # four chunks of four, each worker replaced after one
    assert all(r.peak_rss_mb > 0 for r in results)


def test_demo_warning_stays_for_a_cohort_without_signatures(client, world):
    other = make_cohort("ftd-lain", name="Kohort Lain")
    login(client, world["staff"])
    assert "tanda tangan contoh (demo)" in client.get(f"/staf/kohort/{other.id}/sertifikat").text
