"""The pure rules of bankruptcy coordination (scoring/bankruptcy.py): the pre-acceptance risk rule
with its boundaries, the escalation chain, the meeting calendar, letter deadlines, the periodic
lists' periods and zombie rule, unit statistics and hand-over parsing."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import bankruptcy as core
from tests.factories import make_credit_code

RULES = core.parse_risk_rules(core.DEFAULT_RISK_RULES)
WAN = Decimal(10000)


def inputs(**kw):
    for key in ("wage_arrears", "debts", "guarantees"):
        if key in kw:
            kw[key] = Decimal(kw[key]) * WAN  # given in 万元, stored in yuan
    return core.RiskInputs(**kw)


# -- risk rule: boundaries -------------------------------------------------------------------
@pytest.mark.parametrize("employees, points", [(0, 0), (49, 0), (50, 10), (299, 10), (300, 20), (999, 20), (1000, 30)])
def test_employee_bands_count_from_their_lower_bound(employees, points):
    part = core.assess(inputs(employees=employees), RULES).parts[0]
    assert (part.factor, part.points) == ("employees", points)


def test_money_bands_compare_exact_yuan_with_ten_thousands():
    just_below = core.RiskInputs(debts=Decimal("49999999.99"))   # 4999.999999 万元
    at_bound = core.RiskInputs(debts=Decimal("50000000.00"))     # 5000 万元
    debts = lambda a: next(p for p in a.parts if p.factor == "debts").points  # noqa: E731
    assert debts(core.assess(just_below, RULES)) == 0
    assert debts(core.assess(at_bound, RULES)) == 10


def test_levels_at_exact_thresholds():
    # 20 (300 employees) + 10 (5000万 debts) = 30 → medium; 29 is not reachable with the default
    # bands, so check one below with opinion 1 (5) + 20 (300 employees) = 25 → low.
    assert core.assess(inputs(employees=300, debts=5000), RULES).level == "medium"
    assert core.assess(inputs(employees=300, debts=5000), RULES).score == 30
    assert core.assess(inputs(employees=300, opinion=1), RULES).level == "low"
    # 20 + 20 + 20 = 60 → high; 20 + 20 + 15 = 55 → medium
    assert core.assess(inputs(employees=300, debts=20000, guarantees=10000), RULES).level == "high"
    a = core.assess(inputs(employees=300, debts=20000, opinion=2), RULES)
    assert (a.score, a.level) == (55, "medium")


def test_a_single_factor_at_its_high_mark_makes_the_case_high_risk():
    a = core.assess(inputs(employees=1000), RULES)
    assert (a.score, a.level) == (30, "high") and a.plan_required
    assert any("单项高风险" in r for r in a.reasons)
    assert core.assess(inputs(employees=999), RULES).level == "low"
    assert core.assess(inputs(opinion=3), RULES).level == "high"
    assert core.assess(inputs(opinion=2), RULES).level == "low"
    assert core.assess(inputs(guarantees=50000), RULES).level == "high"
    below = core.assess(inputs(guarantees=Decimal("49999.9999")), RULES)
    assert (below.score, below.level) == (20, "low")


def test_rule_text_is_configurable():
    rules = core.parse_risk_rules("""
[levels]
medium = 10
high = 20
[factors.employees]
bands = [[10, 10], [20, 20]]
""")
    assert core.assess(inputs(employees=9, debts=999999), rules).level == "low"  # debts not scored
    assert core.assess(inputs(employees=10), rules).level == "medium"
    assert core.assess(inputs(employees=20), rules).level == "high"
    assert [p.factor for p in core.assess(inputs(), rules).parts] == ["employees"]


@pytest.mark.parametrize("text, message", [
    ("not toml [", "不是有效的 TOML"),
    ("[levels]\nmedium = 30\n", "medium 和 high"),
    ("[levels]\nmedium = 60\nhigh = 30\n[factors.employees]\nbands=[[1,1]]", "0 < medium < high"),
    ("[levels]\nmedium = 30\nhigh = 60\n", "至少列出一个评分项"),
    ("[levels]\nmedium = 30\nhigh = 60\n[factors.age]\nbands=[[1,1]]", "未知的评分项：age"),
    ("[levels]\nmedium = 30\nhigh = 60\n[factors.debts]\nbands=[[10,1],[5,2]]", "逐档递增"),
    ("[levels]\nmedium = 30\nhigh = 60\n[factors.debts]\nbands=[[1,5],[5,2]]", "不能逐档递减"),
    ("[levels]\nmedium = 30\nhigh = 60\n[factors.debts]\nbands=[[-1,5]]", "0 至 1e12"),
    ("[levels]\nmedium = 30\nhigh = 60\n[factors.debts]\nbands=[[1,5]]\nweight = 2", "未知的设置：weight"),
    ("[levels]\nmedium = 30\nhigh = 60\n[factors.debts]\nbands=[[1,true]]", "整数分值"),
    ("[levels]\nmedium = 30\nhigh = 60\n[factors.debts]\nbands=[[nan,1]]", "应为数值"),
    ("[levels]\nmedium = 30\nhigh = 60\n[factors.debts]\nbands=[]", "非空列表"),
    ("[other]\n", "未知的表：other"),
])
def test_bad_rules_are_refused_with_a_chinese_message(text, message):
    with pytest.raises(core.RulesError, match=message):
        core.parse_risk_rules(text)


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="舆情敏感度"):
        core.assess(core.RiskInputs(opinion=4), RULES)
    with pytest.raises(ValueError, match="负数"):
        core.assess(core.RiskInputs(debts=Decimal(-1)), RULES)


# -- risk rule: properties -------------------------------------------------------------------
money = st.decimals(min_value=0, max_value=Decimal("1e10"), places=2)
risk_inputs = st.builds(core.RiskInputs, employees=st.integers(0, 100_000), wage_arrears=money, debts=money,
                        guarantees=money, opinion=st.integers(0, 3))
ORDER = {"low": 0, "medium": 1, "high": 2}


@given(base=risk_inputs, factor=st.sampled_from(list(core.FACTORS)), extra=st.integers(0, 10**6))
def test_more_of_any_factor_never_lowers_score_or_level(base, factor, extra):
    current = getattr(base, factor)
    bigger = min(current + extra, 3) if factor == "opinion" else current + extra
    more = core.RiskInputs(**{**base.__dict__, factor: bigger})
    a, b = core.assess(base, RULES), core.assess(more, RULES)
    assert b.score >= a.score and ORDER[b.level] >= ORDER[a.level]


@given(case=risk_inputs)
def test_score_is_the_sum_of_parts_and_level_follows_the_thresholds(case):
    a = core.assess(case, RULES)
    assert a.score == sum(p.points for p in a.parts)
    forced = any(p.alone_high for p in a.parts)
    expected = "high" if a.score >= RULES.high or forced else "medium" if a.score >= RULES.medium else "low"
    assert a.level == expected


bands = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 100)), min_size=1, max_size=4, unique_by=lambda t: t[0])


@given(data=st.data())
def test_rules_round_trip_through_their_canonical_text(data):
    factors = {}
    for name in data.draw(st.lists(st.sampled_from(list(core.FACTORS)), min_size=1, unique=True)):
        pairs = sorted(data.draw(bands))
        points = sorted(p for _, p in pairs)
        rule_bands = tuple((Decimal(b), p) for (b, _), p in zip(pairs, points))
        high_at = data.draw(st.none() | st.integers(0, 10**6).map(Decimal))
        factors[name] = core.FactorRule(rule_bands, high_at)
    medium = data.draw(st.integers(1, 500))
    rules = core.RiskRules(medium, medium + data.draw(st.integers(1, 500)),
                           {k: factors[k] for k in core.FACTORS if k in factors})
    assert core.parse_risk_rules(core.risk_rules_to_toml(rules)) == rules


# -- escalation chain -----------------------------------------------------------------------
def test_escalation_goes_business_topic_joint_and_stops_there():
    assert core.next_tier("business") == "topic"
    assert core.next_tier("topic") == "joint"
    with pytest.raises(core.EscalationError, match="最高层级"):
        core.next_tier("joint")
    with pytest.raises(core.EscalationError):
        core.next_tier("plenary")


# -- meeting calendar -----------------------------------------------------------------------
SINCE = date(2020, 7, 10)  # seed 000: 淄政办字〔2020〕68号, 2020-07-10


def test_half_yearly_joint_meeting_overdue_after_a_half_year_without_one():
    held = [date(2025, 3, 5)]
    # 2025 H2 had no meeting; on 2026-01-01 the half-year has ended → overdue since then.
    cal = core.tier_calendar(held, 6, date(2026, 1, 1), SINCE)
    assert cal.overdue and cal.overdue_since == date(2026, 1, 1) and cal.next_due == date(2025, 12, 31)
    # On the last day of 2025 H2 it is not yet overdue.
    assert not core.tier_calendar(held, 6, date(2025, 12, 31), SINCE).overdue
    # A meeting late, in January, clears the flag (the missed half-year stays on record).
    cal = core.tier_calendar(held + [date(2026, 1, 20)], 6, date(2026, 2, 1), SINCE)
    assert not cal.overdue and (date(2025, 7, 1), date(2025, 12, 31)) in cal.missed
    assert cal.next_due == date(2026, 12, 31)  # held in H1 2026 → next due by the end of H2


def test_quarterly_topic_meeting():
    held = [date(2026, 4, 10), date(2026, 9, 30)]
    cal = core.tier_calendar(held, 3, date(2026, 10, 1), SINCE)
    assert not cal.overdue and cal.held_in_current == 0 and cal.next_due == date(2026, 12, 31)
    cal = core.tier_calendar(held[:1], 3, date(2026, 10, 1), SINCE)
    assert cal.overdue and cal.overdue_since == date(2026, 10, 1)


def test_yearly_joint_meeting_like_seed_001():
    held = [date(2024, 12, 20)]
    assert not core.tier_calendar(held, 12, date(2025, 12, 31), SINCE).overdue
    assert core.tier_calendar(held, 12, date(2026, 1, 1), SINCE).overdue


def test_no_meeting_is_due_before_the_mechanism_began_or_without_a_schedule():
    since = date(2026, 7, 10)
    assert not core.tier_calendar([], 3, date(2026, 9, 30), since).overdue
    cal = core.tier_calendar([], 3, date(2026, 10, 1), since)  # Q3 2026 held the start and passed
    assert cal.overdue and cal.missed == ((date(2026, 7, 1), date(2026, 9, 30)),)
    assert not core.tier_calendar([], 0, date(2030, 1, 1), SINCE).overdue


def test_future_meetings_do_not_count():
    assert core.tier_calendar([date(2026, 12, 1)], 3, date(2026, 11, 1), SINCE).overdue


@given(held=st.lists(st.dates(date(2020, 1, 1), date(2027, 12, 31)), max_size=12),
       today=st.dates(date(2020, 1, 1), date(2027, 12, 31)), months=st.sampled_from([1, 3, 6, 12]),
       since=st.dates(date(2019, 1, 1), date(2027, 12, 31)))
def test_calendar_overdue_means_no_meeting_since_the_previous_period_began(held, today, months, since):
    cal = core.tier_calendar(held, months, today, since)
    current_start, _ = core.period_of(today, months)
    previous_start = core.add_months(current_start, -months)
    previous_end = current_start - timedelta(days=1)
    recent = [d for d in held if previous_start <= d <= today]
    assert cal.overdue == (previous_end >= since and not recent)
    assert all(not any(s <= d <= e for d in held) and e < today for s, e in cal.missed)


# -- letters --------------------------------------------------------------------------------
def test_reply_states_around_the_due_day():
    issued = date(2026, 11, 2)
    due = core.reply_due(issued, 15)
    assert due == date(2026, 11, 17)
    assert core.reply_state(due, None, date(2026, 11, 17)) == "pending"
    assert core.reply_state(due, None, date(2026, 11, 18)) == "overdue"
    assert core.reply_state(due, date(2026, 11, 17), date(2026, 12, 1)) == "on_time"
    assert core.reply_state(due, date(2026, 11, 18), date(2026, 12, 1)) == "late"
    assert core.document_number(core.LETTER_PREFIX, 2026, 7) == "府院函〔2026〕7号"
    with pytest.raises(ValueError):
        core.reply_due(issued, 0)


# -- unit statistics --------------------------------------------------------------------------
def test_unit_year_statistics():
    end = date(2026, 12, 31)
    items = [("RSJ", date(2026, 3, 1), date(2026, 3, 1)),    # on time (the due day itself)
             ("RSJ", date(2026, 3, 1), date(2026, 3, 2)),    # late
             ("RSJ", date(2026, 6, 1), None),                 # overdue
             ("RSJ", date(2027, 1, 10), None),                # pending at the year's end
             ("RSJ", date(2026, 12, 1), date(2027, 1, 5)),    # done after the year: overdue then
             ("SWJ", None, date(2026, 5, 1))]                 # no deadline: on time
    stats = core.unit_year_stats(items, end)
    rsj = stats["RSJ"]
    assert (rsj.received, rsj.on_time, rsj.late, rsj.overdue, rsj.pending) == (5, 1, 1, 2, 1)
    assert rsj.on_time_rate == Decimal("25.0")
    assert stats["SWJ"].on_time_rate == Decimal("100.0")
    assert core.UnitYear().on_time_rate is None


@given(st.lists(st.tuples(st.sampled_from("AB"), st.none() | st.dates(date(2026, 1, 1), date(2026, 12, 31)),
                          st.none() | st.dates(date(2026, 1, 1), date(2027, 3, 1)))))
def test_unit_year_counts_add_up(items):
    for row in core.unit_year_stats(items, date(2026, 12, 31)).values():
        assert row.on_time + row.late + row.overdue + row.pending == row.received


# -- periodic lists ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, code, start, end", [
    ("2026-09", "2026-09", date(2026, 9, 1), date(2026, 9, 30)),
    ("2026年2月", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2026-Q3", "2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
    ("2026年第4季度", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026q1", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026-H1", "2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
    ("2026年下半年", "2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
    ("2026", "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026年", "2026", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_periods(text, code, start, end):
    period = core.parse_period(text)
    assert (period.code, period.start, period.end) == (code, start, end)
    assert core.parse_period(period.code) == period


@pytest.mark.parametrize("text", ["", "2026-13", "2026-Q5", "1800", "2026-H3", "Q3", "2026-00", "２０２６"])
def test_bad_periods(text):
    with pytest.raises(ValueError, match="报送期间"):
        core.parse_period(text)


def test_zombie_rule():
    assert core.zombie_verdict({"revoked"}).candidate
    assert core.zombie_verdict({"capacity"}).candidate
    assert not core.zombie_verdict({"tax_arrears"}).candidate
    two = core.zombie_verdict({"tax_arrears", "stopped"})
    assert two.candidate and two.reasons == ("欠缴税款（欠税企业名单）", "已停产，要素资源闲置")
    assert "清算" in two.suggestion
    rescue = core.zombie_verdict({"distressed", "guarantee"})
    assert rescue.candidate and "重整" in rescue.suggestion
    assert not core.zombie_verdict({"tax_arrears", "stopped"}, min_lists=3).candidate
    assert core.zombie_verdict(set()).suggestion == "持续关注"
    with pytest.raises(ValueError):
        core.zombie_verdict({"bogus"})


@given(st.sets(st.sampled_from(list(core.LIST_KINDS))))
def test_zombie_rule_is_monotone(kinds):
    verdict = core.zombie_verdict(kinds)
    for extra in core.LIST_KINDS:
        if verdict.candidate:
            assert core.zombie_verdict(kinds | {extra}).candidate
    assert len(verdict.reasons) == len(kinds)


# -- hand-overs -----------------------------------------------------------------------------
def test_handover_text_names_the_debtor_and_the_procedure():
    code = make_credit_code(77)
    text = f"担保圈核心企业（统一社会信用代码：{code}）帮扶无效，拟申请预重整，必要时转入重整。"
    assert core.read_handover(text) == core.Handover(code, "pre_reorganization")
    assert core.read_handover(f"{code} 庭外重组").procedure == "out_of_court"
    assert core.read_handover(f"债务人 {code.lower()}；程序 reorganization").procedure == "reorganization"
    assert core.read_handover("和解，然后清算").procedure == "conciliation"
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert core.read_handover(f"{bad} 又见 {code}").credit_code == code
    assert core.read_handover("无代码").credit_code is None


def test_procedure_names():
    assert core.parse_procedure("重整") == "reorganization"
    assert core.parse_procedure("破产清算") == "liquidation"
    assert core.parse_procedure("pre_reorganization") == "pre_reorganization"
    assert core.parse_procedure("拍卖") is None
