"""Helpers shared by the second half of the care module (tolerance, 政法委 ledgers, green channel,
honours): who belongs to which unit, and when a ledger matter was concluded."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter, MatterEvent
from govsvc.registry.models import Unit
from govsvc.timeutil import LOCAL_TZ


class NotYours(PermissionError):
    """The account's unit may not do this (the views answer 403, audited)."""


def unit_code_of(user) -> str | None:
    unit = getattr(user, "unit", None)
    return unit.code if unit is not None else None


def in_units(user, codes, *, roles=(R.DEPARTMENT,)) -> bool:
    """The user holds one of `roles` and belongs to one of the units `codes`."""
    return bool(user.roles & set(roles)) and unit_code_of(user) in codes


def require_units(user, codes, *, roles=(R.DEPARTMENT,)) -> None:
    if not in_units(user, codes, roles=roles):
        raise NotYours("unit")


def unit_by_code(code: str | None) -> Unit | None:
    if not code or not code.strip():
        return None
    return db.session.scalar(select(Unit).where(Unit.code == code.strip().upper()))


def units_by_codes(codes) -> list[Unit]:
    found = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(list(codes))))}
    return [found[c] for c in codes if c in found]


CONCLUDED_OR_LATER = (workflow.CONCLUDED, workflow.FEEDBACK_GIVEN, workflow.CLOSED)


def concluded_on(matter_ids) -> dict[int, date]:
    """For matters that are concluded (or answered or closed): the local day of their last move to
    `concluded` — the day the responsible unit reported the work done. Open matters are absent."""
    ids = list(set(matter_ids))
    found: dict[int, date] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        last = (select(MatterEvent.matter_id, func.max(MatterEvent.id).label("event_id"))
                .join(Matter, Matter.id == MatterEvent.matter_id)
                .where(MatterEvent.matter_id.in_(chunk), MatterEvent.to_status == workflow.CONCLUDED,
                       Matter.status.in_(CONCLUDED_OR_LATER))
                .group_by(MatterEvent.matter_id).subquery())
        rows = db.session.execute(select(MatterEvent.matter_id, MatterEvent.at)
                                  .join(last, last.c.event_id == MatterEvent.id))
        for matter_id, at in rows:
            found[matter_id] = at.astimezone(LOCAL_TZ).date() if at.tzinfo else at.date()
    return found


def reply_of(matter: Matter) -> str:
    """The answer given to whoever raised a matter: the note of its last `feedback_given` move."""
    notes = [e.note for e in matter.events if e.to_status == workflow.FEEDBACK_GIVEN and not e.action]
    return notes[-1] if notes else ""


def day_start_utc(day: date) -> datetime:
    """The UTC instant the city's local `day` begins (for filtering stored UTC times by local dates)."""
    return datetime.combine(day, time(), tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def add_unique(row, error: Exception) -> None:
    """Insert a row whose natural key must be new; a duplicate (also one inserted at the same moment by
    another request) raises `error` instead, leaving the rest of the transaction intact."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        raise error from None
