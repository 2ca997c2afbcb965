"""Plan adjustment (F5: 执法部门可以根据上级要求，调整检查计划): a change request to an accepted plan.

The plan's unit drafts a change with its reason and lines — add an item (a named enterprise),
cancel an item, move an item to another day within the plan's period — and files it with the
justice bureau. Filing checks the added items against the published grading like a plan filing
(the plan's other items and every other filed plan hold their places). Justice accepts (the
lines take effect: added items join the plan with their check, cancelled items may no longer be
carried out, moved items get their new day) or returns it with a reason. Until then the plan
stays as it was accepted. One open change per plan.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.inspections import grades
from govsvc.inspections.access import NotAllowed, ServiceError, department_unit, scope_clause
from govsvc.inspections.models import ACCEPTED, OK, REFUSED, InspectionPlan, PlanChange, PlanChangeLine, PlanItem
from govsvc.inspections.plans import held_places, item_errors, local_day, log_event, refresh_due
from govsvc.registry.models import Unit
from govsvc.timeutil import utcnow
from scoring import inspections as core

OPEN = ("draft", "filed", "returned")


def open_change(user, plan: InspectionPlan, reason: str, at: datetime | None = None) -> PlanChange:
    if department_unit(user).id != plan.unit_id:
        raise NotAllowed("change of another unit's plan")
    if plan.status != ACCEPTED:
        raise ServiceError("只有已备案的计划可以申请调整；未备案的计划可直接修改。")
    if not (reason or "").strip():
        raise ServiceError("请说明调整的理由（如上级要求、情况变化）。", "reason")
    if db.session.scalar(select(PlanChange.id).where(PlanChange.plan_id == plan.id, PlanChange.status.in_(OPEN))):
        raise ServiceError("该计划已有未办结的调整申请，请先办理完毕。", "reason")
    change = PlanChange(plan_id=plan.id, reason=reason.strip(), status="draft", created_by_id=user.id,
                        created_at=at or utcnow())
    db.session.add(change)
    db.session.flush()
    log_event(plan, "change_opened", user, f"调整申请 #{change.id}：{reason.strip()}", at)
    return change


def _editable(user, change: PlanChange) -> None:
    if department_unit(user).id != change.plan.unit_id:
        raise NotAllowed("change of another unit's plan")
    if change.status not in ("draft", "returned"):
        raise ServiceError(f"调整申请当前为“{change.status_label}”，不能修改。")


def add_line(user, change: PlanChange, op: str, values: dict) -> PlanChangeLine:
    """`values`: for `add` the item fields (enterprise, category, basis, ground, planned_date, note);
    for `cancel` the item; for `reschedule` the item and its new planned_date."""
    _editable(user, change)
    plan = change.plan
    if op == "add":
        if values.get("enterprise") is None:
            raise ServiceError("调整增加的事项须指定被检查企业。", "enterprise")
        errors = item_errors(plan, {**values, "draw_count": None, "carries_out": None})
        if errors:
            raise ServiceError.of(errors)
        enterprise = values["enterprise"]
        line = PlanChangeLine(op=op, enterprise_id=enterprise.id, category=values["category"], basis=values["basis"],
                              ground=(values.get("ground") or "").strip(), planned_date=values["planned_date"],
                              note=(values.get("note") or "").strip())
    elif op in ("cancel", "reschedule"):
        item: PlanItem | None = values.get("item")
        if item is None or item.plan_id != plan.id or not item.usable:
            raise ServiceError("请选择本计划中已备案、尚未取消的事项。", "item")
        if any(line.item_id == item.id for line in change.lines):
            raise ServiceError(f"事项 #{item.id} 已在本调整申请中。", "item")
        day = values.get("planned_date")
        if op == "reschedule":
            start, end = core.period_bounds(plan.period, plan.year, plan.number)
            if day is None or not start <= day <= end:
                raise ServiceError(f"新的计划检查日期应在计划期间（{start} 至 {end}）内。", "planned_date")
            if day == item.planned_date:
                raise ServiceError("新的日期与原计划日期相同。", "planned_date")
        line = PlanChangeLine(op=op, item_id=item.id, enterprise_id=item.enterprise_id, category=item.category,
                              basis=item.basis, planned_date=day if op == "reschedule" else item.planned_date,
                              note=(values.get("note") or "").strip())
    else:
        raise ServiceError("请选择调整方式。", "op")
    change.lines.append(line)
    db.session.flush()
    audit.record("inspections.change.line", target=f"inspection_plan_change:{change.id}", detail={"op": op})
    return line


def delete_line(user, line: PlanChangeLine) -> None:
    change = line.change
    _editable(user, change)
    change.lines.remove(line)
    db.session.flush()


def check_lines(change: PlanChange, on: date) -> list[tuple[PlanChangeLine, str | None, str]]:
    """The added items checked like a plan filing: every filed plan (this one included) holds its places."""
    table = grades.current_grades(on)
    policy = grades.current_policy(on)
    added = [line for line in change.lines if line.op == "add"]
    counts, keys = held_places({line.planned_date.year for line in added})
    rows = [core.PlanItem(change.plan_id, f"change:{line.id}", line.enterprise_id, line.category, line.basis,
                          line.planned_date, ("change", line.id), change.plan.unit.level) for line in added]
    violations = core.check_items(rows, table, counts, held_inspections=keys, a_scope=policy.a_scope)
    return [(line, v, table.get(line.enterprise_id, "")) for line, v in zip(added, violations)]


def file_change(user, change: PlanChange, at: datetime | None = None) -> None:
    _editable(user, change)
    if not change.lines:
        raise ServiceError("调整申请中还没有调整内容。")
    at = at or utcnow()
    for line, violation, grade in check_lines(change, local_day(at)):
        line.violation = violation or ""
        line.explanation = core.explain(violation, grade)
    change.status = "filed"
    change.filed_at = at
    db.session.flush()
    log_event(change.plan, "change_filed", user, f"调整申请 #{change.id} 报司法局备案", at)


def review_change(user, change: PlanChange, *, accept: bool, note: str = "", at: datetime | None = None) -> None:
    if not user.has_role(R.JUSTICE):
        raise NotAllowed("only the justice bureau reviews plan changes")
    if change.status != "filed":
        raise ServiceError("只有待审核的调整申请可以审核。")
    if not accept and not (note or "").strip():
        raise ServiceError("退回须填写理由。", "note")
    at = at or utcnow()
    change.status = "accepted" if accept else "returned"
    change.review_note = (note or "").strip()
    change.reviewed_at, change.reviewed_by_id = at, user.id
    plan = change.plan
    if accept:
        for line in change.lines:
            if line.op == "add":
                item = PlanItem(enterprise_id=line.enterprise_id, category=line.category, basis=line.basis,
                                ground=line.ground, planned_date=line.planned_date, note=line.note,
                                check_status=REFUSED if line.violation else OK, violation=line.violation,
                                explanation=line.explanation, checked_at=change.filed_at)
                plan.items.append(item)
                db.session.flush()
                line.item_id = item.id
            elif line.op == "cancel":
                line.item.cancelled_at = at
                line.item.cancel_reason = f"调整申请 #{change.id}：{change.reason}"[:500]
            else:
                line.item.planned_date = line.planned_date
        refresh_due(plan)
    db.session.flush()
    log_event(plan, "change_accepted" if accept else "change_returned", user,
              f"调整申请 #{change.id}" + (f"：{change.review_note}" if change.review_note else ""), at)


def changes_query(user, *, status: str = "", q: str = ""):
    stmt = (select(PlanChange).join(PlanChange.plan).join(InspectionPlan.unit)
            .where(scope_clause(InspectionPlan.unit_id, user)))
    if status:
        stmt = stmt.where(PlanChange.status == status)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Unit.name.ilike(like), InspectionPlan.title.ilike(like), PlanChange.reason.ilike(like)))
    return stmt.order_by((PlanChange.status == "filed").desc(), PlanChange.created_at.desc(), PlanChange.id.desc())


def get_change(user, change_id: int) -> PlanChange | None:
    change = db.session.get(PlanChange, change_id)
    if change is not None and user.has_role(R.JUSTICE):
        return change
    if change is not None:
        from govsvc.inspections.access import can_see_unit

        if not can_see_unit(user, change.plan.unit_id):
            raise NotAllowed("change of another unit")
    return change

