"""A small city for the grading tests: six grading units, a justice bureau, enterprises in and
out of scope, and helpers to add records and run a round to publication."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from govsvc.extensions import db
from govsvc.grading import service
from govsvc.grading.models import EnforcementRecord

GRADING_UNITS = ("FGW", "RSJ", "SHJ", "YJJ", "SCJ", "SWJ")


@dataclass
class City:
    factory: object
    units: dict = field(default_factory=dict)
    justice_unit: object = None

    def record(self, enterprise, unit_code: str, day: str, outcome: str, fine: str = "0", decision_no: str = ""):
        record = EnforcementRecord(enterprise_id=enterprise.id, unit_id=self.units[unit_code].id,
                                   date=date.fromisoformat(day), outcome=outcome, fine=Decimal(fine),
                                   decision_no=decision_no or (f"{unit_code}-{day}" if outcome != "none" else ""))
        db.session.add(record)
        db.session.flush()
        return record

    def user(self, *roles, **kwargs):
        return self.factory.user(*roles, **kwargs)

    def justice(self):
        return self.factory.user("justice", unit=self.justice_unit)

    def leader(self):
        return self.factory.user("leader")

    def new_round(self, year: int = 2026, rules: str = service.DEFAULT_RULES_TOML):
        return service.create_round(year, rules, user=self.justice())

    def all_rule(self, grading_round):
        for part in grading_round.units:
            service.submit_rule(grading_round, part, user=None)

    def publish(self, year: int = 2026, rules: str = service.DEFAULT_RULES_TOML):
        grading_round = self.new_round(year, rules)
        self.all_rule(grading_round)
        service.compute(grading_round)
        service.submit(grading_round, user=None)
        service.approve(grading_round, user=self.leader())
        return grading_round


@pytest.fixture
def city(app, factory) -> City:
    c = City(factory)
    for code in GRADING_UNITS:
        c.units[code] = factory.unit(code, name=f"市{code}局", enforcement=True, grading=True)
    c.units["GAJ"] = factory.unit("GAJ", name="市公安局", enforcement=True, grading=False)
    c.justice_unit = factory.unit("SFJ", name="市司法局")
    return c
