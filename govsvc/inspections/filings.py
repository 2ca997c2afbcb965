"""Filing plans with the justice bureau (事前备案): the city unit files its system's submitted
plans of one period; the items are checked against the published grading at that moment;
justice accepts (备案) or returns the filing with a reason.

A plan is on time when it first reaches justice (the city unit's filing) by its due date: the
seed makes the city unit responsible for filing (市级部门汇总后报市司法局备案).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.inspections.access import NotAllowed, ServiceError, require_city_unit, scope_clause, system_unit_ids
from govsvc.inspections.models import (ACCEPTED, FILED, OK, PENDING, REFUSED, RETURNED, SUBMITTED, InspectionPlan,
                                       PlanFiling)
from govsvc.inspections.plans import check_plans, local_day, log_event
from govsvc.registry.models import Unit
from govsvc.timeutil import utcnow
from scoring import inspections as core


def fileable_plans(city: Unit) -> list[InspectionPlan]:
    """The system's plans waiting for the city unit to file them."""
    return list(db.session.scalars(
        select(InspectionPlan).where(InspectionPlan.unit_id.in_(system_unit_ids(city)),
                                     InspectionPlan.status == SUBMITTED)
        .order_by(InspectionPlan.year, InspectionPlan.period, InspectionPlan.number, InspectionPlan.unit_id,
                  InspectionPlan.id)))


def file_plans(user, plan_ids: list[int], at: datetime | None = None) -> PlanFiling:
    """File the chosen plans (all of one period) with the justice bureau and check their items."""
    city = require_city_unit(user)
    at = at or utcnow()
    waiting = {p.id: p for p in fileable_plans(city)}
    plans = [waiting[i] for i in plan_ids if i in waiting]
    if not plans or len(plans) != len(set(plan_ids)):
        raise ServiceError("请选择本系统已报送、尚未报司法局的计划。", "plans")
    periods = {(p.period, p.year, p.number) for p in plans}
    if len(periods) != 1:
        raise ServiceError("一次报备只能包含同一期间的计划（如 2027 年度、2027 年第 1 季度）。", "plans")
    period, year, number = periods.pop()
    due_dates = [p.due_date for p in plans if p.due_date is not None]
    filing = PlanFiling(unit_id=city.id, period=period, year=year, number=number,
                        due_date=min(due_dates) if due_dates else None, filed_at=at, filed_by_id=user.id,
                        status="pending")
    db.session.add(filing)
    filing.plans.extend(plans)
    db.session.flush()
    for plan in plans:
        plan.status = FILED
        plan.filing_id = filing.id
        plan.filed_at = at
        if plan.first_filed_at is None:
            plan.first_filed_at = at
        log_event(plan, "filed", user, f"{city.name}报司法局备案（报备 #{filing.id}）", at)
    on = local_day(at)
    for item, violation, grade in check_plans(plans, on):
        item.grade = grade
        item.violation = violation or ""
        item.check_status = REFUSED if violation else OK
        item.explanation = core.explain(violation)
        item.checked_at = at
    db.session.flush()
    audit.record("inspections.filing.filed", target=f"inspection_filing:{filing.id}",
                 detail={"plans": [p.id for p in plans], "late": filing.late})
    return filing


def filings_query(user, *, status: str = "", q: str = ""):
    stmt = select(PlanFiling).join(PlanFiling.unit).options(selectinload(PlanFiling.plans))
    if not user.has_role(R.JUSTICE):
        stmt = stmt.where(scope_clause(PlanFiling.unit_id, user))
    if status:
        stmt = stmt.where(PlanFiling.status == status)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Unit.name.ilike(like), Unit.code.ilike(like)))
    return stmt.order_by((PlanFiling.status == "pending").desc(), PlanFiling.filed_at.desc(), PlanFiling.id.desc())


def get_filing(user, filing_id: int) -> PlanFiling | None:
    filing = db.session.get(PlanFiling, filing_id)
    if filing is None or user.has_role(R.JUSTICE):
        return filing
    if user.has_role(R.DEPARTMENT) and user.unit_id is not None:
        if filing.unit_id == user.unit_id or any(p.unit_id == user.unit_id for p in filing.plans):
            return filing
    raise NotAllowed("filing of another system")


def review_filing(user, filing: PlanFiling, *, accept: bool, reason: str = "", at: datetime | None = None) -> None:
    """Justice accepts the filing (备案: passed items may be inspected, refused ones may not) or
    returns it with a reason (its plans go back to their units; their items lose their check)."""
    if not user.has_role(R.JUSTICE):
        raise NotAllowed("only the justice bureau reviews filings")
    if filing.status != "pending":
        raise ServiceError("该报备已经审核过。")
    if not accept and not reason.strip():
        raise ServiceError("退回须填写理由。", "reason")
    at = at or utcnow()
    filing.status = "accepted" if accept else "returned"
    filing.reason = reason.strip()
    filing.reviewed_at, filing.reviewed_by_id = at, user.id
    for plan in filing.plans:
        if plan.status != FILED or plan.filing_id != filing.id:
            continue
        if accept:
            plan.status, plan.accepted_at = ACCEPTED, at
            refused = sum(1 for i in plan.items if i.check_status == REFUSED)
            log_event(plan, "accepted", user, reason.strip() or (f"{refused} 个事项不予备案" if refused else ""), at)
        else:
            plan.status, plan.return_reason = RETURNED, reason.strip()
            for item in plan.items:
                item.check_status, item.violation, item.explanation, item.grade = PENDING, "", "", ""
            log_event(plan, "returned_by_justice", user, reason.strip(), at)
    db.session.flush()
    audit.record("inspections.filing." + ("accepted" if accept else "returned"),
                 target=f"inspection_filing:{filing.id}", detail={"reason": reason.strip()[:200]})


def item_summary(filing: PlanFiling) -> tuple[int, int]:
    """(items passed, items refused) of a filing's plans."""
    items = [i for p in filing.plans for i in p.items]
    return sum(1 for i in items if i.check_status == OK), sum(1 for i in items if i.check_status == REFUSED)
