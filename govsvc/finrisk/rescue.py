"""依法挽救陷入担保圈困境的优质企业 (seed 002): the candidate list (by 30 November), the audit and
assessment (抽逃资金 / 恶意逃废债 checks, rescue value) and the rescue ledger with owner, target and
timeline (by 31 December), then the three routes in order — 银企对接 (creditor committee agreement),
行政协调 (guarantee company, bridge fund), 司法介入 (handed to the court: a matter of the bankruptcy
module, from which the court opens a case)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from govsvc import audit
from govsvc.extensions import db
from govsvc.finrisk.access import county_for_district, county_of, get_scoped, in_district, is_regulator, matching
from govsvc.finrisk.maturity import finish_matter
from govsvc.finrisk.models import PROCEDURES, ROUTES, Guarantee, Rescue, RescueStep
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.ledger.service import create_matter, move
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today, utcnow

ROUTE_ORDER = ("bank_talks", "admin_coord", "judicial")
COURT_UNIT = "ZYFY"
LEAD_UNIT = "JRJ"


class RescueError(ValueError):
    pass


def _unit(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _step(rescue: Rescue, user, route: str, action: str, note: str, on: date | None = None) -> None:
    rescue.steps.append(RescueStep(route=route, action=action, on=on or local_today(), note=note,
                                   user_id=user.id if user else None, username=user.username if user else ""))
    db.session.flush()
    audit.record(f"finrisk.rescue.{action}", target=f"finrisk.rescue:{rescue.id}", detail={"route": route})


def in_guarantee_network(enterprise_id: int) -> bool:
    return db.session.scalar(select(Guarantee.id).where(
        or_(Guarantee.guarantor_id == enterprise_id, Guarantee.borrower_id == enterprise_id),
        Guarantee.end_date >= local_today()).limit(1)) is not None


def nominate(user, enterprise: Enterprise, year: int, nomination: str) -> Rescue:
    """摸底排查: a county (its own enterprises) or the regulator puts an enterprise on the candidate list."""
    if not is_regulator(user):
        county = county_of(user)
        if county is None or county.district != enterprise.district:
            raise RescueError("只能列入本县（市、区）的企业。")
    if not nomination.strip():
        raise RescueError("请写明企业的发展思路、盈利能力和涉担保圈情况。")
    if not in_guarantee_network(enterprise.id):
        raise RescueError("该企业不在银行报送的担保关系中，不属于陷入担保圈的企业。")
    if db.session.scalar(select(Rescue.id).where(Rescue.enterprise_id == enterprise.id, Rescue.year == year)):
        raise RescueError(f"该企业已在 {year} 年待挽救名单中。")
    county = county_for_district(enterprise.district)
    rescue = Rescue(enterprise_id=enterprise.id, year=year, county_id=county.id if county else None,
                    nomination=nomination.strip())
    db.session.add(rescue)
    db.session.flush()
    lead = _unit(LEAD_UNIT)
    rescue.matter_id = create_matter(
        module="finrisk", kind="rescue.assess", title=f"待挽救企业审计评估：{enterprise.name}",
        description=rescue.nomination, source="担保圈企业摸底", ref=f"finrisk.rescue:{rescue.id}",
        responsible_unit_id=lead.id if lead else None, deadline=rescue.ledger_due, user=user).id
    _step(rescue, user, "candidate", "listed", rescue.nomination)
    return rescue


def late_nomination(rescue: Rescue) -> bool:
    from govsvc.timeutil import local_datetime

    return local_datetime(rescue.nominated_at).date() > rescue.candidate_due


def assess(user, rescue: Rescue, *, auditor: str, capital_flight: bool, malicious_evasion: bool, rescue_value: bool,
           note: str, owner_unit_id: int | None, target: str, due_date: date | None) -> None:
    """The audit result decides: funds withdrawn, malicious evasion or no rescue value → not rescued;
    otherwise the rescue enters the ledger with its owner, target and due date."""
    if not is_regulator(user):
        raise RescueError("审计评估结论由市地方金融监管局（工作专班）录入。")
    if rescue.stage != "candidate":
        raise RescueError("该企业已完成审计评估。")
    if not auditor.strip() or not note.strip():
        raise RescueError("请填写专业机构和审计评估结论。")
    rescuable = not capital_flight and not malicious_evasion and rescue_value
    if rescuable and (owner_unit_id is None or not target.strip() or due_date is None):
        raise RescueError("列入挽救台账须明确责任主体、任务目标和时间节点。")
    if rescuable and due_date < local_today():
        raise RescueError("时间节点不能早于今天。")
    rescue.auditor, rescue.assessment_note, rescue.assessed_at = auditor.strip(), note.strip(), utcnow()
    rescue.capital_flight, rescue.malicious_evasion, rescue.rescue_value = capital_flight, malicious_evasion, rescue_value
    finish_matter(rescue.matter_id, f"审计评估：{note.strip()}", user)
    if not rescuable:
        reasons = [w for w, found in (("存在抽逃资金", capital_flight), ("存在恶意逃废银行债务", malicious_evasion),
                                      ("不具有挽救价值", not rescue_value)) if found]
        rescue.stage, rescue.outcome = "rejected", "；".join(reasons)
        _step(rescue, user, "assessment", "rejected", rescue.outcome)
        return
    rescue.stage, rescue.owner_unit_id, rescue.target, rescue.due_date = "ledger", owner_unit_id, target.strip(), due_date
    matter = create_matter(module="finrisk", kind="rescue", title=f"依法挽救：{rescue.enterprise.name}",
                           description=f"任务目标：{rescue.target}", source="挽救台账",
                           ref=f"finrisk.rescue:{rescue.id}", deadline=due_date, priority="high", user=user)
    move(matter, workflow.ASSIGNED, user=user, responsible_unit_id=owner_unit_id)
    rescue.matter_id = matter.id
    _step(rescue, user, "assessment", "ledger", f"列入挽救台账；任务目标：{rescue.target}；时间节点：{due_date}")


def next_route(rescue: Rescue) -> str | None:
    """The route that may start now: 银企对接 first; each next one only after the previous failed."""
    if rescue.stage == "ledger":
        return "bank_talks"
    if rescue.stage in ("bank_talks", "admin_coord") and _failed(rescue, rescue.stage):
        following = ROUTE_ORDER[ROUTE_ORDER.index(rescue.stage) + 1]
        return following
    return None


def _failed(rescue: Rescue, route: str) -> bool:
    return any(s.route == route and s.action == "failed" for s in rescue.steps)


def _can_act(user, rescue: Rescue) -> None:
    if is_regulator(user):
        return
    county = county_of(user)
    if county is None or county.id != rescue.county_id:
        raise RescueError("只有工作专班或企业所在县（市、区）政府可以推进挽救。")


def start_route(user, rescue: Rescue, route: str, note: str) -> None:
    _can_act(user, rescue)
    if route == "judicial":
        raise RescueError("司法介入须通过“移交法院”办理。")
    if route != next_route(rescue):
        want = next_route(rescue)
        raise RescueError("施救须按顺序进行：银企对接 → 行政协调 → 司法介入。" +
                          (f"当前可启动：{ROUTES[want]}。" if want else ""))
    if not note.strip():
        raise RescueError("请填写安排（如债委会会议、担保公司或应急转贷安排）。")
    rescue.stage = route
    _step(rescue, user, route, "start", note.strip())


def record_result(user, rescue: Rescue, agreed: bool, note: str) -> None:
    """The current route's result: an agreement (债务清偿协议 / 协调意见) rescues the enterprise;
    a failure opens the next route."""
    _can_act(user, rescue)
    if rescue.stage not in ("bank_talks", "admin_coord") or _failed(rescue, rescue.stage):
        raise RescueError("当前没有进行中的施救措施。")
    if not note.strip():
        raise RescueError("请填写协议内容或未能化解的原因。")
    _step(rescue, user, rescue.stage, "agreed" if agreed else "failed", note.strip())
    if agreed:
        rescue.outcome = note.strip()
        rescue.stage = "rescued"
        finish_matter(rescue.matter_id, f"{ROUTES[rescue.steps[-1].route]}达成协议：{note.strip()}", user)


def handover(user, rescue: Rescue, procedure: str, note: str) -> Matter:
    """司法介入: after bank talks and administrative coordination failed, with the enterprise's consent,
    hand the rescue to the court (a matter of module bankruptcy for 市中级人民法院)."""
    _can_act(user, rescue)
    if next_route(rescue) != "judicial":
        raise RescueError("银企对接和行政协调均未能化解后，方可移交法院司法介入。")
    if procedure not in PROCEDURES:
        raise RescueError("请选择拟采用的程序。")
    if not note.strip():
        raise RescueError("请填写企业意愿和移交说明。")
    court = _unit(COURT_UNIT)
    e = rescue.enterprise
    history = "\n".join(f"{s.on} {ROUTES.get(s.route, '挽救台账')} {s.action_label or s.action}：{s.note}"
                        for s in rescue.steps)
    description = (f"债务人：{e.name}（统一社会信用代码 {e.credit_code}），{e.district}。\n"
                   f"拟采用程序：{PROCEDURES[procedure]}。\n移交说明：{note.strip()}\n"
                   f"挽救经过：\n{history}")
    matter = create_matter(module="bankruptcy", kind="handover.rescue", ref=f"finrisk.rescue:{rescue.id}",
                           title=f"担保圈企业司法介入挽救：{e.name}（{PROCEDURES[procedure]}）", description=description,
                           source="市地方金融监管局（挽救工作专班）", responsible_unit_id=court.id if court else None,
                           priority="high", user=user)
    rescue.procedure, rescue.handover_matter_id, rescue.stage = procedure, matter.id, "judicial"
    _step(rescue, user, "judicial", "handover", f"{PROCEDURES[procedure]}：{note.strip()}")
    finish_matter(rescue.matter_id, f"已移交市中级人民法院司法介入（{PROCEDURES[procedure]}）", user)
    return matter


def get_rescue(user, rescue_id: int) -> Rescue:
    return get_scoped(Rescue, rescue_id, user)


def rescue_query(user, *, q: str = "", stage: str = "", year: int | None = None):
    stmt = matching(in_district(select(Rescue), user, Rescue.enterprise_id), q, Rescue.enterprise_id)
    if stage:
        stmt = stmt.where(Rescue.stage == stage)
    if year:
        stmt = stmt.where(Rescue.year == year)
    return stmt.order_by(Rescue.year.desc(), Rescue.id)
