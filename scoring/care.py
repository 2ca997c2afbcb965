"""Enterprise care, second half (issue 13 items 3–5): the 容错纠错 stages and their deadlines, the
political-inspection circular counts, the honours eligibility rule, and the green channel's service
evaluation. Pure: standard library only; the web app calls it.

Seed 002: "建立企业家容错纠错机制" (容错申请 → 容错调查 → 会商研判 → 作出容错决定 → 纠错整改 → 澄清保护;
涉企案件评查; 政治督察 with 台账管理、定期通报、限期整改), "开通优秀企业家绿色服务通道" (评估情况一般或者较差的
进行通报整改) and "提升企业家政治荣誉感" (选树优秀企业家; 守法经营、纳税贡献大 first).

The seed gives the steps, not the days; the days below are this platform's defaults (calendar days,
"by" includes the day), chosen where the issue is silent and listed in the README.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from scoring.integrity import add_years

# -- 容错纠错: stages ----------------------------------------------------------------------------
APPLIED = "applied"            # 容错申请: waiting for acceptance (受理审查)
INVESTIGATING = "investigating"  # 容错调查
DELIBERATING = "deliberating"  # 会商研判, ends with the decision (作出容错决定)
RECTIFYING = "rectifying"      # 纠错整改
PROTECTING = "protecting"      # 澄清保护 (澄清正名 for a false accusation, with publication)
CLOSED = "closed"
REJECTED = "rejected"          # 不予受理

STAGES: dict[str, str] = {
    APPLIED: "容错申请", INVESTIGATING: "容错调查", DELIBERATING: "会商研判", RECTIFYING: "纠错整改",
    PROTECTING: "澄清保护", CLOSED: "已办结", REJECTED: "不予受理",
}
OPEN_STAGES = frozenset({APPLIED, INVESTIGATING, DELIBERATING, RECTIFYING, PROTECTING})
# Days a stage may take, counted from the day it began (rectification: the decision names its date).
STAGE_DAYS: dict[str, int] = {APPLIED: 7, INVESTIGATING: 30, DELIBERATING: 15, PROTECTING: 30}
RECTIFY_DEFAULT_DAYS = 60
RECTIFY_MAX_DAYS = 180

# Kinds of case: a 容错 application, or 澄清正名 of an entrepreneur falsely accused (诬告陷害).
TOLERANCE = "tolerance"
CLARIFICATION = "clarification"
KINDS: dict[str, str] = {TOLERANCE: "容错纠错申请", CLARIFICATION: "澄清正名（诬告陷害）"}

# Decisions by kind. 予以容错 and 从轻减轻 go on to 纠错整改 (when ordered) and 澄清保护; 不予容错 ends the
# case (the matter goes the ordinary disciplinary way). For a false accusation the name is cleared
# (澄清正名, published) or the accusation is found not to be false.
DECISIONS: dict[str, str] = {
    "tolerated": "予以容错（免予问责）", "lenient": "从轻、减轻处理", "not_tolerated": "不予容错",
    "false_accusation": "诬告陷害属实，予以澄清正名", "not_false": "不属于诬告陷害",
}
DECISIONS_BY_KIND: dict[str, tuple[str, ...]] = {
    TOLERANCE: ("tolerated", "lenient", "not_tolerated"),
    CLARIFICATION: ("false_accusation", "not_false"),
}
FAVOURABLE = frozenset({"tolerated", "lenient", "false_accusation"})  # the case goes on to 澄清保护

# 会商研判: the six circumstances of the seed ("结合党员企业家动机态度、客观条件、程序方法、性质程度、后果影响以及挽回
# 损失等情况进行综合分析研判"), each assessed as speaking for or against 容错.
FACTORS: dict[str, str] = {
    "motive": "动机态度", "conditions": "客观条件", "procedure": "程序方法", "nature": "性质程度",
    "consequences": "后果影响", "recovery": "挽回损失",
}
FOR, AGAINST = "for", "against"
ASSESSMENTS = {FOR: "有利于容错", AGAINST: "不利于容错"}


class CareRuleError(ValueError):
    """A step the rules refuse; the message is for the user (Chinese)."""


def stage_deadline(stage: str, started_on: date, rectify_by: date | None = None) -> date | None:
    """The last day of a stage that began on `started_on` (None: the stage has no deadline)."""
    if stage == RECTIFYING:
        return rectify_by
    days = STAGE_DAYS.get(stage)
    return started_on + timedelta(days=days) if days is not None else None


def is_late(stage: str, deadline: date | None, today: date) -> bool:
    """Overdue: an open stage after its last day."""
    return stage in OPEN_STAGES and deadline is not None and today > deadline


def next_stage(kind: str, decision: str, rectification_ordered: bool) -> str:
    """Where a case goes once decided."""
    if decision not in DECISIONS_BY_KIND.get(kind, ()):
        raise CareRuleError(f"“{KINDS.get(kind, kind)}”不能作出“{DECISIONS.get(decision, decision)}”的决定。")
    if decision not in FAVOURABLE:
        return CLOSED
    return RECTIFYING if rectification_ordered and kind == TOLERANCE else PROTECTING


def check_decision(kind: str, decision: str, factors: dict[str, str], decided_on: date,
                   rectify_by: date | None) -> None:
    """The rules a decision must meet (CareRuleError names the first one broken):
    - every one of the six circumstances is assessed (会商研判 before 作出决定);
    - 予以容错 or 从轻减轻 only when the motive speaks for it: 容错 is for those who acted for the
      enterprise's development, not for their own gain (不搞利益输送, 三个区分开来);
    - a rectification date, when ordered, lies after the decision and at most 180 days on."""
    if decision not in DECISIONS_BY_KIND.get(kind, ()):
        raise CareRuleError(f"“{KINDS.get(kind, kind)}”不能作出“{DECISIONS.get(decision, decision)}”的决定。")
    missing = [label for key, label in FACTORS.items() if factors.get(key) not in ASSESSMENTS]
    if missing:
        raise CareRuleError("会商研判须逐项研判：" + "、".join(missing) + "尚未研判。")
    if kind == TOLERANCE and decision in FAVOURABLE and factors["motive"] == AGAINST:
        raise CareRuleError("动机态度不利于容错（如谋取私利、利益输送）的，不得予以容错或从轻处理。")
    if rectify_by is not None:
        if kind != TOLERANCE or decision not in FAVOURABLE:
            raise CareRuleError("只有予以容错或从轻处理的决定才责令纠错整改。")
        if rectify_by <= decided_on:
            raise CareRuleError("整改期限应晚于决定日期。")
        if rectify_by > decided_on + timedelta(days=RECTIFY_MAX_DAYS):
            raise CareRuleError(f"整改期限最长为决定之日起 {RECTIFY_MAX_DAYS} 天。")


# -- 涉企案件评查 -----------------------------------------------------------------------------------
# The causes the seed names for leniency ("因缺乏经验、政策调整、市场变化、不可抗力等因素").
LENIENCY_CAUSES: dict[str, str] = {
    "inexperience": "缺乏经验", "policy": "政策调整", "market": "市场变化", "force_majeure": "不可抗力",
}


def leniency_applies(minor: bool, major_loss: bool, causes) -> bool:
    """涉企案件评查: 从轻、减轻或免于处罚 is recommended for a minor breach (轻微触犯法律法规) that caused no
    major loss or impact (未造成重大损失和影响) and arose from one of the seed's causes."""
    return bool(minor and not major_loss and set(causes) & set(LENIENCY_CAUSES))


# -- 政治督察: problems and the periodic circular ---------------------------------------------------
@dataclass(frozen=True)
class ProblemFacts:
    unit: str                  # the inspected organ (unit code)
    found_on: date
    rectify_by: date
    rectified_on: date | None  # the day the rectification was accepted (None: not yet)


@dataclass(frozen=True)
class UnitCount:
    unit: str
    found: int           # problems found in the period
    rectified: int       # of all the unit's problems: rectified in the period, by the deadline
    rectified_late: int  # rectified in the period after the deadline
    open: int            # not rectified at the period's end
    overdue: int         # of those, past the deadline at the period's end


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if not 1 <= quarter <= 4:
        raise CareRuleError("季度应为 1–4。")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - timedelta(days=1)
    return start, end


def circular_counts(problems, start: date, end: date) -> list[UnitCount]:
    """Per inspected unit (sorted by code): what the circular of the period start … end reports.
    A problem counts for a unit when it was found by the period's end."""
    by_unit: dict[str, list[int]] = {}
    for p in problems:
        if p.found_on > end:
            continue
        row = by_unit.setdefault(p.unit, [0, 0, 0, 0, 0])
        if start <= p.found_on:
            row[0] += 1
        done = p.rectified_on is not None and p.rectified_on <= end
        if done and p.rectified_on >= start:
            row[1 if p.rectified_on <= p.rectify_by else 2] += 1
        if not done:
            row[3] += 1
            if end > p.rectify_by:
                row[4] += 1
    return [UnitCount(unit, *counts) for unit, counts in sorted(by_unit.items())]


# -- honours: who may be on the excellent-entrepreneur list ----------------------------------------
SERIOUS_WINDOW_YEARS = 3


@dataclass(frozen=True)
class CandidateFacts:
    """What the eligibility rule needs to know of a proposed enterprise, gathered on the check day."""

    in_business: bool
    tax_previous_year: Decimal | None          # local retained tax (地方留成) of the list's year − 1
    grade: str | None                          # A/B/C in the published grading in force (None: not graded)
    serious_records: tuple[tuple[date, str], ...] = ()  # (date, what) of `serious` enforcement records
    bars: tuple[str, ...] = ()                 # flags barring honours in force (失信, 逃废债 …), as text


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...]  # why not (empty when eligible)


def serious_window(on: date) -> tuple[date, date]:
    """Serious violations count when dated in the 3 years up to the check day: from the same day three
    years earlier to the check day, both included (the grading module's 近三年)."""
    return add_years(on, -SERIOUS_WINDOW_YEARS), on


def check_eligibility(facts: CandidateFacts, year: int, on: date) -> Eligibility:
    """The excellent-entrepreneur list of `year`, checked on `on`. Excluded (every reason is given):
    - not in business (注销/吊销);
    - no local retained tax paid in year − 1 (no record, or zero): 纳税贡献 is the seed's first test;
    - graded C in the published grading in force on the check day (免检免扰 C 类);
    - a `serious` enforcement record dated within the 3-year window;
    - any flag that bars honours (a 失信被执行人 entry, the evasion blacklist, bankruptcy lists …)."""
    reasons: list[str] = []
    if not facts.in_business:
        reasons.append("企业不在存续状态")
    if facts.tax_previous_year is None or facts.tax_previous_year <= 0:
        reasons.append(f"{year - 1}年度无地方留成税收（未纳税）")
    if facts.grade == "C":
        reasons.append("免检免扰评级为C类（已公布名单）")
    first, last = serious_window(on)
    for day, what in sorted(facts.serious_records):
        if first <= day <= last:
            reasons.append(f"{day.isoformat()} 严重违法：{what}")
    reasons.extend(facts.bars)
    return Eligibility(not reasons, tuple(reasons))


# -- green channel: periodic evaluation of each unit's service ---------------------------------------
NO_SPECIALIST_POINTS = 20
LATE_RULES_POINTS = 10
LATE_FEEDBACK_POINTS = 10
DISSATISFIED_POINTS = 5
GRADES: dict[str, str] = {"good": "好", "fair": "较好", "average": "一般", "poor": "较差"}
GRADE_FLOORS = (("good", 90), ("fair", 75), ("average", 60))
CIRCULATED = frozenset({"average", "poor"})  # 评估情况一般或者较差的进行通报整改


@dataclass(frozen=True)
class UnitServiceFacts:
    has_specialist: bool   # the unit has a 服务专员
    late_rules: int        # implementation rules (实施细则) published after their deadline, or still due and late
    late_feedback: int     # problem reports (问题反馈) concluded after their deadline, or open past it
    dissatisfied: int      # 不满意 ratings of handled reports


def service_score(facts: UnitServiceFacts) -> int:
    """100 less 20 without a 服务专员, 10 per late implementation rules, 10 per late problem report and
    5 per 不满意 rating; never below 0."""
    if min(facts.late_rules, facts.late_feedback, facts.dissatisfied) < 0:
        raise CareRuleError("counts cannot be negative")
    lost = (0 if facts.has_specialist else NO_SPECIALIST_POINTS) + LATE_RULES_POINTS * facts.late_rules \
        + LATE_FEEDBACK_POINTS * facts.late_feedback + DISSATISFIED_POINTS * facts.dissatisfied
    return max(0, 100 - lost)


def service_grade(score: int) -> str:
    """≥ 90 好, ≥ 75 较好, ≥ 60 一般, below 较差."""
    for grade, floor in GRADE_FLOORS:
        if score >= floor:
            return grade
    return "poor"


# Deadlines of the green channel's and 政法委's matters (calendar days).
FEEDBACK_FORWARD_DAYS = 2    # 人才办/工信局 hand a problem report to the unit "第一时间": within 2 days
FEEDBACK_HANDLE_DAYS = 10    # the unit 查明并及时解决 within 10 days of receiving it
RULES_DAYS = 30              # 实施细则 of a newly approved service, published and filed within 30 days
CIRCULAR_RECTIFY_DAYS = 30   # 通报整改 after a poor evaluation
REVIEW_RECTIFY_DAYS = 30     # 督促 after a case review (评查)
PROBLEM_RECTIFY_DAYS = 30    # default 限期整改 of a political-inspection problem
PROBLEM_MAX_DAYS = 180


def was_late(deadline: date | None, concluded_on: date | None, as_of: date) -> bool:
    """A matter counts as late in an evaluation made on `as_of` when it was concluded after its
    deadline, or is still not concluded and `as_of` is past the deadline."""
    if deadline is None:
        return False
    if concluded_on is not None:
        return concluded_on > deadline
    return as_of > deadline
