"""Quarterly circulars: plans on time / late / not filed, inspections, unfiled inspections,
exemption breaches, repeated or cross inspections (two units within 30 days) and fines, per unit;
charts, XLSX export, issue once; who may read them."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from govsvc.extensions import db
from govsvc.inspections import circulars, filings, results
from govsvc.inspections.access import ServiceError
from govsvc.inspections.models import Circular
from tests.conftest import confirm_page, form_post, login
from tests.inspections.conftest import at, file_plan, item_values, make_plan
from tests.inspections.test_results import penalty, result_values


@pytest.fixture
def quarter(world, factory, grades):
    """2026 Q1 of SCJ's system and SHJ."""
    e, f, a, b = (factory.enterprise(name=n) for n in ("甲公司", "乙公司", "丙A公司", "丁B公司"))
    grades.update({a.id: "A", b.id: "B"})
    on_time = make_plan(world.city_user, [item_values(f, date(2026, 3, 1), "complaint")], "quarterly", 2026, 1,
                        created=date(2026, 1, 2))
    filings.review_filing(world.justice, file_plan(on_time, world.city_user, world.city_user, date(2026, 1, 10)),
                          accept=True)
    late = make_plan(world.county_user, [item_values(e, date(2026, 2, 1), "complaint")], "monthly", 2026, 2,
                     created=date(2026, 1, 20))
    filings.review_filing(world.justice, file_plan(late, world.county_user, world.city_user, date(2026, 2, 6)),
                          accept=True)
    make_plan(world.county_user, [], "monthly", 2026, 3, created=date(2026, 2, 20))  # never filed
    county_item, city_item = late.items[0], on_time.items[0]
    results.save_result(world.county_user, result_values(county_item, e, date(2026, 2, 10), **penalty("0.10", "罚1")))
    results.save_result(world.other_user, result_values(None, e, date(2026, 3, 12), category="生态环境保护",
                                                        basis="environment"))      # 30 days later: cross
    results.save_result(world.city_user, result_values(city_item, f, date(2026, 3, 1), **penalty("0.20", "罚2")))
    results.save_result(world.other_user, result_values(None, f, date(2026, 4, 1), category="生态环境保护",
                                                        basis="environment"))      # 31 days later: not cross
    results.save_result(world.other_user, result_values(None, a, date(2026, 1, 15), category="产品质量",
                                                        basis="random"))           # A random: breach
    for day in (5, 6, 7):                                                           # B: third is a breach
        results.save_result(world.other_user, result_values(None, b, date(2026, 2, day), category="产品质量",
                                                            basis="random"))
    for month in (1, 2, 3, 4):
        results.file_results(world.city_user, 2026, month, at(date(2026, month + 1, 8)))
        results.file_results(world.other_user, 2026, month, at(date(2026, month + 1, 8)))
    return e, f, a, b


def rows_by_code(data):
    return {r["code"]: r for r in data["rows"]}


def test_quarter_figures_per_unit(world, quarter):
    data = circulars.quarter_figures(2026, 1, today=date(2026, 4, 15))
    rows = rows_by_code(data)
    scj, zd, shj = rows["SCJ"], rows["SCJ-ZD"], rows["SHJ"]
    assert (scj["plans_due"], scj["plans_on_time"], scj["plans_late"], scj["plans_missing"]) == (1, 1, 0, 0)
    assert (zd["plans_due"], zd["plans_on_time"], zd["plans_late"], zd["plans_missing"]) == (2, 0, 1, 1)
    assert (zd["inspections"], zd["unfiled"], zd["cross"], zd["penalties"], zd["fines"]) == (1, 0, 1, 1, "0.10")
    assert (scj["inspections"], scj["cross"], scj["fines"]) == (1, 0, "0.20")
    assert (shj["inspections"], shj["unfiled"], shj["breaches"], shj["cross"]) == (5, 5, 2, 1)
    assert data["totals"]["fines"] == "0.30" and data["totals"]["inspections"] == 7
    assert [g["enterprise"] for g in data["cross"]] == ["甲公司"]
    assert sorted(d["reason"] for d in data["breaches"]) == ["A类企业免于双随机抽查", "B类企业同一类别年度双随机抽查已满两次"]
    assert rows["SHJ-ZD"]["inspections"] == 0  # enforcement units without activity are listed too


def test_issue_once_after_the_quarter_and_the_figures_stay_frozen(world, quarter):
    with pytest.raises(ServiceError, match="季度结束后"):
        circulars.issue(world.justice, 2026, 1, at=at(date(2026, 3, 31)))
    circular = circulars.issue(world.justice, 2026, 1, "各单位要严格落实计划备案制。", at=at(date(2026, 4, 15)))
    with pytest.raises(ServiceError, match="已经印发"):
        circulars.issue(world.justice, 2026, 1, at=at(date(2026, 4, 16)))
    frozen = circulars.data_of(circular)
    results.save_result(world.other_user, result_values(None, quarter[0], date(2026, 3, 30), category="产品质量",
                                                        basis="random"))
    results.file_results(world.other_user, 2026, 3, at(date(2026, 5, 1)))
    assert circulars.data_of(circular) == frozen
    assert circulars.quarter_figures(2026, 1)["totals"]["inspections"] == frozen["totals"]["inspections"] + 1


def test_chart_and_xlsx(world, quarter):
    data = circulars.quarter_figures(2026, 1, today=date(2026, 4, 15))
    svg = circulars.chart_svg(data, "inspections")
    assert "<text" in svg and "张店区市场监督管理局" in svg and "执法检查情况" in svg
    assert "检查计划报备情况" in circulars.chart_svg(data, "plans")
    book = load_workbook(io.BytesIO(circulars.xlsx(data, "意见")))
    assert book.sheetnames == ["季度通报", "未备案检查", "违反免检规定", "重复交叉检查", "扫码入企", "计划逾期", "图表"]
    sheet = book["季度通报"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "2026年第1季度涉企执法检查情况通报"
    total = next(r for r in values if r[1] == "合计")
    assert total[-1] == pytest.approx(0.30) and total[6] == 7
    assert len(book["图表"]._images) == 2


def test_circular_pages_and_readers(client, world, quarter, app):
    circular = circulars.issue(world.justice, 2026, 1, "通报意见文字", at=at(date(2026, 4, 15)))
    db.session.commit()
    url = f"/inspections/circulars/{circular.id}"
    for user, status in ((world.county_user, 200), (world.finance, 403)):
        c = app.test_client()
        assert login(c, user.username).status_code == 302
        assert c.get(url).status_code == status
    assert login(client, world.justice.username).status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "通报意见文字" in html and "重复交叉检查" in html and "甲公司" in html
    assert client.get(url + "/chart-plans.svg").headers["Content-Type"].startswith("image/svg+xml")
    assert client.get(url + "/export.xlsx").status_code == 200
    html = client.get("/inspections/circulars/preview?year=2026&quarter=1").get_data(as_text=True)
    assert "已于" in html and "印发" in html
    html = client.get("/inspections/circulars/preview?year=2026&quarter=2").get_data(as_text=True)
    assert "印发通报" in html
    # issue 10 item 11: issuing is for good, so the server asks first and issues nothing
    before = db.session.scalar(db.select(db.func.count(Circular.id)))
    fields = confirm_page(form_post(client, "/inspections/circulars/issue",
                                    {"year": "2026", "quarter": "2", "remarks": "请各单位对照整改"},
                                    page="/inspections/circulars/preview?year=2026&quarter=2"))
    assert fields["remarks"] == "请各单位对照整改"
    assert db.session.scalar(db.select(db.func.count(Circular.id))) == before
    response = client.post("/inspections/circulars/issue", data=fields)
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Circular.id))) == before + 1


