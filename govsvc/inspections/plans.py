"""Plans and their items: drafting, submitting to the city unit, returning, the check preview."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, with_expression

from govsvc import audit
from govsvc.extensions import db
from govsvc.inspections import grades
from govsvc.inspections.access import (NotAllowed, ServiceError, can_see_unit, department_unit, scope_clause)
from govsvc.inspections.models import (ACCEPTED, CATEGORIES, DRAFT, FILED, OK, PENDING, RETURNED, SUBMITTED,
                                       InspectionPlan, PlanEvent, PlanItem)
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_datetime, local_today, utcnow
from scoring import inspections as core

ITEM_FIELDS = ("enterprise", "draw_count", "category", "basis", "ground", "planned_date", "planned_end", "note")


def _actor(user) -> tuple[int | None, str]:
    return (user.id, user.username) if user is not None else (None, "")


def log_event(plan: InspectionPlan, action: str, user, note: str = "", at: datetime | None = None) -> None:
    user_id, username = _actor(user)
    plan.events.append(PlanEvent(user_id=user_id, username=username, action=action, note=note, at=at or utcnow()))
    audit.record(f"inspections.plan.{action}", target=f"inspection_plan:{plan.id}", detail={"note": note[:200]},
                 **({"user_id": user_id, "username": username} if user is not None else {}))


# -- reading -----------------------------------------------------------------------------
def plans_query(user, *, q: str = "", status: str = "", period: str = "", year: int | None = None,
                flag: str = ""):
    items = (select(func.count(PlanItem.id)).where(PlanItem.plan_id == InspectionPlan.id)
             .correlate(InspectionPlan).scalar_subquery())
    stmt = (select(InspectionPlan).join(InspectionPlan.unit).where(scope_clause(InspectionPlan.unit_id, user))
            .options(contains_eager(InspectionPlan.unit), with_expression(InspectionPlan.item_count, items)))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(InspectionPlan.title.ilike(like), Unit.name.ilike(like), Unit.code.ilike(like)))
    if status:
        stmt = stmt.where(InspectionPlan.status == status)
    if period:
        stmt = stmt.where(InspectionPlan.period == period)
    if year:
        stmt = stmt.where(InspectionPlan.year == year)
    if flag == "overdue":
        stmt = stmt.where(InspectionPlan.first_filed_at.is_(None), InspectionPlan.due_date < local_today())
    order = (InspectionPlan.year.desc(), InspectionPlan.due_date.desc(), Unit.code, InspectionPlan.id.desc())
    return stmt.order_by(*order)


def get_plan(user, plan_id: int) -> InspectionPlan | None:
    plan = db.session.get(InspectionPlan, plan_id)
    if plan is not None and not can_see_unit(user, plan.unit_id):
        raise NotAllowed("plan of another unit")
    return plan


def check_editable(user, plan: InspectionPlan) -> None:
    if department_unit(user).id != plan.unit_id:
        raise NotAllowed("only the owner unit edits its plan")
    if not plan.editable:
        raise ServiceError(f"计划当前状态为“{plan.status_label}”，不能修改。")


# -- creating ----------------------------------------------------------------------------
def slot_of(period: str, year: int, number: int | None) -> str | None:
    if period == core.TEMPORARY:
        return None
    return f"{period}:{year}" + (f":{number}" if number else "")


def create_plan(user, *, period: str, year: int, number: int | None, title: str, reason: str = "",
                at: datetime | None = None) -> InspectionPlan:
    unit = department_unit(user)
    if not unit.enforcement:
        raise ServiceError("本单位不是行政执法单位，不制定执法检查计划。")
    if period not in core.PERIODS:
        raise ServiceError("请选择计划类型。", "period")
    if core.period_number_range(period) is None:
        number = None
    try:
        due = core.plan_due_date(period, year, number)
    except ValueError:
        raise ServiceError("计划期间无效：请选择季度（1–4）或月份（1–12）。", "number") from None
    if period == core.TEMPORARY and not reason.strip():
        raise ServiceError("临时检查计划须说明特殊情况。", "reason")
    slot = slot_of(period, year, number)
    if slot and db.session.scalar(select(InspectionPlan.id).where(InspectionPlan.unit_id == unit.id,
                                                                  InspectionPlan.slot == slot)):
        raise ServiceError(f"本单位已有{core.period_label(period, year, number)}的{core.PERIOD_LABELS[period]}；"
                           "调整计划请修改原计划（退回后）或制定临时检查计划。", "period")
    plan = InspectionPlan(unit_id=unit.id, period=period, year=year, number=number, slot=slot,
                          title=title.strip() or f"{unit.name}{core.period_label(period, year, number)}检查计划",
                          reason=reason.strip(), due_date=due, status=DRAFT, created_by_id=user.id,
                          created_at=at or utcnow())
    try:
        with db.session.begin_nested():  # two submits at once: the unique (unit, slot) settles it
            db.session.add(plan)
    except IntegrityError:
        raise ServiceError(f"本单位已有{core.period_label(period, year, number)}的{core.PERIOD_LABELS[period]}。",
                           "period") from None
    log_event(plan, "created", user, at=at)
    return plan


def delete_plan(user, plan: InspectionPlan) -> None:
    check_editable(user, plan)
    if plan.first_filed_at is not None or plan.submitted_at is not None:
        raise ServiceError("计划已经报送过，不能删除；可修改后重新报送。")
    audit.record("inspections.plan.deleted", target=f"inspection_plan:{plan.id}", detail={"title": plan.title})
    db.session.delete(plan)
    db.session.flush()


# -- items -------------------------------------------------------------------------------
def find_enterprise(text: str) -> Enterprise | None:
    """An enterprise by its credit code (the first word of "code name", as the picker fills it)."""
    code = (text or "").strip().split(" ")[0].upper()
    if not code:
        return None
    return db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))


def item_errors(plan: InspectionPlan, values: dict) -> dict[str, str]:
    """Domain checks of one item's values (the same for the form and the import)."""
    errors: dict[str, str] = {}
    enterprise, count, basis = values.get("enterprise"), values.get("draw_count"), values.get("basis")
    if enterprise is None and not count:
        errors["enterprise"] = "请填写被检查企业，或填写双随机抽取家数。"
    elif enterprise is not None and count:
        errors["draw_count"] = "已指定企业的事项不填抽取家数。"
    elif enterprise is not None and enterprise.status != "存续":
        errors["enterprise"] = f"该企业状态为“{enterprise.status}”，不能列入检查计划。"
    if count is not None and not 1 <= count <= 1000:
        errors["draw_count"] = "抽取家数应在 1–1000 之间。"
    if basis not in core.BASES:
        errors["basis"] = "请选择检查依据。"
    elif count and basis != core.RANDOM:
        errors["basis"] = "双随机抽取任务的检查依据只能是“双随机抽查”。"
    elif core.needs_ground(basis) and not (values.get("ground") or "").strip():
        errors["ground"] = ("投诉举报引发的检查须填写投诉举报编号。" if basis == "complaint"
                            else "须注明检查依据的法律法规条款。")
    if values.get("category") not in CATEGORIES:
        errors["category"] = "请从列表中选择检查类别。"
    else:
        from govsvc.inspections.categories import category_error

        problem = category_error(plan.unit, values["category"])
        if problem:
            errors["category"] = problem
    linked = values.get("carries_out")
    if linked is not None:
        problem = link_error(plan, linked, values)
        if problem:
            errors["carries_out"] = problem
    start, end = core.period_bounds(plan.period, plan.year, plan.number)
    day, last = values.get("planned_date"), values.get("planned_end")
    if day is None:
        errors["planned_date"] = "请填写计划检查日期。"
    elif not start <= day <= end:
        errors["planned_date"] = f"计划检查日期应在计划期间（{start.isoformat()} 至 {end.isoformat()}）内。"
    elif last is not None and not day <= last <= end:
        errors["planned_end"] = f"结束日期应不早于开始日期、不晚于 {end.isoformat()}。"
    return errors


def link_error(plan: InspectionPlan, annual: PlanItem, values: dict) -> str:
    """Why a quarterly or monthly item may not carry out `annual` ('' when it may): the same unit's
    annual plan of the year, with justice and not refused or cancelled, the same enterprise,
    category and basis."""
    if plan.period not in (core.QUARTERLY, core.MONTHLY, core.TEMPORARY):
        return "只有季度、月度或临时计划的事项可以关联年度计划事项。"
    other = annual.plan
    if other.unit_id != plan.unit_id or other.period != core.ANNUAL or other.year != plan.year:
        return f"只能关联本单位{plan.year}年度计划中的事项。"
    if other.status not in (FILED, ACCEPTED) or annual.check_status != OK or annual.cancelled_at is not None:
        return "关联的年度计划事项须已报司法局、审核通过且未取消。"
    enterprise = values.get("enterprise")
    if annual.enterprise_id is None or enterprise is None or annual.enterprise_id != enterprise.id:
        return "关联的年度计划事项须是对同一企业的检查。"
    if annual.category != values.get("category") or annual.basis != values.get("basis"):
        return "关联的年度计划事项须是同一检查类别、同一检查依据。"
    return ""


def linkable_items(plan: InspectionPlan) -> list[PlanItem]:
    """The annual items a quarterly, monthly or temporary item of `plan` may carry out."""
    if plan.period == core.ANNUAL:
        return []
    return list(db.session.scalars(
        select(PlanItem).join(PlanItem.plan)
        .where(InspectionPlan.unit_id == plan.unit_id, InspectionPlan.period == core.ANNUAL,
               InspectionPlan.year == plan.year, InspectionPlan.status.in_((FILED, ACCEPTED)),
               PlanItem.check_status == OK, PlanItem.enterprise_id.is_not(None), PlanItem.cancelled_at.is_(None))
        .order_by(PlanItem.planned_date, PlanItem.id)))


def refresh_due(plan: InspectionPlan) -> None:
    if plan.period == core.TEMPORARY:
        first = min((i.planned_date for i in plan.items), default=None)
        plan.due_date = core.plan_due_date(plan.period, plan.year, None, first_planned=first)


def item_fields(values: dict) -> dict:
    fields = {k: values.get(k) for k in ITEM_FIELDS}
    enterprise = fields.pop("enterprise")
    fields["enterprise_id"] = enterprise.id if enterprise else None
    linked = values.get("carries_out")
    fields["carries_out_id"] = linked.id if linked is not None else None
    fields["draw_count"] = fields["draw_count"] or None
    fields["ground"] = (fields["ground"] or "").strip()
    fields["note"] = (fields["note"] or "").strip()
    return fields


def add_item(user, plan: InspectionPlan, values: dict) -> PlanItem:
    check_editable(user, plan)
    errors = item_errors(plan, values)
    if errors:
        raise ServiceError.of(errors)
    item = PlanItem(**item_fields(values), check_status=PENDING)
    plan.items.append(item)
    db.session.flush()
    refresh_due(plan)
    audit.record("inspections.item.created", target=f"inspection_plan:{plan.id}", detail={"item": item.id})
    return item


def update_item(user, item: PlanItem, values: dict) -> PlanItem:
    check_editable(user, item.plan)
    errors = item_errors(item.plan, values)
    if errors:
        raise ServiceError.of(errors)
    for name, value in item_fields(values).items():
        setattr(item, name, value)
    db.session.flush()
    refresh_due(item.plan)
    audit.record("inspections.item.updated", target=f"inspection_plan:{item.plan_id}", detail={"item": item.id})
    return item


def delete_item(user, item: PlanItem) -> None:
    """The owner deletes an item of its draft; once the plan is submitted (not yet with justice)
    only an item the check refuses, so that a refused item never blocks the plan. A submitted plan
    left without items goes back to draft."""
    plan = item.plan
    if plan.status == SUBMITTED and department_unit(user).id == plan.unit_id:
        violation = preview(plan).get(item.id, (None, ""))[0]
        if not violation:
            raise ServiceError("计划已报送，只能删除预审不予备案的事项；其他修改请由市级部门退回后进行。")
        log_event(plan, "item_removed", user, f"删除预审不予备案的事项 #{item.id}：{core.explain(violation)}")
        plan.items.remove(item)
        if not plan.items:
            plan.status, plan.submitted_at = DRAFT, None
    else:
        check_editable(user, plan)
        plan.items.remove(item)
    db.session.flush()
    refresh_due(plan)
    audit.record("inspections.item.deleted", target=f"inspection_plan:{plan.id}", detail={"item": item.id})


def item_values(item: PlanItem) -> dict:
    return {"enterprise": item.enterprise, "carries_out": item.carries_out,
            **{k: getattr(item, k) for k in ITEM_FIELDS if k != "enterprise"}}


# -- the way up: county → city → justice ----------------------------------------------------
def submit_plan(user, plan: InspectionPlan, at: datetime | None = None) -> None:
    """The owner sends its plan up: a county unit to its system's city unit; a city unit marks
    its own plan ready for its next filing with the justice bureau."""
    check_editable(user, plan)
    if not plan.items:
        raise ServiceError("计划中还没有检查事项，不能报送。")
    if plan.unit.level == "county" and plan.unit.system_id is None:
        raise ServiceError("本单位未设置所属系统（市级部门），无法报送；请联系系统管理员。")
    bad = [(i, item_errors(plan, item_values(i))) for i in plan.items]
    bad = [(i, e) for i, e in bad if e]
    if bad:
        item, errors = bad[0]
        raise ServiceError(f"事项 #{item.id}：{next(iter(errors.values()))}")
    plan.status = SUBMITTED
    plan.submitted_at = at or utcnow()
    plan.return_reason = ""
    for item in plan.items:
        item.check_status, item.violation, item.explanation, item.grade = PENDING, "", "", ""
    note = f"报送{plan.unit.system.name}" if plan.unit.level == "county" else "待汇总报司法局备案"
    log_event(plan, "submitted", user, note, at)


def return_to_county(user, plan: InspectionPlan, reason: str, at: datetime | None = None) -> None:
    """The city unit hands a county unit's submitted plan back for changes."""
    city = department_unit(user)
    if plan.unit.system_id != city.id:
        raise NotAllowed("not the city unit of this plan's system")
    if plan.status != SUBMITTED:
        raise ServiceError("只有已报送、尚未报司法局的计划可以退回。")
    if not reason.strip():
        raise ServiceError("请填写退回理由。", "reason")
    plan.status = RETURNED
    plan.return_reason = reason.strip()
    log_event(plan, "returned_by_city", user, reason.strip(), at)


# -- the B cap and the check preview -------------------------------------------------------
def inspection_key(item: PlanItem) -> tuple:
    """The key of the inspection an item stands for (the core's `PlanItem.inspection`)."""
    return ("item", item.inspection_id)


def held_places(years, exclude_plan_ids=()) -> tuple[dict[core.CapKey, int], set]:
    """Random inspections that already hold a place in the B cap in the given calendar years, and
    their keys: passed, not cancelled random items of plans with justice (filed or accepted) — an
    item carrying out an annual item counts once with it —, enterprises already drawn, and random
    inspections recorded without a plan item (unfiled inspections)."""
    from govsvc.inspections.models import Draw, DrawCandidate, InspectionResult

    years = sorted(set(years))
    counts: dict[core.CapKey, int] = {}
    keys: set = set()
    if not years:
        return counts, keys
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
    items = (select(PlanItem.id, PlanItem.carries_out_id, PlanItem.enterprise_id, PlanItem.category,
                    PlanItem.planned_date)
             .join(PlanItem.plan)
             .where(PlanItem.basis == core.RANDOM, PlanItem.enterprise_id.is_not(None), PlanItem.check_status == OK,
                    PlanItem.cancelled_at.is_(None), InspectionPlan.status.in_((FILED, ACCEPTED)),
                    PlanItem.planned_date >= first, PlanItem.planned_date <= last))
    if exclude_plan_ids:
        items = items.where(InspectionPlan.id.not_in(list(exclude_plan_ids)))
    placed: set = set()
    for item_id, linked_id, enterprise_id, category, day in db.session.execute(items):
        key = core.cap_key(enterprise_id, category, day)
        inspection = ("item", linked_id or item_id)
        keys.add(inspection)
        if (key, inspection) not in placed:
            placed.add((key, inspection))
            counts[key] = counts.get(key, 0) + 1
    drawn = (select(DrawCandidate.enterprise_id, Draw.category, Draw.year).join(DrawCandidate.draw)
             .where(DrawCandidate.pick_rank.is_not(None), Draw.year.in_(years)))
    for enterprise_id, category, year in db.session.execute(drawn):
        key = (enterprise_id, category, year)
        counts[key] = counts.get(key, 0) + 1
    unfiled = (select(InspectionResult.enterprise_id, InspectionResult.category, InspectionResult.inspected_on)
               .where(InspectionResult.item_id.is_(None), InspectionResult.basis == core.RANDOM,
                      InspectionResult.inspected_on >= first, InspectionResult.inspected_on <= last))
    for enterprise_id, category, day in db.session.execute(unfiled):
        key = core.cap_key(enterprise_id, category, day)
        counts[key] = counts.get(key, 0) + 1
    return counts, keys


def held_counts(years, exclude_plan_ids=()) -> dict[core.CapKey, int]:
    return held_places(years, exclude_plan_ids)[0]


def core_item(item: PlanItem) -> core.PlanItem:
    return core.PlanItem(item.plan_id, item.id,
                         item.enterprise_id if item.enterprise_id is not None else f"draw:{item.id}",
                         item.category, item.basis, item.planned_date, inspection_key(item), item.plan.unit.level)


def check_plans(plans: list[InspectionPlan], on: date) -> list[tuple[PlanItem, str | None, str]]:
    """Judge the items of `plans` together (the SPEC's counting order among them), after the
    places already held by other plans and draws: (item, violation, grade) for every item."""
    table = grades.current_grades(on)
    policy = grades.current_policy(on)
    items = [i for p in plans for i in p.items if i.cancelled_at is None]
    counts, keys = held_places({i.planned_date.year for i in items}, {p.id for p in plans})
    violations = core.check_items([core_item(i) for i in items], table, counts, held_inspections=keys,
                                  a_scope=policy.a_scope)
    return [(i, v, table.get(i.enterprise_id, "") if i.enterprise_id else "") for i, v in zip(items, violations)]


def preview(plan: InspectionPlan) -> dict[int, tuple[str | None, str]]:
    """What the check would say if the plan reached justice today: item id → (violation, grade)."""
    return {item.id: (violation, grade) for item, violation, grade in check_plans([plan], local_today())}


def counts_by_status(user) -> dict[str, int]:
    stmt = (select(InspectionPlan.status, func.count()).where(scope_clause(InspectionPlan.unit_id, user))
            .group_by(InspectionPlan.status))
    return dict(db.session.execute(stmt).all())


def local_day(at: datetime | None) -> date:
    return local_datetime(at).date() if at else local_today()
