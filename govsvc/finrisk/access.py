"""Who sees what in the financial-risk module. A bank user sees and submits only its own bank's data
(its `unit_id`); a county is a district government (unit `ZF-…`, level 区县) whose department users see
their district's enterprises; the regulator (地方金融监管局) sees everything. Services call these
helpers; views only parse and render."""
from __future__ import annotations

from flask import abort
from sqlalchemy import select

from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.registry.models import Enterprise, Unit

COUNTY_PREFIX = "ZF-"


def is_regulator(user) -> bool:
    return user.has_role(R.FINANCE_REGULATOR)


def bank_of(user) -> int | None:
    """The bank a bank user belongs to (None for everyone else)."""
    if user.has_role(R.BANK) and not is_regulator(user):
        return user.unit_id if user.unit_id is not None else -1
    return None


def is_county_unit(unit: Unit | None) -> bool:
    return unit is not None and unit.level == "county" and unit.code.startswith(COUNTY_PREFIX)


def county_of(user) -> Unit | None:
    """The district government a department user works for (None: not a county account)."""
    if not user.has_role(R.DEPARTMENT) or user.unit_id is None:
        return None
    unit = db.session.get(Unit, user.unit_id)
    return unit if is_county_unit(unit) else None


def district_of(user) -> str | None:
    """None: every district (regulator, leader, court); otherwise the county's district. A user who
    is neither regulator, leader, court nor a county gets 403 from `require_reader`."""
    county = county_of(user)
    return county.district if county is not None and not is_regulator(user) else None


def may_read(user) -> bool:
    """What `require_reader` lets through (the navigation shows the module to these users only)."""
    return is_regulator(user) or user.has_role(R.BANK, R.LEADER, R.COURT) or county_of(user) is not None


def require_reader(user) -> None:
    """Department users who are not a county government have no business here."""
    if is_regulator(user) or user.has_role(R.BANK, R.LEADER, R.COURT):
        return
    if county_of(user) is None:
        abort(403)


def require_county_or_regulator(user) -> Unit | None:
    """The county acting (None for the regulator); 403 for anyone else."""
    if is_regulator(user):
        return None
    county = county_of(user)
    if county is None:
        abort(403)
    return county


def county_for_district(district: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.level == "county", Unit.district == district,
                                                Unit.code.startswith(COUNTY_PREFIX)).order_by(Unit.code))


def counties() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.level == "county", Unit.code.startswith(COUNTY_PREFIX))
                                    .order_by(Unit.code)))


def banks() -> list[Unit]:
    """Banks: the units that hold loans, plus the seed's banks (a bank user's unit)."""
    from govsvc.finrisk.models import Loan

    ids = select(Loan.bank_id).distinct()
    from govsvc.auth.models import User, UserRole

    bank_users = select(User.unit_id).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == R.BANK)
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids) | Unit.id.in_(bank_users) |
                                                      Unit.code.in_(SEED_BANKS)).order_by(Unit.code)))


SEED_BANKS = ("GH", "NH", "ZH", "JH")


def can_see_enterprise(user, enterprise: Enterprise) -> bool:
    district = district_of(user)
    return district is None or enterprise.district == district


def in_district(stmt, user, enterprise_id_column):
    """Limit a query to the user's district (a county account); unchanged for everyone else."""
    district = district_of(user)
    if district is None:
        return stmt
    return stmt.where(enterprise_id_column.in_(select(Enterprise.id).where(Enterprise.district == district)))


def matching(stmt, q: str, enterprise_id_column):
    """Enterprises whose name or credit code contains q."""
    if not q or not q.strip():
        return stmt
    like = f"%{q.strip()}%"
    return stmt.where(enterprise_id_column.in_(select(Enterprise.id).where(
        Enterprise.name.ilike(like) | Enterprise.credit_code.ilike(like.upper()))))


def get_scoped(model, item_id: int, user):
    """A row with an `enterprise`, or 404 when it does not exist or lies outside the user's district."""
    item = db.session.get(model, item_id)
    district = district_of(user)
    if item is None or (district is not None and item.enterprise.district != district):
        abort(404)
    return item
