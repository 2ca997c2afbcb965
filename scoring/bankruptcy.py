"""Enterprise bankruptcy coordination between government and court (企业破产处置府院联动). Pure:
the standard library only (seeds 000, 001, 004).

- **Risk warning before acceptance** (受理预警 / 风险评估, seed 001 "风险评估机制"): a written,
  configurable rule (TOML) gives points per factor by bands — employees, wage arrears, debts,
  related guarantees (互保联保), public-opinion sensitivity — and a level from the total; a factor
  may make a case high-risk on its own (`high_at`). High risk: a disposal plan (处置方案) before
  acceptance.
- **Meeting tiers and escalation** (seed 000 "四、工作模式"): 业务会议 → 专题会议 → 联席会议; what a
  tier cannot settle goes one tier up; the joint meeting is the top.
- **Meeting calendar**: the joint meeting is due once per calendar half-year (seed 000; yearly in
  seed 001: configurable), the topic meeting once per calendar quarter. A tier is overdue when no
  meeting was held since the start of the last completed period (which counted).
- **Letters** (函告 / 函复, seed 001 "督促推进机制"): numbered per year, replied within a deadline;
  a reply after the deadline day is late, no reply after it is overdue.
- **Periodic lists** (seed 000 "五、（二）"): periods (month, quarter, half-year, year) and the
  "zombie enterprise" (僵尸企业) candidate rule combining an enterprise's lists.
- **Unit statistics**: a unit's letters and tasks of a year — received, on time, late, overdue.
- **Hand-overs** from the financial-risk module: the debtor's credit code and the proposed
  procedure read from the matter's text.
"""
from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Iterable, Mapping

from scoring import credit_code

# -- procedures -------------------------------------------------------------------------------
PROCEDURES = {
    "liquidation": "破产清算",
    "reorganization": "破产重整",
    "conciliation": "破产和解",
    "pre_reorganization": "预重整",
    "out_of_court": "庭外重组",
}
# Words that name a procedure in free text, longest first (预重整 before 重整).
_PROCEDURE_WORDS = (("庭外重组", "out_of_court"), ("预重整", "pre_reorganization"), ("重整", "reorganization"),
                    ("和解", "conciliation"), ("清算", "liquidation"))


def parse_procedure(text: str) -> str | None:
    """A procedure code from its code or a Chinese name (清算, 破产清算, 重整 …); None if unknown."""
    value = (text or "").strip()
    if value in PROCEDURES:
        return value
    for code, label in PROCEDURES.items():
        if value == label:
            return code
    for word, code in _PROCEDURE_WORDS:
        if value == word:
            return code
    return None


# -- risk warning before acceptance (受理预警) -------------------------------------------------
RISK_LEVELS = {"low": "低风险", "medium": "中风险", "high": "高风险"}
# factor → (Chinese label, unit of the thresholds)
FACTORS: dict[str, tuple[str, str]] = {
    "employees": ("职工人数", "人"),
    "wage_arrears": ("拖欠职工工资", "万元"),
    "debts": ("负债总额", "万元"),
    "guarantees": ("涉及互保联保担保金额", "万元"),
    "opinion": ("舆情敏感度", "级"),
}
OPINION_LEVELS = {0: "无", 1: "一般", 2: "较高", 3: "高"}
MONEY_FACTORS = frozenset({"wage_arrears", "debts", "guarantees"})
TEN_THOUSAND = Decimal(10000)

DEFAULT_RISK_RULES = """\
# 受理预警风险评分规则（淄博府院联动机制）
# 每项按“达到下限即得分”取最高一档，合计得分定风险等级；
# high_at：该项单独达到此值即为高风险（一票定级）。
# 金额单位为万元，职工人数单位为人，舆情敏感度 0 无、1 一般、2 较高、3 高。

[levels]
medium = 30   # 合计得分不低于此值：中风险
high = 60     # 合计得分不低于此值：高风险（受理前须制定处置方案）

[factors.employees]
bands = [[50, 10], [300, 20], [1000, 30]]
high_at = 1000

[factors.wage_arrears]
bands = [[1, 10], [100, 20], [500, 30]]

[factors.debts]
bands = [[5000, 10], [20000, 20], [100000, 30]]

[factors.guarantees]
bands = [[1000, 10], [10000, 20], [50000, 30]]
high_at = 50000

[factors.opinion]
bands = [[1, 5], [2, 15], [3, 30]]
high_at = 3
"""


class RulesError(ValueError):
    """The rules are wrong; the message says how, in Chinese."""


@dataclass(frozen=True)
class FactorRule:
    bands: tuple[tuple[Decimal, int], ...]   # (lower bound, points), bounds strictly increasing
    high_at: Decimal | None = None           # at least this alone → high risk

    def points(self, value: Decimal) -> tuple[int, Decimal | None]:
        """Points of the highest band reached and that band's lower bound (None: no band)."""
        reached = [(bound, pts) for bound, pts in self.bands if value >= bound]
        return (reached[-1][1], reached[-1][0]) if reached else (0, None)


@dataclass(frozen=True)
class RiskRules:
    medium: int
    high: int
    factors: Mapping[str, FactorRule] = field(default_factory=dict)

    def describe(self) -> list[tuple[str, str]]:
        """(factor label, Chinese description of its bands) for the rule page."""
        rows = []
        for name, rule in self.factors.items():
            label, unit = FACTORS[name]
            parts = [f"≥{_num(bound)}{unit}得{pts}分" for bound, pts in rule.bands]
            text = "；".join(parts)
            if rule.high_at is not None:
                text += f"；单项≥{_num(rule.high_at)}{unit}即为高风险"
            rows.append((label, text))
        return rows


def _num(value: Decimal) -> str:
    """1000 → "1000", 2.50 → "2.5" (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def _decimal(where: str, value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        raise RulesError(f"{where} 应为数值，现为 {value!r}。")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise RulesError(f"{where} 应为数值，现为 {value!r}。") from None
    if number < 0 or number >= Decimal("1e12"):
        raise RulesError(f"{where} 应为 0 至 1e12 之间的数值，现为 {value!r}。")
    return number


def _points(where: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
        raise RulesError(f"{where} 应为 0–1000 的整数分值，现为 {value!r}。")
    return value


def _factor(name: str, values) -> FactorRule:
    where = f"[factors.{name}]"
    if not isinstance(values, dict):
        raise RulesError(f"{where} 应为表。")
    unknown = sorted(set(values) - {"bands", "high_at"})
    if unknown:
        raise RulesError(f"{where} 中有未知的设置：{', '.join(unknown)}（可用：bands、high_at）。")
    bands_raw = values.get("bands")
    if not isinstance(bands_raw, list) or not bands_raw:
        raise RulesError(f"{where} bands 应为非空列表，如 [[50, 10], [300, 20]]。")
    bands: list[tuple[Decimal, int]] = []
    for index, pair in enumerate(bands_raw, start=1):
        if not isinstance(pair, list) or len(pair) != 2:
            raise RulesError(f"{where} bands 第 {index} 档应为 [下限, 分值]。")
        bound = _decimal(f"{where} bands 第 {index} 档下限", pair[0])
        pts = _points(f"{where} bands 第 {index} 档分值", pair[1])
        if bands and bound <= bands[-1][0]:
            raise RulesError(f"{where} bands 的下限应逐档递增（第 {index} 档）。")
        if bands and pts < bands[-1][1]:
            raise RulesError(f"{where} bands 的分值不能逐档递减（第 {index} 档）。")
        bands.append((bound, pts))
    high_at = _decimal(f"{where} high_at", values["high_at"]) if "high_at" in values else None
    return FactorRule(tuple(bands), high_at)


def parse_risk_rules(text: str) -> RiskRules:
    """Read the risk rule (TOML, format in DEFAULT_RISK_RULES and the README). Raises RulesError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"规则不是有效的 TOML：{exc}") from None
    unknown = sorted(set(data) - {"levels", "factors"})
    if unknown:
        raise RulesError(f"规则中有未知的表：{', '.join(unknown)}（可用：levels、factors）。")
    levels = data.get("levels")
    if not isinstance(levels, dict) or set(levels) != {"medium", "high"}:
        raise RulesError("[levels] 应给出 medium 和 high 两个合计分阈值。")
    medium, high = _points("[levels] medium", levels["medium"]), _points("[levels] high", levels["high"])
    if not 0 < medium < high:
        raise RulesError(f"[levels] 应满足 0 < medium < high（现为 {medium}、{high}）。")
    factors_raw = data.get("factors", {})
    if not isinstance(factors_raw, dict) or not factors_raw:
        raise RulesError("[factors] 应至少列出一个评分项，例如 [factors.employees]。")
    unknown = sorted(set(factors_raw) - set(FACTORS))
    if unknown:
        raise RulesError(f"未知的评分项：{', '.join(unknown)}（可用：{', '.join(FACTORS)}）。")
    factors = {name: _factor(name, factors_raw[name]) for name in FACTORS if name in factors_raw}
    return RiskRules(medium=medium, high=high, factors=factors)


def risk_rules_to_toml(rules: RiskRules) -> str:
    """The canonical text of `rules` (parse_risk_rules(risk_rules_to_toml(r)) == r)."""
    out = ["[levels]", f"medium = {rules.medium}", f"high = {rules.high}"]
    for name, rule in rules.factors.items():
        bands = ", ".join(f"[{_num(b)}, {p}]" for b, p in rule.bands)
        out += ["", f"[factors.{name}]", f"bands = [{bands}]"]
        if rule.high_at is not None:
            out.append(f"high_at = {_num(rule.high_at)}")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class RiskInputs:
    employees: int = 0
    wage_arrears: Decimal = Decimal(0)   # yuan
    debts: Decimal = Decimal(0)          # yuan
    guarantees: Decimal = Decimal(0)     # yuan
    opinion: int = 0                     # 0–3

    def value(self, factor: str) -> Decimal:
        """The value compared with the rule's bounds (money in 万元)."""
        raw = getattr(self, factor)
        return Decimal(raw) / TEN_THOUSAND if factor in MONEY_FACTORS else Decimal(raw)


@dataclass(frozen=True)
class FactorScore:
    factor: str
    label: str
    value: str          # as shown: "320人", "2.5万元", "较高"
    points: int
    band: str           # the band reached, e.g. "≥300人", or "未达计分下限"
    alone_high: bool


@dataclass(frozen=True)
class Assessment:
    score: int
    level: str
    parts: tuple[FactorScore, ...]
    reasons: tuple[str, ...]

    @property
    def level_label(self) -> str:
        return RISK_LEVELS[self.level]

    @property
    def plan_required(self) -> bool:
        return self.level == "high"


def _shown(factor: str, value: Decimal) -> str:
    if factor == "opinion":
        return OPINION_LEVELS.get(int(value), str(value))
    unit = FACTORS[factor][1]
    return f"{_num(value.quantize(Decimal('0.0001')) if factor in MONEY_FACTORS else value)}{unit}"


def check_inputs(inputs: RiskInputs) -> None:
    if inputs.employees < 0:
        raise ValueError("职工人数不能为负数。")
    if not 0 <= inputs.opinion <= 3:
        raise ValueError("舆情敏感度应为 0–3。")
    for name in MONEY_FACTORS:
        if getattr(inputs, name) < 0:
            raise ValueError(f"{FACTORS[name][0]}不能为负数。")


def assess(inputs: RiskInputs, rules: RiskRules) -> Assessment:
    """Score a case before acceptance. Each factor gets the points of the highest band whose lower
    bound it reaches (≥); the total decides the level (≥ high → high, ≥ medium → medium); a factor
    reaching its `high_at` makes the case high-risk whatever the total."""
    check_inputs(inputs)
    parts, reasons, forced = [], [], False
    for name, rule in rules.factors.items():
        value = inputs.value(name)
        pts, bound = rule.points(value)
        alone = rule.high_at is not None and value >= rule.high_at
        forced = forced or alone
        label, unit = FACTORS[name]
        band = f"≥{_num(bound)}{unit}" if bound is not None else "未达计分下限"
        parts.append(FactorScore(name, label, _shown(name, value), pts, band, alone))
        if alone:
            reasons.append(f"{label}{_shown(name, value)}，达到单项高风险标准（≥{_num(rule.high_at)}{unit}）")
    score = sum(p.points for p in parts)
    if score >= rules.high:
        level = "high"
        reasons.insert(0, f"合计 {score} 分，达到高风险线（{rules.high} 分）")
    elif forced:
        level = "high"
    elif score >= rules.medium:
        level = "medium"
        reasons.insert(0, f"合计 {score} 分，达到中风险线（{rules.medium} 分）")
    else:
        level = "low"
        reasons.insert(0, f"合计 {score} 分，低于中风险线（{rules.medium} 分）")
    return Assessment(score, level, tuple(parts), tuple(reasons))


# -- meeting tiers and escalation --------------------------------------------------------------
TIERS = ("business", "topic", "joint")
TIER_LABELS = {"business": "业务会议", "topic": "专题会议", "joint": "联席会议"}


class EscalationError(ValueError):
    pass


def next_tier(tier: str) -> str:
    """The tier a matter goes to when `tier` cannot settle it (seed 000: 业务会议 → 专题会议 → 联席会议)."""
    if tier not in TIERS:
        raise EscalationError(f"未知的会议层级“{tier}”。")
    index = TIERS.index(tier)
    if index == len(TIERS) - 1:
        raise EscalationError("联席会议是最高层级，其研究的事项不能再提级，应由联席会议作出决定。")
    return TIERS[index + 1]


# -- meeting calendar --------------------------------------------------------------------------
PERIOD_MONTHS = (0, 1, 2, 3, 4, 6, 12)   # 0: no fixed schedule (不定期)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month (day must be a first)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(day: date, months: int) -> tuple[date, date]:
    """The calendar period of `months` months (3: quarter, 6: half-year, 12: year) holding `day`."""
    if months not in PERIOD_MONTHS or months == 0:
        raise ValueError(f"period of {months} months")
    start = date(day.year, (day.month - 1) // months * months + 1, 1)
    return start, add_months(start, months) - timedelta(days=1)


def period_label(start: date, months: int) -> str:
    if months == 12:
        return f"{start.year}年"
    if months == 6:
        return f"{start.year}年{'上' if start.month == 1 else '下'}半年"
    if months == 3:
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if months == 1:
        return f"{start.year}年{start.month}月"
    end = add_months(start, months) - timedelta(days=1)
    return f"{start.year}年{start.month}–{end.month}月"


@dataclass(frozen=True)
class TierCalendar:
    months: int                        # 0: no fixed schedule
    current: tuple[date, date] | None  # the period today is in
    held_in_current: int
    last_held: date | None
    overdue: bool
    overdue_since: date | None         # the day after the missed period ended
    missed: tuple[tuple[date, date], ...]  # completed periods (since the mechanism began) without a meeting
    next_due: date | None              # the end of the period the next meeting is due in


def tier_calendar(held: Iterable[date], months: int, today: date, since: date) -> TierCalendar:
    """A tier's schedule: meetings held (dates), one due per calendar period of `months` months
    from the period holding `since` (the mechanism's start). Overdue: the last completed period
    counted and had no meeting, and none has been held since (today included). Meetings dated
    after today do not count."""
    days = sorted(d for d in held if d <= today)
    last = days[-1] if days else None
    if months == 0:
        return TierCalendar(0, None, 0, last, False, None, (), None)
    current = period_of(today, months)
    in_current = sum(1 for d in days if current[0] <= d <= current[1])
    missed = []
    start = period_of(since, months)[0] if since <= today else current[0]
    while start < current[0]:
        end = add_months(start, months) - timedelta(days=1)
        if not any(start <= d <= end for d in days):
            missed.append((start, end))
        start = add_months(start, months)
    previous_start = add_months(current[0], -months)
    previous_end = current[0] - timedelta(days=1)
    previous_counts = previous_end >= since
    overdue = previous_counts and not any(d >= previous_start for d in days)
    next_due = current[1] if in_current == 0 else add_months(current[0], 2 * months) - timedelta(days=1)
    if overdue:
        next_due = previous_end
    return TierCalendar(months, current, in_current, last, overdue, current[0] if overdue else None,
                        tuple(missed), next_due)


# -- letters (函告 / 函复) ------------------------------------------------------------------------
LETTER_PREFIX = "府院函"
MINUTES_PREFIX = "府院纪要"
CIRCULAR_PREFIX = "府院通报"
REPLY_STATES = {"pending": "待函复", "on_time": "按期函复", "late": "逾期函复", "overdue": "逾期未复"}


def document_number(prefix: str, year: int, seq: int) -> str:
    """府院函〔2026〕3号."""
    return f"{prefix}〔{year}〕{seq}号"


def reply_due(issued_on: date, days: int) -> date:
    """The last day on which a reply is on time: `days` calendar days after the letter."""
    if days < 1:
        raise ValueError("函复期限至少 1 天。")
    return issued_on + timedelta(days=days)


def reply_state(due: date, replied_on: date | None, today: date) -> str:
    """on_time: replied on or before the due day; late: replied after it; overdue: no reply and
    the due day has passed; pending: no reply yet, still in time."""
    if replied_on is not None:
        return "on_time" if replied_on <= due else "late"
    return "overdue" if today > due else "pending"


# -- unit statistics (yearly report feeding the assessment) -------------------------------------
@dataclass
class UnitYear:
    received: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0      # open after its deadline
    pending: int = 0      # open, still in time

    @property
    def decided(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def on_time_rate(self) -> Decimal | None:
        """On-time share of the decided items (percent, 1 decimal, rounded half up)."""
        if not self.decided:
            return None
        return (Decimal(100 * self.on_time) / self.decided).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")


def unit_year_stats(items: Iterable[tuple[object, date | None, date | None]], as_of: date) -> dict[object, UnitYear]:
    """items: (unit key, due day, day done or None). Judged on `as_of` (the year's last day, or
    today for the current year): done by the due day → on time; done later → late; not done and
    `as_of` past the due day → overdue; otherwise pending. Done after `as_of` counts as not done."""
    stats: dict[object, UnitYear] = {}
    for unit, due, done in items:
        row = stats.setdefault(unit, UnitYear())
        row.received += 1
        if done is not None and done > as_of:
            done = None
        if done is not None:
            if due is None or done <= due:
                row.on_time += 1
            else:
                row.late += 1
        elif due is not None and as_of > due:
            row.overdue += 1
        else:
            row.pending += 1
    return stats


# -- periodic lists and zombie candidates --------------------------------------------------------
LIST_KINDS = {
    "revoked": "吊销企业",
    "tax_arrears": "欠税企业",
    "capacity": "产能淘汰企业",
    "stopped": "停产企业",
    "distressed": "困境企业",
    "guarantee": "互联互保风险企业",
}
# What each list's free "detail" column holds (seed 000: 名单及…情况).
LIST_DETAILS = {
    "revoked": "基本情况", "tax_arrears": "欠税情况", "capacity": "基本情况", "stopped": "闲置要素资源情况",
    "distressed": "运营价值情况", "guarantee": "处置意愿",
}
LIST_AMOUNTS = {"tax_arrears": "欠税金额（元）", "guarantee": "担保金额（元）", "stopped": "闲置资产估值（元）",
                "distressed": "运营价值估值（元）"}
# Lists that alone make an enterprise a candidate for market exit.
ALONE = frozenset({"revoked", "capacity"})
# Lists that count towards the "on at least N lists" rule.
COUNTED = frozenset({"tax_arrears", "stopped", "guarantee", "distressed"})
ZOMBIE_MIN_LISTS = 2

_REASONS = {
    "revoked": "营业执照已被吊销（吊销企业名单）",
    "capacity": "属产能淘汰企业",
    "tax_arrears": "欠缴税款（欠税企业名单）",
    "stopped": "已停产，要素资源闲置",
    "guarantee": "处于互联互保风险中",
    "distressed": "经营困难",
}


@dataclass(frozen=True)
class ZombieVerdict:
    candidate: bool
    reasons: tuple[str, ...]
    suggestion: str


def zombie_verdict(kinds: Iterable[str], min_lists: int = ZOMBIE_MIN_LISTS) -> ZombieVerdict:
    """Combine the lists an enterprise is on. A candidate (僵尸企业候选) when on the revoked-licence
    or capacity-elimination list, or on at least `min_lists` of the other lists. Suggestion: an
    enterprise on the distressed list has operating value → rescue (重整/和解/预重整); another
    candidate → liquidation (清算出清); else keep watching."""
    found = set(kinds)
    unknown = found - set(LIST_KINDS)
    if unknown:
        raise ValueError(f"unknown list kinds {sorted(unknown)}")
    counted = found & COUNTED
    candidate = bool(found & ALONE) or len(counted) >= min_lists
    reasons = tuple(_REASONS[k] for k in LIST_KINDS if k in found)
    if "distressed" in found and "revoked" not in found:
        suggestion = "具有运营价值，可引导庭外重组、预重整或破产重整、和解"
    elif candidate:
        suggestion = "引导依法破产清算，推动市场出清"
    else:
        suggestion = "持续关注"
    return ZombieVerdict(candidate, reasons, suggestion)


@dataclass(frozen=True)
class Period:
    code: str     # 2026-09, 2026-Q3, 2026-H1, 2026
    start: date
    end: date
    label: str


_PERIOD_PATTERNS = (
    (re.compile(r"^(\d{4})[-/.年]?第?([1-4])季度?$|^(\d{4})-?Q([1-4])$", re.I | re.A), 3),
    (re.compile(r"^(\d{4})-?H([12])$|^(\d{4})年?([上下])半年$", re.I | re.A), 6),
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$", re.A), 1),
    (re.compile(r"^(\d{4})年?$", re.A), 12),
)


def parse_period(text: str) -> Period:
    """A reporting period: 2026-09 / 2026年9月 (month), 2026-Q3 / 2026年第3季度 (quarter),
    2026-H1 / 2026年上半年 (half-year), 2026 / 2026年 (year). Raises ValueError (Chinese)."""
    value = "".join((text or "").split())
    for pattern, months in _PERIOD_PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        groups = [g for g in match.groups() if g is not None]
        year = int(groups[0])
        if not 1990 <= year <= 2100:
            break
        if months == 12:
            index = 1
        elif months == 6:
            index = {"1": 1, "2": 2, "上": 1, "下": 2}[groups[1].upper()]
        else:
            index = int(groups[1])
        if months == 1 and not 1 <= index <= 12:
            break
        start = date(year, (index - 1) * months + 1, 1)
        end = add_months(start, months) - timedelta(days=1)
        code = {12: f"{year}", 6: f"{year}-H{index}", 3: f"{year}-Q{index}", 1: f"{year}-{index:02d}"}[months]
        return Period(code, start, end, period_label(start, months))
    raise ValueError(f"“{text}”不是有效的报送期间（如 2026-09、2026-Q3、2026-H1、2026）。")


# -- hand-overs from the financial-risk module ---------------------------------------------------
_CODE_RE = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")


@dataclass(frozen=True)
class Handover:
    credit_code: str | None
    procedure: str | None


def read_handover(text: str) -> Handover:
    """The first valid unified social credit code in the text and the first procedure named
    (庭外重组, 预重整, 重整, 和解, 清算 — at the same place the longer word wins)."""
    upper = (text or "").upper()
    code = next((m.group(0) for m in _CODE_RE.finditer(upper) if credit_code.is_valid(m.group(0))), None)
    found = []
    for word, proc in _PROCEDURE_WORDS:
        for match in re.finditer(word, text or ""):
            found.append((match.start(), -len(word), proc))
    for proc in PROCEDURES:
        for match in re.finditer(rf"\b{proc}\b", text or ""):
            found.append((match.start(), -len(proc), proc))
    procedure = min(found)[2] if found else None
    return Handover(code, procedure)

