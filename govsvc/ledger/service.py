"""Use cases of the matter ledger. Modules call `create_matter` and `move`; every change
leaves a MatterEvent (who, when, note) and an audit entry."""
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
SENSITIVE_MODULES = frozenset({"integrity"})
# A module may narrow what its owners see: fn(user) → the unit ids whose matters (by responsible
# unit) this owner may see and move, or None for all (e.g. unit discipline staff: their own units).
OWNER_SCOPES: dict[str, Callable[..., "set[int] | None"]] = {}


# A module may own the page of its matters (its own rules, audited reads): module → endpoint
# taking `matter_id`. The generic ledger page then sends the user there.
MATTER_PAGES: dict[str, str] = {}


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
    matter.updated_at = utcnow()
    db.session.flush()
    audit.record("matter.move", target=f"matter:{matter.id}",
                 detail={"from": event.from_status, "to": target},
                 category="integrity" if matter.module in SENSITIVE_MODULES else "general")
    return event


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
