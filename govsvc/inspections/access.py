"""Who may see and do what in the inspection ledger. Views check roles; these functions check
ownership (a unit sees its own plans; a city unit also those of its system's county units)."""
from __future__ import annotations

from sqlalchemy import false, select

from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.registry.models import Unit


class NotAllowed(Exception):
    """The user may not do this (→ 403 with an audit entry)."""


class ServiceError(ValueError):
    """The request cannot be carried out; the message (Chinese) says why, and `errors` says it
    field by field (form field name → message) when the input is at fault."""

    def __init__(self, message: str, field: str | None = None, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.field = field
        self.errors = errors or ({field: message} if field else {})

    @classmethod
    def of(cls, errors: dict[str, str]) -> "ServiceError":
        field, message = next(iter(errors.items()))
        return cls(message, field, errors)


def department_unit(user) -> Unit:
    """The unit a department user acts for."""
    if not user.has_role(R.DEPARTMENT) or user.unit is None:
        raise NotAllowed("not a department user")
    return user.unit


def system_unit_ids(city: Unit) -> list[int]:
    """A city unit and the county units of its system."""
    return [city.id] + list(db.session.scalars(select(Unit.id).where(Unit.system_id == city.id)))


def own_unit_ids(user) -> list[int]:
    """A department user's unit, and for a city unit the county units of its system."""
    if user.has_role(R.DEPARTMENT) and user.unit is not None:
        return system_unit_ids(user.unit) if user.unit.level == "city" else [user.unit.id]
    return []


def visible_unit_ids(user) -> list[int] | None:
    """Units whose plans the user may read; None: every unit (justice)."""
    return None if user.has_role(R.JUSTICE) else own_unit_ids(user)


def can_see_unit(user, unit_id: int) -> bool:
    ids = visible_unit_ids(user)
    return ids is None or unit_id in ids


def require_city_unit(user) -> Unit:
    """Filing with the justice bureau is the city unit's act (区县报市级部门，市级部门汇总报司法局)."""
    unit = department_unit(user)
    if unit.level != "city":
        raise NotAllowed("only a city unit files with the justice bureau")
    return unit


def scope_clause(column, user):
    """A WHERE condition limiting `column` (a unit id column) to the user's units."""
    ids = visible_unit_ids(user)
    if ids is None:
        return column.is_not(None)
    return column.in_(ids) if ids else false()
