"""The automatic balanced split of participants among mentors: a pure function.

Regency first: participants of one regency stay with one mentor where the loads allow
(a mentor can visit or call around one area, and the WhatsApp groups follow the
regencies). Then load: no mentor ends above the lowest level that fits everyone, so
the loads differ as little as the regency groups allow.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    enrollment_id: int
    regency_code: str | None
    current_mentor_id: int | None = None


def balanced_split(candidates: Iterable[Candidate], mentor_ids: Iterable[int], *,
                   keep_existing: bool = True, other_loads: Mapping[int, int] | None = None) -> dict[int, int]:
    """Return enrollment id → mentor id for every candidate, split by regency first, then by load.

    With keep_existing, participants already allocated to one of the given mentors stay
    where they are (and count towards that mentor's load); otherwise everyone is
    split afresh, preferring each participant's current mentor when it fits.
    `other_loads` are the participants each mentor follows in other cohorts: a mentor's
    load is counted across all cohorts, so one busy elsewhere gets fewer here.
    """
    mentors = sorted(set(mentor_ids))
    candidates = sorted(candidates, key=lambda c: c.enrollment_id)
    if not mentors:
        return {}
    plan: dict[int, int] = {}
    loads = {mentor: (other_loads or {}).get(mentor, 0) for mentor in mentors}
    regency_mentors: dict[str, set[int]] = defaultdict(set)
    todo = []
    for candidate in candidates:
        if keep_existing and candidate.current_mentor_id in loads:
            plan[candidate.enrollment_id] = candidate.current_mentor_id
            loads[candidate.current_mentor_id] += 1
            regency_mentors[candidate.regency_code or ""].add(candidate.current_mentor_id)
        else:
            todo.append(candidate)
    level = water_level(loads.values(), len(todo))
    capacity = {mentor: max(0, level - load) for mentor, load in loads.items()}
    for code, members in _regency_groups(todo):
        remaining = members
        while remaining:
            mentor = _pick_mentor(code, remaining, capacity, loads, regency_mentors)
            # Members already with this mentor go first, so a split moves as few people as possible.
            remaining = sorted(remaining, key=lambda c: (c.current_mentor_id != mentor, c.enrollment_id))
            taken, remaining = remaining[: capacity[mentor]], remaining[capacity[mentor]:]
            for candidate in taken:
                plan[candidate.enrollment_id] = mentor
            capacity[mentor] -= len(taken)
            loads[mentor] += len(taken)
            regency_mentors[code].add(mentor)
    return plan


def water_level(loads: Iterable[int], newcomers: int) -> int:
    """Return the lowest load L such that topping every mentor up to L makes room for the newcomers."""
    loads = list(loads)
    if not loads:
        return 0
    level = min(loads)
    while sum(max(0, level - load) for load in loads) < newcomers:
        level += 1
    return level


def _regency_groups(todo: list[Candidate]) -> list[tuple[str, list[Candidate]]]:
    """Group candidates by regency, largest group first (they are the hardest to keep whole)."""
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in todo:
        groups[candidate.regency_code or ""].append(candidate)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


def _pick_mentor(code, remaining, capacity, loads, regency_mentors) -> int:
    """Choose the mentor for (part of) a regency group: one who has the regency, else the least loaded."""
    holders = Counter(c.current_mentor_id for c in remaining)
    open_mentors = [mentor for mentor, room in capacity.items() if room > 0]
    return min(
        open_mentors,
        key=lambda m: (
            bool(code) and m not in regency_mentors[code],  # already has this regency
            capacity[m] < len(remaining),  # can take the whole group
            -holders[m],  # currently follows most of the group
            loads[m],
            m,
        ),
    )
