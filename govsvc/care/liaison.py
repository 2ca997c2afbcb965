"""Leader liaison (联络员制度): the yearly served list, the leaders' division of enterprises
(分工名单, city and county), the coverage of the counties' above-scale enterprises, and the
enterprise's liaison leader as other pages see it. Rules in `scoring.liaison`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from govsvc import audit
from govsvc.care.liaison_access import CareError, NotAllowed, require_county, require_office
from govsvc.care.models import LeaderProfile, LiaisonAssignment, LiaisonList, ServedEnterprise
from govsvc.extensions import db
from govsvc.registry.models import Enterprise, TaxRecord, Unit
from govsvc.registry.service import top_taxpayers
from govsvc.timeutil import local_today, utcnow
from scoring import liaison as core


# -- the served list ---------------------------------------------------------------------------
def get_list(year: int) -> LiaisonList | None:
    return db.session.scalar(select(LiaisonList).where(LiaisonList.year == year))


def current_list(today: date | None = None) -> LiaisonList | None:
    """The latest list in force (confirmed or published) up to the list year of today."""
    year = core.list_year(today or local_today())
    return db.session.scalar(select(LiaisonList).where(LiaisonList.year <= year, LiaisonList.status != "draft")
                             .order_by(LiaisonList.year.desc()).limit(1))


def current_year(today: date | None = None) -> int:
    lst = current_list(today)
    return lst.year if lst else core.list_year(today or local_today())


def _candidates(tax_year: int, top_groups: set[str]) -> list[core.Candidate]:
    """New-format enterprises and the members of the top groups, with their own tax of the year."""
    cond = Enterprise.new_format.is_(True)
    if top_groups:
        cond = or_(cond, Enterprise.group_name.in_(sorted(top_groups)))
    rows = db.session.execute(
        select(Enterprise.id, Enterprise.credit_code, Enterprise.group_name, Enterprise.new_format, Enterprise.status,
               TaxRecord.local_retained)
        .outerjoin(TaxRecord, and_(TaxRecord.enterprise_id == Enterprise.id, TaxRecord.year == tax_year))
        .where(cond))
    return [core.Candidate(r.id, r.credit_code, r.group_name or "", bool(r.new_format), r.status == "存续",
                           r.local_retained if r.local_retained is not None else Decimal(0)) for r in rows]


def compose_list(user, year: int) -> LiaisonList:
    """(Re)compose a year's draft list from the registry: top-200 by the tax of year − 1, 30 new-format."""
    require_office(user)
    lst = get_list(year)
    if lst is not None and lst.status != "draft":
        raise CareError(f"{year}年名单已确定，不能重新生成。", "year")
    ranked = [r for r, _ in top_taxpayers(year, core.TOP_N)]
    if not ranked:
        raise CareError(f"登记库中没有{year - 1}年度的纳税记录，无法生成{year}年名单。", "year")
    entries = core.compose(ranked, _candidates(year - 1, {r.group for r in ranked if r.group}))
    if lst is None:
        lst = LiaisonList(year=year, tax_year=year - 1)
        db.session.add(lst)
        db.session.flush()
    else:
        db.session.execute(ServedEnterprise.__table__.delete().where(ServedEnterprise.list_id == lst.id))
        lst.composed_at = utcnow()
    picked = sum(1 for e in entries if e.source == core.NEW_FORMAT)
    lst.new_format_shortfall = core.NEW_FORMAT_N - picked
    db.session.execute(ServedEnterprise.__table__.insert(), [
        {"list_id": lst.id, "enterprise_id": e.enterprise_id, "source": e.source, "rank": e.rank,
         "group_name": e.group, "amount": e.amount, "via_enterprise_id": e.via} for e in entries])
    db.session.flush()
    audit.record("care.list.compose", target=f"care_list:{lst.year}",
                 detail={"tax": len(ranked), "new_format": picked, "members": len(entries) - len(ranked) - picked})
    return lst


def confirm_list(user, lst: LiaisonList) -> None:
    require_office(user)
    if lst.status != "draft":
        raise CareError("名单已确定。")
    lst.status, lst.confirmed_at, lst.confirmed_by_id = "confirmed", utcnow(), user.id
    db.session.flush()
    audit.record("care.list.confirm", target=f"care_list:{lst.year}")


def publish_assignments(user, lst: LiaisonList) -> None:
    """印发分工名单: every listed enterprise has its city leader."""
    require_office(user)
    if lst.status != "confirmed":
        raise CareError("名单确定后才能印发分工名单。" if lst.status == "draft" else "分工名单已印发。")
    missing = unassigned_count(lst)
    if missing:
        raise CareError(f"还有 {missing} 家企业未明确联系领导，不能印发分工名单。", "confirm")
    lst.status, lst.published_at, lst.published_by_id = "published", utcnow(), user.id
    db.session.flush()
    audit.record("care.list.publish", target=f"care_list:{lst.year}")


def served_entries(lst: LiaisonList) -> list[core.ServedEntry]:
    rows = db.session.execute(select(ServedEnterprise.enterprise_id, ServedEnterprise.source, ServedEnterprise.rank,
                                     ServedEnterprise.group_name, ServedEnterprise.amount,
                                     ServedEnterprise.via_enterprise_id).where(ServedEnterprise.list_id == lst.id))
    return [core.ServedEntry(*r) for r in rows]


def _city_assignment_join(year: int):
    return and_(LiaisonAssignment.enterprise_id == ServedEnterprise.enterprise_id, LiaisonAssignment.year == year,
                LiaisonAssignment.level == core.CITY)


def unassigned_count(lst: LiaisonList) -> int:
    return db.session.scalar(
        select(func.count()).select_from(ServedEnterprise)
        .outerjoin(LiaisonAssignment, _city_assignment_join(lst.year))
        .where(ServedEnterprise.list_id == lst.id, ServedEnterprise.source != core.MEMBER,
               LiaisonAssignment.id.is_(None)))


def source_counts(lst: LiaisonList) -> dict[str, int]:
    return dict(db.session.execute(select(ServedEnterprise.source, func.count()).where(ServedEnterprise.list_id == lst.id)
                                   .group_by(ServedEnterprise.source)).all())


def entries_query(lst: LiaisonList, *, q: str = "", source: str = "", district: str = "", assigned: str = "",
                  leader_id: int | None = None):
    """Rows (entry, enterprise, assignment or None) of a list, tax entries first by rank."""
    stmt = (select(ServedEnterprise, Enterprise, LiaisonAssignment)
            .join(Enterprise, Enterprise.id == ServedEnterprise.enterprise_id)
            .outerjoin(LiaisonAssignment, _city_assignment_join(lst.year))
            .where(ServedEnterprise.list_id == lst.id))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper()),
                              Enterprise.group_name.ilike(like)))
    if source:
        stmt = stmt.where(ServedEnterprise.source == source)
    if district:
        stmt = stmt.where(Enterprise.district == district)
    if assigned == "1":
        stmt = stmt.where(LiaisonAssignment.id.is_not(None))
    elif assigned == "0":
        stmt = stmt.where(LiaisonAssignment.id.is_(None), ServedEnterprise.source != core.MEMBER)
    if leader_id:
        stmt = stmt.where(LiaisonAssignment.leader_id == leader_id)
    order = {core.TAX: 0, core.NEW_FORMAT: 1, core.MEMBER: 2}
    return stmt.order_by(case(order, value=ServedEnterprise.source), ServedEnterprise.rank, Enterprise.credit_code)


# -- assignments -------------------------------------------------------------------------------
def _raise_problems(problems: list[core.Problem], field: str = "enterprise") -> None:
    if problems:
        raise CareError("；".join(dict.fromkeys(p.message for p in problems)) + "。", field)


def _save_assignment(user, *, year: int, level: str, enterprise: Enterprise, leader: LeaderProfile,
                     note: str) -> LiaisonAssignment:
    existing = db.session.scalar(select(LiaisonAssignment).where(
        LiaisonAssignment.year == year, LiaisonAssignment.level == level,
        LiaisonAssignment.enterprise_id == enterprise.id))
    before = existing.leader_id if existing else None
    if existing is None:
        existing = LiaisonAssignment(year=year, level=level, enterprise_id=enterprise.id)
        db.session.add(existing)
    existing.leader_id, existing.note = leader.id, note.strip()
    existing.district = leader.district if level == core.COUNTY else ""
    existing.assigned_at, existing.assigned_by_id = utcnow(), user.id
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise CareError("该企业刚刚已由他人分工，请刷新后再试。", "enterprise") from None
    audit.record("care.assignment.save", target=f"enterprise:{enterprise.id}",
                 detail={"year": year, "level": level, "leader": leader.id, "before": before})
    return existing


def assign_city(user, lst: LiaisonList, enterprise: Enterprise, leader: LeaderProfile, note: str = "") -> LiaisonAssignment:
    require_office(user)
    if lst.status == "draft":
        raise CareError("请先确定联系服务对象名单，再分工。", "enterprise")
    if leader.level != core.CITY or not leader.active:
        raise CareError("请选择在职的市级领导。", "leader")
    entry = db.session.scalar(select(ServedEnterprise).where(ServedEnterprise.list_id == lst.id,
                                                             ServedEnterprise.enterprise_id == enterprise.id))
    served = [core.ServedEntry(entry.enterprise_id, entry.source, entry.rank, entry.group_name, entry.amount,
                               entry.via_enterprise_id)] if entry else []
    _raise_problems(core.check_assignments([core.Assignment(enterprise.id, leader.id, core.CITY)], served, {}))
    return _save_assignment(user, year=lst.year, level=core.CITY, enterprise=enterprise, leader=leader, note=note)


def assign_county(user, year: int, enterprise: Enterprise, leader: LeaderProfile, note: str = "") -> LiaisonAssignment:
    unit = require_county(user)
    if leader.level != core.COUNTY or leader.office_id != unit.id or not leader.active:
        raise CareError("请选择本区县在职的县级领导。", "leader")
    lst = get_list(year)
    served = []
    if lst is not None and lst.status != "draft":
        entry = db.session.scalar(select(ServedEnterprise).where(ServedEnterprise.list_id == lst.id,
                                                                 ServedEnterprise.enterprise_id == enterprise.id))
        if entry is not None:
            served = [core.ServedEntry(entry.enterprise_id, entry.source, entry.rank, entry.group_name, entry.amount)]
    problems = core.check_assignments([core.Assignment(enterprise.id, leader.id, core.COUNTY, leader.district)],
                                      served, {enterprise.id: enterprise.district})
    _raise_problems(problems)
    return _save_assignment(user, year=year, level=core.COUNTY, enterprise=enterprise, leader=leader, note=note)


def remove_county_assignment(user, assignment: LiaisonAssignment) -> None:
    unit = require_county(user)
    if assignment.level != core.COUNTY or assignment.leader.office_id != unit.id:
        raise NotAllowed("another county's assignment")
    audit.record("care.assignment.remove", target=f"enterprise:{assignment.enterprise_id}",
                 detail={"year": assignment.year, "level": assignment.level, "leader": assignment.leader_id})
    db.session.delete(assignment)
    db.session.flush()


# -- county coverage ---------------------------------------------------------------------------
def county_districts() -> list[str]:
    return list(db.session.scalars(select(Unit.district).where(Unit.code.like("ZF-%"), Unit.level == "county",
                                                               Unit.district != "").order_by(Unit.district)))


def _city_covered_ids(year: int) -> set[int]:
    lst = get_list(year)
    if lst is None or lst.status == "draft":
        return set()
    return set(db.session.scalars(select(ServedEnterprise.enterprise_id).where(ServedEnterprise.list_id == lst.id)))


def coverage(year: int, district: str | None = None) -> list[core.DistrictCoverage]:
    """The coverage report of every county (or one)."""
    stmt = select(Enterprise.id, Enterprise.district).where(Enterprise.above_scale.is_(True), Enterprise.status == "存续")
    county = select(LiaisonAssignment.enterprise_id, LiaisonAssignment.district).where(
        LiaisonAssignment.year == year, LiaisonAssignment.level == core.COUNTY)
    if district is not None:
        stmt = stmt.where(Enterprise.district == district)
        county = county.where(LiaisonAssignment.district == district)
    enterprises = [core.CountyEnterprise(r.id, r.district or "", True, True) for r in db.session.execute(stmt)]
    return core.county_coverage(enterprises, _city_covered_ids(year), dict(db.session.execute(county).all()),
                                [district] if district is not None else county_districts())


GAP, BY_CITY, BY_COUNTY, OVERLAP = "gap", "city", "county", "overlap"
COVERAGE_STATES = {GAP: "未联系（缺口）", BY_CITY: "市级领导联系", BY_COUNTY: "县级领导联系", OVERLAP: "市县重复联系"}


def county_enterprises_query(year: int, district: str, *, q: str = "", state: str = ""):
    """Rows (enterprise, served entry or None, county assignment or None, city assignment or None) of
    a county's above-scale
    enterprises in business, with how each is served (the SQL form of core.county_coverage)."""
    lst = get_list(year)
    list_id = lst.id if lst is not None and lst.status != "draft" else -1
    city = aliased(LiaisonAssignment)
    stmt = (select(Enterprise, ServedEnterprise, LiaisonAssignment, city)
            .outerjoin(ServedEnterprise, and_(ServedEnterprise.enterprise_id == Enterprise.id,
                                              ServedEnterprise.list_id == list_id))
            .outerjoin(LiaisonAssignment, and_(LiaisonAssignment.enterprise_id == Enterprise.id,
                                               LiaisonAssignment.year == year, LiaisonAssignment.level == core.COUNTY,
                                               LiaisonAssignment.district == district))
            .outerjoin(city, and_(city.enterprise_id == func.coalesce(ServedEnterprise.via_enterprise_id, Enterprise.id),
                                  city.year == year, city.level == core.CITY, ServedEnterprise.id.is_not(None)))
            .where(Enterprise.district == district, Enterprise.above_scale.is_(True), Enterprise.status == "存续"))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper())))
    city, county = ServedEnterprise.id.is_not(None), LiaisonAssignment.id.is_not(None)
    stmt = stmt.where({GAP: and_(~city, ~county), BY_CITY: and_(city, ~county), BY_COUNTY: and_(~city, county),
                       OVERLAP: and_(city, county)}.get(state, True))
    return stmt.order_by(Enterprise.credit_code)


def coverage_state(entry, assignment) -> str:
    if entry is not None:
        return OVERLAP if assignment is not None else BY_CITY
    return BY_COUNTY if assignment is not None else GAP


# -- the enterprise's liaison leader -------------------------------------------------------------
@dataclass
class Liaison:
    leader: LeaderProfile
    level: str
    year: int
    via: Enterprise | None = None   # served through its group's head enterprise

    @property
    def text(self) -> str:
        via = f"（随集团“{self.via.name}”联系）" if self.via is not None else ""
        return f"{self.leader.label} · {self.leader.level_label}{via}"


def liaison_of(enterprise_id: int, today: date | None = None) -> Liaison | None:
    """The enterprise's city liaison leader in the current list (itself or through its group), or
    else its county leader of that year."""
    year = current_year(today)
    lst = current_list(today)
    if lst is not None:
        entry = db.session.scalar(select(ServedEnterprise).where(ServedEnterprise.list_id == lst.id,
                                                                 ServedEnterprise.enterprise_id == enterprise_id))
        if entry is not None:
            head = entry.via_enterprise_id or enterprise_id
            assignment = db.session.scalar(select(LiaisonAssignment).where(
                LiaisonAssignment.year == lst.year, LiaisonAssignment.level == core.CITY,
                LiaisonAssignment.enterprise_id == head))
            if assignment is not None:
                return Liaison(assignment.leader, core.CITY, lst.year, entry.via if entry.via_enterprise_id else None)
    assignment = db.session.scalar(select(LiaisonAssignment).where(
        LiaisonAssignment.year == year, LiaisonAssignment.level == core.COUNTY,
        LiaisonAssignment.enterprise_id == enterprise_id))
    return Liaison(assignment.leader, core.COUNTY, year) if assignment is not None else None


def leader_enterprises_query(leader: LeaderProfile, year: int):
    return (select(LiaisonAssignment).join(Enterprise, Enterprise.id == LiaisonAssignment.enterprise_id)
            .where(LiaisonAssignment.leader_id == leader.id, LiaisonAssignment.year == year)
            .order_by(Enterprise.name))


def serves(leader: LeaderProfile, enterprise_id: int, year: int | None = None) -> bool:
    """The leader serves the enterprise in the year (directly or as its group's leader)."""
    found = liaison_of(enterprise_id)
    return found is not None and found.leader.id == leader.id and (year is None or found.year == year)

