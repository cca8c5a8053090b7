"""The composite score that ranks participants for the top-100 award (pure functions).

Score (0–100) = 100 × (0.5 × quiz + 0.4 × rubric + 0.1 × speed), where

- quiz   = mean over the course's quiz modules of the best quiz score / 100
           (a module never attempted counts 0);
- rubric = mean over the course's assignment modules of points / max points of the
           newest accepted review (an assignment not accepted counts 0);
- speed  = for a participant who met every completion rule, how early they did it:
           1 at the cohort's start date, 0 at (or after) its graduation date;
           0 for anyone who has not completed.

Ties are broken, in order, by the higher rubric part, the higher quiz part, the
earlier completion time (not completed comes last) and finally the lower
enrollment id (registered first), so the order is total and repeatable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

QUIZ_WEIGHT = 0.5
RUBRIC_WEIGHT = 0.4
SPEED_WEIGHT = 0.1
TOP_AWARD_LIMIT = 100


@dataclass(frozen=True)
class RankingInput:
    """What one participant has achieved, as plain values."""

    enrollment_id: int
    best_quiz_scores: dict[str, float]  # module id → best percent 0–100
    rubric_points: dict[str, tuple[int, int]]  # module id → (points, max points) of the accepted review
    completed_at: datetime | None  # when the last completion rule was met; None if not complete


@dataclass(frozen=True)
class ScoreParts:
    quiz: float  # 0–1
    rubric: float  # 0–1
    speed: float  # 0–1
    total: float  # 0–100, rounded to 2 decimals


@dataclass(frozen=True)
class Ranked:
    rank: int
    entry: RankingInput
    parts: ScoreParts


def score_parts(
    entry: RankingInput,
    quiz_modules: list[str],
    assignment_modules: list[str],
    window: tuple[datetime, datetime],
) -> ScoreParts:
    """Compute the three parts and the composite score of one participant."""
    quiz = _mean([min(max(entry.best_quiz_scores.get(m, 0.0), 0.0), 100.0) / 100 for m in quiz_modules])
    rubric = _mean([_ratio(*entry.rubric_points.get(m, (0, 0))) for m in assignment_modules])
    speed = completion_speed(entry.completed_at, *window)
    total = round(100 * (QUIZ_WEIGHT * quiz + RUBRIC_WEIGHT * rubric + SPEED_WEIGHT * speed), 2)
    return ScoreParts(quiz=quiz, rubric=rubric, speed=speed, total=total)


def completion_speed(completed_at: datetime | None, start: datetime, end: datetime) -> float:
    """Return 1 for completing at the start of the window, falling linearly to 0 at its end."""
    if completed_at is None or end <= start:
        return 0.0
    fraction = (end - completed_at) / (end - start)
    return min(max(fraction, 0.0), 1.0)


def rank(
    entries: list[RankingInput],
    quiz_modules: list[str],
    assignment_modules: list[str],
    window: tuple[datetime, datetime],
) -> list[Ranked]:
    """Order participants by composite score with the documented tie-breaks; ranks start at 1."""
    scored = [(entry, score_parts(entry, quiz_modules, assignment_modules, window)) for entry in entries]
    scored.sort(key=lambda pair: sort_key(*pair))
    return [Ranked(rank=index, entry=entry, parts=parts) for index, (entry, parts) in enumerate(scored, start=1)]


def sort_key(entry: RankingInput, parts: ScoreParts) -> tuple:
    """Return the key that sorts best first: score, rubric, quiz, earlier completion, lower id."""
    completed = entry.completed_at.timestamp() if entry.completed_at else float("inf")
    return (-parts.total, -round(parts.rubric, 9), -round(parts.quiz, 9), completed, entry.enrollment_id)


def awardable(ranked: list[Ranked], already_awarded: set[int], requested: list[int], limit: int = TOP_AWARD_LIMIT,
              *, awarded_elsewhere: int = 0) -> list[Ranked]:
    """Return the requested, not yet awarded entries, in rank order, within the remaining award places.

    The limit is per programme year: `awarded_elsewhere` counts the year's awards in other cohorts.
    """
    places = max(limit - len(already_awarded) - awarded_elsewhere, 0)
    wanted = set(requested) - already_awarded
    chosen = [item for item in ranked if item.entry.enrollment_id in wanted]
    return chosen[:places]


AWARD_WARNINGS = ("incomplete", "at_risk", "below_threshold")


def award_warnings(item: Ranked, *, at_risk: bool, threshold: float) -> list[str]:
    """Return why marking this participant as a top awardee deserves a second look (empty: no reason)."""
    warnings = []
    if item.entry.completed_at is None:
        warnings.append("incomplete")
    if at_risk:
        warnings.append("at_risk")
    if item.parts.total < threshold:
        warnings.append("below_threshold")
    return warnings


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _ratio(points: int, maximum: int) -> float:
    return min(max(points / maximum, 0.0), 1.0) if maximum > 0 else 0.0
