"""Demo submissions in every state for participants 5–12 of the demo cohort (safe to run again).

Participants 1–4 are left alone: the certificates demo owns their completion data.
Files are made in code (a small PNG drawn with Pillow, a one-page PDF), then go
through the same checks and storage as a real upload.
"""

from __future__ import annotations

import io
import secrets
from datetime import timedelta

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from lms import progress
from lms.assignments import operations, rules
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import Cohort, Enrollment, Review, Submission, User, utcnow
from lms.phone import normalize_phone

FIRST, LAST = 5, 12
# Per participant number: (module id, [decisions of the versions in order; None = still waiting,
# "withdrawn" = taken back by the participant, "a>b" = reviewed a, then corrected to b]).
SCENARIOS = {
    5: [("orientasi", ["accepted"]), ("pembuatan-konten", [None])],
    6: [("orientasi", [None])],
    7: [("orientasi", ["needs_revision"])],
    8: [("orientasi", ["needs_revision", None])],
    9: [("orientasi", ["needs_revision", "accepted"])],  # version 2 keeps version 1's PDF
    10: [("orientasi", ["accepted"]), ("pembuatan-konten", ["needs_revision>accepted"])],
    11: [("orientasi", ["withdrawn", None])],
    12: [("orientasi", ["accepted"]), ("pembuatan-konten", ["accepted"])],
}
FEEDBACK = {
    "accepted": "Bagus sekali, lengkap dan jelas. Pertahankan!",
    "needs_revision": "Sudah baik, tetapi target belum bisa diukur dan fotonya gelap. Perbaiki lalu kirim lagi.",
}
CORRECTION_REASON = "Saya salah membaca foto kedua: kontennya sudah sesuai brief. Nilai dikoreksi."


def seed_demo(cohort: Cohort) -> None:
    """Add demo submissions and reviews, once per participant."""
    from lms.seed import participant_phone

    content = get_content()
    with current_app.test_request_context():  # notices carry links built with url_for
        for number in range(FIRST, LAST + 1):
            user = db.session.scalar(select(User).where(User.phone == normalize_phone(participant_phone(number))))
            if user is None or db.session.scalar(select(Submission.id).where(Submission.user_id == user.id).limit(1)):
                continue
            enrollment = db.session.scalar(
                select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.cohort_id == cohort.id)
            )
            if enrollment is None:
                continue
            for step, (module_id, decisions) in enumerate(SCENARIOS[number]):
                module = content.modules.get(module_id)
                if module is not None and module.assignment is not None:
                    _seed_versions(user, enrollment, module, decisions, days_ago=8 - step * 2 - number % 3)


def _seed_versions(user, enrollment, module, decisions, days_ago: int) -> None:
    """Send one version per decision, review it as the participant's mentor, and backdate the times."""
    mentor_id = operations.current_mentor_id(enrollment.id)
    mentor = db.session.get(User, mentor_id) if mentor_id else None
    start = utcnow() - timedelta(days=max(days_ago, 1))
    previous = None
    for index, step in enumerate(decisions):
        decision, _, corrected_to = (step or "").partition(">")
        sent = operations.SubmissionInput(
            client_token=secrets.token_urlsafe(24),
            link_url="https://instagram.com/umkm.demo" if "link" in module.assignment.accepts else None,
            text=_demo_text(user) if "text" in module.assignment.accepts else None,
            files=_demo_files(user, index) if "file" in module.assignment.accepts else [],
            # A revision keeps the earlier version's PDF instead of uploading it again.
            kept_file_ids=[f.id for f in previous.all_files if f.content_type == "application/pdf"]
            if previous is not None and previous.status == rules.NEEDS_REVISION else [],
        )
        submission = operations.submit_work(user, enrollment, module, sent).submission
        submitted_at = start + timedelta(days=index * 2)
        submission.created_at = submitted_at
        db.session.commit()
        previous = submission
        if decision == rules.WITHDRAWN:
            operations.withdraw_submission(user, submission.id)
            continue
        if not decision or mentor is None:
            continue
        _review(submission, mentor, decision, submitted_at + timedelta(hours=5 + 7 * index), first=True)
        if corrected_to:
            _review(submission, mentor, corrected_to, submitted_at + timedelta(hours=30 + 7 * index), first=False)


def _review(submission: Submission, mentor: User, decision: str, at, *, first: bool) -> None:
    """Review a version (or correct its review) as its mentor, then backdate it."""
    scores, feedback = _scores(submission, decision), FEEDBACK[decision]
    if first:
        review, _outbox = operations.review_submission(submission.id, mentor, decision=decision, scores=scores,
                                                       feedback=feedback)
    else:
        review, _outbox = operations.correct_review(submission.id, mentor, decision=decision, scores=scores,
                                                    feedback=feedback, reason=CORRECTION_REASON)
    stored = db.session.get(Review, review.id)
    stored.created_at = at
    if first:
        stored.waited_hours = rules.hours_waited(submission.created_at, at)
    db.session.commit()
    # The progress row keeps the acceptance time the operation saw; follow the backdated review.
    progress.recompute_row(submission.user_id, submission.module_id)
    db.session.commit()


def _scores(submission: Submission, decision: str) -> dict[str, int]:
    """Give every criterion its best level when accepted, a middle level otherwise."""
    scores = {}
    for criterion in submission.assignment_snapshot["criteria"]:
        points = sorted(int(level["points"]) for level in criterion["levels"])
        scores[criterion["id"]] = points[-1] if decision == rules.ACCEPTED else points[len(points) // 2]
    return scores


def _demo_text(user: User) -> str:
    business = user.profile.business_name if user.profile else user.name
    return (
        f"Usaha saya {business}. Produk utama kami laris di sekitar toko.\n"
        "Tantangan: pembeli dari luar kota belum tahu usaha kami.\n"
        "Target: posting 3 kali seminggu dan punya 10 ulasan di Google Maps.\n"
        "Verifikasi dua langkah WhatsApp sudah saya aktifkan."
    )


def _demo_files(user: User, index: int) -> list[FileStorage]:
    """Return a small photo-like PNG, plus a PDF on even versions."""
    files = [FileStorage(io.BytesIO(demo_png(user.id + index)), filename="foto-usaha.png", content_type="image/png")]
    if index % 2 == 0:
        files.append(FileStorage(io.BytesIO(demo_pdf()), filename="rencana.pdf", content_type="application/pdf"))
    return files


def demo_png(seed: int = 0) -> bytes:
    """Draw a small PNG: a coloured background with a "product" on it."""
    image = Image.new("RGB", (320, 240), (230 - seed % 40, 220, 200))
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 60, 220, 180), fill=(150, 90, 40))
    draw.rectangle((20, 200, 300, 220), fill=(60, 120, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def demo_pdf() -> bytes:
    """Build a minimal valid one-page PDF with a line of text."""
    stream = b"BT /F1 18 Tf 50 750 Td (Rencana konten seminggu - demo) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
