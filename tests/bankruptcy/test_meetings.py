"""Meetings and the escalation chain (seed 000 "四、工作模式"): a matter a 业务会议 cannot resolve goes
to a 专题会议, then to the 联席会议, keeping its history; a decision becomes tasks for named units
followed to 销号; minutes are numbered when issued; the calendar flags an overdue tier."""
from datetime import date, timedelta

import pytest

from govsvc.bankruptcy import access, matters, meetings
from govsvc.bankruptcy.models import Meeting
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.timeutil import local_today
from tests.bankruptcy.conftest import duty
from tests.conftest import form_post, login


def _meeting(user, tier, title=None, held=True):
    meeting = meetings.create_meeting(user, tier=tier, title=title or f"{tier}会议", planned_on=local_today())
    if held:
        meetings.record_held(user, meeting, held_on=local_today(), attendees="", minutes="纪要")
    return meeting


def _raise(world, **kw):
    duty("livelihood", world.rsj, world.zf)
    return matters.raise_matter(world.rsj_user, matter_type="livelihood", title="某化工企业职工安置",
                                description="拖欠职工工资 320 人", **kw)


def test_a_unit_raises_a_matter_for_the_lead_unit_of_the_duty_matrix(world):
    duty("tax", world.swj)
    matter = matters.raise_matter(world.scj_user, matter_type="tax", title="破产企业欠税申报", description="…")
    assert (matter.kind, matter.responsible_unit_id, matter.status) == ("coord.business", world.swj.id, "received")
    assert matter.deadline == local_today() + timedelta(days=30)
    info = matters.info_of(matter)
    assert info.proposed_by_unit_id == world.scj.id
    # the proposer and the lead unit see it; another unit does not
    assert matters.can_see(world.scj_user, matter) and matters.can_see(world.swj_user, matter)
    assert not matters.can_see(world.rsj_user, matter)
    with pytest.raises(access.ServiceError, match="没有牵头单位"):
        matters.raise_matter(world.scj_user, matter_type="credit", title="信用修复", description="…")


def test_escalation_chain_business_topic_joint_keeps_the_history(world):
    matter = _raise(world)
    business = _meeting(world.rsj_user, "business", "人社局与属地政府业务会议")
    item = meetings.add_to_agenda(world.rsj_user, business, matter)
    # escalating is the office's (办公室主任召集专题会议); a member unit cannot
    with pytest.raises(access.NotAllowed):
        meetings.record_outcome(world.rsj_user, business, item, "escalated", note="职工安置资金缺口无法解决")
    meetings.record_outcome(world.office, business, item, "escalated", note="职工安置资金缺口无法解决")
    assert matter.status == workflow.ESCALATED and not matter.overdue
    topic_matter = db.session.get(type(matter), item.upper_matter_id)
    assert (topic_matter.kind, topic_matter.parent_id, topic_matter.responsible_unit_id) == (
        "coord.topic", matter.id, world.rsj.id)
    assert matters.info_of(topic_matter).matter_type == "livelihood"

    topic = _meeting(world.office, "topic", "职工安置专题会议")
    topic_item = meetings.add_to_agenda(world.office, topic, topic_matter)
    meetings.record_outcome(world.office, topic, topic_item, "escalated", note="需市政府决策资金来源")
    joint_matter = db.session.get(type(matter), topic_item.upper_matter_id)
    assert joint_matter.kind == "coord.joint"

    joint = _meeting(world.office, "joint", "2026年下半年联席会议")
    joint_item = meetings.add_to_agenda(world.office, joint, joint_matter)
    with pytest.raises(access.ServiceError, match="最高层级"):
        meetings.record_outcome(world.office, joint, joint_item, "escalated", note="再提级")
    due = local_today() + timedelta(days=20)
    meetings.record_outcome(world.office, joint, joint_item, "resolved", decision="由属地政府先行垫付职工工资",
                            tasks=[meetings.TaskInput(world.zf, due, "垫付职工工资"),
                                   meetings.TaskInput(world.rsj, due, "办理失业保险")])
    assert joint_matter.status == workflow.ASSIGNED
    path = ledger.lineage(matter)
    assert [m.kind for m in path] == ["coord.business", "coord.topic", "coord.joint"]
    assert ledger.lineage(joint_matter) == path
    steps = matters.path_view(joint_matter)
    assert [s["tier_label"] for s in steps] == ["业务会议", "专题会议", "联席会议"]
    assert [i.outcome for s in steps for i in s["items"]] == ["escalated", "escalated", "resolved"]
    assert "需市政府决策资金来源" in steps[1]["escalation"].note

    tasks, letters = matters.follow_ups(matter)
    assert [(t.responsible_unit_id, t.status, t.deadline) for t in tasks] == [
        (world.zf.id, workflow.ASSIGNED, due), (world.rsj.id, workflow.ASSIGNED, due)]
    # 销号 of the coordination matter waits for its tasks
    rsj = world.rsj_user
    matters.act(rsj, joint_matter, workflow.IN_PROGRESS)
    matters.act(rsj, joint_matter, workflow.CONCLUDED, note="已协调完毕", confirm=True)
    matters.act(world.office, joint_matter, workflow.FEEDBACK_GIVEN, note="收悉")
    with pytest.raises(access.ServiceError, match="尚有未销号的任务"):
        matters.act(world.office, joint_matter, workflow.CLOSED, confirm=True)
    for task in tasks:
        ledger.move(task, workflow.IN_PROGRESS, user=None)
        ledger.move(task, workflow.CONCLUDED, user=None, note="完成")
        ledger.move(task, workflow.FEEDBACK_GIVEN, user=None, note="收悉")
        matters.act(world.office, task, workflow.CLOSED, confirm=True)
    matters.act(world.office, joint_matter, workflow.CLOSED, confirm=True)
    assert joint_matter.status == workflow.CLOSED


def test_carried_over_matters_stay_on_their_tier(world):
    matter = _raise(world)
    meeting = _meeting(world.office, "business")
    item = meetings.add_to_agenda(world.office, meeting, matter)
    with pytest.raises(access.ServiceError, match="继续研究的内容"):
        meetings.record_outcome(world.office, meeting, item, "carried")
    meetings.record_outcome(world.office, meeting, item, "carried", note="待测算资金")
    assert matter.status == workflow.RECEIVED
    assert matter in matters.open_matters_of_tier(world.office, "business")
    with pytest.raises(access.ServiceError, match="已记录"):
        meetings.record_outcome(world.office, meeting, item, "escalated", note="x")


def test_agenda_takes_only_open_matters_of_the_meetings_tier(world):
    matter = _raise(world)
    topic = _meeting(world.office, "topic", held=False)
    with pytest.raises(access.ServiceError, match="不是专题会议层级"):
        meetings.add_to_agenda(world.office, topic, matter)
    business = _meeting(world.office, "business", held=False)
    meetings.add_to_agenda(world.office, business, matter)
    with pytest.raises(access.ServiceError, match="已在议程中"):
        meetings.add_to_agenda(world.office, business, matter)
    with pytest.raises(access.ServiceError, match="请先登记会议召开情况"):
        meetings.record_outcome(world.office, business, business.items[0], "carried", note="x")


def test_topic_and_joint_meetings_are_the_offices(world):
    with pytest.raises(access.NotAllowed):
        meetings.create_meeting(world.court, tier="joint", title="联席会议", planned_on=local_today())
    with pytest.raises(access.NotAllowed):
        meetings.create_meeting(world.rsj_user, tier="topic", title="专题会议", planned_on=local_today())
    meeting = meetings.create_meeting(world.rsj_user, tier="business", title="点对点", planned_on=local_today())
    assert meeting.proposed_by_unit_id == world.rsj.id and meetings.may_edit(world.rsj_user, meeting)
    assert not meetings.may_edit(world.swj_user, meeting)


def test_issuing_minutes_numbers_them_per_year_and_freezes_the_meeting(world):
    first = _meeting(world.office, "joint", "上半年联席会议")
    second = _meeting(world.office, "topic", "专题会议")
    with pytest.raises(access.ServiceError, match="勾选确认"):
        meetings.issue_minutes(world.office, first, confirm=False)
    meetings.issue_minutes(world.office, first, confirm=True)
    meetings.issue_minutes(world.office, second, confirm=True)
    year = local_today().year
    assert (first.minutes_number, second.minutes_number) == (f"府院纪要〔{year}〕1号", f"府院纪要〔{year}〕2号")
    with pytest.raises(access.ServiceError, match="已印发"):
        meetings.record_held(world.office, first, held_on=local_today(), attendees="", minutes="改")
    with pytest.raises(access.ServiceError):
        meetings.issue_minutes(world.office, first, confirm=True)


def test_minutes_wait_for_every_agenda_outcome(world):
    matter = _raise(world)
    meeting = _meeting(world.office, "business")
    meetings.add_to_agenda(world.office, meeting, matter)
    with pytest.raises(access.ServiceError, match="未记录研究结果"):
        meetings.issue_minutes(world.office, meeting, confirm=True)


def test_decision_tasks_need_deadlines_not_in_the_past(world):
    meeting = _meeting(world.office, "joint")
    with pytest.raises(access.ServiceError, match="早于今天"):
        meetings.add_decision(world.office, meeting, "部署年度任务",
                              [meetings.TaskInput(world.rsj, local_today() - timedelta(days=1), "x")])
    decision = meetings.add_decision(world.office, meeting, "部署年度重点任务",
                                     [meetings.TaskInput(world.swj, local_today(), "梳理欠税企业名单")])
    (task,) = matters.tasks_of([decision.id])
    assert (task.kind, task.status, task.ref) == ("task", "assigned", f"bankruptcy.decision:{decision.id}")
    # the unit moves its task; the office closes it
    assert matters.allowed_moves(world.swj_user, task) == (workflow.IN_PROGRESS, workflow.RETURNED)
    assert matters.allowed_moves(world.rsj_user, task) == ()
    matters.act(world.swj_user, task, workflow.IN_PROGRESS)
    with pytest.raises(access.ServiceError, match="勾选确认"):
        matters.act(world.swj_user, task, workflow.CONCLUDED, note="已梳理")
    matters.act(world.swj_user, task, workflow.CONCLUDED, note="已梳理", confirm=True)
    assert matters.allowed_moves(world.swj_user, task) == ()


def test_supervise_makes_a_matter_urgent(world):
    matter = _raise(world)
    with pytest.raises(access.NotAllowed):
        matters.supervise_matter(world.court, matter, "请加快")
    matters.supervise_matter(world.office, matter, "请加快办理", local_today() + timedelta(days=5))
    assert matter.priority == "urgent" and matter.events[-1].action == "supervise"


def test_calendar_flags_an_overdue_tier(world):
    today = local_today()
    previous_quarter_start = meetings.core.add_months(meetings.core.period_of(today, 3)[0], -3)
    calendars = {tier: cal for tier, _, cal in meetings.calendars(today)}
    assert calendars["joint"].overdue and calendars["topic"].overdue  # nothing held since 2020
    assert not calendars["business"].overdue
    topic = meetings.create_meeting(world.office, tier="topic", title="专题会议", planned_on=previous_quarter_start)
    meetings.record_held(world.office, topic, held_on=previous_quarter_start, attendees="", minutes="纪要")
    calendars = {tier: cal for tier, _, cal in meetings.calendars(today)}
    assert not calendars["topic"].overdue and calendars["topic"].last_held == previous_quarter_start
    # a planned meeting (minutes not recorded) does not count
    meetings.create_meeting(world.office, tier="joint", title="联席会议", planned_on=today)
    assert {tier: cal for tier, _, cal in meetings.calendars(today)}["joint"].overdue


def test_meeting_pages_record_outcome_with_task_rows(client, world):
    matter = _raise(world)
    meeting = _meeting(world.office, "business")
    item = meetings.add_to_agenda(world.office, meeting, matter)
    db.session.commit()
    login(client, "regulator")
    url = f"/bankruptcy/meetings/{meeting.id}/items/{item.id}"
    page = f"/bankruptcy/meetings/{meeting.id}"
    prefix = f"o{item.id}"
    unconfirmed = form_post(client, url, {f"{prefix}-outcome": "carried", f"{prefix}-note": "再研究"}, page=page)
    assert "研究结果记录后不能修改，请勾选确认" in unconfirmed.get_data(as_text=True)
    bad = form_post(client, url, {f"{prefix}-outcome": "resolved", f"{prefix}-decision": "由人社局牵头安置",
                                  f"{prefix}-confirm": "y", f"{prefix}-tasks-0-unit_code": "NOPE",
                                  f"{prefix}-tasks-0-deadline": "2099-01-01",
                                  f"{prefix}-tasks-0-text": "安置"}, page=page)
    assert "找不到单位代码“NOPE”" in bad.get_data(as_text=True)
    assert db.session.get(type(item), item.id).outcome == ""
    ok = form_post(client, url, {f"{prefix}-outcome": "resolved", f"{prefix}-decision": "由人社局牵头安置",
                                 f"{prefix}-confirm": "y", f"{prefix}-tasks-0-unit_code": "RSJ",
                                 f"{prefix}-tasks-0-deadline": "2099-01-01",
                                 f"{prefix}-tasks-0-text": "制定安置方案"}, page=page)
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(item), item.id).outcome == "resolved"
    html = client.get(page).get_data(as_text=True)
    assert "制定安置方案" in html and "2099-01-01" in html
    issue = form_post(client, f"/bankruptcy/meetings/{meeting.id}/issue", {"iss-confirm": ""}, page=page)
    assert "请勾选确认" in issue.get_data(as_text=True)
    assert db.session.get(Meeting, meeting.id).status == "held"


def test_meeting_outcome_date_is_checked(world):
    meeting = meetings.create_meeting(world.office, tier="topic", title="x", planned_on=date(2030, 1, 1))
    with pytest.raises(access.ServiceError, match="不能晚于今天"):
        meetings.record_held(world.office, meeting, held_on=local_today() + timedelta(days=1), attendees="", minutes="x")
