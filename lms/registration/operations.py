"""The writes of registration: one self-registration, one "tell me when it opens" number.

Each runs in one transaction with an audit row. Exactly-once rests on the database:
User.phone is unique and Enrollment (cohort, user) is unique, so of two simultaneous
submissions for one phone (a double tap, two phones of one family, two processes)
one commits and the other hits an IntegrityError, rolls back, and is answered as a
duplicate. Imports (lms/staff/imports.py) dedupe on the same two keys, after the same
normalisation (lms.phone.normalize_phone), so a phone that registered by form and then
appears in an import file is "already enrolled" there, and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms import accounts, audit, enrollments
from lms.content.surveyparse import Survey
from lms.database import write_transaction
from lms.extensions import db
from lms.models import Cohort, Enrollment, RegistrationInterest, Role, SurveyResponse, User, utcnow
from lms.registration import queries, rules

Kind = Literal["created", "enrolled_existing", "duplicate", "refused"]


@dataclass(frozen=True)
class Registrant:
    """What the form collected, already validated and normalised."""

    phone: str  # E.164
    name: str
    business_name: str
    sector: str
    regency_code: str
    district: str
    heard_from: str
    referral_code: str  # "" unless the cohort has that code
    answers: dict = field(default_factory=dict)  # baseline answers by question id


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    enrollment_id: int | None = None
    registration_number: str | None = None

    @property
    def masked_number(self) -> str:
        return rules.mask_registration_number(self.registration_number)


def register(cohort: Cohort, person: Registrant, survey: Survey | None) -> Outcome:
    """Register a person in the cohort's registrants exactly once; answer a repeat as a duplicate.

    A new phone gets an account without a password (staff still select and send the
    activation code), a profile, and an enrollment "registered". A phone that already has
    a participant account (an earlier cohort) is enrolled without touching the account or
    profile: what they typed there, and what staff corrected, stays. Staff and mentor
    phones are refused.
    """
    cohort_id = cohort.id
    for _attempt in range(2):
        try:
            return _register_once(db.session.get(Cohort, cohort_id), person, survey)
        except (IntegrityError, accounts.AccountError):
            db.session.rollback()  # a simultaneous submission for this phone committed first
            existing = queries.registration_for(person.phone, db.session.get(Cohort, cohort_id))
            if existing is not None:
                return Outcome("duplicate", existing.id, existing.registration_number)
    raise RuntimeError("registration kept conflicting")  # pragma: no cover - two retries lost to new rows


def _register_once(cohort: Cohort, person: Registrant, survey: Survey | None) -> Outcome:
    with write_transaction():
        user = db.session.scalar(select(User).where(User.phone == person.phone))
        if user is not None and user.role != Role.PARTICIPANT:
            return Outcome("refused")
        if user is not None:
            existing = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id,
                                                                  Enrollment.cohort_id == cohort.id))
            if existing is not None:
                return Outcome("duplicate", existing.id, existing.registration_number)
            kind: Kind = "enrolled_existing"
        else:
            user = accounts.create_user(name=person.name, phone_text=person.phone, role=Role.PARTICIPANT)
            profile = user.profile
            profile.business_name, profile.sector = person.business_name, person.sector
            profile.regency_code, profile.district = person.regency_code, person.district
            kind = "created"
        enrollment = enrollments.enroll(user, cohort, changed_by=None)
        enrollment.registered_via, enrollment.heard_from = "form", person.heard_from
        enrollment.referral_code = person.referral_code
        enrollment.consent_version, enrollment.consented_at = rules.CONSENT_VERSION, utcnow()
        enrollment.registration_number = rules.registration_number(cohort.start_date.year, enrollment.id)
        if survey is not None and person.answers:
            _store_baseline(user, cohort, survey, person.answers)
        db.session.flush()
        audit.record("registration.form", enrollment, actor=None,
                     after={"number": enrollment.registration_number, "account": kind,
                            "regency": person.regency_code, "heard_from": person.heard_from,
                            "referral_code": person.referral_code, "consent_version": rules.CONSENT_VERSION})
        outcome = Outcome(kind, enrollment.id, enrollment.registration_number)
    return outcome


def _store_baseline(user: User, cohort: Cohort, survey: Survey, answers: dict) -> None:
    """Keep the baseline answers as a submitted version of the impact survey's baseline wave."""
    newest = db.session.scalar(select(func.max(SurveyResponse.version_no)).where(
        SurveyResponse.user_id == user.id, SurveyResponse.cohort_id == cohort.id,
        SurveyResponse.wave == "baseline")) or 0
    now = utcnow()
    db.session.add(SurveyResponse(user_id=user.id, cohort_id=cohort.id, wave="baseline", version_no=newest + 1,
                                  status="submitted", survey_id=survey.id, survey_version=survey.version,
                                  answers=dict(answers), source="form", created_at=now, submitted_at=now))


def note_interest(phone_e164: str, cohort: Cohort | None) -> bool:
    """Keep a number to tell when registration opens; return False if it was already kept (nothing changes)."""
    try:
        with write_transaction():
            if db.session.scalar(select(RegistrationInterest.id).where(RegistrationInterest.phone == phone_e164)):
                return False
            interest = RegistrationInterest(phone=phone_e164, cohort_id=cohort.id if cohort else None,
                                            consent_version=rules.CONSENT_VERSION)
            db.session.add(interest)
            db.session.flush()
            audit.record("registration.interest", interest, actor=None,
                         after={"cohort_id": interest.cohort_id, "consent_version": rules.CONSENT_VERSION})
    except IntegrityError:
        db.session.rollback()
        return False
    return True
