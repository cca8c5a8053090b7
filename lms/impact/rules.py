"""When each survey wave is open, and which waves a cohort has: pure functions of the cohort's settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ENDLINE_OPENS_BEFORE_GRADUATION = timedelta(days=14)
WINDOW = timedelta(days=30)  # how long the endline and each follow-up stay open
DEFAULT_FOLLOWUP_MONTHS = (3, 6)  # a cohort's `followup_months` unless staff chose others
FOLLOWUP_MONTHS_RANGE = (1, 24)  # what staff may choose: months after graduation, ascending
MAX_FOLLOWUPS = 4
DAYS_PER_MONTH = 30
FOLLOWUP_PREFIX = "followup-"


@dataclass(frozen=True)
class WaveWindow:
    wave: str
    opens: date | None  # None: open from registration
    closes: date

    def is_open(self, today: date) -> bool:
        return (self.opens is None or self.opens <= today) and today <= self.closes


def followup_wave(months: int) -> str:
    """The wave name of the follow-up so many months after graduation, e.g. "followup-6"."""
    return f"{FOLLOWUP_PREFIX}{months}"


def followup_months_of(wave: str) -> int | None:
    """The months of a follow-up wave name ("followup-6" → 6), None for any other name."""
    digits = wave.removeprefix(FOLLOWUP_PREFIX)
    return int(digits) if wave.startswith(FOLLOWUP_PREFIX) and digits.isdigit() else None


def followup_waves(months: tuple[int, ...] | list[int]) -> tuple[str, ...]:
    return tuple(followup_wave(m) for m in months)


def survey_waves(months: tuple[int, ...] | list[int]) -> tuple[str, ...]:
    """Every wave of a cohort with these follow-up months, in order."""
    return ("baseline", "endline", *followup_waves(months))


def cohort_months(cohort) -> tuple[int, ...]:
    """A cohort's follow-up months (a cohort not saved yet has the default)."""
    months = cohort.followup_months
    return DEFAULT_FOLLOWUP_MONTHS if months is None else tuple(int(m) for m in months)


def cohort_waves(cohort) -> tuple[str, ...]:
    """Every wave of one cohort: baseline, endline and its follow-ups."""
    return survey_waves(cohort_months(cohort))


def cohort_windows(cohort) -> list[WaveWindow]:
    """The windows of one cohort's waves, from its dates and follow-up months."""
    return wave_windows(cohort.start_date, cohort.bootcamp_date, cohort.graduation_date, cohort_months(cohort))


def months_problem(months: list[int]) -> str | None:
    """Which rule a list of follow-up months breaks ("range", "order", "count"), or None when it is usable."""
    low, high = FOLLOWUP_MONTHS_RANGE
    if any(not low <= m <= high for m in months):
        return "range"
    if any(a >= b for a, b in zip(months, months[1:], strict=False)):
        return "order"
    if len(months) > MAX_FOLLOWUPS:
        return "count"
    return None


def wave_windows(start_date: date, bootcamp_date: date, graduation_date: date,
                 followup_months: tuple[int, ...] | list[int] = DEFAULT_FOLLOWUP_MONTHS) -> list[WaveWindow]:
    """The waves of a cohort in order.

    Baseline: from registration until the bootcamp starts (after that it would not measure the start).
    Endline: two weeks before graduation until 30 days after. Follow-ups: the cohort's months after
    graduation (30 days each; 3 and 6 by default), each open for 30 days. Staff and mentors may enter
    any wave at any time (proxy entry).
    """
    windows = [WaveWindow("baseline", None, bootcamp_date),
               WaveWindow("endline", graduation_date - ENDLINE_OPENS_BEFORE_GRADUATION, graduation_date + WINDOW)]
    for months in followup_months:
        opens = graduation_date + timedelta(days=months * DAYS_PER_MONTH)
        windows.append(WaveWindow(followup_wave(months), opens, opens + WINDOW))
    return windows
