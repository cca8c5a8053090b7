"""SQL statements per request of the quiz journey (issue #11 §7): pinned, so a change that adds a query per page shows.

The scale-out bench runs this journey for 1,700 participants; each statement is a round trip to
PostgreSQL under load. BEGIN (issued by hand on SQLite, implicit on PostgreSQL) is not counted.
"""

from contextlib import contextmanager

from sqlalchemy import event

from lms.extensions import db
from lms.quiz.demo import right_answer
from lms.quiz.versions import quiz_for_version
from tests.conftest import login
from tests.test_quiz import COURSE, MODULE, form_for, start

# The most statements each request may take (measured 2026-12-01 on SQLite and PostgreSQL, after the
# overview's second grant query went; "start" includes storing the quiz version, the first time).
PINNED = {"overview": 5, "start": 15, "quiz page": 4, "autosave": 5, "submit": 11, "result page": 4}


@contextmanager
def counting(statements: list):
    def before(_conn, _cursor, statement, _params, _context, _many):
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def test_the_quiz_journey_stays_within_its_pinned_query_counts(client, world):
    login(client, world["participant"])
    client.get("/")  # the session's first page records when it was last seen (once per 10 minutes)
    counts = {}
    with counting([]) as seen:
        assert client.get(f"/belajar/{COURSE}/{MODULE}/kuis").status_code == 200
    counts["overview"] = len(seen)
    with counting([]) as seen:
        attempt = start(client)
    counts["start"] = len(seen)
    attempt_id = attempt.id
    quiz = quiz_for_version(attempt.quiz_version_id)
    db.session.rollback()
    with counting([]) as seen:
        assert client.get(f"/kuis/percobaan/{attempt_id}").status_code == 200
    counts["quiz page"] = len(seen)
    answers = {q.id: right_answer(q) for q in quiz.questions}
    with counting([]) as seen:
        reply = client.post(f"/kuis/percobaan/{attempt_id}/simpan", data=form_for(quiz, answers, 1),
                            headers={"Accept": "application/json"})
        assert reply.get_json()["status"] == "saved"
    counts["autosave"] = len(seen)
    with counting([]) as seen:
        assert client.post(f"/kuis/percobaan/{attempt_id}/kirim", data={"seq": "2"}).status_code == 302
    counts["submit"] = len(seen)
    with counting([]) as seen:
        assert "Nilai: 100" in client.get(f"/kuis/percobaan/{attempt_id}").get_data(as_text=True)
    counts["result page"] = len(seen)
    print(counts)
    over = {kind: (count, PINNED[kind]) for kind, count in counts.items() if count > PINNED[kind]}
    assert not over, f"more SQL statements than pinned (got, pinned): {over}"

