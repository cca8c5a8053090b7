"""Stage-2 curation: the registrant score, eligibility, quotas, and the staff pages that use them."""

import itertools

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import AuditEvent, Enrollment
from lms.staff.curation import rules as curation_score
from lms.staff.curation.rules import Criteria, Registrant
from tests.conftest import enroll_participant, login, make_cohort
from tests.conftest import make_user as _make_user

_numbers = itertools.count(1)


def make_user(*args, **kwargs):
    """Make a user with this file's own phone series (tests.conftest's counter is loaded twice)."""
    return _make_user(*args, phone=f"0858{next(_numbers):08d}", **kwargs)

FULL = {"business_name": "Ulos", "address": "Jl. Sisingamangaraja"}


def test_score_formula_weights_sector_age_and_completeness():
    criteria = Criteria(sector_weights={"kriya": 1.0, "kuliner": 0.5}, min_business_age=2)
    scored = curation_score.score(Registrant(1, "kriya", "1206", 2, **FULL), criteria)
    assert scored.score == 60 * 1.0 + 25 * (2 / 4) + 15 * 1.0 == 87.5 and scored.eligible
    half = curation_score.score(Registrant(2, "kuliner", None, 10, "Kue", ""), criteria)
    assert half.score == 60 * 0.5 + 25 * 1.0 + 15 * 0.5 == 62.5
    unweighted = curation_score.score(Registrant(3, "jasa", "1275", 5, **FULL), criteria)
    assert unweighted.score == 25 + 15


def test_without_weights_every_sector_counts_and_unknown_age_counts_zero():
    scored = curation_score.score(Registrant(1, "jasa", "1275", None, **FULL), Criteria())
    assert scored.score == 60 + 0 + 15 and scored.eligible


def test_eligibility_needs_an_allowed_sector_and_a_known_minimum_age():
    criteria = Criteria(allowed_sectors=("kriya",), min_business_age=1)
    assert curation_score.score(Registrant(1, "kriya", "1206", 1), criteria).eligible
    assert not curation_score.score(Registrant(2, "kuliner", "1206", 5), criteria).eligible
    assert not curation_score.score(Registrant(3, "kriya", "1206", 0), criteria).eligible
    assert not curation_score.score(Registrant(4, "kriya", "1206", None), criteria).eligible


def test_best_within_quotas_spreads_places_beyond_mebidangro():
    # Ten strong registrants from Medan, three weaker ones from elsewhere.
    medan = [Registrant(i, "kriya", "1275", 5, **FULL) for i in range(1, 11)]
    others = [Registrant(20, "kriya", "1206", 1, **FULL), Registrant(21, "kriya", "1208", 1, **FULL),
              Registrant(22, "kriya", None, 1, **FULL)]
    criteria = Criteria(regency_quota={"1275": 3}, other_regency_quota=1)
    ranked = curation_score.rank([*others, *medan], criteria)
    chosen = curation_score.best_within_quotas(ranked, 6, criteria)
    assert [c.registrant.enrollment_id for c in chosen] == [1, 2, 3, 20, 21, 22]
    assert dict(curation_score.count_by_regency(chosen)) == {"1275": 3, "1206": 1, "1208": 1, "": 1}
    # No quotas: the best simply win, in score order then registration order.
    assert [c.registrant.enrollment_id for c in curation_score.best_within_quotas(
        curation_score.rank(medan, Criteria()), 2, Criteria())] == [1, 2]


def test_criteria_round_trip_through_json():
    criteria = Criteria(sector_weights={"kriya": 0.8}, allowed_sectors=("kriya",), regency_quota={"1275": 5},
                        other_regency_quota=2, min_business_age=1)
    assert Criteria.from_json(criteria.to_json()) == criteria
    assert Criteria.from_json(None) == Criteria()


def test_staff_set_criteria_and_select_the_best_within_quotas(client, world):
    cohort = make_cohort("gelombang-2", name="Gelombang 2")
    strong = [enroll_participant(make_user(sector="kriya", regency_code="1275", business_started_year=2015, **FULL),
                                 cohort, status="registered") for _ in range(3)]
    spread = enroll_participant(make_user(sector="kriya", regency_code="1206", business_started_year=2024),
                                cohort, status="registered")
    login(client, world["staff"])
    response = client.post(f"/staf/kohort/{cohort.id}/kriteria", data={
        "allowed_sectors": ["kriya"], "min_business_age": "1", "regency_quota": "Kota Medan: 2",
        "other_regency_quota": "1", "weight_kriya": "100"})
    assert response.status_code == 302
    db.session.expire_all()
    assert cohort.curation_criteria["regency_quota"] == {"1275": 2}
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "cohort.curation_criteria")) == 1
    page = client.get(f"/staf/kohort/{cohort.id}/kriteria").get_data(as_text=True)
    assert "Kota Medan: 2" in page and 'data-testid="criteria-scores"' in page
    preview = client.post(f"/staf/kohort/{cohort.id}/pilih-terbaik", data={"places": "5", "reason": "Tahap 2"})
    text = preview.get_data(as_text=True)
    assert 'data-testid="select-best"' in text and "3 dari 5 tempat" in text
    assert db.session.scalar(select(func.count()).where(Enrollment.status == "selected",
                                                        Enrollment.cohort_id == cohort.id)) == 0
    client.post(f"/staf/kohort/{cohort.id}/pilih-terbaik", data={"places": "5", "reason": "Tahap 2", "confirm": "y"})
    db.session.expire_all()
    assert [e.status for e in strong] == ["selected", "selected", "registered"]
    assert spread.status == "selected"
    listing = client.get(f"/staf/kohort/{cohort.id}/peserta").get_data(as_text=True)
    assert "Skor kurasi" in listing


def test_unknown_regency_in_quotas_is_refused_and_kept(client, world):
    login(client, world["staff"])
    response = client.post(f"/staf/kohort/{world['cohort'].id}/kriteria", data={"regency_quota": "Atlantis: 3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "kabupaten/kota tidak dikenal: Atlantis" in page and "Atlantis: 3" in page
    db.session.expire_all()
    assert world["cohort"].curation_criteria is None
