"""扫码入企: a filed item's notice carries a fresh check code (QR); the enterprise confirms at the
door (only its own codes), reports a visit with no filed item (to justice), rates the visit once;
confirmations and ratings reach the quarterly circular and the department's survey page."""
import re
from datetime import date, datetime, timezone

import pytest

from govsvc.extensions import db
from govsvc.inspections import circulars
from govsvc.inspections.access import NotAllowed, ServiceError
from govsvc.inspections.models import EnterpriseReport
from govsvc.portal import checks, feedback
from govsvc.portal.models import CheckCode, Visit
from tests.conftest import form_post, login


def test_a_notice_makes_a_fresh_code_kept_as_a_keyed_hash_and_revokes_the_old(door):
    first = checks.issue_notice(door.county_user, door.item, door.enterprise)
    second = checks.issue_notice(door.county_user, door.item, door.enterprise)
    assert first != second and len(first.replace("-", "")) == 26
    rows = db.session.scalars(db.select(CheckCode).order_by(CheckCode.id)).all()
    assert [r.revoked_at is not None for r in rows] == [True, False]
    assert all(first.replace("-", "") not in r.code_hash for r in rows)
    assert checks.lookup(door.account, first) is None and checks.lookup(door.account, second.lower()).id == rows[1].id
    with pytest.raises(NotAllowed):
        checks.issue_notice(door.city_user, door.item, door.enterprise)   # another unit's item


def test_a_code_of_another_enterprise_does_not_exist_for_it(door, factory):
    code = checks.issue_notice(door.county_user, door.item, door.enterprise)
    stranger = factory.user("enterprise", enterprise=factory.enterprise())
    assert checks.lookup(stranger, code) is None


def test_confirm_once_then_rate_once(door):
    code = checks.issue_notice(door.county_user, door.item, door.enterprise)
    found = checks.lookup(door.account, code)
    with pytest.raises(ServiceError, match="不能晚于今天"):
        checks.confirm(door.account, found, date(2999, 1, 1))
    visit = checks.confirm(door.account, found, date(2026, 3, 2))
    assert (visit.kind, visit.unit_id, visit.item_id) == ("confirmed", door.county.id, door.item.id)
    with pytest.raises(ServiceError, match="已经确认过"):
        checks.confirm(door.account, found, date(2026, 3, 2))
    with pytest.raises(ServiceError, match="作风"):
        checks.rate(door.account, visit, 0, 3, "")
    checks.rate(door.account, visit, 4, 5, "检查规范，未影响生产。")
    with pytest.raises(ServiceError, match="已经评价过"):
        checks.rate(door.account, visit, 1, 1, "改主意了")
    assert (visit.conduct, visit.burden) == (4, 5)


def test_an_unfiled_visit_goes_to_justice_as_a_report(door):
    visit = checks.report_unfiled(door.account, unit=door.city, visit_date=date(2026, 5, 6), inspectors="王某、李某",
                                  description="未出示检查通知书，要求查看全部台账。")
    report = db.session.get(EnterpriseReport, visit.report_id)
    assert report.kind == "unfiled" and report.unit_id == door.city.id and report.matter.module == "inspections"
    assert "王某、李某" in report.description and report.matter.priority == "high"


def test_evaluator_heads_are_their_enterprises_door_too(door, factory):
    head = factory.user("evaluator", enterprise=door.enterprise)
    code = checks.issue_notice(door.county_user, door.item, door.enterprise)
    assert checks.lookup(head, code) is not None
    with pytest.raises(NotAllowed):
        checks.enterprise_of(factory.user("department"))


def test_confirmations_and_ratings_feed_the_circular_frozen_and_the_survey_page(door):
    found = checks.lookup(door.account, checks.issue_notice(door.county_user, door.item, door.enterprise))
    checks.rate(door.account, checks.confirm(door.account, found, date(2026, 3, 2)), 4, 3, "")
    unfiled = checks.report_unfiled(door.account, unit=door.county, visit_date=date(2026, 3, 20), inspectors="",
                                    description="无通知书")
    checks.rate(door.account, unfiled, 1, 2, "态度粗暴")
    data = circulars.quarter_figures(2026, 1, date(2026, 4, 20))
    row = next(r for r in data["portal"]["rows"] if r["code"] == "SCJ-ZD")
    assert (row["confirmed"], row["unfiled"], row["ratings"], row["conduct"], row["burden"]) == (1, 1, 2, "2.50", "2.50")
    circular = circulars.issue(door.justice, 2026, 1, "", datetime(2026, 4, 20, tzinfo=timezone.utc))
    checks.report_unfiled(door.account, unit=door.county, visit_date=date(2026, 3, 25), inspectors="", description="又来")
    assert circulars.data_of(circular)["portal"]["totals"]["unfiled"] == 1          # frozen at issue
    own = feedback.department_feedback(door.city.id, 2026)                            # a city unit: its system
    assert (own["confirmed"], own["unfiled"], own["ratings"], own["comments"]) == (1, 2, 2, ["态度粗暴"])
    assert circulars.xlsx(circulars.data_of(circular))[:2] == b"PK"


def test_the_door_pages_confirm_report_and_rate(client, door):
    code = checks.issue_notice(door.county_user, door.item, door.enterprise)
    db.session.commit()
    login(client, door.account.username)
    scan_url = "/portal/c/" + checks.normalise(code)
    html = client.get(scan_url).get_data(as_text=True)
    assert "张店区市场监督管理局" in html and "已备案" in html
    html = form_post(client, scan_url, {"visit_date": "2026-03-02"}).get_data(as_text=True)
    assert "请勾选确认" in html
    response = form_post(client, scan_url, {"visit_date": "2026-03-02", "confirm": "y"})
    visit_url = response.headers["Location"]
    response = form_post(client, visit_url, {"conduct": "5", "burden": "4", "comment": "好", "confirm": "y"})
    assert response.status_code == 302
    assert "本企业的评价" in client.get(visit_url).get_data(as_text=True)
    assert client.get("/portal/c/AAAA-BBBB").status_code == 404
    response = form_post(client, "/portal/visits/unfiled", {"unit": str(door.city.id), "visit_date": "2026-05-06",
                                                            "inspectors": "王某", "description": "无通知书",
                                                            "confirm": "y"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Visit)) == 2
    assert "对本企业的检查" in client.get("/portal/inspections").get_data(as_text=True)


def test_the_notice_page_shows_the_code_and_its_qr_once(client, door):
    db.session.commit()
    login(client, door.county_user.username)
    url = f"/portal/notices/{door.item.id}"
    html = form_post(client, url, {"enterprise": str(door.enterprise.id)}).get_data(as_text=True)
    code = re.search(r'id="check-code">([A-Z2-7-]+)<', html)[1]
    assert "<svg" in html and "/portal/c/" + code.replace("-", "") in html
    assert code not in client.get(url).get_data(as_text=True)
