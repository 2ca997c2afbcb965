"""Issue 12's inspection rules in the pure core: the B cap counts inspections (linked items count
once, unfiled inspections count), the A exemption's scope, C's draw weight, the inspectors' load
limit and recusals, and the retaliation watch."""
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import inspections as core
from scoring import retaliation as watch
from scoring.inspections import A_EXEMPT, B_OVER_LIMIT, PlanItem

E = "91370303MA3C000001"


# -- the B cap counts inspections, not plan lines ----------------------------------------------
def test_seed_case_the_same_scj_inspection_in_the_annual_and_march_plans_takes_one_place():
    """SCJ lists one random 产品质量 inspection of a B enterprise in its annual plan and again in its
    March plan; SHJ's first random 产品质量 item on the enterprise must pass, and a third inspection
    of the category that year is refused."""
    annual = PlanItem(1, 11, E, "产品质量", "random", date(2026, 3, 16))
    march = PlanItem(2, 21, E, "产品质量", "random", date(2026, 3, 16), inspection=(1, 11))
    shj = PlanItem(3, 31, E, "产品质量", "random", date(2026, 4, 8))
    third = PlanItem(4, 41, E, "产品质量", "random", date(2026, 5, 6))
    grades = {E: "B"}
    assert core.check_items([annual, march, shj, third], grades) == [None, None, None, B_OVER_LIMIT]
    unlinked = march._replace(inspection=None)  # the old way: two plan lines, two places
    assert core.check_items([annual, unlinked, shj], grades) == [None, None, B_OVER_LIMIT]


def test_an_item_carrying_out_an_inspection_that_already_holds_its_place_passes():
    held = {(E, "产品质量", 2026): 2}
    march = PlanItem(2, 21, E, "产品质量", "random", date(2026, 3, 16), inspection=(1, 11))
    other = PlanItem(3, 31, E, "产品质量", "random", date(2026, 4, 8))
    assert core.check_items([march, other], {E: "B"}, held, held_inspections={(1, 11)}) == [None, B_OVER_LIMIT]
    assert core.check_items([march], {E: "B"}, held) == [B_OVER_LIMIT]  # not linked to a held one


def test_an_unfiled_inspection_counts_in_the_cap():
    """One inspection without a plan item (held) and one filed item: the next is the third."""
    held = {(E, "食品安全", 2026): 2}
    item = PlanItem(5, 1, E, "食品安全", "random", date(2026, 9, 1))
    assert core.check_items([item], {E: "B"}, held) == [B_OVER_LIMIT]
    assert core.check_items([item], {E: "B"}, {(E, "食品安全", 2026): 1}) == [None]


linked_items = st.lists(
    st.builds(PlanItem, plan_id=st.integers(1, 4), item_id=st.integers(1, 30), enterprise=st.just(E),
              category=st.sampled_from(["食品", "特设"]), basis=st.just("random"),
              planned_date=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
              inspection=st.none() | st.tuples(st.just(0), st.integers(1, 3)), level=st.just("city")),
    max_size=25, unique_by=lambda i: (i.plan_id, i.item_id))


@settings(max_examples=200)
@given(linked_items)
def test_a_b_enterprise_gets_at_most_two_inspections_of_a_category_however_many_lines_name_them(items):
    passed: dict = {}
    for item, violation in zip(items, core.check_items(items, {E: "B"})):
        if violation is None:
            passed.setdefault(item.category, set()).add(core.inspection_key(item))
    assert all(len(keys) <= 2 for keys in passed.values())
    # Linking never refuses more than leaving the lines unlinked would.
    unlinked = [i._replace(inspection=None) for i in items]
    refused = sum(v is not None for v in core.check_items(items, {E: "B"}))
    assert refused <= sum(v is not None for v in core.check_items(unlinked, {E: "B"}))


# -- the A exemption's scope ------------------------------------------------------------------------
def test_a_exemption_covers_city_units_random_inspections_by_default():
    city = PlanItem(1, 1, E, "产品质量", "random", date(2026, 4, 1), level="city")
    county = PlanItem(2, 1, E, "产品质量", "random", date(2026, 4, 1), level="county")
    safety = PlanItem(3, 1, E, "安全生产", "safety", date(2026, 4, 1), level="city")
    assert core.check_items([city, county, safety], {E: "A"}) == [A_EXEMPT, None, None]
    assert core.check_items([city, county, safety], {E: "A"}, a_scope="all") == [A_EXEMPT, A_EXEMPT, None]
    with pytest.raises(ValueError):
        core.check_items([city], {E: "A"}, a_scope="province")


def test_a_enterprises_stay_in_a_county_units_draw_under_the_city_scope():
    grades = {"a": "A", "b": "B", "c": "C"}
    held = {("b", "食品", 2026): 2}
    assert core.eligible_enterprises(["a", "b", "c"], grades, "食品", 2026, held, level="city") == (
        ["c"], {"a": A_EXEMPT, "b": B_OVER_LIMIT})
    assert core.eligible_enterprises(["a", "b", "c"], grades, "食品", 2026, held, level="county") == (
        ["a", "c"], {"b": B_OVER_LIMIT})


# -- C's weight in the draw ---------------------------------------------------------------------------
CODES = [f"9137030{n:011d}" for n in range(12)]
PEOPLE = [f"SCJ-{n:05d}" for n in range(10)]


def test_a_c_enterprise_ranks_by_its_smallest_of_three_tickets():
    seed = "5eed"
    key = core.enterprise_key(seed, CODES[0], 3)
    tickets = [core.draw_key(seed, "E", t) for t in (CODES[0], CODES[0] + ":2", CODES[0] + ":3")]
    assert key == min(tickets)
    assert core.enterprise_key(seed, CODES[0]) == tickets[0]  # weight 1: the plain key of older draws


def test_weight_three_makes_a_c_enterprise_about_three_times_as_likely_to_be_drawn_first():
    """One C enterprise (weight 3) among three of weight 1: first in 3/6 of the seeds."""
    firsts = sum(core.draw(f"{n:032x}", CODES[:4], 1, weights={CODES[0]: 3})[0].enterprise == CODES[0]
                 for n in range(3000))
    assert 1350 < firsts < 1650
    plain = sum(core.draw(f"{n:032x}", CODES[:4], 1)[0].enterprise == CODES[0] for n in range(3000))
    assert 650 < plain < 850


def test_grade_weights():
    assert core.grade_weights({"x": "C", "y": "B", "z": "A"}) == {"x": 3}
    assert core.grade_weights({"x": "C"}, 1) == {}
    with pytest.raises(ValueError):
        core.grade_weights({}, 0)


@settings(max_examples=100)
@given(st.text("0123456789abcdef", min_size=1, max_size=32), st.integers(0, 12),
       st.dictionaries(st.sampled_from(CODES), st.integers(1, 4)))
def test_draw_without_weights_is_unchanged_and_weights_only_reorder(seed, count, weights):
    old = sorted(CODES, key=lambda c: core.draw_key(seed, "E", c))[:count]
    assert [o.enterprise for o in core.draw(seed, CODES, count)] == old
    weighted = [o.enterprise for o in core.draw(seed, CODES, count, weights=weights)]
    assert len(set(weighted)) == count and set(weighted) <= set(CODES)


# -- inspector load and recusals ---------------------------------------------------------------------
def test_seed_case_one_inspector_for_four_of_five_firms_cannot_happen_with_a_limit():
    """The demo drew one inspector for 4 of 5 firms; with 5 firms × 2 per team over 10 inspectors the
    default limit is 1 team each; over 6 inspectors it is 2 and nobody holds more than 2."""
    assert core.even_load(5, 2, 10) == 1                       # 1 × (10 − 2) ≥ 4 × 2
    assert core.even_load(5, 2, 6) == 2                        # 2 × 4 ≥ 8 > 1 × 4
    assert core.even_load(5, 2, 2) == 5 and core.even_load(1, 2, 3) == 1
    for n in range(200):
        outcome = core.draw(f"{n:032x}", CODES, 5, PEOPLE, 2, max_load=1)
        teams = [p for o in outcome for p in o.inspectors]
        assert len(teams) == len(set(teams)) == 10
        loads = {}
        for p in (p for o in core.draw(f"{n:032x}", CODES, 5, PEOPLE[:6], 2, max_load=2) for p in o.inspectors):
            loads[p] = loads.get(p, 0) + 1
        assert max(loads.values()) == 2


def test_an_inspector_at_the_limit_is_taken_only_when_the_team_cannot_be_filled_otherwise():
    outcome = core.draw("ab", CODES[:3], 3, PEOPLE[:2], 2, max_load=1)
    assert all(set(o.inspectors) == set(PEOPLE[:2]) for o in outcome)


def test_recused_inspectors_are_never_drawn_for_that_enterprise():
    recusals = {(p, CODES[0]) for p in PEOPLE[:8]}
    outcome = core.draw("ab", [CODES[0]], 1, PEOPLE, 2, recusals=recusals)
    assert set(outcome[0].inspectors) == set(PEOPLE[8:])
    with pytest.raises(ValueError, match="recused"):
        core.draw("ab", [CODES[0]], 1, PEOPLE, 3, recusals=recusals)


@settings(max_examples=150)
@given(st.text("0123456789abcdef", min_size=1, max_size=32), st.integers(1, 6), st.integers(1, 3),
       st.integers(1, 3), st.sets(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(CODES[:6])), max_size=12))
def test_draw_honours_recusals_and_the_limit_whenever_it_can(seed, count, per_team, limit, recusals):
    try:
        outcome = core.draw(seed, CODES[:6], count, PEOPLE, per_team, max_load=limit, recusals=recusals)
    except ValueError:
        return  # an enterprise with too few inspectors left after recusals
    load: dict = {}
    for o in outcome:
        assert not any((p, o.enterprise) in recusals for p in o.inspectors)
        assert len(set(o.inspectors)) == per_team
        for p in o.inspectors:
            load[p] = load.get(p, 0) + 1
    if not recusals and limit * (len(PEOPLE) - per_team) >= (count - 1) * per_team:
        assert max(load.values()) <= limit  # the limit always holds when the last team can still be filled
    assert core.draw(seed, CODES[:6], count, PEOPLE, per_team, max_load=limit, recusals=recusals) == outcome


# -- retaliation watch ----------------------------------------------------------------------------------
START = date(2026, 3, 10)
W = watch.Watch("complaint:1", "e", frozenset({"SCJ", "SCJ-ZD"}), START)


def visits(enterprise, unit, days):
    return [watch.Visit(enterprise, unit, START + timedelta(days=d)) for d in days]


def test_one_inspection_after_none_is_a_rise_when_peers_had_none():
    groups = {"e": "B", "p1": "B", "p2": "B", "q": "A"}
    rise = watch.measure(W, visits("e", "SCJ-ZD", [30]), groups, START + timedelta(days=60))
    assert (rise.after, rise.before, rise.elapsed, rise.peer_median, rise.peers) == (1, 0, 60, 0, 2)
    assert rise.flagged


def test_the_same_rate_as_before_is_no_rise_and_one_more_is():
    """Before: 2 in the 12 months. The boundary is after × 365 > before × elapsed: one inspection
    within the first 182 days is a higher rate (365 > 364), within 183 days it is not (365 < 366)."""
    groups = {"e": "B"}
    before = visits("e", "SCJ", [-300, -10])
    today = START + timedelta(days=365)
    same = watch.measure(W, before + visits("e", "SCJ", [100, 200]), groups, today)
    assert (same.after, same.before, same.flagged) == (2, 2, False)
    more = watch.measure(W, before + visits("e", "SCJ", [100, 200, 300]), groups, today)
    assert more.flagged
    assert watch.measure(W, before + visits("e", "SCJ", [100]), groups, START + timedelta(days=182)).flagged
    assert not watch.measure(W, before + visits("e", "SCJ", [100]), groups, START + timedelta(days=183)).flagged


def test_a_rise_no_higher_than_the_peers_median_is_not_flagged():
    groups = {"e": "C", "p1": "C", "p2": "C", "p3": "C"}
    peers = visits("p1", "SCJ", [5]) + visits("p2", "SCJ", [6, 7]) + visits("p3", "SCJ", [8])
    today = START + timedelta(days=90)
    rise = watch.measure(W, peers + visits("e", "SCJ", [20]), groups, today)
    assert rise.peer_median == 1 and not rise.flagged          # 1 is not more than the median 1
    rise = watch.measure(W, peers + visits("e", "SCJ", [20, 40]), groups, today)
    assert rise.flagged
    even = {"e": "C", "p1": "C", "p2": "C"}                     # peers 1 and 2: median 3/2
    assert watch.measure(W, peers + visits("e", "SCJ", [20]), even, today).peer_median == Fraction(3, 2)


def test_only_the_watched_units_and_the_windows_count():
    groups = {"e": "B"}
    others = visits("e", "SHJ", [10, 20, 30])                   # another unit
    edges = visits("e", "SCJ", [0, -366, 366])                  # start day, before the 12 months, after them
    today = START + timedelta(days=400)
    rise = watch.measure(W, others + edges, groups, today)
    assert (rise.after, rise.before, rise.elapsed) == (0, 0, 365)
    assert watch.measure(W, edges, groups, START) is None       # nothing to measure on the start day
    assert watch.rises([W], visits("e", "SCJ", [1]), groups, START + timedelta(days=1))[0].after == 1


@settings(max_examples=150)
@given(st.lists(st.tuples(st.sampled_from(["e", "p1", "p2"]), st.sampled_from(["SCJ", "SHJ"]),
                          st.integers(-400, 400)), max_size=30), st.integers(1, 500))
def test_a_flag_needs_a_higher_rate_than_before_and_more_than_the_peers(rows, days):
    groups = {"e": "B", "p1": "B", "p2": "B"}
    found = [watch.Visit(e, u, START + timedelta(days=d)) for e, u, d in rows]
    rise = watch.measure(W, found, groups, START + timedelta(days=days))
    elapsed = min(days, 365)
    mine = [d for e, u, d in rows if e == "e" and u == "SCJ"]
    after = sum(1 <= d <= elapsed for d in mine)
    before = sum(-365 <= d <= -1 for d in mine)
    peer = sorted(sum(1 for e, u, d in rows if e == p and u == "SCJ" and 1 <= d <= elapsed) for p in ("p1", "p2"))
    assert (rise.after, rise.before) == (after, before)
    assert rise.flagged == (after * 365 > before * elapsed and after > Fraction(sum(peer), 2))
