"""Permission-matrix rows for quizzes.

Columns: anonymous, participant, other participant, mentor (follows participant),
other mentor, staff. `attempt_id` names an open attempt of `participant` at the
orientasi quiz, so the "other" columns are IDOR probes.
"""

ROWS = {
    ("quiz.overview", "GET"): (302, 200, 200, 200, 200, 200),
    # The participant already has an open attempt: starting again reopens it.
    ("quiz.start", "POST"): (302, 302, 302, 403, 403, 403),
    ("quiz.attempt", "GET"): (302, 200, 404, 200, 404, 200),
    # An empty "Simpan jawaban" is answered with a message and a redirect.
    ("quiz.save", "POST"): (302, 302, 404, 404, 404, 404),
    # An empty submit of an open attempt with unanswered questions gets the confirm step (200), not a grade.
    ("quiz.submit", "POST"): (302, 200, 404, 404, 404, 404),
    ("quiz.participant_attempts", "GET"): (302, 403, 403, 200, 404, 200),
    # Extra attempts: the following mentor and staff only; an empty post is refused with the form (400).
    ("quiz.grant_attempts", "POST"): (302, 403, 403, 400, 404, 400),
}


def extend_world(world) -> None:
    """Give `participant` an open attempt at the orientasi quiz."""
    from lms.learn.store import get_content
    from lms.quiz import operations

    content = get_content()
    course = content.course(world["cohort"].course_id)
    world["quiz_attempt"] = operations.start_attempt(world["participant"], course, content.modules["orientasi"])


def url_values(world) -> dict:
    """URL parameter values of the quiz area."""
    return {"attempt_id": world["quiz_attempt"].id} if "quiz_attempt" in world else {}
