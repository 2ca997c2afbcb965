"""Results (事后备案): plan item or an "unfiled inspection" flag, conclusions and penalties, the
monthly filing by the city unit by the 10th, and fines forwarded to finance with exact totals."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from govsvc.extensions import db
from govsvc.inspections import draws, filings, results
from govsvc.inspections.access import NotAllowed, ServiceError
from govsvc.inspections.models import InspectionResult
from tests.conftest import login
from tests.inspections.conftest import at, file_plan, item_values, make_plan


@pytest.fixture
def accepted(world, factory):
    """An accepted 2026 annual plan of the county unit, filed 2025-12-15, with one item."""
    e = factory.enterprise()
    plan = make_plan(world.county_user, [item_values(e, date(2026, 3, 1))], year=2026, created=date(2025, 12, 1))
    filing = file_plan(plan, world.county_user, world.city_user, date(2025, 12, 15))
    filings.review_filing(world.justice, filing, accept=True)
    return plan.items[0]


def result_values(item, enterprise, day, **extra):
    values = {"item": item, "enterprise": enterprise, "inspected_on": day, "inspectors": "张三、李四",
              "category": None, "basis": None, "conclusion": "clear", "decision_number": "", "penalty_type": None,
              "fine": None, "note": ""}
    values.update(extra)
    return values


def penalty(fine, number):
    return {"conclusion": "penalty", "decision_number": number, "penalty_type": "罚款", "fine": Decimal(fine)}


def test_a_result_with_its_filed_plan_item_is_not_flagged(world, accepted):
    result = results.save_result(world.county_user, result_values(accepted, accepted.enterprise, date(2026, 3, 2)))
    assert not result.unfiled and result.category == "食品安全" and result.basis == "random"


def test_an_inspection_without_a_plan_item_is_flagged_unfiled(world, factory):
    e = factory.enterprise()
    result = results.save_result(world.county_user, result_values(None, e, date(2026, 3, 2), category="产品质量",
                                                                  basis="random"))
    assert result.unfiled and result.unfiled_reason == "未关联已备案的检查计划事项"


def test_an_inspection_before_its_plan_reached_justice_or_outside_its_period_is_unfiled(world, factory):
    e = factory.enterprise()
    plan = make_plan(world.county_user, [item_values(e, date(2026, 3, 1), "complaint")], "temporary", 2026,
                     created=date(2026, 2, 20))
    filing = file_plan(plan, world.county_user, world.city_user, date(2026, 3, 5))
    filings.review_filing(world.justice, filing, accept=True)
    item = plan.items[0]
    early = results.unfiled_reason(item, date(2026, 3, 4))
    assert "早于计划报司法局备案日期" in early
    assert results.unfiled_reason(item, date(2026, 3, 5)) == ""
    monthly = make_plan(world.county_user, [item_values(e, date(2026, 3, 10))], "monthly", 2026, 3,
                        created=date(2026, 2, 25))
    filing = file_plan(monthly, world.county_user, world.city_user, date(2026, 3, 1))
    filings.review_filing(world.justice, filing, accept=True)
    assert "不在计划期间" in results.unfiled_reason(monthly.items[0], date(2026, 4, 1))


def test_result_rules(world, factory, accepted):
    other = factory.enterprise()
    cases = [
        (result_values(accepted, other, date(2026, 3, 2)), "enterprise"),                 # not the item's target
        (result_values(None, other, date(2026, 3, 2)), "category"),                        # unfiled needs category
        (result_values(accepted, accepted.enterprise, date.today() + timedelta(days=2)), "inspected_on"),
        (result_values(accepted, accepted.enterprise, date(2026, 3, 2), conclusion="penalty"), "decision_number"),
        (result_values(accepted, accepted.enterprise, date(2026, 3, 2), **{**penalty("0", "淄市监罚〔2026〕1号")}), "fine"),
        (result_values(accepted, accepted.enterprise, date(2026, 3, 2), fine=Decimal("5")), "fine"),  # no penalty
    ]
    for values, field in cases:
        with pytest.raises(ServiceError) as info:
            results.save_result(world.county_user, values)
        assert info.value.field == field, values
    with pytest.raises(ServiceError, match="本单位"):  # another unit's item
        results.save_result(world.city_user, result_values(accepted, accepted.enterprise, date(2026, 3, 2)))
    assert db.session.scalar(db.select(db.func.count(InspectionResult.id))) == 0


def test_a_draw_task_result_must_name_a_drawn_enterprise(world, factory):
    pool = [factory.enterprise(district="张店区") for _ in range(4)]
    factory.person(world.county)
    plan = make_plan(world.county_user, [item_values(None, date(2026, 4, 1), draw_count=2)], year=2026,
                     created=date(2025, 12, 1))
    filings.review_filing(world.justice, file_plan(plan, world.county_user, world.city_user, date(2025, 12, 2)),
                          accept=True)
    item = plan.items[0]
    draw = draws.prepare_draw(world.county_user, item, district="张店区", per_team=1)
    draws.run_draw(world.county_user, draw)
    drawn = {c.enterprise_id for c in draws.picks(draw)}
    outsider = next(e for e in pool if e.id not in drawn)
    with pytest.raises(ServiceError, match="抽取结果"):
        results.save_result(world.county_user, result_values(item, outsider, date(2026, 4, 2)))
    insider = next(e for e in pool if e.id in drawn)
    assert not results.save_result(world.county_user, result_values(item, insider, date(2026, 4, 2))).unfiled


def test_monthly_filing_by_the_city_unit_on_time_and_late(world, accepted):
    results.save_result(world.county_user, result_values(accepted, accepted.enterprise, date(2026, 3, 2)))
    with pytest.raises(NotAllowed):
        results.file_results(world.county_user, 2026, 3, at(date(2026, 4, 8)))
    with pytest.raises(ServiceError, match="已经结束"):
        results.file_results(world.city_user, 2026, 4, at(date(2026, 4, 8)))
    filing = results.file_results(world.city_user, 2026, 3, at(date(2026, 4, 10)))
    assert not filing.late and len(filing.results) == 1 and filing.results[0].status == "filed"
    late = results.file_results(world.city_user, 2026, 2, at(date(2026, 3, 11)))  # a zero report, a day late
    assert late.late and late.results == []
    with pytest.raises(ServiceError, match="没有新的检查结果"):  # no empty duplicate of a filed month
        results.file_results(world.city_user, 2026, 2, at(date(2026, 3, 12)))
    with pytest.raises(ServiceError, match="不能修改"):
        results.save_result(world.county_user, result_values(accepted, accepted.enterprise, date(2026, 3, 3)),
                            filing.results[0])


def test_who_sees_results(world, accepted, factory):
    draft = results.save_result(world.county_user, result_values(accepted, accepted.enterprise, date(2026, 3, 2)))
    filed = results.save_result(world.county_user, result_values(accepted, accepted.enterprise, date(2026, 2, 2)))
    results.file_results(world.city_user, 2026, 2, at(date(2026, 3, 5)))

    def visible(user):
        return {r.id for r in db.session.scalars(results.results_query(user))}

    assert visible(world.county_user) == {draft.id, filed.id} == visible(world.city_user)
    assert visible(world.justice) == {filed.id}
    assert visible(world.other_user) == set() == visible(world.finance)
    with pytest.raises(NotAllowed):
        results.get_result(world.justice, draft.id)
    with pytest.raises(NotAllowed):
        results.get_result(world.other_user, filed.id)


def test_fines_reach_finance_with_exact_decimal_totals(world, accepted, client):
    e = accepted.enterprise
    for day, fine in ((1, "0.10"), (2, "0.20"), (3, "1234567.89"), (4, "0.01")):
        results.save_result(world.county_user, result_values(accepted, e, date(2026, 3, day),
                                                             **penalty(fine, f"张市监罚〔2026〕{day}号")))
    results.save_result(world.county_user, result_values(accepted, e, date(2026, 3, 9)))
    results.file_results(world.city_user, 2026, 3, at(date(2026, 4, 9)))
    assert results.total_of(results.register_query()) == (0, Decimal("0"))  # nothing forwarded yet
    assert results.fines_waiting() == [{"year": 2026, "month": 3, "count": 4, "total": Decimal("1234568.20")}]
    with pytest.raises(NotAllowed):
        results.forward_fines(world.city_user, 2026, 3)
    transfer = results.forward_fines(world.justice, 2026, 3)
    assert transfer.total == Decimal("1234568.20") and transfer.count == 4
    db.session.commit()
    db.session.expire_all()
    count, total = results.total_of(results.register_query())
    assert (count, total) == (4, Decimal("1234568.20")) and str(total) == "1234568.20"
    small = [r for r in db.session.scalars(results.register_query()) if r.fine < 1]
    assert sum((r.fine for r in small), Decimal("0")) == Decimal("0.31")
    assert results.fines_waiting() == []
    with pytest.raises(ServiceError):
        results.forward_fines(world.justice, 2026, 3)
    assert login(client, world.finance.username).status_code == 302
    html = client.get("/inspections/fines/register").get_data(as_text=True)
    assert "1,234,568.20" in html and "共 4 条" in html
    csv = client.get("/inspections/fines/register?format=csv").get_data(as_text=True)
    assert "1234567.89" in csv and "0.10" in csv
    assert client.get("/inspections/results").status_code == 403
    assert client.get("/inspections/fines").status_code == 403
