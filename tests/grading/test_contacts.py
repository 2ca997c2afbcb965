"""The joint-meeting roster (seed 002: 各相关责任部门及时确定一名分管领导及工作联络员报市司法局): each
member unit reports its own; justice keeps the list, sees who has not reported and may enter a
paper report; the leader reads it; nobody else, and no unit edits another's."""
from sqlalchemy import select

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.grading import contacts
from govsvc.grading.models import UnitContact
from tests.conftest import form_post, login, logout

REPORT = {"leader_name": "王明", "leader_post": "副局长", "leader_phone": "0533-2180001",
          "liaison_name": "李华", "liaison_post": "法规科", "liaison_phone": "13800001111"}


def test_a_unit_reports_its_own_leader_and_liaison_and_justice_sees_who_has_not(client, city, factory):
    fgw = city.units["FGW"]
    clerk = factory.user("department", unit=fgw, username="clerk-fgw")
    city.factory.user("justice", unit=city.justice_unit, username="justice1")
    db.session.commit()
    login(client, "clerk-fgw")
    assert client.get("/grading/contacts").status_code == 302  # a unit's staff go to their own report
    page = f"/grading/contacts/{fgw.id}"
    html = form_post(client, page, {**REPORT, "liaison_phone": "call me"}).get_data(as_text=True)
    assert "电话号码只能包含数字" in html and db.session.scalar(select(UnitContact)) is None
    html = form_post(client, page, {**REPORT, "liaison_name": "  "}).get_data(as_text=True)
    assert "请填写联络员姓名" in html
    assert form_post(client, page, REPORT).status_code == 302
    contact = contacts.contact_of(fgw.id)
    assert (contact.leader_name, contact.liaison_phone, contact.reported_by) == ("王明", "13800001111", "clerk-fgw")
    # another unit's report is not this clerk's to make
    assert client.get(f"/grading/contacts/{city.units['SHJ'].id}").status_code == 403
    logout(client)
    login(client, "justice1")
    html = client.get("/grading/contacts").get_data(as_text=True)
    assert "王明" in html and "尚有 5 个成员单位未报送" in html and "市SHJ局" in html
    exported = client.get("/grading/contacts?format=csv").get_data(as_text=True)
    assert "13800001111" in exported and exported.count("未报送") == 5
    # justice enters a paper report for another unit; a second report replaces the first
    assert form_post(client, f"/grading/contacts/{city.units['SHJ'].id}", REPORT).status_code == 302
    assert form_post(client, page, {**REPORT, "liaison_name": "赵强"}).status_code == 302
    assert contacts.contact_of(fgw.id).liaison_name == "赵强"
    assert db.session.scalar(select(db.func.count(UnitContact.id))) == 2
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "grading.contact.report")).all()
    assert len(entries) == 3 and any("liaison_name" in (e.detail or "") for e in entries)
    assert clerk is not None


def test_only_justice_the_leader_and_the_units_themselves_reach_the_roster(client, city, factory):
    fgw = city.units["FGW"]
    for role, name in (("leader", "lead1"), ("discipline", "disc1"), ("evaluator", "head1"), ("admin", "adm1")):
        kwargs = {"enterprise": factory.enterprise()} if role == "evaluator" else {}
        factory.user(role, username=name, **kwargs)
    db.session.commit()
    expected = {"lead1": (200, 403), "disc1": (403, 403), "head1": (403, 403), "adm1": (403, 403)}
    for name, (roster, edit) in expected.items():
        login(client, name)
        assert client.get("/grading/contacts").status_code == roster, name
        assert client.get(f"/grading/contacts/{fgw.id}").status_code == edit, name
        logout(client)


def test_the_members_are_the_grading_units_and_whoever_reported(city, factory):
    stats = factory.unit("TJJ", name="市统计局")
    assert [u.code for u, _ in contacts.members()] == sorted(city.units[c].code for c in city.units
                                                              if city.units[c].grading)
    contacts.report(stats, REPORT, user=None)
    assert "TJJ" in [u.code for u, _ in contacts.members()]
