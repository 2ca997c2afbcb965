"""The green channel for excellent entrepreneurs ("开通优秀企业家绿色服务通道"): the service catalogue with
each item's responsible unit and public notice, 服务专员 per unit, catalogue changes approved by the
talent leading group and then published with their implementation rules (备案), entrepreneurs'
problem reports (问题反馈) handled as ledger matters, and the periodic evaluation (督查评估) with
通报整改 for units graded 一般 or 较差.

Who: 人才办 (RCB) and 工信局 (GXJ) department accounts run the catalogue and receive problem reports;
the talent leading group's approval is given by a `leader` account; each responsible unit's
department accounts keep their 服务专员 and publish their implementation rules; 组织部 (organization)
with 工信局 evaluate. Entitled: the enterprises on the latest published excellent-entrepreneur list."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case as sql_case, func, or_, select
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.care import honours
from govsvc.care.models_support import (EVALUATORS, GREEN_OFFICES, NOTICE_MODES, RATINGS, SERVICE_CATEGORIES,
                                        GreenService, ServiceChange, ServiceEvaluation, ServiceEvaluationRow,
                                        ServiceFeedback, ServiceSpecialist)
from govsvc.care.support import NotYours, concluded_on, day_start_utc, in_units
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.registry.models import Unit
from govsvc.timeutil import local_today, utcnow
from scoring import care as rules

MODULE = "green"


class GreenError(ValueError):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def is_office(user) -> bool:
    return in_units(user, GREEN_OFFICES)


def is_evaluator(user) -> bool:
    return R.ORGANIZATION in user.roles or in_units(user, EVALUATORS)


def require(ok: bool) -> None:
    if not ok:
        raise NotYours("green")


def is_unit_staff(user, unit_id: int) -> bool:
    return R.DEPARTMENT in user.roles and user.unit_id == unit_id


# -- the catalogue -------------------------------------------------------------------------------------
def catalogue_query(*, q: str = "", category: str = "", unit_id: int | None = None, withdrawn: bool = False):
    stmt = select(GreenService).join(Unit, Unit.id == GreenService.unit_id)
    stmt = stmt.where(GreenService.status == ("withdrawn" if withdrawn else "active"))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(GreenService.name.ilike(like), GreenService.content.ilike(like), Unit.name.ilike(like)))
    if category:
        stmt = stmt.where(GreenService.category == category)
    if unit_id:
        stmt = stmt.where(GreenService.unit_id == unit_id)
    order = sql_case({key: n for n, key in enumerate(SERVICE_CATEGORIES)}, value=GreenService.category, else_=99)
    return stmt.order_by(order, GreenService.name, GreenService.id)


def specialists_of(unit_ids) -> dict[int, list[ServiceSpecialist]]:
    found: dict[int, list[ServiceSpecialist]] = {}
    ids = list(set(unit_ids))
    if ids:
        for sp in db.session.scalars(select(ServiceSpecialist).where(ServiceSpecialist.unit_id.in_(ids),
                                                                     ServiceSpecialist.active.is_(True))
                                     .order_by(ServiceSpecialist.id)):
            found.setdefault(sp.unit_id, []).append(sp)
    return found


@dataclass
class ServiceInput:
    category: str | None
    name: str
    content: str
    unit: Unit | None
    venue: str
    notice_mode: str
    notice_text: str


def _check_service(data: ServiceInput) -> None:
    if data.category not in SERVICE_CATEGORIES:
        raise GreenError("请选择服务类别。", "category")
    if not data.name.strip():
        raise GreenError("请填写服务事项名称。", "name")
    if not data.content.strip():
        raise GreenError("请填写优惠政策或便利服务内容。", "content")
    if data.unit is None:
        raise GreenError("找不到该主管部门（单位代码）。", "unit_code")
    if data.notice_mode not in NOTICE_MODES:
        raise GreenError("请选择公示方式。", "notice_mode")
    if data.category in ("tourism", "fitness", "medical") and data.notice_mode != "onsite":
        raise GreenError("旅游服务、体育健身、医疗保健事项须在承办机构显著位置公示。", "notice_mode")
    if data.notice_mode == "onsite" and not data.venue.strip():
        raise GreenError("在承办机构公示的，请填写承办机构。", "venue")
    if not data.notice_text.strip():
        raise GreenError("请填写公示内容。", "notice_text")


def propose_change(user, kind: str, *, service: GreenService | None, data: ServiceInput | None,
                   reason: str) -> ServiceChange:
    """人才办 or 工信局 propose a new item, a change or a removal (动态调整) for the leading group."""
    require(is_office(user))
    if not reason.strip():
        raise GreenError("请说明调整理由（企业家需求等）。", "reason")
    if kind == "add":
        _check_service(data)
    elif kind in ("modify", "remove"):
        if service is None or service.status != "active":
            raise GreenError("请选择目录中的服务事项。", "service")
        pending = db.session.scalar(select(ServiceChange.id).where(ServiceChange.service_id == service.id,
                                                                   ServiceChange.status == "proposed"))
        if pending:
            raise GreenError("该事项已有待审定的调整申请。", "service")
        if kind == "modify":
            _check_service(data)
    else:
        raise GreenError("请选择调整类型。", "kind")
    change = ServiceChange(kind=kind, service_id=service.id if service else None, reason=reason.strip(),
                           proposed_by_id=user.id, proposed_unit_id=user.unit_id)
    if data is not None and kind != "remove":
        change.category, change.name, change.content = data.category, data.name.strip(), data.content.strip()
        change.unit_id, change.venue = data.unit.id, data.venue.strip()
        change.notice_mode, change.notice_text = data.notice_mode, data.notice_text.strip()
    db.session.add(change)
    db.session.flush()
    audit.record("care.green.propose", target=f"service_change:{change.id}", detail={"kind": kind})
    return change


def decide_change(user, change: ServiceChange, *, approve: bool, note: str, on: date | None = None) -> GreenService | None:
    """市人才工作领导小组 (a leader) approves or refuses (irreversible). An approved addition enters the
    catalogue at once (向社会公布) and its unit owes the implementation rules within 30 days (a matter);
    a modification applies at once; a removal takes the item out of the catalogue."""
    require(R.LEADER in user.roles)
    if change.status != "proposed":
        raise GreenError("该调整申请已经审定。")
    on = on or local_today()
    if not approve and not note.strip():
        raise GreenError("不同意的请说明理由。", "note")
    change.status = "approved" if approve else "rejected"
    change.decided_by_id, change.decided_on, change.decision_note = user.id, on, note.strip()
    service = change.service
    if approve and change.kind == "add":
        service = GreenService(category=change.category, name=change.name, content=change.content,
                               unit_id=change.unit_id, venue=change.venue, notice_mode=change.notice_mode,
                               notice_text=change.notice_text, approved_on=on,
                               rules_due=on + timedelta(days=rules.RULES_DAYS))
        db.session.add(service)
        db.session.flush()
        change.service_id = service.id
        matter = ledger.create_matter(module=MODULE, kind="rules", title=f"制定实施细则：{service.name}",
                                      description="领导小组批准新纳入服务目录，请及时制定具体实施细则向社会公布，"
                                                  "并报市高层次人才服务窗口备案。",
                                      source="市人才工作领导小组", ref=f"care.green.service:{service.id}",
                                      responsible_unit_id=service.unit_id, deadline=service.rules_due, user=user)
        ledger.move(matter, workflow.ASSIGNED, user=user, note="请在期限内公布实施细则并报备案。")
        service.rules_matter_id = matter.id
    elif approve and change.kind == "modify":
        for name in ("category", "name", "content", "unit_id", "venue", "notice_mode", "notice_text"):
            setattr(service, name, getattr(change, name))
    elif approve and change.kind == "remove":
        service.status, service.withdrawn_on = "withdrawn", on
    db.session.flush()
    audit.record("care.green.decide", target=f"service_change:{change.id}", detail={"approve": approve})
    return service


def can_publish_rules(user, service: GreenService) -> bool:
    return is_unit_staff(user, service.unit_id) or is_office(user)


def publish_rules(user, service: GreenService, rules_text: str, on: date | None = None) -> None:
    """The responsible unit publishes the implementation rules (irreversible) and reports them for 备案."""
    require(can_publish_rules(user, service))
    if service.status != "active":
        raise GreenError("该事项已调出服务目录。")
    if service.rules_published_on is not None:
        raise GreenError("实施细则已经公布。")
    if not rules_text.strip():
        raise GreenError("请填写实施细则。", "rules_text")
    service.rules_text, service.rules_published_on = rules_text.strip(), on or local_today()
    matter = db.session.get(Matter, service.rules_matter_id) if service.rules_matter_id else None
    if matter is not None and matter.status in (workflow.ASSIGNED, workflow.IN_PROGRESS):
        if matter.status == workflow.ASSIGNED:
            ledger.move(matter, workflow.IN_PROGRESS, user=user)
        ledger.move(matter, workflow.CONCLUDED, user=user, note="实施细则已向社会公布，报请备案。")
    audit.record("care.green.rules", target=f"green_service:{service.id}")


def file_rules(user, service: GreenService, on: date | None = None) -> str:
    """市高层次人才服务窗口 (人才办) records the filing (备案) of published rules: a number 绿备〔YYYY〕N号."""
    require(in_units(user, ("RCB",)))
    if service.rules_published_on is None:
        raise GreenError("实施细则尚未公布，不能备案。")
    if service.filing_number:
        raise GreenError("该实施细则已经备案。")
    on = on or local_today()
    prefix = f"绿备〔{on.year}〕"
    count = db.session.scalar(select(func.count()).select_from(GreenService).where(
        GreenService.filing_number.like(prefix + "%")))
    service.filing_number = f"{prefix}{count + 1}号"
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise GreenError("备案编号冲突，请重试。") from None
    matter = db.session.get(Matter, service.rules_matter_id) if service.rules_matter_id else None
    if matter is not None and matter.status == workflow.CONCLUDED:
        ledger.move(matter, workflow.FEEDBACK_GIVEN, user=user, note=f"已备案，备案号 {service.filing_number}。")
        ledger.move(matter, workflow.CLOSED, user=user, note="销号。")
    audit.record("care.green.filed", target=f"green_service:{service.id}", detail={"number": service.filing_number})
    return service.filing_number


# -- 服务专员 -------------------------------------------------------------------------------------------
def can_manage_specialists(user, unit_id: int) -> bool:
    return is_office(user) or is_unit_staff(user, unit_id)


def add_specialist(user, unit: Unit | None, *, name: str, post: str, phone: str) -> ServiceSpecialist:
    if unit is None:
        raise GreenError("找不到该单位代码。", "unit_code")
    require(can_manage_specialists(user, unit.id))
    if not name.strip() or not phone.strip():
        raise GreenError("请填写服务专员姓名和联系电话。", "name")
    specialist = ServiceSpecialist(unit_id=unit.id, name=name.strip(), post=post.strip(), phone=phone.strip())
    db.session.add(specialist)
    db.session.flush()
    audit.record("care.green.specialist", target=f"unit:{unit.id}", detail={"add": specialist.name})
    return specialist


def remove_specialist(user, specialist: ServiceSpecialist) -> None:
    require(can_manage_specialists(user, specialist.unit_id))
    specialist.active, specialist.removed_on = False, local_today()
    audit.record("care.green.specialist", target=f"unit:{specialist.unit_id}", detail={"remove": specialist.name})


def specialist_query(*, q: str = "", unit_id: int | None = None):
    stmt = select(ServiceSpecialist).join(Unit, Unit.id == ServiceSpecialist.unit_id).where(
        ServiceSpecialist.active.is_(True))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(ServiceSpecialist.name.ilike(like), Unit.name.ilike(like)))
    if unit_id:
        stmt = stmt.where(ServiceSpecialist.unit_id == unit_id)
    return stmt.order_by(Unit.code, ServiceSpecialist.id)


# -- 问题反馈 -------------------------------------------------------------------------------------------
def entitlement(enterprise_id: int | None):
    """The listing that entitles an enterprise to the green channel (latest published list), or None."""
    return honours.latest_listing(enterprise_id) if enterprise_id else None


def file_feedback(user, service: GreenService | None, *, description: str, occurred_on: date | None) -> ServiceFeedback:
    """An excellent entrepreneur reports unsatisfactory service: a matter for 人才办/工信局, who hand it to
    the unit within 2 days ("第一时间")."""
    require(bool(user.roles & {R.ENTERPRISE, R.EVALUATOR}) and user.enterprise_id is not None)
    listing = entitlement(user.enterprise_id)
    if listing is None:
        raise GreenError("贵企业不在最新公布的优秀企业家名单中，暂不能使用绿色通道问题反馈。")
    if service is None or service.status != "active":
        raise GreenError("请选择服务事项。", "service")
    if not description.strip():
        raise GreenError("请写明遇到的问题。", "description")
    today = local_today()
    if occurred_on is not None and occurred_on > today:
        raise GreenError("发生日期不能晚于今天。", "occurred_on")
    matter = ledger.create_matter(
        module=MODULE, kind="feedback", title=f"绿色通道问题反馈：{service.name}", description=description.strip(),
        source=f"优秀企业家 {listing.entrepreneur_name}", ref=f"care.green.service:{service.id}",
        deadline=today + timedelta(days=rules.FEEDBACK_FORWARD_DAYS), priority="high", user=user)
    feedback = ServiceFeedback(service_id=service.id, unit_id=service.unit_id, enterprise_id=user.enterprise_id,
                               user_id=user.id, description=description.strip(), occurred_on=occurred_on,
                               matter_id=matter.id)
    db.session.add(feedback)
    db.session.flush()
    audit.record("care.green.feedback", target=f"green_feedback:{feedback.id}")
    return feedback


def can_read_feedback(user, feedback: ServiceFeedback) -> bool:
    if is_office(user):
        return True
    if user.enterprise_id == feedback.enterprise_id and user.roles & {R.ENTERPRISE, R.EVALUATOR}:
        return True
    return R.DEPARTMENT in user.roles and feedback.matter.responsible_unit_id == user.unit_id \
        and user.unit_id is not None


def feedback_query(user, *, q: str = "", status: str = "", overdue: bool = False):
    stmt = select(ServiceFeedback).join(Matter, Matter.id == ServiceFeedback.matter_id)
    if is_office(user):
        pass
    elif user.roles & {R.ENTERPRISE, R.EVALUATOR} and user.enterprise_id is not None:
        stmt = stmt.where(ServiceFeedback.enterprise_id == user.enterprise_id)
    elif R.DEPARTMENT in user.roles and user.unit_id is not None:
        stmt = stmt.where(Matter.responsible_unit_id == user.unit_id)
    else:
        raise NotYours("feedback")
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(ServiceFeedback.description.ilike(like), Matter.title.ilike(like)))
    if status:
        stmt = stmt.where(Matter.status == status)
    if overdue:
        stmt = stmt.where(ledger.overdue_clause())
    return stmt.order_by(Matter.status.in_(workflow.OPEN_STATUSES).desc(), Matter.deadline, ServiceFeedback.id.desc())


def handle_feedback(user, feedback: ServiceFeedback, target: str, *, note: str, unit: Unit | None = None,
                    deadline: date | None = None) -> None:
    """One step on a report's matter: 交办 (office: the unit, 10 days by default), 办理/办结 (the unit),
    反馈 (office: the answer the entrepreneur reads), 销号 (office), 退回."""
    matter = feedback.matter
    if target not in ledger.allowed_moves(user, matter):
        raise GreenError("您不能进行该操作。", "target")
    if target == workflow.ASSIGNED:
        unit = unit or feedback.unit
        deadline = deadline or local_today() + timedelta(days=rules.FEEDBACK_HANDLE_DAYS)
        if deadline < local_today():
            raise GreenError("办理期限不能早于今天。", "deadline")
        feedback.unit_id = unit.id
    try:
        ledger.move(matter, target, user=user, note=note.strip(), responsible_unit_id=unit.id if unit else None,
                    deadline=deadline if target == workflow.ASSIGNED else None)
    except workflow.TransitionError as exc:
        raise GreenError(str(exc), "note") from None


def rate_feedback(user, feedback: ServiceFeedback, rating: str) -> None:
    require(user.enterprise_id == feedback.enterprise_id and bool(user.roles & {R.ENTERPRISE, R.EVALUATOR}))
    if feedback.matter.status not in (workflow.FEEDBACK_GIVEN, workflow.CLOSED):
        raise GreenError("收到办理答复后才能评价。", "rating")
    if feedback.rating is not None:
        raise GreenError("已经评价过。", "rating")
    if rating not in RATINGS:
        raise GreenError("请选择评价。", "rating")
    feedback.rating, feedback.rated_at = rating, utcnow()
    audit.record("care.green.rate", target=f"green_feedback:{feedback.id}", detail={"rating": rating})


# -- 督查评估 -------------------------------------------------------------------------------------------
def _unit_facts(start: date, end: date, as_of: date) -> dict[int, dict]:
    """Per unit responsible for a service in the catalogue during the period (or a report in it)."""
    facts: dict[int, dict] = {}

    def row(unit_id):
        return facts.setdefault(unit_id, {"services": 0, "late_rules": 0, "feedback": 0, "late_feedback": 0,
                                          "dissatisfied": 0})

    services = db.session.scalars(select(GreenService).where(
        GreenService.approved_on <= end, or_(GreenService.withdrawn_on.is_(None), GreenService.withdrawn_on >= start)))
    for service in services:
        r = row(service.unit_id)
        r["services"] += 1
        due = service.rules_due
        if due is not None and start <= due <= end and rules.was_late(due, service.rules_published_on, as_of):
            r["late_rules"] += 1
    reports = list(db.session.execute(select(ServiceFeedback, Matter).join(Matter, Matter.id == ServiceFeedback.matter_id)
                                      .where(ServiceFeedback.created_at >= day_start_utc(start),
                                             ServiceFeedback.created_at < day_start_utc(end + timedelta(days=1)))))
    done = concluded_on([m.id for _, m in reports])
    for feedback, matter in reports:
        r = row(feedback.unit_id)
        r["feedback"] += 1
        assigned = matter.status != workflow.RECEIVED and matter.responsible_unit_id is not None
        if assigned and rules.was_late(matter.deadline, done.get(matter.id), as_of):
            r["late_feedback"] += 1
        r["dissatisfied"] += feedback.rating == "dissatisfied"
    return facts


def compute_evaluation(user, *, title: str, start: date, end: date, on: date | None = None) -> ServiceEvaluation:
    """Evaluate every unit with a service (or a report) in the period; replaces an unissued draft of
    the same period. Counted as of the period's end (or today, if earlier)."""
    require(is_evaluator(user))
    on = on or local_today()
    if end < start:
        raise GreenError("结束日期不能早于开始日期。", "end")
    if start > on:
        raise GreenError("评估期尚未开始。", "start")
    evaluation = db.session.scalar(select(ServiceEvaluation).where(ServiceEvaluation.period_start == start,
                                                                   ServiceEvaluation.period_end == end))
    if evaluation is not None and evaluation.issued_on is not None:
        raise GreenError("该评估期的评估已经通报，不能重新计算。", "start")
    if evaluation is None:
        evaluation = ServiceEvaluation(title=title.strip(), period_start=start, period_end=end, computed_on=on)
        db.session.add(evaluation)
    else:
        evaluation.title, evaluation.computed_on = title.strip(), on
        for old in list(evaluation.rows):
            db.session.delete(old)
    db.session.flush()
    as_of = min(on, end)
    facts = _unit_facts(start, end, as_of)
    staffed = set(specialists_of(facts))
    for unit_id, f in facts.items():
        core = rules.UnitServiceFacts(unit_id in staffed, f["late_rules"], f["late_feedback"], f["dissatisfied"])
        score = rules.service_score(core)
        db.session.add(ServiceEvaluationRow(evaluation_id=evaluation.id, unit_id=unit_id, services=f["services"],
                                            has_specialist=core.has_specialist, late_rules=f["late_rules"],
                                            feedback=f["feedback"], late_feedback=f["late_feedback"],
                                            dissatisfied=f["dissatisfied"], score=score,
                                            grade=rules.service_grade(score)))
    db.session.flush()
    db.session.expire(evaluation, ["rows"])
    audit.record("care.green.evaluate", target=f"service_evaluation:{evaluation.id}", detail={"units": len(facts)})
    return evaluation


def issue_evaluation(user, evaluation: ServiceEvaluation, note: str, on: date | None = None) -> int:
    """Issue the evaluation (irreversible): units graded 一般 or 较差 are circulated with a 通报整改 matter
    (30 days). Returns the number of such matters."""
    require(is_evaluator(user))
    if evaluation.issued_on is not None:
        raise GreenError("该评估已经通报。")
    on = on or local_today()
    evaluation.issued_on, evaluation.issued_by_id, evaluation.note = on, user.id, note.strip()
    count = 0
    for row in evaluation.rows:
        if not row.circulated:
            continue
        matter = ledger.create_matter(
            module=MODULE, kind="rectification", title=f"通报整改：{row.unit.name}（{evaluation.title}）",
            description=f"绿色通道服务评估为“{row.grade_label}”（{row.score} 分）：未配备服务专员 "
                        f"{'否' if row.has_specialist else '是'}，实施细则逾期 {row.late_rules} 项，问题反馈逾期 "
                        f"{row.late_feedback} 件，不满意评价 {row.dissatisfied} 件。",
            source="市委组织部、市工业和信息化局", ref=f"care.green.evaluation:{evaluation.id}",
            responsible_unit_id=row.unit_id, deadline=on + timedelta(days=rules.CIRCULAR_RECTIFY_DAYS),
            priority="high", user=user)
        ledger.move(matter, workflow.ASSIGNED, user=user, note="请对照评估意见限期整改并报告。")
        row.matter_id = matter.id
        count += 1
    db.session.flush()
    audit.record("care.green.evaluation_issued", target=f"service_evaluation:{evaluation.id}",
                 detail={"circulated": count})
    return count


def pending_changes() -> int:
    """Catalogue changes waiting for the leading group's decision."""
    return db.session.scalar(select(func.count()).select_from(ServiceChange).where(ServiceChange.status == "proposed"))


def statistics(user) -> dict[str, int]:
    """The dashboard's figures in one query (COUNT(CASE ...) per figure)."""
    kinds = {"received": Matter.status == workflow.RECEIVED,
             "open": Matter.status.in_(workflow.OPEN_STATUSES),
             "overdue": ledger.overdue_clause(),
             "to_close": Matter.status.in_((workflow.CONCLUDED, workflow.FEEDBACK_GIVEN))}
    pending = select(func.count()).select_from(ServiceChange).where(ServiceChange.status == "proposed").scalar_subquery()
    row = db.session.execute(select(*(func.count(sql_case((cond, 1))) for cond in kinds.values()), pending)
                             .select_from(Matter).where(Matter.module == MODULE, ledger.visibility_clause(user))).one()
    return {**{name: int(n or 0) for name, n in zip(kinds, row)}, "pending_changes": int(row[-1] or 0)}
