"""The bootcamp panel of the staff cohort dashboard: attendance rates per regency, low ones flagged.

The staff dashboard only includes `bootcamp/_dashboard_attendance.html`, which calls
`bootcamp_attendance_panel(cohort)` (a template global), so the staff package stays unaware of
attendance and the computation lives here.
"""

from __future__ import annotations

from dataclasses import dataclass

from lms.bootcamp import queries, rules
from lms.learn.store import get_content
from lms.models import Cohort, utcnow


@dataclass(frozen=True)
class AttendancePanel:
    held: int
    threshold: int
    from_course: bool  # the threshold is the course's graduation minimum
    regencies: list[queries.RegencyAttendance]

    @property
    def low_count(self) -> int:
        return sum(1 for r in self.regencies if r.low)


def attendance_panel(cohort: Cohort) -> AttendancePanel:
    """Return the attendance rates per regency of a cohort over its sessions held so far."""
    course = get_content().course(cohort.course_id)
    minimum = course.attendance_minimum if course else None
    threshold = minimum if minimum is not None else rules.LOW_ATTENDANCE_PERCENT
    held, regencies = queries.regency_attendance(cohort.id, utcnow(), threshold)
    return AttendancePanel(held, threshold, minimum is not None, regencies)
