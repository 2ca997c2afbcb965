"""Appeals (诉求): leader → 联络员办公室 → 市委/市政府 on the shared ledger, deadlines per level,
督办, who acts where, the enterprise's view and confirmation."""
from datetime import timedelta

import pytest

from govsvc.care import appeals
from govsvc.care.liaison_access import CareError, NotAllowed
from govsvc.care.models import Appeal
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow as W
from govsvc.timeutil import local_today
from tests.care.liaison_world import world  # noqa: F401  (fixture)
from tests.conftest import form_post, login


def file(world, name="大厂", **kw):
    head = world.heads[name]
    return appeals.file_appeal(head, enterprise=None, category=kw.get("category", "land"),
                               title=kw.get("title", "扩产项目用地指标尚未落实"),
                               description=kw.get("description", "年产5万吨项目已备案，用地指标未落实。"))


def test_an_enterprise_appeal_goes_to_its_liaison_leader_with_15_days(app, world):
    appeal = file(world)
    matter = appeal.matter
    assert (appeal.level, appeal.leader_id, appeal.channel) == ("leader", world.leaders[0].id, "enterprise")
    assert (matter.module, matter.kind, matter.status) == ("care", "appeal.leader", W.RECEIVED)
    assert matter.responsible_unit.code == "ZFBGS"  # the leader's office
    assert matter.deadline == local_today() + timedelta(days=15)
    assert matter.ref == f"care.appeal:{appeal.id}"


def test_escalated_twice_the_path_stays_readable(app, world):
    appeal = file(world)
    leader_user = world.leader_users[0]
    with pytest.raises(NotAllowed):  # the office cannot act at the leader's level
        appeals.act(world.office, appeal, appeals.ESCALATE, note="越级")
    appeals.act(leader_user, appeal, appeals.ESCALATE, note="涉及多个部门，本级协调不了")
    assert (appeal.level, appeal.matter.responsible_unit.code, appeal.matter.kind) == ("office", "GXJ", "appeal.office")
    assert appeal.matter.deadline == local_today() + timedelta(days=15)
    with pytest.raises(NotAllowed):  # the leader is done at his level
        appeals.act(leader_user, appeal, appeals.RESOLVE, note="已协调")
    with pytest.raises(CareError, match="市委还是市政府"):
        appeals.act(world.office, appeal, appeals.ESCALATE, note="需市政府研究")
    appeals.act(world.office, appeal, appeals.ESCALATE, note="需市政府专题研究", city_code="ZFBGS")
    assert (appeal.level, appeal.matter.responsible_unit.code) == ("city", "ZFBGS")
    assert appeal.matter.deadline == local_today() + timedelta(days=30)
    path = appeals.path(appeal)
    assert [s.level for s in path] == ["leader", "office", "city"]
    assert [s.matter.status for s in path] == [W.ESCALATED, W.ESCALATED, W.RECEIVED]
    assert ledger.lineage(path[0].matter) == [s.matter for s in path]
    assert appeals.actions_for(world.staff["ZFBGS"], appeal) == [appeals.ACCEPT, appeals.RESOLVE]  # no level above
    assert appeals.actions_for(world.staff["SWBGS"], appeal) == []  # 市委 did not get this one
    appeals.act(world.staff["ZFBGS"], appeal, appeals.RESOLVE, note="市政府专题会议研究，电网改造纳入年度计划。")
    assert appeal.matter.status == W.FEEDBACK_GIVEN and appeals.state_of(appeal) == appeals.ANSWERED
    appeals.confirm(world.heads["大厂"], appeal, satisfaction="satisfied", feedback="")
    assert appeal.matter.status == W.CLOSED and appeal.satisfaction == "satisfied"


def test_the_leader_resolves_and_the_enterprise_confirms(app, world):
    appeal = file(world)
    leader_user = world.leader_users[0]
    appeals.act(leader_user, appeal, appeals.ACCEPT, note="")
    assert appeal.matter.status == W.IN_PROGRESS
    with pytest.raises(CareError, match="办理结果"):
        appeals.act(leader_user, appeal, appeals.RESOLVE, note=" ")
    appeals.act(leader_user, appeal, appeals.RESOLVE, note="已协调自然资源局调剂指标。")
    assert appeal.resolution == "已协调自然资源局调剂指标。"
    with pytest.raises(NotAllowed):  # another enterprise
        appeals.confirm(world.heads["集团母公司"], appeal, satisfaction="satisfied", feedback="")
    with pytest.raises(CareError):
        appeals.confirm(world.heads["大厂"], appeal, satisfaction="great", feedback="")
    appeals.confirm(world.heads["大厂"], appeal, satisfaction="basic", feedback="希望加快")
    assert appeal.matter.status == W.CLOSED and appeal.closed_at is not None


def test_supervision_by_the_level_above(app, world):
    appeal = file(world)
    with pytest.raises(NotAllowed):
        appeals.supervise(world.staff["ZFBGS"], appeal, note="请加快", deadline=None)
    new_deadline = local_today() + timedelta(days=3)
    appeals.supervise(world.office, appeal, note="请于三日内办结", deadline=new_deadline)
    assert appeal.matter.events[-1].action == W.SUPERVISE and appeal.matter.deadline == new_deadline
    with pytest.raises(CareError, match="早于今天"):
        appeals.supervise(world.office, appeal, note="x", deadline=local_today() - timedelta(days=1))
    appeals.act(world.leader_users[0], appeal, appeals.ESCALATE, note="需统筹")
    with pytest.raises(NotAllowed):  # the office does not urge itself
        appeals.supervise(world.office, appeal, note="请加快", deadline=None)
    appeals.supervise(world.staff["SWBGS"], appeal, note="市委办督查：请加快", deadline=None)


def test_an_overdue_level_shows_and_escalation_ends_it(app, world):
    appeal = file(world)
    appeal.matter.deadline = local_today() - timedelta(days=1)
    assert appeal.matter.overdue
    assert appeals.waiting_counts(world.leader_users[0]) == (1, 1)
    appeals.act(world.leader_users[0], appeal, appeals.ESCALATE, note="需统筹")
    first = appeals.path(appeal)[0].matter
    assert not first.overdue and appeals.waiting_counts(world.leader_users[0]) == (0, 0)
    assert appeals.waiting_counts(world.office) == (1, 0)


def test_group_members_and_enterprises_without_a_city_leader(app, world):
    member = file(world, "集团成员")
    assert member.leader_id == world.leaders[1].id and member.matter.responsible_unit.code == "SWBGS"
    with pytest.raises(CareError, match="没有市级联系领导"):
        file(world, "规上小厂")
    with pytest.raises(CareError) as refused:
        appeals.file_appeal(world.heads["大厂"], enterprise=None, category="", title="", description="")
    assert set(refused.value.errors) == {"category", "title", "description"}
    assert db.session.query(Appeal).count() == 1


def test_a_leader_files_for_his_own_enterprises_only(app, world):
    leader_user = world.leader_users[0]
    appeal = appeals.file_appeal(leader_user, enterprise=world.enterprises["大厂"], category="finance", title="续贷",
                                 description="流动资金贷款续贷")
    assert appeal.channel == "leader"
    with pytest.raises(CareError, match="只能为您联系服务的企业"):
        appeals.file_appeal(leader_user, enterprise=world.enterprises["集团母公司"], category="finance", title="续贷",
                            description="续贷")
    with pytest.raises(NotAllowed):
        appeals.file_appeal(world.staff["SWBGS"], enterprise=world.enterprises["大厂"], category="finance", title="x",
                            description="x")


def test_who_reads_which_appeals(app, world):
    appeal = file(world)
    assert appeals.may_read(world.leader_users[0], appeal) and not appeals.may_read(world.leader_users[1], appeal)
    assert appeals.may_read(world.staff["ZFBGS"], appeal)       # the leader's own office
    assert not appeals.may_read(world.staff["SWBGS"], appeal)   # not yet at the city level
    assert not appeals.may_read(world.heads["集团母公司"], appeal)
    with pytest.raises(NotAllowed):
        appeals.appeals_query(world.staff["ZF-ZD"])


def test_escalating_on_the_page_asks_for_confirmation_and_hides_notes_from_the_enterprise(app, client, world):
    appeal = file(world)
    db.session.commit()
    login(client, world.leader_users[0].username)
    page = f"/care/appeals/{appeal.id}"
    data = {"action": "escalate", "note": "涉及多个部门，本级协调不了"}
    refused = form_post(client, page, data)
    assert refused.status_code == 200 and "请勾选确认后再提交" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).level == "leader"
    assert form_post(client, page, {**data, "confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).level == "office"
    head = app.test_client()
    login(head, world.heads["大厂"].username)
    html = head.get(page).get_data(as_text=True)
    assert "重点企业联络员办公室统筹" in html and "已提级" in html
    assert "本级协调不了" not in html  # internal notes stay internal
    staff = app.test_client()
    login(staff, world.office.username)
    assert "本级协调不了" in staff.get(page).get_data(as_text=True)


def test_the_ledger_sends_care_matters_to_the_appeal_page(app, client, world):
    appeal = file(world)
    db.session.commit()
    login(client, world.office.username)
    response = client.get(f"/ledger/{appeal.matter_id}")
    assert response.status_code == 403  # the leader's level belongs to the leader's office, not 工信局
    zf = app.test_client()
    login(zf, world.staff["ZFBGS"].username)
    first = zf.get(f"/ledger/{appeal.matter_id}")
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/care/appeals/matter/{appeal.matter_id}")
    assert zf.get(first.headers["Location"]).headers["Location"].endswith(f"/care/appeals/{appeal.id}")


def test_the_enterprise_files_on_its_page_and_sees_its_own(app, client, world):
    db.session.commit()
    login(client, world.heads["大厂"].username)
    response = form_post(client, "/care/appeals/new", {"category": "energy", "title": "新增用电负荷报装",
                                                      "description": "新厂区需新增用电负荷。"})
    assert response.status_code == 302
    appeal = db.session.query(Appeal).one()
    assert "王副市长" in client.get(response.headers["Location"]).get_data(as_text=True)
    other = app.test_client()
    login(other, world.heads["集团母公司"].username)
    assert other.get(f"/care/appeals/{appeal.id}").status_code == 403
    assert "新增用电负荷报装" not in other.get("/care/appeals").get_data(as_text=True)
