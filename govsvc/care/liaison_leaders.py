"""Leader profiles (市级领导 with a `leader` account, kept by the office; 区县领导 kept by their county
government) and the named contacts of the six leaders' offices (kept by the office)."""
from __future__ import annotations

from sqlalchemy import or_, select

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.auth.models import User
from govsvc.care.liaison_access import (LEADER_OFFICES, CareError, NotAllowed, county_unit, is_office, require_county,
                                        require_office)
from govsvc.care.models import LeaderProfile, OfficeContact
from govsvc.extensions import db
from govsvc.imports import update_fields
from govsvc.registry.models import Unit
from govsvc.timeutil import utcnow
from scoring import liaison as core

PROFILE_FIELDS = ("name", "post", "field", "duties", "sort_order", "active")


def profile_of(user) -> LeaderProfile | None:
    if user is None or not getattr(user, "id", None) or not user.has_role(R.LEADER):
        return None
    return db.session.scalar(select(LeaderProfile).where(LeaderProfile.user_id == user.id))


def leaders_query(*, q: str = "", level: str = "", district: str = "", active: str = ""):
    stmt = select(LeaderProfile).join(Unit, Unit.id == LeaderProfile.office_id)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(LeaderProfile.name.ilike(like), LeaderProfile.post.ilike(like),
                              LeaderProfile.field.ilike(like), LeaderProfile.duties.ilike(like)))
    if level:
        stmt = stmt.where(LeaderProfile.level == level)
    if district:
        stmt = stmt.where(LeaderProfile.district == district)
    if active in ("0", "1"):
        stmt = stmt.where(LeaderProfile.active.is_(active == "1"))
    return stmt.order_by(LeaderProfile.level, LeaderProfile.district, LeaderProfile.sort_order, LeaderProfile.name,
                         LeaderProfile.id)


def city_leaders(active_only: bool = True) -> list[LeaderProfile]:
    stmt = select(LeaderProfile).where(LeaderProfile.level == core.CITY)
    if active_only:
        stmt = stmt.where(LeaderProfile.active.is_(True))
    return list(db.session.scalars(stmt.order_by(LeaderProfile.sort_order, LeaderProfile.name, LeaderProfile.id)))


def county_leaders(unit: Unit, active_only: bool = True) -> list[LeaderProfile]:
    stmt = select(LeaderProfile).where(LeaderProfile.level == core.COUNTY, LeaderProfile.office_id == unit.id)
    if active_only:
        stmt = stmt.where(LeaderProfile.active.is_(True))
    return list(db.session.scalars(stmt.order_by(LeaderProfile.sort_order, LeaderProfile.name, LeaderProfile.id)))


def office_units() -> list[Unit]:
    units = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(LEADER_OFFICES)))}
    return [units[c] for c in LEADER_OFFICES if c in units]


def _clean(data: dict) -> dict:
    values = {k: data[k] for k in PROFILE_FIELDS if k in data}
    for key in ("name", "post", "field", "duties"):
        if key in values:
            values[key] = (values[key] or "").strip()
    if not values.get("name"):
        raise CareError("请填写领导姓名。", "name")
    return values


def _store(user, profile: LeaderProfile | None, values: dict) -> LeaderProfile:
    created = profile is None
    if created:
        profile = LeaderProfile(**values)
        db.session.add(profile)
        changed = True
    else:
        changed = update_fields(profile, values)
    db.session.flush()
    if changed:
        audit.record("care.leader.create" if created else "care.leader.update", target=f"care_leader:{profile.id}",
                     detail={"level": profile.level, "name": profile.name})
    return profile


def save_city_leader(user, profile: LeaderProfile | None, data: dict) -> LeaderProfile:
    """The office keeps the city leaders: a `leader` account (by username) and his office."""
    require_office(user)
    if profile is not None and profile.level != core.CITY:
        raise NotAllowed("a county leader is kept by the county")
    values = _clean(data)
    account = db.session.scalar(select(User).where(User.username == (data.get("username") or "").strip()))
    if account is None or not account.has_role(R.LEADER):
        raise CareError("请填写已开通的市级领导账号（角色为“市委市政府领导”）的用户名。", "username")
    other = db.session.scalar(select(LeaderProfile).where(LeaderProfile.user_id == account.id))
    if other is not None and other is not profile:
        raise CareError(f"该账号已是“{other.name}”的账号。", "username")
    office = db.session.scalar(select(Unit).where(Unit.code == data.get("office_code")))
    if office is None or office.code not in LEADER_OFFICES:
        raise CareError("请选择领导所在的办公室（联系邀请单的单位）。", "office_code")
    values.update(user_id=account.id, office_id=office.id, level=core.CITY, district="")
    return _store(user, profile, values)


def save_county_leader(user, profile: LeaderProfile | None, data: dict) -> LeaderProfile:
    """A county government keeps its own county leaders (no account)."""
    unit = require_county(user)
    if profile is not None and (profile.level != core.COUNTY or profile.office_id != unit.id):
        raise NotAllowed("another county's leader")
    values = _clean(data)
    values.update(level=core.COUNTY, district=unit.district, office_id=unit.id, user_id=None)
    return _store(user, profile, values)


def may_edit(user, profile: LeaderProfile) -> bool:
    if profile.level == core.CITY:
        return is_office(user)
    unit = county_unit(user)
    return unit is not None and profile.office_id == unit.id


# -- the leaders' offices' contacts ---------------------------------------------------------------
def office_contacts() -> list[tuple[Unit, OfficeContact | None]]:
    contacts = {c.unit_id: c for c in db.session.scalars(select(OfficeContact))}
    return [(u, contacts.get(u.id)) for u in office_units()]


def contact_for(unit_id: int | None) -> OfficeContact | None:
    if unit_id is None:
        return None
    return db.session.scalar(select(OfficeContact).where(OfficeContact.unit_id == unit_id))


def save_office_contact(user, unit: Unit, *, name: str, phone: str, note: str = "") -> OfficeContact:
    require_office(user)
    if unit.code not in LEADER_OFFICES:
        raise CareError("只能为六个领导办公室指定联系人。", "unit")
    name, phone = name.strip(), phone.strip()
    if not name:
        raise CareError("请填写联系人姓名。", "name")
    if not phone:
        raise CareError("请填写联系电话。", "phone")
    contact = contact_for(unit.id)
    if contact is None:
        contact = OfficeContact(unit_id=unit.id, name=name, phone=phone, note=note.strip())
        db.session.add(contact)
    else:
        contact.name, contact.phone, contact.note = name, phone, note.strip()
    contact.updated_at, contact.updated_by_id = utcnow(), user.id
    db.session.flush()
    audit.record("care.office_contact.save", target=f"unit:{unit.code}", detail={"name": name})
    return contact
