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

# The most statements each request may take (measured 2026-12-02 on SQLite and PostgreSQL; "start"
# includes storing the quiz version, the first time). scale3 took out the loads after a commit (the
# signed-in user for its id, the attempt for its id) and the quiz version read apart from its attempt:
# start 15 → 13, quiz page 4 → 3, autosave 5 → 4, submit 11 → 7.
PINNED = {"overview": 5, "start": 13, "quiz page": 3, "autosave": 4, "submit": 7, "result page": 4}


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



def test_the_login_records_the_first_sighting_so_the_first_page_writes_nothing(client, world):
    from lms.models import AuditEvent, User, UserSession

    login(client, world["participant"])
    user = db.session.get(User, world["participant"].id)
    row = db.session.scalars(db.select(UserSession).where(UserSession.user_id == user.id)).one()
    assert user.last_seen_at is not None and user.last_login_at is not None
    assert row.last_seen_at == user.last_seen_at
    db.session.rollback()
    with counting([]) as seen:
        assert client.get(f"/belajar/{COURSE}/{MODULE}/kuis").status_code == 200
    assert not [s for s in seen if s.lstrip().upper().startswith("UPDATE")]
    attempt = start(client)  # the audit row still names the participant, taken without loading them again
    started = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "quiz.started",
                                                             AuditEvent.object_id == str(attempt.id))).one()
    assert started.actor_id == world["participant"].id
