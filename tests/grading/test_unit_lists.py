"""A grading unit uploads its own A/B/C list instead of applying its rule."""
import io

import pytest
from sqlalchemy import select

from govsvc.extensions import db
from govsvc.grading import service, unitlists
from govsvc.grading.models import UnitGrade
from tests.conftest import form_post


def upload(grading_round, code, text, **kw):
    part = next(p for p in grading_round.units if p.unit.code == code)
    return unitlists.upload_list(grading_round, part, text.encode(), "list.csv", user=None, **kw)


def test_a_units_list_replaces_its_rule_in_the_combined_grading(city, factory):
    listed, clean_by_list, other = factory.enterprise(), factory.enterprise(), factory.enterprise()
    city.record(clean_by_list, "SWJ", "2024-01-01", "serious")   # SWJ's record no longer counts
    city.record(other, "SCJ", "2024-01-01", "minor")
    grading_round = city.new_round()
    city.all_rule(grading_round)
    report, dropped = upload(grading_round, "SWJ", f"credit_code,grade,reason\n{listed.credit_code},C,纳税信用D级\n")
    assert report.applied and report.created == 1 and dropped == 0
    assert next(p for p in grading_round.units if p.unit.code == "SWJ").method == "list"
    service.compute(grading_round)
    result = service.result_of(grading_round, listed.id)
    assert result.grade == "C" and "SWJ:C" in result.unit_grades and "上报名单：纳税信用D级" in result.reason
    assert service.result_of(grading_round, clean_by_list.id).grade == "A"
    assert service.result_of(grading_round, other.id).grade == "B"


def test_a_new_list_replaces_the_old_one(city, factory):
    first, second = factory.enterprise(), factory.enterprise()
    grading_round = city.new_round()
    upload(grading_round, "SWJ", f"credit_code,grade\n{first.credit_code},B\n")
    report, dropped = upload(grading_round, "SWJ", f"统一社会信用代码,评级\n{second.credit_code},C类\n")
    assert dropped == 1
    assert [(g.enterprise_id, g.grade) for g in db.session.scalars(select(UnitGrade))] == [(second.id, "C")]
    again, dropped = upload(grading_round, "SWJ", f"统一社会信用代码,评级\n{second.credit_code},C\n")
    assert (again.unchanged, dropped) == (1, 0)


def test_list_errors_write_nothing(city, factory):
    inside, real_estate, other = factory.enterprise(), factory.enterprise(industry="房地产开发"), factory.enterprise()
    grading_round = city.new_round()
    text = (f"credit_code,grade\n{other.credit_code},D\n{real_estate.credit_code},B\n{inside.credit_code},B\n"
            f"{inside.credit_code},C\n")
    report, _ = upload(grading_round, "SCJ", text)
    assert not report.applied
    assert {(e.row, e.column) for e in report.errors} == {(2, "评级"), (3, "统一社会信用代码"), (5, "统一社会信用代码")}
    assert "不在评级范围内" in next(e.message for e in report.errors if e.row == 3)
    assert db.session.scalar(select(UnitGrade)) is None
    assert next(p for p in grading_round.units if p.unit.code == "SCJ").method is None


def test_no_list_after_submission_to_the_leader(city, factory):
    enterprise = factory.enterprise()
    grading_round = city.new_round()
    city.all_rule(grading_round)
    service.compute(grading_round)
    service.submit(grading_round, user=None)
    with pytest.raises(service.GradingError):
        upload(grading_round, "SCJ", f"credit_code,grade\n{enterprise.credit_code},B\n")


def test_a_department_works_on_its_own_unit_only(city, factory, client, login_as):
    enterprise = factory.enterprise()
    grading_round = city.new_round()
    db.session.commit()
    scj, shj = city.units["SCJ"], city.units["SHJ"]
    login_as("department", unit=scj)
    assert client.get(f"/grading/rounds/{grading_round.id}/units/{shj.id}").status_code == 403
    page = f"/grading/rounds/{grading_round.id}/units/{scj.id}"
    assert client.get(page).status_code == 200
    data = {"mode": "all", "file": (io.BytesIO(f"credit_code,grade\n{enterprise.credit_code},B\n".encode()), "l.csv")}
    response = form_post(client, page, data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert client.get(page + "?format=csv").get_data(as_text=True).count(enterprise.credit_code) == 1
    response = form_post(client, page + "/rule", {}, page=page)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(UnitGrade)) is None
    assert service.round_unit(grading_round, scj.id).method == "rule"
    refused = form_post(client, f"/grading/rounds/{grading_round.id}/units/{shj.id}/rule", {}, page=page)
    assert refused.status_code == 403 and service.round_unit(grading_round, shj.id).method is None
