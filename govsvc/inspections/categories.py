"""Each unit's legal inspection categories (F1: 科学划分执法管理权限，明确执法范围) and officials'
recusals (回避).

Categories: the justice bureau keeps, per enforcement unit, the categories it may inspect (with the
law that grants the power). A plan item outside its unit's list is refused at entry and when the
plan is submitted. A county unit without its own list uses its system's city unit's list; a unit
with no list at all (neither) is not restricted, and the plan pages say so.

Recusals: a unit records that one of its officials (or its county units' officials) recuses
himself or herself from an enterprise; every later draw publishes the pair and never draws that
official for that enterprise. A recusal is withdrawn, never deleted.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from govsvc import audit
from govsvc.extensions import db
from govsvc.inspections.access import NotAllowed, ServiceError, department_unit, system_unit_ids
from govsvc.inspections.models import CATEGORIES, Recusal, UnitCategory
from govsvc.registry.models import Enterprise, Person, Unit
from govsvc.timeutil import utcnow


# -- categories ----------------------------------------------------------------------------------
def own_categories(unit_id: int) -> dict[str, str]:
    """category → legal basis, of the unit's own list."""
    rows = db.session.execute(select(UnitCategory.category, UnitCategory.basis).where(UnitCategory.unit_id == unit_id))
    return dict(rows.all())


def categories_of(unit: Unit) -> tuple[dict[str, str], Unit | None]:
    """The list in force for a unit and the unit it comes from (its own, else its system's); ({}, None)
    when neither has one (not restricted)."""
    own = own_categories(unit.id)
    if own:
        return own, unit
    if unit.system_id is not None:
        inherited = own_categories(unit.system_id)
        if inherited:
            return inherited, unit.system
    return {}, None


def category_error(unit: Unit, category: str) -> str:
    allowed, source = categories_of(unit)
    if not allowed or category in allowed:
        return ""
    whose = "本单位" if source is unit else f"本系统（{source.name}）"
    return f"“{category}”不在{whose}法定检查类别范围内（{'、'.join(sorted(allowed))}），不予列入计划。"


def set_categories(user, unit: Unit, chosen: dict[str, str]) -> None:
    """Replace a unit's list (category → legal basis); an empty choice removes the list."""
    unknown = sorted(set(chosen) - set(CATEGORIES))
    if unknown:
        raise ServiceError(f"未知的检查类别：{'、'.join(unknown)}", "categories")
    if not unit.enforcement:
        raise ServiceError("只有行政执法单位有法定检查类别。", "categories")
    before = own_categories(unit.id)
    db.session.execute(delete(UnitCategory).where(UnitCategory.unit_id == unit.id))
    for category in CATEGORIES:  # in the list's order
        if category in chosen:
            db.session.add(UnitCategory(unit_id=unit.id, category=category, basis=(chosen[category] or "").strip()[:300]))
    db.session.flush()
    audit.record("inspections.categories.set", target=f"unit:{unit.id}",
                 detail={"before": sorted(before), "after": sorted(chosen)})


def enforcement_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.enforcement.is_(True)).order_by(Unit.level, Unit.code)))


# -- recusals ------------------------------------------------------------------------------------
def pool_person_ids(unit: Unit) -> list[int]:
    ids = system_unit_ids(unit) if unit.level == "city" else [unit.id]
    return list(db.session.scalars(select(Person.id).where(Person.unit_id.in_(ids))))


def recusals_query(user, include_withdrawn: bool = False):
    unit = department_unit(user)
    ids = system_unit_ids(unit) if unit.level == "city" else [unit.id]
    stmt = select(Recusal).join(Recusal.person).where(Person.unit_id.in_(ids))
    if not include_withdrawn:
        stmt = stmt.where(Recusal.withdrawn_at.is_(None))
    return stmt.order_by(Recusal.declared_at.desc(), Recusal.id.desc())


def declare_recusal(user, person: Person | None, enterprise: Enterprise | None, reason: str,
                    at: datetime | None = None) -> Recusal:
    unit = department_unit(user)
    if person is None or person.id not in pool_person_ids(unit):
        raise ServiceError("请选择本单位（本系统）执法人员库中的人员。", "person")
    if enterprise is None:
        raise ServiceError("请填写回避的企业（统一社会信用代码）。", "enterprise")
    if not (reason or "").strip():
        raise ServiceError("请填写回避事由（如亲属关系、利害关系）。", "reason")
    existing = db.session.scalar(select(Recusal.id).where(Recusal.person_id == person.id,
                                                          Recusal.enterprise_id == enterprise.id,
                                                          Recusal.withdrawn_at.is_(None)))
    if existing:
        raise ServiceError(f"{person.name}已登记对该企业回避。", "enterprise")
    recusal = Recusal(person_id=person.id, enterprise_id=enterprise.id, reason=reason.strip()[:500],
                      declared_at=at or utcnow(), declared_by_id=user.id)
    db.session.add(recusal)
    db.session.flush()
    audit.record("inspections.recusal.declared", target=f"inspection_recusal:{recusal.id}",
                 detail={"person": person.id, "enterprise": enterprise.credit_code})
    return recusal


def withdraw_recusal(user, recusal: Recusal) -> None:
    unit = department_unit(user)
    if recusal.person_id not in pool_person_ids(unit):
        raise NotAllowed("recusal of another unit's official")
    if recusal.withdrawn_at is not None:
        raise ServiceError("该回避登记已经撤销。")
    recusal.withdrawn_at = utcnow()
    db.session.flush()
    audit.record("inspections.recusal.withdrawn", target=f"inspection_recusal:{recusal.id}")


def active_pairs(person_ids: list[int], enterprise_ids: list[int]) -> set[tuple[int, int]]:
    """(person id, enterprise id) of the recusals in force among these persons."""
    if not person_ids:
        return set()
    rows = db.session.execute(select(Recusal.person_id, Recusal.enterprise_id)
                              .where(Recusal.person_id.in_(person_ids), Recusal.withdrawn_at.is_(None)))
    wanted = set(enterprise_ids)
    return {(p, e) for p, e in rows if e in wanted}
