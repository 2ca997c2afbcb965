"""The bankruptcy demo: the Zibo mechanism with its members and duty matrix, the meeting calendar
with the missing topic meeting flagged, the settled escalation chain, letters in every reply
state, cases in every stage, lists with zombie candidates, typical cases and a circular — and
the demo accounts can work with it."""
from sqlalchemy import func, select

from govsvc.bankruptcy import directory, letters, lists, meetings
from govsvc.bankruptcy.models import Duty, Letter, Member
from govsvc.bankruptcy.models_cases import STAGES, Case, ProgressCircular, TypicalCase
from govsvc.demo import seed_demo
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger.models import Matter
from govsvc.registry.models import Unit
from govsvc.timeutil import local_today
from tests.conftest import login

DEMO_PASSWORD = "demo-password"


def test_demo_mechanism(app, client):
    seed_demo(DEMO_PASSWORD)
    db.session.commit()
    settings = directory.mechanism()
    assert settings.office_unit.code == "JRJ" and (settings.joint_months, settings.topic_months) == (6, 3)
    assert db.session.scalar(select(func.count()).select_from(Member)) == 32
    assert db.session.scalar(select(Unit).where(Unit.code == "GZW")) is not None
    assert db.session.scalar(select(func.count()).select_from(Duty)) == 18
    assert directory.lead_unit_for("livelihood").code == "RSJ"

    calendars = {tier: cal for tier, _, cal in meetings.calendars()}
    assert calendars["topic"].overdue and not calendars["joint"].overdue

    coord = db.session.scalars(select(Matter).where(Matter.module == "bankruptcy", Matter.kind == "coord.joint")).all()
    chain = ledger.lineage(coord[0])
    assert [m.kind for m in chain] == ["coord.business", "coord.topic", "coord.joint"]
    assert any(m.overdue for m in db.session.scalars(select(Matter).where(Matter.kind == "task")))

    states = {letters.state(x) for x in db.session.scalars(select(Letter))}
    assert states == {"on_time", "late", "overdue", "pending"}
    stages = {c.stage for c in db.session.scalars(select(Case))}
    assert stages >= set(STAGES) - {"disposal"}
    assert any(c.handover_matter_id for c in db.session.scalars(select(Case)))
    high = [c for c in db.session.scalars(select(Case).where(Case.stage == "warning", Case.risk_level == "high"))]
    assert high  # one high-risk case waits for its disposal plan

    candidates = db.session.execute(lists.candidate_query(on=local_today())).all()
    assert len(candidates) >= 5
    assert db.session.scalar(select(func.count()).select_from(TypicalCase).where(TypicalCase.status == "published")) == 2
    assert db.session.scalar(select(func.count()).select_from(ProgressCircular)) == 1

    assert login(client, "regulator", DEMO_PASSWORD).status_code == 302
    for url in ("/bankruptcy/", "/bankruptcy/directory", "/bankruptcy/meetings", "/bankruptcy/matters",
                "/bankruptcy/letters", "/bankruptcy/cases", "/bankruptcy/candidates", "/bankruptcy/stats",
                "/bankruptcy/circulars", "/bankruptcy/letters/circular", "/bankruptcy/tasks", "/bankruptcy/lists"):
        assert client.get(url).status_code == 200, url
    html = client.get("/bankruptcy/").get_data(as_text=True)
    assert "逾期未召开" in html
