"""Leader profiles and office contacts, the dashboard's waiting work per role, and the enterprise
page's liaison section."""
import pytest

from govsvc.care import appeals, invitations
from govsvc.care.liaison_access import CareError, NotAllowed
from govsvc.care.liaison_leaders import save_city_leader, save_county_leader, save_office_contact
from govsvc.extensions import db
from govsvc.main import PANELS
from govsvc.registry.sections import sections_for
from govsvc.timeutil import local_today
from tests.care.liaison_world import world  # noqa: F401  (fixture)
from tests.conftest import form_post, login


def panel_of(user):
    from flask import current_app

    from govsvc.care.views import _care_panel

    with current_app.test_request_context():
        panel = _care_panel(user)
    return dict(panel.lines) if panel else None


def liaison_sections(enterprise, user):
    from flask import current_app

    with current_app.test_request_context():
        return [s for s in sections_for(enterprise, user) if s.title.startswith("联系服务")]


def test_city_leaders_need_a_leader_account_and_an_office(app, factory, world):
    base = {"name": "新领导", "post": "副市长", "office_code": "ZFBGS"}
    with pytest.raises(CareError, match="账号"):
        save_city_leader(world.office, None, {**base, "username": world.staff["ZFBGS"].username})
    with pytest.raises(CareError, match="已是“王副市长”的账号"):
        save_city_leader(world.office, None, {**base, "username": "leader-1"})
    account = factory.user("leader", username="leader-9")
    with pytest.raises(CareError, match="办公室"):
        save_city_leader(world.office, None, {**base, "username": account.username, "office_code": "SCJ"})
    with pytest.raises(NotAllowed):
        save_city_leader(world.staff["ZF-ZD"], None, {**base, "username": account.username})
    profile = save_city_leader(world.office, None, {**base, "username": account.username})
    assert (profile.level, profile.office.code, profile.user_id) == ("city", "ZFBGS", account.id)
    with pytest.raises(NotAllowed):  # the county keeps only its own
        save_county_leader(world.staff["ZF-ZC"], world.county_leader, {"name": "改名"})


def test_office_contacts_are_kept_by_the_office_for_the_six_offices(app, world):
    with pytest.raises(NotAllowed):
        save_office_contact(world.staff["ZFBGS"], world.units["ZFBGS"], name="赵刚", phone="1")
    with pytest.raises(CareError, match="六个领导办公室"):
        save_office_contact(world.office, world.units["GXJ"], name="赵刚", phone="1")
    contact = save_office_contact(world.office, world.units["JCY"], name="郑洁", phone="3182402")
    assert save_office_contact(world.office, world.units["JCY"], name="郑洁", phone="3182403") is contact


def test_each_role_sees_its_waiting_work(app, factory, world):
    head = world.heads["大厂"]
    appeal = appeals.file_appeal(head, enterprise=None, category="land", title="用地", description="用地指标")
    inv = invitations.request(head, kind="project", title="签约", activity_on=local_today(), activity_time="",
                              place="厂区", description="签约", contact_name="张", contact_phone="1", wished_leader=None,
                              pledge=True)
    assert panel_of(world.leader_users[0])["待办诉求"] == 1
    assert panel_of(world.leader_users[1])["待办诉求"] == 0
    assert panel_of(world.office)["待筛选邀请"] == 1
    assert panel_of(head) == {"联系领导": "王副市长（副市长）", "在办诉求": 1, "进行中的邀请": 1}
    invitations.screen(world.office, inv, passed=True, leader=world.leaders[0], note="确有必要")
    assert panel_of(world.staff["ZFBGS"])["待答复邀请"] == 1 and panel_of(world.staff["SWBGS"])["待答复邀请"] == 0
    assert panel_of(world.staff["ZF-ZD"])["规上企业联系缺口"] == 1
    appeals.act(world.leader_users[0], appeal, appeals.ESCALATE, note="需统筹")
    assert panel_of(world.office)["待办诉求"] == 1
    assert panel_of(factory.user("department")) is None  # an uninvolved unit
    assert _care_registered()


def _care_registered() -> bool:
    from govsvc.care.views import _care_panel

    return _care_panel in PANELS


def test_the_enterprise_page_shows_its_liaison_leader_appeals_and_invitations(app, client, factory, world):
    enterprise = world.enterprises["集团成员"]
    appeals.file_appeal(world.heads["集团成员"], enterprise=None, category="energy", title="用电报装", description="用电")
    section = liaison_sections(enterprise, world.leader_users[0])[0]
    rows = dict(section.rows)
    assert "李常委（市委常委）" in rows["联系领导"] and "随集团“金城集团有限公司”联系" in rows["联系领导"]
    assert "用电报装（联系领导协调）" in rows["在办诉求"]
    assert not liaison_sections(enterprise, world.heads["大厂"])
    assert liaison_sections(enterprise, world.heads["集团成员"])[0].link == "/care/my"
    assert not liaison_sections(world.enterprises["规上小厂"], world.leader_users[0])  # nothing to show staff
    assert dict(liaison_sections(world.enterprises["规上小厂"], world.heads["规上小厂"])[0].rows)["联系领导"] == "暂无"
    db.session.commit()
    login(client, world.leader_users[0].username)
    html = client.get(f"/registry/enterprises/{enterprise.id}").get_data(as_text=True)
    assert "联系服务（联络员制度）" in html and "李常委" in html


def test_pages_by_role(app, factory, world):
    def html(user, url):
        c = app.test_client()
        login(c, user.username)
        response = c.get(url)
        return response.status_code, response.get_data(as_text=True)

    db.session.commit()
    status, page = html(world.office, "/care/")
    assert status == 200 and "筛选企业邀请" in page and "企业诉求" in page
    status, page = html(factory.user("department"), "/care/")
    assert status == 200 and "企业诉求" not in page  # no tab to a page it may not open
    assert html(world.heads["大厂"], "/care/")[0] == 302
    assert html(world.heads["大厂"], "/care/list")[0] == 403
    status, page = html(world.heads["新业态"], "/care/my")  # an `enterprise` portal account
    assert status == 200 and "李常委" in page
    status, page = html(world.leader_users[0], f"/care/leaders/{world.leaders[0].id}")
    assert status == 200 and "大厂有限公司" in page


def test_a_leader_is_added_on_the_page(app, client, factory, world):
    account = factory.user("leader", username="leader-7")
    db.session.commit()
    login(client, world.office.username)
    data = {"username": "leader-7", "name": "周副市长", "post": "副市长", "office_code": "ZFBGS", "field": "商务",
            "sort_order": "5", "active": "y"}
    response = form_post(client, "/care/leaders/new", data)
    assert response.status_code == 302
    assert "周副市长（副市长）" in client.get(response.headers["Location"]).get_data(as_text=True)
    refused = form_post(client, "/care/leaders/new", {**data, "username": "leader-1"})
    assert "已是“王副市长”的账号" in refused.get_data(as_text=True)
    assert account.id


def test_odd_ids_and_years_are_not_found_and_reports_export(app, client, world):
    db.session.commit()
    login(client, world.office.username)
    for url in ("/care/appeals/99999999999999999999", "/care/list/99999999999", "/care/list/1500",
                "/care/invitations/2147483648/form", "/care/county/ZF-ZD/3000", "/care/county/SCJ/2026"):
        assert client.get(url).status_code == 404, url
    assert client.get("/care/plans?year=99999").status_code == 200
    exported = client.get(f"/care/coverage/{world.year}?format=csv").get_data(as_text=True)
    assert exported.splitlines()[0].lstrip("\ufeff") == "区县,规上企业,市级领导联系,县级领导联系,市县重复,缺口"
    assert "张店区,3,2,0,0,1" in exported
    plans = client.get(f"/care/plans?year={world.year}&format=csv").get_data(as_text=True)
    assert "张店区人民政府,,未制定" in plans
