"""动员部署 (issue 12): the organizer issues the notice once, between the confirmed lists and the
evaluation; each rated department (the seed's 40 + 19) submits its self-check report, locked once
in (a correction is a new version beside it); the campaign shows N of M and 逾期 per department."""
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.ledger import service as ledger, workflow
from govsvc.ledger.models import Matter
from govsvc.survey import campaigns, mobilisation
from govsvc.survey.campaigns import SurveyError
from govsvc.survey.models import Campaign, SelfCheck
from govsvc.timeutil import local_today, utcnow
from tests.conftest import confirm_page, confirmed_post, form_post, logout
from tests.survey.conftest import N_ENFORCEMENT, N_SERVICE

M = N_ENFORCEMENT + N_SERVICE


def _campaign(city, stage="lists_confirmed", evaluation_in=20):
    return city.campaign(stage=stage, dates={"evaluation_date": local_today() + timedelta(days=evaluation_in)})


def _issue(campaign, user, *, issued_ago=5, due_in=5):
    today = local_today()
    return mobilisation.issue_notice(campaign, text="关于开展年度企业评议工作的通知……", user=user,
                                     issued_on=today - timedelta(days=issued_ago), due=today + timedelta(days=due_in))


def _dept(campaign, code):
    return next(d for d in campaigns.departments(campaign) if d.code == code)


def _submit(campaign, code, user, **overrides):
    fields = dict(findings="审批环节多、时限长。", measures="一、压缩审批时限；二、一次性告知。", signed_by="局长 李某某",
                  on_paper=False)
    fields.update(overrides)
    return mobilisation.submit(campaign, _dept(campaign, code), user=user, **fields)


def test_issuing_assigns_a_self_check_matter_to_every_rated_department(city, factory):
    campaign = _campaign(city)
    organizer = factory.user("organizer")
    assert _issue(campaign, organizer) == M
    db.session.commit()
    matters = db.session.scalars(select(Matter).where(Matter.module == mobilisation.SELF_CHECKS)).all()
    assert len(matters) == M
    assert {m.status for m in matters} == {workflow.ASSIGNED}
    assert {m.deadline for m in matters} == {local_today() + timedelta(days=5)}
    assert {m.responsible_unit_id for m in matters} == {u.id for u in city.units}
    e03 = next(u for u in city.units if u.code == "E03")
    department = factory.user("department", unit=e03)
    own = next(m for m in matters if m.responsible_unit_id == e03.id)
    assert ledger.can_see(department, own) and "E03" not in own.title and "市执法局03" in own.title
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "survey.mobilisation.issue")).one()
    assert f'"departments": {M}' in entry.detail
    with pytest.raises(SurveyError, match="不能重复下发"):
        _issue(campaign, organizer)
    with pytest.raises(SurveyError, match="名单不能再退回修改"):
        campaigns.reopen_lists(campaign)
    with pytest.raises(SurveyError, match="组织评议日应晚于已下发的自查截止日期"):
        campaigns.update_settings(campaign, title=campaign.title, top_k=campaign.top_k,
                                  evaluator_quota=campaign.evaluator_quota,
                                  dates={"evaluation_date": local_today() + timedelta(days=5)})


@pytest.mark.parametrize("stage, kwargs, message", [
    ("lists_confirmed", {"due_in": 20}, "应早于组织评议日"),           # on the evaluation day
    ("lists_confirmed", {"due_in": 30}, "应早于组织评议日"),
    ("lists_confirmed", {"issued_ago": 2, "due_in": -3}, "不能早于通知下发日期"),
    ("lists_confirmed", {"issued_ago": -1}, "不能晚于今天"),
    ("draft", {}, "“两个名单”确认后、评议开始前"),
    ("open", {}, "“两个名单”确认后、评议开始前"),
])
def test_a_notice_that_cannot_stand_is_refused_and_nothing_is_written(city, factory, stage, kwargs, message):
    campaign = _campaign(city, stage)
    db.session.commit()
    before = db.session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(SurveyError, match=message):
        _issue(campaign, factory.user("organizer"), **kwargs)
    db.session.rollback()
    assert db.session.get(Campaign, campaign.id).notice_issued_on is None
    assert db.session.scalar(select(func.count(Matter.id)).where(Matter.module == mobilisation.SELF_CHECKS)) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == before


def test_a_report_is_locked_and_a_correction_is_a_new_version_beside_it(city, factory):
    campaign = _campaign(city)
    organizer = factory.user("organizer")
    _issue(campaign, organizer)
    e03 = next(u for u in city.units if u.code == "E03")
    department = factory.user("department", unit=e03)
    first = _submit(campaign, "E03", department)
    matter = mobilisation.self_check_matter(campaign, _dept(campaign, "E03"))
    assert matter.status == workflow.CONCLUDED and "已报送自查报告" in matter.events[-1].note
    with pytest.raises(SurveyError, match="请填写更正说明"):
        _submit(campaign, "E03", department, measures="改了措施")
    second = _submit(campaign, "E03", department, measures="一、压缩审批时限至5个工作日。", correction_note="细化时限")
    db.session.commit()
    kept = mobilisation.versions(campaign, _dept(campaign, "E03"))
    assert [(v.version, v.measures) for v in kept] == [(1, "一、压缩审批时限；二、一次性告知。"),
                                                      (2, "一、压缩审批时限至5个工作日。")]
    assert first.id == kept[0].id and second.correction_note == "细化时限"
    assert matter.status == workflow.CONCLUDED       # a correction does not move the matter again
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("survey.self_check.%"))
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["survey.self_check.submit", "survey.self_check.correct"]
    with pytest.raises(SurveyError, match="请填写查找的问题、签发人"):
        _submit(campaign, "E04", department, findings=" ", signed_by="")


def test_no_report_before_the_notice(city, factory):
    campaign = _campaign(city)
    with pytest.raises(SurveyError, match="尚未下发动员通知"):
        _submit(campaign, "E03", factory.user("organizer"), on_paper=True)


def test_overdue_departments_on_a_given_day(city, factory):
    campaign = _campaign(city)
    organizer = factory.user("organizer")
    _issue(campaign, organizer, issued_ago=10, due_in=-1)      # a notice issued earlier, its deadline passed
    for code in ("E00", "E01", "S00"):
        _submit(campaign, code, organizer, on_paper=True)
    rows = mobilisation.department_rows(campaign)
    summary = mobilisation.summary(campaign, rows)
    assert (summary.received, summary.total, summary.overdue, summary.late) == (3, M, M - 3, 3)
    states = {r.dept.code: r.state_label for r in rows}
    assert states["E00"] == "逾期提交" and states["E02"] == "逾期"
    earlier = mobilisation.department_rows(campaign, today=campaign.self_check_due)
    assert {r.state_label for r in earlier if r.first is None} == {"待提交"}


def test_the_pages_issue_submit_correct_and_download(client, city, factory, login_as):
    campaign = _campaign(city)
    db.session.commit()
    page = f"/survey/{campaign.id}/mobilisation"
    today = local_today()
    data = {"text": "各部门（单位）：请查找问题、改进工作。", "issued_on": today.isoformat(),
            "due": (today + timedelta(days=25)).isoformat()}
    login_as("organizer")
    response = form_post(client, f"{page}/notice", {**data, "due": (today + timedelta(days=20)).isoformat()}, page=page)
    fields = confirm_page(response)                          # asks first; then the rule refuses
    response = client.post(f"{page}/notice", data=fields)
    assert response.status_code == 400 and "应早于组织评议日" in response.get_data(as_text=True)
    response = form_post(client, f"{page}/notice", data, page=page)
    assert "下发后通知不能修改或撤回" in response.get_data(as_text=True)
    assert db.session.get(Campaign, campaign.id).notice_issued_on is None    # nothing written before 确认
    response = client.post(f"{page}/notice", data=confirm_page(response))
    assert response.status_code == 400                        # due after the evaluation (20 days)
    data["due"] = (today + timedelta(days=3)).isoformat()
    assert confirmed_post(client, f"{page}/notice", data, page=page).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert f"已收到 <strong>0</strong> / {M} 份" in html and "逾期" not in html.split('id="self-checks"')[1]
    dept = _dept(campaign, "E07")
    url = f"/survey/{campaign.id}/self-checks/{dept.id}"
    report = {"findings": "窗口咨询要跑多个科室。", "measures": "设综合窗口。", "signed_by": "主任 王某某", "correction_note": ""}
    assert confirmed_post(client, url, report).status_code == 302      # the organizer types in a paper report
    logout(client)
    e07 = next(u for u in city.units if u.code == "E07")
    login_as("department", unit=e07)
    html = client.get("/survey/self-checks").get_data(as_text=True)
    assert "2026" in html and "查看" in html
    html = client.get(url).get_data(as_text=True)
    assert "纸质报送" in html and "设综合窗口" in html and "更正：报送第 2 版" in html
    response = form_post(client, url, {**report, "measures": "设综合窗口，一次办好。"})
    assert response.status_code == 400 and "请填写更正说明" in response.get_data(as_text=True)
    response = form_post(client, url, {**report, "measures": "设综合窗口，一次办好。", "correction_note": "补充"})
    assert confirm_page(response)["correction_note"] == "补充" and "原报告保留" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SelfCheck.id))) == 1     # asked first, nothing written
    assert confirmed_post(client, url, {**report, "measures": "设综合窗口，一次办好。", "correction_note": "补充"}
                          ).status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "第 1 版" in html and "第 2 版" in html and "设综合窗口。" in html and "一次办好" in html
    other = _dept(campaign, "E08")
    assert client.get(f"/survey/{campaign.id}/self-checks/{other.id}").status_code == 403
    assert confirmed_post(client, f"/survey/{campaign.id}/self-checks/{other.id}", report,
                          page="/survey/self-checks").status_code == 403
    assert db.session.scalar(select(func.count(SelfCheck.id))) == 2
    logout(client)
    login_as("organizer")
    text = client.get(f"{page}?format=csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == mobilisation.HEADER and len(rows) == M + 1
    e07_row = next(r for r in rows if r[1] == "E07")
    assert e07_row[3] == "已提交" and e07_row[5] == "2" and e07_row[7] == "纸质报送"
    overview = client.get(f"/survey/{campaign.id}").get_data(as_text=True)
    assert f"自查报告已收到 1 / {M} 份" in overview


def test_a_report_racing_another_one_is_refused_clearly(city, factory, monkeypatch):
    """Two submissions of the same department at once: the database keeps one version 1 (unique
    campaign, department, version) and the later one gets a clear refusal, nothing else written."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("another connection commits between our read and our write (PostgreSQL)")
    campaign = _campaign(city)
    _issue(campaign, factory.user("organizer"))
    db.session.commit()
    dept, today = _dept(campaign, "E03"), local_today()

    def other_request_first():   # runs after the version was read, before the insert
        with db.engine.connect() as other:
            other.execute(insert(SelfCheck.__table__).values(
                campaign_id=campaign.id, department_id=dept.id, version=1, findings="问题", measures="措施",
                signed_by="局长", correction_note="", on_paper=False, submitted_on=today, submitted_at=utcnow(),
                submitted_by="other"))
            other.commit()
        return today

    monkeypatch.setattr(mobilisation, "local_today", other_request_first)
    with pytest.raises(SurveyError, match="刚刚有了新的版本"):
        _submit(campaign, "E03", factory.user("department", unit=dept.unit))
    db.session.rollback()
    assert [v.submitted_by for v in mobilisation.versions(campaign, dept)] == ["other"]
    assert mobilisation.self_check_matter(campaign, dept).status == workflow.ASSIGNED


def test_a_self_check_matter_closes_by_its_report_not_by_a_move_in_the_ledger(city, factory, client):
    """The department could once 办结 its 评议自查 matter on the generic ledger page without a report:
    the ledger now sends it to the self-check page, and a move posted there changes nothing."""
    from tests.conftest import login

    campaign = _campaign(city)
    _issue(campaign, factory.user("organizer"))
    e03 = next(u for u in city.units if u.code == "E03")
    department = factory.user("department", unit=e03)
    other = factory.user("department", unit=next(u for u in city.units if u.code == "E04"))
    matter = db.session.scalars(select(Matter).where(Matter.module == mobilisation.SELF_CHECKS,
                                                     Matter.responsible_unit_id == e03.id)).one()
    db.session.commit()
    login(client, department.username)
    page = f"/survey/{campaign.id}/self-checks/{_dept(campaign, 'E03').id}"
    answer = client.get(f"/ledger/{matter.id}")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/survey/self-check-matters/{matter.id}")
    answer = client.get(f"/survey/self-check-matters/{matter.id}")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(page)
    moved = form_post(client, f"/ledger/{matter.id}", {"target": workflow.IN_PROGRESS, "note": "已办"}, page=page)
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Matter, matter.id).status == workflow.ASSIGNED
    logout(client)
    login(client, other.username)
    assert client.get(f"/survey/self-check-matters/{matter.id}").status_code == 403
    # The report concludes it.
    _submit(campaign, "E03", department)
    db.session.expire_all()
    assert db.session.get(Matter, matter.id).status == workflow.CONCLUDED
