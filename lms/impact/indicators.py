"""The impact indicators, computed exactly as issue #15 defines them.

Pure functions of plain answers: no database, no Flask. A participant is *paired*
for a figure when both their baseline and their endline answer that figure
(a missing value is None, and "none of these" is an empty set, which is an answer).

Percentages are changes of a participant's own monthly revenue, (endline −
baseline) ÷ baseline × 100, so a baseline of 0 has no percentage: those
participants are counted in `excluded_zero_baseline` and left out of every
revenue percentage, never silently. Every figure carries its n.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from lms.content.surveyparse import GOVERNMENT_CHANNELS, LEGALITY_ITEMS, MARKETPLACE_CHANNELS

ONLINE_MARKET_CHANNELS = MARKETPLACE_CHANNELS | GOVERNMENT_CHANNELS
EXTREME_RISE_PCT = 1000.0
EXTREME_DROP_PCT = -90.0


@dataclass(frozen=True)
class Answer:
    """One participant's answer to one wave (the latest version of it)."""

    revenue: int | None = None  # rupiah a month
    employees: int | None = None
    channels: frozenset[str] | None = None
    legality: frozenset[str] | None = None
    mindset: Mapping[str, int] = field(default_factory=dict)  # Likert item id → 1..5


@dataclass(frozen=True)
class Person:
    """A participant (or a comparison registrant) with their baseline and endline answers."""

    key: str  # the phone number, for the list of extreme changes
    baseline: Answer | None
    endline: Answer | None
    regency_code: str = ""
    sector: str = ""
    followups: Mapping[str, Answer] = field(default_factory=dict)  # "followup-<months>" → answer

    def wave(self, wave: str) -> Answer | None:
        """This person's answer to one wave (baseline, endline or a follow-up), or None."""
        if wave == "baseline":
            return self.baseline
        if wave == "endline":
            return self.endline
        return self.followups.get(wave)


@dataclass(frozen=True)
class ExtremeChange:
    key: str
    baseline: int
    endline: int
    pct_change: float


def one_decimal(value: float | None) -> float | None:
    """Round half away from zero to one decimal, as a report prints it (not banker's rounding)."""
    if value is None:
        return None
    scaled = abs(value) * 10
    rounded = int(scaled + 0.5) / 10
    return rounded if value >= 0 else -rounded


def revenue_pairs(people: Iterable[Person]) -> list[tuple[Person, int, int]]:
    """Return (person, baseline, endline) for everyone who answered revenue in both waves."""
    return [(p, p.baseline.revenue, p.endline.revenue) for p in people
            if p.baseline and p.endline and p.baseline.revenue is not None and p.endline.revenue is not None]


def pct_change(baseline: int, endline: int) -> float:
    return (endline - baseline) / baseline * 100


def revenue_figures(people: Sequence[Person]) -> dict:
    """The revenue indicators: mean, median and totals change, share up, zero baselines left out."""
    pairs = revenue_pairs(people)
    usable = [(p, b, e) for p, b, e in pairs if b > 0]
    changes = [pct_change(b, e) for _, b, e in usable]
    total_baseline = sum(b for _, b, _ in usable)
    return {
        "revenue_paired": len(pairs),
        "revenue_n": len(usable),
        "excluded_zero_baseline": len(pairs) - len(usable),
        "revenue_mean_pct_change": statistics.fmean(changes) if changes else None,
        "revenue_median_pct_change": statistics.median(changes) if changes else None,
        "revenue_pct_change_of_totals": (
            (sum(e for _, _, e in usable) - total_baseline) / total_baseline * 100 if total_baseline else None),
        "share_revenue_up": 100 * sum(1 for _, b, e in usable if e > b) / len(usable) if usable else None,
    }


def extreme_changes(people: Sequence[Person]) -> list[ExtremeChange]:
    """Participants whose revenue rose by more than 1000% or fell by more than 90%: check them before publishing."""
    found = []
    for person, baseline, endline in revenue_pairs(people):
        if baseline <= 0:
            continue
        change = pct_change(baseline, endline)
        if change > EXTREME_RISE_PCT or change < EXTREME_DROP_PCT:
            found.append(ExtremeChange(person.key, baseline, endline, change))
    return sorted(found, key=lambda item: -abs(item.pct_change))


def jobs_created(people: Sequence[Person]) -> tuple[int, int]:
    """Return (net jobs created, n): Σ(endline − baseline employees) over participants paired on employees."""
    pairs = [(p.baseline.employees, p.endline.employees) for p in people
             if p.baseline and p.endline and p.baseline.employees is not None and p.endline.employees is not None]
    return sum(e - b for b, e in pairs), len(pairs)


def marketplace_onboarded(people: Sequence[Person]) -> tuple[int, int]:
    """Return (count, n): paired participants with a marketplace or government channel at endline they lacked before."""
    pairs = [(p.baseline.channels, p.endline.channels) for p in people
             if p.baseline and p.endline and p.baseline.channels is not None and p.endline.channels is not None]
    onboarded = sum(1 for before, after in pairs if (after - before) & ONLINE_MARKET_CHANNELS)
    return onboarded, len(pairs)


def legality_gained(people: Sequence[Person]) -> tuple[dict[str, int], int]:
    """Return ({item: count}, n): paired participants who lacked an item at baseline and hold it at endline."""
    pairs = [(p.baseline.legality, p.endline.legality) for p in people
             if p.baseline and p.endline and p.baseline.legality is not None and p.endline.legality is not None]
    gained = {item: sum(1 for before, after in pairs if item not in before and item in after)
              for item in LEGALITY_ITEMS}
    return gained, len(pairs)


def mindset_change(people: Sequence[Person]) -> dict[str, dict]:
    """Return {item: {"mean_change", "n"}}: the mean Likert change per item over participants paired on it."""
    totals: dict[str, list[int]] = {}  # item → [sum of changes, n]
    for person in people:
        if not (person.baseline and person.endline):
            continue
        after_all = person.endline.mindset
        for item, before in person.baseline.mindset.items():
            after = after_all.get(item)
            if before is not None and after is not None:
                total = totals.setdefault(item, [0, 0])
                total[0] += after - before
                total[1] += 1
    return {item: {"mean_change": change / n, "n": n} for item, (change, n) in sorted(totals.items())}


def cohort_indicators(people: Sequence[Person], enrolled_count: int) -> dict:
    """Every indicator for one group; `enrolled_count` is its active and graduated enrollments."""
    baseline_n = sum(1 for p in people if p.baseline is not None)
    endline_n = sum(1 for p in people if p.endline is not None)
    jobs, jobs_n = jobs_created(people)
    onboarded, channels_n = marketplace_onboarded(people)
    legality, legality_n = legality_gained(people)
    return {
        "respondents_baseline": baseline_n,
        "respondents_endline": endline_n,
        "enrolled": enrolled_count,
        "response_rate": 100 * endline_n / enrolled_count if enrolled_count else None,
        **revenue_figures(people),
        "jobs_created": jobs,
        "jobs_n": jobs_n,
        "marketplace_onboarded": onboarded,
        "channels_n": channels_n,
        "legality_gained": legality,
        "legality_n": legality_n,
        "mindset_change": mindset_change(people),
    }


def difference_in_differences(participants: dict, comparison: dict) -> dict:
    """The participants' revenue change minus the comparison group's, for the median and the mean."""

    def gap(key: str) -> float | None:
        if participants.get(key) is None or comparison.get(key) is None:
            return None
        return participants[key] - comparison[key]

    return {
        "comparison_respondents": comparison["respondents_endline"],
        "comparison_revenue_n": comparison["revenue_n"],
        "did_revenue_median_pct_change": gap("revenue_median_pct_change"),
        "did_revenue_mean_pct_change": gap("revenue_mean_pct_change"),
    }


def rounded(figures: dict) -> dict:
    """The same figures with every float rounded to one decimal (nested dicts too)."""
    out = {}
    for key, value in figures.items():
        if isinstance(value, float):
            out[key] = one_decimal(value)
        elif isinstance(value, dict):
            out[key] = rounded(value)
        else:
            out[key] = value
    return out


def filter_people(people: Iterable[Person], *, regency_code: str = "", sector: str = "") -> list[Person]:
    """The people of one regency and/or sector (empty means any)."""
    return [p for p in people if (not regency_code or p.regency_code == regency_code)
            and (not sector or p.sector == sector)]


SUMMARY_WAVES = ("baseline", "endline", "followup-3", "followup-6")  # the default cohort's; reports pass their own


def wave_summary(people: Sequence[Person], waves: Sequence[str] = SUMMARY_WAVES) -> dict[str, dict]:
    """Per wave, what the respondents of that wave report (not paired: each wave's own respondents).

    For the charts of baseline against endline against the follow-ups: the median monthly
    revenue, the mean employees, the share selling on a marketplace or government channel
    and the share holding each legality item, each with its own n.
    """
    summary = {}
    for wave in waves:
        answers = [a for a in (p.wave(wave) for p in people) if a is not None]
        revenues = [a.revenue for a in answers if a.revenue is not None]
        employees = [a.employees for a in answers if a.employees is not None]
        channels = [a.channels for a in answers if a.channels is not None]
        legality = [a.legality for a in answers if a.legality is not None]
        summary[wave] = {
            "n": len(answers),
            "revenue_n": len(revenues),
            "revenue_median": statistics.median(revenues) if revenues else None,
            "revenue_mean": statistics.fmean(revenues) if revenues else None,
            "employees_n": len(employees),
            "employees_mean": statistics.fmean(employees) if employees else None,
            "channels_n": len(channels),
            "online_market_share": (100 * sum(1 for c in channels if c & ONLINE_MARKET_CHANNELS) / len(channels)
                                    if channels else None),
            "legality_n": len(legality),
            "legality_share": {item: (100 * sum(1 for held in legality if item in held) / len(legality)
                                      if legality else None) for item in LEGALITY_ITEMS},
        }
    return summary


REVENUE_BANDS = ((0, 1), (1, 1_000_000), (1_000_000, 2_500_000), (2_500_000, 5_000_000),
                 (5_000_000, 10_000_000), (10_000_000, None))


def revenue_distribution(people: Sequence[Person], wave: str) -> list[int]:
    """How many respondents of a wave fall in each of REVENUE_BANDS (lower bound included, upper excluded)."""
    counts = [0] * len(REVENUE_BANDS)
    for person in people:
        answer = person.wave(wave)
        if answer is None or answer.revenue is None:
            continue
        for index, (low, high) in enumerate(REVENUE_BANDS):
            if answer.revenue >= low and (high is None or answer.revenue < high):
                counts[index] += 1
                break
    return counts
