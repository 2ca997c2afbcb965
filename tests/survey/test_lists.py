"""Every survey list: search, filter, pagination and CSV/XLSX export of the same query."""
import io
from datetime import date

from openpyxl import load_workbook

from govsvc.extensions import db
from govsvc.survey import ballots, campaigns, results
from govsvc.survey.ballots import BallotInput
from scoring import survey as core
from tests.survey.conftest import ballot, close_and_tally


def _campaign_with_paper_and_opinions(city, factory):
    campaign = city.campaign()
    depts = {d.code: d for d in campaigns.departments(campaign)}
    ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1, opinions={depts["E00"].id: "审批太慢",
                                                                               depts["S01"].id: "热线占线"}))
    _, codes = ballots.issue_paper_codes(campaign, 1)
    over = BallotInput(parts={"enforcement": [core.SATISFIED] * 14 + [core.BLANK] * 26,
                              "service": [core.BASIC] * 19})
    ballots.enter_paper(campaign, codes[0].code, over)
    close_and_tally(campaign)
    db.session.commit()
    return campaign, depts


def test_campaign_list_search_filter_export(client, login_as, city, factory):
    city.campaign()
    city.campaign(year=2025, stage="draft")
    db.session.commit()
    login_as("notary")
    assert "共 1 条" in client.get("/survey/?q=2025").get_data(as_text=True)
    html = client.get("/survey/?status=open").get_data(as_text=True)
    assert "共 1 条" in html and "2026年度" in html
    assert "2025年度" in client.get("/survey/?format=csv").get_data(as_text=True)


def test_audit_ballot_list_filters_invalid_and_exports(client, login_as, city, factory):
    campaign, _ = _campaign_with_paper_and_opinions(city, factory)
    login_as("notary")
    assert "共 2 条" in client.get(f"/survey/{campaign.id}/audit/ballots").get_data(as_text=True)
    html = client.get(f"/survey/{campaign.id}/audit/ballots?invalid=1").get_data(as_text=True)
    assert "共 1 条" in html and "超过上限 13 个" in html
    book = load_workbook(io.BytesIO(client.get(f"/survey/{campaign.id}/audit/ballots?format=xlsx").data))
    assert book.active.max_row == 3


def test_opinion_list_filters_by_department_and_text(client, login_as, city, factory):
    campaign, depts = _campaign_with_paper_and_opinions(city, factory)
    login_as("organizer")
    assert "共 2 条" in client.get(f"/survey/{campaign.id}/opinions").get_data(as_text=True)
    html = client.get(f"/survey/{campaign.id}/opinions?department={depts['S01'].id}").get_data(as_text=True)
    assert "共 1 条" in html and "热线占线" in html and "审批太慢" not in html
    assert "共 1 条" in client.get(f"/survey/{campaign.id}/opinions?q=审批").get_data(as_text=True)
    assert "热线占线" in client.get(f"/survey/{campaign.id}/opinions?format=csv").get_data(as_text=True)


def test_rectification_and_receipt_lists_export(client, login_as, city, factory):
    campaign, _ = _campaign_with_paper_and_opinions(city, factory)
    results.approve_and_publish(campaign, factory.user("leader"))
    results.release_opinions(campaign, date(2027, 3, 31), factory.user("organizer"))
    db.session.commit()
    receipts = client.get("/survey/results/2026/receipts?format=csv").get_data(as_text=True).splitlines()
    assert receipts[0].lstrip("\ufeff") == "回执公示码" and len(receipts) == 3
    login_as("organizer")
    body = client.get(f"/survey/{campaign.id}/rectification?format=csv").get_data(as_text=True)
    assert "市执法局00" in body and "市服务中心01" in body and "已交办" in body
    html = client.get(f"/survey/{campaign.id}/rectification?q=服务中心").get_data(as_text=True)
    assert "共 1 条" in html and "市服务中心01" in html
    assert "共 0 条" in client.get(f"/survey/{campaign.id}/rectification?status=closed").get_data(as_text=True)
