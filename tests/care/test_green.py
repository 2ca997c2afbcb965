"""The green channel: catalogue changes approved by the talent leading group (a leader) and published
with their implementation rules and 备案, 服务专员 per unit, entrepreneurs' problem reports handled to
close-out on the ledger, and the periodic evaluation with 通报整改 for units graded 一般 or 较差."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from govsvc.care import green, honours
from govsvc.care.models_support import GreenService, ServiceFeedback
from govsvc.care.support import NotYours
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.timeutil import local_today
from tests.care.helpers_support import at, city  # noqa: F401
from tests.conftest import form_post, login, logout

APPROVED = date(2019, 11, 1)


def add_service(city, category="tourism", unit="WLJ", mode="onsite", on=APPROVED, name="全市A级旅游景区免费游览"):
    change = green.propose_change(city.dept("RCB"), "add", service=None, data=green.ServiceInput(
        category, name, "优秀企业家凭服务卡免费游览。", city.units[unit], "景区售票处", mode, "凭服务卡免费。"),
        reason="企业家需求。")
    return green.decide_change(city.users["leader"], change, approve=True, note="同意。", on=on)


def list_entrepreneurs(city, *indexes, year=2026):
    """Publish an excellent-entrepreneur list with these enterprises (the green channel's entitlement)."""
    proposer = city.dept("GXJ")
    honour_round = honours.open_round(proposer, year)
    for i in indexes:
        honours.propose(proposer, honour_round, city.enterprises[i], name="", post="董事长", deeds="事迹。",
                        on=date(year, 11, 1))
    honours.submit(proposer, honour_round, on=date(year, 11, 1))
    honours.approve(city.users["leader"], honour_round, approve_list=True, on=date(year, 11, 20))
    return honour_round


def test_a_new_item_needs_the_leading_groups_approval_then_its_rules(city):
    change = green.propose_change(city.dept("GXJ"), "add", service=None, data=green.ServiceInput(
        "medical", "就医绿色通道", "预约诊疗。", city.units["WJW"], "市中心医院", "onsite", "凭卡就医。"), reason="需求。")
    assert change.status == "proposed" and db.session.scalar(select(db.func.count()).select_from(GreenService)) == 0
    with pytest.raises(NotYours):
        green.decide_change(city.dept("RCB"), change, approve=True, note="")  # 人才办 proposes, never approves
    service = green.decide_change(city.users["leader"], change, approve=True, note="同意。", on=APPROVED)
    assert (service.status, service.approved_on, service.rules_due) == ("active", APPROVED, date(2019, 12, 1))
    matter = db.session.get(Matter, service.rules_matter_id)
    assert (matter.module, matter.kind, matter.status) == ("green", "rules", workflow.ASSIGNED)
    assert matter.responsible_unit_id == city.units["WJW"].id and matter.deadline == date(2019, 12, 1)
    with pytest.raises(green.GreenError, match="已经审定"):
        green.decide_change(city.users["leader"], change, approve=False, note="x")
    # Only the responsible unit (or 人才办/工信局) publishes the rules; 人才办 (the window) files them.
    with pytest.raises(NotYours):
        green.publish_rules(city.dept("WLJ"), service, "细则")
    with pytest.raises(green.GreenError, match="尚未公布"):
        green.file_rules(city.dept("RCB"), service)
    green.publish_rules(city.dept("WJW"), service, "一、服务对象……", on=date(2019, 11, 25))
    assert matter.status == workflow.CONCLUDED and service.rules_published_on == date(2019, 11, 25)
    with pytest.raises(NotYours):
        green.file_rules(city.dept("GXJ"), service)
    assert green.file_rules(city.dept("RCB"), service, on=date(2019, 11, 28)) == "绿备〔2019〕1号"
    assert matter.status == workflow.CLOSED


def test_proposals_are_checked(city):
    office = city.dept("RCB")

    def propose(**changes):
        values = {"category": "tourism", "name": "景区", "content": "免费", "unit": city.units["WLJ"], "venue": "售票处",
                  "notice_mode": "onsite", "notice_text": "公示"}
        values.update(changes)
        return green.propose_change(office, "add", service=None, data=green.ServiceInput(**values), reason="需求")

    with pytest.raises(green.GreenError, match="显著位置"):
        propose(notice_mode="online")  # 旅游服务、体育健身、医疗保健: posted at the venue
    with pytest.raises(green.GreenError, match="承办机构"):
        propose(category="transport", venue="")
    with pytest.raises(green.GreenError, match="主管部门"):
        propose(unit=None)
    with pytest.raises(NotYours):
        green.propose_change(city.dept("WLJ"), "add", service=None, data=None, reason="x")
    service = add_service(city)
    removal = green.propose_change(office, "remove", service=service, data=None, reason="景区改制。")
    with pytest.raises(green.GreenError, match="待审定"):
        green.propose_change(office, "remove", service=service, data=None, reason="again")
    with pytest.raises(green.GreenError, match="理由"):
        green.decide_change(city.users["leader"], removal, approve=False, note="")
    green.decide_change(city.users["leader"], removal, approve=True, note="", on=date(2019, 12, 1))
    assert (service.status, service.withdrawn_on) == ("withdrawn", date(2019, 12, 1))
    assert service.id not in [s.id for s in db.session.scalars(green.catalogue_query())]


def test_the_public_catalogue(city, client):
    service = add_service(city)
    green.publish_rules(city.dept("WLJ"), service, "凭服务卡到售票处登记。", on=date(2019, 11, 20))
    add_service(city, "approval", "SFJ", "online", name="行政审批专人代办")
    db.session.commit()
    page = client.get("/care/green/").get_data(as_text=True)
    assert "全市A级旅游景区免费游览" in page and "行政审批专人代办" in page and "实施细则制定中" in page
    assert page.index("全市A级旅游景区免费游览") < page.index("行政审批专人代办")  # in the seed's category order
    detail = client.get(f"/care/green/services/{service.id}").get_data(as_text=True)
    assert "凭服务卡到售票处登记。" in detail and "在承办机构显著位置公示" in detail
    assert "旅游服务" in client.get("/care/green/?format=csv").get_data(as_text=True)


def test_service_specialists_per_unit(city):
    unit_staff = city.dept("WLJ")
    specialist = green.add_specialist(unit_staff, city.units["WLJ"], name="赵丽", post="科长", phone="0533-2150633")
    with pytest.raises(NotYours):
        green.add_specialist(unit_staff, city.units["WJW"], name="x", post="", phone="1")
    green.add_specialist(city.dept("RCB"), city.units["WJW"], name="钱", post="", phone="2")
    assert set(green.specialists_of([city.units["WLJ"].id, city.units["WJW"].id])) == {city.units["WLJ"].id,
                                                                                    city.units["WJW"].id}
    green.remove_specialist(unit_staff, specialist)
    assert city.units["WLJ"].id not in green.specialists_of([city.units["WLJ"].id])


# -- 问题反馈 ------------------------------------------------------------------------------------------
def test_only_excellent_entrepreneurs_use_the_channel(city):
    service = add_service(city)
    with pytest.raises(green.GreenError, match="不在最新公布"):
        green.file_feedback(city.users["head001"], service, description="不认服务卡。", occurred_on=None)
    list_entrepreneurs(city, 0, year=2025)
    feedback = green.file_feedback(city.users["head001"], service, description="不认服务卡。", occurred_on=None)
    assert feedback.matter.status == workflow.RECEIVED and feedback.matter.responsible_unit_id is None
    assert feedback.matter.deadline == local_today() + timedelta(days=2)  # handed on "第一时间": 2 days
    # A newer list without the enterprise ends the entitlement.
    list_entrepreneurs(city, 1, year=2026)
    with pytest.raises(green.GreenError, match="不在最新公布"):
        green.file_feedback(city.users["head001"], service, description="again", occurred_on=None)
    assert green.entitlement(city.enterprises[1].id).round.year == 2026


def test_a_complaint_to_close_out_on_the_web(city, client):
    service = add_service(city)
    list_entrepreneurs(city, 0)
    db.session.commit()
    head = city.users["head001"]
    login(client, head.username)
    response = form_post(client, "/care/green/feedback/new", {"service": str(service.id), "description": "售票处不认可服务卡。"})
    assert response.status_code == 302
    feedback = db.session.scalar(select(ServiceFeedback))
    url = f"/care/green/feedback/{feedback.id}"
    logout(client)

    login(client, city.dept("RCB").username)  # 人才办 hands it to the unit: 10 days by default
    assert form_post(client, url, {"h-target": "assigned", "h-unit_code": "WLJ", "h-note": "请核实。"}).status_code == 302
    db.session.refresh(feedback.matter)
    assert feedback.matter.responsible_unit_id == city.units["WLJ"].id
    assert feedback.matter.deadline == local_today() + timedelta(days=10)
    logout(client)

    login(client, city.dept("WLJ").username)
    assert "售票处不认可服务卡。" in client.get(url).get_data(as_text=True)
    form_post(client, url, {"h-target": "in_progress", "h-note": ""})
    refused = form_post(client, url, {"h-target": "concluded", "h-note": ""})
    assert "需要填写说明" in refused.get_data(as_text=True)
    form_post(client, url, {"h-target": "concluded", "h-note": "已通知景区执行服务卡政策。"})
    logout(client)

    login(client, city.dept("RCB").username)
    form_post(client, url, {"h-target": "feedback_given", "h-note": "景区已按规定执行，感谢反映。"})
    unconfirmed = form_post(client, url, {"h-target": "closed", "h-note": "销号"})
    assert "销号前请勾选确认" in unconfirmed.get_data(as_text=True)
    assert form_post(client, url, {"h-target": "closed", "h-note": "销号", "h-confirm": "y"}).status_code == 302
    db.session.refresh(feedback.matter)
    assert feedback.matter.status == workflow.CLOSED
    logout(client)

    login(client, head.username)
    page = client.get(url).get_data(as_text=True)
    assert "景区已按规定执行，感谢反映。" in page and "请核实。" not in page  # staff notes stay internal
    assert form_post(client, f"{url}/rate", {"rate-rating": "dissatisfied"}, page=url).status_code == 302
    db.session.refresh(feedback)
    assert feedback.rating == "dissatisfied"
    with pytest.raises(green.GreenError, match="已经评价"):
        green.rate_feedback(head, feedback, "satisfied")
    logout(client)
    login(client, city.users["head002"].username)
    assert client.get(url).status_code == 403


# -- evaluation ----------------------------------------------------------------------------------------
def test_the_half_year_evaluation_and_its_circulars(city):
    late_rules = add_service(city, "research", "SFJ", "online", on=date(2019, 7, 1), name="科研项目申报辅导")  # due 7-31
    on_time = add_service(city, "tourism", "WLJ", on=date(2019, 7, 1))
    green.publish_rules(city.dept("WLJ"), on_time, "细则", on=date(2019, 7, 20))
    green.add_specialist(city.dept("WLJ"), city.units["WLJ"], name="赵丽", post="", phone="1")
    list_entrepreneurs(city, 0, year=2025)
    head = city.users["head001"]
    reports = []
    for _ in range(2):
        feedback = green.file_feedback(head, on_time, description="问题", occurred_on=None)
        feedback.created_at = at(date(2019, 9, 1))
        reports.append(feedback)
    office, unit = city.dept("RCB"), city.dept("WLJ")
    for feedback, done in zip(reports, (date(2019, 9, 5), date(2019, 9, 20))):
        green.handle_feedback(office, feedback, workflow.ASSIGNED, note="")
        feedback.matter.deadline = date(2019, 9, 11)  # as if handed on on 2019-09-01 (10 days)
        green.handle_feedback(unit, feedback, workflow.IN_PROGRESS, note="")
        green.handle_feedback(unit, feedback, workflow.CONCLUDED, note="已解决。")
        for event in feedback.matter.events:
            event.at = at(done)
        green.handle_feedback(office, feedback, workflow.FEEDBACK_GIVEN, note="已解决。")
    green.rate_feedback(head, reports[1], "dissatisfied")
    db.session.flush()
    evaluation = green.compute_evaluation(city.users["organization"], title="2019年下半年", start=date(2019, 7, 1),
                                          end=date(2019, 12, 31), on=date(2020, 1, 10))
    rows = {r.unit.code: r for r in evaluation.rows}
    # SFJ: no 服务专员 (−20), rules due 2019-07-31 still missing (−10) → 70, 一般.
    assert (rows["SFJ"].score, rows["SFJ"].grade, rows["SFJ"].late_rules) == (70, "average", 1)
    # WLJ: one report concluded late (−10), one 不满意 (−5) → 85, 较好.
    assert (rows["WLJ"].feedback, rows["WLJ"].late_feedback, rows["WLJ"].dissatisfied) == (2, 1, 1)
    assert (rows["WLJ"].score, rows["WLJ"].grade) == (85, "fair")
    with pytest.raises(NotYours):
        green.issue_evaluation(city.dept("RCB"), evaluation, "")
    assert green.issue_evaluation(city.dept("GXJ"), evaluation, "限期整改。", on=date(2020, 1, 15)) == 1
    matter = db.session.get(Matter, rows["SFJ"].matter_id)
    assert (matter.kind, matter.responsible_unit_id, matter.deadline) == ("rectification", city.units["SFJ"].id,
                                                                         date(2020, 2, 14))
    assert rows["WLJ"].matter_id is None
    with pytest.raises(green.GreenError, match="已经通报"):
        green.compute_evaluation(city.users["organization"], title="again", start=date(2019, 7, 1),
                                 end=date(2019, 12, 31), on=date(2020, 1, 20))
    assert late_rules.rules_published_on is None


def test_the_evaluation_pages(city, client):
    add_service(city, on=local_today() - timedelta(days=60))
    db.session.commit()
    login(client, city.users["organization"].username)
    start = local_today().replace(day=1) - timedelta(days=90)
    response = form_post(client, "/care/green/evaluations", {"title": "评估", "start": start.isoformat(),
                                                               "end": local_today().isoformat()})
    assert response.status_code == 302
    url = response.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "市文化和旅游局" in page and "一般" in page  # no specialist, rules late → 70
    refused = form_post(client, f"{url}", {"note": ""})
    assert "请勾选确认" in refused.get_data(as_text=True)
    assert form_post(client, url, {"note": "", "confirm": "y"}).status_code == 302
    assert "通报整改" in client.get(url).get_data(as_text=True)
    exported = client.get(url + "?format=csv").get_data(as_text=True)
    assert "评估等次" in exported and "市文化和旅游局" in exported


def test_changes_and_lists_waiting_for_the_leader_are_on_the_dashboard(city, client):
    """Issue 10 (16): a proposed catalogue change and a submitted honours list are listed under
    等待您审定 on the leader's dashboard, each with a link to where it is decided."""
    change = green.propose_change(city.dept("GXJ"), "add", service=None, data=green.ServiceInput(
        "medical", "就医绿色通道", "预约诊疗。", city.units["WJW"], "市中心医院", "onsite", "凭卡就医。"), reason="需求。")
    proposer = city.dept("GXJ")
    honour_round = honours.open_round(proposer, 2026)
    honours.propose(proposer, honour_round, city.enterprises[0], name="", post="董事长", deeds="事迹。", on=date(2026, 11, 1))
    honours.submit(proposer, honour_round, on=date(2026, 11, 1))
    db.session.commit()
    login(client, city.users["leader"].username)
    html = client.get("/").get_data(as_text=True)
    assert f'<a href="/care/green/changes/{change.id}">绿色通道目录调整：' in html and "就医绿色通道" in html
    assert f'<a href="/care/honours/rounds/{honour_round.id}">2026 年度优秀企业家名单（已报审定）</a>' in html
