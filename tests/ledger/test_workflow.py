"""The matter ledger: status machine, overdue flag, visibility, history."""
from datetime import date, timedelta

import pytest

from govsvc.extensions import db
from govsvc.ledger import workflow as W
from govsvc.ledger.models import Matter
from govsvc.ledger.service import create_matter, matters_query, move
from govsvc.timeutil import local_today
from tests.conftest import form_post

HAPPY_PATH = [W.ASSIGNED, W.IN_PROGRESS, W.CONCLUDED, W.FEEDBACK_GIVEN, W.CLOSED]


def test_every_allowed_and_refused_transition():
    for current in W.TRANSITIONS:
        for target in W.STATUS_LABELS:
            if target in W.TRANSITIONS[current]:
                W.check_transition(current, target, "说明")
            else:
                with pytest.raises(W.TransitionError):
                    W.check_transition(current, target, "说明")


@pytest.mark.parametrize("target", sorted(W.NOTE_REQUIRED))
def test_some_moves_need_a_note(target):
    source = next(s for s, targets in W.TRANSITIONS.items() if target in targets)
    with pytest.raises(W.TransitionError, match="说明"):
        W.check_transition(source, target, "  ")


def test_overdue_rule_at_the_deadline_edges():
    deadline = date(2026, 12, 31)
    assert not W.is_overdue(W.IN_PROGRESS, deadline, deadline)               # the last day: not yet
    assert W.is_overdue(W.IN_PROGRESS, deadline, deadline + timedelta(days=1))
    assert not W.is_overdue(W.CONCLUDED, deadline, deadline + timedelta(days=30))  # done, late or not
    assert not W.is_overdue(W.RECEIVED, None, deadline)


def test_full_lifecycle_with_history(app, factory):
    unit = factory.unit()
    matter = create_matter(module="general", kind="general", title="事项", deadline=local_today())
    for target in HAPPY_PATH:
        move(matter, target, user=None, note="说明", responsible_unit_id=unit.id)
    assert matter.status == W.CLOSED
    assert [e.to_status for e in matter.events] == [W.RECEIVED] + HAPPY_PATH
    with pytest.raises(W.TransitionError):
        move(matter, W.IN_PROGRESS, user=None)


def test_assignment_needs_a_unit(app):
    matter = create_matter(module="general", kind="general", title="事项")
    with pytest.raises(W.TransitionError, match="承办单位"):
        move(matter, W.ASSIGNED, user=None)


def test_overdue_first_in_lists(app, factory):
    admin = factory.user("admin")
    today = local_today()
    later = create_matter(module="general", kind="general", title="later", deadline=today + timedelta(days=5))
    overdue = create_matter(module="general", kind="general", title="overdue", deadline=today - timedelta(days=1))
    none = create_matter(module="general", kind="general", title="none")
    ids = [m.id for m in db.session.scalars(matters_query(admin))]
    assert ids == [overdue.id, later.id, none.id]
    assert [m.id for m in db.session.scalars(matters_query(admin, overdue=True))] == [overdue.id]


def test_department_sees_and_moves_only_its_own(client, login_as, factory):
    mine, other = factory.unit("MINE"), factory.unit("OTHER")
    own = create_matter(module="general", kind="general", title="本单位事项", deadline=local_today() - timedelta(days=3))
    move(own, W.ASSIGNED, user=None, responsible_unit_id=mine.id)
    foreign = create_matter(module="general", kind="general", title="外单位事项")
    move(foreign, W.ASSIGNED, user=None, responsible_unit_id=other.id)
    secret = create_matter(module="integrity", kind="clue", title="机密线索甲", responsible_unit_id=mine.id)
    db.session.commit()
    login_as("department", unit=mine)
    html = client.get("/ledger/").get_data(as_text=True)
    assert "本单位事项" in html and "外单位事项" not in html and "机密线索甲" not in html and "逾期" in html
    assert client.get(f"/ledger/{foreign.id}").status_code == 403
    assert client.get(f"/ledger/{secret.id}").status_code == 403
    dashboard = client.get("/").get_data(as_text=True)
    assert "本单位事项" in dashboard and "逾期" in dashboard
    # The unit may start work, but not close the matter (销号 belongs to the owner).
    response = form_post(client, f"/ledger/{own.id}", {"target": W.IN_PROGRESS, "note": ""})
    assert response.status_code == 302
    response = form_post(client, f"/ledger/{own.id}", {"target": W.CLOSED, "note": "x"})
    assert "不能把事项变为该状态" in response.get_data(as_text=True)
    assert db.session.get(Matter, own.id).status == W.IN_PROGRESS


def test_admin_registers_a_matter_and_it_is_audited(client, login_as, factory):
    from govsvc.audit.models import AuditEntry

    factory.unit("SCJ")
    db.session.commit()
    login_as("admin")
    response = form_post(client, "/ledger/new", {"title": "企业来电反映问题", "priority": "high", "unit_code": "scj",
                                                 "deadline": "2030-01-31"})
    assert response.status_code == 302
    matter = db.session.scalar(db.select(Matter))
    assert matter.responsible_unit.code == "SCJ" and matter.deadline == date(2030, 1, 31)
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "matter.create"))
    bad = form_post(client, "/ledger/new", {"title": "x", "priority": "normal", "unit_code": "NOPE"})
    assert "找不到单位代码" in bad.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Matter)) == 1


def test_a_module_scope_narrows_what_its_owners_see(client, login_as, factory, monkeypatch):
    from govsvc.ledger import service

    mine, other = factory.unit("MINE"), factory.unit("OTHER")
    own = create_matter(module="integrity", kind="clue", title="本单位线索", responsible_unit_id=mine.id)
    foreign = create_matter(module="integrity", kind="clue", title="外单位线索", responsible_unit_id=other.id)
    db.session.commit()
    monkeypatch.setitem(service.OWNER_SCOPES, "integrity",
                        lambda user: None if user.unit_id is None else {user.unit_id})
    login_as("discipline", unit=mine)
    html = client.get("/ledger/").get_data(as_text=True)
    assert "本单位线索" in html and "外单位线索" not in html
    assert client.get(f"/ledger/{own.id}").headers["Location"] == f"/integrity/clues/{own.id}"  # its own page
    assert client.get(f"/ledger/{foreign.id}").status_code == 403


def test_a_module_that_owns_its_matter_page_gets_the_generic_page_redirected(client, login_as, factory):
    """Clues are moved on the integrity page (verification required, reads audited), not here."""
    matter = create_matter(module="integrity", kind="clue.referral", title="移送线索", source="司法局移送")
    db.session.commit()
    login_as("discipline")
    response = client.get(f"/ledger/{matter.id}")
    assert response.status_code == 302 and response.headers["Location"] == f"/integrity/clues/{matter.id}"
    response = client.post(f"/ledger/{matter.id}", data={"target": W.ASSIGNED})
    assert response.status_code in (302, 400)
    assert db.session.get(Matter, matter.id).status == W.RECEIVED
