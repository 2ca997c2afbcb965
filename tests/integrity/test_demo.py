"""The integrity demo data: clues in every state (some overdue), records including a revoked one
and one whose 3 years have passed, the accounts, and the issue's acceptance check."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from govsvc.auth.models import User
from govsvc.demo import seed_demo
from govsvc.extensions import db
from govsvc.integrity import clues, records
from govsvc.integrity.demo import UNIT_ACCOUNT, demo_tracking_code
from govsvc.integrity.models import CLUE_CHANNELS, Certificate, IntegrityRecord
from govsvc.ledger import workflow as W
from govsvc.ledger.models import Matter
from govsvc.timeutil import local_today
from tests.conftest import login, logout

DEMO_PASSWORD = "demo-password"


@pytest.fixture
def demo(app):
    seed_demo(DEMO_PASSWORD)
    db.session.commit()


def test_demo_clues_cover_every_state(demo):
    matters = db.session.scalars(select(Matter).where(Matter.module == "integrity",
                                                      Matter.kind.in_(CLUE_CHANNELS))).all()
    assert {m.status for m in matters} == set(W.STATUS_LABELS) - {W.ESCALATED}  # clues are not escalated
    assert sum(m.overdue for m in matters) >= 2
    assert {m.kind for m in matters} == set(CLUE_CHANNELS)
    referral = next(m for m in matters if m.kind == "clue.referral")
    assert clues.clue_of(referral) is None and referral.ref.startswith("grading.complaint:")
    kinds = {m.kind for m in db.session.scalars(select(Matter).where(Matter.module == "integrity"))}
    assert {"supervision", "rectification"} <= kinds


def test_demo_records(demo):
    today = local_today()
    found = db.session.scalars(select(IntegrityRecord)).all()
    states = [records.record_state(r, today) for r in found]
    assert {"in_force", "expired", "revoked"} <= set(states)
    assert any(r.decision_date.month == 2 and r.decision_date.day == 29 for r in found)
    assert any(r.is_admonishment and r.rectification_matter.overdue for r in found)
    assert any(r.version > 1 and not r.revoked for r in found)  # a corrected record
    statuses = {c.status for c in db.session.scalars(select(Certificate))}
    assert statuses == {"valid", "superseded"}


def test_demo_transfers_show_one_confirmed_in_time_and_one_overdue(demo):
    from govsvc.integrity import transfers
    from govsvc.integrity.models import Transfer

    states = [transfers.state_of(t) for t in db.session.scalars(select(Transfer))]
    assert any(s.transferred_on is not None and not s.late for s in states)
    assert any(s.transferred_on is None and s.overdue for s in states)
    for t in db.session.scalars(select(Transfer)):
        assert t.recommended_on == t.record.decision_date + timedelta(days=2)
        assert t.matter.deadline == transfers.state_of(t).due


def test_demo_accounts(demo):
    assert db.session.scalar(select(User).where(User.username == "discipline")).unit_id is None
    unit_user = db.session.scalar(select(User).where(User.username == UNIT_ACCOUNT))
    assert unit_user.unit.code == "YJJ"


def test_head001_is_refused_and_discipline_admitted(demo, client):
    assert login(client, "head001", DEMO_PASSWORD).status_code == 302
    assert client.get("/integrity/").status_code == 403
    logout(client)
    assert login(client, "discipline", DEMO_PASSWORD).status_code == 302
    assert client.get("/integrity/").status_code == 200
    html = client.get("/integrity/clues").get_data(as_text=True)
    assert "逾期" in html and "司法局移送" in html


def test_unit_account_sees_its_units_only(demo, client):
    login(client, UNIT_ACCOUNT, DEMO_PASSWORD)
    html = client.get("/integrity/clues").get_data(as_text=True)
    assert "应急管理局" in html and "税务" not in html
    persons = client.get("/integrity/persons").get_data(as_text=True)
    assert "市应急管理局" in persons and "市水利局" in persons and "市公安局" not in persons


def test_demo_tracking_code_shows_the_answer(demo, client):
    result = clues.track(demo_tracking_code())
    assert result.status == "已答复" and "已责令生态环境分局整改" in result.reply
