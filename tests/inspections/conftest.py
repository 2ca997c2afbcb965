"""Fixtures of the inspection tests: the published grading (set by monkeypatching the module's
one grade function), two systems of units with their department users, and helpers that move a
plan through drafting, submission and filing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest

from govsvc.extensions import db
from govsvc.inspections import filings, plans
from govsvc.timeutil import LOCAL_TZ


@pytest.fixture
def grades(monkeypatch):
    """The published grading as the inspection module sees it: fill with {enterprise_id: grade}."""
    table: dict[int, str] = {}
    monkeypatch.setattr("govsvc.inspections.grades.current_grades", lambda on=None: dict(table))
    return table


def at(day: date, hour: int = 10) -> datetime:
    """A moment on a local (Asia/Shanghai) calendar day."""
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ)


@dataclass
class World:
    city: object          # 市市场监督管理局 (SCJ)
    county: object        # 张店区市场监督管理局 (SCJ-ZD), in SCJ's system
    other_city: object    # 市生态环境局 (SHJ)
    other_county: object  # SHJ-ZD
    city_user: object
    county_user: object
    other_user: object
    other_county_user: object
    justice: object
    finance: object


@pytest.fixture
def world(app, factory, grades) -> World:
    city = factory.unit("SCJ", name="市市场监督管理局", enforcement=True)
    county = factory.unit("SCJ-ZD", name="张店区市场监督管理局", level="county", district="张店区", system_id=city.id,
                          enforcement=True)
    other_city = factory.unit("SHJ", name="市生态环境局", enforcement=True)
    other_county = factory.unit("SHJ-ZD", name="生态环境局张店分局", level="county", district="张店区",
                                system_id=other_city.id, enforcement=True)
    sfj, czj = factory.unit("SFJ", name="市司法局"), factory.unit("CZJ", name="市财政局")
    w = World(city, county, other_city, other_county,
              factory.user("department", unit=city), factory.user("department", unit=county),
              factory.user("department", unit=other_city), factory.user("department", unit=other_county),
              factory.user("justice", unit=sfj), factory.user("finance", unit=czj))
    db.session.flush()
    return w


def item_values(enterprise, day: date, basis: str = "random", category: str = "食品安全", **extra) -> dict:
    values = {"enterprise": enterprise, "draw_count": None, "category": category, "basis": basis,
              "ground": "", "planned_date": day, "planned_end": None, "note": ""}
    if basis != "random":
        values["ground"] = "《食品安全法》第一百一十条"
    values.update(extra)
    return values


def make_plan(user, items, period="annual", year=2027, number=None, created=date(2026, 11, 1)):
    reason = "上级交办的专项检查" if period == "temporary" else ""
    plan = plans.create_plan(user, period=period, year=year, number=number, title="", reason=reason, at=at(created))
    for values in items:
        plans.add_item(user, plan, values)
    return plan


def file_plan(plan, owner, city_user, day: date):
    """Submit (owner) and file with justice (city unit) on `day`; returns the filing."""
    plans.submit_plan(owner, plan, at(day, 9))
    return filings.file_plans(city_user, [plan.id], at(day, 15))
