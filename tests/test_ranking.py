"""The composite score and its tie-breaks (pure functions, no database)."""

from datetime import datetime

from lms.staff.ranking import rules as ranking
from lms.staff.ranking.rules import RankingInput

QUIZZES = ["a", "b"]
ASSIGNMENTS = ["a"]
WINDOW = (datetime(2026, 11, 1), datetime(2026, 12, 1))


def entry(enrollment_id, quiz=None, rubric=None, completed_at=None) -> RankingInput:
    return RankingInput(enrollment_id, quiz or {}, rubric or {}, completed_at)


def test_score_weights_quiz_rubric_and_speed():
    parts = ranking.score_parts(
        entry(1, {"a": 80, "b": 100}, {"a": (6, 8)}, datetime(2026, 11, 16)), QUIZZES, ASSIGNMENTS, WINDOW
    )
    assert parts.quiz == 0.9 and parts.rubric == 0.75 and parts.speed == 0.5
    assert parts.total == round(100 * (0.5 * 0.9 + 0.4 * 0.75 + 0.1 * 0.5), 2) == 80.0


def test_missing_work_counts_as_zero_and_speed_needs_completion():
    parts = ranking.score_parts(entry(1, {"a": 100}), QUIZZES, ASSIGNMENTS, WINDOW)
    assert (parts.quiz, parts.rubric, parts.speed, parts.total) == (0.5, 0.0, 0.0, 25.0)


def test_speed_is_clamped_to_the_window():
    assert ranking.completion_speed(datetime(2026, 10, 1), *WINDOW) == 1.0
    assert ranking.completion_speed(datetime(2027, 1, 1), *WINDOW) == 0.0
    assert ranking.completion_speed(None, *WINDOW) == 0.0


def test_ties_break_on_rubric_then_quiz_then_completion_then_id():
    # Same total 50.0 each, reached differently.
    rubric_heavy = entry(4, {"a": 20, "b": 20}, {"a": (8, 8)}, None)  # 0.5*0.2 + 0.4*1.0 = 0.5
    quiz_heavy = entry(3, {"a": 100, "b": 100}, {}, None)  # 0.5*1.0 = 0.5
    early = entry(2, {"a": 100, "b": 100}, {}, datetime(2026, 12, 5))  # speed 0 after the window: same score
    late_id = entry(5, {"a": 100, "b": 100}, {}, None)
    ranked = ranking.rank([late_id, quiz_heavy, early, rubric_heavy], QUIZZES, ASSIGNMENTS, WINDOW)
    assert [r.parts.total for r in ranked] == [50.0, 50.0, 50.0, 50.0]
    assert [r.entry.enrollment_id for r in ranked] == [4, 2, 3, 5]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]


def test_higher_score_ranks_first():
    ranked = ranking.rank([entry(1, {"a": 50}), entry(2, {"a": 90})], QUIZZES, ASSIGNMENTS, WINDOW)
    assert [r.entry.enrollment_id for r in ranked] == [2, 1]


def test_awardable_respects_the_limit_and_existing_awards():
    ranked = ranking.rank([entry(i, {"a": 100 - i}) for i in range(1, 8)], QUIZZES, ASSIGNMENTS, WINDOW)
    chosen = ranking.awardable(ranked, already_awarded={1, 2}, requested=[2, 3, 4, 5, 99], limit=4)
    assert [r.entry.enrollment_id for r in chosen] == [3, 4]


def test_awardable_counts_the_years_awards_in_other_cohorts():
    ranked = ranking.rank([entry(i, {"a": 100 - i}) for i in range(1, 8)], QUIZZES, ASSIGNMENTS, WINDOW)
    chosen = ranking.awardable(ranked, already_awarded={1}, requested=[2, 3, 4], limit=4, awarded_elsewhere=2)
    assert [r.entry.enrollment_id for r in chosen] == [2]
    assert ranking.awardable(ranked, set(), [2, 3], limit=4, awarded_elsewhere=5) == []


def test_award_warnings_name_incomplete_at_risk_and_low_scores():
    done = ranking.rank([entry(1, {"a": 100, "b": 100}, {"a": (8, 8)}, datetime(2026, 11, 2))],
                        QUIZZES, ASSIGNMENTS, WINDOW)[0]
    assert ranking.award_warnings(done, at_risk=False, threshold=60) == []
    assert ranking.award_warnings(done, at_risk=True, threshold=60) == ["at_risk"]
    weak = ranking.rank([entry(2, {"a": 50})], QUIZZES, ASSIGNMENTS, WINDOW)[0]
    assert ranking.award_warnings(weak, at_risk=False, threshold=60) == ["incomplete", "below_threshold"]
