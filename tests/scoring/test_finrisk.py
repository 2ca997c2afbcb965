"""The financial-risk core: "321" month arithmetic (month ends, leap days), the guarantee-network
algorithms against plain-Python references on small random graphs, and the 保/帮/关 rule."""
from __future__ import annotations

import ast
from collections import defaultdict, deque
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import finrisk as F


# -- "321": the seed's 3, 2 and 1 months ----------------------------------------------------------
@pytest.mark.parametrize("maturity, warning, plan, funds", [
    (date(2026, 12, 15), date(2026, 9, 15), date(2026, 10, 15), date(2026, 11, 15)),
    # month ends: 31 May → 28/29 February, 31 March, 30 April
    (date(2027, 5, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)),
    (date(2028, 5, 31), date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30)),
    # a maturity on a leap day: the 29th of earlier months exists
    (date(2028, 2, 29), date(2027, 11, 29), date(2027, 12, 29), date(2028, 1, 29)),
    # the end of a short month keeps its day (30 June − 3 months = 30 March, not 31)
    (date(2026, 6, 30), date(2026, 3, 30), date(2026, 4, 30), date(2026, 5, 30)),
    # across a year: 31 January − 1 month = 31 December
    (date(2027, 1, 31), date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 31)),
    (date(2027, 3, 31), date(2026, 12, 31), date(2027, 1, 31), date(2027, 2, 28)),
    (date(2028, 3, 30), date(2027, 12, 30), date(2028, 1, 30), date(2028, 2, 29)),
])
def test_milestones_at_three_two_and_one_months(maturity, warning, plan, funds):
    m = F.milestones(maturity)
    assert (m.warning, m.plan_due, m.funds_due) == (warning, plan, funds)


def test_warning_window_and_missed_steps_on_the_days():
    maturity = date(2027, 5, 31)
    assert not F.in_warning_window(maturity, date(2027, 2, 27))
    assert F.in_warning_window(maturity, date(2027, 2, 28))     # M − 3 months: enters the ledger
    assert F.in_warning_window(maturity, maturity)
    assert not F.in_warning_window(maturity, maturity + timedelta(days=1))
    # "by" includes the day: on 31 March the plan is not yet missed, on 1 April it is
    assert F.missed_steps(maturity, date(2027, 3, 31), plan_done=False, funds_done=False) == []
    assert F.missed_steps(maturity, date(2027, 4, 1), plan_done=False, funds_done=False) == ["plan"]
    assert F.missed_steps(maturity, date(2027, 4, 30), plan_done=True, funds_done=False) == []
    assert F.missed_steps(maturity, date(2027, 5, 1), plan_done=True, funds_done=False) == ["funds"]
    assert F.missed_steps(maturity, date(2027, 5, 1), plan_done=False, funds_done=True) == ["plan"]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(-40, 40))
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(day, months):
    out = F.add_months(day, months)
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == months
    assert out.day == day.day or (out.day < day.day and (out + timedelta(days=1)).day == 1)


@given(st.dates(min_value=date(1990, 6, 1), max_value=date(2090, 12, 31)))
def test_milestones_are_ordered_and_at_most_a_month_apart(maturity):
    m = F.milestones(maturity)
    assert m.warning < m.plan_due < m.funds_due < m.maturity
    for a, b in ((m.warning, m.plan_due), (m.plan_due, m.funds_due), (m.funds_due, m.maturity)):
        assert 28 <= (b - a).days <= 31


# -- guarantee networks: plain references ---------------------------------------------------------
def ref_reach(n, edges, source):
    """BFS along borrower → guarantor."""
    guarantors = defaultdict(set)
    for g, b, _ in edges:
        if g != b:
            guarantors[b].add(g)
    seen, queue = {source}, deque([source])
    while queue:
        for g in guarantors[queue.popleft()]:
            if g not in seen:
                seen.add(g)
                queue.append(g)
    return seen - {source}


def ref_sccs(n, edges):
    """u and v share a component iff each reaches the other (reach here follows guarantor → borrower,
    the component is the same either way)."""
    reach = {v: ref_reach(n, edges, v) | {v} for v in range(n)}
    comps = set()
    for v in range(n):
        comps.add(frozenset(u for u in reach[v] if v in reach[u]))
    return comps


def ref_exposure(n, edges, source, decay=F.DECAY, hops=80):
    """Forward simulation from one source: the called amount split among guarantors, decayed per hop."""
    amounts = defaultdict(float)
    for g, b, a in edges:
        if g != b:
            amounts[(b, g)] += a
    total = defaultdict(float)
    for (b, _), a in amounts.items():
        total[b] += a
    flow = {source: 1.0}  # share of the source's called amount sitting at each node
    exposure, weight = 0.0, 1.0
    for _ in range(hops):
        nxt = defaultdict(float)
        for b, mass in flow.items():
            for (bb, g), a in amounts.items():
                if bb == b:
                    nxt[g] += mass * a / total[b]
        exposure += weight * sum(nxt.values())
        weight *= decay
        flow = nxt
        if not flow:
            break
    return total[source] * exposure


graphs = st.integers(1, 9).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 1000)), max_size=25)))


def _net(n, edges):
    return F.Network.build(n, [e[0] for e in edges], [e[1] for e in edges], [float(e[2]) for e in edges])


@settings(max_examples=150)
@given(graphs)
def test_components_and_circles_match_the_reference(graph):
    n, edges = graph
    labels = F.strongly_connected(_net(n, edges))
    ours = {frozenset(np.flatnonzero(labels == lab).tolist()) for lab in set(labels.tolist())}
    assert ours == ref_sccs(n, edges)
    big = {c for c in ref_sccs(n, edges) if len(c) >= 2}
    assert {frozenset(c.tolist()) for c in F.circles(_net(n, edges))} == big


@settings(max_examples=150)
@given(graphs)
def test_mutual_pairs_match_the_reference(graph):
    n, edges = graph
    pairs = {(g, b) for g, b, _ in edges if g != b}
    want = sorted({(min(a, b), max(a, b)) for a, b in pairs if (b, a) in pairs})
    assert [tuple(p) for p in F.mutual_pairs(_net(n, edges)).tolist()] == want


@settings(max_examples=100)
@given(graphs)
def test_reach_and_propagated_exposure_match_the_reference(graph):
    n, edges = graph
    net = _net(n, edges)
    exposure = F.propagated_exposure(net)
    for v in range(n):
        assert set(F.reach(net, v).tolist()) == ref_reach(n, edges, v)
        assert exposure[v] == pytest.approx(ref_exposure(n, edges, v), rel=1e-9, abs=1e-6)
    assert F.reach_counts(net, range(n)).tolist() == [len(ref_reach(n, edges, v)) for v in range(n)]


def test_a_circle_a_pair_and_a_chain_with_amounts():
    # 0 → 1 → 2 → 0 is a circle (guarantor → borrower); 3 ⇄ 4 a mutual pair; 5 guarantees 0 (a chain).
    net = F.Network.build(6, [0, 1, 2, 3, 4, 5], [1, 2, 0, 4, 3, 0], [100, 200, 300, 50, 50, 100])
    assert [c.tolist() for c in F.circles(net)] == [[0, 1, 2], [3, 4]]
    assert F.mutual_pairs(net).tolist() == [[3, 4]]
    # 0's default calls its guarantors 2 (300) and 5 (100): L(0) = 400, reach {1, 2, 5}
    assert F.guaranteed_amounts(net).tolist() == [400, 100, 200, 50, 50, 0]
    assert F.reach(net, 0).tolist() == [1, 2, 5]
    assert F.reach(net, 5).tolist() == []
    # 5 is nobody's borrower: its exposure is 0; 3 ⇄ 4: 50·(1 + ½ + ¼ + …) = 100
    exposure = F.propagated_exposure(net)
    assert exposure[5] == 0
    assert exposure[3] == pytest.approx(100.0)
    summary = F.analyse(net, top_k=3)
    assert summary.top[0] == 0 and summary.top_reach[0] == 3


def test_self_guarantees_are_ignored_and_bad_indices_refused():
    net = F.Network.build(2, [0, 0], [0, 1], [10, 20])
    assert len(net.guarantor) == 1 and F.circles(net) == []
    with pytest.raises(ValueError):
        F.Network.build(2, [0], [2], [1])


# -- 保/帮/关 ---------------------------------------------------------------------------------------
def test_scores_and_the_three_classes():
    strong = F.score(F.Indicators(revenue_growth=10, rd_ratio=4, high_tech=True, structure="encouraged",
                                  employees=1500, tax_wan=2000, signals=("overdue",)))
    assert strong.scores == {"vitality": 100, "innovation": 100, "structure": 100, "social": 100, "risk": 75}
    assert strong.fundamentals == 100 and strong.proposed == "protect"
    # the same enterprise with an overdue loan, a non-performing loan and a C grade: R = 15 < 40 → 帮
    hurt = F.score(F.Indicators(revenue_growth=10, rd_ratio=4, high_tech=True, structure="encouraged",
                                employees=1500, tax_wan=2000, signals=("overdue", "npl", "grade_c", "overdue")))
    assert hurt.scores["risk"] == 15 and hurt.proposed == "help"
    # F just below 70 → 帮; F below 40 → 关
    mid = F.score(F.Indicators(revenue_growth=0, rd_ratio=2, structure="neutral", employees=500, tax_wan=500))
    assert mid.scores == {"vitality": 60, "innovation": 30, "structure": 50, "social": 50, "risk": 100}
    assert mid.fundamentals == pytest.approx(0.35 * 60 + 0.2 * 30 + 0.2 * 50 + 0.25 * 50) and mid.proposed == "help"
    weak = F.score(F.Indicators(revenue_growth=-15, structure="restricted", employees=100, tax_wan=10))
    assert weak.scores["vitality"] == 0 and weak.fundamentals < 40 and weak.proposed == "exit"
    # R = 0 (evasion) and 40 ≤ F < 55 → 关
    evader = F.score(F.Indicators(revenue_growth=5, structure="neutral", employees=200, tax_wan=100,
                                  signals=("evasion",)))
    assert evader.scores["risk"] == 0 and 40 <= evader.fundamentals < 55 and evader.proposed == "exit"


def test_protect_boundary_is_inclusive():
    # F exactly 70, R exactly 40 → 保
    ind = F.Indicators(revenue_growth=10, rd_ratio=0, high_tech=False, structure="encouraged", employees=1000,
                       tax_wan=1000, signals=("npl", "overdue"))
    p = F.score(ind)
    assert p.fundamentals == 80 and p.scores["risk"] == 35 and p.proposed == "help"
    p = F.score(F.Indicators(revenue_growth=0, rd_ratio=0, structure="encouraged", employees=1000, tax_wan=1000,
                             high_tech=True, signals=("npl", "grade_c")))
    # vitality 60, innovation 40, structure 100, social 100 → F = 21 + 8 + 20 + 25 = 74; R = 40
    assert p.fundamentals == 74 and p.scores["risk"] == 40 and p.proposed == "protect"


@given(st.floats(-50, 50), st.floats(0, 20), st.booleans(), st.sampled_from(list(F.STRUCTURE)),
       st.integers(0, 5000), st.floats(0, 5000), st.lists(st.sampled_from(list(F.SIGNAL_POINTS)), max_size=4))
def test_more_risk_never_improves_the_class(growth, rd, tech, structure, employees, tax, signals):
    order = {"protect": 0, "help": 1, "exit": 2}
    base = F.Indicators(growth, rd, tech, structure, employees, tax, tuple(signals))
    worse = F.Indicators(growth, rd, tech, structure, employees, tax, tuple(signals) + ("npl",))
    p, q = F.score(base), F.score(worse)
    assert all(0 <= v <= 100 for v in p.scores.values())
    assert order[q.proposed] >= order[p.proposed]


def test_the_core_imports_only_numpy_scipy_and_the_standard_library():
    tree = ast.parse((Path(F.__file__)).read_text(encoding="utf-8"))
    roots = {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    roots |= {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
              for alias in node.names}
    assert roots <= {"__future__", "calendar", "dataclasses", "datetime", "numpy", "scipy", "typing"}
