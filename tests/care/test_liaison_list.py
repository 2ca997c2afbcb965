"""The served list (联系服务对象名单) on the seed's own registry, its confirmation and the 分工名单
(form and import), with the seed's dates (名单 10月中旬, 分工名单 10月20日)."""
from datetime import date

import pytest
from sqlalchemy import func, select

from govsvc.care import liaison
from govsvc.care.liaison_access import CareError, NotAllowed
from govsvc.care.liaison_imports import import_assignments
from govsvc.care.models import LiaisonAssignment, ServedEnterprise
from govsvc.care.views import calendar
from govsvc.demo import load_seed
from govsvc.extensions import db
from govsvc.registry.models import Enterprise
from govsvc.registry.service import top_taxpayers
from scoring import liaison as core
from tests.care.liaison_world import at, build_world, world  # noqa: F401  (fixture)
from tests.conftest import form_post, login


def seed_office(factory):
    load_seed()
    from govsvc.registry.models import Unit

    gxj = db.session.scalar(select(Unit).where(Unit.code == "GXJ"))
    return factory.user("department", unit=gxj)


def test_the_seed_list_is_the_tax_top_200_plus_30_new_format_enterprises(app, factory):
    office = seed_office(factory)
    lst = liaison.compose_list(office, 2026)
    entries = db.session.scalars(select(ServedEnterprise).where(ServedEnterprise.list_id == lst.id)).all()
    by_source = {s: [e for e in entries if e.source == s] for s in core.SOURCE_LABELS}
    ranked = top_taxpayers(2026, 200)
    assert [e.enterprise_id for e in sorted(by_source["tax"], key=lambda e: e.rank)] == [r.enterprise_id for r, _ in ranked]
    assert len(by_source["new_format"]) == 30 and lst.new_format_shortfall == 0
    assert lst.tax_year == 2025
    picked = {e.enterprise_id for e in by_source["new_format"]}
    top_ids, top_groups = {r.enterprise_id for r, _ in ranked}, {r.group for r, _ in ranked if r.group}
    chosen = db.session.scalars(select(Enterprise).where(Enterprise.id.in_(picked))).all()
    assert all(e.new_format and e.status == "存续" and e.group_name not in top_groups for e in chosen)
    assert not picked & top_ids
    # the rule: the 30 eligible ones with the largest own 2025 tax; none left out pays more than the last one in
    from govsvc.care.liaison import _candidates

    eligible = [c for c in _candidates(2025, top_groups) if c.new_format and c.in_business
                and c.enterprise_id not in top_ids and c.group not in top_groups]
    smallest_in = min(c.amount for c in eligible if c.enterprise_id in picked)
    assert all(c.amount <= smallest_in for c in eligible if c.enterprise_id not in picked)
    # group members ride with their head (原则上同一集团公司的以集团数据参与排名)
    for member in by_source["member"]:
        assert member.via_enterprise_id in top_ids and member.group_name in top_groups


def test_only_the_office_composes_and_a_confirmed_list_stays(app, factory, world):
    with pytest.raises(NotAllowed):
        liaison.compose_list(world.staff["ZFBGS"], world.year + 1)
    with pytest.raises(CareError, match="已确定"):
        liaison.compose_list(world.office, world.year)
    with pytest.raises(CareError, match="没有.*纳税记录"):
        liaison.compose_list(world.office, world.year + 5)


def test_publishing_needs_every_listed_enterprise_assigned(app, factory):
    w = build_world(factory, assign=False)
    with pytest.raises(CareError, match="3 家企业未明确联系领导"):
        liaison.publish_assignments(w.office, w.lst)
    liaison.assign_city(w.office, w.lst, w.enterprises["大厂"], w.leaders[0])
    liaison.assign_city(w.office, w.lst, w.enterprises["集团母公司"], w.leaders[1])
    liaison.assign_city(w.office, w.lst, w.enterprises["新业态"], w.leaders[1])
    liaison.publish_assignments(w.office, w.lst)
    assert w.lst.status == "published"


@pytest.mark.parametrize("confirmed, published, states", [
    (date(2026, 10, 15), date(2026, 10, 20), ("on_time", "on_time")),
    (date(2026, 10, 16), date(2026, 10, 21), ("late", "late")),
    (None, None, ("overdue", "overdue")),
])
def test_the_seed_dates_of_the_list_and_the_division(app, factory, confirmed, published, states):
    w = build_world(factory)
    w.lst.year = 2026
    w.lst.confirmed_at = at(confirmed) if confirmed else None
    w.lst.published_at = at(published) if published else None
    rows = calendar(w.lst, date(2026, 11, 1))
    assert [(r["due"], r["state"]) for r in rows[:2]] == [(date(2026, 10, 15), states[0]), (date(2026, 10, 20), states[1])]
    assert rows[2]["due"] == date(2026, 10, 20)  # the counties' plans


def test_group_members_are_served_through_the_head(app, factory, world):
    member = world.enterprises["集团成员"]
    found = liaison.liaison_of(member.id)
    assert found.leader.id == world.leaders[1].id and found.via.id == world.enterprises["集团母公司"].id
    with pytest.raises(CareError, match="集团成员随集团母公司联系"):
        liaison.assign_city(world.office, world.lst, member, world.leaders[0])


def test_an_enterprise_off_the_list_gets_no_city_leader(app, factory, world):
    with pytest.raises(CareError, match="不在市级联系服务对象名单内"):
        liaison.assign_city(world.office, world.lst, world.enterprises["规上小厂"], world.leaders[0])


def test_reassigning_keeps_one_leader_per_enterprise(app, factory, world):
    liaison.assign_city(world.office, world.lst, world.enterprises["大厂"], world.leaders[1], "调整分工")
    rows = db.session.scalars(select(LiaisonAssignment).where(
        LiaisonAssignment.enterprise_id == world.enterprises["大厂"].id, LiaisonAssignment.level == "city")).all()
    assert [(r.leader_id, r.note) for r in rows] == [(world.leaders[1].id, "调整分工")]


def csv(*rows):
    return ("统一社会信用代码,联系领导,备注\n" + "\n".join(",".join(r) for r in rows)).encode()


def test_the_division_imports_checked_row_by_row(app, factory):
    w = build_world(factory, assign=False)
    e = w.enterprises
    bad = csv((e["大厂"].credit_code, "leader-1", "分管工业"), (e["集团成员"].credit_code, "leader-2", ""),
              (e["规上小厂"].credit_code, "王副市长", ""), (e["新业态"].credit_code, "无此人", ""))
    report = import_assignments(w.office, w.lst, bad, "分工.csv")
    assert not report.applied and report.error_rows == 3
    assert {(err.row, err.column) for err in report.errors} == {(3, "统一社会信用代码"), (4, "统一社会信用代码"),
                                                               (5, "联系领导")}
    assert db.session.scalar(select(func.count()).select_from(LiaisonAssignment)) == 0
    good = csv((e["大厂"].credit_code, "leader-1", "分管工业"), (e["集团母公司"].credit_code, "李常委", ""),
               (e["新业态"].credit_code, "leader-2", ""))
    first = import_assignments(w.office, w.lst, good, "分工.csv")
    assert (first.applied, first.created) == (True, 3)
    again = import_assignments(w.office, w.lst, good, "分工.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert liaison.liaison_of(e["大厂"].id).leader.name == "王副市长"


def test_the_division_import_page(app, client, factory, world):
    from io import BytesIO

    login(client, world.office.username)
    page = f"/care/list/{world.year}/import"
    body = csv((world.enterprises["大厂"].credit_code, "leader-2", "调整"))
    response = form_post(client, page, {"file": (BytesIO(body), "分工.csv")}, content_type="multipart/form-data")
    assert response.status_code == 200 and "新增 0 条，更新 1 条" in response.get_data(as_text=True)
    assert liaison.liaison_of(world.enterprises["大厂"].id).leader.id == world.leaders[1].id


def test_confirming_asks_first(app, client, factory):
    w = build_world(factory, assign=False)
    w.lst.status, w.lst.confirmed_at = "draft", None
    db.session.commit()
    login(client, w.office.username)
    page = f"/care/list/{w.year}"
    client_response = form_post(client, f"/care/list/{w.year}/confirm", {}, page=page)
    assert client_response.status_code == 302
    db.session.expire_all()
    assert liaison.get_list(w.year).status == "draft"
    form_post(client, f"/care/list/{w.year}/confirm", {"confirm": "y"}, page=page)
    db.session.expire_all()
    assert liaison.get_list(w.year).status == "confirmed"
