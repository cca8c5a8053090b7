"""Who may receive which certificate, and what the others still miss.

`evaluate_enrollment` and `describe_missing` are pure functions of the course
rules, a participant's completion facts and their enrollment status;
`cohort_overview` gathers those facts for a whole cohort in a fixed number of
queries (enrollments, three for completion, certificates, top awards).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import completion
from lms.bootcamp import queries as bootcamp_queries
from lms.bootcamp.rules import AttendanceStanding
from lms.content.schema import Course, Module
from lms.extensions import db
from lms.knowledge import queries as knowledge_queries
from lms.learn.store import get_content
from lms.models import Certificate, Cohort, Enrollment, EnrollmentStatus, SurveyResponse, TopAward, User, utcnow

GRADUATION = "graduation"
TOP = "top"
KINDS = (GRADUATION, TOP)
# A graduate stays eligible: issuing the graduation certificate moves an active enrollment to graduated.
ELIGIBLE_STATUSES = frozenset({EnrollmentStatus.ACTIVE.value, EnrollmentStatus.GRADUATED.value})
LISTED_STATUSES = (EnrollmentStatus.SELECTED.value, *sorted(ELIGIBLE_STATUSES))


@dataclass(frozen=True)
class Eligibility:
    status_ok: bool
    completion: completion.Completion
    # The course's minimum attendance (lms.bootcamp); None or not applying: no rule.
    attendance: AttendanceStanding | None = None
    survey_ok: bool = True  # impact2: the endline survey is submitted, or the cohort does not require it
    posttest_ok: bool = True  # knowledge: the knowledge post-test is taken, or the cohort does not require it

    @property
    def attendance_ok(self) -> bool:
        return self.attendance is None or self.attendance.ok

    @property
    def eligible(self) -> bool:
        return (self.status_ok and self.completion.eligible and self.attendance_ok and self.survey_ok
                and self.posttest_ok)


def evaluate_enrollment(course: Course, modules: Sequence[Module], facts: completion.Facts,
                        status: str, attendance: AttendanceStanding | None = None, *,
                        survey_ok: bool = True, posttest_ok: bool = True) -> Eligibility:
    """Decide whether one enrollment meets the course rules (attendance and the cohort's endline gate included)."""
    return Eligibility(status_ok=status in ELIGIBLE_STATUSES, completion=completion.evaluate(course, modules, facts),
                       attendance=attendance, survey_ok=survey_ok, posttest_ok=posttest_ok)


def endline_answered(cohort: Cohort, user_ids: Sequence[int]) -> set[int]:
    """The users among `user_ids` who submitted the cohort's endline survey (one query)."""
    if not user_ids:
        return set()
    return set(db.session.scalars(select(SurveyResponse.user_id).where(
        SurveyResponse.cohort_id == cohort.id, SurveyResponse.wave == "endline",
        SurveyResponse.status == "submitted", SurveyResponse.user_id.in_(list(user_ids)))))


def waits_for_endline(enrollment: Enrollment) -> bool:
    """Tell whether the cohort requires the endline survey before the certificate and it is not submitted yet."""
    return enrollment.cohort.endline_required and not endline_answered(enrollment.cohort, [enrollment.user_id])


def describe_missing(eligibility: Eligibility, modules: Sequence[Module], pass_mark: int) -> list[str]:
    """Say, in Indonesian, exactly what stands between a participant and the certificate (one line per module)."""
    lines = [] if eligibility.status_ok else [_("Status pendaftaran belum aktif.")]
    if not eligibility.attendance_ok:
        standing = eligibility.attendance
        lines.append(_("Kehadiran sesi %(rate)s%% (%(attended)s dari %(held)s sesi), minimal %(minimum)s%%",
                       rate=round(standing.rate or 0), attended=standing.attended, held=standing.held,
                       minimum=standing.minimum))
    if not eligibility.survey_ok:
        lines.append(_("Survei akhir belum diisi (kohort ini mewajibkannya sebelum sertifikat terbit)."))
    if not eligibility.posttest_ok:
        lines.append(_("Tes akhir pengetahuan belum dikerjakan (kohort ini mewajibkannya sebelum sertifikat terbit)."))
    by_module: dict[str, list[str]] = {}
    for module_id, requirement in eligibility.completion.missing:
        item = eligibility.completion.of(module_id)
        by_module.setdefault(module_id, []).append(_missing_requirement(requirement, item, pass_mark))
    for number, module in enumerate(modules, start=1):
        if module.id in by_module:
            lines.append(_("Modul %(number)s · %(title)s: %(what)s", number=number, title=module.title,
                           what="; ".join(by_module[module.id])))
    return lines


def _missing_requirement(requirement: str, item: completion.ModuleCompletion, pass_mark: int) -> str:
    if requirement == "read":
        return _("belum ditandai sudah dibaca")
    if requirement == "quiz":
        if item.best_score is None:
            return _("kuis belum dikerjakan")
        return _("kuis belum lulus (nilai terbaik %(score)s, minimal %(pass_mark)s)",
                 score=round(item.best_score), pass_mark=pass_mark)
    return {
        None: _("tugas belum dikirim"),
        "submitted": _("tugas menunggu penilaian mentor"),
        "needs_revision": _("tugas perlu direvisi"),
    }.get(item.assignment_status, _("tugas belum diterima"))


@dataclass
class ParticipantRow:
    enrollment: Enrollment
    user: User
    eligibility: Eligibility
    missing: list[str]
    top_award: bool
    certificates: dict[str, Certificate] = field(default_factory=dict)  # kind → valid certificate

    @property
    def eligible(self) -> bool:
        return self.eligibility.eligible

    def needs(self, kind: str) -> bool:
        """Tell whether this participant should get a certificate of that kind and has none yet."""
        if kind in self.certificates or not self.eligible:
            return False
        return kind == GRADUATION or (kind == TOP and self.top_award)


@dataclass
class CohortOverview:
    cohort: Cohort
    course: Course | None
    modules: list[Module]
    rows: list[ParticipantRow]

    @property
    def eligible_rows(self) -> list[ParticipantRow]:
        return [row for row in self.rows if row.eligible]

    @property
    def waiting_rows(self) -> list[ParticipantRow]:
        return [row for row in self.rows if not row.eligible]

    def to_issue(self) -> list[tuple[ParticipantRow, str]]:
        """Return (row, kind) for every certificate that should exist and does not."""
        return [(row, kind) for row in self.rows for kind in KINDS if row.needs(kind)]


def course_and_modules(cohort: Cohort) -> tuple[Course | None, list[Module]]:
    """Return the cohort's course and its published modules."""
    content = get_content()
    course = content.course(cohort.course_id)
    return course, (content.course_modules(course) if course else [])


def cohort_overview(cohort: Cohort) -> CohortOverview:
    """Evaluate every selected, active or graduated participant of a cohort."""
    course, modules = course_and_modules(cohort)
    enrollments = db.session.scalars(
        select(Enrollment)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status.in_(LISTED_STATUSES))
        .options(selectinload(Enrollment.user).selectinload(User.profile))
        .order_by(Enrollment.id)
    ).all()
    if course is None:
        return CohortOverview(cohort, None, [], [])
    facts = completion.facts_for_users([e.user_id for e in enrollments], [m.id for m in modules])
    # Only asked when the cohort has the gate, so the query count stays fixed either way.
    answered = endline_answered(cohort, [e.user_id for e in enrollments]) if cohort.endline_required else None
    took_posttest = knowledge_queries.posttest_gate(cohort, [e.user_id for e in enrollments])
    valid = valid_certificates(cohort.id)
    awarded = set(db.session.scalars(select(TopAward.enrollment_id).where(TopAward.cohort_id == cohort.id)))
    attendance = bootcamp_queries.standings(cohort.id, course.attendance_minimum, utcnow())
    rows = []
    for enrollment in enrollments:
        eligibility = evaluate_enrollment(course, modules, facts[enrollment.user_id], enrollment.status,
                                          attendance.of(enrollment.user_id),
                                          survey_ok=answered is None or enrollment.user_id in answered,
                                          posttest_ok=took_posttest is None or enrollment.user_id in took_posttest)
        rows.append(ParticipantRow(
            enrollment=enrollment, user=enrollment.user, eligibility=eligibility,
            missing=describe_missing(eligibility, modules, course.pass_mark),
            top_award=enrollment.id in awarded, certificates=valid.get(enrollment.id, {}),
        ))
    return CohortOverview(cohort, course, modules, rows)


def valid_certificates(cohort_id: int) -> Mapping[int, dict[str, Certificate]]:
    """Return enrollment id → kind → valid certificate for a cohort."""
    found: dict[int, dict[str, Certificate]] = {}
    statement = (
        select(Certificate)
        .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.cohort_id == cohort_id, Certificate.status == "valid")
    )
    for certificate in db.session.scalars(statement):
        found.setdefault(certificate.enrollment_id, {})[certificate.kind] = certificate
    return found


def enrollment_eligibility(enrollment: Enrollment) -> tuple[Eligibility | None, list[str]]:
    """Evaluate one enrollment (for issuing a single certificate)."""
    course, modules = course_and_modules(enrollment.cohort)
    if course is None:
        return None, [_("Kursus kohort ini tidak ditemukan.")]
    facts = completion.facts_for_users([enrollment.user_id], [m.id for m in modules])[enrollment.user_id]
    attendance = bootcamp_queries.standings(enrollment.cohort_id, course.attendance_minimum, utcnow())
    survey_ok = not enrollment.cohort.endline_required or bool(endline_answered(enrollment.cohort,
                                                                                 [enrollment.user_id]))
    took_posttest = knowledge_queries.posttest_gate(enrollment.cohort, [enrollment.user_id])
    eligibility = evaluate_enrollment(course, modules, facts, enrollment.status, attendance.of(enrollment.user_id),
                                      survey_ok=survey_ok, posttest_ok=took_posttest is None or bool(took_posttest))
    return eligibility, describe_missing(eligibility, modules, course.pass_mark)
