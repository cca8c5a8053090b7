"""Curating registrants: filtered lists, bulk status changes, and activation codes for accepted ones."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager

from lms import accounts, audit
from lms.database import write_transaction
from lms.enrollments import (
    Elsewhere,
    OneActiveRuleError,
    can_transition,
    change_status,
    elsewhere,
    places_left,
)
from lms.extensions import db
from lms.models import Cohort, Enrollment, EnrollmentStatus, ParticipantProfile, User, utcnow
from lms.staff.curation import rules as curation_score

# Accepted participants: chosen for the bootcamp, whether or not it has started for them.
ACCEPTED_STATUSES = (EnrollmentStatus.SELECTED.value, EnrollmentStatus.ACTIVE.value)


@dataclass(frozen=True)
class Filters:
    """What the curation list is narrowed to; empty strings mean "any"."""

    regency: str = ""
    sector: str = ""
    status: str = ""
    query: str = ""

    def as_args(self) -> dict[str, str]:
        """Return the filters as URL query arguments (empty ones left out)."""
        args = {"kabupaten": self.regency, "bidang": self.sector, "status": self.status, "q": self.query}
        return {key: value for key, value in args.items() if value}


@dataclass(frozen=True)
class BulkResult:
    changed: int
    skipped: int  # not allowed from their current status (e.g. a graduate cannot be withdrawn)
    needs_confirmation: SelectionCheck | None = None  # nothing was changed; staff must confirm first


@dataclass(frozen=True)
class SelectionCheck:
    """What selecting some registrants would run into: other cohorts, and the cohort's capacity."""

    movable: int  # how many of them would actually change status
    elsewhere: dict[int, list[Elsewhere]]  # user id → selected/active enrollments in other cohorts
    names: dict[int, str]  # user id → name, for the confirmation page
    places_left: int | None  # None: the cohort has no capacity set
    capacity: int | None

    @property
    def over_capacity(self) -> int:
        """Return by how many people the selection would exceed the capacity."""
        return max(self.movable - self.places_left, 0) if self.places_left is not None else 0

    def blocks(self, *, confirmed_elsewhere: bool, override_reason: str) -> bool:
        """Tell whether the selection still needs a confirmation or a capacity override."""
        return bool(self.elsewhere and not confirmed_elsewhere) or bool(self.over_capacity and not override_reason)


def check_selection(cohort: Cohort, enrollments: list[Enrollment], target: str) -> SelectionCheck:
    """Check what moving these enrollments to `target` runs into (only selection is checked)."""
    movable = [e for e in enrollments if e.status != target and can_transition(e.status, target)]
    if target != EnrollmentStatus.SELECTED or not movable:
        return SelectionCheck(len(movable), {}, {}, None, cohort.capacity)
    found = elsewhere([e.user_id for e in movable], cohort)
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(list(found)))).all()) if found else {}
    return SelectionCheck(len(movable), found, names, places_left(cohort), cohort.capacity)


def enrollments_query(cohort: Cohort, filters: Filters) -> Select:
    """Select the cohort's enrollments matching the filters, with user and profile, by name."""
    statement = (
        select(Enrollment)
        .join(Enrollment.user)
        .outerjoin(User.profile)
        .options(contains_eager(Enrollment.user).contains_eager(User.profile))
        .where(Enrollment.cohort_id == cohort.id)
        .order_by(User.name, Enrollment.id)
    )
    return _narrow(statement, filters)


def _narrow(statement: Select, filters: Filters) -> Select:
    if filters.regency == "none":
        statement = statement.where(ParticipantProfile.regency_code.is_(None))
    elif filters.regency:
        statement = statement.where(ParticipantProfile.regency_code == filters.regency)
    if filters.sector:
        statement = statement.where(ParticipantProfile.sector == filters.sector)
    if filters.status:
        statement = statement.where(Enrollment.status == filters.status)
    if filters.query:
        digits = "".join(ch for ch in filters.query if ch.isdigit()).lstrip("0")
        conditions = [User.name.ilike(f"%{filters.query}%"), ParticipantProfile.business_name.ilike(
            f"%{filters.query}%")]
        if len(digits) >= 4:
            conditions.append(User.phone.contains(digits))
        statement = statement.where(or_(*conditions))
    return statement


def matching_ids(cohort: Cohort, filters: Filters) -> list[int]:
    """Return the ids of every enrollment that matches the filters."""
    statement = (
        select(Enrollment.id)
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == User.id)
        .where(Enrollment.cohort_id == cohort.id)
    )
    return list(db.session.scalars(_narrow(statement, filters)))


def bulk_change_status(cohort: Cohort, enrollment_ids: list[int], target: str, reason: str, *,
                       changed_by: User, confirmed_elsewhere: bool = False, override_reason: str = "") -> BulkResult:
    """Move the chosen enrollments of this cohort to a status, with a reason, in one transaction.

    Selecting people who are selected or active in another cohort needs
    `confirmed_elsewhere`; going over the cohort's capacity needs an `override_reason`
    (recorded as its own audit row). Without them nothing changes and the result
    carries the check for the confirmation page.
    """
    changed = skipped = 0
    with write_transaction():
        db.session.refresh(cohort, with_for_update=True)  # two selections at once cannot both take the last place
        enrollments = db.session.scalars(
            select(Enrollment)
            .where(Enrollment.cohort_id == cohort.id, Enrollment.id.in_(enrollment_ids))
            .order_by(Enrollment.id)
            .with_for_update()
        ).all()
        check = check_selection(cohort, list(enrollments), target)
        if check.blocks(confirmed_elsewhere=confirmed_elsewhere, override_reason=override_reason):
            return BulkResult(changed=0, skipped=0, needs_confirmation=check)
        for enrollment in enrollments:
            if enrollment.status == target or not can_transition(enrollment.status, target):
                skipped += 1
                continue
            try:
                change_status(enrollment, target, changed_by=changed_by, reason=reason)
            except OneActiveRuleError:
                skipped += 1  # already active in another cohort's course run
                continue
            changed += 1
        skipped += len(set(enrollment_ids)) - len(enrollments)  # ids of other cohorts are ignored
        if check.over_capacity:
            audit.record("cohort.capacity_override", cohort, actor=changed_by,
                         before={"capacity": cohort.capacity, "places_left": check.places_left},
                         after={"selected": changed, "over_by": check.over_capacity, "reason": override_reason})
        if check.elsewhere:
            audit.record("cohort.select_elsewhere", cohort, actor=changed_by,
                         after={"user_ids": sorted(check.elsewhere)})
    return BulkResult(changed=changed, skipped=skipped)


def _code_candidate_conditions(cohort: Cohort) -> tuple:
    return (Enrollment.cohort_id == cohort.id, Enrollment.status.in_(ACCEPTED_STATUSES),
            User.password_hash.is_(None), User.active.is_(True))


def code_candidates(cohort: Cohort) -> list[Enrollment]:
    """Return accepted participants who have not activated their account yet."""
    return db.session.scalars(
        select(Enrollment)
        .join(Enrollment.user)
        .options(contains_eager(Enrollment.user))
        .where(*_code_candidate_conditions(cohort))
        .order_by(User.name, Enrollment.id)
    ).all()


def count_code_candidates(cohort: Cohort) -> int:
    """Count accepted participants who have not activated their account yet."""
    return db.session.scalar(
        select(func.count()).select_from(Enrollment).join(User, User.id == Enrollment.user_id)
        .where(*_code_candidate_conditions(cohort))
    )


def issue_codes(cohort: Cohort, *, issued_by: User, purpose: str) -> list[accounts.IssuedCode]:
    """Issue fresh activation codes to every accepted, not yet activated participant (old codes stop working)."""
    with write_transaction():
        candidates = code_candidates(cohort)
        issued = [accounts.issue_activation_code(e.user, created_by=issued_by) for e in candidates]
        user_ids = [e.user_id for e in candidates]
        audit.record("cohort.activation_codes", cohort, actor=issued_by,
                     after={"count": len(issued), "purpose": purpose})
    # Reload the committed accounts in one query rather than one lazy refresh per row.
    db.session.scalars(select(User).where(User.id.in_(user_ids))).all()
    return issued


# --- Stage-2 criteria: scores and "the best N within each regency's quota" ------------------


def criteria_of(cohort: Cohort) -> curation_score.Criteria:
    """Return the cohort's stage-2 criteria (defaults when none were chosen)."""
    return curation_score.Criteria.from_json(cohort.curation_criteria)


def save_criteria(cohort: Cohort, criteria: curation_score.Criteria, *, saved_by: User) -> None:
    """Store a cohort's stage-2 criteria (one transaction, audited with before and after)."""
    with write_transaction():
        before = cohort.curation_criteria
        cohort.curation_criteria = criteria.to_json()
        audit.record("cohort.curation_criteria", cohort, actor=saved_by, before=before, after=cohort.curation_criteria)


def _registrant(enrollment_id: int, profile: ParticipantProfile | None, year: int) -> curation_score.Registrant:
    if profile is None:
        return curation_score.Registrant(enrollment_id)
    started = profile.business_started_year
    return curation_score.Registrant(
        enrollment_id=enrollment_id, sector=profile.sector or "", regency_code=profile.regency_code,
        business_age=max(year - started, 0) if started else None, business_name=profile.business_name or "",
        address=profile.address or "")


def scored_registrants(cohort: Cohort, *, statuses=(EnrollmentStatus.REGISTERED.value,)) -> list[curation_score.Scored]:
    """Score the cohort's registrants (by default those still only registered), best first."""
    year = utcnow().year
    rows = db.session.execute(
        select(Enrollment.id, ParticipantProfile)
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status.in_(statuses))
    ).all()
    return curation_score.rank([_registrant(eid, profile, year) for eid, profile in rows], criteria_of(cohort))


def scores_for(cohort: Cohort, enrollments: list[Enrollment]) -> dict[int, curation_score.Scored]:
    """Return enrollment id → score for the enrollments shown on one page of the curation list."""
    criteria, year = criteria_of(cohort), utcnow().year
    return {e.id: curation_score.score(_registrant(e.id, e.user.profile, year), criteria) for e in enrollments}


def plan_best(cohort: Cohort, places: int) -> list[curation_score.Scored]:
    """Return the best `places` registrants within each regency's quota (nothing is written)."""
    return curation_score.best_within_quotas(scored_registrants(cohort), places, criteria_of(cohort))
