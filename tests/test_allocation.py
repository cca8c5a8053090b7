"""Allocating participants to mentors: the pure balanced split, and the staff pages."""

import itertools
import random

import pytest
from sqlalchemy import func, select

from lms.assignments.allocation import Candidate, balanced_split, water_level
from lms.extensions import db
from lms.models import AuditEvent, MentorAllocation, Role
from tests.conftest import enroll_participant, login, make_cohort
from tests.conftest import make_user as _make_user

_numbers = itertools.count(1)


def person(*args, **kwargs):
    """Make a user with a phone number of this file's own series.

    tests.conftest is loaded twice (as "conftest" by pytest and as "tests.conftest" here),
    so its phone counter would repeat the numbers the `world` fixture already used.
    """
    return _make_user(*args, phone=f"0859{next(_numbers):08d}", **kwargs)


def candidates(regencies: str, start: int = 1, mentor=None) -> list[Candidate]:
    """Build candidates from a string of one-letter regency codes, e.g. "AAAB"."""
    return [Candidate(start + i, code if code != "-" else None, mentor) for i, code in enumerate(regencies)]


def loads(plan: dict[int, int]) -> dict[int, int]:
    result: dict[int, int] = {}
    for mentor in plan.values():
        result[mentor] = result.get(mentor, 0) + 1
    return result


def mentors_per_regency(plan, people) -> dict[str, set[int]]:
    result: dict[str, set[int]] = {}
    for person in people:
        result.setdefault(person.regency_code, set()).add(plan[person.enrollment_id])
    return result


def test_each_regency_stays_with_one_mentor_when_loads_allow():
    people = candidates("AAAABBBBCCDD")
    plan = balanced_split(people, [10, 20, 30])
    assert set(plan) == {p.enrollment_id for p in people}
    assert all(len(mentors) == 1 for mentors in mentors_per_regency(plan, people).values())
    assert sorted(loads(plan).values()) == [4, 4, 4]


def test_a_big_regency_is_split_rather_than_overloading_a_mentor():
    people = candidates("AAAAAAAAAB")
    plan = balanced_split(people, [1, 2])
    assert sorted(loads(plan).values()) == [5, 5]
    assert len(mentors_per_regency(plan, people)["A"]) == 2


def test_loads_never_exceed_the_water_level():
    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    people = [Candidate(i, rng.choice("ABCDEFG"), None) for i in range(1, 201)]
    plan = balanced_split(people, list(range(1, 8)))
    assert max(loads(plan).values()) <= water_level([0] * 7, 200) == 29
    assert sum(loads(plan).values()) == 200


def test_existing_allocations_are_kept_and_count_as_load():
    kept = candidates("AAAA", start=1, mentor=1)
    new = candidates("AABB", start=10)
    plan = balanced_split(kept + new, [1, 2])
    assert all(plan[p.enrollment_id] == 1 for p in kept)
    assert loads(plan) == {1: 4, 2: 4}


def test_newcomers_join_the_mentor_who_has_their_regency():
    kept = candidates("A", start=1, mentor=2) + candidates("B", start=2, mentor=1)
    new = candidates("A", start=10)
    assert balanced_split(kept + new, [1, 2])[10] == 2


def test_a_fresh_split_prefers_the_current_mentor():
    people = candidates("AAAA", start=1, mentor=2) + candidates("BBBB", start=5, mentor=1)
    plan = balanced_split(people, [1, 2], keep_existing=False)
    assert all(plan[p.enrollment_id] == p.current_mentor_id for p in people)


def test_the_split_is_deterministic_and_handles_edges():
    people = candidates("ABCAB--C")
    assert balanced_split(people, [3, 1, 2]) == balanced_split(list(reversed(people)), [2, 3, 1])
    assert balanced_split(people, []) == {}
    assert balanced_split([], [1, 2]) == {}


def test_water_level_tops_up_the_least_loaded():
    assert water_level([5, 0], 3) == 3
    assert water_level([5, 0], 7) == 6
    assert water_level([10, 0, 0], 4) == 2
    assert water_level([0, 0], 0) == 0


# --- staff pages -------------------------------------------------------------------


def allocation_count(enrollment, open_only=False) -> int:
    statement = select(func.count()).select_from(MentorAllocation).where(
        MentorAllocation.enrollment_id == enrollment.id)
    if open_only:
        statement = statement.where(MentorAllocation.ended_at.is_(None))
    return db.session.scalar(statement)


def test_staff_allocate_by_hand_keeping_history(client, world):
    login(client, world["staff"])
    cohort, enrollment = world["cohort"], world["enrollment"]
    page = client.get(f"/staf/kohort/{cohort.id}/mentor").get_data(as_text=True)
    assert "Peserta Satu" in page and "Mentor Satu" in page
    response = client.post(f"/staf/kohort/{cohort.id}/mentor",
                           data={"enrollment_id": [enrollment.id], "mentor_id": world["other_mentor"].id})
    assert response.status_code == 302
    assert enrollment.current_mentor_allocation().mentor_id == world["other_mentor"].id
    assert allocation_count(enrollment) == 2 and allocation_count(enrollment, open_only=True) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrollment.mentor",
                                                       AuditEvent.actor_id == world["staff"].id))
    assert event.before == {"mentor_id": world["mentor"].id}


def test_hand_allocation_ignores_enrollments_of_other_cohorts(client, world):
    stranger = person()
    elsewhere = enroll_participant(stranger, make_cohort(slug="lain"), mentor=world["mentor"])
    login(client, world["staff"])
    client.post(f"/staf/kohort/{world['cohort'].id}/mentor",
                data={"enrollment_id": [elsewhere.id], "mentor_id": world["other_mentor"].id})
    assert elsewhere.current_mentor_allocation().mentor_id == world["mentor"].id


def test_hand_allocation_needs_a_participant_and_a_mentor(client, world):
    login(client, world["staff"])
    response = client.post(f"/staf/kohort/{world['cohort'].id}/mentor", data={"mentor_id": world["mentor"].id},
                           follow_redirects=True)
    assert "Centang minimal satu peserta" in response.get_data(as_text=True)
    response = client.post(f"/staf/kohort/{world['cohort'].id}/mentor",
                           data={"enrollment_id": [world["enrollment"].id], "mentor_id": world["staff"].id})
    assert world["enrollment"].current_mentor_allocation().mentor_id == world["mentor"].id


def test_automatic_split_preview_then_apply(client, world):
    cohort = world["cohort"]
    newcomers = [enroll_participant(person(regency_code=code), cohort) for code in ("1212", "1207") * 2]
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{cohort.id}/mentor/otomatis").get_data(as_text=True)
    assert "Mentor Satu" in page and "Terapkan pembagian" not in page
    mentors = [world["mentor"].id, world["other_mentor"].id]
    preview = client.get(f"/staf/kohort/{cohort.id}/mentor/otomatis",
                         query_string={"mentor_ids": mentors, "mode": "keep"}).get_data(as_text=True)
    assert "Terapkan pembagian" in preview and "Kabupaten Deli Serdang" in preview
    assert all(e.current_mentor_allocation() is None for e in newcomers)  # a preview writes nothing
    response = client.post(f"/staf/kohort/{cohort.id}/mentor/otomatis", data={"mentor_ids": mentors, "mode": "keep"})
    assert response.status_code == 302
    mentor_of = {e.user.profile.regency_code: set() for e in newcomers}
    for e in newcomers:
        mentor_of[e.user.profile.regency_code].add(e.current_mentor_allocation().mentor_id)
    # Each regency stays with one mentor, and the loads end level (3 and 3).
    assert all(len(chosen) == 1 for chosen in mentor_of.values())
    assert mentor_of["1212"] != mentor_of["1207"]
    assert world["enrollment"].current_mentor_allocation().mentor_id == world["mentor"].id  # kept


def test_automatic_split_needs_a_mentor(client, world):
    login(client, world["staff"])
    response = client.post(f"/staf/kohort/{world['cohort'].id}/mentor/otomatis", data={"mode": "keep"})
    assert response.status_code == 200 and "Pilih minimal satu mentor." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["participant", "mentor"])
def test_only_staff_allocate(client, world, role):
    login(client, world[role])
    response = client.post(f"/staf/kohort/{world['cohort'].id}/mentor/otomatis",
                           data={"mentor_ids": [world["mentor"].id], "mode": "all"})
    assert response.status_code == 403


def test_mentor_sees_only_own_participants_after_reallocation(client, world):
    from lms.enrollments import allocate_mentor

    spare = person(Role.MENTOR, name="Mentor Tiga")
    allocate_mentor(world["enrollment"], spare, assigned_by=world["staff"])
    db.session.commit()
    login(client, world["mentor"])
    assert "Peserta Satu" not in client.get("/mentor/").get_data(as_text=True)
    assert client.get(f"/mentor/peserta/{world['enrollment'].id}").status_code == 404


# --- season: load across cohorts, mentors never activated, unknown regency ---------------


def test_load_in_other_cohorts_counts_towards_the_level():
    plan = balanced_split(candidates("ABCD"), [1, 2], other_loads={1: 4})
    assert loads(plan) == {2: 4}  # mentor 1 already follows 4 elsewhere: the newcomers go to mentor 2
    plan = balanced_split(candidates("AAAAAA"), [1, 2], other_loads={1: 2})
    assert loads(plan) == {1: 2, 2: 4}


def test_split_counts_load_across_cohorts_and_skips_mentors_never_activated(client, world):
    cohort, other = world["cohort"], make_cohort("gelombang-2")
    for _ in range(3):
        enroll_participant(person(regency_code="1275"), other, mentor=world["mentor"])
    newcomers = [enroll_participant(person(regency_code=None), cohort) for _ in range(2)]
    idle = person(Role.MENTOR, name="Mentor Belum Aktif", password=None)
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{cohort.id}/mentor").get_data(as_text=True)
    assert 'data-testid="inactive-mentors"' in page and "Mentor Belum Aktif" in page
    mentors = [world["mentor"].id, world["other_mentor"].id]
    preview = client.get(f"/staf/kohort/{cohort.id}/mentor/otomatis",
                         query_string={"mentor_ids": mentors, "mode": "keep"}).get_data(as_text=True)
    assert 'data-testid="unknown-regency"' in preview and "2 peserta belum diketahui" in preview
    assert "(termasuk 3 di kohort lain)" in preview
    client.post(f"/staf/kohort/{cohort.id}/mentor/otomatis", data={"mentor_ids": mentors, "mode": "keep"})
    # Mentor Satu follows 1 here and 3 elsewhere, so both newcomers go to Mentor Dua.
    assert {e.current_mentor_allocation().mentor_id for e in newcomers} == {world["other_mentor"].id}
    refused = client.post(f"/staf/kohort/{cohort.id}/mentor/otomatis", data={"mentor_ids": [idle.id], "mode": "keep"})
    assert refused.status_code == 200  # not a choice: the split never offers a mentor who never activated
