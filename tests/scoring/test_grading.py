"""The grading core: window, scope, unit rules, combined rule, reasons, rules files."""
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import grading as g
from scoring.grading import A, B, C, MINOR, NONE, SERIOUS, ListedGrade, Records, Rules, UnitRule

UNITS = ("FGW", "RSJ", "SCJ", "SHJ", "SWJ", "YJJ")


def recs(rows, labels=None, fines=None):
    """rows: (enterprise, unit index, 'YYYY-MM-DD', outcome)."""
    if not rows:
        return Records.empty()
    e, u, d, o = zip(*rows)
    return Records(np.array(e), np.array(u), np.array(d, dtype="datetime64[D]"), np.array(o, dtype=np.int8),
                   fine=None if fines is None else np.array(fines, dtype=np.int64), label=labels)


def run(rows, n=1, year=2026, rules=g.DEFAULT_RULES, **kw):
    return g.grade(n, UNITS, recs(rows, kw.pop("labels", None), kw.pop("fines", None)), year, rules, **kw)


# -- window ------------------------------------------------------------------------------
def test_window_is_the_three_calendar_years_before():
    assert g.window(2019) == (date(2016, 1, 1), date(2018, 12, 31))  # the seed's example
    assert g.window(2026) == (date(2023, 1, 1), date(2025, 12, 31))


@pytest.mark.parametrize("day,counted", [
    ("2022-12-31", False),  # 31 Dec of Y−4: out
    ("2023-01-01", True),   # 1 Jan of Y−3: in
    ("2025-12-31", True),   # 31 Dec of Y−1: in
    ("2026-01-01", False),  # 1 Jan of Y: out
    ("2026-11-23", False),
])
def test_window_edges(day, counted):
    result = run([(0, 2, day, SERIOUS)])
    assert g.grade_letter(result.grade[0]) == ("C" if counted else "A")
    assert result.serious[0, 2] == (1 if counted else 0)


# -- scope -------------------------------------------------------------------------------
@pytest.mark.parametrize("industry,above,status,expected", [
    ("工业", True, "存续", True),
    ("服务业", True, "存续", True),
    ("房地产开发", True, "存续", False),
    ("建筑业", True, "存续", False),
    ("其他", True, "存续", False),
    ("工业", False, "存续", False),
    ("工业", True, "注销", False),
    ("服务业", True, "吊销", False),
])
def test_scope(industry, above, status, expected):
    assert g.in_scope(industry, above, status) is expected


def test_out_of_scope_enterprises_get_no_grade_and_their_records_do_not_count():
    scope = g.scope_mask(["工业", "房地产开发", "服务业"], [True, True, False], ["存续", "存续", "存续"])
    result = run([(0, 0, "2024-05-01", MINOR), (1, 0, "2024-05-01", SERIOUS), (2, 0, "2024-05-01", SERIOUS)],
                 n=3, scope=scope)
    assert result.grade.tolist() == [B, g.OUT_OF_SCOPE, g.OUT_OF_SCOPE]
    assert result.reason[1] is None and result.reason[2] is None
    assert result.serious.sum() == 0
    assert result.counts() == {"A": 0, "B": 1, "C": 0}


# -- unit rule ---------------------------------------------------------------------------
def test_three_minor_penalties_from_three_units_is_b_from_one_unit_is_c():
    spread = run([(0, 0, "2023-03-01", MINOR), (0, 2, "2024-03-01", MINOR), (0, 4, "2025-03-01", MINOR)])
    assert g.grade_letter(spread.grade[0]) == "B"
    assert spread.unit_grades_text(0) == "FGW:B;RSJ:A;SCJ:B;SHJ:A;SWJ:B;YJJ:A"
    one = run([(0, 2, "2023-03-01", MINOR), (0, 2, "2024-03-01", MINOR), (0, 2, "2025-03-01", MINOR)])
    assert g.grade_letter(one.grade[0]) == "C"
    assert one.unit_grades_text(0) == "FGW:A;RSJ:A;SCJ:C;SHJ:A;SWJ:A;YJJ:A"


@pytest.mark.parametrize("outcomes,expected", [
    ([], "A"),
    ([NONE, NONE, NONE, NONE], "A"),
    ([MINOR], "B"),
    ([MINOR, MINOR], "B"),
    ([MINOR, MINOR, MINOR], "C"),
    ([SERIOUS], "C"),
    ([NONE, SERIOUS], "C"),
])
def test_default_unit_rule(outcomes, expected):
    result = run([(0, 1, f"2024-0{k + 1}-01", o) for k, o in enumerate(outcomes)])
    assert g.grade_letter(result.unit_grade[0, 1]) == expected
    assert g.grade_letter(result.grade[0]) == expected


def test_an_enterprise_without_records_from_a_unit_gets_a_from_it():
    result = run([(0, 0, "2024-01-01", SERIOUS)], n=2)
    assert result.unit_grade[0].tolist() == [C, A, A, A, A, A]
    assert result.unit_grade[1].tolist() == [A] * 6 and result.grade[1] == A


def test_thresholds_are_configurable_per_unit():
    rules = g.parse_rules("[units.SCJ]\nc_minor = 4\n[units.SWJ]\nc_serious = 2\nb_minor = 2\n")
    three = [(0, 2, f"2024-0{k + 1}-01", MINOR) for k in range(3)]
    assert g.grade_letter(run(three, rules=rules).grade[0]) == "B"        # SCJ needs 4 now
    assert g.grade_letter(run(three[:1], rules=rules).grade[0]) == "B"
    swj = run([(0, 4, "2024-01-01", SERIOUS)], rules=rules)
    assert g.grade_letter(swj.grade[0]) == "B"                            # one serious < 2, still B
    assert g.grade_letter(run([(0, 4, "2024-01-01", MINOR)], rules=rules).grade[0]) == "A"  # b_minor 2
    assert g.grade_letter(run(three, rules=g.DEFAULT_RULES).grade[0]) == "C"


def test_a_large_fine_counts_as_serious_when_configured():
    rules = g.parse_rules("[default]\nserious_fine = 200000\n")
    rows = [(0, 3, "2024-01-01", MINOR)]
    assert g.grade_letter(run(rows, rules=rules, fines=[20_000_000]).grade[0]) == "C"   # 200,000.00 yuan
    assert g.grade_letter(run(rows, rules=rules, fines=[19_999_999]).grade[0]) == "B"
    assert g.grade_letter(run(rows, fines=[10**12]).grade[0]) == "B"                    # off by default


def test_only_the_units_own_records_count():
    # Two minors at SCJ and one at SWJ: neither unit reaches 3.
    rows = [(0, 2, "2024-01-01", MINOR), (0, 2, "2024-02-01", MINOR), (0, 4, "2024-03-01", MINOR)]
    assert g.grade_letter(run(rows).grade[0]) == "B"


def test_records_of_units_that_do_not_grade_are_ignored():
    assert run([(0, -1, "2024-01-01", SERIOUS)]).grade[0] == A


# -- combined rule -----------------------------------------------------------------------
def test_combined_is_the_worst_unit_grade():
    result = run([(0, 0, "2024-01-01", MINOR), (0, 5, "2024-01-01", SERIOUS)])
    assert result.unit_grade[0].tolist() == [B, A, A, A, A, C] and result.grade[0] == C


def test_many_b_grades_can_be_configured_to_make_c():
    rules = g.parse_rules("[combined]\nc_when_b_units = 3\n")
    rows = [(0, 0, "2023-03-01", MINOR), (0, 2, "2024-03-01", MINOR), (0, 4, "2025-03-01", MINOR)]
    result = run(rows, rules=rules)
    assert result.grade[0] == C
    assert "3个单位评B类" in result.reason[0] and "FGW评B类" in result.reason[0]
    assert run(rows[:2], rules=rules).grade[0] == B


# -- uploaded lists ----------------------------------------------------------------------
def test_a_units_uploaded_list_replaces_its_rule():
    rows = [(0, 2, "2024-01-01", SERIOUS), (1, 0, "2024-01-01", SERIOUS)]
    lists = {2: {1: ListedGrade(B, "现场检查发现隐患已整改")}}
    result = run(rows, n=3, unit_lists=lists)
    assert result.unit_grade[0, 2] == A           # SCJ's record no longer decides: SCJ graded by its list
    assert result.unit_grade[1, 2] == B and result.unit_grade[1, 0] == C and result.grade[1] == C
    assert result.unit_reason[1][2] == "上报名单：现场检查发现隐患已整改"
    assert result.grade[2] == A


# -- reasons -----------------------------------------------------------------------------
def test_reason_names_the_deciding_units_and_records():
    rows = [(0, 2, "2024-05-03", SERIOUS), (0, 4, "2023-01-09", MINOR), (0, 2, "2023-02-01", MINOR)]
    labels = ["2024-05-03 淄市监罚〔2024〕12号", "2023-01-09 税罚〔2023〕7号", "2023-02-01 淄市监罚〔2023〕3号"]
    names = ["发改", "人社", "市场监管", "生态环境", "税务", "应急"]
    result = run(rows, labels=labels, unit_labels=names)
    assert result.reason[0] == ("C类：市场监管评C类（严重违法1次（2024-05-03 淄市监罚〔2024〕12号）；"
                                "一般违法1次（2023-02-01 淄市监罚〔2023〕3号））")
    assert result.unit_reason[0][4] == "一般违法1次（2023-01-09 税罚〔2023〕7号）"
    assert run([]).reason[0] == "2023–2025年各评级单位均评A类（无一般或严重违法记录）"


def test_long_reasons_name_five_records_and_the_total():
    rows = [(0, 1, f"2024-{m:02d}-01", MINOR) for m in range(1, 9)]
    reason = run(rows).reason[0]
    assert "一般违法8次" in reason and "2024-05-01" in reason and "2024-06-01" not in reason and "等共8条" in reason


# -- rules files -------------------------------------------------------------------------
@pytest.mark.parametrize("text,fragment", [
    ("[default\n", "TOML"),
    ("[defaults]\n", "未知的表"),
    ("[default]\nc_minr = 2\n", "c_minr"),
    ("[default]\nc_minor = 0\n", "c_minor"),
    ("[default]\nc_minor = 2.5\n", "c_minor"),
    ("[default]\nc_minor = true\n", "c_minor"),
    ("[default]\nb_minor = 4\n", "b_minor"),
    ("[default]\nserious_fine = -1\n", "serious_fine"),
    ("[default]\nserious_fine = 1.005\n", "serious_fine"),
    ("[units.\"S J\"]\nc_minor = 2\n", "单位代码"),
    ("[units.SCJ]\nb_minor = 5\n", "b_minor"),
    ('[combined]\nrule = "best"\n', "worst"),
    ("[combined]\nc_when_b_units = 1\n", "c_when_b_units"),
    ("[combined]\nweights = 1\n", "weights"),
])
def test_bad_rules_are_refused_with_a_clear_message(text, fragment):
    with pytest.raises(g.RulesError, match=fragment):
        g.parse_rules(text)


def test_inspection_rules_of_the_round_default_to_city_scope_and_c_weight_3():
    rules = g.parse_rules("")
    assert (rules.a_scope, rules.c_weight) == ("city", 3)  # seed: 在市级"双随机一公开"检查中
    rules = g.parse_rules('[inspections]\na_scope = "all"\nc_weight = 5\n')
    assert (rules.a_scope, rules.c_weight) == ("all", 5)
    assert "市级执法部门" in g.DEFAULT_RULES.describe_inspections() and "3倍" in g.DEFAULT_RULES.describe_inspections()


@pytest.mark.parametrize("text, message", [
    ('[inspections]\na_scope = "county"', "a_scope"), ("[inspections]\nc_weight = 0", "c_weight"),
    ("[inspections]\nc_weight = 11", "c_weight"), ("[inspections]\nc_weight = true", "c_weight"),
    ("[inspections]\nweight = 2", "未知的设置"), ("inspections = 3", "应为表"),
])
def test_bad_inspection_rules_are_refused(text, message):
    with pytest.raises(g.RulesError, match=message):
        g.parse_rules(text)


def test_empty_rules_file_means_the_defaults():
    assert g.parse_rules("") == g.DEFAULT_RULES
    assert g.parse_rules(g.rules_to_toml(g.DEFAULT_RULES)) == g.DEFAULT_RULES


unit_rules = st.builds(
    lambda cs, cm, bm, fine: UnitRule(c_serious=cs, c_minor=cm, b_minor=min(bm, cm), serious_fine=fine),
    st.integers(1, 4), st.integers(1, 6), st.integers(1, 6), st.none() | st.integers(1, 10**9))
rules_strategy = st.builds(
    lambda default, units, k, scope, weight, no_history: Rules(
        default=default, units={c: r for c, r in units.items()}, c_when_b_units=k, a_scope=scope, c_weight=weight,
        no_history=no_history),
    unit_rules, st.dictionaries(st.sampled_from(UNITS), unit_rules, max_size=3), st.sampled_from([0, 2, 3]),
    st.sampled_from(["city", "all"]), st.integers(1, 10), st.sampled_from(["A", "B"]))


@given(rules_strategy)
def test_rules_round_trip_through_toml(rules):
    if rules.default.serious_fine is not None and any(r.serious_fine is None for r in rules.units.values()):
        with pytest.raises(g.RulesError):
            g.rules_to_toml(rules)
        return
    assert g.parse_rules(g.rules_to_toml(rules)) == rules


# -- properties --------------------------------------------------------------------------
YEAR = 2026
day_offsets = st.integers(-400, 365 * 3 + 400)  # around the window 2023-01-01 … 2025-12-31


@st.composite
def cases(draw):
    n = draw(st.integers(1, 6))
    rows = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(-1, len(UNITS) - 1), day_offsets,
                                   st.sampled_from([NONE, MINOR, SERIOUS]), st.integers(0, 10**8)), max_size=40))
    scope = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return n, rows, np.array(scope, dtype=bool)


def to_records(rows):
    start = date(2023, 1, 1)
    if not rows:
        return Records.empty()
    e, u, off, o, fine = zip(*rows)
    days = np.array([start + timedelta(days=k) for k in off], dtype="datetime64[D]")
    return Records(np.array(e), np.array(u), days, np.array(o, dtype=np.int8), fine=np.array(fine, dtype=np.int64))


def reference(n, rows, scope, rules):
    """A plain per-enterprise, per-unit reading of the rules, for comparison."""
    start, (lo, hi) = date(2023, 1, 1), g.window(YEAR)
    grades = []
    for i in range(n):
        if not scope[i]:
            grades.append(None)
            continue
        unit_grades = []
        for u, code in enumerate(UNITS):
            rule = rules.for_unit(code)
            minor = serious = 0
            for e, ru, off, o, fine in rows:
                if e != i or ru != u or not lo <= start + timedelta(days=off) <= hi or o == NONE:
                    continue
                heavy = o == SERIOUS or (rule.serious_fine is not None and fine >= rule.serious_fine)
                serious += heavy
                minor += not heavy
            if serious >= rule.c_serious or minor >= rule.c_minor:
                unit_grades.append("C")
            elif serious or minor >= rule.b_minor:
                unit_grades.append("B")
            else:
                unit_grades.append("A")
        combined = max(unit_grades)
        if rules.c_when_b_units and combined == "B" and unit_grades.count("B") >= rules.c_when_b_units:
            combined = "C"
        # no enforcement record at all in the window (any unit, also without findings)
        history = any(e == i and lo <= start + timedelta(days=off) <= hi for e, _, off, _, _ in rows)
        if rules.no_history == "B" and not history and combined == "A":
            combined = "B"
        grades.append((combined, ";".join(f"{c}:{x}" for c, x in zip(UNITS, unit_grades))))
    return grades


@settings(max_examples=300)
@given(cases(), rules_strategy)
def test_core_matches_a_plain_reading_of_the_rules(case, rules):
    n, rows, scope = case
    result = g.grade(n, UNITS, to_records(rows), YEAR, rules, scope=scope)
    got = [None if not scope[i] else (g.grade_letter(result.grade[i]), result.unit_grades_text(i)) for i in range(n)]
    assert got == reference(n, rows, scope, rules)


@settings(max_examples=300)
@given(cases(), rules_strategy)
def test_combined_grade_is_never_better_than_any_units_grade(case, rules):
    n, rows, scope = case
    result = g.grade(n, UNITS, to_records(rows), YEAR, rules, scope=scope)
    for i in np.flatnonzero(scope):
        assert result.grade[i] >= result.unit_grade[i].max()
        assert result.reason[i].startswith(g.grade_letter(result.grade[i])) or result.grade[i] == A


@given(cases(), st.integers(0, 5), st.integers(0, len(UNITS) - 1), day_offsets, st.sampled_from([MINOR, SERIOUS]))
def test_another_penalty_never_improves_a_grade(case, i, u, off, outcome):
    n, rows, scope = case
    i = i % n
    before = g.grade(n, UNITS, to_records(rows), YEAR, scope=scope)
    after = g.grade(n, UNITS, to_records(rows + [(i, u, off, outcome, 0)]), YEAR, scope=scope)
    assert (after.grade >= before.grade).all() and (after.unit_grade >= before.unit_grade).all()


@given(cases())
def test_records_outside_the_window_change_nothing(case):
    n, rows, scope = case
    inside = [r for r in rows if 0 <= r[2] < (date(2026, 1, 1) - date(2023, 1, 1)).days]
    full = g.grade(n, UNITS, to_records(rows), YEAR, scope=scope)
    trimmed = g.grade(n, UNITS, to_records(inside), YEAR, scope=scope)
    assert full.grade.tolist() == trimmed.grade.tolist() and full.reason == trimmed.reason


@given(cases())
def test_unit_grade_texts_in_bulk_match_one_by_one(case):
    n, rows, scope = case
    result = g.grade(n, ("SWJ", "FGW", "SCJ"), to_records([r for r in rows if r[1] < 3]), YEAR, scope=scope)
    assert result.unit_grades_texts() == [result.unit_grades_text(i) for i in range(n)]
    assert all(t.startswith("FGW:") and "SWJ:" in t.split(";")[-1] for t in result.unit_grades_texts())


def test_unit_grade_texts_with_many_units():
    codes = [f"U{k:02d}" for k in range(10)]
    records = Records(np.array([0, 1]), np.array([9, 3]), np.array(["2024-01-01"] * 2, dtype="datetime64[D]"),
                      np.array([SERIOUS, MINOR], dtype=np.int8))
    result = g.grade(2, codes, records, YEAR)
    assert result.unit_grades_texts() == [result.unit_grades_text(0), result.unit_grades_text(1)]
    assert result.unit_grades_texts()[0].endswith("U09:C") and "U03:B" in result.unit_grades_texts()[1]


def test_last_day_extends_the_window_for_dynamic_management():
    rows = [(0, 3, "2026-11-20", SERIOUS)]
    assert run(rows).grade[0] == A
    assert run(rows, last_day=date(2026, 11, 20)).grade[0] == C
    assert run(rows, last_day=date(2026, 11, 19)).grade[0] == A
    assert run([(0, 3, "2022-12-31", SERIOUS)], last_day=date(2026, 11, 20)).grade[0] == A  # the start stays


def test_combine_alone():
    unit_grade = np.array([[A, A, A], [A, B, A], [B, B, A], [C, A, B]], dtype=np.int8)
    combined, escalated = g.combine(unit_grade)
    assert combined.tolist() == [A, B, B, C] and not escalated.any()
    combined, escalated = g.combine(unit_grade, Rules(c_when_b_units=2))
    assert combined.tolist() == [A, B, C, C] and escalated.tolist() == [False, False, True, False]


# -- no enforcement history (a round rule) -------------------------------------------------
def test_no_history_b_grades_an_enterprise_never_inspected_b_and_says_why():
    rules = g.parse_rules('[combined]\nno_history = "B"\n')
    rows = [(1, 0, "2024-05-01", NONE),          # inspected, nothing found: has a history → A
            (2, -1, "2024-05-01", NONE),         # inspected by a unit that does not grade → A
            (3, 0, "2022-12-31", NONE),          # only before the window → no history → B
            (4, 0, "2024-05-01", MINOR)]         # a minor record → B by the unit rule as always
    result = run(rows, n=5, rules=rules, scope=np.array([True, True, True, True, True]))
    assert [g.grade_letter(x) for x in result.grade] == ["B", "A", "A", "B", "B"]
    assert "没有任何执法检查记录" in result.reason[0] and "2023–2025" in result.reason[0]
    assert "没有任何执法检查记录" not in result.reason[4]
    # the default rule (A) leaves them A, out of scope stays out of scope
    default = run(rows, n=5, scope=np.array([True, True, True, False, True]))
    assert [g.grade_letter(x) for x in default.grade][:3] == ["A", "A", "A"] and default.grade[3] == g.OUT_OF_SCOPE
    # the caller may say who has a history (the service: one DISTINCT query over every record)
    told = run([], n=2, rules=rules, history=np.array([True, False]))
    assert [g.grade_letter(x) for x in told.grade] == ["A", "B"]
    assert "no_history = \"B\"" in g.rules_to_toml(rules) and "评为B类" in rules.describe_combined()


def test_no_history_accepts_only_a_or_b():
    with pytest.raises(g.RulesError, match="no_history"):
        g.parse_rules('[combined]\nno_history = "M"\n')


def test_a_threshold_beyond_int64_is_refused_not_overflowed():
    # found by the CLI fuzz test: c_serious = 10**32 crashed the vectorised grading with OverflowError
    for key in ("c_serious", "c_minor", "b_minor"):
        with pytest.raises(g.RulesError, match=f"{key} 过大"):
            g.parse_rules(f"[default]\n{key} = {10**32}\n")
    assert g.parse_rules("[default]\nc_serious = 1000000\nc_minor = 1000000\n").default.c_serious == 1_000_000
