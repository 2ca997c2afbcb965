"""Key-enterprise financial risk (seed 003) and guarantee circles (seed 002's "依法挽救陷入担保圈困境的
优质企业"): the "321" maturity calendar, guarantee-network analysis and the 保/帮/关 indicator rule.
Pure: numpy, scipy.sparse (the strongly connected components) and the standard library; the web app,
the CLI and the benchmark call the same code.

Month arithmetic ("321"). `add_months(day, n)` keeps the day of the month and clamps it to the target
month's last day: 31 May − 3 months = 28 February (29 in a leap year), 31 May − 1 month = 30 April,
29 February 2028 − 3 months = 29 November 2027. A loan maturing on M enters the maturity ledger
(and the county is warned) on M − 3 months; the bank records the repayment plan and the source of
funds by M − 2 months; the enterprise's funds on account are confirmed by M − 1 month. "By" includes
the day.

Guarantee network. Enterprises are 0 … n−1; a guarantee is an edge guarantor → borrower with an
amount. A default travels the other way: when a borrower defaults its guarantors are called.
- circles (担保圈): strongly connected components of two or more enterprises;
- mutual pairs (互联互保): both a → b and b → a exist;
- reach of x: the other enterprises that x's default can call, directly or through a chain
  (borrower → its guarantors → their guarantors …);
- propagated exposure of x (amount-weighted): x's default calls the guarantees on x's loans,
  L(x) yuan, split among its guarantors by their amounts; a guarantor passes DECAY (½) of what it
  received on to its own guarantors, split the same way; exposure(x) = the total passed along, over
  every hop. With h = S·1 + DECAY·S·h (S[b, g] = amount g guarantees for b ÷ L(b)), exposure = L·h.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # scipy is imported where a graph is computed, not when the app or CLI starts
    from scipy.sparse import csr_matrix

# -- "321" --------------------------------------------------------------------------------------
WARNING_MONTHS, PLAN_MONTHS, FUNDS_MONTHS = 3, 2, 1


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (negative: earlier), clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Milestones:
    maturity: date
    warning: date   # M − 3 months: enters the maturity ledger, the county is warned
    plan_due: date  # M − 2 months: repayment plan and source of funds recorded by the bank
    funds_due: date  # M − 1 month: funds on account confirmed


def milestones(maturity: date) -> Milestones:
    return Milestones(maturity, add_months(maturity, -WARNING_MONTHS), add_months(maturity, -PLAN_MONTHS),
                      add_months(maturity, -FUNDS_MONTHS))


def in_warning_window(maturity: date, today: date) -> bool:
    """From M − 3 months up to and including the maturity day."""
    return milestones(maturity).warning <= today <= maturity


def missed_steps(maturity: date, today: date, *, plan_done: bool, funds_done: bool) -> list[str]:
    """The steps whose day has passed without being done ('plan', 'funds'), in order."""
    m = milestones(maturity)
    missed = []
    if not plan_done and today > m.plan_due:
        missed.append("plan")
    if not funds_done and today > m.funds_due:
        missed.append("funds")
    return missed


# -- guarantee network --------------------------------------------------------------------------
DECAY = 0.5


@dataclass
class Network:
    """Edges as arrays: guarantor[i] guarantees borrower[i] for amount[i] (yuan, float)."""

    n: int
    guarantor: np.ndarray
    borrower: np.ndarray
    amount: np.ndarray

    @classmethod
    def build(cls, n: int, guarantor, borrower, amount=None) -> "Network":
        g = np.asarray(guarantor, dtype=np.int64)
        b = np.asarray(borrower, dtype=np.int64)
        a = np.ones(len(g)) if amount is None else np.asarray(amount, dtype=np.float64)
        if not (len(g) == len(b) == len(a)):
            raise ValueError("edge arrays differ in length")
        if len(g) and (min(g.min(), b.min()) < 0 or max(g.max(), b.max()) >= n):
            raise ValueError("node index out of range")
        keep = g != b  # an enterprise guaranteeing itself is no link
        return cls(n, g[keep], b[keep], a[keep])

    def propagation_matrix(self) -> csr_matrix:
        """P[b, g] = total amount g guarantees for b (parallel guarantees summed); built once."""
        if "_p" not in self.__dict__:
            from scipy.sparse import csr_matrix

            self._p = csr_matrix((self.amount, (self.borrower, self.guarantor)), shape=(self.n, self.n))
            self._p.sum_duplicates()
        return self._p


def strongly_connected(net: Network) -> np.ndarray:
    """Component label of every enterprise (scipy's strongly connected components)."""
    if net.n == 0:
        return np.zeros(0, dtype=np.int64)
    from scipy.sparse.csgraph import connected_components

    # the components of P (borrower → guarantor) are those of the guarantee graph (reversed edges)
    _, labels = connected_components(net.propagation_matrix(), directed=True, connection="strong")
    return labels.astype(np.int64)


def circles(net: Network, labels: np.ndarray | None = None) -> list[np.ndarray]:
    """Guarantee circles: the strongly connected components of two or more enterprises, each as a
    sorted array of enterprise indices; largest first, then by smallest member."""
    labels = strongly_connected(net) if labels is None else labels
    if len(labels) == 0:
        return []
    sizes = np.bincount(labels)
    big = np.flatnonzero(sizes >= 2)
    if len(big) == 0:
        return []
    members = np.flatnonzero(sizes[labels] >= 2)
    order = np.argsort(labels[members], kind="stable")
    members = members[order]
    groups = np.split(members, np.flatnonzero(np.diff(labels[members])) + 1)
    return sorted(groups, key=lambda m: (-len(m), int(m[0])))


def mutual_pairs(net: Network) -> np.ndarray:
    """互联互保: pairs (a, b), a < b, with guarantees both ways; sorted, one row each."""
    if len(net.guarantor) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    p = net.propagation_matrix()
    both = p.multiply(p.T).tocsr().tocoo()   # nonzero where guarantees go both ways (amounts are positive)
    keep = both.row < both.col
    pairs = np.stack([both.row[keep], both.col[keep]], axis=1).astype(np.int64)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))] if len(pairs) else pairs


def guaranteed_amounts(net: Network) -> np.ndarray:
    """L(b): the total amount guaranteed for each borrower (called when it defaults)."""
    return np.bincount(net.borrower, weights=net.amount, minlength=net.n)


def propagated_exposure(net: Network, decay: float = DECAY, tol: float = 1e-12, max_iter: int = 200) -> np.ndarray:
    """exposure(x) = L(x)·h(x), h = S·1 + decay·S·h (see the module docstring), by fixed-point
    iteration (S is sub-stochastic and decay < 1, so it converges geometrically)."""
    if not 0 <= decay < 1:
        raise ValueError("decay must be in [0, 1)")
    total = guaranteed_amounts(net)
    if net.n == 0:
        return total
    scale = np.divide(1.0, total, out=np.zeros(net.n), where=total > 0)
    from scipy.sparse import csr_matrix

    p = net.propagation_matrix()
    s = csr_matrix((p.data * np.repeat(scale, np.diff(p.indptr)), p.indices, p.indptr), shape=p.shape)
    base = (total > 0).astype(np.float64)  # each row of S sums to 1 where b has guarantors
    h = base.copy()
    for _ in range(max_iter):
        nxt = base + decay * (s @ h)
        if np.max(np.abs(nxt - h), initial=0.0) <= tol * max(1.0, float(np.max(np.abs(nxt), initial=0.0))):
            h = nxt
            break
        h = nxt
    return total * h


def reach(net: Network, source: int) -> np.ndarray:
    """The enterprises (sorted, the source excluded) that `source`'s default can call."""
    from scipy.sparse.csgraph import breadth_first_order

    p = net.propagation_matrix()
    order = breadth_first_order(p, source, directed=True, return_predecessors=False)
    return np.sort(order[order != source])


def reach_counts(net: Network, sources) -> np.ndarray:
    from scipy.sparse.csgraph import breadth_first_order

    p = net.propagation_matrix()
    return np.array([len(breadth_first_order(p, int(s), directed=True, return_predecessors=False)) - 1
                     for s in sources], dtype=np.int64)


@dataclass
class NetworkSummary:
    labels: np.ndarray
    circles: list[np.ndarray]
    mutual: np.ndarray
    exposure: np.ndarray
    top: np.ndarray          # indices of the `top_k` largest exposures, largest first
    top_reach: np.ndarray    # their reach counts (exact)


def analyse(net: Network, top_k: int = 20) -> NetworkSummary:
    """Everything the network page shows, in one pass (what the benchmark times)."""
    labels = strongly_connected(net)
    exposure = propagated_exposure(net)
    k = min(top_k, net.n)
    if k:
        top = np.argpartition(-exposure, k - 1)[:k]
        top = top[np.lexsort((top, -exposure[top]))]
        top = top[exposure[top] > 0]
    else:
        top = np.zeros(0, dtype=np.int64)
    return NetworkSummary(labels, circles(net, labels), mutual_pairs(net), exposure, top, reach_counts(net, top))


# -- 保/帮/关 ------------------------------------------------------------------------------------
CLASSES = {"protect": "保", "help": "帮", "exit": "关"}
CLASS_LABELS = {"protect": "保（重点保护类）", "help": "帮（重点帮扶类）", "exit": "关（退出市场类）"}
DIMENSIONS = {"vitality": "经营活力", "innovation": "创新驱动", "structure": "结构优化", "social": "社会价值",
              "risk": "风险信号"}
# Weights of the four fundamentals in the fundamentals score F.
WEIGHTS = {"vitality": 0.35, "innovation": 0.2, "structure": 0.2, "social": 0.25}
PROTECT_F, PROTECT_R = 70, 40   # 保: F ≥ 70 and risk score R ≥ 40
EXIT_F, EXIT_R_F = 40, 55      # 关: F < 40, or R = 0 and F < 55; otherwise 帮
# Risk signal deductions from 100 (R = max(0, 100 − Σ)).
SIGNAL_POINTS = {"overdue": 25, "npl": 40, "tax_arrears": 25, "grade_c": 20, "list": 30, "evasion": 100}
SIGNAL_LABELS = {"overdue": "银行贷款逾期", "npl": "不良贷款", "tax_arrears": "欠税", "grade_c": "免检免扰评级C类",
                 "list": "破产处置名单", "evasion": "恶意逃废银行债务"}
STRUCTURE = {"encouraged": 100, "neutral": 50, "restricted": 0}
STRUCTURE_LABELS = {"encouraged": "鼓励类", "neutral": "一般", "restricted": "限制/淘汰类"}


@dataclass(frozen=True)
class Indicators:
    revenue_growth: float = 0.0   # % on the previous year
    rd_ratio: float = 0.0         # R&D spending ÷ revenue, %
    high_tech: bool = False       # 高新技术企业
    structure: str = "neutral"    # industrial policy: encouraged / neutral / restricted
    employees: int = 0
    tax_wan: float = 0.0          # local retained tax of the previous year, 万元
    signals: tuple[str, ...] = ()  # keys of SIGNAL_POINTS, one per signal found (repeats count once)


@dataclass
class Proposal:
    scores: dict[str, float] = field(default_factory=dict)
    fundamentals: float = 0.0
    proposed: str = "help"
    reasons: list[str] = field(default_factory=list)


def _clamp(value: float) -> float:
    return float(min(100.0, max(0.0, value)))


def score(ind: Indicators) -> Proposal:
    """The five dimensions (0–100), F, and the proposed class with the rule that decided it.

    经营活力 = 60 + 4 × revenue growth % (clamped 0–100: +10 % → 100, −15 % → 0);
    创新驱动 = (40 if high-tech else 0) + 15 × R&D %, clamped;
    结构优化 = 100 / 50 / 0 for encouraged / neutral / restricted;
    社会价值 = ½·min(100, employees ÷ 10) + ½·min(100, tax in 万元 ÷ 10);
    风险信号 R = 100 − the points of each distinct signal (逾期 25, 不良 40, 欠税 25, C类 20,
    破产处置名单 30, 恶意逃废债 100), at least 0.
    """
    if ind.structure not in STRUCTURE:
        raise ValueError(f"unknown structure {ind.structure!r}")
    unknown = set(ind.signals) - set(SIGNAL_POINTS)
    if unknown:
        raise ValueError(f"unknown signals {sorted(unknown)}")
    s = {
        "vitality": _clamp(60 + 4 * ind.revenue_growth),
        "innovation": _clamp((40 if ind.high_tech else 0) + 15 * ind.rd_ratio),
        "structure": float(STRUCTURE[ind.structure]),
        "social": 0.5 * min(100.0, ind.employees / 10) + 0.5 * min(100.0, ind.tax_wan / 10),
        "risk": _clamp(100 - sum(SIGNAL_POINTS[k] for k in set(ind.signals))),
    }
    s = {k: round(v, 2) for k, v in s.items()}
    f = round(sum(WEIGHTS[k] * s[k] for k in WEIGHTS), 2)
    p = Proposal(scores=s, fundamentals=f)
    r = s["risk"]
    if f < EXIT_F:
        p.proposed, p.reasons = "exit", [f"基本面得分 {f:.2f} < {EXIT_F}"]
    elif r == 0 and f < EXIT_R_F:
        p.proposed, p.reasons = "exit", [f"风险信号得分为 0 且基本面得分 {f:.2f} < {EXIT_R_F}"]
    elif f >= PROTECT_F and r >= PROTECT_R:
        p.proposed, p.reasons = "protect", [f"基本面得分 {f:.2f} ≥ {PROTECT_F} 且风险信号得分 {r:.2f} ≥ {PROTECT_R}"]
    else:
        p.proposed, p.reasons = "help", [f"基本面得分 {f:.2f}，风险信号得分 {r:.2f}：介于保与关之间"]
    return p
