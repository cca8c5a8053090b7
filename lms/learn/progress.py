"""A participant's progress through a course, for the course and home pages."""

from lms.completion import Completion, evaluate, facts_for_users
from lms.content.schema import Course, Module
from lms.models import User


def course_progress_for(user: User, course: Course, modules: list[Module]) -> Completion:
    """Return the per-module completion of one participant in one course."""
    facts = facts_for_users([user.id], [m.id for m in modules])[user.id]
    return evaluate(course, modules, facts)


def percent_complete(completion: Completion) -> int:
    """Return how much of the course is done, counting each required step once."""
    steps = done = 0
    for module in completion.modules:
        steps += 1 + module.has_quiz + module.has_assignment
        done += module.read + (module.has_quiz and module.quiz_passed) + module.assignment_accepted
    return round(100 * done / steps) if steps else 0
