"""Factories for registry rows and users, with valid codes generated on the fly."""
from __future__ import annotations

import itertools
from decimal import Decimal

from werkzeug.security import generate_password_hash

from govsvc.auth.models import User
from govsvc.auth.roles import NEEDS_ENTERPRISE, NEEDS_UNIT
from govsvc.extensions import db
from govsvc.registry.imports import person_id_hash
from govsvc.registry.models import Enterprise, Person, TaxRecord, Unit
from scoring import credit_code, id_number

_HASHES: dict[str, str] = {}


def password_hash(password: str) -> str:
    if password not in _HASHES:
        from tests.conftest import CHEAP_HASH

        _HASHES[password] = generate_password_hash(password, method=CHEAP_HASH)
    return _HASHES[password]


def make_credit_code(n: int, division: str = "370303") -> str:
    body = f"{n:08d}"
    first17 = "91" + division + body + credit_code.org_check_char(body)
    return first17 + credit_code.check_char(first17)


def make_id_number(n: int, area: str = "370303", birth: str = "19800101") -> str:
    first17 = f"{area}{birth}{n % 1000:03d}"
    return first17 + id_number.check_char(first17)


class Factory:
    def __init__(self):
        self._seq = itertools.count(1)

    def next(self) -> int:
        return next(self._seq)

    def unit(self, code: str | None = None, **fields) -> Unit:
        """A new unit; with an explicit code that is taken already (two modules' worlds in one test
        both want 张店区人民政府), the existing one."""
        if code is not None:
            existing = db.session.scalar(db.select(Unit).where(Unit.code == code))
            if existing is not None:
                return existing
        n = self.next()
        fields.setdefault("name", f"测试单位{n}")
        fields.setdefault("level", "city")
        unit = Unit(code=code or f"U{n:03d}", **fields)
        db.session.add(unit)
        db.session.flush()
        return unit

    def enterprise(self, **fields) -> Enterprise:
        n = self.next()
        fields.setdefault("credit_code", make_credit_code(10000 + n))
        fields.setdefault("name", f"测试企业{n}有限公司")
        fields.setdefault("industry", "工业")
        fields.setdefault("above_scale", True)
        fields.setdefault("district", "张店区")
        tax = fields.pop("tax", None)
        enterprise = Enterprise(**fields)
        db.session.add(enterprise)
        db.session.flush()
        for year, amount in (tax or {}).items():
            db.session.add(TaxRecord(enterprise_id=enterprise.id, year=year, local_retained=Decimal(amount)))
        db.session.flush()
        return enterprise

    def person(self, unit: Unit, **fields) -> Person:
        n = self.next()
        number = make_id_number(n)
        person = Person(id_hash=person_id_hash(number), id_masked=id_number.mask(number), unit_id=unit.id,
                        name=fields.pop("name", f"张{n}"), **fields)
        db.session.add(person)
        db.session.flush()
        return person

    def user(self, *roles: str, username: str | None = None, password: str | None = None, unit=None,
             enterprise=None, active: bool = True) -> User:
        from tests.conftest import TEST_PASSWORD

        n = self.next()
        if set(roles) & NEEDS_UNIT and unit is None:
            unit = self.unit()
        if set(roles) & NEEDS_ENTERPRISE and enterprise is None:
            enterprise = self.enterprise()
        user = User(username=username or f"user{n}", display_name=f"用户{n}",
                    password_hash=password_hash(password or TEST_PASSWORD), active=active,
                    unit_id=unit.id if unit else None, enterprise_id=enterprise.id if enterprise else None)
        user.set_roles(roles)
        db.session.add(user)
        db.session.flush()
        return user
