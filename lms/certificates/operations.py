"""The writes of the certificates area: issue, bulk issue, revoke, reissue, and the stored PDFs.

A certificate row is the truth; its PDF is derived from the row's printed fields.
Rows are created first (numbers come from their ids, so two cohorts issuing at
once never collide), then PDFs are rendered and their SHA-256 recorded. If a
process dies in between, the next bulk run (or the first download) renders the
missing PDFs. The partial unique index "one valid certificate per enrollment and
kind" makes every issue idempotent, whatever races.
"""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.utils import secure_filename

from lms import audit, jobs, regions
from lms.assignments import notifications
from lms.certificates import codes, rendering, signatures
from lms.certificates.eligibility import GRADUATION, TOP, cohort_overview, course_and_modules, enrollment_eligibility
from lms.database import write_transaction
from lms.enrollments import change_status
from lms.extensions import db
from lms.models import (
    BackgroundJob,
    Certificate,
    Cohort,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    OutboxMessage,
    TopAward,
    User,
    utcnow,
)
from lms.public_url import public_url

JOB_KIND = "certificates.issue"
CREATE_CHUNK = 200  # rows per transaction when creating many certificates
DEFAULT_SIGNATURE_IMAGES = ("signatures/contoh-1.svg", "signatures/contoh-2.svg")
VALID, REVOKED, SUPERSEDED = "valid", "revoked", "superseded"
WIB = ZoneInfo("Asia/Jakarta")


class CertificateError(Exception):
    """A certificate action that cannot be done; the message is shown to staff as it is."""


# --- Issuing ----------------------------------------------------------------------


def issue_certificate(enrollment: Enrollment, kind: str, *, issued_by: User | None) -> Certificate:
    """Issue one certificate of a kind to an eligible enrollment, and store its PDF."""
    if kind not in (GRADUATION, TOP):
        raise CertificateError(_("Jenis sertifikat tidak dikenal."))
    with write_transaction():
        locked = lock_enrollment(enrollment.id)
        refuse_unless_eligible(locked, kind)
        if has_valid_certificate(locked.id, kind):
            raise CertificateError(_("%(name)s sudah memiliki sertifikat yang berlaku.", name=locked.user.name))
        certificate = create_certificate(locked, kind, issued_by=issued_by)
        outbox = pending_outbox()
    notifications.deliver(outbox)
    ensure_pdf(certificate)
    return certificate


def today_wib() -> date:
    """Return today's date in the province (graduation dates are WIB dates)."""
    return datetime.now(WIB).date()


def before_graduation(cohort: Cohort, today: date | None = None) -> bool:
    """Tell whether a cohort's graduation date is still to come (issuing then needs a confirmation)."""
    return (today or today_wib()) < cohort.graduation_date


OUTBOX_KEY = "certificates.outbox"


def queue_notice(message: OutboxMessage) -> None:
    """Remember an outbox message added in this transaction, to deliver once it commits."""
    db.session.info.setdefault(OUTBOX_KEY, []).append(message)


def pending_outbox() -> list[OutboxMessage]:
    """Take the outbox messages this session's certificate writes queued (deliver them after commit)."""
    return db.session.info.pop(OUTBOX_KEY, [])


def check_can_issue(enrollment: Enrollment, kind: str) -> None:
    """Raise the CertificateError issuing would raise, without writing (to ask a confirmation only when it can work)."""
    if kind not in (GRADUATION, TOP):
        raise CertificateError(_("Jenis sertifikat tidak dikenal."))
    refuse_unless_eligible(enrollment, kind)
    if has_valid_certificate(enrollment.id, kind):
        raise CertificateError(_("%(name)s sudah memiliki sertifikat yang berlaku.", name=enrollment.user.name))


def refuse_unless_eligible(enrollment: Enrollment, kind: str) -> None:
    """Raise a CertificateError saying what is missing when an enrollment may not get the certificate."""
    eligibility, missing = enrollment_eligibility(enrollment)
    if eligibility is None or not eligibility.eligible:
        raise CertificateError(_("%(name)s belum memenuhi syarat: %(missing)s",
                                 name=enrollment.user.name, missing="; ".join(missing)))
    if kind == TOP and not db.session.scalar(select(TopAward.id).where(TopAward.enrollment_id == enrollment.id)):
        raise CertificateError(_("%(name)s tidak termasuk peserta terbaik.", name=enrollment.user.name))


def create_certificate(enrollment: Enrollment, kind: str, *, issued_by: User | None, name: str | None = None,
                       business_name: str | None = None) -> Certificate:
    """Add a valid certificate row with its number, code and audit row (in the caller's transaction)."""
    cohort, profile = enrollment.cohort, enrollment.user.profile
    course, _modules = course_and_modules(cohort)
    code = codes.new_code()
    certificate = Certificate(
        enrollment_id=enrollment.id, kind=kind, number=f"PENDING-{code}", code=code, status=VALID,
        name=name if name is not None else ((profile.certificate_name if profile else "") or enrollment.user.name),
        business_name=business_name if business_name is not None else (profile.business_name if profile else ""),
        regency_code=profile.regency_code if profile else None,
        course_title=course.title if course else cohort.course_id, cohort_name=cohort.name,
        graduation_date=cohort.graduation_date, issued_at=utcnow(), issued_by_id=issued_by.id if issued_by else None,
    )
    db.session.add(certificate)
    db.session.flush()  # the id makes the number; the partial unique index speaks here too
    certificate.number = codes.format_number(cohort.graduation_date.year, certificate.id)
    audit.record("certificate.issue", certificate, actor=issued_by,
                 after={"number": certificate.number, "kind": kind, "enrollment_id": enrollment.id,
                        "name": certificate.name})
    # Graduation itself happens on the cohort's date (graduate_due_cohorts) or by "Wisudakan sekarang";
    # a certificate issued on or after the date graduates at once.
    if kind == GRADUATION and enrollment.status == EnrollmentStatus.ACTIVE and not before_graduation(cohort):
        change_status(enrollment, EnrollmentStatus.GRADUATED, changed_by=issued_by,
                      reason=f"Sertifikat kelulusan {certificate.number}")
    notify_issued(enrollment.user, certificate)
    return certificate


def notify_issued(user: User, certificate: Certificate) -> None:
    """Tell a participant that a certificate is ready (in-app notice and outbox, caller's transaction)."""
    message = _("Sertifikat Anda %(number)s sudah terbit. Unduh PDF-nya dari beranda.", number=certificate.number)
    queue_notice(notifications.notify(user, "certificate.issued", message, "/",
                                      subject=_("Sertifikat Anda sudah terbit")))


def notify_revoked(user: User, certificate: Certificate, reason: str) -> None:
    """Tell a participant that a certificate was revoked, and why (caller's transaction)."""
    message = _("Sertifikat %(number)s dicabut. Alasan: %(reason)s. Hubungi staf PLUT bila ada pertanyaan.",
                number=certificate.number, reason=reason)
    queue_notice(notifications.notify(user, "certificate.revoked", message, "/",
                                      subject=_("Sertifikat Anda dicabut")))


def lock_enrollment(enrollment_id: int) -> Enrollment:
    """Load an enrollment for writing (row lock on PostgreSQL; SQLite holds the write lock already)."""
    return db.session.scalar(select(Enrollment).where(Enrollment.id == enrollment_id).with_for_update())


def has_valid_certificate(enrollment_id: int, kind: str) -> bool:
    """Tell whether an enrollment already holds a valid certificate of a kind."""
    return db.session.scalar(
        select(Certificate.id).where(Certificate.enrollment_id == enrollment_id, Certificate.kind == kind,
                                     Certificate.status == VALID)
    ) is not None


def start_bulk_issue(cohort: Cohort, *, started_by: User | None) -> tuple[BackgroundJob, bool]:
    """Start issuing every due certificate of a cohort; a second click gets the running job."""
    return jobs.start_job(JOB_KIND, cohort_id=cohort.id, created_by=started_by)


def run_bulk_issue(job: BackgroundJob, report_progress: jobs.ProgressCallback) -> dict:
    """Job handler: create the missing certificates of a cohort, then render every missing PDF."""
    cohort = db.session.get(Cohort, job.cohort_id)
    issued_by = db.session.get(User, job.created_by_id) if job.created_by_id else None
    overview = cohort_overview(cohort)
    plan = [(row.enrollment.id, kind) for row, kind in overview.to_issue()]
    waiting = len(overview.waiting_rows)
    report_progress(0, len(plan))
    issued, raced = create_many(plan, issued_by=issued_by)
    render_started = time.perf_counter()
    stats = render_missing_pdfs(cohort, report_progress)
    return {"issued": issued, "already_issued": already_existing(overview) + raced, "rendered": stats.rendered,
            "not_eligible": waiting, "render_cpu_seconds": round(stats.cpu_seconds, 2),
            "render_seconds": round(time.perf_counter() - render_started, 2),
            "render_workers": stats.workers, "render_peak_rss_mb": stats.peak_rss_mb,
            "render_worker_rss_mb": [[round(first, 1), round(last, 1), count]
                                     for first, last, count in stats.worker_rss_mb.values()]}


def already_existing(overview) -> int:
    """Count the valid certificates the cohort's listed participants held before this run."""
    return sum(len(row.certificates) for row in overview.rows)


def create_many(plan: Sequence[tuple[int, str]], *, issued_by: User | None) -> tuple[int, int]:
    """Create certificates for (enrollment id, kind) pairs in chunks; return (created, skipped)."""
    issued = skipped = 0
    for start in range(0, len(plan), CREATE_CHUNK):
        chunk = plan[start:start + CREATE_CHUNK]
        with write_transaction():
            enrollments = {
                e.id: e for e in db.session.scalars(
                    select(Enrollment).where(Enrollment.id.in_(sorted({enrollment_id for enrollment_id, _k in chunk})))
                    .options(selectinload(Enrollment.user).selectinload(User.profile), selectinload(Enrollment.cohort))
                    .with_for_update()
                )
            }
            for enrollment_id, kind in chunk:
                if create_if_absent(enrollments[enrollment_id], kind, issued_by=issued_by):
                    issued += 1
                else:
                    skipped += 1
            outbox = pending_outbox()
        notifications.deliver(outbox)
    return issued, skipped


def create_if_absent(enrollment: Enrollment, kind: str, *, issued_by: User | None) -> bool:
    """Create one certificate unless a valid one exists (checked by the unique index); tell if created."""
    queued = len(db.session.info.get(OUTBOX_KEY, []))
    try:
        with db.session.begin_nested():
            create_certificate(enrollment, kind, issued_by=issued_by)
    except IntegrityError:
        del db.session.info.get(OUTBOX_KEY, [])[queued:]  # the notice went with the savepoint
        return False  # another run issued it between the overview and now
    return True


# --- PDFs -------------------------------------------------------------------------


@dataclass
class RenderStats:
    rendered: int = 0
    cpu_seconds: float = 0.0
    workers: int = 0  # processes that rendered (recycled workers count again)
    peak_rss_mb: float = 0.0  # the largest peak resident memory any rendering process reached
    # Per rendering process: its peak RSS after its first and after its last certificate (flat = no growth).
    worker_rss_mb: dict = field(default_factory=dict)


def render_missing_pdfs(cohort: Cohort, report_progress: jobs.ProgressCallback | None = None) -> RenderStats:
    """Render and record the PDF of every valid certificate of a cohort that has none.

    Certificates of one template are laid out CERTIFICATE_RENDER_BATCH at a time as
    one document and split into one PDF each (lms/certificates/rendering.py). Each
    batch is recorded in one commit as soon as it is back, so a crash loses at most
    the batches in flight: their certificates still have no pdf_path and the next
    run renders exactly those again, to the same file names (no duplicates).
    """
    certificates = db.session.scalars(
        select(Certificate).join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.cohort_id == cohort.id, Certificate.status == VALID, Certificate.pdf_path.is_(None))
        .order_by(Certificate.id)
    ).all()
    printer = Printer(cohort)
    tasks = [rendering.RenderTask(c.id, printer.printed(c), str(storage_root() / relative_pdf_path(c)))
             for c in certificates]
    remove_stale_temporary_files(storage_root() / f"kohort-{cohort.id}")
    total, done, stats, pids = len(tasks), 0, RenderStats(rendered=len(tasks)), set()
    if report_progress:
        report_progress(0, total)
    config = current_app.config
    processes = config.get("CERTIFICATE_RENDER_PROCESSES") or os.cpu_count() or 1
    for results in rendering.render_many(tasks, processes=processes, batch_size=config["CERTIFICATE_RENDER_BATCH"],
                                         recycle_every=config.get("CERTIFICATE_RENDER_RECYCLE_EVERY") or None):
        record_pdfs(results)
        done += len(results)
        for result in results:
            stats.cpu_seconds += result.cpu_seconds
            pids.add(result.pid)
            stats.peak_rss_mb = max(stats.peak_rss_mb, result.peak_rss_mb)
            first_last = stats.worker_rss_mb.setdefault(result.pid, [result.peak_rss_mb, result.peak_rss_mb, 0])
            first_last[1], first_last[2] = result.peak_rss_mb, first_last[2] + 1
        if report_progress:
            report_progress(done, total)
    stats.workers = len(pids)
    stats.peak_rss_mb = round(stats.peak_rss_mb, 1)
    return stats


STALE_TEMPORARY_SECONDS = 15 * 60  # a temporary PDF older than this belongs to a process that died


def remove_stale_temporary_files(folder: Path, now: float | None = None) -> int:
    """Delete temporary PDFs a killed renderer left behind (never a live one); return how many."""
    if not folder.is_dir():
        return 0
    limit, removed = (now or time.time()) - STALE_TEMPORARY_SECONDS, 0
    for path in folder.glob(f"{rendering.TEMPORARY_PREFIX}*.pdf"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # its writer renamed it meanwhile
    return removed


def record_pdfs(results: Sequence[rendering.RenderResult]) -> None:
    """Store the path and digest of rendered PDFs."""
    root = storage_root()
    db.session.execute(update(Certificate), [
        {"id": r.certificate_id, "pdf_path": str(Path(r.target).relative_to(root)), "pdf_sha256": r.sha256}
        for r in results
    ])
    db.session.commit()


def ensure_pdf(certificate: Certificate) -> Path:
    """Return a certificate's PDF file, rendering and recording it first when missing."""
    if certificate.pdf_path:
        path = storage_root() / certificate.pdf_path
        if path.is_file():
            return path
    task = rendering.RenderTask(certificate.id, Printer(certificate.enrollment.cohort).printed(certificate),
                                str(storage_root() / relative_pdf_path(certificate)))
    record_pdfs([rendering.render_task(task)])
    return Path(task.target)


def storage_root() -> Path:
    """Return the folder that holds issued PDFs."""
    return Path(current_app.config["CERTIFICATE_ROOT"]).resolve()


def relative_pdf_path(certificate: Certificate) -> str:
    """Return the server-made file name of a certificate's PDF."""
    return f"kohort-{certificate.enrollment.cohort_id}/{certificate.number}.pdf"


class Printer:
    """Turn certificate rows of one cohort into the fields printed on them."""

    def __init__(self, cohort: Cohort):
        course, _modules = course_and_modules(cohort)
        self.templates = {
            GRADUATION: course.certificate_template if course else "kelulusan",
            TOP: (course.top_certificate_template if course else None) or "peserta-terbaik",
        }
        self.signatories = cohort_signatories(cohort)

    def printed(self, certificate: Certificate) -> rendering.PrintedCertificate:
        """Return what one certificate shows."""
        regency = regions.REGENCY_BY_CODE.get(certificate.regency_code or "")
        return rendering.PrintedCertificate(
            template=self.templates[certificate.kind],
            number=certificate.number,
            code=codes.display_code(certificate.code),
            name=certificate.name,
            business_name=certificate.business_name,
            regency_label=regency.label if regency else "",
            course_title=certificate.course_title,
            cohort_name=certificate.cohort_name,
            graduation_date_text=format_date(certificate.graduation_date, "d MMMM yyyy", locale="id"),
            verify_url=verify_url(certificate.code),
            signatories=self.signatories,
        )


def cohort_signatories(cohort: Cohort) -> tuple[rendering.Signatory, ...]:
    """Return the cohort's two signatories: its own names and stored images, else the configured defaults."""
    defaults = current_app.config["CERTIFICATE_SIGNATORIES"]
    images = current_app.config.get("CERTIFICATE_SIGNATURE_IMAGES") or DEFAULT_SIGNATURE_IMAGES
    given = [(cohort.signatory1_name, cohort.signatory1_title, cohort.signatory1_image),
             (cohort.signatory2_name, cohort.signatory2_title, cohort.signatory2_image)]
    root = storage_root()
    signatories = []
    for i, (name, title, stored) in enumerate(given):
        path = signatures.stored_path(root, stored)
        image = str(path) if path is not None else (images[i] if i < len(images) else None)
        signatories.append(rendering.Signatory(name=name or defaults[i][0],
                                               title=title or (defaults[i][1] if not name else ""), image=image))
    return tuple(signatories)


def save_signatories(cohort: Cohort, people: Sequence[tuple[str, str, bytes | None]], *,
                     saved_by: User | None) -> None:
    """Store a cohort's two signatories (name, title, checked image bytes or None to keep), with an audit row."""
    root = storage_root()
    stored = [signatures.store_signature(root, cohort.id, slot, data, signatures.check_signature(
        data, current_app.config["CERTIFICATE_SIGNATURE_MAX_BYTES"])) if data else None
        for slot, (_name, _title, data) in enumerate(people, start=1)]
    with write_transaction():
        locked = db.session.scalar(select(Cohort).where(Cohort.id == cohort.id).with_for_update())
        fields = ("signatory1_name", "signatory1_title", "signatory1_image",
                  "signatory2_name", "signatory2_title", "signatory2_image")
        before = {f: getattr(locked, f) for f in fields}
        for slot, ((name, title, _data), image) in enumerate(zip(people, stored, strict=True), start=1):
            setattr(locked, f"signatory{slot}_name", name)
            setattr(locked, f"signatory{slot}_title", title)
            if image:
                setattr(locked, f"signatory{slot}_image", image)
        audit.record("cohort.signatories", locked, actor=saved_by, before=before,
                     after={f: getattr(locked, f) for f in fields})


def verify_url(code: str) -> str:
    """Return the public verification URL of a code, as the QR code carries it."""
    return public_url("certificates.verify", certificate_code=codes.display_code(code))


# --- Lifecycle ----------------------------------------------------------------------


def revoke_certificate(certificate_id: int, *, reason: str, revoked_by: User | None) -> Certificate:
    """Revoke a valid certificate with a reason; anything else is refused unchanged."""
    with write_transaction():
        certificate = lock_certificate(certificate_id)
        refuse_unless_valid(certificate)
        certificate.status = REVOKED
        certificate.revoked_at = utcnow()
        certificate.revoked_by_id = revoked_by.id if revoked_by else None
        certificate.revoke_reason = reason
        audit.record("certificate.revoke", certificate, actor=revoked_by, before={"status": VALID},
                     after={"status": REVOKED, "reason": reason, "number": certificate.number})
        db.session.flush()
        if certificate.kind == GRADUATION:
            ungraduate_unless_certified(certificate.enrollment, changed_by=revoked_by,
                                        reason=f"Sertifikat kelulusan {certificate.number} dicabut")
        notify_revoked(certificate.enrollment.user, certificate, reason)
        outbox = pending_outbox()
    notifications.deliver(outbox)
    return certificate


def ungraduate_unless_certified(enrollment: Enrollment, *, changed_by: User | None, reason: str) -> bool:
    """Take a graduated enrollment back to active when it holds no valid graduation certificate; tell if so."""
    if enrollment.status != EnrollmentStatus.GRADUATED or has_valid_certificate(enrollment.id, GRADUATION):
        return False
    # "graduated" is final for every other path (lms.enrollments.ALLOWED_TRANSITIONS); only a revoked
    # certificate undoes it, so the step is written here, with the same history row and audit as change_status.
    before = enrollment.status
    enrollment.status = EnrollmentStatus.ACTIVE.value
    enrollment.status_changed_at = utcnow()
    db.session.add(EnrollmentStatusChange(enrollment_id=enrollment.id, from_status=before,
                                          to_status=enrollment.status, reason=reason,
                                          changed_by_id=changed_by.id if changed_by else None))
    audit.record("enrollment.status", enrollment, actor=changed_by, before={"status": before},
                 after={"status": enrollment.status, "reason": reason})
    return True


# --- Graduation -------------------------------------------------------------------------


def graduates_due(cohort: Cohort, *, for_update: bool = False) -> list[Enrollment]:
    """Return the cohort's active enrollments that hold a valid graduation certificate."""
    statement = (
        select(Enrollment).join(Certificate, Certificate.enrollment_id == Enrollment.id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status == EnrollmentStatus.ACTIVE.value,
               Certificate.kind == GRADUATION, Certificate.status == VALID)
        .order_by(Enrollment.id)
    )
    return list(db.session.scalars(statement.with_for_update(of=Enrollment) if for_update else statement))


def graduate_cohort(cohort: Cohort, *, graduated_by: User | None, reason: str) -> int:
    """Move every certified active enrollment of a cohort to graduated, with history and audit; return how many."""
    with write_transaction():
        due = graduates_due(cohort, for_update=True)
        for enrollment in due:
            change_status(enrollment, EnrollmentStatus.GRADUATED, changed_by=graduated_by, reason=reason)
        audit.record("cohort.graduate", cohort, actor=graduated_by,
                     after={"graduated": len(due), "reason": reason,
                            "graduation_date": cohort.graduation_date.isoformat()})
    return len(due)


def graduate_now(cohort: Cohort, *, graduated_by: User) -> int:
    """Staff action "Wisudakan sekarang": graduate a cohort's certified participants before the date."""
    return graduate_cohort(cohort, graduated_by=graduated_by, reason="Diwisudakan staf sebelum tanggal wisuda")


def graduate_due_cohorts(today: date | None = None) -> dict[str, int]:
    """Periodic task: graduate the certified participants of every cohort whose graduation date has come.

    Idempotent: a cohort with nobody left to graduate writes nothing. Returns cohort slug → graduated count.
    """
    today = today or today_wib()
    cohorts = db.session.scalars(select(Cohort).where(Cohort.graduation_date <= today).order_by(Cohort.id)).all()
    done = {}
    for cohort in cohorts:
        if graduates_due(cohort):
            done[cohort.slug] = graduate_cohort(cohort, graduated_by=None, reason="Tanggal wisuda")
    db.session.commit()  # end the last read
    return done


def reissue_certificate(certificate_id: int, *, name: str, business_name: str,
                        issued_by: User | None) -> Certificate:
    """Issue a corrected certificate that supersedes a valid one, and store its PDF."""
    with write_transaction():
        old = lock_certificate(certificate_id)
        refuse_unless_valid(old)
        old.status = SUPERSEDED
        db.session.flush()  # free the "one valid certificate" slot before the new row takes it
        new = create_certificate(old.enrollment, old.kind, issued_by=issued_by, name=name, business_name=business_name)
        old.superseded_by_id = new.id
        audit.record("certificate.reissue", old, actor=issued_by,
                     before={"status": VALID, "name": old.name, "business_name": old.business_name},
                     after={"status": SUPERSEDED, "superseded_by": new.number, "name": name,
                            "business_name": business_name})
        outbox = pending_outbox()
    notifications.deliver(outbox)
    ensure_pdf(new)
    return new


def lock_certificate(certificate_id: int) -> Certificate:
    """Load a certificate for writing."""
    return db.session.scalar(select(Certificate).where(Certificate.id == certificate_id).with_for_update())


def refuse_unless_valid(certificate: Certificate) -> None:
    """Raise a clear CertificateError when a certificate is no longer valid."""
    if certificate.status == REVOKED:
        raise CertificateError(_("Sertifikat %(number)s sudah dicabut sebelumnya; tidak ada yang diubah.",
                                 number=certificate.number))
    if certificate.status == SUPERSEDED:
        raise CertificateError(_("Sertifikat %(number)s sudah digantikan oleh versi baru; tidak ada yang diubah.",
                                 number=certificate.number))


# --- ZIP ------------------------------------------------------------------------------


def cohort_zip_entries(cohort: Cohort) -> list[tuple[str, Path]]:
    """Return (name in the ZIP, file) for every valid certificate of a cohort, rendering missing PDFs."""
    render_missing_pdfs(cohort)
    certificates = db.session.scalars(
        select(Certificate).join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.cohort_id == cohort.id, Certificate.status == VALID).order_by(Certificate.id)
    ).all()
    root = storage_root()
    return [(f"{c.number}-{secure_filename(c.name) or 'peserta'}.pdf", root / c.pdf_path)
            for c in certificates if c.pdf_path]


class _Chunks:
    """A write-only file for zipfile that hands out what was written so far."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def stream_zip(entries: Sequence[tuple[str, Path]]) -> Iterator[bytes]:
    """Yield a ZIP of the files piece by piece, never holding more than one file in memory."""
    sink = _Chunks()
    # PDFs are compressed already: storing them keeps the CPU free and the ZIP as small.
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, path in entries:
            with path.open("rb") as source, archive.open(name, "w") as target:
                shutil.copyfileobj(source, target, 256 * 1024)
            yield sink.take()
    yield sink.take()
