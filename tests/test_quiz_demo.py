"""The demo seed's quiz attempts."""

from sqlalchemy import func, select

from lms import seed
from lms.extensions import db
from lms.models import QuizAnswer, QuizAttempt, User
from lms.phone import normalize_phone


def test_demo_seed_adds_attempts_once_and_leaves_participants_1_to_4_alone(app, monkeypatch):
    monkeypatch.setattr(seed, "AREA_SEEDS", ["lms.quiz.demo"])  # other areas' demo data aside
    seed.seed_demo()
    counts = (db.session.scalar(select(func.count()).select_from(QuizAttempt)),
              db.session.scalar(select(func.count()).select_from(QuizAnswer)))
    seed.seed_demo()
    assert (db.session.scalar(select(func.count()).select_from(QuizAttempt)),
            db.session.scalar(select(func.count()).select_from(QuizAnswer))) == counts
    attempts = db.session.scalars(select(QuizAttempt)).all()
    owners = {db.session.get(User, a.user_id).phone for a in attempts}
    assert owners == {normalize_phone(seed.participant_phone(n)) for n in range(5, 11)}
    graded = [a for a in attempts if a.submitted_at is not None]
    assert any(a.passed for a in graded) and any(not a.passed for a in graded)
    (still_open,) = [a for a in attempts if a.submitted_at is None]
    assert still_open.draft_answers and still_open.draft_seq == 1
