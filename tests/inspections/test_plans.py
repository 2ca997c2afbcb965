"""Plans: drafting and the way up (county → city → justice), deadlines as filed, the A/B checks at
filing, refusals explained item by item, and who may not see or do what."""
from datetime import date

import pytest

from govsvc.extensions import db
from govsvc.inspections import filings, plans
from govsvc.inspections.access import NotAllowed, ServiceError
from govsvc.inspections.models import ACCEPTED, FILED, OK, REFUSED, RETURNED, SUBMITTED
from scoring.inspections import A_EXEMPT, B_OVER_LIMIT
from tests.inspections.conftest import at, file_plan, item_values, make_plan


def test_county_plan_goes_to_the_city_unit_then_justice_and_is_accepted(world, factory):
    e = factory.enterprise()
    plan = make_plan(world.county_user, [item_values(e, date(2027, 3, 1))])
    assert plan.due_date == date(2026, 12, 20) and plan.status == "draft"
    plans.submit_plan(world.county_user, plan, at(date(2026, 12, 10)))
    assert plan.status == SUBMITTED and plan.first_filed_at is None
    filing = filings.file_plans(world.city_user, [plan.id], at(date(2026, 12, 18)))
    assert plan.status == FILED and filing.unit_id == world.city.id and not filing.late and not plan.late
    assert [i.check_status for i in plan.items] == [OK]
    filings.review_filing(world.justice, filing, accept=True)
    assert plan.status == ACCEPTED and plan.items[0].usable
    assert [e.action for e in plan.events] == ["created", "submitted", "filed", "accepted"]


@pytest.mark.parametrize("period, number, item_day, due", [
    ("annual", None, date(2027, 6, 1), date(2026, 12, 20)),
    ("quarterly", 2, date(2027, 5, 1), date(2027, 4, 10)),
    ("monthly", 3, date(2027, 3, 20), date(2027, 3, 5)),
])
def test_filing_on_the_due_day_is_on_time_the_day_after_is_late(world, factory, period, number, item_day, due):
    from datetime import timedelta

    e = factory.enterprise()
    on_time = make_plan(world.city_user, [item_values(e, item_day)], period, 2027, number)
    late = make_plan(world.county_user, [item_values(e, item_day, "complaint")], period, 2027, number)
    assert on_time.due_date == due
    file_plan(on_time, world.city_user, world.city_user, due)
    file_plan(late, world.county_user, world.city_user, due + timedelta(days=1))
    assert not on_time.late and late.late and late.filing.late


def test_the_moment_it_reaches_justice_counts_not_the_county_submission(world, factory):
    e = factory.enterprise()
    plan = make_plan(world.county_user, [item_values(e, date(2027, 2, 1))])
    plans.submit_plan(world.county_user, plan, at(date(2026, 12, 1)))     # county in time
    filings.file_plans(world.city_user, [plan.id], at(date(2026, 12, 21)))  # city a day late
    assert plan.late


def test_temporary_plan_is_due_by_its_first_inspection(world, factory):
    e = factory.enterprise()
    plan = plans.create_plan(world.city_user, period="temporary", year=2027, number=None, title="",
                             reason="上级交办的专项检查")
    assert plan.due_date is None
    plans.add_item(world.city_user, plan, item_values(e, date(2027, 5, 9), "safety"))
    plans.add_item(world.city_user, plan, item_values(e, date(2027, 5, 7), "statutory"))
    assert plan.due_date == date(2027, 5, 7)
    file_plan(plan, world.city_user, world.city_user, date(2027, 5, 8))
    assert plan.late
    with pytest.raises(ServiceError, match="特殊情况"):
        plans.create_plan(world.city_user, period="temporary", year=2027, number=None, title="", reason=" ")


def test_a_refused_b_third_refused_complaint_and_safety_pass(world, factory, grades):
    a, b = factory.enterprise(), factory.enterprise()
    grades.update({a.id: "A", b.id: "B"})
    # another unit's filed plan already holds one random 食品安全 place on B in 2027
    held = make_plan(world.other_user, [item_values(b, date(2027, 2, 1))])
    file_plan(held, world.other_user, world.other_user, date(2026, 12, 1))
    plan = make_plan(world.city_user, [
        item_values(a, date(2027, 3, 1)),                       # A, random → refused
        item_values(a, date(2027, 3, 2), "complaint"),          # A, complaint → passes
        item_values(b, date(2027, 4, 1)),                       # B, 2nd random → passes
        item_values(b, date(2027, 5, 1)),                       # B, 3rd random → refused
        item_values(b, date(2027, 6, 1), "safety"),             # B, safety → passes
        item_values(b, date(2027, 7, 1), category="产品质量"),    # another category → passes
    ])
    file_plan(plan, world.city_user, world.city_user, date(2026, 12, 5))
    assert [(i.check_status, i.violation) for i in plan.items] == [
        (REFUSED, A_EXEMPT), (OK, ""), (OK, ""), (REFUSED, B_OVER_LIMIT), (OK, ""), (OK, "")]
    assert "A类" in plan.items[0].explanation and "第三次" in plan.items[3].explanation
    assert plan.items[0].grade == "A" and plan.items[3].grade == "B"


def test_places_held_by_earlier_filings_survive_and_a_returned_filing_frees_them(world, factory, grades):
    b = factory.enterprise()
    grades[b.id] = "B"
    first = make_plan(world.other_user, [item_values(b, date(2027, 9, 1)), item_values(b, date(2027, 10, 1))])
    file_plan(first, world.other_user, world.other_user, date(2026, 12, 1))
    # a later filing with an earlier date does not push the filed items out: it is refused
    later = make_plan(world.city_user, [item_values(b, date(2027, 1, 15))])
    filing = file_plan(later, world.city_user, world.city_user, date(2026, 12, 2))
    assert later.items[0].violation == B_OVER_LIMIT and [i.check_status for i in first.items] == [OK, OK]
    filings.review_filing(world.justice, first.filing, accept=False, reason="时间安排不合理")
    assert first.status == RETURNED and first.items[0].check_status == "pending"
    filings.review_filing(world.justice, filing, accept=False, reason="请重新报送")
    plans.submit_plan(world.city_user, later, at(date(2026, 12, 3)))
    filings.file_plans(world.city_user, [later.id], at(date(2026, 12, 3)))
    assert later.items[0].check_status == OK


def test_items_without_grades_pass_and_the_preview_warns_before_filing(world, factory, grades):
    a, free = factory.enterprise(), factory.enterprise()
    plan = make_plan(world.city_user, [item_values(a, date(2027, 3, 1)), item_values(free, date(2027, 3, 1))])
    assert {v for v, g in plans.preview(plan).values()} == {None}
    grades[a.id] = "A"
    assert plans.preview(plan)[plan.items[0].id] == (A_EXEMPT, "A")
    assert plan.items[0].check_status == "pending"  # a preview writes nothing


def test_item_rules(world, factory):
    e = factory.enterprise()
    closed = factory.enterprise(status="注销")
    plan = make_plan(world.city_user, [], "quarterly", 2027, 1)
    cases = [
        (item_values(e, date(2027, 4, 1)), "planned_date"),                       # outside Q1
        (item_values(e, date(2027, 2, 1), "complaint", ground=""), "ground"),      # complaint needs its number
        (item_values(closed, date(2027, 2, 1)), "enterprise"),
        (item_values(None, date(2027, 2, 1)), "enterprise"),                       # neither enterprise nor draw
        (item_values(None, date(2027, 2, 1), "safety", draw_count=3), "basis"),    # a draw is random only
        (item_values(e, date(2027, 2, 1), category="随便写"), "category"),
        (item_values(e, date(2027, 2, 10), planned_end=date(2027, 2, 1)), "planned_end"),
    ]
    for values, field in cases:
        with pytest.raises(ServiceError) as info:
            plans.add_item(world.city_user, plan, values)
        assert info.value.field == field, values
    assert plan.items == []
    task = plans.add_item(world.city_user, plan, item_values(None, date(2027, 2, 1), draw_count=5))
    assert task.is_draw_task and task.target_label == "双随机抽取 5 家"


def test_one_regular_plan_per_unit_and_period(world):
    plans.create_plan(world.city_user, period="annual", year=2027, number=None, title="")
    with pytest.raises(ServiceError, match="已有"):
        plans.create_plan(world.city_user, period="annual", year=2027, number=None, title="")
    plans.create_plan(world.county_user, period="annual", year=2027, number=None, title="")
    plans.create_plan(world.city_user, period="quarterly", year=2027, number=1, title="")


def test_non_enforcement_units_make_no_plans(factory, world):
    service_unit = factory.unit("GDGS", name="供电公司")
    with pytest.raises(ServiceError, match="执法"):
        plans.create_plan(factory.user("department", unit=service_unit), period="annual", year=2027, number=None,
                          title="")


def test_a_county_unit_cannot_file_with_justice_directly(world, factory):
    plan = make_plan(world.county_user, [item_values(factory.enterprise(), date(2027, 3, 1))])
    plans.submit_plan(world.county_user, plan)
    with pytest.raises(NotAllowed):
        filings.file_plans(world.county_user, [plan.id])
    with pytest.raises(ServiceError):  # nor may another system's city unit file it
        filings.file_plans(world.other_user, [plan.id])
    assert plan.status == SUBMITTED


def test_city_returns_a_county_plan_with_a_reason(world, factory):
    plan = make_plan(world.county_user, [item_values(factory.enterprise(), date(2027, 3, 1))])
    plans.submit_plan(world.county_user, plan)
    with pytest.raises(NotAllowed):
        plans.return_to_county(world.other_user, plan, "不是你的")
    with pytest.raises(ServiceError):
        plans.return_to_county(world.city_user, plan, "  ")
    plans.return_to_county(world.city_user, plan, "检查频次过高")
    assert plan.status == RETURNED and plan.return_reason == "检查频次过高" and plan.editable


def test_only_justice_reviews_and_a_return_needs_a_reason(world, factory):
    plan = make_plan(world.city_user, [item_values(factory.enterprise(), date(2027, 3, 1))])
    filing = file_plan(plan, world.city_user, world.city_user, date(2026, 12, 1))
    with pytest.raises(NotAllowed):
        filings.review_filing(world.city_user, filing, accept=True)
    with pytest.raises(ServiceError):
        filings.review_filing(world.justice, filing, accept=False, reason="")
    filings.review_filing(world.justice, filing, accept=True)
    with pytest.raises(ServiceError):
        filings.review_filing(world.justice, filing, accept=False, reason="再退回")


def test_a_filing_holds_one_period_and_filed_plans_cannot_be_edited(world, factory):
    e = factory.enterprise()
    annual = make_plan(world.city_user, [item_values(e, date(2027, 3, 1))])
    monthly = make_plan(world.county_user, [item_values(e, date(2027, 3, 9))], "monthly", 2027, 3)
    plans.submit_plan(world.city_user, annual)
    plans.submit_plan(world.county_user, monthly)
    with pytest.raises(ServiceError, match="同一期间"):
        filings.file_plans(world.city_user, [annual.id, monthly.id])
    filings.file_plans(world.city_user, [annual.id])
    with pytest.raises(ServiceError, match="不能修改"):
        plans.add_item(world.city_user, annual, item_values(e, date(2027, 4, 1)))
    with pytest.raises(NotAllowed):
        plans.add_item(world.city_user, monthly, item_values(e, date(2027, 3, 2)))  # the county's plan


def test_visibility_of_plans(world, factory):
    mine = make_plan(world.county_user, [])
    theirs = make_plan(world.other_county_user, [])
    city_own = make_plan(world.city_user, [])
    db.session.flush()

    def visible(user):
        return {p.id for p in db.session.scalars(plans.plans_query(user))}

    assert visible(world.county_user) == {mine.id}
    assert visible(world.city_user) == {mine.id, city_own.id}
    assert visible(world.other_user) == {theirs.id}
    assert visible(world.justice) == {mine.id, theirs.id, city_own.id}
    assert visible(world.finance) == set()
    with pytest.raises(NotAllowed):
        plans.get_plan(world.county_user, theirs.id)
    with pytest.raises(NotAllowed):
        plans.get_plan(world.other_user, mine.id)   # another system's city unit
    with pytest.raises(NotAllowed):
        plans.get_plan(world.county_user, city_own.id)  # a county does not see its city unit's plans


def test_places_held_in_one_year_do_not_count_in_the_next(world, factory, grades):
    b = factory.enterprise()
    grades[b.id] = "B"
    earlier = make_plan(world.other_user, [item_values(b, date(2026, 11, 1)), item_values(b, date(2026, 12, 1))],
                        year=2026, created=date(2025, 11, 1))
    file_plan(earlier, world.other_user, world.other_user, date(2025, 12, 1))
    plan = make_plan(world.city_user, [item_values(b, date(2027, 1, 5)), item_values(b, date(2027, 2, 5)),
                                       item_values(b, date(2027, 3, 5))])
    file_plan(plan, world.city_user, world.city_user, date(2026, 12, 1))
    assert [i.violation for i in plan.items] == ["", "", B_OVER_LIMIT]
