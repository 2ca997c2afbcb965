"""Coordination matters (协调事项) and tasks on the shared ledger.

A coordination matter is raised at the 业务会议 tier (kind `coord.business`) for a lead unit —
by default the first lead unit of the duty matrix for its kind. What a tier cannot settle goes
one tier up (提级): `ledger.service.escalate` ends the matter as `escalated` and a new matter of
the next tier (`coord.topic`, then `coord.joint`) carries on with `parent_id` pointing back, so
`lineage(matter)` is the whole path. A meeting's decision becomes tasks (kind `task`) for named
units with deadlines. Units move their own matters (办理中 → 办结); the office gives feedback and
closes them (销号) — a coordination matter only once every task and letter on it is closed.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Date, Integer, and_, bindparam, case, func, or_, select

from govsvc.auth import roles as R
from govsvc.bankruptcy.access import NotAllowed, ServiceError, is_office, is_staff, sees_all, unit_scope
from govsvc.bankruptcy.directory import lead_unit_for
from govsvc.bankruptcy.models import (COORD_KINDS, HANDOVER, LETTER, MATTER_TYPES, TASK, Decision, Letter, MatterInfo,
                                      coord_kind, tier_of)
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.registry.models import Unit
from govsvc.timeutil import local_today
from scoring import bankruptcy as core

MODULE = "bankruptcy"
DEFAULT_DAYS = 30       # default deadline of a new coordination matter (days)
CONFIRM_MOVES = frozenset({workflow.CONCLUDED, workflow.CLOSED})   # irreversible: asked first

ACTION_LABELS = {
    workflow.ASSIGNED: "交办",
    workflow.IN_PROGRESS: "开始办理",
    workflow.CONCLUDED: "办结",
    workflow.FEEDBACK_GIVEN: "反馈意见",
    workflow.CLOSED: "销号",
    workflow.RETURNED: "退回",
}


def info_of(matter: Matter) -> MatterInfo | None:
    return db.session.get(MatterInfo, matter.id)


def _search(text: str) -> str:
    return (text or "").replace("\x00", "").strip()


# -- raising and escalating --------------------------------------------------------------------
def raise_matter(user, *, matter_type: str, title: str, description: str, unit: Unit | None = None,
                 deadline: date | None = None, case=None, priority: str = "normal") -> Matter:
    """A member unit, the court or the office raises a matter for the 业务会议 tier."""
    if not (is_staff(user) or user.has_role(R.DEPARTMENT)):
        raise NotAllowed("raise matter")
    errors = {}
    today = local_today()
    if matter_type not in MATTER_TYPES:
        errors["matter_type"] = "请选择协调事项类别。"
    unit = unit or (lead_unit_for(matter_type) if matter_type in MATTER_TYPES else None)
    if unit is None and "matter_type" not in errors:
        errors["unit_code"] = "职责分工中该类事项没有牵头单位，请填写承办单位代码。"
    if not title.strip():
        errors["title"] = "请填写事项标题。"
    deadline = deadline or today + timedelta(days=DEFAULT_DAYS)
    if deadline < today:
        errors["deadline"] = "办理期限不能早于今天。"
    if errors:
        raise ServiceError(errors)
    proposer = user.unit if user.unit_id else None
    source = f"{proposer.name}提议" if proposer else "府院联动机制"
    matter = ledger.create_matter(module=MODULE, kind=coord_kind("business"), title=title.strip(),
                                  description=description.strip(), source=source[:100],
                                  ref=f"bankruptcy.case:{case.id}" if case else "", responsible_unit_id=unit.id,
                                  deadline=deadline, priority=priority, user=user)
    db.session.add(MatterInfo(matter_id=matter.id, matter_type=matter_type, case_id=case.id if case else None,
                              proposed_by_unit_id=proposer.id if proposer else None))
    db.session.flush()
    return matter


def escalate_matter(user, matter: Matter, note: str, *, deadline: date | None = None) -> Matter:
    """提级: the tier could not settle the matter; it goes to the next tier's meeting with its
    history (业务会议 → 专题会议 → 联席会议). The office does it (seed 000: 办公室主任召集专题会议，
    办公室提请召开联席会议)."""
    if not is_office(user):
        raise NotAllowed("escalate")
    tier = tier_of(matter.kind)
    if tier is None:
        raise ServiceError({"note": "只有协调事项可以提交上一级会议。"})
    try:
        upper_tier = core.next_tier(tier)
    except core.EscalationError as exc:
        raise ServiceError({"note": str(exc)}) from None
    today = local_today()
    if deadline is not None and deadline < today:
        raise ServiceError({"deadline": "办理期限不能早于今天。"})
    label = core.TIER_LABELS[upper_tier]
    try:
        upper = ledger.escalate(matter, user=user, note=note.strip(), responsible_unit_id=matter.responsible_unit_id,
                                deadline=deadline or matter.deadline, kind=coord_kind(upper_tier),
                                source=f"{core.TIER_LABELS[tier]}提请{label}研究")
    except workflow.TransitionError as exc:
        raise ServiceError({"note": str(exc)}) from None
    info = info_of(matter)
    db.session.add(MatterInfo(matter_id=upper.id, matter_type=info.matter_type if info else "other",
                              case_id=info.case_id if info else None,
                              proposed_by_unit_id=info.proposed_by_unit_id if info else None))
    db.session.flush()
    return upper


def supervise_matter(user, matter: Matter, note: str, deadline: date | None = None):
    """督办 by the office: the status stays, the matter becomes urgent."""
    if not is_office(user):
        raise NotAllowed("supervise")
    if deadline is not None and deadline < local_today():
        raise ServiceError({"deadline": "新的办理期限不能早于今天。"})
    try:
        event = ledger.supervise(matter, user=user, note=note.strip(), deadline=deadline)
    except workflow.TransitionError as exc:
        raise ServiceError({"note": str(exc)}) from None
    matter.priority = "urgent"
    db.session.flush()
    return event


# -- tasks of decisions --------------------------------------------------------------------------
def create_task(user, decision: Decision, *, unit: Unit, deadline: date, text: str) -> Matter:
    """A decision's task for a named unit, assigned at once (交办) with its deadline."""
    base = info_of(decision.matter) if decision.matter_id else None
    meeting = decision.meeting
    source = meeting.minutes_number or f"{meeting.tier_label}（{(meeting.held_on or meeting.planned_on).isoformat()}）"
    task = ledger.create_matter(module=MODULE, kind=TASK, title=text.strip()[:200], description=decision.text,
                                source=source[:100], ref=f"bankruptcy.decision:{decision.id}",
                                responsible_unit_id=unit.id, deadline=deadline, user=user,
                                note=f"{meeting.title}议定事项")
    db.session.add(MatterInfo(matter_id=task.id, matter_type=base.matter_type if base else "other",
                              case_id=base.case_id if base else None, decision_id=decision.id))
    db.session.flush()
    ledger.move(task, workflow.ASSIGNED, user=user, note=f"依据{meeting.title}议定交办。")
    return task


def tasks_of(decision_ids) -> list[Matter]:
    ids = list(decision_ids)
    if not ids:
        return []
    return list(db.session.scalars(select(Matter).join(MatterInfo, MatterInfo.matter_id == Matter.id)
                                   .where(MatterInfo.decision_id.in_(ids)).order_by(Matter.id)))


def follow_ups(matter: Matter) -> tuple[list[Matter], list[Letter]]:
    """The tasks of decisions taken on this matter (at any tier of its path) and its letters."""
    path_ids = [m.id for m in ledger.lineage(matter)]
    decisions = db.session.scalars(select(Decision.id).where(Decision.matter_id.in_(path_ids))).all()
    letters = list(db.session.scalars(select(Letter).where(Letter.coord_matter_id.in_(path_ids)).order_by(Letter.id)))
    return tasks_of(decisions), letters


def open_follow_ups(matter: Matter) -> list[str]:
    tasks, letters = follow_ups(matter)
    open_tasks = [t for t in tasks if t.status != workflow.CLOSED]
    open_letters = [x for x in letters if x.matter.status != workflow.CLOSED]
    return ([f"任务 #{t.id}（{t.responsible_unit.name if t.responsible_unit else ''}，{t.status_label}）" for t in open_tasks]
            + [f"{x.number}（{x.to_unit.name}，{x.matter.status_label}）" for x in open_letters])


# -- moving matters ------------------------------------------------------------------------------
def allowed_moves(user, matter: Matter) -> tuple[str, ...]:
    """The office moves every matter of the module; the court its hand-overs; a unit its own
    matters' unit moves (开始办理, 办结, 退回). Letters move through 函复 and 销号 on their page."""
    if matter.kind == LETTER:
        return ()
    if is_office(user) or (matter.kind == HANDOVER and user.has_role(R.COURT)):
        return matter.next_statuses
    if user.has_role(R.DEPARTMENT) and user.unit_id is not None and matter.responsible_unit_id == user.unit_id:
        return tuple(m for m in matter.next_statuses if (matter.status, m) in workflow.UNIT_MOVES)
    return ()


def act(user, matter: Matter, target: str, *, note: str = "", unit: Unit | None = None,
        deadline: date | None = None, confirm: bool = False):
    errors = {}
    if target not in allowed_moves(user, matter):
        errors["target"] = "当前不能进行该操作。"
    elif target in CONFIRM_MOVES and not confirm:
        errors["confirm"] = f"“{ACTION_LABELS[target]}”后不能撤回，请勾选确认。"
    elif target == workflow.CLOSED and matter.kind in COORD_KINDS:
        pending = open_follow_ups(matter)
        if pending:
            errors["target"] = "尚有未销号的任务或函件，不能销号：" + "；".join(pending)
    if deadline is not None and deadline < local_today():
        errors["deadline"] = "办理期限不能早于今天。"
    if not errors:
        try:
            workflow.check_transition(matter.status, target, note)
        except workflow.TransitionError as exc:
            errors["note"] = str(exc)
    if errors:
        raise ServiceError(errors)
    return ledger.move(matter, target, user=user, note=note.strip(), deadline=deadline,
                       responsible_unit_id=unit.id if unit else None)


# -- reading -----------------------------------------------------------------------------------
def can_see(user, matter: Matter) -> bool:
    if matter.module != MODULE:
        return False
    if sees_all(user):
        return True
    unit = unit_scope(user)
    if matter.responsible_unit_id == unit:
        return True
    info = info_of(matter)
    return info is not None and info.proposed_by_unit_id == unit


def get_matter(user, matter_id: int) -> Matter | None:
    matter = db.session.get(Matter, matter_id)
    if matter is None or matter.module != MODULE:
        return None
    if not can_see(user, matter):
        raise NotAllowed("matter not visible")
    return matter


def matter_query(user, *, kinds, q: str = "", status: str = "", matter_type: str = "", overdue: bool = False,
                 case_id: int | None = None, unit_id: int | None = None):
    """(Matter, MatterInfo | None) rows of these kinds the user may see: overdue first, then by deadline."""
    today = local_today()
    is_overdue = ledger.overdue_clause(today)
    stmt = (select(Matter, MatterInfo).outerjoin(MatterInfo, MatterInfo.matter_id == Matter.id)
            .where(Matter.module == MODULE, Matter.kind.in_(list(kinds))))
    if not sees_all(user):
        unit = unit_scope(user)
        stmt = stmt.where(or_(Matter.responsible_unit_id == unit, MatterInfo.proposed_by_unit_id == unit))
    q = _search(q)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Matter.title.ilike(like), Matter.description.ilike(like), Matter.source.ilike(like)))
    if status == "open":
        stmt = stmt.where(Matter.status.in_(workflow.OPEN_STATUSES))
    elif status:
        stmt = stmt.where(Matter.status == status)
    if matter_type:
        stmt = stmt.where(MatterInfo.matter_type == matter_type)
    if overdue:
        stmt = stmt.where(is_overdue)
    if case_id is not None:
        stmt = stmt.where(MatterInfo.case_id == case_id)
    if unit_id is not None:
        stmt = stmt.where(Matter.responsible_unit_id == unit_id)
    return stmt.order_by(case((is_overdue, 0), else_=1), Matter.deadline.is_(None), Matter.deadline, Matter.id.desc())


def open_matters_of_tier(user, tier: str) -> list[Matter]:
    """Open coordination matters waiting at a tier (for a meeting's agenda)."""
    stmt = matter_query(user, kinds=[coord_kind(tier)], status="open")
    return [m for m, _ in db.session.execute(stmt.limit(200))]


def path_view(matter: Matter) -> list[dict]:
    """The escalation path with the meetings at each tier, lowest first (for the matter page)."""
    from govsvc.bankruptcy.models import AgendaItem

    path = ledger.lineage(matter)
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.matter_id.in_([m.id for m in path]))
                               .order_by(AgendaItem.id)).all()
    by_matter: dict[int, list] = {}
    for item in items:
        by_matter.setdefault(item.matter_id, []).append(item)
    steps = []
    for m in path:
        escalation = next((e for e in m.events if e.action == workflow.ESCALATE), None)
        steps.append({"matter": m, "tier": tier_of(m.kind), "tier_label": core.TIER_LABELS.get(tier_of(m.kind) or "", ""),
                      "items": by_matter.get(m.id, []), "escalation": escalation})
    return steps


def handover_query(user, *, status: str = ""):
    stmt = select(Matter).where(Matter.module == MODULE, Matter.kind == HANDOVER)
    if status == "open":
        stmt = stmt.where(Matter.status.in_(workflow.OPEN_STATUSES))
    elif status:
        stmt = stmt.where(Matter.status == status)
    return stmt.order_by(case((Matter.status == workflow.RECEIVED, 0), else_=1), Matter.id.desc())


COUNT_NAMES = ("open", "overdue", "letters", "handovers", "to_close")
_COUNTS: dict[bool, object] = {}


def _counts_statement(scoped: bool):
    """COUNT(CASE ...) per kind of waiting work over the bankruptcy matters (bound to :today and,
    when scoped to one unit, :unit), built once per shape."""
    stmt = _COUNTS.get(scoped)
    if stmt is None:
        open_ = Matter.status.in_(workflow.OPEN_STATUSES)
        today = bindparam("today", type_=Date)
        kinds = (and_(open_, Matter.kind.in_(list(COORD_KINDS) + [TASK])),
                 and_(open_, Matter.deadline.is_not(None), Matter.deadline < today),  # ledger.overdue_clause
                 and_(open_, Matter.kind == LETTER),
                 and_(Matter.kind == HANDOVER, Matter.status == workflow.RECEIVED),
                 Matter.status.in_([workflow.CONCLUDED, workflow.FEEDBACK_GIVEN]))
        stmt = (select(*(func.count(case((cond, 1))) for cond in kinds))
                .select_from(Matter).outerjoin(MatterInfo, MatterInfo.matter_id == Matter.id)
                .where(Matter.module == MODULE))
        if scoped:
            unit = bindparam("unit", type_=Integer)
            stmt = stmt.where(or_(Matter.responsible_unit_id == unit, MatterInfo.proposed_by_unit_id == unit))
        _COUNTS[scoped] = stmt
    return stmt


def counts_for(user) -> dict[str, int]:
    """Waiting work for the dashboard panel and the overview, in one query."""
    scoped = not sees_all(user)
    params = {"today": local_today(), **({"unit": unit_scope(user)} if scoped else {})}
    row = db.session.execute(_counts_statement(scoped), params).one()
    return {name: int(n or 0) for name, n in zip(COUNT_NAMES, row)}

