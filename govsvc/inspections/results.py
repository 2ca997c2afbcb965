"""Inspection results (事后备案) and fines: each inspection with its plan item, conclusion and
penalty; the city unit files last month's results of its system by the 10th; justice forwards
the fines to finance (转报财政局).

"No inspection without a filed plan": an inspection without a plan item, or carried out before
its plan reached the justice bureau or outside the plan's period, is an "unfiled inspection".
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import extract, or_, select
from sqlalchemy.orm import selectinload

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.inspections import grades
from govsvc.inspections.access import (NotAllowed, ServiceError, department_unit, own_unit_ids, require_city_unit,
                                       scope_clause, system_unit_ids)
from govsvc.inspections.models import (ACCEPTED, CATEGORIES, CONCLUSIONS, OK, PENALTY_TYPES, FineTransfer,
                                       InspectionPlan, InspectionResult, PlanItem, ResultFiling)
from govsvc.inspections.plans import local_day
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today, utcnow
from scoring import inspections as core

ZERO = Decimal("0.00")


def usable_items(unit: Unit, year: int | None = None) -> list[PlanItem]:
    """Items the unit may carry out: passed items of its accepted plans."""
    stmt = (select(PlanItem).join(PlanItem.plan)
            .where(InspectionPlan.unit_id == unit.id, InspectionPlan.status == ACCEPTED, PlanItem.check_status == OK))
    if year:
        stmt = stmt.where(InspectionPlan.year == year)
    return list(db.session.scalars(stmt.order_by(PlanItem.planned_date, PlanItem.id)))


def unfiled_reason(item: PlanItem | None, day: date) -> str:
    if item is None:
        return "未关联已备案的检查计划事项"
    plan = item.plan
    if not item.usable:
        return "关联的计划事项未经司法局备案"
    if plan.filed_on is None or day < plan.filed_on:
        return f"检查日期早于计划报司法局备案日期（{plan.filed_on}）"
    start, end = core.period_bounds(plan.period, plan.year, plan.number)
    if not start <= day <= end:
        return f"检查日期不在计划期间（{start} 至 {end}）内"
    return ""


def result_errors(unit: Unit, values: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    item: PlanItem | None = values.get("item")
    enterprise: Enterprise | None = values.get("enterprise")
    day: date | None = values.get("inspected_on")
    if item is not None and (item.plan.unit_id != unit.id or not item.usable):
        errors["item"] = "只能选择本单位已备案、审核通过的计划事项。"
    if enterprise is None:
        errors["enterprise"] = "请填写被检查企业（统一社会信用代码）。"
    elif item is not None and not item.is_draw_task and item.enterprise_id != enterprise.id:
        errors["enterprise"] = f"所选计划事项的检查对象是“{item.enterprise.name}”。"
    elif item is not None and item.is_draw_task:
        drawn = {c.enterprise_id for c in (item.draw.candidates if item.draw and item.draw.drawn else []) if c.pick_rank}
        if enterprise.id not in drawn:
            errors["enterprise"] = "该企业不在本事项的双随机抽取结果中。"
    if day is None:
        errors["inspected_on"] = "请填写检查日期。"
    elif day > local_today():
        errors["inspected_on"] = "检查日期不能晚于今天。"
    if item is None:
        if values.get("category") not in CATEGORIES:
            errors["category"] = "未关联计划事项时须选择检查类别。"
        if values.get("basis") not in core.BASES:
            errors["basis"] = "未关联计划事项时须选择检查依据。"
    conclusion, fine = values.get("conclusion"), values.get("fine") or ZERO
    if conclusion not in CONCLUSIONS:
        errors["conclusion"] = "请选择检查结论。"
    elif conclusion == "penalty":
        if not (values.get("decision_number") or "").strip():
            errors["decision_number"] = "作出行政处罚的须填写处罚决定书文号。"
        if values.get("penalty_type") not in PENALTY_TYPES:
            errors["penalty_type"] = "请选择处罚种类。"
        elif values.get("penalty_type") == "罚款" and fine <= ZERO:
            errors["fine"] = "处罚种类为罚款的，须填写罚款金额。"
    elif fine != ZERO or (values.get("decision_number") or "").strip():
        errors["fine"] = "未发现违法行为的检查不填处罚文号和罚款。"
    if fine < ZERO or fine != fine.quantize(Decimal("0.01")):
        errors["fine"] = "罚款金额应为非负数，精确到分。"
    return errors


def save_result(user, values: dict, result: InspectionResult | None = None) -> InspectionResult:
    unit = department_unit(user)
    if result is not None and (result.unit_id != unit.id):
        raise NotAllowed("result of another unit")
    if result is not None and result.status != "draft":
        raise ServiceError("结果已经报备，不能修改。")
    errors = result_errors(unit, values)
    if errors:
        raise ServiceError.of(errors)
    item: PlanItem | None = values.get("item")
    enterprise: Enterprise = values["enterprise"]
    day: date = values["inspected_on"]
    penalty = values["conclusion"] == "penalty"
    fields = dict(
        unit_id=unit.id, item_id=item.id if item else None, enterprise_id=enterprise.id, inspected_on=day,
        inspectors=(values.get("inspectors") or "").strip(),
        category=item.category if item else values["category"], basis=item.basis if item else values["basis"],
        conclusion=values["conclusion"], decision_number=(values.get("decision_number") or "").strip() if penalty else "",
        penalty_type=values.get("penalty_type") if penalty else "", fine=(values.get("fine") or ZERO) if penalty else ZERO,
        note=(values.get("note") or "").strip(),
        grade=grades.current_grades(day).get(enterprise.id, ""),
    )
    reason = unfiled_reason(item, day)
    fields.update(unfiled=bool(reason), unfiled_reason=reason)
    if result is None:
        result = InspectionResult(created_by_id=user.id, status="draft", **fields)
        db.session.add(result)
    else:
        for name, value in fields.items():
            setattr(result, name, value)
    db.session.flush()
    audit.record("inspections.result.saved", target=f"inspection_result:{result.id}",
                 detail={"unfiled": result.unfiled, "fine": str(result.fine)})
    from govsvc.portal.watch import scan  # the retaliation watch: after a complaint or objection

    scan(enterprise.id)
    return result


def delete_result(user, result: InspectionResult) -> None:
    if department_unit(user).id != result.unit_id:
        raise NotAllowed("result of another unit")
    if result.status != "draft":
        raise ServiceError("结果已经报备，不能删除。")
    audit.record("inspections.result.deleted", target=f"inspection_result:{result.id}")
    db.session.delete(result)
    db.session.flush()


def get_result(user, result_id: int) -> InspectionResult | None:
    result = db.session.get(InspectionResult, result_id)
    if result is None:
        return None
    if result.unit_id in own_unit_ids(user) or (user.has_role(R.JUSTICE) and result.status == "filed"):
        return result
    raise NotAllowed("result of another unit")


def _result_scope(user):
    """Department users see their units' results; justice sees filed results of every unit."""
    clauses = [InspectionResult.unit_id.in_(own_unit_ids(user))]
    if user.has_role(R.JUSTICE):
        clauses.append(InspectionResult.status == "filed")
    return or_(*clauses)


def results_query(user, *, q: str = "", month: str = "", flag: str = "", status: str = ""):
    stmt = (select(InspectionResult).join(InspectionResult.enterprise).join(InspectionResult.unit)
            .where(_result_scope(user)))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper()),
                              Unit.name.ilike(like), InspectionResult.decision_number.ilike(like)))
    if month:
        year, mon = (int(x) for x in month.split("-"))
        stmt = stmt.where(extract("year", InspectionResult.inspected_on) == year,
                          extract("month", InspectionResult.inspected_on) == mon)
    if flag == "unfiled":
        stmt = stmt.where(InspectionResult.unfiled.is_(True))
    elif flag == "penalty":
        stmt = stmt.where(InspectionResult.conclusion == "penalty")
    if status:
        stmt = stmt.where(InspectionResult.status == status)
    return stmt.order_by(InspectionResult.inspected_on.desc(), InspectionResult.id.desc())


# -- monthly filing -------------------------------------------------------------------------
def month_results(city: Unit, year: int, month: int, status: str = "draft") -> list[InspectionResult]:
    return list(db.session.scalars(
        select(InspectionResult).where(InspectionResult.unit_id.in_(system_unit_ids(city)),
                                       InspectionResult.status == status,
                                       extract("year", InspectionResult.inspected_on) == year,
                                       extract("month", InspectionResult.inspected_on) == month)
        .order_by(InspectionResult.inspected_on, InspectionResult.id)))


def month_filings(city: Unit, year: int, month: int) -> list[ResultFiling]:
    return list(db.session.scalars(select(ResultFiling).where(ResultFiling.unit_id == city.id, ResultFiling.year == year,
                                                              ResultFiling.month == month)
                                   .order_by(ResultFiling.filed_at)))


def file_results(user, year: int, month: int, at: datetime | None = None) -> ResultFiling:
    """The city unit files its system's results of a past month (a month without inspections
    is filed as a zero report; later additions are filed again as a supplement)."""
    city = require_city_unit(user)
    at = at or utcnow()
    if (year, month) >= (local_day(at).year, local_day(at).month):
        raise ServiceError("只能报备已经结束的月份。", "month")
    waiting = month_results(city, year, month)
    if not waiting and month_filings(city, year, month):
        raise ServiceError(f"{year} 年 {month} 月已经报备，没有新的检查结果需要补报。", "month")
    filing = ResultFiling(unit_id=city.id, year=year, month=month, due_date=core.result_filing_due(year, month),
                          filed_at=at, filed_by_id=user.id)
    db.session.add(filing)
    db.session.flush()
    cache: dict[date, dict[int, str]] = {}
    for result in waiting:
        table = cache.setdefault(result.inspected_on, grades.current_grades(result.inspected_on))
        result.grade = table.get(result.enterprise_id, "")
        reason = unfiled_reason(result.item, result.inspected_on)
        result.unfiled, result.unfiled_reason = bool(reason), reason
        result.status, result.filing_id = "filed", filing.id
    db.session.flush()
    audit.record("inspections.results.filed", target=f"inspection_result_filing:{filing.id}",
                 detail={"month": f"{year}-{month:02d}", "results": len(filing.results), "late": filing.late})
    return filing


def result_filings_query(user):
    stmt = select(ResultFiling).join(ResultFiling.unit).options(selectinload(ResultFiling.results))
    if not user.has_role(R.JUSTICE):
        stmt = stmt.where(scope_clause(ResultFiling.unit_id, user))
    return stmt.order_by(ResultFiling.year.desc(), ResultFiling.month.desc(), ResultFiling.filed_at.desc())


# -- fines to finance -------------------------------------------------------------------------
def _fined():
    return (select(InspectionResult).where(InspectionResult.status == "filed", InspectionResult.fine > 0))


def fines_waiting() -> list[dict]:
    """Filed fines not yet forwarded, by month of inspection: count and exact total."""
    months: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for result in db.session.scalars(_fined().where(InspectionResult.transfer_id.is_(None))):
        months[(result.inspected_on.year, result.inspected_on.month)].append(result.fine)
    return [{"year": y, "month": m, "count": len(fines), "total": sum(fines, ZERO)}
            for (y, m), fines in sorted(months.items())]


def forward_fines(user, year: int, month: int, at: datetime | None = None) -> FineTransfer:
    if not user.has_role(R.JUSTICE):
        raise NotAllowed("only the justice bureau forwards fines")
    rows = list(db.session.scalars(_fined().where(InspectionResult.transfer_id.is_(None),
                                                  extract("year", InspectionResult.inspected_on) == year,
                                                  extract("month", InspectionResult.inspected_on) == month)))
    if not rows:
        raise ServiceError(f"{year} 年 {month} 月没有待转报的罚款。")
    transfer = FineTransfer(year=year, month=month, count=len(rows), total=sum((r.fine for r in rows), ZERO),
                            created_at=at or utcnow(), created_by_id=user.id)
    db.session.add(transfer)
    db.session.flush()
    for result in rows:
        result.transfer_id = transfer.id
    db.session.flush()
    audit.record("inspections.fines.forwarded", target=f"inspection_fine_transfer:{transfer.id}",
                 detail={"month": f"{year}-{month:02d}", "count": transfer.count, "total": str(transfer.total)})
    return transfer


def register_query(*, q: str = "", month: str = "", transfer_id: int | None = None):
    """The fine register as finance receives it: forwarded fines only."""
    stmt = (select(InspectionResult).join(InspectionResult.enterprise).join(InspectionResult.unit)
            .where(InspectionResult.transfer_id.is_not(None)))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper()),
                              Unit.name.ilike(like), InspectionResult.decision_number.ilike(like)))
    if month:
        year, mon = (int(x) for x in month.split("-"))
        stmt = stmt.where(extract("year", InspectionResult.inspected_on) == year,
                          extract("month", InspectionResult.inspected_on) == mon)
    if transfer_id:
        stmt = stmt.where(InspectionResult.transfer_id == transfer_id)
    return stmt.order_by(InspectionResult.inspected_on.desc(), InspectionResult.id.desc())


def total_of(stmt) -> tuple[int, Decimal]:
    """Count and exact total of the fines a query selects (summed as decimals, never floats)."""
    fines = db.session.scalars(stmt.with_only_columns(InspectionResult.fine).order_by(None)).all()
    return len(fines), sum(fines, ZERO)


def transfers() -> list[FineTransfer]:
    return list(db.session.scalars(select(FineTransfer).order_by(FineTransfer.created_at.desc(), FineTransfer.id.desc())))


def month_options(months_back: int = 24) -> list[str]:
    today = local_today()
    out, year, month = [], today.year, today.month
    for _ in range(months_back):
        out.append(f"{year}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out
