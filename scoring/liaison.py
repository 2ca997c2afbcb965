"""Leader liaison (市级领导担任服务重点企业联络员) and 站台 invitations: the rules.

Pure: the standard library only (and `scoring.taxpayers`, itself pure). The web app
(govsvc.care) calls these functions; the tests check them with the seed's dates and lists.

Rules (seed 002, "建立市级领导担任服务重点企业联络员" and "各级干部大胆为企业'站台'"):

* Served list (联系服务对象): the tax top-200 of the year (上年末地方留成, groups ranked as one and
  represented by the head enterprise: `scoring.taxpayers.rank_taxpayers`) plus 30 new-format
  (新业态) enterprises. The 30 are chosen by one written rule: enterprises flagged new-format, in
  business, not on the top-200 list and not members of a group on it, ranked by their own local
  retained tax of the same year (no record counts as 0), descending, ties by credit code; the
  first 30. Fewer candidates: all of them, and the shortfall is reported.
* A group on the top-200 list is served as one: its other members are covered by the leader who
  serves the head enterprise (entries of source `member`).
* No enterprise is served by both a city leader and a county leader (原则上不重复); a county
  leader serves enterprises of his own county only; one leader per enterprise and level.
* County coverage (规模以上企业联系服务全覆盖): every above-scale enterprise in business of a
  county is served, by the city list (itself or through its group) or by a county leader of
  that county; the rest are gaps.
* Dates (the seed's 完成时限, year Y of the list): served list by 10-15 (10月中旬), the leaders'
  division of enterprises (分工名单) by 10-20, direct contact with every served enterprise's head
  (见面、交换联系方式、建立微信群) by 10-31, counties' plans filed with the office (备案) by 10-20,
  the counties' 站台 contact telephone by 10-15. "By" includes the day.
* Appeals (诉求) climb three levels: the liaison leader → the 重点企业联络员办公室 (at 工信局) →
  市委/市政府; each level has its own deadline from the day the appeal reaches it.
* Invitations: the enterprise served by the invited leader invites directly (不再走邀请流程); every
  other invitation is screened by 工信局 (企业提出、确有必要) and routed with a numbered 邀请单.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from scoring.taxpayers import RankedTaxpayer

TOP_N = 200
NEW_FORMAT_N = 30

# -- the seed's calendar ---------------------------------------------------------------------
LIST_DUE = "list"                 # 联系服务对象名单确定（10月中旬）
ASSIGNMENT_DUE = "assignment"     # 市级领导联系服务重点企业分工名单（10月20日）
CONTACT_DUE = "contact"           # 建立直接联系（10月31日）
COUNTY_PLAN_DUE = "county_plan"   # 区县落实方案交联络员办公室备案（10月20日）
HOTLINE_DUE = "hotline"           # 区县参加企业活动服务联系电话、专人负责（10月中旬）
DUE_DAYS = {LIST_DUE: (10, 15), ASSIGNMENT_DUE: (10, 20), CONTACT_DUE: (10, 31), COUNTY_PLAN_DUE: (10, 20),
            HOTLINE_DUE: (10, 15)}
DUE_LABELS = {LIST_DUE: "确定联系服务对象名单", ASSIGNMENT_DUE: "形成分工名单", CONTACT_DUE: "与企业主要负责人建立直接联系",
              COUNTY_PLAN_DUE: "区县落实方案备案", HOTLINE_DUE: "区县设立服务企业活动联系电话"}

ON_TIME, LATE, PENDING, OVERDUE = "on_time", "late", "pending", "overdue"
TIMELINESS_LABELS = {ON_TIME: "按时", LATE: "逾期完成", PENDING: "未到期", OVERDUE: "已逾期未完成"}


def due_date(kind: str, year: int) -> date:
    month, day = DUE_DAYS[kind]
    return date(year, month, day)


def timeliness(done_on: date | None, due: date, today: date) -> str:
    """`on_time` when done by the due day (inclusive), `late` when done after it; not done yet:
    `pending` until the due day has passed, then `overdue`."""
    if done_on is not None:
        return ON_TIME if done_on <= due else LATE
    return OVERDUE if today > due else PENDING


def list_year(today: date) -> int:
    """The list year in force on a day: a year's list is made in October of that year (tax of the
    year before); until October the previous year's list serves."""
    return today.year if today.month >= 10 else today.year - 1


# -- the served list -------------------------------------------------------------------------
TAX, NEW_FORMAT, MEMBER = "tax", "new_format", "member"
SOURCE_LABELS = {TAX: "纳税200强", NEW_FORMAT: "新业态", MEMBER: "集团成员（随集团联系）"}


@dataclass(frozen=True)
class Candidate:
    """An enterprise of the registry as the list sees it."""
    enterprise_id: int
    credit_code: str
    group: str            # "" when in no group
    new_format: bool
    in_business: bool
    amount: Decimal       # its own local retained tax of the ranking year (0 without a record)


@dataclass(frozen=True)
class ServedEntry:
    enterprise_id: int
    source: str           # TAX, NEW_FORMAT or MEMBER
    rank: int             # tax rank 1..200, new-format order 1..30; a member: its head's tax rank
    group: str
    amount: Decimal       # TAX: the group's or enterprise's total; NEW_FORMAT: own; MEMBER: own
    via: int | None = None  # MEMBER: the enterprise (group head) that stands for it


def pick_new_format(candidates: Iterable[Candidate], top: Sequence[RankedTaxpayer],
                    n: int = NEW_FORMAT_N) -> list[Candidate]:
    """The new-format enterprises of the list, in order (see the module docstring)."""
    if n < 0:
        raise ValueError("n must be non-negative")
    top_ids = {t.enterprise_id for t in top}
    top_groups = {t.group for t in top if t.group}
    eligible = [c for c in candidates if c.new_format and c.in_business and c.enterprise_id not in top_ids
                and not (c.group and c.group in top_groups)]
    eligible.sort(key=lambda c: (-c.amount, c.credit_code))
    return eligible[:n]


def compose(top: Sequence[RankedTaxpayer], candidates: Iterable[Candidate],
            n_new: int = NEW_FORMAT_N) -> list[ServedEntry]:
    """The served list: the top entries, the new-format picks, then the other members (in
    business) of the groups on the top list, covered through their head."""
    candidates = list(candidates)
    entries = [ServedEntry(t.enterprise_id, TAX, t.rank, t.group, t.total) for t in top]
    picks = pick_new_format(candidates, top, n_new)
    entries += [ServedEntry(c.enterprise_id, NEW_FORMAT, i, c.group, c.amount) for i, c in enumerate(picks, 1)]
    heads = {t.group: t for t in top if t.group}
    taken = {e.enterprise_id for e in entries}
    members = sorted((c for c in candidates if c.group in heads and c.in_business and c.enterprise_id not in taken),
                     key=lambda c: (heads[c.group].rank, c.credit_code))
    entries += [ServedEntry(c.enterprise_id, MEMBER, heads[c.group].rank, c.group, c.amount,
                            via=heads[c.group].enterprise_id) for c in members]
    return entries


# -- assignments (分工名单) and their checks ---------------------------------------------------
CITY, COUNTY = "city", "county"
LEVEL_LABELS = {CITY: "市级领导", COUNTY: "区县领导"}


@dataclass(frozen=True)
class Assignment:
    enterprise_id: int
    leader_id: int
    level: str            # CITY or COUNTY
    district: str = ""    # COUNTY: the leader's county


@dataclass(frozen=True)
class Problem:
    kind: str
    enterprise_id: int
    leader_id: int
    message: str


NOT_SERVED, OVERLAP, WRONG_DISTRICT, DUPLICATE, MEMBER_ASSIGNED = (
    "not_served", "overlap", "wrong_district", "duplicate", "member_assigned")
PROBLEM_LABELS = {
    NOT_SERVED: "不在市级联系服务对象名单内",
    OVERLAP: "同时由市级领导和区县领导联系",
    WRONG_DISTRICT: "区县领导联系了本区县以外的企业",
    DUPLICATE: "同一层级已有联系领导",
    MEMBER_ASSIGNED: "集团成员随集团母公司联系，不单独分工",
}


def check_assignments(assignments: Iterable[Assignment], served: Iterable[ServedEntry],
                      districts: Mapping[int, str]) -> list[Problem]:
    """Every broken rule among these assignments (in their order). `served` is the year's list
    (members included), `districts` the enterprises' counties."""
    served = list(served)
    listed = {e.enterprise_id for e in served if e.source != MEMBER}
    covered = {e.enterprise_id for e in served}
    problems: list[Problem] = []
    seen: dict[tuple[int, str], int] = {}
    for a in assignments:
        kinds = []
        if seen.setdefault((a.enterprise_id, a.level), a.leader_id) != a.leader_id:
            kinds.append(DUPLICATE)
        if a.level == CITY:
            if a.enterprise_id not in covered:
                kinds.append(NOT_SERVED)
            elif a.enterprise_id not in listed:
                kinds.append(MEMBER_ASSIGNED)
        else:
            if a.enterprise_id in covered:
                kinds.append(OVERLAP)
            if districts.get(a.enterprise_id, "") != a.district:
                kinds.append(WRONG_DISTRICT)
        problems += [Problem(k, a.enterprise_id, a.leader_id, PROBLEM_LABELS[k]) for k in kinds]
    return problems


def unassigned(served: Iterable[ServedEntry], assignments: Iterable[Assignment]) -> list[int]:
    """Listed enterprises (tax and new-format) without a city leader, in list order."""
    city = {a.enterprise_id for a in assignments if a.level == CITY}
    return [e.enterprise_id for e in served if e.source != MEMBER and e.enterprise_id not in city]


@dataclass(frozen=True)
class CountyEnterprise:
    enterprise_id: int
    district: str
    above_scale: bool
    in_business: bool


@dataclass
class DistrictCoverage:
    district: str
    total: int = 0          # above-scale enterprises in business
    by_city: int = 0        # served by the city list (itself or through its group)
    by_county: int = 0      # served by a county leader of the district
    overlaps: int = 0       # served by both (a broken rule)
    gaps: list[int] = field(default_factory=list)  # served by nobody, by enterprise id

    @property
    def covered(self) -> int:
        return self.total - len(self.gaps)

    @property
    def complete(self) -> bool:
        return not self.gaps


def county_coverage(enterprises: Iterable[CountyEnterprise], city_covered: Iterable[int],
                    county_assigned: Mapping[int, str], districts: Iterable[str] = ()) -> list[DistrictCoverage]:
    """Coverage of the above-scale enterprises in business, per county (sorted by name; every
    county of `districts` appears even without enterprises). `county_assigned`: enterprise id →
    the county of the county leader serving it (a leader of another county does not cover it)."""
    city = set(city_covered)
    report = {d: DistrictCoverage(d) for d in districts}
    for e in sorted(enterprises, key=lambda e: e.enterprise_id):
        if not (e.above_scale and e.in_business):
            continue
        row = report.setdefault(e.district, DistrictCoverage(e.district))
        row.total += 1
        by_city = e.enterprise_id in city
        by_county = county_assigned.get(e.enterprise_id) == e.district
        row.by_city += by_city
        row.by_county += by_county
        row.overlaps += by_city and by_county
        if not (by_city or by_county):
            row.gaps.append(e.enterprise_id)
    return [report[d] for d in sorted(report)]


def direct_contact(assignments: Iterable[tuple[int, int]], first_meetings: Mapping[tuple[int, int], date],
                   year: int, today: date) -> dict[tuple[int, int], str]:
    """Timeliness of the direct contact (见面建联) of each (enterprise, leader) assignment of the
    year: the first meeting on or before 10-31 is on time."""
    due = due_date(CONTACT_DUE, year)
    return {pair: timeliness(first_meetings.get(pair), due, today) for pair in assignments}


# -- appeals (诉求) --------------------------------------------------------------------------
LEADER_LEVEL, OFFICE_LEVEL, CITY_LEVEL = "leader", "office", "city"
APPEAL_LEVELS = (LEADER_LEVEL, OFFICE_LEVEL, CITY_LEVEL)
APPEAL_LEVEL_LABELS = {LEADER_LEVEL: "联系领导协调", OFFICE_LEVEL: "重点企业联络员办公室统筹", CITY_LEVEL: "市委、市政府协调"}
# Days each level has to settle an appeal, from the day it reaches that level (calendar days).
APPEAL_DAYS = {LEADER_LEVEL: 15, OFFICE_LEVEL: 15, CITY_LEVEL: 30}


def next_level(level: str) -> str | None:
    index = APPEAL_LEVELS.index(level)
    return APPEAL_LEVELS[index + 1] if index + 1 < len(APPEAL_LEVELS) else None


def appeal_deadline(level: str, reached_on: date) -> date:
    return reached_on + timedelta(days=APPEAL_DAYS[level])


# -- 站台 invitations --------------------------------------------------------------------------
ACTIVITY_KINDS = {
    "talent": "招才引智",
    "investment": "招商引资",
    "project": "重大项目洽谈、论证、签约",
    "guests": "重要客商接待",
    "financing": "企业融资",
    "cooperation": "对外合作",
    "brand": "品牌打造",
    "promotion": "产品推介",
    "other": "其他必要的服务企业活动",
}
DIRECT, SCREENING = "direct", "screening"
ROUTE_LABELS = {DIRECT: "联系企业直接邀请", SCREENING: "工信局筛选、填报邀请单"}

# Invitation states and who moves them (the service checks the who).
SCREEN, SCREENED_OUT, AWAITING, ACCEPTED, DECLINED, ATTENDED, CANCELLED = (
    "screening", "screened_out", "awaiting", "accepted", "declined", "attended", "cancelled")
INVITATION_STATES = {
    SCREEN: "待工信局筛选",
    SCREENED_OUT: "未予安排",
    AWAITING: "待领导确认",
    ACCEPTED: "领导确认出席",
    DECLINED: "领导不能出席",
    ATTENDED: "领导已出席",
    CANCELLED: "已撤销",
}
INVITATION_MOVES = {
    SCREEN: (AWAITING, SCREENED_OUT, CANCELLED),
    AWAITING: (ACCEPTED, DECLINED, CANCELLED),
    ACCEPTED: (ATTENDED, CANCELLED),
    SCREENED_OUT: (), DECLINED: (), ATTENDED: (), CANCELLED: (),
}
FINAL_STATES = frozenset(s for s, moves in INVITATION_MOVES.items() if not moves)


def route(invited_leader_id: int | None, liaison_leader_id: int | None) -> str:
    """A liaison leader's own enterprise invites him directly; everything else is screened."""
    if invited_leader_id is not None and invited_leader_id == liaison_leader_id:
        return DIRECT
    return SCREENING


def first_state(route_: str) -> str:
    return AWAITING if route_ == DIRECT else SCREEN


def can_move(state: str, target: str) -> bool:
    return target in INVITATION_MOVES.get(state, ())


def check_activity_day(activity_on: date, today: date) -> str | None:
    """An invitation is for an activity still to come (the day itself included)."""
    return "活动日期不能早于今天。" if activity_on < today else None


def attendance_open(activity_on: date, today: date) -> bool:
    """Attendance is recorded on or after the activity's day."""
    return today >= activity_on


def invitation_number(year: int, seq: int) -> str:
    """The 邀请单's number, per year: 站台邀〔2026〕0001号."""
    return f"站台邀〔{year}〕{seq:04d}号"
