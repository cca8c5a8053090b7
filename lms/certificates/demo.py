"""Demo data for certificates: participants who finished the course, and one who nearly did.

Participants 1–3 (081200000001–3) get everything the course requires: every module
read, a passing quiz attempt per quiz, an accepted submission reviewed by their
mentor per assignment. Participant 4 gets the same except that one assignment
still needs revision, so staff see exactly what "not yet eligible" looks like.
No certificate is issued here: a newcomer issues them from the cohort's
certificate page (or `flask --app wsgi lms certificates issue --cohort ftd-demo`).
The demo cohort gets two signatories with signature images stored the way an
upload is (checked, under instance/); the second cohort (kurasi-demo) keeps the
demo signatures, so its certificate page shows the warning.
Only missing rows are added, so running it again changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from lms import completion, progress, seed
from lms.certificates.eligibility import course_and_modules
from lms.content.schema import Module
from lms.extensions import db
from lms.models import (
    Cohort,
    Enrollment,
    ModuleRead,
    QuizAttempt,
    QuizVersion,
    Review,
    Submission,
    User,
    utcnow,
)
from lms.phone import normalize_phone

COMPLETE = (1, 2, 3)
NEARLY_COMPLETE = 4  # every requirement but the last assignment, which needs revision
DEMO_SCORE = 90.0


DEMO_SIGNATORIES = (
    ("Dr. Ir. Naslindo Sirait, M.M.", "Kepala Dinas Koperasi dan UKM Provinsi Sumatera Utara",
     "M8 44 C 20 8, 34 8, 38 36 S 52 58, 62 26 C 70 6, 84 52, 96 30 S 122 18, 132 40 L 190 28"),
    ("Rina Sembiring, S.E.", "Ketua Pelaksana PLUT-KUMKM Provinsi Sumatera Utara",
     "M10 30 C 30 54, 44 2, 58 34 C 66 52, 80 12, 92 36 C 104 58, 118 10, 140 32 S 176 44, 192 20"),
)


def demo_signature_svg(path: str) -> bytes:
    """Return a hand-drawn-looking signature as a plain SVG path."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 60" width="200" height="60">'
            f'<path d="{path}" fill="none" stroke="#1f2a44" stroke-width="2.4" stroke-linecap="round"/></svg>'
            ).encode()


def seed_signatories(cohort: Cohort) -> None:
    """Give the demo cohort its two signatories with stored signature images (once)."""
    from flask import current_app

    from lms.certificates import operations

    if cohort.signatory1_image and cohort.signatory2_image:
        return
    operations.save_signatories(cohort, [(name, title, demo_signature_svg(path))
                                         for name, title, path in DEMO_SIGNATORIES], saved_by=None)
    current_app.logger.info("demo signatories stored for %s", cohort.slug)


def seed_demo(cohort: Cohort) -> None:
    """Make demo participants 1–3 complete the course and participant 4 nearly; set signatories (idempotent)."""
    seed_signatories(cohort)
    course, modules = course_and_modules(cohort)
    if course is None:
        return
    revise = [m for m in modules if m.assignment is not None][-1:]
    for index in (*COMPLETE, NEARLY_COMPLETE):
        enrollment = demo_enrollment(cohort, index)
        if enrollment is None:
            continue
        facts = completion.facts_for_users([enrollment.user_id], [m.id for m in modules])[enrollment.user_id]
        for module in modules:
            needs_revision = index == NEARLY_COMPLETE and module in revise
            complete_module(enrollment, module, facts, needs_revision=needs_revision)
    db.session.commit()


def demo_enrollment(cohort: Cohort, index: int) -> Enrollment | None:
    """Return demo participant number index's enrollment in the cohort."""
    return db.session.scalar(
        select(Enrollment).join(User, User.id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort.id, User.phone == normalize_phone(seed.participant_phone(index)))
    )


def complete_module(enrollment: Enrollment, module: Module, facts: completion.Facts, *, needs_revision: bool) -> None:
    """Add whatever of read / passed quiz / reviewed assignment a module still lacks."""
    if module.id not in facts.read:
        db.session.add(ModuleRead(user_id=enrollment.user_id, module_id=module.id, module_version=module.version))
        progress.record_read(enrollment.user_id, module.id, utcnow())
    if module.quiz is not None and facts.best_quiz_score.get(module.id, -1) < DEMO_SCORE:
        add_passed_attempt(enrollment.user_id, module)
    if module.assignment is not None and facts.assignment_status.get(module.id) is None:
        add_reviewed_submission(enrollment, module, accepted=not needs_revision)
    elif module.assignment is not None and not needs_revision and facts.assignment_status[module.id] != "accepted":
        add_reviewed_submission(enrollment, module, accepted=True)


def quiz_version_id(module: Module) -> int:
    """Return the stored snapshot id of a module's quiz, storing it first if needed."""
    try:
        from lms.quiz.versions import ensure_quiz_version
    except ImportError:  # the quiz area is optional for this seed
        ensure_quiz_version = None
    if ensure_quiz_version is not None:
        return ensure_quiz_version(module.id, module.quiz)
    found = db.session.scalar(select(QuizVersion.id).where(QuizVersion.module_id == module.id,
                                                           QuizVersion.version == module.quiz.version))
    if found is None:
        row = QuizVersion(module_id=module.id, version=module.quiz.version, snapshot=module.quiz.to_dict())
        db.session.add(row)
        db.session.flush()
        found = row.id
    return found


def add_passed_attempt(user_id: int, module: Module) -> None:
    """Add a submitted, passing quiz attempt."""
    number = (db.session.scalar(select(func.max(QuizAttempt.number)).where(
        QuizAttempt.user_id == user_id, QuizAttempt.module_id == module.id)) or 0) + 1
    questions = module.quiz.questions
    now = utcnow()
    db.session.add(QuizAttempt(
        user_id=user_id, course_id="ftd-umkm", module_id=module.id, quiz_version_id=quiz_version_id(module),
        number=number, choice_order={q.id: [c.id for c in q.choices] for q in questions}, draft_answers={},
        started_at=now - timedelta(minutes=12), submitted_at=now, points=len(questions) * DEMO_SCORE / 100,
        max_points=len(questions), score=DEMO_SCORE, passed=True,
    ))
    progress.record_quiz_score(user_id, module.id, DEMO_SCORE)


def add_reviewed_submission(enrollment: Enrollment, module: Module, *, accepted: bool) -> None:
    """Add a submission version reviewed by the participant's mentor (accepted or needing revision)."""
    allocation = enrollment.current_mentor_allocation()
    if allocation is None:
        return
    assignment = module.assignment
    version_no = (db.session.scalar(select(func.max(Submission.version_no)).where(
        Submission.user_id == enrollment.user_id, Submission.module_id == module.id)) or 0) + 1
    submission = Submission(
        user_id=enrollment.user_id, enrollment_id=enrollment.id, module_id=module.id,
        assignment_version=assignment.version, assignment_snapshot=assignment.to_dict(), version_no=version_no,
        link_url="https://contoh.example/tugas-demo",
        text="Tugas demo: hasil kerja peserta untuk modul ini.",
        client_token=f"demo-cert-{enrollment.user_id}-{module.id}-{version_no}",
        status="accepted" if accepted else "needs_revision",
    )
    db.session.add(submission)
    db.session.flush()
    scores = {c.id: max(level.points for level in c.levels) if accepted else min(level.points for level in c.levels)
              for c in assignment.criteria}
    db.session.add(Review(
        submission_id=submission.id, mentor_id=allocation.mentor_id,
        decision="accepted" if accepted else "needs_revision", scores=scores, total_points=sum(scores.values()),
        max_points=assignment.max_points,
        feedback="Bagus, tugas diterima." if accepted else "Tambahkan foto produk dan harga, lalu kirim ulang.",
        waited_hours=0.0,  # reviewed the moment it was sent
    ))
    if accepted:
        progress.record_accepted(enrollment.user_id, module.id, utcnow())
