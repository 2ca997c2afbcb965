"""A/B/C inspection-exemption grading (免检免扰评级评价). Pure: numpy and the standard library.

Seed ("建立企业免检免扰制度"落实方案):
- scope: above-scale industrial and service enterprises (房地产开发 excluded), in business;
- window: grading year Y uses the enforcement records of the three years Y−3 … Y−1 (the 2019
  grading used 2016–2018), calendar dates, both ends inclusive;
- each grading unit grades A/B/C from its own records, default rule: no `minor`/`serious`
  record → A; any `serious` or at least 3 `minor` → C; otherwise B (thresholds per unit);
- combined grade (统筹衡量、综合评定): the worst grade any unit gave; A when none gave less.
  Optionally (`c_when_b_units`) B from at least that many units makes C. Every option only
  makes a grade worse, so the combined grade is never better than any unit's grade.

Everything is columnar: enterprises are 0..n−1, units 0..U−1 (index into `unit_codes`),
records are parallel arrays. `grade()` returns every unit's grade, the combined grade and a
reason per enterprise that names the units and the records that decided it.
"""
from __future__ import annotations

import itertools
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Mapping, Sequence

import numpy as np

GRADES = ("A", "B", "C")
A, B, C = 0, 1, 2
OUT_OF_SCOPE = -1
OUTCOMES = ("none", "minor", "serious")
NONE, MINOR, SERIOUS = 0, 1, 2
OUTCOME_LABELS = {"none": "检查无违法", "minor": "一般违法", "serious": "严重违法"}
# Chinese spellings accepted wherever an outcome is read from a file.
OUTCOME_ALIASES = {"检查无违法": "none", "无违法": "none", "一般违法": "minor", "轻微处罚": "minor",
                   "一般违法/轻微处罚": "minor", "严重违法": "serious"}

SCOPE_INDUSTRIES = ("工业", "服务业")
IN_BUSINESS = "存续"
WINDOW_YEARS = 3
MAX_LISTED_RECORDS = 5  # records named in one unit's reason; more are summarised as "等 N 条"


def grade_letter(value: int) -> str:
    return GRADES[value] if value >= 0 else ""


def grade_value(letter: str) -> int:
    return GRADES.index(letter)


# -- scope and window -----------------------------------------------------------------------
def window(year: int) -> tuple[date, date]:
    """The records that grading year Y uses: 1 Jan of Y−3 through 31 Dec of Y−1."""
    return date(year - WINDOW_YEARS, 1, 1), date(year - 1, 12, 31)


def window_label(year: int) -> str:
    first, last = window(year)
    return f"{first.year}–{last.year}年"


def in_scope(industry: str, above_scale: bool, status: str) -> bool:
    """规模以上工业企业和服务业企业（房地产开发企业除外），存续."""
    return status == IN_BUSINESS and bool(above_scale) and industry in SCOPE_INDUSTRIES


def scope_mask(industries: Sequence[str], above_scale: Sequence[bool], statuses: Sequence[str]) -> np.ndarray:
    return np.fromiter((in_scope(i, a, s) for i, a, s in zip(industries, above_scale, statuses)), dtype=bool,
                       count=len(industries))


# -- rules -----------------------------------------------------------------------------------
class RulesError(ValueError):
    """The rules are wrong; the message says how, in Chinese."""


@dataclass(frozen=True)
class UnitRule:
    """A unit's thresholds, counting only its own records in the window."""

    c_serious: int = 1               # at least this many serious records → C
    c_minor: int = 3                 # at least this many minor records → C
    b_minor: int = 1                 # at least this many minor records (or any serious) → B
    serious_fine: int | None = None  # fen; a minor record with a fine at least this counts as serious

    def describe(self) -> str:
        text = (f"严重违法≥{self.c_serious}次或一般违法≥{self.c_minor}次为C类；"
                f"一般违法≥{self.b_minor}次或有严重违法为B类；其余为A类")
        if self.serious_fine is not None:
            text += f"；罚款≥{fen_to_yuan(self.serious_fine)}元按严重违法计"
        return text


@dataclass(frozen=True)
class Rules:
    default: UnitRule = UnitRule()
    units: Mapping[str, UnitRule] = field(default_factory=dict)
    c_when_b_units: int = 0          # 0: off; k ≥ 2: B from at least k units → C
    # How the published grades act on inspections ([inspections] table; scoring.inspections):
    a_scope: str = "city"            # the A exemption covers "city" units' random inspections, or "all"
    c_weight: int = 3                # a C enterprise's weight in random draws (实施严格执法检查)
    # An enterprise in scope with no enforcement record at all in the window (no inspection, not
    # even one without findings): "A" (nothing against it, the default) or "B" (not rated yet, as
    # the tax credit rating's M level for new firms: at most two inspections per category a year).
    no_history: str = "A"

    def for_unit(self, code: str) -> UnitRule:
        return self.units.get(code, self.default)

    def describe_combined(self) -> str:
        text = "取各单位评级中最差者（均为A类则为A类）"
        if self.c_when_b_units:
            text += f"；{self.c_when_b_units}个及以上单位评B类的，综合评定为C类"
        if self.no_history == "B":
            text += "；评价期内没有任何执法检查记录的企业（尚无执法记录可评），评为B类"
        else:
            text += "；评价期内没有任何执法检查记录的企业评为A类"
        return text

    def describe_inspections(self) -> str:
        scope = "市级执法部门" if self.a_scope == "city" else "市、区县两级执法部门"
        return (f"A类企业在{scope}的“双随机一公开”抽查中免检；B类企业同一类别的双随机抽查每年不超过两次"
                f"（按检查次数计）；C类企业实施严格执法检查，在双随机抽取中始终在抽取范围内、权重为{self.c_weight}倍")


DEFAULT_RULES = Rules()
_UNIT_KEYS = ("c_serious", "c_minor", "b_minor", "serious_fine")
_UNIT_CODE = re.compile(r"^[A-Z0-9_-]{1,32}$")


def fen_to_yuan(fen: int) -> str:
    return str((Decimal(fen) / 100).quantize(Decimal("0.01")))


MAX_COUNT = 1_000_000   # a threshold beyond any enterprise's records (and within the int64 arrays)


def _count(table: str, key: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RulesError(f"[{table}] {key} 应为不小于 1 的整数，现为 {value!r}。")
    if value > MAX_COUNT:
        raise RulesError(f"[{table}] {key} 过大（最多 {MAX_COUNT}）。")
    return value


def _fen(table: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        raise RulesError(f"[{table}] serious_fine 应为金额（元），现为 {value!r}。")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise RulesError(f"[{table}] serious_fine 应为金额（元），现为 {value!r}。") from None
    if amount >= Decimal("1e16"):  # before quantize, which fails on values beyond 28 digits (e.g. 1e300)
        raise RulesError(f"[{table}] serious_fine 过大。")
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise RulesError(f"[{table}] serious_fine 应为大于 0、最多两位小数的金额（元）。")
    return int(amount * 100)


def _unit_rule(table: str, values, base: UnitRule) -> UnitRule:
    if not isinstance(values, dict):
        raise RulesError(f"[{table}] 应为表（[{table}] 下列出阈值）。")
    unknown = sorted(set(values) - set(_UNIT_KEYS))
    if unknown:
        raise RulesError(f"[{table}] 中有未知的设置：{', '.join(unknown)}（可用：{', '.join(_UNIT_KEYS)}）。")
    changes = {k: _count(table, k, values[k]) for k in ("c_serious", "c_minor", "b_minor") if k in values}
    if "serious_fine" in values:
        changes["serious_fine"] = _fen(table, values["serious_fine"])
    rule = replace(base, **changes)
    if rule.b_minor > rule.c_minor:
        raise RulesError(f"[{table}] b_minor（{rule.b_minor}）不能大于 c_minor（{rule.c_minor}）。")
    return rule


def parse_rules(text: str) -> Rules:
    """Read RULES.toml (format in the README, section "Grading"). Raises RulesError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"规则文件不是有效的 TOML：{exc}") from None
    unknown = sorted(set(data) - {"default", "units", "combined", "inspections"})
    if unknown:
        raise RulesError(f"规则文件中有未知的表：{', '.join(unknown)}（可用：default、units、combined、inspections）。")
    default = _unit_rule("default", data.get("default", {}), UnitRule())
    units_table = data.get("units", {})
    if not isinstance(units_table, dict):
        raise RulesError("[units] 应为按单位代码分的表，例如 [units.SCJ]。")
    units = {}
    for code, values in units_table.items():
        normal = code.strip().upper()
        if not _UNIT_CODE.match(normal):
            raise RulesError(f"[units.{code}] 不是有效的单位代码。")
        if normal in units:
            raise RulesError(f"单位 {normal} 的规则重复。")
        units[normal] = _unit_rule(f"units.{code}", values, default)
    combined = data.get("combined", {})
    if not isinstance(combined, dict):
        raise RulesError("[combined] 应为表。")
    unknown = sorted(set(combined) - {"rule", "c_when_b_units", "no_history"})
    if unknown:
        raise RulesError(f"[combined] 中有未知的设置：{', '.join(unknown)}（可用：rule、c_when_b_units、no_history）。")
    no_history = combined.get("no_history", "A")
    if no_history not in ("A", "B"):
        raise RulesError(f"[combined] no_history 只能为 \"A\" 或 \"B\"（无执法记录的企业评为A类或B类），现为 {no_history!r}。")
    if combined.get("rule", "worst") != "worst":
        raise RulesError(f"[combined] rule 只能为 \"worst\"（取最差等级），现为 {combined['rule']!r}。")
    k = combined.get("c_when_b_units", 0)
    if isinstance(k, bool) or not isinstance(k, int) or k < 0 or k == 1:
        raise RulesError("[combined] c_when_b_units 应为 0（不启用）或不小于 2 的整数。")
    a_scope, c_weight = _inspection_rules(data.get("inspections", {}))
    return Rules(default=default, units=units, c_when_b_units=k, a_scope=a_scope, c_weight=c_weight,
                 no_history=no_history)


def _inspection_rules(table) -> tuple[str, int]:
    if not isinstance(table, dict):
        raise RulesError("[inspections] 应为表。")
    unknown = sorted(set(table) - {"a_scope", "c_weight"})
    if unknown:
        raise RulesError(f"[inspections] 中有未知的设置：{', '.join(unknown)}（可用：a_scope、c_weight）。")
    a_scope = table.get("a_scope", "city")
    if a_scope not in ("city", "all"):
        raise RulesError(f"[inspections] a_scope 只能为 \"city\"（市级部门）或 \"all\"（市、区县两级），现为 {a_scope!r}。")
    c_weight = table.get("c_weight", 3)
    if isinstance(c_weight, bool) or not isinstance(c_weight, int) or not 1 <= c_weight <= 10:
        raise RulesError(f"[inspections] c_weight 应为 1–10 的整数，现为 {c_weight!r}。")
    return a_scope, c_weight


def _rule_lines(rule: UnitRule, base: UnitRule | None) -> list[str]:
    lines = []
    for key in _UNIT_KEYS:
        value = getattr(rule, key)
        if base is not None and value == getattr(base, key):
            continue
        if value is None:
            continue
        lines.append(f"{key} = {fen_to_yuan(value) if key == 'serious_fine' else value}")
    return lines


def rules_to_toml(rules: Rules) -> str:
    """The canonical text of `rules` (parse_rules(rules_to_toml(r)) == r)."""
    out = ["[default]", *_rule_lines(rules.default, None)]
    for code in sorted(rules.units):
        lines = _rule_lines(rules.units[code], rules.default)
        if rules.units[code].serious_fine is None and rules.default.serious_fine is not None:
            raise RulesError(f"单位 {code} 不能取消默认的 serious_fine。")
        out += ["", f"[units.{code}]", *lines]
    out += ["", "[combined]", 'rule = "worst"', f"c_when_b_units = {rules.c_when_b_units}",
            f'no_history = "{rules.no_history}"']
    out += ["", "[inspections]", f'a_scope = "{rules.a_scope}"', f"c_weight = {rules.c_weight}"]
    return "\n".join(out) + "\n"


# -- input and output ------------------------------------------------------------------------
@dataclass
class Records:
    """Enforcement records as parallel arrays (one element per record)."""

    enterprise: np.ndarray            # int: index of the enterprise (0..n−1)
    unit: np.ndarray                  # int: index into unit_codes; −1 for a unit that does not grade
    day: np.ndarray                   # datetime64[D]
    outcome: np.ndarray               # int: NONE, MINOR, SERIOUS
    fine: np.ndarray | None = None    # int64 fen (only needed with serious_fine)
    label: Sequence[str] | None = None  # how a record is named in reasons; default: its date

    @classmethod
    def empty(cls) -> "Records":
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, "datetime64[D]"),
                   np.zeros(0, np.int8))


@dataclass(frozen=True)
class ListedGrade:
    """A grade from a unit's own uploaded list (instead of its rule)."""

    grade: int
    reason: str = ""


@dataclass
class Grading:
    year: int
    unit_codes: tuple[str, ...]
    scope: np.ndarray          # bool (n,)
    unit_grade: np.ndarray     # int8 (n, U)
    grade: np.ndarray          # int8 (n,), OUT_OF_SCOPE outside the scope
    minor: np.ndarray          # int (n, U): counted minor records per unit
    serious: np.ndarray        # int (n, U): counted serious records per unit
    reason: list               # str per enterprise in scope, None outside
    unit_reason: list          # dict unit index → str per enterprise (units graded by records or lists)

    def unit_grades_text(self, i: int) -> str:
        """`SCJ:A;SWJ:B` — every unit, sorted by code."""
        row = self.unit_grade[i]
        return ";".join(f"{code}:{GRADES[row[u]]}" for code, u in self._sorted_units())

    def unit_grades_texts(self) -> list[str]:
        """unit_grades_text of every enterprise (a lookup table instead of a loop of joins)."""
        order = [u for _, u in self._sorted_units()]
        if len(order) > 8:
            return [self.unit_grades_text(i) for i in range(len(self.grade))]
        table = [";".join(f"{self.unit_codes[u]}:{GRADES[x]}" for u, x in zip(order, combo))
                 for combo in itertools.product(range(3), repeat=len(order))]
        weights = 3 ** np.arange(len(order) - 1, -1, -1, dtype=np.int64)
        codes = self.unit_grade[:, order].astype(np.int64) @ weights
        return [table[c] for c in codes.tolist()]

    def _sorted_units(self) -> list[tuple[str, int]]:
        return sorted((code, u) for u, code in enumerate(self.unit_codes))

    def counts(self) -> dict[str, int]:
        graded = self.grade[self.scope]
        return {g: int((graded == v).sum()) for v, g in enumerate(GRADES)}


def _unit_arrays(unit_codes: Sequence[str], rules: Rules):
    rules_by_unit = [rules.for_unit(c) for c in unit_codes]
    cs = np.array([r.c_serious for r in rules_by_unit], dtype=np.int64)
    cm = np.array([r.c_minor for r in rules_by_unit], dtype=np.int64)
    bm = np.array([r.b_minor for r in rules_by_unit], dtype=np.int64)
    big = np.iinfo(np.int64).max
    fine_at = np.array([big if r.serious_fine is None else r.serious_fine for r in rules_by_unit], dtype=np.int64)
    return cs, cm, bm, fine_at


def _records_text(kind: str, labels: list[str]) -> str:
    listed = "；".join(labels[:MAX_LISTED_RECORDS])
    more = f" 等共{len(labels)}条" if len(labels) > MAX_LISTED_RECORDS else ""
    return f"{kind}{len(labels)}次（{listed}{more}）"


def grade(n: int, unit_codes: Sequence[str], records: Records, year: int, rules: Rules = DEFAULT_RULES, *,
          scope: np.ndarray | None = None, unit_lists: Mapping[int, Mapping[int, ListedGrade]] | None = None,
          unit_labels: Sequence[str] | None = None, last_day: date | None = None,
          history: np.ndarray | None = None) -> Grading:
    """Grade enterprises 0..n−1 for grading year `year`.

    `scope`: which enterprises are graded (default all). `unit_lists`: for a unit that uploaded
    its own list, unit index → {enterprise index: ListedGrade}; its records are then not used
    and an enterprise missing from its list gets A from it. `unit_labels`: how units are named
    in reasons (default: their codes). `last_day` extends the window past 31 Dec of Y−1 (dynamic
    management: what a record entered after publication would do to the grade). `history`: which
    enterprises have any enforcement record in the window (default: read from `records`, which
    must then hold every record, also those without findings); used by the no_history rule.
    """
    codes = tuple(unit_codes)
    n_units = len(codes)
    labels_u = list(unit_labels) if unit_labels is not None else list(codes)
    unit_lists = unit_lists or {}
    scope = np.ones(n, dtype=bool) if scope is None else np.asarray(scope, dtype=bool)
    if scope.shape != (n,):
        raise ValueError("scope must have one flag per enterprise")
    ent = np.asarray(records.enterprise, dtype=np.int64)
    unit = np.asarray(records.unit, dtype=np.int64)
    day = np.asarray(records.day, dtype="datetime64[D]")
    outcome = np.asarray(records.outcome, dtype=np.int8)
    if not (len(ent) == len(unit) == len(day) == len(outcome)):
        raise ValueError("record arrays differ in length")
    if len(ent) and (ent.min() < 0 or ent.max() >= n or unit.max() >= n_units or unit.min() < -1):
        raise ValueError("record refers to an unknown enterprise or unit")

    cs, cm, bm, fine_at = _unit_arrays(codes, rules)
    first, last = window(year)
    last = max(last, last_day) if last_day else last
    counted = (day >= np.datetime64(first)) & (day <= np.datetime64(last)) & (unit >= 0) & (outcome >= MINOR)
    if len(ent):
        counted &= scope[ent]
    list_units = np.zeros(n_units, dtype=bool)
    list_units[list(unit_lists)] = True
    if len(ent):
        counted &= ~list_units[np.maximum(unit, 0)]
    effective = outcome.copy()
    if records.fine is not None and (fine_at < np.iinfo(np.int64).max).any():
        fine = np.asarray(records.fine, dtype=np.int64)
        heavy = counted & (effective == MINOR) & (fine >= fine_at[np.maximum(unit, 0)])
        effective[heavy] = SERIOUS

    idx = np.flatnonzero(counted)
    key = ent[idx] * n_units + unit[idx]
    size = n * n_units
    minor = np.bincount(key[effective[idx] == MINOR], minlength=size).reshape(n, n_units)
    serious = np.bincount(key[effective[idx] == SERIOUS], minlength=size).reshape(n, n_units)
    unit_grade = np.where((serious >= cs) | (minor >= cm), C,
                          np.where((minor >= bm) | (serious > 0), B, A)).astype(np.int8)
    for u, listed in unit_lists.items():
        column = np.full(n, A, dtype=np.int8)
        for i, entry in listed.items():
            column[i] = entry.grade
        unit_grade[:, u] = column
    unit_grade[~scope] = A

    combined, escalated = combine(unit_grade, rules)
    unrated = np.zeros(n, dtype=bool)
    if rules.no_history == "B":
        if history is None:
            in_window = (day >= np.datetime64(first)) & (day <= np.datetime64(last))
            history = np.bincount(ent[in_window], minlength=n) > 0
        history = np.asarray(history, dtype=bool)
        if history.shape != (n,):
            raise ValueError("history must have one flag per enterprise")
        unrated = scope & ~history & (combined < B)
        combined[unrated] = B
    combined[~scope] = OUT_OF_SCOPE

    unit_reason = _unit_reasons(n, n_units, idx, ent, unit, day, effective, records.label, unit_lists, scope)
    reason = _combined_reasons(year, combined, unit_grade, escalated, unit_reason, labels_u, rules, scope)
    for i in np.flatnonzero(unrated).tolist():
        reason[i] = f"B类：{window_label(year)}没有任何执法检查记录，尚无执法记录可评（本年度规则：无执法记录的企业评为B类）"
    return Grading(year=year, unit_codes=codes, scope=scope, unit_grade=unit_grade, grade=combined,
                   minor=minor, serious=serious, reason=reason, unit_reason=unit_reason)


def combine(unit_grade: np.ndarray, rules: Rules = DEFAULT_RULES) -> tuple[np.ndarray, np.ndarray]:
    """The combined grade of each row of unit grades (n, U), and where many B grades made it C."""
    n, n_units = unit_grade.shape
    combined = unit_grade.max(axis=1).astype(np.int8) if n_units else np.zeros(n, dtype=np.int8)
    escalated = np.zeros(n, dtype=bool)
    if rules.c_when_b_units:
        escalated = (combined == B) & ((unit_grade == B).sum(axis=1) >= rules.c_when_b_units)
        combined[escalated] = C
    return combined, escalated


def _unit_reasons(n, n_units, idx, ent, unit, day, effective, labels, unit_lists, scope) -> list[dict[int, str]]:
    """Per enterprise: unit → which of its records counted (or its listed reason)."""
    out: list[dict[int, str]] = [{} for _ in range(n)]
    if len(idx):
        # Serious records first within each (enterprise, unit), each kind by date.
        order = np.lexsort((day[idx], -effective[idx], unit[idx], ent[idx]))
        rows = idx[order]
        names = (np.datetime_as_string(day[rows], unit="D").tolist() if labels is None
                 else [labels[r] for r in rows.tolist()])
        group_key = ent[rows] * n_units + unit[rows]
        starts = np.flatnonzero(np.r_[True, group_key[1:] != group_key[:-1]])
        ends = np.r_[starts[1:], len(rows)]
        n_serious = np.add.reduceat((effective[rows] == SERIOUS).astype(np.int64), starts) if len(starts) else starts
        for s, e, ns, i, u in zip(starts.tolist(), ends.tolist(), n_serious.tolist(), ent[rows][starts].tolist(),
                                  unit[rows][starts].tolist()):
            if ns and e - s > ns:
                out[i][u] = (_records_text("严重违法", names[s:s + ns]) + "；"
                             + _records_text("一般违法", names[s + ns:e]))
            else:
                out[i][u] = _records_text("严重违法" if ns else "一般违法", names[s:e])
    for u, listed in unit_lists.items():
        for i, entry in listed.items():
            if scope[i]:
                out[i][u] = "上报名单" + (f"：{entry.reason}" if entry.reason else "")
    return out


def _combined_reasons(year, combined, unit_grade, escalated, unit_reason, unit_labels, rules, scope) -> list:
    out: list = [None] * len(combined)
    all_a = f"{window_label(year)}各评级单位均评A类（无一般或严重违法记录）"
    for i in np.flatnonzero(scope & (combined == A)).tolist():
        out[i] = all_a
    # The deciding units: those that gave the combined grade (or, when many B made C, the B units).
    target = np.where(escalated, B, combined)
    deciding = (unit_grade == target[:, None]) & (combined > A)[:, None]
    rows, units = np.nonzero(deciding)
    if not len(rows):
        return out
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]).tolist()
    ends = starts[1:] + [len(rows)]
    rows_l, units_l = rows.tolist(), units.tolist()
    escalated_head = f"C类：{{}}个单位评B类（{rules.c_when_b_units}个及以上单位评B类即综合评定为C类）——"
    for s, e in zip(starts, ends):
        i = rows_l[s]
        g = int(target[i])
        reasons = unit_reason[i]
        parts = []
        for u in units_l[s:e]:
            detail = reasons.get(u)
            parts.append(f"{unit_labels[u]}评{GRADES[g]}类（{detail}）" if detail else f"{unit_labels[u]}评{GRADES[g]}类")
        head = escalated_head.format(e - s) if escalated[i] else f"{GRADES[combined[i]]}类："
        out[i] = head + "；".join(parts)
    return out
