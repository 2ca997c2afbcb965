"""County leaders, the no-overlap rule, county coverage (规上企业全覆盖) and contact records (direct
contact by 10-31)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from govsvc.care import liaison
from govsvc.care.liaison_access import CareError, NotAllowed
from govsvc.care.liaison_contacts import direct_contact_summary, record_contact
from govsvc.care.liaison_leaders import save_county_leader
from govsvc.care.models import LiaisonContact
from govsvc.extensions import db
from govsvc.timeutil import local_today
from tests.care.liaison_world import world  # noqa: F401  (fixture)
from tests.conftest import form_post, login


def test_a_county_leader_may_not_serve_an_enterprise_on_the_city_list(app, world):
    zd = world.staff["ZF-ZD"]
    for name in ("大厂", "集团母公司"):
        with pytest.raises(CareError, match="同时由市级领导和区县领导联系"):
            liaison.assign_county(zd, world.year, world.enterprises[name], world.county_leader)


def test_group_members_on_the_city_list_are_not_the_countys(app, factory, world):
    zc = world.staff["ZF-ZC"]
    leader = save_county_leader(zc, None, {"name": "孙书记", "post": "区委书记"})
    with pytest.raises(CareError, match="同时由市级领导和区县领导联系"):
        liaison.assign_county(zc, world.year, world.enterprises["集团成员"], leader)
    liaison.assign_county(zc, world.year, world.enterprises["淄川规上"], leader)


def test_county_leaders_serve_their_own_county(app, world):
    zd = world.staff["ZF-ZD"]
    with pytest.raises(CareError, match="本区县以外"):
        liaison.assign_county(zd, world.year, world.enterprises["淄川规上"], world.county_leader)
    with pytest.raises(CareError, match="本区县在职的县级领导"):
        liaison.assign_county(world.staff["ZF-ZC"], world.year, world.enterprises["淄川规上"], world.county_leader)
    with pytest.raises(NotAllowed):
        liaison.assign_county(world.office, world.year, world.enterprises["规上小厂"], world.county_leader)


def test_coverage_report_counts_gaps_and_the_list_page_agrees(app, world):
    zd = world.staff["ZF-ZD"]
    before = {row.district: row for row in liaison.coverage(world.year)}
    assert (before["张店区"].total, before["张店区"].by_city, before["张店区"].gaps) == (
        3, 2, [world.enterprises["规上小厂"].id])  # 大厂, 集团母公司 by the city; 新业态 and 非规上 are not above-scale
    assert (before["淄川区"].total, before["淄川区"].by_city, len(before["淄川区"].gaps)) == (2, 1, 1)
    liaison.assign_county(zd, world.year, world.enterprises["规上小厂"], world.county_leader)
    after = {row.district: row for row in liaison.coverage(world.year)}
    assert after["张店区"].complete and after["张店区"].by_county == 1
    for district, state, expected in (("张店区", "gap", set()), ("淄川区", "gap", {"淄川规上"}),
                                      ("张店区", "county", {"规上小厂"}), ("淄川区", "city", {"集团成员"})):
        rows = db.session.execute(liaison.county_enterprises_query(world.year, district, state=state)).all()
        assert {r[0].id for r in rows} == {world.enterprises[n].id for n in expected}
    member = db.session.execute(liaison.county_enterprises_query(world.year, "淄川区", state="city")).one()
    assert member[3].leader_id == world.leaders[1].id  # the group head's city leader serves the member


def test_an_overlap_from_a_late_list_shows_in_the_report(app, factory):
    """County assignments made before the city list is confirmed: the report flags the overlap."""
    from tests.care.liaison_world import build_world

    w = build_world(factory, assign=False)
    w.lst.status = "draft"
    liaison.assign_county(w.staff["ZF-ZD"], w.year, w.enterprises["大厂"], w.county_leader)
    w.lst.status = "confirmed"
    row = {r.district: r for r in liaison.coverage(w.year)}["张店区"]
    assert row.overlaps == 1
    rows = db.session.execute(liaison.county_enterprises_query(w.year, "张店区", state="overlap")).all()
    assert [r[0].id for r in rows] == [w.enterprises["大厂"].id]


def test_county_pages_for_the_county_and_the_others(app, client, world):
    page = f"/care/county/ZF-ZD/{world.year}"
    login(client, world.staff["ZF-ZD"].username)
    html = client.get(page + "?state=gap").get_data(as_text=True)
    assert "张店小厂有限公司" in html and "明确县级联系领导" in html
    response = form_post(client, f"/care/county/ZF-ZD/{world.year}/assign",
                         {"enterprise": world.enterprises["大厂"].credit_code, "leader": str(world.county_leader.id)},
                         page=page)
    assert response.status_code == 302
    assert "同时由市级领导和区县领导联系" in client.get(response.headers["Location"]).get_data(as_text=True)
    form_post(client, f"/care/county/ZF-ZD/{world.year}/assign",
              {"enterprise": "张店小厂有限公司", "leader": str(world.county_leader.id)}, page=page)
    assert liaison.liaison_of(world.enterprises["规上小厂"].id).leader.name == "赵区长"
    other = app.test_client()
    login(other, world.staff["ZF-ZC"].username)
    assert "明确县级联系领导" not in other.get(page).get_data(as_text=True)
    assert form_post(other, f"/care/county/ZF-ZD/{world.year}/assign", {"enterprise": "x", "leader": "1"},
                     page=page).status_code == 403


def test_leaders_record_contacts_with_their_own_enterprises_only(app, world):
    leader_user, today = world.leader_users[0], local_today()
    contact = record_contact(leader_user, enterprise=world.enterprises["大厂"], leader=None, kind="research",
                             contact_on=today, summary="蹲点调研", problems="用地指标")
    assert contact.leader_id == world.leaders[0].id
    with pytest.raises(CareError, match="不是该企业的联系领导"):
        record_contact(leader_user, enterprise=world.enterprises["集团母公司"], leader=None, kind="visit",
                       contact_on=today, summary="走访")
    with pytest.raises(CareError, match="不能晚于今天"):
        record_contact(leader_user, enterprise=world.enterprises["大厂"], leader=None, kind="visit",
                       contact_on=today + timedelta(days=1), summary="走访")
    with pytest.raises(NotAllowed):
        record_contact(world.staff["ZFBGS"], enterprise=world.enterprises["大厂"], leader=world.leaders[0], kind="call",
                       contact_on=today, summary="电话")
    # the office records for a leader; a group member's contact goes to the group's leader
    record_contact(world.office, enterprise=world.enterprises["集团成员"], leader=world.leaders[1], kind="call",
                   contact_on=today, summary="电话了解生产情况")


def test_direct_contact_by_october_31(app, world):
    world.lst.year = 2026
    from govsvc.care.models import LiaisonAssignment

    for a in db.session.scalars(select(LiaisonAssignment)):
        a.year = 2026
    pairs = {(a.enterprise_id, a.leader_id) for a in db.session.scalars(select(LiaisonAssignment))}
    days = iter([date(2026, 10, 31), date(2026, 11, 1)])
    for enterprise_id, leader_id in sorted(pairs)[:2]:
        db.session.add(LiaisonContact(enterprise_id=enterprise_id, leader_id=leader_id, kind="meet",
                                      contact_on=next(days), summary="见面建联"))
    db.session.flush()
    assert direct_contact_summary(world.lst, date(2026, 11, 5)) == {"on_time": 1, "late": 1, "pending": 0, "overdue": 1}
    assert direct_contact_summary(world.lst, date(2026, 10, 31)) == {"on_time": 1, "late": 1, "pending": 1, "overdue": 0}


def test_contact_form_then_appeal_from_the_problems(app, client, world):
    login(client, world.leader_users[0].username)
    response = form_post(client, "/care/contacts/new", {
        "enterprise": str(world.enterprises["大厂"].id), "kind": "research", "contact_on": local_today().isoformat(),
        "summary": "蹲点调研，了解扩产计划。", "problems": "扩产项目用地指标尚未落实"})
    assert response.status_code == 302 and "/care/appeals/new?contact=" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "扩产项目用地指标尚未落实" in html
