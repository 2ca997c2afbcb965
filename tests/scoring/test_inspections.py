"""The inspection rules of SPEC.md Module 3 (pure core): deadlines, plan-item checks against
the grading, the reproducible draw, repeated or cross inspections."""
from datetime import date, timedelta
from itertools import permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import inspections as core
from scoring.inspections import A_EXEMPT, B_OVER_LIMIT, Inspection, PlanItem


# -- deadlines: each rule with dates on both sides ----------------------------------------
@pytest.mark.parametrize("period, year, number, due", [
    ("annual", 2027, None, date(2026, 12, 20)),
    ("quarterly", 2027, 1, date(2027, 1, 10)),
    ("quarterly", 2027, 2, date(2027, 4, 10)),
    ("quarterly", 2027, 3, date(2027, 7, 10)),
    ("quarterly", 2027, 4, date(2027, 10, 10)),
    ("monthly", 2027, 1, date(2027, 1, 5)),
    ("monthly", 2027, 12, date(2027, 12, 5)),
])
def test_plan_due_dates_and_both_sides(period, year, number, due):
    assert core.plan_due_date(period, year, number) == due
    assert not core.is_late(due - timedelta(days=1), due)
    assert not core.is_late(due, due)                       # the due day itself is on time
    assert core.is_late(due + timedelta(days=1), due)


def test_annual_plan_of_next_year_is_due_on_20_december_of_this_year():
    due = core.plan_due_date("annual", 2027)
    assert (core.is_late(date(2026, 12, 20), due), core.is_late(date(2026, 12, 21), due)) == (False, True)


def test_temporary_plan_is_due_by_its_first_inspection_day():
    assert core.plan_due_date("temporary", 2026, None, first_planned=date(2026, 5, 3)) == date(2026, 5, 3)
    assert core.plan_due_date("temporary", 2026, None) is None
    assert not core.is_late(date(2026, 5, 3), date(2026, 5, 3))
    assert core.is_late(date(2026, 5, 4), date(2026, 5, 3))


def test_results_are_due_by_the_tenth_of_the_next_month():
    assert core.result_filing_due(2026, 10) == date(2026, 11, 10)
    assert core.result_filing_due(2026, 12) == date(2027, 1, 10)
    due = core.result_filing_due(2026, 3)
    assert not core.is_late(date(2026, 4, 10), due) and core.is_late(date(2026, 4, 11), due)


@pytest.mark.parametrize("period, number", [("quarterly", 0), ("quarterly", 5), ("monthly", 13), ("monthly", None),
                                            ("annual", 1), ("weekly", None)])
def test_bad_periods_are_refused(period, number):
    with pytest.raises(ValueError):
        core.plan_due_date(period, 2026, number)


def test_period_bounds():
    assert core.period_bounds("quarterly", 2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert core.period_bounds("quarterly", 2024, 4) == (date(2024, 10, 1), date(2024, 12, 31))
    assert core.period_bounds("monthly", 2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert core.period_bounds("annual", 2026) == (date(2026, 1, 1), date(2026, 12, 31))
    assert core.period_label("quarterly", 2026, 3) == "2026年第3季度"


# -- plan-item checks ----------------------------------------------------------------------
def item(plan, item_id, ent, basis="random", day=date(2026, 3, 1), category="食品安全"):
    return PlanItem(plan, item_id, ent, category, basis, day)


def test_random_item_on_an_a_enterprise_is_refused():
    assert core.check_items([item(1, 1, "E1")], {"E1": "A"}) == [A_EXEMPT]


@pytest.mark.parametrize("basis", ["complaint", "environment", "safety", "statutory"])
def test_other_bases_pass_on_a_and_b(basis):
    items = [item(1, i, ent, basis) for i, ent in enumerate(["EA", "EB", "EB", "EB", "EB"])]
    assert core.check_items(items, {"EA": "A", "EB": "B"}) == [None] * 5


def test_b_third_random_inspection_of_a_category_in_a_year_is_refused_across_units():
    items = [item(7, 1, "EB", day=date(2026, 2, 1)),   # unit X's plan
             item(3, 9, "EB", day=date(2026, 5, 1)),   # unit Y's plan
             item(5, 2, "EB", day=date(2026, 8, 1)),   # unit Z: the third → refused
             item(5, 3, "EB", day=date(2026, 9, 1))]
    assert core.check_items(items, {"EB": "B"}) == [None, None, B_OVER_LIMIT, B_OVER_LIMIT]


def test_b_cap_is_per_category_and_calendar_year_and_grade_c_is_unrestricted():
    items = [item(1, 1, "EB", day=date(2026, 1, 1)), item(1, 2, "EB", day=date(2026, 2, 1)),
             item(1, 3, "EB", day=date(2026, 3, 1), category="特种设备安全"),
             item(1, 4, "EB", day=date(2027, 1, 1)),
             item(1, 5, "EC"), item(1, 6, "EC"), item(1, 7, "EC"), item(1, 8, "EX"), item(1, 9, "EX"), item(1, 10, "EX")]
    assert core.check_items(items, {"EB": "B", "EC": "C"}) == [None] * 10


def test_b_counting_order_is_planned_date_then_plan_id_then_item_id():
    same_day = date(2026, 4, 1)
    items = [item(2, 1, "EB", day=same_day), item(1, 9, "EB", day=same_day), item(1, 3, "EB", day=same_day)]
    # plan 1 items 3 and 9 come first; plan 2's item is the third
    assert core.check_items(items, {"EB": "B"}) == [B_OVER_LIMIT, None, None]
    texts = [item("10", "1", "EB", day=same_day), item("9", "1", "EB", day=same_day), item("9", "2", "EB", day=same_day)]
    assert core.check_items(texts, {"EB": "B"}) == [B_OVER_LIMIT, None, None]   # "9" < "10" as numbers


def test_held_places_count_first_and_refused_items_take_no_place():
    key = ("EB", "食品安全", 2026)
    assert core.check_items([item(9, 1, "EB")], {"EB": "B"}, held={key: 1}) == [None]
    assert core.check_items([item(9, 1, "EB")], {"EB": "B"}, held={key: 2}) == [B_OVER_LIMIT]
    items = [item(1, 1, "EA"), item(1, 2, "EB"), item(1, 3, "EB"), item(1, 4, "EB")]
    assert core.check_items(items, {"EA": "A", "EB": "B"}, held={key: 1}) == [A_EXEMPT, None, B_OVER_LIMIT, B_OVER_LIMIT]


def test_basis_aliases():
    assert core.parse_basis("双随机") == "random" and core.parse_basis(" Safety ") == "safety"
    assert core.parse_basis("投诉举报") == "complaint"
    with pytest.raises(ValueError, match="检查依据"):
        core.parse_basis("随便")


items_strategy = st.lists(
    st.builds(PlanItem, plan_id=st.integers(1, 4), item_id=st.integers(1, 1000),
              enterprise=st.sampled_from(["E1", "E2", "E3", "E4"]), category=st.sampled_from(["食品", "特设"]),
              basis=st.sampled_from(core.BASES), planned_date=st.dates(date(2025, 11, 1), date(2027, 2, 1)),
              inspection=st.none(), level=st.sampled_from(["city", "county"])),
    max_size=40, unique_by=lambda i: (i.plan_id, i.item_id))
grades_strategy = st.dictionaries(st.sampled_from(["E1", "E2", "E3", "E4"]), st.sampled_from("ABC"))


@settings(max_examples=300, deadline=None)
@given(items_strategy, grades_strategy)
def test_check_matches_the_rule_stated_item_by_item(items, grades):
    result = core.check_items(items, grades)
    for index, (it, violation) in enumerate(zip(items, result)):
        grade = grades.get(it.enterprise)
        if it.basis != "random" or grade not in ("A", "B"):
            assert violation is None
        elif grade == "A":  # the default scope: city-level units' random inspections
            assert violation == (A_EXEMPT if it.level == "city" else None)
        else:
            earlier = [o for o in items if o.basis == "random" and o.enterprise == it.enterprise
                       and o.category == it.category and o.planned_date.year == it.planned_date.year
                       and core.counting_order(o) < core.counting_order(it)]
            assert violation == (B_OVER_LIMIT if len(earlier) >= 2 else None)


@settings(max_examples=100, deadline=None)
@given(items_strategy, grades_strategy, st.randoms())
def test_check_does_not_depend_on_the_order_of_the_input(items, grades, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    by_item = dict(zip(items, core.check_items(items, grades)))
    assert dict(zip(shuffled, core.check_items(shuffled, grades))) == by_item


@settings(max_examples=100, deadline=None)
@given(items_strategy, grades_strategy)
def test_a_b_enterprise_never_passes_more_than_two_random_inspections_of_a_category_a_year(items, grades):
    passed: dict = {}
    for it, violation in zip(items, core.check_items(items, grades)):
        if it.basis == "random" and violation is None and grades.get(it.enterprise) == "B":
            key = core.cap_key(it.enterprise, it.category, it.planned_date)
            passed[key] = passed.get(key, 0) + 1
    assert all(n <= 2 for n in passed.values())


# -- the draw ------------------------------------------------------------------------------
CODES = [f"9137030{n:011d}" for n in range(30)]
PEOPLE = [f"SCJ-{n}" for n in range(8)]


def test_draw_is_identical_for_the_same_seed_and_changes_with_the_seed():
    first = core.draw("a1b2c3", CODES, 5, PEOPLE, 2)
    assert first == core.draw("a1b2c3", list(reversed(CODES)), 5, list(reversed(PEOPLE)), 2)
    assert len(first) == 5 and len({o.enterprise for o in first}) == 5
    assert all(len(o.inspectors) == 2 and len(set(o.inspectors)) == 2 for o in first)
    assert first != core.draw("a1b2c4", CODES, 5, PEOPLE, 2)


def test_draw_follows_the_published_algorithm():
    import hashlib

    seed = "00ff" * 8
    ranked = sorted(CODES, key=lambda c: hashlib.sha256(f"{seed}:E:{c}".encode()).hexdigest())
    outcome = core.draw(seed, CODES, 3, PEOPLE, 1)
    assert [o.enterprise for o in outcome] == ranked[:3]
    first = ranked[0]
    team = min(PEOPLE, key=lambda p: hashlib.sha256(f"{seed}:P:{first}:{p}".encode()).hexdigest())
    assert outcome[0].inspectors == (team,)
    assert core.seed_commitment(seed) == hashlib.sha256(seed.encode()).hexdigest()


def test_draw_refuses_impossible_requests():
    with pytest.raises(ValueError):
        core.draw("s", CODES[:2], 3)
    with pytest.raises(ValueError):
        core.draw("s", CODES, 1, PEOPLE[:1], 2)
    with pytest.raises(ValueError):
        core.draw("s", [CODES[0], CODES[0]], 1)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(CODES), st.sampled_from("ABC")),
       st.dictionaries(st.tuples(st.sampled_from(CODES), st.just("食品"), st.just(2026)), st.integers(0, 3)),
       st.text("0123456789abcdef", min_size=1, max_size=32), st.integers(0, 30))
def test_draw_never_picks_an_exempt_enterprise(grades, held, seed, count):
    eligible, excluded = core.eligible_enterprises(CODES, grades, "食品", 2026, held)
    assert set(eligible) | set(excluded) == set(CODES) and not set(eligible) & set(excluded)
    for code, reason in excluded.items():
        assert (grades[code], reason) in {("A", A_EXEMPT), ("B", B_OVER_LIMIT)}
        if reason == B_OVER_LIMIT:
            assert held[(code, "食品", 2026)] >= 2
    picks = core.draw(seed, eligible, min(count, len(eligible)))
    assert {o.enterprise for o in picks} <= set(eligible)
    assert not any(grades.get(o.enterprise) == "A" for o in picks)


# -- repeated or cross inspections ---------------------------------------------------------
def insp(key, ent, unit, day):
    return Inspection(key, ent, unit, day)


def test_two_units_within_30_days_are_cross_inspections_31_days_are_not():
    d = date(2026, 3, 1)
    assert core.cross_keys([insp(1, "E", "SCJ", d), insp(2, "E", "SHJ", d + timedelta(days=30))]) == {1, 2}
    assert core.cross_keys([insp(1, "E", "SCJ", d), insp(2, "E", "SHJ", d + timedelta(days=31))]) == set()
    assert core.cross_keys([insp(1, "E", "SCJ", d), insp(2, "E", "SCJ", d + timedelta(days=3))]) == set()
    assert core.cross_keys([insp(1, "E", "SCJ", d), insp(2, "F", "SHJ", d)]) == set()


def test_cross_groups_chain_inspections_and_split_on_gaps():
    d = date(2026, 3, 1)
    rows = [insp(1, "E", "X", d), insp(2, "E", "Y", d + timedelta(days=20)), insp(3, "E", "X", d + timedelta(days=45)),
            insp(4, "E", "X", d + timedelta(days=200)), insp(5, "E", "Z", d + timedelta(days=210))]
    assert [[r.key for r in g] for g in core.cross_inspections(rows)] == [[1, 2, 3], [4, 5]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("EF"), st.sampled_from("XYZ"), st.integers(0, 120)), max_size=25))
def test_cross_keys_match_the_pairwise_rule(rows):
    start = date(2026, 1, 1)
    data = [insp(i, e, u, start + timedelta(days=n)) for i, (e, u, n) in enumerate(rows)]
    expected = {a.key for a, b in permutations(data, 2)
                if a.enterprise == b.enterprise and a.unit != b.unit and abs((a.day - b.day).days) <= 30}
    assert core.cross_keys(data) == expected
