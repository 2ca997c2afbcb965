"""Use cases of the matter ledger. Modules call `create_matter`, `move`, `supervise` (督办) and
`escalate` (提级); every change leaves a MatterEvent (who, when, note) and an audit entry. A module
registers itself once with `register_module` (its label, the roles that own its matters)."""
from __future__ import annotations

from datetime import date
from typing import Callable

from sqlalchemy import and_, case, false, or_, select

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.ledger.models import MODULES, Matter, MatterEvent
from govsvc.timeutil import local_today, utcnow

# Who owns (runs) the matters of each module: they may see and move all of them.
MODULE_OWNERS: dict[str, frozenset[str]] = {
    "general": frozenset({R.ADMIN}),
    "survey": frozenset({R.ORGANIZER}),
    "grading": frozenset({R.JUSTICE}),
    "inspections": frozenset({R.JUSTICE}),
    "integrity": frozenset({R.DISCIPLINE}),
}
SENSITIVE_MODULES: set[str] = {"integrity"}
# A module may narrow what its owners see: fn(user) → the unit ids whose matters (by responsible
# unit) this owner may see and move, or None for all (e.g. unit discipline staff: their own units).
OWNER_SCOPES: dict[str, Callable[..., "set[int] | None"]] = {}


# A module may own the page of its matters (its own rules, audited reads): module → endpoint
# taking `matter_id`. The generic ledger page then sends the user there.
MATTER_PAGES: dict[str, str] = {}


def register_module(name: str, label: str, owners, *, sensitive: bool = False, page: str | None = None,
                    scope: Callable[..., "set[int] | None"] | None = None) -> None:
    """Make a module's matters known to the ledger: `owners` (roles) see and move all of them (or
    those of the units `scope(user)` returns); a sensitive module's matters are hidden from admins
    and unit staff; `page` is the endpoint (taking `matter_id`) that shows one of its matters."""
    if len(name) > 20:
        raise ValueError(f"module name {name!r} is longer than the column (20)")
    MODULES[name] = label
    MODULE_OWNERS[name] = frozenset(owners)
    if sensitive:
        SENSITIVE_MODULES.add(name)
    if page:
        MATTER_PAGES[name] = page
    if scope:
        OWNER_SCOPES[name] = scope


def owner_units(user, module: str) -> set[int] | None:
    scope = OWNER_SCOPES.get(module)
    return scope(user) if scope is not None else None


def _actor(user):
    return (user.id, user.username) if user is not None and getattr(user, "is_authenticated", False) else (None, "")


def create_matter(*, module: str, kind: str, title: str, description: str = "", source: str = "",
                  ref: str = "", responsible_unit_id: int | None = None, deadline: date | None = None,
                  priority: str = "normal", user=None, note: str = "") -> Matter:
    if module not in MODULES:
        raise ValueError(f"unknown module {module!r}")
    if priority not in workflow.PRIORITY_LABELS:
        raise ValueError(f"unknown priority {priority!r}")
    user_id, username = _actor(user)
    matter = Matter(module=module, kind=kind, title=title, description=description, source=source, ref=ref,
                    responsible_unit_id=responsible_unit_id, deadline=deadline, priority=priority,
                    created_by_id=user_id)
    matter.events.append(MatterEvent(user_id=user_id, username=username, from_status="",
                                     to_status=workflow.RECEIVED, note=note))
    db.session.add(matter)
    db.session.flush()
    audit.record("matter.create", target=f"matter:{matter.id}", detail={"kind": kind, "module": module},
                 category="integrity" if module in SENSITIVE_MODULES else "general")
    return matter


def is_owner(user, matter: Matter) -> bool:
    if not user.roles & MODULE_OWNERS.get(matter.module, frozenset()):
        return False
    units = owner_units(user, matter.module)
    return units is None or matter.responsible_unit_id in units


def can_see(user, matter: Matter) -> bool:
    if is_owner(user, matter):
        return True
    if matter.module in SENSITIVE_MODULES:
        return False
    if R.ADMIN in user.roles:
        return True
    return R.DEPARTMENT in user.roles and user.unit_id is not None and matter.responsible_unit_id == user.unit_id


def allowed_moves(user, matter: Matter) -> tuple[str, ...]:
    moves = matter.next_statuses
    if is_owner(user, matter):
        return moves
    if R.DEPARTMENT in user.roles and matter.responsible_unit_id == user.unit_id and matter.module not in SENSITIVE_MODULES:
        return tuple(m for m in moves if (matter.status, m) in workflow.UNIT_MOVES)
    return ()


def move(matter: Matter, target: str, *, user, note: str = "", responsible_unit_id: int | None = None,
         deadline: date | None = None) -> MatterEvent:
    """Change a matter's status (and, on assignment, its unit and deadline)."""
    workflow.check_transition(matter.status, target, note)
    if target == workflow.ASSIGNED:
        if responsible_unit_id is not None:
            matter.responsible_unit_id = responsible_unit_id
        if matter.responsible_unit_id is None:
            raise workflow.TransitionError("交办时必须指定承办单位。")
    if deadline is not None:
        matter.deadline = deadline
    user_id, username = _actor(user)
    event = MatterEvent(user_id=user_id, username=username, from_status=matter.status, to_status=target, note=note)
    matter.events.append(event)
    matter.status = target
    matter.updated_at = utcnow()  # written with the next flush (the matter has its id already)
    audit.record("matter.move", target=f"matter:{matter.id}",
                 detail={"from": event.from_status, "to": target},
                 category="integrity" if matter.module in SENSITIVE_MODULES else "general")
    return event


def supervise(matter: Matter, *, user, note: str, deadline: date | None = None) -> MatterEvent:
    """督办: the owner urges the responsible unit (optionally with a new deadline); the status stays."""
    if matter.status not in workflow.OPEN_STATUSES:
        raise workflow.TransitionError(f"“{matter.status_label}”的事项无需督办。")
    if not note.strip():
        raise workflow.TransitionError("督办需要填写督办意见。")
    if deadline is not None:
        matter.deadline = deadline
    user_id, username = _actor(user)
    event = MatterEvent(user_id=user_id, username=username, from_status=matter.status, to_status=matter.status,
                        note=note, action=workflow.SUPERVISE)
    matter.events.append(event)
    matter.updated_at = utcnow()
    db.session.flush()
    audit.record("matter.supervise", target=f"matter:{matter.id}", detail={"deadline": str(deadline or "")},
                 category="integrity" if matter.module in SENSITIVE_MODULES else "general")
    return event


def escalate(matter: Matter, *, user, note: str, responsible_unit_id: int | None = None,
             deadline: date | None = None, kind: str | None = None, title: str | None = None,
             source: str | None = None, priority: str | None = None, module: str | None = None) -> Matter:
    """提级: the matter could not be settled at its level. It ends as `escalated` (not open, never
    overdue) and a new matter at the next level starts as received, with `parent_id` pointing back,
    the same content and reference unless given, so the whole path stays readable (`lineage`)."""
    workflow.check_escalation(matter.status, note)
    user_id, username = _actor(user)
    matter.events.append(MatterEvent(user_id=user_id, username=username, from_status=matter.status,
                                     to_status=workflow.ESCALATED, note=note, action=workflow.ESCALATE))
    matter.status = workflow.ESCALATED
    matter.updated_at = utcnow()
    upper = create_matter(module=module or matter.module, kind=kind or matter.kind, title=title or matter.title,
                          description=matter.description, source=source if source is not None else matter.source,
                          ref=matter.ref, responsible_unit_id=responsible_unit_id, deadline=deadline,
                          priority=priority or matter.priority, user=user, note=f"由事项 #{matter.id} 提级：{note}")
    upper.parent_id = matter.id
    db.session.flush()
    audit.record("matter.escalate", target=f"matter:{matter.id}", detail={"to": upper.id},
                 category="integrity" if matter.module in SENSITIVE_MODULES else "general")
    return upper


def lineage(matter: Matter) -> list[Matter]:
    """The escalation path this matter is on, lowest level first (itself included)."""
    path = [matter]
    while path[0].parent_id is not None:
        path.insert(0, db.session.get(Matter, path[0].parent_id))
    while True:
        child = db.session.scalar(select(Matter).where(Matter.parent_id == path[-1].id).order_by(Matter.id))
        if child is None:
            return path
        path.append(child)


def visibility_clause(user):
    """SQL condition for the matters this user may list."""
    clauses = []
    for module, owners in MODULE_OWNERS.items():
        if user.roles & owners:
            units = owner_units(user, module)
            clauses.append(Matter.module == module if units is None
                           else and_(Matter.module == module, Matter.responsible_unit_id.in_(units)))
    if R.ADMIN in user.roles:
        clauses.append(Matter.module.not_in(SENSITIVE_MODULES))
    if R.DEPARTMENT in user.roles and user.unit_id is not None:
        clauses.append(and_(Matter.responsible_unit_id == user.unit_id, Matter.module.not_in(SENSITIVE_MODULES)))
    return or_(*clauses) if clauses else false()


def overdue_clause(today: date | None = None):
    today = today or local_today()
    return and_(Matter.status.in_(workflow.OPEN_STATUSES), Matter.deadline.is_not(None), Matter.deadline < today)


def matters_query(user, *, q: str = "", status: str = "", module: str = "", overdue: bool = False):
    """Visible matters, overdue first, then by deadline (no deadline last), newest first."""
    today = local_today()
    stmt = select(Matter).where(visibility_clause(user))
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Matter.title.ilike(like), Matter.description.ilike(like), Matter.source.ilike(like)))
    if status:
        stmt = stmt.where(Matter.status == status)
    if module:
        stmt = stmt.where(Matter.module == module)
    if overdue:
        stmt = stmt.where(overdue_clause(today))
    is_overdue = overdue_clause(today)
    return stmt.order_by(case((is_overdue, 0), else_=1), Matter.deadline.is_(None), Matter.deadline,
                         Matter.id.desc())
