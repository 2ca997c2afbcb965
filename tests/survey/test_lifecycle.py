"""Campaigns: the seed's calendar, the two lists as snapshots, the lifecycle in order."""
from datetime import date

import pytest
from sqlalchemy import func, select

from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.ledger.service import move
from govsvc.registry.models import Unit
from govsvc.survey import ballots, campaigns, results
from govsvc.survey.campaigns import SurveyError
from govsvc.survey.models import BallotCredential, CampaignEvaluator
from tests.conftest import form_post
from tests.survey.conftest import ballot, close_and_tally


def test_new_campaign_takes_the_seed_calendar_and_k_3(city):
    campaign = campaigns.create_campaign(year=2026)
    assert (campaign.plan_date, campaign.lists_due, campaign.mobilisation_date, campaign.evaluation_date,
            campaign.rectification_date) == (date(2026, 10, 15), date(2026, 10, 31), date(2026, 11, 30),
                                             date(2026, 12, 15), date(2026, 12, 25))
    assert campaign.top_k == 3 and campaign.evaluator_quota == 200 and campaign.status == "draft"
    with pytest.raises(SurveyError, match="已经存在"):
        campaigns.create_campaign(year=2026)


def test_lists_are_snapshots_of_the_registry(city):
    campaign = city.campaign(stage="lists_confirmed")
    counts = campaigns.list_counts(campaign)
    assert (counts["enforcement"], counts["service"], counts["evaluators"]) == (40, 19, 12)
    assert [d.position for d in campaigns.departments(campaign, "service")] == list(range(19))
    unit = db.session.scalar(select(Unit).where(Unit.code == "E00"))
    unit.name, unit.survey_category = "改名后的局", "service"
    city.enterprises[0].name = "改名后的企业"
    db.session.flush()
    first = campaigns.departments(campaign, "enforcement")[0]
    assert (first.code, first.name, first.category) == ("E00", "市执法局00", "enforcement")
    evaluator = db.session.scalar(select(CampaignEvaluator).where(
        CampaignEvaluator.enterprise_id == city.enterprises[0].id))
    assert evaluator.enterprise_name == "纳税企业00"


def test_evaluators_are_the_top_taxpayers_of_the_previous_year(app, factory):
    small = factory.enterprise(name="去年小、今年大", tax={2025: 10, 2026: 10**9})
    big = factory.enterprise(name="去年大", tax={2025: 10**6})
    campaign = campaigns.create_campaign(year=2026, evaluator_quota=1)
    campaigns.load_evaluators(campaign)
    listed = db.session.scalars(select(CampaignEvaluator)).all()
    assert [(e.enterprise_id, e.rank, e.channel) for e in listed] == [(big.id, 1, "paper")]  # no account: paper
    assert small.id not in {e.enterprise_id for e in listed}


def test_confirming_freezes_the_lists_and_issues_online_credentials(city):
    campaign = city.campaign(stage="lists_confirmed")
    creds = db.session.scalars(select(BallotCredential)).all()
    assert len(creds) == 10 and all(c.kind == "online" and c.code_hash is None for c in creds)  # 2 heads have no account
    with pytest.raises(SurveyError, match="不能修改名单"):
        campaigns.load_departments(campaign)
    with pytest.raises(SurveyError):
        campaigns.add_evaluator(campaign, city.enterprises[0].credit_code)
    campaigns.reopen_lists(campaign)
    assert campaign.status == "draft" and not db.session.scalars(select(BallotCredential)).all()


def test_lifecycle_refuses_steps_out_of_order(city):
    campaign = city.campaign(stage="draft")
    with pytest.raises(SurveyError, match="名单为空"):
        campaigns.confirm_lists(campaign)
    for action in (campaigns.open_voting, ballots.close_voting, results.tally_campaign, results.archive):
        with pytest.raises(SurveyError, match="阶段"):
            action(campaign)
    campaign = city.campaign(year=2025)
    with pytest.raises(SurveyError):
        results.approve_and_publish(campaign, city.heads[0])
    ballots.close_voting(campaign)
    with pytest.raises(SurveyError, match="尚未计票"):
        results.approve_and_publish(campaign, city.heads[0])
    with pytest.raises(SurveyError):
        ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1))


def test_switching_to_paper_voids_the_online_credential_but_not_after_voting(city):
    campaign = city.campaign()
    evaluators = {e.enterprise_id: e for e in db.session.scalars(select(CampaignEvaluator))}
    first, second = (evaluators[h.enterprise_id] for h in city.heads[:2])
    ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1))
    with pytest.raises(SurveyError, match="已在网上提交"):
        campaigns.set_channel(campaign, first, "paper")
    campaigns.set_channel(campaign, second, "paper")
    with pytest.raises(SurveyError, match="纸质评议表"):
        ballots.cast_online(campaign, city.heads[1], ballot(satisfied=1))
    with pytest.raises(SurveyError, match="不能从纸质评议表改回"):
        campaigns.set_channel(campaign, second, "online")


def test_archive_only_when_every_rectification_matter_is_closed(city, factory):
    campaign = city.campaign()
    dept = campaigns.departments(campaign, "enforcement")[0]
    ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1, opinions={dept.id: "审批太慢"}))
    close_and_tally(campaign)
    leader = factory.user("leader")
    results.approve_and_publish(campaign, leader)
    organizer = factory.user("organizer")
    assert results.release_opinions(campaign, date(2027, 3, 31), organizer) == 1
    matter = db.session.scalar(results.rectification_matters(campaign))
    assert matter.status == workflow.ASSIGNED and matter.responsible_unit_id == dept.unit_id
    with pytest.raises(SurveyError, match="1 项整改事项未销号"):
        results.archive(campaign)
    for target in (workflow.IN_PROGRESS, workflow.CONCLUDED, workflow.FEEDBACK_GIVEN, workflow.CLOSED):
        move(matter, target, user=organizer, note="已整改")
    results.archive(campaign)
    assert campaign.status == "archived"


def test_organizer_runs_the_campaign_through_the_pages(client, login_as, city):
    login_as("organizer")
    response = form_post(client, "/survey/new", {"year": "2026", "top_k": "3", "evaluator_quota": "200"})
    assert response.status_code == 302
    campaign_url = response.headers["Location"]
    html = client.get(campaign_url).get_data(as_text=True)
    assert "10月中旬" in html and "2026-12-15" in html
    cid = campaign_url.rstrip("/").split("/")[-1]
    assert form_post(client, f"/survey/{cid}/departments/load", {}, page=f"/survey/{cid}/departments").status_code == 302
    assert form_post(client, f"/survey/{cid}/evaluators/load", {}, page=f"/survey/{cid}/evaluators").status_code == 302
    html = client.get(f"/survey/{cid}/departments?category=service").get_data(as_text=True)
    assert "共 19 条" in html
    response = form_post(client, f"/survey/{cid}/departments/add", {"unit_code": "NOPE", "category": "service"},
                         page=f"/survey/{cid}/departments")
    assert response.status_code == 422 and "找不到单位代码“NOPE”" in response.get_data(as_text=True)
    assert form_post(client, f"/survey/{cid}/action/confirm", {}, page=campaign_url).status_code == 302
    assert form_post(client, f"/survey/{cid}/action/open", {}, page=campaign_url).status_code == 302
    assert "评议进行中" in client.get(campaign_url).get_data(as_text=True)
    export = client.get(f"/survey/{cid}/evaluators?format=csv")
    assert export.status_code == 200 and "纳税企业00" in export.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(BallotCredential)) == 10


def test_dashboard_panels_point_each_role_to_its_work(client, login_as, city):
    city.campaign()
    db.session.commit()
    from tests.conftest import login, logout

    login(client, city.heads[0].username)
    assert "2026 年度企业评议" in client.get("/").get_data(as_text=True) and "请评议" in client.get("/").get_data(as_text=True)
    logout(client)
    login_as("organizer")
    html = client.get("/").get_data(as_text=True)
    assert "2026 年度评议" in html and "0/12" in html


def test_counted_results_wait_on_the_leaders_dashboard(client, login_as, city):
    """Issue 10 (16): counted, unpublished results are listed under 等待您审定 with a link to
    the page where the leader approves them; once published they no longer wait."""
    campaign = city.campaign()
    close_and_tally(campaign)
    db.session.commit()
    leader = login_as("leader")
    html = client.get("/").get_data(as_text=True)
    link = f'<a href="/survey/{campaign.id}/results">2026 年度企业评议结果（已计票，待审定公布）</a>'
    assert "等待您审定" in html and link in html
    results.approve_and_publish(campaign, leader)
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert link not in html and "暂无等待您审定的事项" in html
