"""The counties' plans (区县落实方案交市重点企业联络员工作办公室备案, by 10-20) with their 站台 telephone."""
from datetime import date

import pytest

from govsvc.care import county_plans
from govsvc.care.liaison_access import CareError, NotAllowed
from govsvc.extensions import db
from tests.care.liaison_world import at, world  # noqa: F401  (fixture)
from tests.conftest import form_post, login


def draft(world, code="ZF-ZD", **kw):
    return county_plans.save_plan(world.staff[code], None, year=2026, title=kw.get("title", "张店区联系服务企业工作方案"),
                                  content="县级领导联系规上企业全覆盖。", hotline=kw.get("hotline", "0533-2180000"),
                                  hotline_person=kw.get("person", "区工信局企业科"))


def test_a_county_files_its_plan_and_the_office_accepts(app, world):
    plan = draft(world)
    with pytest.raises(NotAllowed):
        county_plans.submit_plan(world.staff["ZF-ZC"], plan)
    with pytest.raises(NotAllowed):
        county_plans.review_plan(world.staff["ZF-ZD"], plan, accept=True)
    county_plans.submit_plan(world.staff["ZF-ZD"], plan)
    with pytest.raises(CareError, match="已报送"):
        county_plans.save_plan(world.staff["ZF-ZD"], plan, year=2026, title="改", content="改", hotline="1",
                               hotline_person="1")
    county_plans.review_plan(world.office, plan, accept=True)
    assert plan.status == "accepted"


def test_the_telephone_and_its_person_are_needed_to_file(app, world):
    plan = draft(world, hotline="", person="")
    with pytest.raises(CareError, match="联系电话和负责人"):
        county_plans.submit_plan(world.staff["ZF-ZD"], plan)


def test_one_plan_per_county_and_year(app, world):
    draft(world)
    with pytest.raises(CareError, match="已存在"):
        draft(world)
    draft(world, "ZF-ZC", title="淄川区方案")


@pytest.mark.parametrize("first, today, expected", [
    (date(2026, 10, 20), date(2026, 12, 1), "on_time"),
    (date(2026, 10, 21), date(2026, 12, 1), "late"),
    (None, date(2026, 10, 20), "pending"),
    (None, date(2026, 10, 21), "overdue"),
])
def test_timeliness_by_the_first_filing_against_october_20(app, world, first, today, expected):
    plan = draft(world)
    if first:
        county_plans.submit_plan(world.staff["ZF-ZD"], plan)
        plan.first_submitted_at = plan.submitted_at = at(first)
    assert county_plans.timeliness(plan, 2026, today) == expected


def test_a_returned_plan_keeps_its_first_filing_day(app, world):
    plan = draft(world)
    county_plans.submit_plan(world.staff["ZF-ZD"], plan)
    plan.first_submitted_at = at(date(2026, 10, 19))
    with pytest.raises(CareError, match="理由"):
        county_plans.review_plan(world.office, plan, accept=False, reason="")
    county_plans.review_plan(world.office, plan, accept=False, reason="缺少县级领导分工")
    county_plans.save_plan(world.staff["ZF-ZD"], plan, year=2026, title=plan.title, content="补充县级领导分工。",
                           hotline=plan.hotline, hotline_person=plan.hotline_person)
    county_plans.submit_plan(world.staff["ZF-ZD"], plan)
    assert plan.first_submitted_on == date(2026, 10, 19)
    assert county_plans.timeliness(plan, 2026, date(2026, 12, 1)) == "on_time"
    overview = {unit.code: state for unit, _, state in county_plans.overview(2026, date(2026, 12, 1))}
    assert overview == {"ZF-ZC": "overdue", "ZF-ZD": "on_time"}


def test_submitting_on_the_page_asks_first(app, client, world):
    plan = draft(world)
    db.session.commit()
    login(client, world.staff["ZF-ZD"].username)
    page = f"/care/plans/{plan.id}"
    form_post(client, f"{page}/submit", {}, page=page)
    db.session.expire_all()
    assert county_plans.plan_of(world.units["ZF-ZD"].id, 2026).status == "draft"
    form_post(client, f"{page}/submit", {"confirm": "y"}, page=page)
    db.session.expire_all()
    assert county_plans.plan_of(world.units["ZF-ZD"].id, 2026).status == "submitted"
    other = app.test_client()
    login(other, world.staff["ZF-ZC"].username)
    assert other.get(page).status_code == 403
