"""The pure core of the care module's second half (scoring/care.py): 容错 stages and deadlines, the
decision rules, leniency in case reviews, the political-inspection circular counts, the honours
eligibility rule and the green channel's evaluation score."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import care as rules

DAY = timedelta(days=1)
ALL_FOR = {k: rules.FOR for k in rules.FACTORS}


# -- 容错纠错 ---------------------------------------------------------------------------------------
def test_stage_deadlines_are_the_platform_defaults():
    start = date(2019, 12, 2)
    assert rules.stage_deadline(rules.APPLIED, start) == date(2019, 12, 9)          # 受理审查 7 days
    assert rules.stage_deadline(rules.INVESTIGATING, start) == date(2020, 1, 1)     # 容错调查 30 days
    assert rules.stage_deadline(rules.DELIBERATING, start) == date(2019, 12, 17)    # 会商研判 15 days
    assert rules.stage_deadline(rules.PROTECTING, start) == date(2020, 1, 1)        # 澄清保护 30 days
    assert rules.stage_deadline(rules.RECTIFYING, start, date(2020, 3, 1)) == date(2020, 3, 1)
    assert rules.stage_deadline(rules.CLOSED, start) is None


def test_late_means_open_after_the_last_day():
    last = date(2019, 12, 9)
    assert not rules.is_late(rules.APPLIED, last, last)
    assert rules.is_late(rules.APPLIED, last, last + DAY)
    assert not rules.is_late(rules.CLOSED, last, last + DAY)
    assert not rules.is_late(rules.REJECTED, last, last + DAY)
    assert not rules.is_late(rules.APPLIED, None, last + DAY)


@pytest.mark.parametrize("kind,decision,rectify,target", [
    (rules.TOLERANCE, "tolerated", True, rules.RECTIFYING),
    (rules.TOLERANCE, "tolerated", False, rules.PROTECTING),
    (rules.TOLERANCE, "lenient", True, rules.RECTIFYING),
    (rules.TOLERANCE, "not_tolerated", False, rules.CLOSED),
    (rules.CLARIFICATION, "false_accusation", False, rules.PROTECTING),
    (rules.CLARIFICATION, "not_false", False, rules.CLOSED),
])
def test_where_a_decided_case_goes(kind, decision, rectify, target):
    assert rules.next_stage(kind, decision, rectify) == target


def test_a_decision_of_the_other_kind_is_refused():
    with pytest.raises(rules.CareRuleError):
        rules.next_stage(rules.TOLERANCE, "false_accusation", False)
    with pytest.raises(rules.CareRuleError):
        rules.check_decision(rules.CLARIFICATION, "tolerated", ALL_FOR, date(2019, 12, 2), None)


def test_every_circumstance_must_be_assessed():
    factors = dict(ALL_FOR)
    del factors["recovery"]
    with pytest.raises(rules.CareRuleError, match="挽回损失"):
        rules.check_decision(rules.TOLERANCE, "tolerated", factors, date(2019, 12, 2), None)


def test_no_tolerance_when_the_motive_speaks_against_it():
    against = {**ALL_FOR, "motive": rules.AGAINST}
    for decision in ("tolerated", "lenient"):
        with pytest.raises(rules.CareRuleError, match="动机态度"):
            rules.check_decision(rules.TOLERANCE, decision, against, date(2019, 12, 2), None)
    rules.check_decision(rules.TOLERANCE, "not_tolerated", against, date(2019, 12, 2), None)
    # Any other circumstance against does not bar 容错: the commission weighs them.
    rules.check_decision(rules.TOLERANCE, "tolerated", {**ALL_FOR, "consequences": rules.AGAINST},
                         date(2019, 12, 2), None)


def test_rectification_dates():
    decided = date(2019, 12, 2)
    rules.check_decision(rules.TOLERANCE, "tolerated", ALL_FOR, decided, decided + timedelta(days=180))
    with pytest.raises(rules.CareRuleError, match="180"):
        rules.check_decision(rules.TOLERANCE, "tolerated", ALL_FOR, decided, decided + timedelta(days=181))
    with pytest.raises(rules.CareRuleError, match="晚于"):
        rules.check_decision(rules.TOLERANCE, "tolerated", ALL_FOR, decided, decided)
    with pytest.raises(rules.CareRuleError, match="只有"):
        rules.check_decision(rules.TOLERANCE, "not_tolerated", ALL_FOR, decided, decided + DAY)


@given(st.sampled_from(list(rules.STAGES)), st.dates(date(2000, 1, 1), date(2090, 1, 1)),
       st.integers(0, 400))
def test_a_stage_is_never_late_on_or_before_its_deadline(stage, start, offset):
    deadline = rules.stage_deadline(stage, start, start + timedelta(days=60))
    today = start + timedelta(days=offset)
    late = rules.is_late(stage, deadline, today)
    assert late == (stage in rules.OPEN_STAGES and deadline is not None and today > deadline)
    if deadline is not None:
        assert deadline >= start


# -- 涉企案件评查 ------------------------------------------------------------------------------------
def test_leniency_needs_a_minor_breach_without_major_loss_from_a_named_cause():
    assert rules.leniency_applies(True, False, ["market"])
    assert rules.leniency_applies(True, False, ["inexperience", "force_majeure"])
    assert not rules.leniency_applies(False, False, ["market"])   # not minor
    assert not rules.leniency_applies(True, True, ["policy"])     # major loss
    assert not rules.leniency_applies(True, False, [])            # no named cause
    assert not rules.leniency_applies(True, False, ["greed"])


# -- 政治督察 circular -----------------------------------------------------------------------------
def test_quarter_bounds():
    assert rules.quarter_bounds(2019, 4) == (date(2019, 10, 1), date(2019, 12, 31))
    assert rules.quarter_bounds(2020, 1) == (date(2020, 1, 1), date(2020, 3, 31))
    assert rules.quarter_bounds(2020, 2) == (date(2020, 4, 1), date(2020, 6, 30))
    with pytest.raises(rules.CareRuleError):
        rules.quarter_bounds(2020, 5)


def test_circular_counts_of_the_fourth_quarter_2019():
    start, end = rules.quarter_bounds(2019, 4)
    problems = [
        rules.ProblemFacts("GAJ", date(2019, 10, 15), date(2019, 11, 14), date(2019, 11, 10)),  # on time
        rules.ProblemFacts("GAJ", date(2019, 10, 20), date(2019, 11, 19), date(2019, 12, 1)),   # late
        rules.ProblemFacts("GAJ", date(2019, 12, 10), date(2020, 1, 9), None),                  # open, not overdue
        rules.ProblemFacts("JCY", date(2019, 9, 1), date(2019, 10, 1), None),                   # earlier, overdue
        rules.ProblemFacts("JCY", date(2019, 8, 1), date(2019, 9, 1), date(2019, 9, 20)),        # done before
        rules.ProblemFacts("ZYFY", date(2020, 1, 5), date(2020, 2, 4), None),                   # after the period
    ]
    counts = {c.unit: c for c in rules.circular_counts(problems, start, end)}
    assert counts["GAJ"] == rules.UnitCount("GAJ", found=3, rectified=1, rectified_late=1, open=1, overdue=0)
    assert counts["JCY"] == rules.UnitCount("JCY", found=0, rectified=0, rectified_late=0, open=1, overdue=1)
    assert "ZYFY" not in counts


def test_the_deadline_day_itself_is_not_overdue_at_the_end_of_the_period():
    start, end = rules.quarter_bounds(2019, 4)
    counts = rules.circular_counts([rules.ProblemFacts("GAJ", date(2019, 12, 1), end, None)], start, end)
    assert counts[0].overdue == 0
    counts = rules.circular_counts([rules.ProblemFacts("GAJ", date(2019, 12, 1), end - DAY, None)], start, end)
    assert counts[0].overdue == 1


problem_strategy = st.builds(
    lambda unit, found, days, done: rules.ProblemFacts(unit, found, found + timedelta(days=days),
                                                       None if done is None else found + timedelta(days=done)),
    st.sampled_from(["GAJ", "JCY", "ZYFY"]), st.dates(date(2019, 1, 1), date(2020, 12, 31)), st.integers(1, 180),
    st.one_of(st.none(), st.integers(0, 300)))


@given(st.lists(problem_strategy, max_size=30), st.integers(2019, 2020), st.integers(1, 4))
def test_circular_counts_add_up(problems, year, quarter):
    start, end = rules.quarter_bounds(year, quarter)
    counts = rules.circular_counts(problems, start, end)
    assert sum(c.found for c in counts) == sum(1 for p in problems if start <= p.found_on <= end)
    known = [p for p in problems if p.found_on <= end]
    assert sum(c.open for c in counts) == sum(1 for p in known if p.rectified_on is None or p.rectified_on > end)
    for c in counts:
        assert 0 <= c.overdue <= c.open
        assert c.rectified + c.rectified_late <= sum(1 for p in known if p.unit == c.unit)


# -- honours eligibility ----------------------------------------------------------------------------
def facts(**changes) -> rules.CandidateFacts:
    values = {"in_business": True, "tax_previous_year": Decimal("1200000.00"), "grade": "A", "serious_records": (),
              "bars": ()}
    values.update(changes)
    return rules.CandidateFacts(**values)


CHECKED = date(2019, 12, 10)


def test_a_clean_taxpayer_is_eligible():
    assert rules.check_eligibility(facts(), 2019, CHECKED) == rules.Eligibility(True, ())
    assert rules.check_eligibility(facts(grade=None), 2019, CHECKED).eligible  # not on the grading list
    assert rules.check_eligibility(facts(grade="B"), 2019, CHECKED).eligible


def test_each_exclusion_gives_its_reason():
    assert rules.check_eligibility(facts(tax_previous_year=None), 2019, CHECKED).reasons == ("2018年度无地方留成税收（未纳税）",)
    assert rules.check_eligibility(facts(tax_previous_year=Decimal("0")), 2019, CHECKED).reasons == (
        "2018年度无地方留成税收（未纳税）",)
    assert rules.check_eligibility(facts(grade="C"), 2019, CHECKED).reasons == ("免检免扰评级为C类（已公布名单）",)
    assert rules.check_eligibility(facts(in_business=False), 2019, CHECKED).reasons == ("企业不在存续状态",)
    bar = "失信被执行人（淄博市中级人民法院（2019）鲁03执1号，2019-05-01列入）"
    assert rules.check_eligibility(facts(bars=(bar,)), 2019, CHECKED).reasons == (bar,)
    result = rules.check_eligibility(facts(grade="C", bars=(bar,), tax_previous_year=None), 2019, CHECKED)
    assert not result.eligible and len(result.reasons) == 3


def test_the_serious_violation_window_is_three_years_up_to_the_check_day():
    assert rules.serious_window(CHECKED) == (date(2016, 12, 10), CHECKED)
    inside = facts(serious_records=((date(2016, 12, 10), "市生态环境局，责令停产整治"),))
    outside = facts(serious_records=((date(2016, 12, 9), "市生态环境局，责令停产整治"),))
    assert rules.check_eligibility(inside, 2019, CHECKED).reasons == ("2016-12-10 严重违法：市生态环境局，责令停产整治",)
    assert rules.check_eligibility(outside, 2019, CHECKED).eligible
    later = facts(serious_records=((CHECKED + DAY, "以后的记录"),))
    assert rules.check_eligibility(later, 2019, CHECKED).eligible
    # 29 February: the window starts on 1 March three years earlier.
    assert rules.serious_window(date(2020, 2, 29))[0] == date(2017, 3, 1)


fact_strategy = st.builds(
    rules.CandidateFacts, in_business=st.booleans(),
    tax_previous_year=st.one_of(st.none(), st.decimals(min_value=0, max_value=10**9, places=2)),
    grade=st.sampled_from([None, "A", "B", "C"]),
    serious_records=st.lists(st.tuples(st.dates(date(2010, 1, 1), date(2025, 12, 31)), st.text(max_size=5)),
                             max_size=4).map(tuple),
    bars=st.lists(st.text(min_size=1, max_size=5), max_size=3).map(tuple))


@given(fact_strategy, st.dates(date(2015, 1, 1), date(2025, 12, 31)))
def test_eligible_exactly_when_there_is_no_reason(candidate, on):
    result = rules.check_eligibility(candidate, on.year, on)
    assert result.eligible == (not result.reasons)
    assert result.eligible == (candidate.in_business and (candidate.tax_previous_year or 0) > 0
                               and candidate.grade != "C" and not candidate.bars
                               and not any(rules.serious_window(on)[0] <= d <= on for d, _ in candidate.serious_records))


@given(fact_strategy, st.dates(date(2015, 1, 1), date(2025, 12, 31)), st.text(min_size=1, max_size=5))
def test_a_new_bar_never_makes_a_candidate_eligible(candidate, on, bar):
    before = rules.check_eligibility(candidate, on.year, on)
    after = rules.check_eligibility(rules.CandidateFacts(**{**candidate.__dict__, "bars": candidate.bars + (bar,)}),
                                    on.year, on)
    assert not after.eligible and len(after.reasons) == len(before.reasons) + 1


# -- green channel evaluation -----------------------------------------------------------------------
def test_service_score_and_grade_with_their_boundaries():
    score = rules.service_score
    assert score(rules.UnitServiceFacts(True, 0, 0, 0)) == 100
    assert score(rules.UnitServiceFacts(False, 0, 0, 0)) == 80
    assert score(rules.UnitServiceFacts(True, 1, 1, 0)) == 80
    assert score(rules.UnitServiceFacts(True, 0, 0, 2)) == 90
    assert score(rules.UnitServiceFacts(False, 3, 5, 9)) == 0  # never below 0
    assert [rules.service_grade(s) for s in (100, 90, 89, 75, 74, 60, 59, 0)] == [
        "good", "good", "fair", "fair", "average", "average", "poor", "poor"]
    assert rules.CIRCULATED == {"average", "poor"}
    with pytest.raises(rules.CareRuleError):
        score(rules.UnitServiceFacts(True, -1, 0, 0))


unit_facts = st.builds(rules.UnitServiceFacts, st.booleans(), st.integers(0, 20), st.integers(0, 20),
                       st.integers(0, 30))


@given(unit_facts, st.sampled_from(["late_rules", "late_feedback", "dissatisfied"]))
def test_one_more_failing_never_raises_the_score(facts_, field):
    worse = rules.UnitServiceFacts(**{**facts_.__dict__, field: getattr(facts_, field) + 1})
    assert 0 <= rules.service_score(worse) <= rules.service_score(facts_) <= 100
    order = list(rules.GRADES)
    assert order.index(rules.service_grade(rules.service_score(worse))) >= \
        order.index(rules.service_grade(rules.service_score(facts_)))


def test_was_late():
    deadline = date(2019, 12, 20)
    assert not rules.was_late(deadline, deadline, date(2020, 1, 1))
    assert rules.was_late(deadline, deadline + DAY, date(2020, 1, 1))
    assert not rules.was_late(deadline, None, deadline)
    assert rules.was_late(deadline, None, deadline + DAY)
    assert not rules.was_late(None, None, deadline)
