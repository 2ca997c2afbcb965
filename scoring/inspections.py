"""Inspection plans and results (双备案) under the A/B/C exemption grading (免检免扰): the rules.

Pure: the standard library only. The web app (govsvc.inspections) and the offline CLI
(`govsvc inspections check`) both call these functions, so they judge alike.

Rules (SPEC.md, Module 3; the seed's "实行涉企检查罚款一口登记备案" and "建立企业免检免扰制度"):

* Filing deadlines: an annual plan for year Y by 20 December of Y−1, a quarterly plan by the
  10th of the quarter's first month, a monthly plan by the 5th of the month, a temporary plan
  by its first planned inspection day; last month's results by the 10th. "By" includes the day.
* Plan items: a random (双随机) item on an A enterprise is refused (`a_exempt`); on a B
  enterprise it is refused when it would be the third or later random inspection of the same
  category on that enterprise in that calendar year (`b_over_limit`), counting every unit's
  items in the order of planned date, then plan id, then item id. Other bases (complaint,
  environment, safety, statutory) are outside the exemption. Enterprises without a grade are
  not restricted.
* The B cap counts inspections, not plan lines: a quarterly or monthly item that carries out an
  annual item (`PlanItem.inspection`, the key of the inspection it stands for) takes no second
  place; inspections done without a plan item are passed in `held` and count before every item.
* The A exemption's scope is a published rule of the grading round: `city` (default; the seed's
  在市级"双随机一公开"检查中: city-level units' random inspections) or `all` (every unit's).
* Repeated or cross inspections: the same enterprise inspected by two or more units within
  30 days (dates at most 30 days apart).
* The random draw: every eligible candidate gets the key SHA-256("<seed>:<kind>:<identifier>")
  in lowercase hex; the candidates with the smallest keys are drawn. An enterprise of weight w
  (C: the round's published weight, default 3) holds w tickets "<c>", "<c>:2" … "<c>:w" and
  ranks by its smallest ticket key (weighted sampling without replacement, exact with integers).
  Inspectors: for each drawn enterprise in draw order, the inspectors not recused (回避) from it,
  those still under the per-draw load limit first, each group by SHA-256("<seed>:P:<c>:<p>").
  It can be re-run from the seed and the published lists alone, in any language, and does not
  depend on list order.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Hashable, Iterable, Mapping, NamedTuple, Sequence

# -- vocabulary ---------------------------------------------------------------------------
RANDOM = "random"
BASES = ("random", "complaint", "environment", "safety", "statutory")
BASIS_LABELS = {
    "random": "双随机抽查",
    "complaint": "投诉举报",
    "environment": "环保",
    "safety": "安全生产",
    "statutory": "法律法规明确规定",
}
BASIS_ALIASES = {
    **{label: code for code, label in BASIS_LABELS.items()},
    "双随机": "random", "双随机一公开": "random", "随机抽查": "random",
    "投诉": "complaint", "举报": "complaint",
    "环境保护": "environment", "生态环境": "environment",
    "安全": "safety",
    "法定": "statutory", "法律法规规定": "statutory",
}

A_EXEMPT = "a_exempt"
B_OVER_LIMIT = "b_over_limit"
VIOLATION_LABELS = {
    A_EXEMPT: "A类企业免于双随机抽查",
    B_OVER_LIMIT: "B类企业同一类别年度双随机抽查已满两次",
}
B_LIMIT = 2          # random inspections of one category per calendar year on a B enterprise
CITY, COUNTY = "city", "county"
A_SCOPES = {CITY: "市级执法部门的双随机抽查", "all": "市、区县两级执法部门的双随机抽查"}
DEFAULT_A_SCOPE = CITY
DEFAULT_C_WEIGHT = 3  # C enterprises (实施严格执法检查) hold this many tickets in a draw
CROSS_WINDOW_DAYS = 30

ANNUAL, QUARTERLY, MONTHLY, TEMPORARY = "annual", "quarterly", "monthly", "temporary"
PERIODS = (ANNUAL, QUARTERLY, MONTHLY, TEMPORARY)
PERIOD_LABELS = {ANNUAL: "年度计划", QUARTERLY: "季度计划", MONTHLY: "月度计划", TEMPORARY: "临时检查计划"}


def parse_basis(raw: str) -> str:
    """The basis code of an English code or a Chinese label; ValueError (Chinese) otherwise."""
    value = raw.strip()
    code = value.lower() if value.lower() in BASES else BASIS_ALIASES.get(value)
    if code is None:
        raise ValueError(f"检查依据“{raw}”无效，应为：{'、'.join(BASES)}（或 {'、'.join(BASIS_LABELS.values())}）。")
    return code


def needs_ground(basis: str) -> bool:
    """Items outside the exemption must name their ground: a complaint number or a legal provision."""
    return basis != RANDOM


# -- deadlines ----------------------------------------------------------------------------
def period_number_range(period: str) -> range | None:
    return {QUARTERLY: range(1, 5), MONTHLY: range(1, 13)}.get(period)


def check_period(period: str, year: int, number: int | None) -> None:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    numbers = period_number_range(period)
    if numbers is None and number is not None:
        raise ValueError(f"a {period} plan has no number")
    if numbers is not None and number not in numbers:
        raise ValueError(f"a {period} plan needs a number in {numbers.start}..{numbers.stop - 1}")
    if not 1990 <= year <= 2100:
        raise ValueError("year out of range")


def period_bounds(period: str, year: int, number: int | None = None) -> tuple[date, date]:
    """First and last day the plan's inspections may fall on (a temporary plan: its year)."""
    check_period(period, year, number)
    if period == QUARTERLY:
        first = date(year, 3 * (number - 1) + 1, 1)
        return first, _month_end(date(year, 3 * number, 1))
    if period == MONTHLY:
        first = date(year, number, 1)
        return first, _month_end(first)
    return date(year, 1, 1), date(year, 12, 31)


def _month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def plan_due_date(period: str, year: int, number: int | None = None, first_planned: date | None = None) -> date | None:
    """The last day on which the plan may reach the justice bureau on time.

    Annual plan for `year`: 20 Dec of the year before. Quarterly: the 10th of the quarter's
    first month. Monthly: the 5th of the month. Temporary: its first planned inspection day
    (None while it has no items).
    """
    check_period(period, year, number)
    if period == ANNUAL:
        return date(year - 1, 12, 20)
    if period == QUARTERLY:
        return date(year, 3 * (number - 1) + 1, 10)
    if period == MONTHLY:
        return date(year, number, 5)
    return first_planned


def result_filing_due(year: int, month: int) -> date:
    """Results of `month` are due by the 10th of the following month."""
    if not 1 <= month <= 12:
        raise ValueError("month out of range")
    return date(year + (month == 12), month % 12 + 1, 10)


def is_late(filed_on: date, due: date | None) -> bool:
    """Filed after the due day (the due day itself is on time)."""
    return due is not None and filed_on > due


def period_label(period: str, year: int, number: int | None = None) -> str:
    if period == ANNUAL:
        return f"{year}年度"
    if period == QUARTERLY:
        return f"{year}年第{number}季度"
    if period == MONTHLY:
        return f"{year}年{number}月"
    return f"{year}年临时"


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    return period_bounds(QUARTERLY, year, quarter)


# -- plan-item checks against the grading -------------------------------------------------
class PlanItem(NamedTuple):  # a tuple: cheap to build by the hundred thousand
    plan_id: object          # int, or text from a file (digit strings compare as numbers)
    item_id: object
    enterprise: Hashable     # an enterprise id or credit code: the key of `grades`
    category: str
    basis: str
    planned_date: date
    inspection: Hashable = None  # the inspection it carries out (an annual item's key); None: its own
    level: str = CITY            # the planning unit's level: the A exemption's scope may leave county units out


def inspection_key(item: PlanItem) -> Hashable:
    """Items with the same key are one inspection and take one place in the B cap: an item's own
    key is (plan id, item id); an item carrying out an annual item names that item's key."""
    return item.inspection if item.inspection is not None else (item.plan_id, item.item_id)


def a_exemption_applies(basis: str, level: str, a_scope: str = DEFAULT_A_SCOPE) -> bool:
    """A random inspection of a unit the A exemption covers (the round's published scope)."""
    if a_scope not in A_SCOPES:
        raise ValueError(f"unknown A scope {a_scope!r}")
    return basis == RANDOM and (a_scope == "all" or level == CITY)


def order_key(value) -> tuple:
    """Ids order as numbers when they are whole numbers (also as text: "9" < "10"), else as text."""
    if isinstance(value, int):
        return (0, value, "")
    text = str(value)
    if text.isascii() and text.isdigit():
        return (0, int(text), "")
    return (1, 0, text)


def counting_order(item: PlanItem) -> tuple:
    """The SPEC's order of counting: planned date, then plan id, then item id."""
    return (item.planned_date, order_key(item.plan_id), order_key(item.item_id))


CapKey = tuple[Hashable, str, int]  # (enterprise, category, calendar year)


def cap_key(enterprise: Hashable, category: str, day: date) -> CapKey:
    return (enterprise, category, day.year)


def check_graded(items: Sequence[PlanItem], item_grades: Sequence[str | None],
                 held: Mapping[CapKey, int] | None = None, *, held_inspections: Iterable[Hashable] = (),
                 a_scope: str = DEFAULT_A_SCOPE) -> list[str | None]:
    """The violation of each item (None: it passes), given the grade that applies to each item.

    `held` counts random inspections that already hold places in the B cap (items filed
    earlier, enterprises already drawn, inspections done without a plan item): they count before
    every item checked here; `held_inspections` are the keys of those inspections, so an item
    carrying one of them out passes without a second place. Without `held`, all places are
    decided in the counting order among `items`, and items of one inspection take one place
    (the first in counting order). Refused items take no place. The A exemption covers the
    random items of the units `a_scope` names.
    """
    if len(items) != len(item_grades):
        raise ValueError("one grade per item")
    held = held or {}
    result: list[str | None] = [None] * len(items)
    b_items = []
    for index, (item, grade) in enumerate(zip(items, item_grades)):
        if item.basis != RANDOM:
            continue
        if grade == "A":
            if a_exemption_applies(item.basis, item.level, a_scope):
                result[index] = A_EXEMPT
        elif grade == "B":
            b_items.append(index)
    b_items.sort(key=lambda i: counting_order(items[i]))
    taken: dict[CapKey, int] = {}
    placed: set[tuple[CapKey, Hashable]] = {(None, k) for k in held_inspections}
    for index in b_items:
        item = items[index]
        key = cap_key(item.enterprise, item.category, item.planned_date)
        inspection = inspection_key(item)
        if (None, inspection) in placed or (key, inspection) in placed:
            continue  # the inspection this item carries out already holds its place
        count = taken.get(key, held.get(key, 0))
        if count >= B_LIMIT:
            result[index] = B_OVER_LIMIT
        else:
            taken[key] = count + 1
            placed.add((key, inspection))
    return result


def check_items(items: Sequence[PlanItem], grades: Mapping[Hashable, str],
                held: Mapping[CapKey, int] | None = None, *, held_inspections: Iterable[Hashable] = (),
                a_scope: str = DEFAULT_A_SCOPE) -> list[str | None]:
    """`check_graded` with each enterprise's grade from `grades` (missing: not restricted)."""
    return check_graded(items, [grades.get(item.enterprise) for item in items], held,
                        held_inspections=held_inspections, a_scope=a_scope)


def explain(violation: str | None, grade: str | None = None) -> str:
    """One line for the unit, in Chinese, saying why an item is refused."""
    if violation == A_EXEMPT:
        return "该企业在已公布的免检免扰评级中为A类，在双随机抽查中实行免检，本事项不予备案。"
    if violation == B_OVER_LIMIT:
        return ("该企业在已公布的免检免扰评级中为B类，同一类别的双随机抽查每年不超过两次；"
                "本事项将是本年度第三次或以上，不予备案。")
    return ""


# -- random draw (双随机) ------------------------------------------------------------------
ENTERPRISE_KIND = "E"
INSPECTOR_KIND = "P"


@dataclass(frozen=True)
class DrawOutcome:
    enterprise: str                 # credit code
    inspectors: tuple[str, ...]     # inspector codes, in draw order


def seed_commitment(seed: str) -> str:
    """Published before the draw: SHA-256 of the seed text (lowercase hex)."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def draw_key(seed: str, kind: str, identifier: str) -> str:
    return hashlib.sha256(f"{seed}:{kind}:{identifier}".encode("utf-8")).hexdigest()


def eligible_enterprises(candidates: Iterable[Hashable], grades: Mapping[Hashable, str], category: str,
                         year: int, held: Mapping[CapKey, int], *, level: str = CITY,
                         a_scope: str = DEFAULT_A_SCOPE) -> tuple[list[Hashable], dict[Hashable, str]]:
    """Split candidates into those that may be drawn and those excluded, with the rule that
    excludes them: A (exempt, when the A exemption covers a unit of `level`) and B already at
    the cap for this category and year. C is always eligible."""
    eligible, excluded = [], {}
    exempt_a = a_exemption_applies(RANDOM, level, a_scope)
    for enterprise in candidates:
        grade = grades.get(enterprise)
        if grade == "A" and exempt_a:
            excluded[enterprise] = A_EXEMPT
        elif grade == "B" and held.get((enterprise, category, year), 0) >= B_LIMIT:
            excluded[enterprise] = B_OVER_LIMIT
        else:
            eligible.append(enterprise)
    return eligible, excluded


def grade_weights(grades: Mapping[Hashable, str], c_weight: int = DEFAULT_C_WEIGHT) -> dict[Hashable, int]:
    """The draw weight of every graded enterprise that is not 1: C enterprises get `c_weight`."""
    if not isinstance(c_weight, int) or isinstance(c_weight, bool) or not 1 <= c_weight <= 10:
        raise ValueError("c_weight must be an integer 1..10")
    return {e: c_weight for e, g in grades.items() if g == "C"} if c_weight != 1 else {}


def enterprise_key(seed: str, code: str, weight: int = 1) -> str:
    """The smallest key of the enterprise's `weight` tickets: "<c>", then "<c>:2" … "<c>:<weight>".
    Weight 1 is the plain key, so draws without weights rank as before."""
    if not isinstance(weight, int) or isinstance(weight, bool) or weight < 1:
        raise ValueError("weights are positive integers")
    tickets = [code] + [f"{code}:{k}" for k in range(2, weight + 1)]
    return min(draw_key(seed, ENTERPRISE_KIND, t) for t in tickets)


def even_load(count: int, per_team: int, pool: int) -> int:
    """The default per-inspector limit of a draw: the smallest L that the draw can always honour
    without recusals, L × (pool − per_team) ≥ (count − 1) × per_team (the last team still finds
    per_team inspectors under the limit), at least 1; the whole pool's size when no L can."""
    if pool <= per_team:
        return max(1, count)
    return max(1, -(-(count - 1) * per_team // (pool - per_team)))


def draw(seed: str, enterprises: Sequence[str], count: int, inspectors: Sequence[str] = (),
         per_team: int = 0, *, weights: Mapping[str, int] | None = None, max_load: int | None = None,
         recusals: Iterable[tuple[str, str]] = ()) -> list[DrawOutcome]:
    """Draw `count` enterprises (credit codes) and, for each, `per_team` inspectors.

    Enterprise c of weight w (default 1) ranks by the smallest of SHA-256("<seed>:E:<c>") and
    SHA-256("<seed>:E:<c>:<k>") for k = 2 … w; the `count` smallest are drawn, in that order.
    Then, drawn enterprise by drawn enterprise, inspector p ranks by SHA-256("<seed>:P:<c>:<p>"),
    skipping those recused from c (`recusals`: (inspector, enterprise) pairs), inspectors who
    already hold `max_load` teams in this draw coming after all others; the first `per_team`
    form the team. Duplicate identifiers, or an enterprise with fewer than `per_team` inspectors
    left after recusals, are an error.
    """
    if count < 0 or per_team < 0:
        raise ValueError("count and per_team must be non-negative")
    if len(set(enterprises)) != len(enterprises) or len(set(inspectors)) != len(inspectors):
        raise ValueError("duplicate identifiers in the draw lists")
    if count > len(enterprises):
        raise ValueError(f"cannot draw {count} of {len(enterprises)} enterprises")
    if per_team > len(inspectors):
        raise ValueError(f"cannot draw {per_team} of {len(inspectors)} inspectors")
    if max_load is not None and max_load < 1:
        raise ValueError("max_load must be at least 1")
    weights = weights or {}
    recused = set(recusals)
    ranked = sorted(enterprises, key=lambda c: enterprise_key(seed, c, weights.get(c, 1)))
    load: dict[str, int] = {}
    outcomes = []
    for code in ranked[:count]:
        free = [p for p in inspectors if (p, code) not in recused]
        if len(free) < per_team:
            raise ValueError(f"only {len(free)} inspectors are not recused from {code}")
        free.sort(key=lambda p: (max_load is not None and load.get(p, 0) >= max_load,
                                 draw_key(seed, INSPECTOR_KIND, f"{code}:{p}")))
        team = tuple(free[:per_team])
        for p in team:
            load[p] = load.get(p, 0) + 1
        outcomes.append(DrawOutcome(code, team))
    return outcomes


# -- repeated or cross inspections ---------------------------------------------------------
class Inspection(NamedTuple):
    key: Hashable            # the inspection's own id
    enterprise: Hashable
    unit: Hashable
    day: date


def cross_inspections(inspections: Iterable[Inspection], window_days: int = CROSS_WINDOW_DAYS) -> list[list[Inspection]]:
    """Groups of inspections of one enterprise by two or more units, each within `window_days`
    of another inspection of the group by a different unit. Every inspection in a group is a
    repeated or cross inspection. Groups come sorted by enterprise order of first appearance
    and date; members by date, then key order."""
    by_enterprise: dict[Hashable, list[Inspection]] = {}
    for inspection in inspections:
        by_enterprise.setdefault(inspection.enterprise, []).append(inspection)
    window = timedelta(days=window_days)
    groups: list[list[Inspection]] = []
    for rows in by_enterprise.values():
        rows.sort(key=lambda r: (r.day, order_key(r.key)))
        flagged = [False] * len(rows)
        start = 0
        for i, row in enumerate(rows):
            while row.day - rows[start].day > window:
                start += 1
            for j in range(start, i):
                if rows[j].unit != row.unit:
                    flagged[i] = flagged[j] = True
        # Chain flagged inspections that lie within the window of the previous flagged one.
        current: list[Inspection] = []
        for row, is_flagged in zip(rows, flagged):
            if not is_flagged:
                continue
            if current and row.day - current[-1].day > window:
                groups.append(current)
                current = []
            current.append(row)
        if current:
            groups.append(current)
    return groups


def cross_keys(inspections: Iterable[Inspection], window_days: int = CROSS_WINDOW_DAYS) -> set[Hashable]:
    return {row.key for group in cross_inspections(inspections, window_days) for row in group}
