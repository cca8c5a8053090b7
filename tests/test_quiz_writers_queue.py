"""Quiz writes on SQLite wait their turn in the writers' queue (issue #11 §7, overload).

At 600 concurrent clients, autosaves and submits on SQLite failed with "database is locked":
24 threads waited for the one write lock longer than SQLite's busy timeout. Now they queue
on the file lock of `lms.database.queued_write_transaction`. The test makes the failure
likely without the queue (a busy handler that gives up after 50 ms, writes that hold the
lock 100 ms, 3 processes × 3 threads saving at once) and insists that every save is saved.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lms.extensions import db
from lms.learn.store import get_content
from lms.models import QuizAttempt
from lms.quiz import operations
from lms.quiz.forms import PostedAnswers
from tests.conftest import enroll_participant, make_cohort, make_user
from tests.test_quiz import COURSE, MODULE

ROOT = Path(__file__).resolve().parent.parent
PROCESSES, THREADS, SAVES = 3, 3, 4

SAVER = """
import json, sys, threading, time
from sqlalchemy import event
from lms import create_app
from lms.extensions import db
from lms.models import QuizAttempt, User
from lms.quiz import operations
from lms.quiz.forms import PostedAnswers

url, attempt_ids, saves, start_at = sys.argv[1], [int(i) for i in sys.argv[2].split(",")], int(sys.argv[3]), \\
    float(sys.argv[4])
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
with app.app_context():
    engine = db.engine

    @event.listens_for(engine, "connect")
    def impatient(dbapi_connection, _record):  # after the app's own PRAGMAs: give up on a busy lock after 50 ms
        dbapi_connection.execute("PRAGMA busy_timeout=50")

    @event.listens_for(engine, "before_cursor_execute")
    def slow(_conn, _cursor, statement, *_args):  # hold the write lock a while, as a GIL-starved thread does
        if statement.lstrip().startswith("UPDATE quiz_attempt"):
            time.sleep(0.1)

    engine.dispose()
outcomes, lock = [], threading.Lock()


def save_all(attempt_id):
    with app.app_context():
        time.sleep(max(0.0, start_at - time.time()))
        for seq in range(1, saves + 1):
            try:
                attempt = db.session.get(QuizAttempt, attempt_id)
                user = db.session.get(User, attempt.user_id)
                posted = PostedAnswers(answers={"istilah-cpm": f"CPM {attempt_id} {seq}"}, seq=seq)
                outcome = operations.save_draft(attempt, user, posted, 70).status
            except Exception as error:
                outcome = repr(error)
            db.session.rollback()
            with lock:
                outcomes.append(outcome)
        db.session.remove()


threads = [threading.Thread(target=save_all, args=(attempt_id,)) for attempt_id in attempt_ids]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(outcomes))
"""


def started_attempts(count: int) -> list[int]:
    """Start one attempt each for `count` new participants; return the attempt ids."""
    cohort = make_cohort(slug="ftd-antrean")
    content = get_content()
    course = content.course(COURSE)
    module = content.modules[MODULE]
    ids = []
    for _ in range(count):
        user = make_user()
        enroll_participant(user, cohort)
        ids.append(operations.start_attempt(user, course, module).id)
    return ids


def test_autosaves_from_several_processes_and_threads_at_once_all_succeed_on_sqlite(app, database_url):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the writers' queue is SQLite's; PostgreSQL locks rows")
    ids = started_attempts(PROCESSES * THREADS)
    db.session.remove()
    start_at = time.time() + 3  # every process imported and connected: all threads begin together
    savers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", SAVER, database_url, ",".join(map(str, ids[n::PROCESSES])), str(SAVES),
             str(start_at)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(PROCESSES)
    ]
    outcomes = []
    for saver in savers:
        out, err = saver.communicate(timeout=600)
        assert saver.returncode == 0, err
        outcomes += json.loads(out.strip().splitlines()[-1])
    assert outcomes == ["saved"] * (PROCESSES * THREADS * SAVES), [o for o in outcomes if o != "saved"]
    for attempt_id in ids:
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.draft_seq == SAVES
        assert attempt.draft_answers == {"istilah-cpm": f"CPM {attempt_id} {SAVES}"}


def test_a_save_sent_again_after_its_reply_was_lost_is_saved_not_stale(app, world):
    """The bench's clients (and a browser's retry) may send a save again whose first copy was stored."""
    content = get_content()
    attempt = operations.start_attempt(world["participant"], content.course(COURSE), content.modules[MODULE])
    user = world["participant"]

    def save(seq, answer):
        fresh = db.session.get(QuizAttempt, attempt.id)
        return operations.save_draft(fresh, user, PostedAnswers(answers={"istilah-cpm": answer}, seq=seq), 70)

    assert save(3, "CPM").status == "saved"
    assert save(3, "CPM") == operations.SaveOutcome("saved", 3)  # the same save again
    assert save(3, "CPC") == operations.SaveOutcome("stale", 3)  # same number, other answers: not this save
    assert save(2, "CPM").status == "stale"  # an older number stays stale
    assert db.session.get(QuizAttempt, attempt.id).draft_answers == {"istilah-cpm": "CPM"}
