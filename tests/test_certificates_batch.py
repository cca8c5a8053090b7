"""Bulk issue in batches: one multi-page document per batch, split with pikepdf, stored exactly once."""

import dataclasses
import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import select

from lms.certificates import codes, operations, rendering
from lms.certificates.eligibility import course_and_modules
from lms.extensions import db
from lms.models import Certificate
from tests.conftest import enroll_participant
from tests.test_certificates import new_participant, pdf_text
from tests.test_certificates_rendering import HOSTILE_NAMES

SIGNATORIES = (rendering.Signatory("Kepala Dinas", "Provinsi Sumatera Utara", "signatures/contoh-1.svg"),
               rendering.Signatory("Ketua Pelaksana", "Provinsi Sumatera Utara", "signatures/contoh-2.svg"))
NAMES = ["Butet Simatupang, S.E.", "Peserta Dua", *HOSTILE_NAMES, "Ucok Nainggolan"]


def printed(index: int, name: str) -> rendering.PrintedCertificate:
    code = codes.display_code(codes.new_code())
    return rendering.PrintedCertificate(
        "kelulusan", f"FTD-2026-{index:06d}", code, name, f"Usaha {index}", "Kota Medan", "Kursus", "Kohort",
        "14 Desember 2026", f"https://ftd.example/verify/{code}", SIGNATORIES)


def qr_codes(pdf: Path, folder: Path) -> list[str]:
    """Return every QR code zbarimg finds on the PDF's page, rasterised at 150 dpi."""
    image = folder / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(image)], check=True)  # noqa: S603,S607
    found = subprocess.run(["zbarimg", "--quiet", "--raw", f"{image}.png"],  # noqa: S603,S607
                           capture_output=True, check=False).stdout.decode()
    return found.split()


def image_count(pdf: Path) -> int:
    """Count the raster images a one-page PDF carries in its resources (ours: just the QR code)."""
    with pikepdf.open(pdf) as document:
        xobjects = document.pages[0].Resources.get("/XObject", {})
        return sum(1 for _name, x in xobjects.items() if x.get("/Subtype") == "/Image")


def test_a_batch_is_split_into_one_page_pdfs_each_with_its_own_name_and_qr_code(tmp_path):
    batch = [printed(i, name) for i, name in enumerate(NAMES)]
    tasks = [rendering.RenderTask(i, p, str(tmp_path / f"{i}.pdf")) for i, p in enumerate(batch)]
    log = rendering.get_renderer().fetch_log
    log.clear()
    results = [r for group in rendering.render_many(tasks, processes=1, batch_size=len(tasks)) for r in group]
    assert [r.certificate_id for r in results] == list(range(len(NAMES)))
    assert log.refused_count == 0  # hostile names stay text: nothing else was fetched
    for result, certificate in zip(results, batch, strict=True):
        path = Path(result.target)
        with pikepdf.open(path) as document:
            assert len(document.pages) == 1
            assert str(document.docinfo["/Title"]) == f"Sertifikat Kelulusan {certificate.number}"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == result.sha256
        text = pdf_text(path)
        assert certificate.name in text and certificate.number in text
        assert not any(other.name in text for other in batch if other is not certificate)
        # Only its own QR code: the batch's shared resources were pruned before the split.
        assert qr_codes(path, tmp_path) == [certificate.verify_url]
        assert image_count(path) == 1


def test_a_batch_that_does_not_come_out_one_page_each_falls_back_to_one_document_each(tmp_path, monkeypatch):
    batch = [printed(i, f"Peserta {i}") for i in range(3)]
    real = rendering.CertificateRenderer.render_sheets_pdf
    # A batch document with one page too few (as a name overflowing its sheet would shift them).
    monkeypatch.setattr(rendering.CertificateRenderer, "render_sheets_pdf",
                        lambda self, b: real(self, b[:-1]) if len(b) > 1 else real(self, b))
    pdfs = rendering.CertificateRenderer().render_batch(batch)
    assert len(pdfs) == 3
    for index, pdf in enumerate(pdfs):
        path = tmp_path / f"{index}.pdf"
        path.write_bytes(pdf)
        assert f"Peserta {index}" in pdf_text(path)


def test_batches_keep_one_template_and_every_process_busy():
    tasks = [rendering.RenderTask(i, printed(i, "A"), f"/x/{i}.pdf") for i in range(13)]
    top = dataclasses.replace(printed(99, "B"), template="peserta-terbaik")
    tasks.append(rendering.RenderTask(99, top, "/x/99.pdf"))
    cut = rendering.batches(tasks, 50, processes=2)
    assert [len(b) for b in cut] == [7, 6, 1]
    assert all(len({t.printed.template for t in b}) == 1 for b in cut)
    assert [len(b) for b in rendering.batches(tasks[:13], 4, processes=2)] == [4, 4, 4, 1]


def make_rows(world, count: int) -> list[Certificate]:
    """Create `count` valid certificate rows without PDFs (as the first step of a bulk issue does)."""
    enrollments = [enroll_participant(new_participant(f"Peserta Batch {i:02d}"), world["cohort"],
                                      mentor=world["mentor"]) for i in range(count)]
    course_and_modules(world["cohort"])  # load the published content before the write transactions
    issued, _skipped = operations.create_many([(e.id, "graduation") for e in enrollments], issued_by=world["staff"])
    assert issued == count
    return db.session.scalars(select(Certificate).order_by(Certificate.id)).all()


def assert_all_stored_once(count: int) -> None:
    """Every certificate has exactly one whole, recorded, one-page PDF with its own name; nothing else is there."""
    db.session.expire_all()
    certificates = db.session.scalars(select(Certificate)).all()
    assert len(certificates) == count and all(c.pdf_path and c.pdf_sha256 for c in certificates)
    folder = operations.storage_root() / f"kohort-{certificates[0].enrollment.cohort_id}"
    files = sorted(p.name for p in folder.iterdir())
    assert files == sorted(Path(c.pdf_path).name for c in certificates)  # no duplicates, no temporary files
    for certificate in certificates:
        path = operations.storage_root() / certificate.pdf_path
        assert hashlib.sha256(path.read_bytes()).hexdigest() == certificate.pdf_sha256
        with pikepdf.open(path) as document:
            assert len(document.pages) == 1
    sample = certificates[len(certificates) // 2]
    assert sample.name in pdf_text(operations.storage_root() / sample.pdf_path)


def test_crash_mid_batch_then_rerun_renders_only_the_missing(app, world, monkeypatch):
    app.config.update(CERTIFICATE_RENDER_PROCESSES=1, CERTIFICATE_RENDER_BATCH=4)
    make_rows(world, 10)
    real_write, written = rendering.write_atomically, []

    def write_then_die(target, data):
        if len(written) == 6:  # the second batch: two of its four files are written, then the process "dies"
            raise KeyboardInterrupt
        written.append(target)
        return real_write(target, data)

    monkeypatch.setattr(rendering, "write_atomically", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        operations.render_missing_pdfs(world["cohort"])
    db.session.rollback()
    recorded = db.session.scalars(select(Certificate.id).where(Certificate.pdf_path.is_not(None))).all()
    assert len(recorded) == 4  # the first batch; the second's two files were written but never recorded
    # A killed writer may leave a temporary file: an old one is swept, none is ever taken for a PDF.
    stale = operations.storage_root() / f"kohort-{world['cohort'].id}" / ".tmp-killed.pdf"
    stale.write_bytes(b"%PDF-1.7 half")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    monkeypatch.setattr(rendering, "write_atomically", real_write)
    stats = operations.render_missing_pdfs(world["cohort"])
    assert stats.rendered == 6
    assert_all_stored_once(10)


def test_a_render_worker_killed_mid_run_then_rerun_gives_each_pdf_once(app, world, monkeypatch):
    app.config.update(CERTIFICATE_RENDER_PROCESSES=2, CERTIFICATE_RENDER_BATCH=4)
    make_rows(world, 24)
    real_record, killed = operations.record_pdfs, []

    def record_then_kill_the_worker(results):
        real_record(results)
        if not killed:
            killed.append(results[0].pid)
            os.kill(results[0].pid, signal.SIGKILL)  # a real crash: the worker process is gone mid-run

    monkeypatch.setattr(operations, "record_pdfs", record_then_kill_the_worker)
    with pytest.raises(Exception, match="terminated abruptly|process pool"):
        operations.render_missing_pdfs(world["cohort"])
    db.session.rollback()
    recorded = len(db.session.scalars(select(Certificate.id).where(Certificate.pdf_path.is_not(None))).all())
    assert 4 <= recorded < 24
    monkeypatch.setattr(operations, "record_pdfs", real_record)
    stats = operations.render_missing_pdfs(world["cohort"])
    assert stats.rendered == 24 - recorded
    assert_all_stored_once(24)
