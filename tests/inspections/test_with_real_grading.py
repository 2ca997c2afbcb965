"""Inspections read the grading the grading module published (no monkeypatching here): an A
enterprise's random item is refused, a B enterprise's third random item of a category too."""
from datetime import date, timedelta

from govsvc.extensions import db
from govsvc.grading import service as grading
from govsvc.grading.models import EnforcementRecord
from govsvc.inspections.grades import current_grades
from govsvc.timeutil import local_today
from tests.inspections.conftest import file_plan, item_values, make_plan


def test_plan_checks_use_the_published_grading(app, factory):
    scj = factory.unit("SCJ", name="市市场监督管理局", enforcement=True, grading=True)
    swj = factory.unit("SWJ", name="市税务局", enforcement=True, grading=True)
    city_user = factory.user("department", unit=scj)
    clean = factory.enterprise(industry="工业", above_scale=True)
    minor = factory.enterprise(industry="服务业", above_scale=True)
    year = local_today().year
    db.session.add(EnforcementRecord(enterprise_id=minor.id, unit_id=swj.id, date=date(year - 1, 6, 1),
                                     outcome="minor", fine=0, decision_no="SWJ-1"))
    assert current_grades() == {}  # nothing published yet: nobody restricted
    grading_round = grading.create_round(year, grading.DEFAULT_RULES_TOML, user=factory.user("justice"))
    for part in grading_round.units:
        grading.submit_rule(grading_round, part, user=None)
    grading.compute(grading_round)
    grading.submit(grading_round, user=None)
    grading.approve(grading_round, user=factory.user("leader"))
    assert current_grades() == {clean.id: "A", minor.id: "B"}

    next_year = year + 1
    plan = make_plan(city_user, [
        item_values(clean, date(next_year, 3, 1)),               # A, random → refused
        item_values(clean, date(next_year, 3, 2), "complaint"),  # A, complaint → passes
        item_values(minor, date(next_year, 4, 1)),               # B, 1st
        item_values(minor, date(next_year, 5, 1)),               # B, 2nd
        item_values(minor, date(next_year, 6, 1)),               # B, 3rd → refused
    ], year=next_year, created=local_today())
    file_plan(plan, city_user, city_user, local_today() + timedelta(days=1))
    assert [i.violation for i in plan.items] == ["a_exempt", "", "", "", "b_over_limit"]
