"""Escalation (提级) along levels, supervision (督办), module registration, enterprise sections."""
from datetime import timedelta

import pytest

from govsvc.extensions import db
from govsvc.ledger import service
from govsvc.ledger import workflow as W
from govsvc.ledger.models import MODULES, Matter
from govsvc.registry.sections import ENTERPRISE_SECTIONS, Section, enterprise_section, sections_for
from govsvc.timeutil import local_today
from tests.conftest import form_post


def _assigned(factory, unit=None, deadline=None):
    unit = unit or factory.unit()
    matter = service.create_matter(module="general", kind="general", title="企业诉求：用地手续", ref="care.appeal:1",
                                   deadline=deadline)
    service.move(matter, W.ASSIGNED, user=None, responsible_unit_id=unit.id)
    return matter


def test_escalating_twice_keeps_the_whole_path(app, factory):
    leader_office, liaison_office, city = factory.unit(), factory.unit(), factory.unit()
    today = local_today()
    first = _assigned(factory, leader_office, deadline=today - timedelta(days=1))
    assert first.overdue
    second = service.escalate(first, user=None, note="涉及多个部门，本级协调不了", responsible_unit_id=liaison_office.id,
                              deadline=today + timedelta(days=15))
    third = service.escalate(second, user=None, note="需市委市政府协调", responsible_unit_id=city.id,
                             deadline=today + timedelta(days=30))
    db.session.commit()
    assert first.status == second.status == W.ESCALATED
    assert not first.overdue  # escalated: no longer open at this level
    assert (third.status, third.parent_id, second.parent_id) == (W.RECEIVED, second.id, first.id)
    assert third.ref == first.ref and third.title == first.title
    assert [m.id for m in service.lineage(second)] == [first.id, second.id, third.id]
    assert first.events[-1].action == W.ESCALATE and "本级协调不了" in first.events[-1].note


@pytest.mark.parametrize("status", [W.CONCLUDED, W.CLOSED, W.ESCALATED])
def test_only_open_matters_escalate(app, factory, status):
    matter = _assigned(factory)
    matter.status = status
    with pytest.raises(W.TransitionError, match="不能提级"):
        service.escalate(matter, user=None, note="原因")


def test_escalation_needs_a_reason(app, factory):
    with pytest.raises(W.TransitionError, match="说明"):
        service.escalate(_assigned(factory), user=None, note=" ")
    assert db.session.query(Matter).count() == 1


def test_supervision_keeps_the_status_and_may_move_the_deadline(app, factory):
    matter = _assigned(factory, deadline=local_today() - timedelta(days=3))
    new_deadline = local_today() + timedelta(days=5)
    event = service.supervise(matter, user=None, note="请于五日内办结", deadline=new_deadline)
    assert (event.action, event.to_status, matter.status) == (W.SUPERVISE, W.ASSIGNED, W.ASSIGNED)
    assert matter.deadline == new_deadline and not matter.overdue
    assert event.to_label == "督办"
    with pytest.raises(W.TransitionError):
        service.supervise(matter, user=None, note="")
    matter.status = W.CLOSED
    with pytest.raises(W.TransitionError, match="无需督办"):
        service.supervise(matter, user=None, note="再催")


def test_supervise_page_for_the_owner_only(app, client, factory, login_as):
    unit = factory.unit()
    matter = _assigned(factory, unit)
    db.session.commit()
    login_as("department", unit=unit)
    page = f"/ledger/{matter.id}"
    assert "记录督办" not in client.get(page).get_data(as_text=True)
    assert client.post(f"/ledger/{matter.id}/supervise", data={"sv-note": "x"}).status_code in (400, 403)


def test_owner_supervises_on_the_page(app, client, factory, login_as):
    matter = _assigned(factory)
    db.session.commit()
    login_as("admin")
    page = f"/ledger/{matter.id}"
    assert "记录督办" in client.get(page).get_data(as_text=True)
    response = form_post(client, f"/ledger/{matter.id}/supervise", {"sv-note": "请加快办理"}, page=page)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Matter, matter.id).events[-1].action == W.SUPERVISE
    assert "督办" in client.get(page).get_data(as_text=True)


def test_a_registered_module_is_owned_and_listed(app, factory):
    service.register_module("testmod", "测试模块", {"court"})
    try:
        matter = service.create_matter(module="testmod", kind="x", title="法院事项")
        court, admin = factory.user("court"), factory.user("admin")
        assert MODULES["testmod"] == "测试模块"
        assert service.is_owner(court, matter) and not service.is_owner(admin, matter)
        assert matter in db.session.scalars(service.matters_query(court)).all()
    finally:
        MODULES.pop("testmod"), service.MODULE_OWNERS.pop("testmod")


def test_enterprise_page_shows_the_modules_sections(app, client, factory, login_as):
    enterprise = factory.enterprise(name="样例企业有限公司")

    @enterprise_section
    def _section(item, user):
        return Section("联系服务", [("联系市级领导", f"{item.name}的联络员")]) if user.has_role("justice") else None

    try:
        # The other modules' sections may show to a leader; this one decides by role and does not.
        with app.test_request_context():  # the modules' sections link to their pages
            assert "联系服务" not in [s.title for s in sections_for(enterprise, factory.user("leader"))]
            assert "联系服务" in [s.title for s in sections_for(enterprise, factory.user("justice"))]
        db.session.commit()
        login_as("justice")
        html = client.get(f"/registry/enterprises/{enterprise.id}").get_data(as_text=True)
        assert "联系服务" in html and "样例企业有限公司的联络员" in html
    finally:
        ENTERPRISE_SECTIONS.remove(_section)


def test_flags_from_every_source_for_the_asked_enterprises_only(monkeypatch):
    from datetime import date

    from govsvc.registry import flags as flags_module
    from govsvc.registry.flags import Flag, flag_source, flags_for

    # Only this test's sources: the modules' own sources (bankruptcy.lists …) read the database.
    monkeypatch.setattr(flags_module, "FLAG_SOURCES", {})
    FLAG_SOURCES = flags_module.FLAG_SOURCES

    @flag_source("test.a")
    def _a(ids, on):
        return {i: [Flag("test.a", "evasion", "逃废债", bars_honours=True)] for i in ids if i % 2 and on.year >= 2026}

    @flag_source("test.b")
    def _b(ids, on):
        return {i: [Flag("test.b", "tax", "欠税", risk_signal=True)] for i in ids if i == 3}

    try:
        found = flags_for([1, 2, 3, 3], date(2026, 1, 1))
        assert sorted(found) == [1, 3]
        assert [f.kind for f in found[3]] == ["evasion", "tax"]
        assert flags_for([1], date(2025, 12, 31)) == {}
    finally:
        FLAG_SOURCES.pop("test.a"), FLAG_SOURCES.pop("test.b")
