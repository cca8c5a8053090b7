"""The writes of registration: one self-registration, one "tell me when it opens" number.

Each runs in one transaction with an audit row. Exactly-once rests on the database:
User.phone is unique and Enrollment (cohort, user) is unique, so of two simultaneous
submissions for one phone (a double tap, two phones of one family, two processes)
one commits and the other hits an IntegrityError, rolls back, and is answered as a
duplicate. Imports (lms/staff/imports/checking.py) dedupe on the same two keys, after the same
normalisation (lms.phone.normalize_phone), so a phone that registered by form and then
appears in an import file is "already enrolled" there, and the other way round.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Text, bindparam, cast, func, insert, literal, null, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.exc import IntegrityError

from lms import audit
from lms.content.surveyparse import Survey
from lms.database import queued_write_transaction, write_transaction
from lms.extensions import db
from lms.impact import changes as impact_changes
from lms.models import (
    AuditEvent,
    Cohort,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    ParticipantProfile,
    RegistrationInterest,
    Role,
    SurveyResponse,
    User,
    utcnow,
)
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


def register(cohort: Cohort | queries.OpenCohort, person: Registrant, survey: Survey | None) -> Outcome:
    """Register a person in the cohort's registrants exactly once; answer a repeat as a duplicate.

    A new phone gets an account without a password (staff still select and send the
    activation code), a profile, and an enrollment "registered". A phone that already has
    a participant account (an earlier cohort) is enrolled without touching the account or
    profile: what they typed there, and what staff corrected, stays. Staff and mentor
    phones are refused.
    """
    cohort_id, year = cohort.id, cohort.start_date.year  # plain values: a rollback expires an ORM cohort
    for _attempt in range(2):
        try:
            return _register_once(cohort_id, year, person, survey)
        except IntegrityError:
            db.session.rollback()  # a simultaneous submission for this phone committed first
            existing = queries.registration_for(person.phone, db.session.get(Cohort, cohort_id))
            if existing is not None:
                return Outcome("duplicate", existing.id, existing.registration_number)
    raise RuntimeError("registration kept conflicting")  # pragma: no cover - two retries lost to new rows


# Built once: constructing a statement costs more than running it (the rush runs these 1,700 times).
_USER_BY_PHONE = select(User.id, User.role).where(User.phone == bindparam("phone"))
_ENROLLMENT_OF_USER = select(Enrollment.id, Enrollment.registration_number).where(
    Enrollment.user_id == bindparam("user_id"), Enrollment.cohort_id == bindparam("cohort_id"))
_INSERT_USER = insert(User.__table__).returning(User.__table__.c.id)
_INSERT_PROFILE = insert(ParticipantProfile.__table__)
_INSERT_ENROLLMENT = insert(Enrollment.__table__).returning(Enrollment.__table__.c.id)
_SET_NUMBER = (update(Enrollment.__table__).where(Enrollment.__table__.c.id == bindparam("enrollment_id"))
               .values(registration_number=bindparam("number")))
_INSERT_STATUS_CHANGE = insert(EnrollmentStatusChange.__table__)
_NEWEST_BASELINE = select(func.max(SurveyResponse.version_no)).where(
    SurveyResponse.user_id == bindparam("user_id"), SurveyResponse.cohort_id == bindparam("cohort_id"),
    SurveyResponse.wave == "baseline")
_INSERT_SURVEY_RESPONSE = insert(SurveyResponse.__table__)
_INSERT_AUDIT = insert(AuditEvent.__table__)


def _register_once(cohort_id: int, year: int, person: Registrant, survey: Survey | None) -> Outcome:
    """One short transaction of plain statements, prepared before it starts (the SQLite write lock is held briefly).

    On SQLite the writers of every process queue for their turn (lms.database.queued_write_transaction)
    instead of sleeping in SQLite's busy handler.
    """
    status = EnrollmentStatus.REGISTERED.value
    reason = str(_l("Formulir pendaftaran %(number)s", number="{number}"))  # translated outside the lock
    registration_facts = {"account": None, "regency": person.regency_code, "heard_from": person.heard_from,
                          "referral_code": person.referral_code, "consent_version": rules.CONSENT_VERSION}
    with queued_write_transaction(after_reads=True):
        conn = db.session.connection()
        if conn.dialect.name == "postgresql":
            # A new phone (nearly every POST of the rush): the whole write is one statement, one round trip.
            with_answers = survey is not None and bool(person.answers)
            row = conn.execute(_postgresql_new_registration(with_answers), _new_registration_params(
                cohort_id, year, person, survey if with_answers else None, reason, registration_facts)).first()
            if row is not None:
                impact_changes.note(db.session(), [cohort_id])
                return Outcome("created", row.id, row.registration_number)
            # The phone has an account (ON CONFLICT DO NOTHING inserted nothing): the statements below decide.
        found = conn.execute(_USER_BY_PHONE, {"phone": person.phone}).first()
        if found is not None and found.role != Role.PARTICIPANT:
            return Outcome("refused")
        if found is not None:
            existing = conn.execute(_ENROLLMENT_OF_USER, {"user_id": found.id, "cohort_id": cohort_id}).first()
            if existing is not None:
                return Outcome("duplicate", existing.id, existing.registration_number)
        now = utcnow()
        kind: Kind = "enrolled_existing" if found is not None else "created"
        user_id = found.id if found is not None else _create_account(conn, person, now)
        enrollment = dict(cohort_id=cohort_id, user_id=user_id, status=status, status_changed_at=now, created_at=now,
                          registered_via="form", heard_from=person.heard_from, referral_code=person.referral_code,
                          consent_version=rules.CONSENT_VERSION, consented_at=now)
        if conn.dialect.name == "sqlite":  # the number in the INSERT: one statement fewer under the write lock
            enrollment_id, number = conn.execute(_SQLITE_INSERT_ENROLLMENT, dict(
                enrollment, number_prefix=rules.registration_number(year, 0)[:-6])).one()
        else:
            enrollment_id = conn.execute(_INSERT_ENROLLMENT, enrollment).scalar_one()
            number = rules.registration_number(year, enrollment_id)
            conn.execute(_SET_NUMBER, {"enrollment_id": enrollment_id, "number": number})
        conn.execute(_INSERT_STATUS_CHANGE, dict(enrollment_id=enrollment_id, from_status=None, to_status=status,
                                                 changed_at=now, reason=reason.replace("{number}", number)[:300]))
        if survey is not None and person.answers:
            # A new account has no earlier baseline answers: its first version is 1.
            newest = conn.scalar(_NEWEST_BASELINE, {"user_id": user_id, "cohort_id": cohort_id}) \
                if kind == "enrolled_existing" else 0
            conn.execute(_INSERT_SURVEY_RESPONSE, _baseline_row(user_id, cohort_id, survey, person.answers,
                                                                (newest or 0) + 1, now))
        events = [_event("enrollment.create", "Enrollment", enrollment_id, now, {"status": status, "source": "form"}),
                  _event("registration.form", "Enrollment", enrollment_id, now,
                         {"number": number, **registration_facts, "account": kind})]
        if kind == "created":
            events.insert(0, _event("user.create", "User", user_id, now,
                                    {"phone": person.phone, "role": "participant", "source": "form"}))
        conn.execute(_INSERT_AUDIT, events)
        impact_changes.note(db.session(), [cohort_id])  # plain statements: the impact report's counter by hand
    return Outcome(kind, enrollment_id, number)


def _param(name: str, column):
    """A parameter of a column's type, cast to it (PostgreSQL cannot infer a parameter's type in a SELECT list)."""
    return cast(bindparam(name, type_=column.type), column.type)


def _insert_from(table, values: dict, *, source=None):
    """INSERT … SELECT of these column values, plus each other column's scalar default as a literal.

    (Core fills Python-side defaults only into a plain INSERT's parameters, not into an INSERT … SELECT's
    or a CTE's.)
    """
    for column in table.columns:
        default = column.default
        if column.name not in values and default is not None and default.is_scalar:
            values[column.name] = literal(default.arg, column.type)
    select_values = select(*values.values())
    if source is not None:
        select_values = select_values.select_from(source)
    return insert(table).from_select(list(values), select_values, include_defaults=False)


def _sqlite_insert_enrollment():
    """Build the SQLite INSERT of an enrollment with its registration number (no UPDATE after it).

    The id is the one SQLite would give (the largest + 1: the table has no AUTOINCREMENT), read
    in the same statement; writers are serialised (BEGIN IMMEDIATE), so no other can take it.
    """
    table = Enrollment.__table__
    next_id = select((func.coalesce(func.max(table.c.id), 0) + 1).label("id")).subquery("next_enrollment")
    # Plain typed parameters, no CAST: SQLite's CAST(… AS DATETIME) would turn the stored text into a number.
    number = bindparam("number_prefix", type_=table.c.registration_number.type).op("||")(
        func.printf("%06d", next_id.c.id))
    columns = ("cohort_id", "user_id", "status", "status_changed_at", "created_at", "registered_via", "heard_from",
               "referral_code", "consent_version", "consented_at")
    return _insert_from(table, {"id": next_id.c.id,
                                **{name: bindparam(name, type_=table.c[name].type) for name in columns},
                                "registration_number": number}, source=next_id
                        ).returning(table.c.id, table.c.registration_number)


_SQLITE_INSERT_ENROLLMENT = _sqlite_insert_enrollment()


def _new_registration_params(cohort_id: int, year: int, person: Registrant, survey: Survey | None, reason: str,
                             facts: dict) -> dict:
    """The parameters of `_postgresql_new_registration`."""
    now, status = utcnow(), EnrollmentStatus.REGISTERED.value
    params = dict(
        name=person.name, phone=person.phone, now=now, business_name=person.business_name, sector=person.sector,
        regency_code=person.regency_code, district=person.district, cohort_id=cohort_id, status=status,
        heard_from=person.heard_from, referral_code=person.referral_code, consent_version=rules.CONSENT_VERSION,
        number_prefix=rules.registration_number(year, 0)[:-6], reason=reason,
        user_after={"phone": person.phone, "role": "participant", "source": "form"},
        enrollment_after={"status": status, "source": "form"}, form_after={**facts, "account": "created"})
    if survey is not None:
        params.update(survey_id=survey.id, survey_version=survey.version, answers=dict(person.answers))
    return params


@functools.cache
def _postgresql_new_registration(with_answers: bool):
    """Build once the statement that registers a new phone on PostgreSQL: every row of the write in one statement.

    Data-modifying CTEs: the account (ON CONFLICT (phone) DO NOTHING, so a known phone inserts
    nothing and returns no row), then, each from the one before, its profile, the enrollment with
    its registration number (the id drawn from the sequence first, so the number is in the INSERT
    and no UPDATE follows), the status change, the baseline answers and the three audit rows:
    the same rows `_register_once`'s statements write, in one round trip instead of eight.
    """
    param, insert_from = _param, _insert_from
    t_user, t_profile, t_enrollment = User.__table__, ParticipantProfile.__table__, Enrollment.__table__
    t_change, t_response, t_audit = EnrollmentStatusChange.__table__, SurveyResponse.__table__, AuditEvent.__table__


    new_user = (postgresql_insert(t_user).values(
        name=bindparam("name"), phone=bindparam("phone"), role=Role.PARTICIPANT.value, active=True,
        created_at=bindparam("now"), version=1, data_saver=False)
        .on_conflict_do_nothing(index_elements=[t_user.c.phone]).returning(t_user.c.id).cte("new_user"))
    profile = insert_from(t_profile, dict(
        user_id=new_user.c.id, business_name=param("business_name", t_profile.c.business_name),
        sector=param("sector", t_profile.c.sector), regency_code=param("regency_code", t_profile.c.regency_code),
        district=param("district", t_profile.c.district), updated_at=param("now", t_profile.c.updated_at),
    )).cte("new_profile")
    new_id = select(func.nextval(func.pg_get_serial_sequence("enrollment", "id")).label("id"),
                    new_user.c.id.label("user_id")).cte("new_enrollment_id")
    digits = cast(new_id.c.id, Text)
    number = param("number_prefix", t_enrollment.c.registration_number).op("||")(
        func.lpad(digits, func.greatest(6, func.length(digits)), "0"))  # rules.registration_number's {:06d}
    enrollment = insert_from(t_enrollment, dict(
        id=new_id.c.id, cohort_id=param("cohort_id", t_enrollment.c.cohort_id), user_id=new_id.c.user_id,
        status=param("status", t_enrollment.c.status), status_changed_at=param("now", t_enrollment.c.status_changed_at),
        created_at=param("now", t_enrollment.c.created_at),
        registered_via=literal("form", t_enrollment.c.registered_via.type),
        heard_from=param("heard_from", t_enrollment.c.heard_from),
        referral_code=param("referral_code", t_enrollment.c.referral_code),
        consent_version=param("consent_version", t_enrollment.c.consent_version),
        consented_at=param("now", t_enrollment.c.consented_at), registration_number=number,
    )).returning(t_enrollment.c.id, t_enrollment.c.registration_number).cte("new_enrollment")
    change = insert_from(t_change, dict(
        enrollment_id=enrollment.c.id, from_status=null(), to_status=param("status", t_change.c.to_status),
        changed_at=param("now", t_change.c.changed_at),
        reason=func.left(func.replace(param("reason", t_change.c.reason), "{number}",
                                      enrollment.c.registration_number), 300),
    )).cte("new_status_change")

    def audit_row(name: str, action: str, object_type: str, object_id, after):
        return insert_from(t_audit, dict(
            actor_id=null(), action=literal(action, t_audit.c.action.type),
            object_type=literal(object_type, t_audit.c.object_type.type),
            object_id=cast(object_id, t_audit.c.object_id.type), before=null(), after=after,
            created_at=param("now", t_audit.c.created_at))).cte(name)

    form_after = cast(cast(bindparam("form_after", type_=JSON), JSONB).op("||")(
        func.jsonb_build_object("number", enrollment.c.registration_number)), JSON)
    ctes = [profile, change,
            audit_row("audit_user", "user.create", "User", new_user.c.id, param("user_after", t_audit.c.after)),
            audit_row("audit_enrollment", "enrollment.create", "Enrollment", enrollment.c.id,
                      param("enrollment_after", t_audit.c.after)),
            audit_row("audit_form", "registration.form", "Enrollment", enrollment.c.id, form_after)]
    if with_answers:
        ctes.append(insert_from(t_response, dict(
            user_id=new_user.c.id, cohort_id=param("cohort_id", t_response.c.cohort_id),
            wave=literal("baseline", t_response.c.wave.type), version_no=literal(1),
            status=literal("submitted", t_response.c.status.type), survey_id=param("survey_id", t_response.c.survey_id),
            survey_version=param("survey_version", t_response.c.survey_version),
            answers=param("answers", t_response.c.answers), source=literal("form", t_response.c.source.type),
            created_at=param("now", t_response.c.created_at), submitted_at=param("now", t_response.c.submitted_at),
        )).cte("new_answers"))
    return select(enrollment.c.id, enrollment.c.registration_number).add_cte(*ctes)


def _create_account(conn, person: Registrant, now) -> int:
    """Insert the account (no password: staff send the activation code) and its profile; return the id."""
    user_id = conn.execute(_INSERT_USER, dict(
        name=person.name, phone=person.phone, role=Role.PARTICIPANT.value, active=True, created_at=now,
        version=1)).scalar_one()
    conn.execute(_INSERT_PROFILE, dict(
        user_id=user_id, business_name=person.business_name, sector=person.sector,
        regency_code=person.regency_code, district=person.district, updated_at=now))
    return user_id


def _event(action: str, object_type: str, object_id: int, now, after: dict) -> dict:
    """Return an audit row as lms.audit.record writes it (no actor: the registrant is not signed in)."""
    return dict(actor_id=None, action=action, object_type=object_type, object_id=str(object_id), before=None,
                after=after, created_at=now)


def _baseline_row(user_id: int, cohort_id: int, survey: Survey, answers: dict, version_no: int, now) -> dict:
    """Return the baseline answers as a submitted version of the impact survey's baseline wave."""
    return dict(user_id=user_id, cohort_id=cohort_id, wave="baseline", version_no=version_no, status="submitted",
                survey_id=survey.id, survey_version=survey.version, answers=dict(answers), source="form",
                created_at=now, submitted_at=now)


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
