"""结果运用 (issue 12): publication turns the outcomes into work — an interview (约谈) matter per
bottom-two department, a referral to the organisation department for the second year running,
the commended list with its assessment points sent once to the assessment office."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.ledger import service as ledger, workflow
from govsvc.ledger.models import Matter
from govsvc.survey import outcomes, results
from govsvc.survey.campaigns import SurveyError
from govsvc.survey.models import Interview
from govsvc.timeutil import local_datetime, local_today
from tests.conftest import form_post, login, logout
from tests.survey.test_results import published, vote, S, B, U


def _by_code(campaign):
    return {r.code: r for r in results.stored_results(campaign)}


def _matters(module):
    return {m.title.rsplit("：", 1)[1]: m for m in db.session.scalars(select(Matter).where(Matter.module == module))}


def test_publication_opens_an_interview_matter_per_bottom_two_department(city, factory):
    campaign = published(city, factory)      # bottom two: E05 (55), E06 (30); service: S00, S01 (two ranked)
    interviews = _matters(outcomes.INTERVIEWS)
    assert set(interviews) == {"市执法局05", "市执法局06", "市服务中心00", "市服务中心01"}
    day = local_datetime(campaign.published_at).date()
    unit_of = {u.code: u.id for u in city.units}
    for name, matter in interviews.items():
        assert matter.status == workflow.RECEIVED and matter.deadline == day + timedelta(days=outcomes.INTERVIEW_DAYS)
        assert matter.responsible_unit_id == unit_of[("E" if "执法" in name else "S") + name[-2:]]
        assert "排名后两位" in matter.description
    assert _matters(outcomes.REFERRALS) == {}   # nobody was in last year's bottom two


def test_the_second_year_running_also_refers_to_the_organisation_department(city, factory):
    published(city, factory, year=2025)      # 2025 bottom two: E05, E06, S00, S01

    def again(city, campaign):
        vote(campaign, city.heads[0], {"E00": S, "E01": S, "E02": B, "E05": B, "E06": U}, {"S00": U, "S01": S})
    campaign = published(city, factory, year=2026, votes=again)
    rows = _by_code(campaign)
    assert {c for c, r in rows.items() if r.reorganize} == {"E05", "E06", "S00", "S01"}
    referrals = {m.title: m for m in db.session.scalars(select(Matter).where(
        Matter.module == outcomes.REFERRALS, Matter.ref.like(f"survey.campaign:{campaign.id}/%")))}
    assert set(referrals) == {f"2026年度企业评议组织调整：{n}" for n in ("市执法局05", "市执法局06", "市服务中心00", "市服务中心01")}
    day = local_datetime(campaign.published_at).date()
    assert {m.deadline for m in referrals.values()} == {day + timedelta(days=outcomes.REFERRAL_DAYS)}
    organisation = factory.user("organization")
    leader = factory.user("leader")
    some = next(iter(referrals.values()))
    assert ledger.can_see(organisation, some) and not ledger.can_see(leader, some)
    assert workflow.ASSIGNED in ledger.allowed_moves(organisation, some)


def _record(campaign, code, user, **overrides):
    dept = _by_code(campaign)[code].department
    today = local_today()
    fields = dict(held_on=today, leaders="市委副书记 张某某", attendees="局长 李某某", minutes="约谈纪要……",
                  commitments="一、压缩审批时限；二、公开办事指南。", follow_up_due=today + timedelta(days=60))
    fields.update(overrides)
    return outcomes.record_interview(campaign, dept, user=user, **fields)


def test_recording_the_interview_assigns_the_commitments_to_the_department(city, factory):
    campaign = published(city, factory)
    leader = factory.user("leader")
    interview = _record(campaign, "E06", leader)
    db.session.commit()
    matter = db.session.get(Matter, interview.matter_id)
    e06 = next(u for u in city.units if u.code == "E06")
    assert matter.status == workflow.ASSIGNED and matter.deadline == local_today() + timedelta(days=60)
    assert matter.responsible_unit_id == e06.id and "压缩审批时限" in matter.events[-1].note
    department = factory.user("department", unit=e06)
    assert ledger.can_see(department, matter) and workflow.IN_PROGRESS in ledger.allowed_moves(department, matter)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "survey.interview.record")).one()
    assert '"department": "E06"' in entry.detail


@pytest.mark.parametrize("overrides, message", [
    ({"held_on": "before"}, "不能早于结果公布日"),
    ({"held_on": "tomorrow"}, "不能晚于今天"),
    ({"follow_up_due": "same"}, "应晚于约谈日期"),
    ({"commitments": "  "}, "请填写整改承诺"),
])
def test_an_interview_record_that_cannot_be_true_is_refused_and_nothing_is_written(city, factory, overrides, message):
    campaign = published(city, factory)
    day = local_datetime(campaign.published_at).date()
    values = {"before": day - timedelta(days=1), "tomorrow": local_today() + timedelta(days=1), "same": local_today()}
    overrides = {k: values.get(v, v) for k, v in overrides.items()}
    before = db.session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(SurveyError, match=message):
        _record(campaign, "E06", factory.user("leader"), **overrides)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Interview.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == before
    assert {m.status for m in _matters(outcomes.INTERVIEWS).values()} == {workflow.RECEIVED}


def test_an_interview_is_recorded_once_and_only_for_the_bottom_two(city, factory):
    campaign = published(city, factory)
    leader = factory.user("leader")
    _record(campaign, "E06", leader)
    with pytest.raises(SurveyError, match="不能重复录入"):
        _record(campaign, "E06", leader)
    with pytest.raises(SurveyError, match="不在本年度约谈名单"):
        _record(campaign, "E00", leader)     # commended, not interviewed


def test_the_leader_records_through_the_page_and_others_cannot(client, city, factory, login_as):
    campaign = published(city, factory)
    dept = _by_code(campaign)["E05"].department
    url = f"/survey/{campaign.id}/outcomes/interviews/{dept.id}"
    today = local_today()
    data = {"held_on": today.isoformat(), "leaders": "市长 王某某", "attendees": "局长 赵某某", "minutes": "纪要",
            "commitments": "限期整改", "follow_up_due": (today + timedelta(days=30)).isoformat()}
    login_as("organizer")
    page = client.get(f"/survey/{campaign.id}/outcomes").get_data(as_text=True)
    assert "约谈（排名后两位，4 个）" in page and "市执法局05" in page and "待约谈" in page
    assert client.post(url, data=data).status_code in (400, 403)   # no CSRF token, not a leader
    assert db.session.scalar(select(func.count(Interview.id))) == 0
    logout(client)
    login_as("leader")
    response = form_post(client, url, {**data, "follow_up_due": today.isoformat()})
    assert response.status_code == 400 and "整改跟踪期限应晚于约谈日期" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Interview.id))) == 0
    response = form_post(client, url, data)
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "市长 王某某" in html and "限期整改" in html and "录入约谈情况" not in html
    assert "已约谈" in client.get(f"/survey/{campaign.id}/outcomes").get_data(as_text=True)


def test_points_are_read_exactly():
    assert outcomes.parse_points("1") == 100 and outcomes.parse_points(" 0.5 ") == 50
    assert outcomes.parse_points("2.25") == 225 and outcomes.points_text(225) == "2.25"
    assert outcomes.points_text(50) == "0.5" and outcomes.points_text(100) == "1"
    for bad in ("", "abc", "0", "-1", "1.234", "NaN", "Infinity", "101", "1e400"):
        with pytest.raises(SurveyError):
            outcomes.parse_points(bad)


def test_the_commended_list_is_sent_once_with_its_points(client, city, factory, login_as):
    campaign = published(city, factory)      # commended: E00, E01, E02 (S00/S01 take the bottom outcome)
    login_as("organizer")
    url, page = f"/survey/{campaign.id}/outcomes/commendations", f"/survey/{campaign.id}/outcomes"
    response = form_post(client, url, {"points": "0.5"}, page=page)       # not confirmed
    assert response.status_code == 400 and "请勾选确认" in response.get_data(as_text=True)
    response = form_post(client, url, {"points": "1.234", "confirm": "y"}, page=page)
    assert response.status_code == 400 and "两位小数" in response.get_data(as_text=True)
    db.session.refresh(campaign)
    assert campaign.commendations_sent_at is None and campaign.commend_points_centi is None
    response = form_post(client, url, {"points": "0.5", "confirm": "y"}, page=page)
    assert response.status_code == 302
    db.session.refresh(campaign)
    assert campaign.commend_points_centi == 50 and campaign.commendations_sent_at is not None
    csv = client.get(f"{page}?format=csv").get_data()
    assert csv.startswith("\ufeff".encode())
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0] == "类别,名次,单位代码,部门（单位）,得分,年度综合考核加分"
    assert [line.split(",")[2] for line in lines[1:]] == ["E00", "E01", "E02"]
    assert all(line.endswith(",0.5") for line in lines[1:])
    response = form_post(client, url, {"points": "2", "confirm": "y"}, page=page)
    assert response.status_code == 400 and "不能重复报送" in response.get_data(as_text=True)
    db.session.refresh(campaign)
    assert campaign.commend_points_centi == 50
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "survey.commendations.send")) == 1


def test_the_outcomes_page_is_only_for_a_published_campaign(client, city, factory, login_as):
    from tests.survey.conftest import close_and_tally
    from tests.survey.test_results import seeded_votes

    campaign = city.campaign()
    seeded_votes(city, campaign)
    close_and_tally(campaign)
    db.session.commit()
    login_as("organizer")
    assert client.get(f"/survey/{campaign.id}/outcomes").status_code == 404
    assert db.session.scalar(select(func.count(Matter.id)).where(Matter.module == outcomes.INTERVIEWS)) == 0
