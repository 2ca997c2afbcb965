"""Fixtures of the portal tests: an enterprise with its head phone, its portal account, a city unit
with a county unit, and an accepted plan item on the enterprise (grades as the inspection tests set
them, by monkeypatching the inspection module's grade function)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from govsvc.extensions import db
from tests.inspections.conftest import file_plan, grades, item_values, make_plan  # noqa: F401  (grades: fixture)
from govsvc.inspections import filings


@dataclass
class Door:
    enterprise: object
    account: object
    city: object
    county: object
    city_user: object
    county_user: object
    justice: object
    item: object          # an accepted item of the county unit on the enterprise


@pytest.fixture
def door(app, factory, grades) -> Door:
    enterprise = factory.enterprise(name="淄博齐鲁化工有限公司", head_phone="13800001234", district="张店区")
    city = factory.unit("SCJ", name="市市场监督管理局", enforcement=True)
    county = factory.unit("SCJ-ZD", name="张店区市场监督管理局", level="county", district="张店区", system_id=city.id,
                          enforcement=True)
    city_user, county_user = factory.user("department", unit=city), factory.user("department", unit=county)
    justice = factory.user("justice", unit=factory.unit("SFJ", name="市司法局"))
    plan = make_plan(county_user, [item_values(enterprise, date(2026, 3, 2), "complaint")], year=2026,
                     created=date(2025, 11, 1))
    filing = file_plan(plan, county_user, city_user, date(2025, 12, 10))
    filings.review_filing(justice, filing, accept=True)
    account = factory.user("enterprise", enterprise=enterprise)
    db.session.flush()
    return Door(enterprise, account, city, county, city_user, county_user, justice, plan.items[0])
