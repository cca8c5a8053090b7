"""When each survey wave is open: pure functions of the cohort's dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ENDLINE_OPENS_BEFORE_GRADUATION = timedelta(days=14)
WINDOW = timedelta(days=30)  # how long the endline and each follow-up stay open
FOLLOWUP_MONTHS = (3, 6)
DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class WaveWindow:
    wave: str
    opens: date | None  # None: open from registration
    closes: date

    def is_open(self, today: date) -> bool:
        return (self.opens is None or self.opens <= today) and today <= self.closes


def wave_windows(start_date: date, bootcamp_date: date, graduation_date: date) -> list[WaveWindow]:
    """The waves of a cohort in order.

    Baseline: from registration until the bootcamp starts (after that it would not measure the start).
    Endline: two weeks before graduation until 30 days after. Follow-ups: 3 and 6 months after
    graduation, each open for 30 days. Staff and mentors may enter any wave at any time (proxy entry).
    """
    windows = [WaveWindow("baseline", None, bootcamp_date),
               WaveWindow("endline", graduation_date - ENDLINE_OPENS_BEFORE_GRADUATION, graduation_date + WINDOW)]
    for months in FOLLOWUP_MONTHS:
        opens = graduation_date + timedelta(days=months * DAYS_PER_MONTH)
        windows.append(WaveWindow(f"followup-{months}", opens, opens + WINDOW))
    return windows
