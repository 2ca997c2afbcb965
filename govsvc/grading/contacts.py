"""The joint-meeting roster (seed 002, 加强协调调度: 各相关责任部门及时确定一名分管领导及工作联络员报
市司法局): each member unit reports its responsible leader and liaison officer; the justice bureau
keeps the roster, sees who has not reported, and may enter a report it received on paper.

Members: the units that take part in the grading, and any other unit that has reported (the
statistics bureau, the industry and information bureau …, which the seed also names)."""
from __future__ import annotations

import re

from sqlalchemy import or_, select

from govsvc import audit
from govsvc.extensions import db
from govsvc.grading.models import UnitContact
from govsvc.grading.service import GradingError
from govsvc.registry.models import Unit
from govsvc.timeutil import utcnow

PHONE = re.compile(r"^[0-9][0-9\- ]{4,28}[0-9]$")
FIELDS = ("leader_name", "leader_post", "leader_phone", "liaison_name", "liaison_post", "liaison_phone")
REQUIRED = {"leader_name": "分管领导姓名", "liaison_name": "联络员姓名", "liaison_phone": "联络员电话"}
LIMITS = {"leader_name": 50, "liaison_name": 50, "leader_post": 100, "liaison_post": 100,
          "leader_phone": 30, "liaison_phone": 30}


def members() -> list[tuple[Unit, UnitContact | None]]:
    """Every member unit (grading units, and units that reported) with its report, in code order."""
    reported = {c.unit_id: c for c in db.session.scalars(select(UnitContact))}
    units = db.session.scalars(select(Unit).where(or_(Unit.grading.is_(True), Unit.id.in_(list(reported) or [0])))
                               .order_by(Unit.code))
    return [(u, reported.get(u.id)) for u in units]


def contact_of(unit_id: int) -> UnitContact | None:
    return db.session.scalar(select(UnitContact).where(UnitContact.unit_id == unit_id))


def clean(values: dict) -> dict:
    """The report's fields, stripped and checked; GradingError (with the field) when wrong."""
    out = {}
    for name in FIELDS:
        value = " ".join(str(values.get(name) or "").split())
        if len(value) > LIMITS[name]:
            raise GradingError(f"不能超过 {LIMITS[name]} 个字。", field=name)
        if name in REQUIRED and not value:
            raise GradingError(f"请填写{REQUIRED[name]}。", field=name)
        if name.endswith("_phone") and value and not PHONE.match(value):
            raise GradingError("电话号码只能包含数字、空格和“-”，如 0533-1234567 或 13800000000。", field=name)
        out[name] = value
    return out


def report(unit: Unit, values: dict, *, user) -> UnitContact:
    """The unit's report (or the bureau entering it): replaces the unit's row, audited with the
    fields that changed."""
    values = clean(values)
    contact = contact_of(unit.id)
    before = {name: getattr(contact, name) for name in FIELDS} if contact is not None else {}
    if contact is None:
        contact = UnitContact(unit_id=unit.id, **values)
        db.session.add(contact)
    else:
        for name, value in values.items():
            setattr(contact, name, value)
    contact.reported_at = utcnow()
    contact.reported_by = getattr(user, "username", "") or ""
    db.session.flush()
    changed = sorted(name for name in FIELDS if before.get(name) != values[name])
    audit.record("grading.contact.report", target=f"unit:{unit.id}", detail={"unit": unit.code, "changed": changed})
    return contact
