"""Who sees what in the integrity module.

A discipline account without a unit is city-wide (市纪委市监委): it sees everything. One with a
unit is unit-level (the unit's discipline committee, or a dispatched group anchored on the
unit): it sees the persons whose current unit, and the clues whose unit concerned, is among the
units it covers — its own unit plus the units listed for that unit in `integrity_coverage`
(managed by city-wide staff). County units of a system are not covered automatically: they
have their own county commission; list them explicitly when a group does cover them.

Services call `check_unit`/`check_person`; a refusal raises `OutOfScope`, which the views turn
into an audited 403. Out-of-scope persons are also left out of every search, so a unit-level
account cannot even learn that someone outside its units has a file.
"""
from __future__ import annotations

from sqlalchemy import select, true
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.extensions import db
from govsvc.integrity.models import DisciplineCoverage
from govsvc.ledger import service as ledger_service
from govsvc.registry.models import Person, Unit


class OutOfScope(PermissionError):
    """The account does not cover this unit or person."""


def covered_unit_ids(user) -> set[int] | None:
    """The units a discipline account covers; None for a city-wide account."""
    if user.unit_id is None:
        return None
    extra = db.session.scalars(select(DisciplineCoverage.unit_id)
                               .where(DisciplineCoverage.anchor_unit_id == user.unit_id))
    return {user.unit_id, *extra}


def is_city_wide(user) -> bool:
    return user.unit_id is None


def covers_unit(user, unit_id: int | None) -> bool:
    units = covered_unit_ids(user)
    return units is None or unit_id in units


def check_unit(user, unit_id: int | None) -> None:
    if not covers_unit(user, unit_id):
        raise OutOfScope(f"unit {unit_id}")


def check_person(user, person: Person) -> None:
    check_unit(user, person.unit_id)


def check_city_wide(user) -> None:
    if not is_city_wide(user):
        raise OutOfScope("city-wide only")


def unit_clause(user, column):
    """SQL condition: `column` (a unit id) is covered by the account."""
    units = covered_unit_ids(user)
    return true() if units is None else column.in_(units)


def units_in_scope(user) -> list[Unit]:
    stmt = select(Unit).where(unit_clause(user, Unit.id)).order_by(Unit.level, Unit.code)
    return list(db.session.scalars(stmt))


# The shared ledger shows a unit-level account only the integrity matters of its units.
ledger_service.OWNER_SCOPES["integrity"] = covered_unit_ids
# Clues are handled on their own page (verification required, reads audited), never the generic one.
ledger_service.MATTER_PAGES["integrity"] = "integrity.clue"


# -- coverage management (city-wide staff) -----------------------------------------------------
def coverage_rows() -> list[DisciplineCoverage]:
    return list(db.session.scalars(select(DisciplineCoverage).join(DisciplineCoverage.anchor)
                                   .order_by(Unit.code, DisciplineCoverage.id)))


def add_coverage(user, anchor: Unit, unit: Unit) -> DisciplineCoverage:
    check_city_wide(user)
    if anchor.id == unit.id:
        raise ValueError("本单位总在联系范围内，无需添加。")
    exists = db.session.scalar(select(DisciplineCoverage.id).where(DisciplineCoverage.anchor_unit_id == anchor.id,
                                                                   DisciplineCoverage.unit_id == unit.id))
    if exists:
        raise ValueError(f"{anchor.name}已联系{unit.name}。")
    row = DisciplineCoverage(anchor_unit_id=anchor.id, unit_id=unit.id)
    try:
        with db.session.begin_nested():  # two staff adding the same pair at once: one wins
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        raise ValueError(f"{anchor.name}已联系{unit.name}。") from None
    audit.record("integrity.coverage.add", target=f"unit:{anchor.id}", detail={"covers": unit.code},
                 category="integrity")
    return row


def remove_coverage(user, row: DisciplineCoverage) -> None:
    check_city_wide(user)
    detail = {"anchor": row.anchor.code, "covers": row.unit.code}
    db.session.delete(row)
    db.session.flush()
    audit.record("integrity.coverage.remove", target=f"unit:{row.anchor_unit_id}", detail=detail,
                 category="integrity")
