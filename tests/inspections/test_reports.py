"""The report channel for enterprises: a ledger matter owned by justice; the enterprise head files
and follows only their own reports and sees the feedback, not internal notes."""
from datetime import date

import pytest

from govsvc.extensions import db
from govsvc.inspections import reports
from govsvc.inspections.access import NotAllowed, ServiceError
from govsvc.ledger import workflow as W
from govsvc.ledger.service import can_see, move
from tests.conftest import form_post, login


def test_report_becomes_a_justice_matter_and_the_head_sees_feedback_only(world, factory, client, app):
    head = factory.user("evaluator")
    report = reports.file_report(head, kind="repeated", unit=world.city, incident_date=date(2026, 11, 2),
                                 description="一周内被三个部门检查。")
    matter = report.matter
    assert matter.module == "inspections" and matter.ref == f"inspections.report:{report.id}"
    assert can_see(world.justice, matter) and not can_see(world.city_user, matter)
    move(matter, W.ASSIGNED, user=world.justice, note="内部：请市场监管局说明", responsible_unit_id=world.city.id)
    move(matter, W.IN_PROGRESS, user=world.city_user)
    move(matter, W.CONCLUDED, user=world.city_user, note="经核查，已纠正重复检查。")
    move(matter, W.FEEDBACK_GIVEN, user=world.justice, note="已向企业反馈核查结果。")
    db.session.commit()
    assert login(client, head.username).status_code == 302
    html = client.get(f"/inspections/reports/{report.id}").get_data(as_text=True)
    assert "经核查，已纠正重复检查。" in html and "已向企业反馈核查结果。" in html
    assert "内部：请市场监管局说明" not in html
    other = app.test_client()
    assert login(other, factory.user("evaluator").username).status_code == 302
    db.session.commit()
    assert other.get(f"/inspections/reports/{report.id}").status_code == 403
    assert "一周内" not in other.get("/inspections/reports").get_data(as_text=True)


def test_report_form_on_the_page_keeps_input_on_error(world, factory, client):
    head = factory.user("evaluator")
    db.session.commit()
    assert login(client, head.username).status_code == 302
    html = form_post(client, "/inspections/reports/new", {"kind": "", "unit": "SCJ", "description": "具体经过"}
                     ).get_data(as_text=True)
    assert "请选择举报事项类别" in html and "具体经过" in html
    response = form_post(client, "/inspections/reports/new", {"kind": "unfiled", "unit": "SCJ",
                                                               "incident_date": "2026-11-01", "description": "具体经过"})
    assert response.status_code == 302
    assert "未备案擅自检查" in client.get("/inspections/reports").get_data(as_text=True)


def test_only_enterprise_heads_report(world):
    with pytest.raises(NotAllowed):
        reports.file_report(world.city_user, kind="other", unit=None, incident_date=None, description="x")


def test_report_rules(factory, world):
    head = factory.user("evaluator")
    with pytest.raises(ServiceError):
        reports.file_report(head, kind="other", unit=None, incident_date=date(2099, 1, 1), description="x")
    with pytest.raises(ServiceError):
        reports.file_report(head, kind="nonsense", unit=None, incident_date=None, description="x")
