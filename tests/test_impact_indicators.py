"""The impact indicators: every definition of issue #15 §2, with its edge cases."""

import pytest

from lms.impact.indicators import (
    Answer,
    Person,
    cohort_indicators,
    difference_in_differences,
    extreme_changes,
    filter_people,
    legality_gained,
    marketplace_onboarded,
    mindset_change,
    one_decimal,
    revenue_figures,
    rounded,
)


def person(key, baseline=None, endline=None, **where):
    return Person(key=key, baseline=baseline, endline=endline, **where)


def revenue(before, after):
    return Answer(revenue=before), Answer(revenue=after)


def test_mean_median_totals_and_share_up_over_paired_participants():
    people = [person("a", *revenue(1_000_000, 2_000_000)),   # +100 %
              person("b", *revenue(2_000_000, 2_000_000)),   # 0 %
              person("c", *revenue(500_000, 2_500_000))]     # +400 %
    figures = revenue_figures(people)
    assert figures["revenue_n"] == 3
    assert figures["revenue_mean_pct_change"] == pytest.approx(500 / 3)
    assert figures["revenue_median_pct_change"] == pytest.approx(100)
    # (6.5 M − 3.5 M) ÷ 3.5 M
    assert figures["revenue_pct_change_of_totals"] == pytest.approx(3_000_000 / 3_500_000 * 100)
    assert figures["share_revenue_up"] == pytest.approx(200 / 3)  # "equal" is not up


def test_the_mean_of_percentages_can_dwarf_the_median():
    """One tiny baseline that grew a lot: the "330 %" effect the methods note explains."""
    people = [person(str(n), *revenue(10_000_000, 11_000_000)) for n in range(9)]
    people.append(person("kecil", *revenue(100_000, 3_500_000)))  # +3400 %
    figures = revenue_figures(people)
    assert figures["revenue_median_pct_change"] == pytest.approx(10)
    assert figures["revenue_mean_pct_change"] == pytest.approx((9 * 10 + 3400) / 10)
    assert [item.key for item in extreme_changes(people)] == ["kecil"]


def test_zero_baselines_are_counted_and_left_out_of_every_percentage():
    people = [person("nol", *revenue(0, 5_000_000)), person("a", *revenue(1_000_000, 1_500_000))]
    figures = revenue_figures(people)
    assert figures["excluded_zero_baseline"] == 1
    assert figures["revenue_paired"] == 2 and figures["revenue_n"] == 1
    assert figures["revenue_mean_pct_change"] == pytest.approx(50)
    assert figures["revenue_pct_change_of_totals"] == pytest.approx(50)  # the zero's 5 M is not in the totals


def test_unpaired_participants_do_not_count_for_revenue():
    people = [person("only-baseline", Answer(revenue=1_000_000), None),
              person("only-endline", None, Answer(revenue=1_000_000)),
              person("endline-without-revenue", Answer(revenue=1_000_000), Answer(employees=2))]
    figures = revenue_figures(people)
    assert figures["revenue_paired"] == 0
    assert figures["revenue_mean_pct_change"] is None and figures["share_revenue_up"] is None
    assert figures["revenue_pct_change_of_totals"] is None


def test_extreme_changes_list_rises_over_1000_and_drops_over_90_percent_only():
    people = [person("naik", *revenue(100_000, 1_200_000)),    # +1100 %
              person("pas", *revenue(100_000, 1_100_000)),     # +1000 % exactly: not extreme
              person("turun", *revenue(1_000_000, 50_000)),    # −95 %
              person("turun-90", *revenue(1_000_000, 100_000)),  # −90 % exactly: not extreme
              person("nol", *revenue(0, 9_000_000))]           # no percentage at all
    assert {item.key for item in extreme_changes(people)} == {"naik", "turun"}


def test_jobs_created_is_net_and_can_be_negative():
    people = [person("a", Answer(employees=2), Answer(employees=5)),
              person("b", Answer(employees=4), Answer(employees=1)),
              person("c", Answer(employees=1), Answer(employees=None)),
              person("d", Answer(employees=0), Answer(employees=0))]
    result = cohort_indicators(people, enrolled_count=4)
    assert (result["jobs_created"], result["jobs_n"]) == (0, 3)
    shrinking = [person("b", Answer(employees=4), Answer(employees=1))]
    assert cohort_indicators(shrinking, 1)["jobs_created"] == -3


def test_marketplace_onboarded_needs_a_new_marketplace_or_government_channel():
    people = [
        person("baru-shopee", Answer(channels=frozenset({"whatsapp"})), Answer(channels=frozenset({"shopee"}))),
        person("sudah-ada", Answer(channels=frozenset({"shopee"})), Answer(channels=frozenset({"shopee"}))),
        person("baru-ig", Answer(channels=frozenset()), Answer(channels=frozenset({"instagram"}))),
        person("ekatalog", Answer(channels=frozenset({"tokopedia"})),
               Answer(channels=frozenset({"tokopedia", "ekatalog"}))),
        person("tanpa-jawaban", Answer(channels=None), Answer(channels=frozenset({"shopee"}))),
    ]
    assert marketplace_onboarded(people) == (2, 4)


def test_legality_gained_counts_each_item_lacked_then_held():
    people = [
        person("a", Answer(legality=frozenset()), Answer(legality=frozenset({"nib", "halal"}))),
        person("b", Answer(legality=frozenset({"nib"})), Answer(legality=frozenset({"nib", "pirt"}))),
        person("c", Answer(legality=frozenset({"halal"})), Answer(legality=frozenset())),  # lost: not a gain
    ]
    gained, n = legality_gained(people)
    assert n == 3
    assert gained == {"nib": 1, "pirt": 1, "halal": 1, "bpom": 0, "merek": 0}


def test_mindset_change_is_a_mean_per_item_over_those_who_answered_it_twice():
    people = [person("a", Answer(mindset={"m1": 2, "m2": 3}), Answer(mindset={"m1": 4, "m2": 3})),
              person("b", Answer(mindset={"m1": 3}), Answer(mindset={"m1": 4, "m2": 5}))]
    assert mindset_change(people) == {"m1": {"mean_change": 1.5, "n": 2}, "m2": {"mean_change": 0.0, "n": 1}}


def test_response_rate_is_endline_respondents_over_enrolled():
    people = [person("a", Answer(revenue=1), Answer(revenue=2)), person("b", Answer(revenue=1), None)]
    result = cohort_indicators(people, enrolled_count=8)
    assert result["respondents_baseline"] == 2 and result["respondents_endline"] == 1
    assert result["response_rate"] == pytest.approx(12.5)
    assert cohort_indicators([], enrolled_count=0)["response_rate"] is None


def test_empty_group_has_no_figures_rather_than_zeroes():
    result = cohort_indicators([], enrolled_count=10)
    assert result["revenue_mean_pct_change"] is None and result["revenue_median_pct_change"] is None
    assert result["jobs_created"] == 0 and result["jobs_n"] == 0


def test_difference_in_differences_of_median_and_mean():
    participants = cohort_indicators([person("a", *revenue(100, 300)), person("b", *revenue(100, 200))], 2)
    comparison = cohort_indicators([person("x", *revenue(100, 120)), person("y", *revenue(100, 100))], 0)
    did = difference_in_differences(participants, comparison)
    assert did["did_revenue_median_pct_change"] == pytest.approx(150 - 10)
    assert did["did_revenue_mean_pct_change"] == pytest.approx(150 - 10)
    assert did["comparison_respondents"] == 2
    assert difference_in_differences(participants, cohort_indicators([], 0))["did_revenue_median_pct_change"] is None


@pytest.mark.parametrize(("value", "expected"), [(0.05, 0.1), (0.04, 0.0), (-0.05, -0.1), (2.25, 2.3),
                                                 (333.333, 333.3), (None, None)])
def test_one_decimal_rounds_half_away_from_zero(value, expected):
    assert one_decimal(value) == expected


def test_rounded_reaches_nested_figures_and_leaves_counts_alone():
    assert rounded({"a": 1.25, "n": 3, "m": {"x": {"mean_change": 0.66}}}) == {"a": 1.3, "n": 3,
                                                                               "m": {"x": {"mean_change": 0.7}}}


def test_filter_by_regency_and_sector():
    people = [person("a", regency_code="1201", sector="kuliner"), person("b", regency_code="1271", sector="kuliner"),
              person("c", regency_code="1201", sector="jasa")]
    assert [p.key for p in filter_people(people, regency_code="1201")] == ["a", "c"]
    assert [p.key for p in filter_people(people, regency_code="1201", sector="kuliner")] == ["a"]
    assert len(filter_people(people)) == 3
