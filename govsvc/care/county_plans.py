"""The counties' own liaison plans (各区县参照市级做法 … 落实方案交市重点企业联络员工作办公室备案, by
10-20), with each county's 站台 telephone and responsible person (by 10-15). A county drafts and
submits; the office accepts (备案) or returns with a reason. Timeliness is judged on the day the
plan first reached the office; a later re-submission after a return keeps that day."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from govsvc import audit
from govsvc.care.liaison_access import CareError, NotAllowed, county_unit, require_county, require_office
from govsvc.care.models import CountyPlan
from govsvc.extensions import db
from govsvc.registry.models import Unit
from govsvc.timeutil import local_today, utcnow
from scoring import liaison as core

EDITABLE = frozenset({"draft", "returned"})


def plan_of(unit_id: int, year: int) -> CountyPlan | None:
    return db.session.scalar(select(CountyPlan).where(CountyPlan.unit_id == unit_id, CountyPlan.year == year))


def county_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.code.like("ZF-%"), Unit.level == "county")
                                   .order_by(Unit.code)))


def save_plan(user, plan: CountyPlan | None, *, year: int, title: str, content: str, hotline: str,
              hotline_person: str) -> CountyPlan:
    unit = require_county(user)
    errors = {}
    if not title.strip():
        errors["title"] = "请填写方案名称。"
    if not content.strip():
        errors["content"] = "请填写方案内容（工作机制、联系分工、责任落实）。"
    if errors:
        raise CareError(next(iter(errors.values())), errors=errors)
    if plan is None:
        if plan_of(unit.id, year) is not None:
            raise CareError(f"本区县{year}年的方案已存在，请在原方案上修改。", "year")
        plan = CountyPlan(unit_id=unit.id, year=year, created_by_id=user.id, title="", content="")
        db.session.add(plan)
    elif plan.unit_id != unit.id:
        raise NotAllowed("another county's plan")
    elif plan.status not in EDITABLE:
        raise CareError("方案已报送，不能修改。")
    plan.title, plan.content = title.strip(), content.strip()
    plan.hotline, plan.hotline_person = hotline.strip(), hotline_person.strip()
    db.session.flush()
    audit.record("care.county_plan.save", target=f"care_county_plan:{plan.id}", detail={"year": year})
    return plan


def submit_plan(user, plan: CountyPlan) -> None:
    unit = require_county(user)
    if plan.unit_id != unit.id:
        raise NotAllowed("another county's plan")
    if plan.status not in EDITABLE:
        raise CareError("方案已报送。")
    if not plan.hotline.strip() or not plan.hotline_person.strip():
        raise CareError("报送前请填写本区县参加企业活动服务联系电话和负责人（专人负责）。", "hotline")
    now = utcnow()
    plan.status, plan.submitted_at = "submitted", now
    plan.first_submitted_at = plan.first_submitted_at or now
    db.session.flush()
    audit.record("care.county_plan.submit", target=f"care_county_plan:{plan.id}")


def review_plan(user, plan: CountyPlan, *, accept: bool, reason: str = "") -> None:
    require_office(user)
    if plan.status != "submitted":
        raise CareError("只能审核已报送的方案。")
    if not accept and not reason.strip():
        raise CareError("退回时请写明理由。", "reason")
    plan.status = "accepted" if accept else "returned"
    plan.return_reason = "" if accept else reason.strip()
    plan.reviewed_at, plan.reviewed_by_id = utcnow(), user.id
    db.session.flush()
    audit.record("care.county_plan.review", target=f"care_county_plan:{plan.id}", detail={"accept": accept})


def may_read(user, plan: CountyPlan) -> bool:
    unit = county_unit(user)
    return plan.unit_id == unit.id if unit is not None else True


def timeliness(plan: CountyPlan | None, year: int, today: date | None = None) -> str:
    return core.timeliness(plan.first_submitted_on if plan else None, core.due_date(core.COUNTY_PLAN_DUE, year),
                           today or local_today())


def overview(year: int, today: date | None = None) -> list[tuple[Unit, CountyPlan | None, str]]:
    """Every county with its plan of the year (or none) and whether it was filed on time."""
    plans = {p.unit_id: p for p in db.session.scalars(select(CountyPlan).where(CountyPlan.year == year))}
    return [(u, plans.get(u.id), timeliness(plans.get(u.id), year, today)) for u in county_units()]
