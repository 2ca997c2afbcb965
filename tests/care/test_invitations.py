"""站台 invitations: the enterprise's request with the no-benefit pledge, 工信局's screening and the
numbered 邀请单 routed to the leader's office contact, the answer back to the enterprise, the direct
invitation of the enterprise's own liaison leader, and the register discipline reads."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from govsvc.care import invitations
from govsvc.care.liaison_access import CareError, NotAllowed
from govsvc.care.liaison_leaders import save_office_contact
from govsvc.care.models import Invitation
from govsvc.extensions import db
from govsvc.timeutil import local_today
from scoring import liaison as core
from tests.care.liaison_world import world  # noqa: F401  (fixture)
from tests.conftest import form_post, login


def request(world, name="大厂", wished=None, **kw):
    fields = {"kind": "project", "title": "年产10万吨项目签约仪式", "activity_on": local_today() + timedelta(days=10),
              "activity_time": "09:30", "place": "企业会议中心", "description": "项目签约，邀请领导出席致辞。",
              "contact_name": "张经理", "contact_phone": "13800000000", "wished_leader": wished, "pledge": True}
    fields.update(kw)
    return invitations.request(world.heads[name], **fields)


def test_the_pledge_and_an_activity_to_come_are_required(app, world):
    with pytest.raises(CareError) as refused:
        request(world, pledge=False, activity_on=local_today() - timedelta(days=1), kind="party")
    assert set(refused.value.errors) == {"pledge", "activity_on", "kind"}
    with pytest.raises(CareError, match="时间格式"):
        request(world, activity_time="上午")
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    inv = request(world, activity_on=local_today())
    assert inv.pledge and "不搞利益输送" in inv.pledge_text and inv.state == core.SCREEN and inv.route == core.SCREENING


def test_screening_fills_a_numbered_form_routed_to_the_leaders_office(app, world):
    first, second = request(world), request(world, "集团母公司")
    with pytest.raises(NotAllowed):
        invitations.screen(world.staff["ZFBGS"], first, passed=True, leader=world.leaders[0], note="确有必要")
    with pytest.raises(CareError, match="确有必要"):
        invitations.screen(world.office, first, passed=True, leader=world.leaders[0], note="")
    invitations.screen(world.office, first, passed=True, leader=world.leaders[0], note="重大项目签约，确有必要。")
    invitations.screen(world.office, second, passed=True, leader=world.leaders[0], note="确有必要。")
    year = local_today().year
    assert (first.number, second.number) == (f"站台邀〔{year}〕0001号", f"站台邀〔{year}〕0002号")
    assert (first.state, first.office.code) == (core.AWAITING, "ZFBGS")  # 王副市长 sits at 市政府办


def test_the_office_contact_answers_and_the_enterprise_sees_it(app, world):
    inv = request(world)
    invitations.screen(world.office, inv, passed=True, leader=world.leaders[0], note="确有必要。")
    with pytest.raises(NotAllowed):  # another leaders' office
        invitations.reply(world.staff["SWBGS"], inv, attending=True, attending_leader=None, note="")
    with pytest.raises(CareError, match="原因"):
        invitations.reply(world.staff["ZFBGS"], inv, attending=False, attending_leader=None, note="")
    invitations.reply(world.staff["ZFBGS"], inv, attending=True, attending_leader=None, note="9:20到达")
    assert (inv.state, inv.attending_leader_id) == (core.ACCEPTED, world.leaders[0].id)
    with pytest.raises(NotAllowed):  # attendance is recorded on or after the day
        invitations.record_attendance(world.staff["ZFBGS"], inv, note="")
    inv.activity_on = local_today()
    invitations.record_attendance(world.staff["ZFBGS"], inv, note="出席并致辞")
    assert inv.state == core.ATTENDED
    assert [e.to_state for e in inv.events] == [core.SCREEN, core.AWAITING, core.ACCEPTED, core.ATTENDED]


def test_declined_and_screened_out_carry_their_reasons(app, world):
    declined, refused = request(world), request(world, "集团母公司", kind="other", title="企业年会")
    invitations.screen(world.office, declined, passed=True, leader=world.leaders[0], note="确有必要。")
    invitations.reply(world.leader_users[0], declined, attending=False, attending_leader=None, note="当日参加全省会议")
    assert (declined.state, declined.outcome_note) == (core.DECLINED, "当日参加全省会议")
    with pytest.raises(CareError, match="不予安排的理由"):
        invitations.screen(world.office, refused, passed=False, leader=None, note="")
    invitations.screen(world.office, refused, passed=False, leader=None, note="企业内部活动，不属于服务企业活动范围。")
    assert (refused.state, refused.seq) == (core.SCREENED_OUT, None)


def test_the_liaison_leaders_own_enterprise_invites_him_directly(app, world):
    inv = request(world, wished=world.leaders[0])  # 大厂 is served by 王副市长
    assert (inv.route, inv.state, inv.leader_id, inv.seq) == (core.DIRECT, core.AWAITING, world.leaders[0].id, None)
    assert not invitations.may_screen(world.office, inv)
    invitations.reply(world.leader_users[0], inv, attending=True, attending_leader=None, note="")
    assert inv.state == core.ACCEPTED
    other = request(world, wished=world.leaders[1])  # not 大厂's leader: screened
    assert other.route == core.SCREENING
    member = request(world, "集团成员", wished=world.leaders[1])  # a member invites its group's leader directly
    assert member.route == core.DIRECT


def test_cancelling(app, world):
    inv = request(world)
    with pytest.raises(NotAllowed):
        invitations.cancel(world.heads["集团母公司"], inv, reason="x")
    invitations.cancel(world.heads["大厂"], inv, reason="活动延期")
    assert inv.state == core.CANCELLED and not invitations.may_cancel(world.heads["大厂"], inv)


def test_the_register_for_discipline_and_who_else_reads_it(app, factory, world):
    routed, direct = request(world), request(world, "集团母公司", wished=world.leaders[1])
    invitations.screen(world.office, routed, passed=True, leader=world.leaders[0], note="确有必要。")
    discipline = factory.user("discipline")
    assert set(db.session.scalars(invitations.invitations_query(discipline))) == {routed, direct}
    assert list(db.session.scalars(invitations.invitations_query(world.staff["ZFBGS"]))) == [routed]
    assert list(db.session.scalars(invitations.invitations_query(world.heads["集团母公司"]))) == [direct]
    assert list(db.session.scalars(invitations.invitations_query(world.leader_users[1]))) == [direct]
    with pytest.raises(NotAllowed):
        invitations.invitations_query(world.staff["ZF-ZD"])


def test_from_request_to_attended_on_the_pages(app, world):
    save_office_contact(world.office, world.units["ZFBGS"], name="赵刚", phone="3182105")
    db.session.commit()
    head = app.test_client()
    login(head, world.heads["大厂"].username)
    data = {"kind": "investment", "title": "新材料产业园招商推介会", "activity_on": local_today().isoformat(),
            "activity_time": "09:30", "place": "会议中心", "description": "招商推介", "wished_leader": "",
            "contact_name": "张经理", "contact_phone": "13800000000"}
    refused = form_post(head, "/care/invitations/new", data)
    assert "请确认不搞利益输送的承诺" in refused.get_data(as_text=True)
    created = form_post(head, "/care/invitations/new", {**data, "pledge": "y"})
    inv = db.session.scalar(select(Invitation))
    assert created.headers["Location"].endswith(f"/care/invitations/{inv.id}")
    page = f"/care/invitations/{inv.id}"
    office = app.test_client()
    login(office, world.office.username)
    screen = {"sc-decision": "pass", "sc-leader": str(world.leaders[0].id), "sc-note": "确有必要。"}
    assert "请勾选确认" in form_post(office, f"{page}/screen", screen, page=page).get_data(as_text=True)
    assert form_post(office, f"{page}/screen", {**screen, "sc-confirm": "y"}, page=page).status_code == 302
    sheet = office.get(f"{page}/form").get_data(as_text=True)
    assert "市级领导参加服务企业活动邀请单" in sheet and "站台邀〔" in sheet and "赵刚（3182105）" in sheet
    contact = app.test_client()
    login(contact, world.staff["ZFBGS"].username)
    form_post(contact, f"{page}/reply", {"rp-decision": "attend", "rp-note": "9:20到达", "rp-confirm": "y"}, page=page)
    form_post(contact, f"{page}/attended", {"at-note": "出席并致辞", "at-confirm": "y"}, page=page)
    db.session.expire_all()
    assert db.session.get(Invitation, inv.id).state == core.ATTENDED
    html = head.get(page).get_data(as_text=True)
    assert "王副市长（副市长）已出席活动" in html
    assert head.get(f"/care/invitations/{inv.id}/form").status_code == 200  # the enterprise may print its own
