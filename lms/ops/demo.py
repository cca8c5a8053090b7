"""Demo: run the quick housekeeping tasks once, so the operations page shows a last run and its result at once.

They are the real tasks (lms/queue/periodic.py records them as the scheduler does); each finds
little to do in a fresh demo, which its summary says. The nightly backup, reminders, retention
and graduation are left to the worker's schedule: they write archives or change people.
"""

from __future__ import annotations

from lms.models import Cohort
from lms.queue.periodic import last_runs, run_periodic

QUICK_TASKS = ("quiz.grade_overdue", "uploads.delete_orphans", "uploads.delete_stale_partials", "auth.purge_expired")


def seed_demo(cohort: Cohort) -> None:
    """Run each quick task that has never run (safe to repeat: a task with a last run is left alone)."""
    done = last_runs()
    for name in QUICK_TASKS:
        if name not in done:
            run_periodic(name)
