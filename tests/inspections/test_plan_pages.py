"""Plan pages as users meet them: forms keep what was typed and show refusals beside the field,
imports report row by row and write nothing on error, and the pages refuse other units."""
import io
import re
from datetime import date

from govsvc.extensions import db
from govsvc.inspections.models import InspectionPlan, PlanItem
from tests.conftest import confirm_page, form_post, login, logout
from tests.inspections.conftest import file_plan, item_values, make_plan


def _login(client, user):
    db.session.commit()
    assert login(client, user.username).status_code == 302


def test_department_creates_a_plan_and_adds_an_item_through_the_form(client, world, factory):
    e = factory.enterprise(name="淄博测试食品有限公司")
    _login(client, world.county_user)
    response = form_post(client, "/inspections/plans/new", {"period": "annual", "year": "2027", "title": ""})
    assert response.status_code == 302
    plan = db.session.scalar(db.select(InspectionPlan))
    assert plan.title.startswith("张店区市场监督管理局2027年度") and plan.due_date == date(2026, 12, 20)
    url = f"/inspections/plans/{plan.id}"
    # a complaint without its number: refused beside the field, everything typed kept
    html = form_post(client, url, {"enterprise": e.credit_code, "category": "食品安全", "basis": "complaint",
                                   "planned_date": "2027-03-01", "note": "我的备注"}).get_data(as_text=True)
    assert "投诉举报引发的检查须填写投诉举报编号" in html and "我的备注" in html and e.credit_code in html
    html = form_post(client, url, {"enterprise": e.credit_code, "basis": "random"}).get_data(as_text=True)
    assert "请从列表中选择检查类别" in html and "请填写计划检查日期" in html  # every wrong field at once
    assert db.session.scalar(db.select(db.func.count(PlanItem.id))) == 0
    response = form_post(client, url, {"enterprise": f"{e.credit_code} {e.name}", "category": "食品安全",
                                       "basis": "complaint", "ground": "TS-2027-001", "planned_date": "2027-03-01"})
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "淄博测试食品有限公司" in html and "TS-2027-001" in html and "下一步：报送市市场监督管理局" in html
    assert "尚无已公布的免检免扰评级" in html


def test_enterprise_suggestions(client, world, factory):
    factory.enterprise(name="淄博华光陶瓷股份有限公司")
    _login(client, world.county_user)
    data = client.get("/inspections/enterprises.json?q=华光").get_json()
    assert len(data) == 1 and data[0].endswith("淄博华光陶瓷股份有限公司")


def test_import_items_reports_rows_and_writes_nothing_on_error(client, world, factory):
    e = factory.enterprise()
    plan = make_plan(world.city_user, [])
    _login(client, world.city_user)
    url = f"/inspections/plans/{plan.id}/import"
    good = f"{e.credit_code},,食品安全,双随机,,2027-03-01,,\n,4,产品质量,random,,2027-04-01,2027-04-30,抽查\n"
    bad_rows = "credit_code,draw_count,category,basis,ground,planned_date,planned_end,note\n" + good + \
        f"{e.credit_code},,食品安全,投诉举报,,2027-05-01,,\n,,食品安全,random,,2028-01-01,,\n"
    html = form_post(client, url, {"mode": "all", "file": (io.BytesIO(bad_rows.encode()), "items.csv")},
                     content_type="multipart/form-data").get_data(as_text=True)
    assert "未导入任何数据" in html
    assert "投诉举报引发的检查须填写投诉举报编号" in html and "计划检查日期应在计划期间" in html
    db.session.expire_all()
    assert db.session.get(InspectionPlan, plan.id).items == []
    body = ("统一社会信用代码,抽取家数,检查类别,检查依据,依据说明,计划检查日期,计划结束日期,备注\n" + good).encode()
    for expected in ("新增 2 条", "未变化 2 条"):  # re-importing the same file changes nothing
        html = form_post(client, url, {"mode": "all", "file": (io.BytesIO(body), "items.csv")},
                         content_type="multipart/form-data").get_data(as_text=True)
        assert expected in html
    db.session.expire_all()
    items = db.session.get(InspectionPlan, plan.id).items
    assert [(i.enterprise_id, i.draw_count, i.basis) for i in items] == [(e.id, None, "random"), (None, 4, "random")]


def test_county_cannot_see_another_systems_plan_nor_file_with_justice(client, world, factory):
    theirs = make_plan(world.other_county_user, [item_values(factory.enterprise(), date(2027, 3, 1))])
    mine = make_plan(world.county_user, [item_values(factory.enterprise(), date(2027, 3, 1))])
    _login(client, world.county_user)
    assert client.get(f"/inspections/plans/{theirs.id}").status_code == 403
    assert "生态环境" not in client.get("/inspections/plans").get_data(as_text=True)
    assert client.get("/inspections/filings/new").status_code == 403
    form_post(client, f"/inspections/plans/{mine.id}/submit", {})
    db.session.expire_all()
    assert db.session.get(InspectionPlan, mine.id).status == "submitted"
    page = f"/inspections/plans/{mine.id}"
    assert form_post(client, "/inspections/filings/new", {"plans": [str(mine.id)]}, page=page).status_code == 403
    db.session.expire_all()
    assert db.session.get(InspectionPlan, mine.id).status == "submitted"


def test_city_files_and_justice_accepts_through_the_pages(client, world, factory, grades):
    a = factory.enterprise(name="甲级免检企业有限公司")
    grades[a.id] = "A"
    plan = make_plan(world.city_user, [item_values(a, date(2027, 3, 1)),   # A: exempt in city units' draws
                                       item_values(a, date(2027, 3, 5), "environment")])
    from govsvc.inspections import plans
    plans.submit_plan(world.city_user, plan)
    _login(client, world.city_user)
    html = client.get("/inspections/filings/new").get_data(as_text=True)
    assert f'value="{plan.id}"' in html
    response = form_post(client, "/inspections/filings/new", {"plans": [str(plan.id)]})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "不予备案" in html and "A类" in html and "在双随机抽查中实行免检" in html
    logout(client)
    _login(client, world.justice)
    filing_url = response.headers["Location"]
    html = form_post(client, filing_url, {"decision": "return", "reason": ""}).get_data(as_text=True)
    assert "退回须填写理由" in html
    # issue 10 item 12: no decision is pre-selected; sending none is refused in Chinese
    html = client.get(filing_url).get_data(as_text=True)
    assert 'name="decision"' in html and not re.search(r'<input[^>]*name="decision"[^>]*checked', html)
    html = form_post(client, filing_url, {"reason": ""}).get_data(as_text=True)
    assert "请选择审核意见" in html
    # item 11: accepting asks first and changes nothing until confirmed
    fields = confirm_page(form_post(client, filing_url, {"decision": "accept", "reason": "同意"}))
    assert fields["decision"] == "accept" and fields["reason"] == "同意"
    db.session.expire_all()
    assert db.session.get(InspectionPlan, plan.id).status != "accepted"
    assert db.session.get(InspectionPlan, plan.id).filing.status == "pending"
    assert client.post(filing_url, data=fields).status_code == 302
    db.session.expire_all()
    assert db.session.get(InspectionPlan, plan.id).status == "accepted"
    assert db.session.get(InspectionPlan, plan.id).filing.reason == "同意"


def test_justice_sees_every_plan_and_the_grading_notice_finance_sees_none(client, world, factory, app):
    plan = make_plan(world.other_county_user, [item_values(factory.enterprise(), date(2027, 3, 1))])
    _login(client, world.justice)
    html = client.get("/inspections/plans").get_data(as_text=True)
    assert plan.title in html and "尚无已公布的免检免扰评级" in html
    other = app.test_client()
    db.session.commit()
    assert login(other, world.finance.username).status_code == 302
    assert other.get("/inspections/plans").status_code == 403
    assert other.get(f"/inspections/plans/{plan.id}").status_code == 403


def test_plans_list_filters_and_exports(client, world, factory):
    e = factory.enterprise()
    late = make_plan(world.city_user, [item_values(e, date(2027, 3, 1))], "monthly", 2027, 3)
    file_plan(late, world.city_user, world.city_user, date(2027, 3, 6))
    make_plan(world.city_user, [], "annual", 2027)
    _login(client, world.city_user)
    html = client.get("/inspections/plans?period=monthly").get_data(as_text=True)
    assert "2027年3月" in html and "逾期报备" in html and "共 1 条" in html
    csv = client.get("/inspections/plans?format=csv").get_data(as_text=True)
    assert "逾期报备" in csv and csv.count("\r\n") == 3
    assert client.get("/inspections/plans?format=xlsx").headers["Content-Type"].startswith("application/vnd.openxml")


def test_empty_or_forged_posts_get_chinese_messages_never_a_crash(client, world, factory, app):
    """Every form of the module, posted empty and with forged values."""
    e = factory.enterprise()
    plan = make_plan(world.city_user, [item_values(e, date(2027, 3, 1))])
    task_plan = make_plan(world.city_user, [item_values(None, date(2027, 3, 1), draw_count=2)], "quarterly", 2027, 1)
    filing = file_plan(task_plan, world.city_user, world.city_user, date(2026, 12, 1))
    item = plan.items[0]
    forged = {"period": "weekly", "category": "x", "basis": "x", "conclusion": "x", "kind": "x", "decision": "x",
              "mode": "x", "plans": ["abc", "999999"], "month": "2026-13", "year": "abc", "fine": "-1",
              "item": "999999", "inspected_on": "2026-02-30", "per_team": "99", "district": "<script>"}
    pages = {
        world.city_user: ["/inspections/plans/new", f"/inspections/plans/{plan.id}", f"/inspections/items/{item.id}/edit",
                          f"/inspections/plans/{plan.id}/import", "/inspections/filings/new",
                          f"/inspections/items/{task_plan.items[0].id}/draw", "/inspections/results/new",
                          "/inspections/result-filings/new"],
        world.justice: [f"/inspections/filings/{filing.id}", "/inspections/fines"],
        factory.user("evaluator"): ["/inspections/reports/new"],
    }
    db.session.commit()
    for user, urls in pages.items():
        c = app.test_client()
        assert login(c, user.username).status_code == 302
        for url in urls:
            for data in ({}, forged):
                response = form_post(c, url, data)
                html = response.get_data(as_text=True)
                assert response.status_code in (200, 302), (url, data, response.status_code)
                assert "Not a valid" not in html and "This field" not in html and "Invalid" not in html, (url, html[-3000:])
    db.session.expire_all()
    assert [i.id for i in db.session.get(InspectionPlan, plan.id).items] == [item.id]


def test_lists_with_forged_query_strings(client, world, app):
    forged = "?q=%27%22&status=zzz&period=weekly&flag=x&year=abc&month=2026-13&quarter=9&page=-3&seed=zz&transfer=x"
    for user, urls in {world.justice: ["/inspections/", "/inspections/plans", "/inspections/filings",
                                       "/inspections/results", "/inspections/result-filings",
                                       "/inspections/fines/register", "/inspections/circulars/preview",
                                       "/inspections/circulars/preview/chart-plans.svg", "/inspections/public/draws"],
                       world.city_user: ["/inspections/result-filings/new", "/inspections/circulars"]}.items():
        db.session.commit()
        c = app.test_client()
        assert login(c, user.username).status_code == 302
        for url in urls:
            response = c.get(url + forged)
            assert response.status_code == 200, url
            assert "Not a valid" not in response.get_data(as_text=True), url


def test_the_downloadable_template_imports_into_next_years_plan(client, world):
    from govsvc.timeutil import local_today

    plan = make_plan(world.city_user, [], year=local_today().year + 1)
    _login(client, world.city_user)
    body = client.get("/inspections/plans/items-template.csv").get_data()
    html = form_post(client, f"/inspections/plans/{plan.id}/import",
                     {"mode": "all", "file": (io.BytesIO(body), "template.csv")},
                     content_type="multipart/form-data").get_data(as_text=True)
    assert "新增 1 条" in html


def test_the_plan_list_counts_items_in_the_database_without_loading_them(client, world, factory, app):
    """The list shows each plan's number of items; the items themselves are never read for it
    (a unit's annual plan holds thousands: the list once loaded every item and its enterprise)."""
    import re

    from sqlalchemy import event

    enterprises = [factory.enterprise() for _ in range(3)]
    make_plan(world.city_user, [item_values(e, date(2027, 3, 1 + k)) for k, e in enumerate(enterprises)])
    make_plan(world.city_user, [], period="quarterly", number=1)
    _login(client, world.city_user)
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        html = client.get("/inspections/plans").get_data(as_text=True)
        exported = client.get("/inspections/plans?format=csv").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    counts = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', html)]
    assert sorted(counts) == [0, 3]
    assert ",3," in exported.replace("\r", "") and ",0," in exported.replace("\r", "")
    reading_items = [s for s in statements if re.search(r"FROM inspection_plan_items\b(?!.*count)", s, re.S)
                     and "count(" not in s.lower()]
    assert reading_items == []


def _next_step(html: str) -> str:
    start = html.index('id="next-step"')
    return re.sub(r"\s+", " ", html[start:html.index("</section>", start)])


def test_each_plan_page_names_the_next_step_who_takes_it_and_the_button(client, world, factory, grades):
    """Issue 10 item 14: after 完成编制 a city unit is shown 汇总报司法局 with the button, not
    “当前没有您可以进行的操作”; a county plan tells the county it waits for its city unit, and the
    city unit gets the button; a filed plan names the justice bureau."""
    own_plan = make_plan(world.city_user, [item_values(factory.enterprise(), date(2027, 3, 1))])
    county_plan = make_plan(world.county_user, [item_values(factory.enterprise(), date(2027, 3, 2))])
    from govsvc.inspections import plans
    plans.submit_plan(world.city_user, own_plan)
    _login(client, world.city_user)
    html = client.get(f"/inspections/plans/{own_plan.id}").get_data(as_text=True)
    box = _next_step(html)
    assert "下一步：汇总报司法局备案" in box and "市市场监督管理局（您）" in box
    assert f'href="/inspections/filings/new?period=annual:2027:">汇总报司法局</a>' in box
    assert "当前没有您可以进行的操作" not in html and "已报送市级部门" not in html and "已完成编制，待报司法局" in html
    # following the button preselects the plan on the filing form
    assert re.search(rf'value="{own_plan.id}"[^>]*checked|checked[^>]*value="{own_plan.id}"',
                     client.get("/inspections/filings/new?period=annual:2027:").get_data(as_text=True))
    box = _next_step(client.get(f"/inspections/plans/{county_plan.id}").get_data(as_text=True))
    assert "下一步：报送市市场监督管理局" in box and "由谁办理：</strong>张店区市场监督管理局" in box
    assert "<button" not in box and "您无需操作" in box
    logout(client)
    _login(client, world.county_user)
    box = _next_step(client.get(f"/inspections/plans/{county_plan.id}").get_data(as_text=True))
    assert "张店区市场监督管理局（您）" in box and ">报送市市场监督管理局</button>" in box
    plans.submit_plan(world.county_user, county_plan)
    db.session.commit()
    box = _next_step(client.get(f"/inspections/plans/{county_plan.id}").get_data(as_text=True))
    assert "下一步：汇总报司法局备案" in box and "由谁办理：</strong>市市场监督管理局" in box and "您无需操作" in box
    logout(client)
    filing = file_plan(make_plan(world.other_user, [item_values(factory.enterprise(), date(2027, 3, 3))]),
                       world.other_user, world.other_user, date(2026, 12, 1))
    _login(client, world.justice)
    box = _next_step(client.get(f"/inspections/plans/{filing.plans[0].id}").get_data(as_text=True))
    assert "下一步：审核报备" in box and "市司法局（您）" in box and f'href="/inspections/filings/{filing.id}">前往审核' in box


def test_an_item_the_check_refuses_can_be_deleted_after_drafting_is_finished(client, world, factory, grades):
    """Issue 10 item 14: an A-class item on a random inspection is refused by the check; after
    完成编制 the city unit can still delete it (and only such an item) before filing."""
    exempt, other = factory.enterprise(name="免检企业"), factory.enterprise(name="普通企业")
    grades[exempt.id] = "A"
    plan = make_plan(world.city_user, [item_values(exempt, date(2027, 3, 1)), item_values(other, date(2027, 3, 2))])
    from govsvc.inspections import plans
    plans.submit_plan(world.city_user, plan)
    refused, fine = plan.items
    _login(client, world.city_user)
    page = f"/inspections/plans/{plan.id}"
    html = client.get(page).get_data(as_text=True)
    assert f'action="/inspections/items/{refused.id}/delete"' in html
    assert f'action="/inspections/items/{fine.id}/delete"' not in html
    response = form_post(client, f"/inspections/items/{fine.id}/delete", {}, page=page, follow_redirects=True)
    assert "只能删除预审不予备案的事项" in response.get_data(as_text=True)
    response = form_post(client, f"/inspections/items/{refused.id}/delete", {}, page=page, follow_redirects=True)
    assert "检查事项已删除" in response.get_data(as_text=True) and "删除不予备案的事项" in response.get_data(as_text=True)
    db.session.expire_all()
    plan = db.session.get(InspectionPlan, plan.id)
    assert [i.id for i in plan.items] == [fine.id] and plan.status == "submitted"
