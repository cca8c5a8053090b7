"""Stage-2 curation: criteria per cohort, a score per registrant, and "the best N within each regency's quota".

Pure functions with plain arguments; lms.staff.curation.operations loads the rows and writes.

Score (0–100) = 60 × sector + 25 × age + 15 × completeness, where

- sector       = the weight staff gave the registrant's sector (0–1); with no weights
                 set every sector counts 1; a sector left out of non-empty weights counts 0;
- age          = business age in years ÷ (2 × the minimum age, or 2 years when no
                 minimum is set), capped at 1; unknown age counts 0;
- completeness = the share of business name, sector, regency and address filled in.

A registrant is *eligible* when their sector is allowed (an empty list allows every
sector) and, when a minimum business age is set, their business is at least that
old (unknown age is not eligible: the criterion cannot be shown to be met).
Ties are broken by the lower enrollment id (registered first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SECTOR_POINTS, AGE_POINTS, COMPLETENESS_POINTS = 60, 25, 15
# The four regencies around Medan that fill most places unless quotas spread them.
MEBIDANGRO = ("1275", "1276", "1212", "1211")  # Medan, Binjai, Deli Serdang, Karo


@dataclass(frozen=True)
class Criteria:
    """What staff chose for a cohort's stage-2 selection (stored as JSON on the cohort)."""

    sector_weights: Mapping[str, float] = field(default_factory=dict)  # sector code → 0–1
    allowed_sectors: tuple[str, ...] = ()  # empty: every sector
    regency_quota: Mapping[str, int] = field(default_factory=dict)  # BPS code → most places
    other_regency_quota: int | None = None  # places for each regency not listed (None: no limit)
    min_business_age: int = 0  # years

    @classmethod
    def from_json(cls, data: Mapping | None) -> Criteria:
        """Read criteria stored on a cohort; missing keys take their defaults."""
        data = data or {}
        other = data.get("other_regency_quota")
        weights = data.get("sector_weights") or {}
        return cls(
            sector_weights={str(k): min(max(float(v), 0.0), 1.0) for k, v in weights.items()},
            allowed_sectors=tuple(data.get("allowed_sectors") or ()),
            regency_quota={str(k): max(int(v), 0) for k, v in (data.get("regency_quota") or {}).items()},
            other_regency_quota=None if other is None else max(int(other), 0),
            min_business_age=max(int(data.get("min_business_age") or 0), 0),
        )

    def to_json(self) -> dict:
        """Return the criteria as stored on the cohort."""
        return {"sector_weights": dict(self.sector_weights), "allowed_sectors": list(self.allowed_sectors),
                "regency_quota": dict(self.regency_quota), "other_regency_quota": self.other_regency_quota,
                "min_business_age": self.min_business_age}

    def quota(self, regency_code: str | None) -> int | None:
        """Return the most places a regency may get (None: no limit)."""
        return self.regency_quota.get(regency_code or "", self.other_regency_quota)


@dataclass(frozen=True)
class Registrant:
    """What the score needs to know about one registrant."""

    enrollment_id: int
    sector: str = ""
    regency_code: str | None = None
    business_age: int | None = None  # years; None when unknown
    business_name: str = ""
    address: str = ""


@dataclass(frozen=True)
class Scored:
    registrant: Registrant
    score: float  # 0–100, 2 decimals
    eligible: bool


def score(registrant: Registrant, criteria: Criteria) -> Scored:
    """Score one registrant against the criteria and tell whether they are eligible."""
    if criteria.sector_weights:
        sector = criteria.sector_weights.get(registrant.sector, 0.0)
    else:
        sector = 1.0 if registrant.sector else 0.0
    target = 2 * (criteria.min_business_age or 1)
    age = min(registrant.business_age / target, 1.0) if registrant.business_age is not None else 0.0
    filled = [registrant.business_name, registrant.sector, registrant.regency_code, registrant.address]
    completeness = sum(1 for value in filled if value) / len(filled)
    total = round(SECTOR_POINTS * sector + AGE_POINTS * max(age, 0.0) + COMPLETENESS_POINTS * completeness, 2)
    eligible = (not criteria.allowed_sectors or registrant.sector in criteria.allowed_sectors) and (
        not criteria.min_business_age
        or (registrant.business_age is not None and registrant.business_age >= criteria.min_business_age))
    return Scored(registrant, total, eligible)


def rank(registrants: Iterable[Registrant], criteria: Criteria) -> list[Scored]:
    """Score everyone, best first (eligible before not eligible, then score, then enrollment id)."""
    scored = [score(r, criteria) for r in registrants]
    return sorted(scored, key=lambda s: (not s.eligible, -s.score, s.registrant.enrollment_id))


def best_within_quotas(ranked: list[Scored], places: int, criteria: Criteria) -> list[Scored]:
    """Pick up to `places` eligible registrants, best first, never more per regency than its quota."""
    taken: Counter = Counter()
    chosen = []
    for item in ranked:
        if len(chosen) >= places:
            break
        if not item.eligible:
            continue
        code = item.registrant.regency_code or ""
        quota = criteria.quota(item.registrant.regency_code)
        if quota is not None and taken[code] >= quota:
            continue
        taken[code] += 1
        chosen.append(item)
    return chosen


def count_by_regency(chosen: list[Scored]) -> list[tuple[str, int]]:
    """Return (regency code, places) of a pick, most places first ("" for unknown regencies)."""
    counts = Counter(item.registrant.regency_code or "" for item in chosen)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
