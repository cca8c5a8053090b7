"""Signed single-use survey links for the comparison group: registrants not selected answer without an account.

The URL carries a token signed with the app's secret key (itsdangerous) that names one
SurveyLink row and its nonce. The database decides the rest: the link must not be
expired (`expires_at`) nor used (`used_at`). Using it is one conditional UPDATE
(`… WHERE used_at IS NULL`) in the same transaction as the answers, so two
submissions racing with one link save one answer. Making links again renews only
expired unused ones (a new nonce, so the old URL dies); a link already sent stays valid.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from lms import audit
from lms.database import write_transaction
from lms.extensions import db
from lms.impact.operations import store_answers
from lms.impact.rules import cohort_waves
from lms.impact.snapshot import schedule_refresh
from lms.models import Cohort, Enrollment, EnrollmentStatus, SurveyLink, SurveyResponse, User, utcnow

SALT = "impact.survey-link"


class LinkUnusable(Exception):
    """The link is unknown, expired or already used (the message says which, in Indonesian)."""


def link_waves(cohort: Cohort) -> tuple[str, ...]:
    """The waves a comparison registrant gets a link for: the endline and the cohort's follow-ups.

    Not the baseline: the comparison group answered it when they registered.
    """
    return tuple(wave for wave in cohort_waves(cohort) if wave != "baseline")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(link: SurveyLink) -> str:
    """The signed token that goes in the link's URL."""
    return _serializer().dumps([link.id, link.nonce])


def link_for_token(token: str) -> SurveyLink | None:
    """The link a token names, if its signature and nonce are right (whether used or expired is checked later)."""
    try:
        link_id, nonce = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    link = db.session.get(SurveyLink, link_id) if isinstance(link_id, int) else None
    if link is None or not secrets.compare_digest(str(nonce), link.nonce):
        return None
    return link


def check_usable(link: SurveyLink, now=None) -> None:
    """Raise LinkUnusable for a used or expired link."""
    now = now or utcnow()
    if link.used_at is not None:
        raise LinkUnusable(_("Tautan ini sudah dipakai. Terima kasih, jawaban Anda sudah kami terima."))
    if link.expires_at <= now:
        raise LinkUnusable(_("Tautan ini sudah kedaluwarsa. Minta tautan baru kepada staf PLUT."))


def comparison_enrollments(cohort: Cohort) -> list[tuple[Enrollment, User]]:
    """The cohort's registrants never selected: the comparison group."""
    return list(db.session.execute(
        select(Enrollment, User).join(User, User.id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status == EnrollmentStatus.REGISTERED.value)
        .order_by(User.name, User.id)).all())


def make_links(cohort: Cohort, wave: str, *, made_by: User) -> int:
    """Give every comparison registrant a link for a wave (new, or renewed when expired unused); return how many."""
    if wave not in link_waves(cohort):
        raise ValueError(f"no links for wave {wave}")
    days = current_app.config["SURVEY_LINK_DAYS"]
    now = utcnow()
    made = 0
    with write_transaction():
        existing = {link.enrollment_id: link for link in db.session.scalars(
            select(SurveyLink).join(Enrollment, Enrollment.id == SurveyLink.enrollment_id)
            .where(Enrollment.cohort_id == cohort.id, SurveyLink.wave == wave))}
        for enrollment, _user in comparison_enrollments(cohort):
            link = existing.get(enrollment.id)
            if link is not None and (link.used_at is not None or link.expires_at > now):
                continue
            if link is None:
                link = SurveyLink(enrollment_id=enrollment.id, wave=wave)
                db.session.add(link)
            link.nonce, link.expires_at = secrets.token_hex(16), now + timedelta(days=days)
            link.created_by_id = made_by.id
            made += 1
        audit.record("survey.links_made", cohort, actor=made_by, after={"wave": wave, "made": made})
    return made


def answer_with_link(link: SurveyLink, survey, answers: dict) -> SurveyResponse:
    """Claim the link and store its answers in one transaction; raise LinkUnusable when it was used or expired."""
    enrollment = link.enrollment
    user, cohort = enrollment.user, enrollment.cohort
    with write_transaction():
        claimed = db.session.execute(
            update(SurveyLink).where(SurveyLink.id == link.id, SurveyLink.nonce == link.nonce,
                                     SurveyLink.used_at.is_(None), SurveyLink.expires_at > utcnow())
            .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            db.session.rollback()
            db.session.refresh(link)
            check_usable(link)
            raise LinkUnusable(_("Tautan ini tidak bisa dipakai lagi."))
        response = store_answers(user, cohort, link.wave, survey, answers, submit=True, source="link",
                                 entered_by=None)
    schedule_refresh(cohort.id)
    return response


def link_rows(cohort: Cohort, wave: str) -> list[dict]:
    """Every comparison registrant with their link for the wave (or none), for the staff page."""
    links = {link.enrollment_id: link for link in db.session.scalars(
        select(SurveyLink).join(Enrollment, Enrollment.id == SurveyLink.enrollment_id)
        .where(Enrollment.cohort_id == cohort.id, SurveyLink.wave == wave))}
    answered = set(db.session.scalars(select(SurveyResponse.user_id).where(
        SurveyResponse.cohort_id == cohort.id, SurveyResponse.wave == wave, SurveyResponse.status == "submitted")))
    now = utcnow()
    rows = []
    for enrollment, user in comparison_enrollments(cohort):
        link = links.get(enrollment.id)
        state = "none" if link is None else "used" if link.used_at else "expired" if link.expires_at <= now else "open"
        rows.append({"user": user, "link": link, "state": state, "answered": user.id in answered,
                     "token": token_for(link) if state == "open" else None})
    return rows
