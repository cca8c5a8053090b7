"""What the registration pages read: the window state, the programme's modules, an existing registration.

These are also the registration facts other areas (outreach, exports) may read:
`registration_state_today()`, `open_cohort()`, `registration_for(phone, cohort)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, select

from lms.content.surveyparse import Survey, SurveyQuestion
from lms.extensions import db
from lms.learn.store import get_content
from lms.models import Cohort, Enrollment, ReferralCode, User, utcnow
from lms.registration import rules

WIB = ZoneInfo("Asia/Jakarta")
SURVEY_ID = "dampak-umkm"  # the impact survey whose baseline wave the form asks (lms.impact.queries)


@dataclass(frozen=True)
class Registration:
    """The public page's view of the registration window: the state and the cohort it is about."""

    state: rules.State
    cohort: Cohort | None

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def wib_today() -> date:
    """Today's date in North Sumatra."""
    return utcnow().replace(tzinfo=UTC).astimezone(WIB).date()


# Built once: every page of the closing rush runs these.
_COHORTS_WITH_A_WINDOW = select(Cohort).where(Cohort.registration_opens_on.is_not(None),
                                              Cohort.registration_closes_on.is_not(None))
_REFERRAL_OF_COHORT = select(ReferralCode.__table__.c.code).where(
    ReferralCode.__table__.c.cohort_id == bindparam("cohort_id"), ReferralCode.__table__.c.code == bindparam("code"))


def registration_state_today(today: date | None = None) -> Registration:
    """Return whether registration is open, upcoming or closed today, and for which cohort (see rules)."""
    # One query (every page of the rush reads it): the cohorts with a window, whole; a season has a few.
    cohorts = {cohort.id: cohort for cohort in db.session.scalars(_COHORTS_WITH_A_WINDOW)}
    windows = [rules.Window(c.id, c.registration_opens_on, c.registration_closes_on, c.start_date)
               for c in cohorts.values()]
    state = rules.registration_state(windows, today or wib_today())
    return Registration(state.state, cohorts.get(state.cohort_id) if state.cohort_id is not None else None)


@dataclass(frozen=True)
class OpenCohort:
    """What a registration POST needs of the open cohort: plain values, read with the referral code in one query."""

    id: int
    name: str
    start_date: date
    referral_code: str  # the POST's ?ref= code if this cohort has it, else ""


_T_COHORT, _T_REFERRAL = Cohort.__table__, ReferralCode.__table__
_WINDOWS_WITH_REFERRAL = select(
    _T_COHORT.c.id, _T_COHORT.c.name, _T_COHORT.c.start_date, _T_COHORT.c.registration_opens_on,
    _T_COHORT.c.registration_closes_on,
    select(_T_REFERRAL.c.code).where(_T_REFERRAL.c.cohort_id == _T_COHORT.c.id,
                                     _T_REFERRAL.c.code == bindparam("code")).scalar_subquery().label("referral"),
).where(_T_COHORT.c.registration_opens_on.is_not(None), _T_COHORT.c.registration_closes_on.is_not(None))


def open_cohort_with_referral(ref: str, today: date | None = None) -> OpenCohort | None:
    """Return the cohort taking registrations today with the referral code it knows, or None (one Core query).

    The same rules as `registration_state_today` and `known_referral`, for the closing rush's
    POSTs: no ORM objects are built (the slow paths load the Cohort when they render it).
    """
    code = rules.normalize_referral(ref)
    rows = db.session.connection().execute(_WINDOWS_WITH_REFERRAL, {"code": code}).all()
    windows = [rules.Window(row.id, row.registration_opens_on, row.registration_closes_on, row.start_date)
               for row in rows]
    state = rules.registration_state(windows, today or wib_today())
    if state.state != "open":
        return None
    row = next(row for row in rows if row.id == state.cohort_id)
    return OpenCohort(row.id, row.name, row.start_date, (row.referral or "") if code else "")


def open_cohort(today: date | None = None) -> Cohort | None:
    """Return the cohort taking registrations today, if any."""
    registration = registration_state_today(today)
    return registration.cohort if registration.is_open else None


def course_modules(cohort: Cohort | None) -> tuple[str, list]:
    """Return the course title and modules participants learn (the cohort's course, else the first course)."""
    content = get_content()
    course = content.course(cohort.course_id) if cohort is not None else None
    if course is None and content.library.courses:
        course = next(iter(content.library.courses.values()))
    if course is None:
        return "", []
    return course.title, content.course_modules(course)


def baseline_survey() -> tuple[Survey | None, tuple[SurveyQuestion, ...]]:
    """Return the impact survey and the baseline questions the form asks (empty if the survey is missing)."""
    survey = get_content().library.surveys.get(SURVEY_ID)
    if survey is None:
        return None, ()
    # Picked once per survey object (published content that changes is a new object): every GET and POST asks.
    kept = current_app.extensions.get("lms_registration_questions")
    if kept is None or kept[0] is not survey:
        kept = current_app.extensions["lms_registration_questions"] = (
            survey, rules.form_questions(survey.for_wave("baseline")))
    return survey, kept[1]


def known_referral(cohort: Cohort, code: str) -> str:
    """Return the code if the cohort has it as a referral code, else ""."""
    code = rules.normalize_referral(code)
    if not code:
        return ""
    found = db.session.scalar(_REFERRAL_OF_COHORT, {"cohort_id": cohort.id, "code": code})
    return found or ""


def registration_for(phone_e164: str, cohort: Cohort) -> Enrollment | None:
    """Return the phone's enrollment in the cohort (any status, any source), if any."""
    return db.session.scalar(select(Enrollment).join(User, User.id == Enrollment.user_id)
                             .where(User.phone == phone_e164, Enrollment.cohort_id == cohort.id))

