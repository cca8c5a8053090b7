"""What the privacy pages read: one person's data, the deletion queue, and who retention erases."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from lms.extensions import db
from lms.models import (
    BusinessSnapshot,
    Certificate,
    Cohort,
    DeletionRequest,
    Enrollment,
    EnrollmentStatusChange,
    KnowledgeTestResult,
    QuizAttempt,
    Role,
    Submission,
    SubmissionFile,
    SurveyResponse,
    User,
)
from lms.privacy.rules import SELECTED_STATUSES


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def person_data(user: User) -> dict:
    """Return everything the LMS holds about a person, as plain JSON-ready values (one query per kind)."""
    profile = user.profile
    enrollments = db.session.execute(
        select(Enrollment, Cohort.name).join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.user_id == user.id).order_by(Enrollment.id)).all()
    surveys = db.session.execute(
        select(SurveyResponse, Cohort.name).join(Cohort, Cohort.id == SurveyResponse.cohort_id)
        .where(SurveyResponse.user_id == user.id).order_by(SurveyResponse.id)).all()
    submissions = list(db.session.scalars(select(Submission).where(Submission.user_id == user.id)
                                          .order_by(Submission.id)))
    files: dict[int, list[str]] = {}
    for submission_id, name in db.session.execute(
            select(SubmissionFile.submission_id, SubmissionFile.display_name)
            .join(Submission, Submission.id == SubmissionFile.submission_id).where(Submission.user_id == user.id)):
        files.setdefault(submission_id, []).append(name)
    attempts = list(db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id)
                                       .order_by(QuizAttempt.id)))
    certificates = list(db.session.scalars(
        select(Certificate).join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.user_id == user.id).order_by(Certificate.id)))
    snapshots = list(db.session.scalars(select(BusinessSnapshot).where(BusinessSnapshot.user_id == user.id)))
    knowledge = db.session.execute(  # knowledge: the pre/post test answers and scores
        select(KnowledgeTestResult, Cohort.name).join(Cohort, Cohort.id == KnowledgeTestResult.cohort_id)
        .where(KnowledgeTestResult.user_id == user.id).order_by(KnowledgeTestResult.id)).all()
    requests = list(db.session.scalars(select(DeletionRequest).where(DeletionRequest.user_id == user.id)
                                       .order_by(DeletionRequest.id)))
    return {
        "account": {"name": user.name, "phone": user.phone, "email": user.email, "role": user.role,
                    "created_at": _iso(user.created_at), "last_login_at": _iso(user.last_login_at)},
        "profile": {} if profile is None else {
            "business_name": profile.business_name, "sector": profile.sector, "regency_code": profile.regency_code,
            "district": profile.district, "certificate_name": profile.certificate_name, "address": profile.address,
            "instagram_url": profile.instagram_url, "facebook_url": profile.facebook_url,
            "tiktok_url": profile.tiktok_url, "marketplace_url": profile.marketplace_url,
            "website_url": profile.website_url, "business_started_year": profile.business_started_year},
        "enrollments": [{"cohort": name, "status": e.status, "registered_at": _iso(e.created_at),
                         "registered_via": e.registered_via, "heard_from": e.heard_from,
                         "referral_code": e.referral_code, "registration_number": e.registration_number}
                        for e, name in enrollments],
        "consents": [{"cohort": name, "consent_version": e.consent_version, "consented_at": _iso(e.consented_at)}
                     for e, name in enrollments if e.consent_version or e.consented_at],
        "survey_answers": [{"cohort": name, "wave": r.wave, "version": r.version_no, "status": r.status,
                            "submitted_at": _iso(r.submitted_at), "answers": r.answers}
                           for r, name in surveys],
        "knowledge_tests": [{"cohort": name, "phase": r.phase, "submitted_at": _iso(r.submitted_at),
                             "answers": r.answers, "scores": r.scores} for r, name in knowledge],
        "business_snapshots": [{"kind": s.kind, "monthly_revenue": s.monthly_revenue, "employees": s.employees,
                                "sales_channels": s.sales_channels, "legal_status": s.legal_status,
                                "recorded_at": _iso(s.recorded_at)} for s in snapshots],
        "submissions": [{"module": s.module_id, "version": s.version_no, "status": s.status,
                         "submitted_at": _iso(s.created_at), "link": s.link_url, "text": s.text,
                         "files": files.get(s.id, [])} for s in submissions],
        "quiz_attempts": [{"module": a.module_id, "attempt": a.number, "submitted_at": _iso(a.submitted_at),
                           "score": a.score, "passed": a.passed} for a in attempts],
        "certificates": [{"number": c.number, "kind": c.kind, "status": c.status, "name": c.name,
                          "course": c.course_title, "cohort": c.cohort_name,
                          "graduation_date": _iso(c.graduation_date), "verification_code": c.code}
                         for c in certificates],
        "deletion_requests": [{"asked_at": _iso(r.created_at), "reason": r.reason,
                               "carried_out_at": _iso(r.resolved_at)} for r in requests],
    }


def open_request(user_id: int) -> DeletionRequest | None:
    return db.session.scalar(select(DeletionRequest).where(DeletionRequest.user_id == user_id,
                                                           DeletionRequest.resolved_at.is_(None)))


def pending_count(viewer=None) -> int:
    """Open deletion requests (the staff navigation shows the count)."""
    return db.session.scalar(select(func.count(DeletionRequest.id)).where(DeletionRequest.resolved_at.is_(None))) or 0


def pending_requests() -> list[DeletionRequest]:
    return list(db.session.scalars(select(DeletionRequest).where(DeletionRequest.resolved_at.is_(None))
                                   .order_by(DeletionRequest.created_at)))


def recent_resolved(limit: int = 20) -> list[DeletionRequest]:
    return list(db.session.scalars(select(DeletionRequest).where(DeletionRequest.resolved_at.is_not(None))
                                   .order_by(DeletionRequest.resolved_at.desc()).limit(limit)))


def due_for_retention(cutoff: date) -> list[int]:
    """Ids of never-selected participants, not yet erased, whose every cohort closed registration by `cutoff`."""
    chosen = aliased(Enrollment)
    ever_selected = exists().where(
        EnrollmentStatusChange.enrollment_id == chosen.id,
        EnrollmentStatusChange.to_status.in_(SELECTED_STATUSES))
    # Its own alias, never correlated to the outer query's enrollment: a person with one selected
    # enrollment is kept whatever their other enrollments are.
    selected_user = (select(chosen.user_id).where(chosen.status.in_(SELECTED_STATUSES) | ever_selected)
                     .correlate(None))
    statement = (
        select(User.id)
        .join(Enrollment, Enrollment.user_id == User.id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(User.role == Role.PARTICIPANT.value, User.erased_at.is_(None), User.id.not_in(selected_user))
        .group_by(User.id)
        # Counted from when registration closed, as the consent text says; a cohort without a
        # window (imported registrants) counts from its graduation date.
        .having(func.max(func.coalesce(Cohort.registration_closes_on, Cohort.graduation_date)) <= cutoff)
        .order_by(User.id))
    return list(db.session.scalars(statement))
