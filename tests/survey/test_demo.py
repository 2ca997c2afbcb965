"""The survey's demo data: last year's finished campaign and this year's open one."""
from sqlalchemy import select

from govsvc.demo import seed_demo
from govsvc.extensions import db
from govsvc.survey import ballots, mobilisation, results
from govsvc.survey.models import Campaign
from tests.conftest import form_post, login


def test_demo_has_a_published_campaign_and_an_open_one_where_head001_votes(client, app):
    seed_demo("demo-password")
    db.session.commit()
    by_year = {c.year: c for c in db.session.scalars(select(Campaign))}
    last, current = by_year[2025], by_year[2026]
    assert last.is_published and current.status == "open"
    turnout = ballots.turnout(last)
    assert turnout.evaluators == 200 and turnout.voted == 200 == turnout.ballots == last.sealed_ballots
    assert ballots.verify_chain(last) == (last.chain_head, 200)
    outcomes = {r.outcome for r in results.stored_results(last)}
    assert {"commended", "interview", "reorganize"} <= outcomes       # bottom two in 2024 and 2025
    assert db.session.scalar(results.rectification_matters(last).limit(1)) is not None
    assert client.get("/survey/results/2025").status_code == 200
    self_checks = mobilisation.summary(current, mobilisation.department_rows(current))   # 动员通知 of 11-20
    assert current.notice_issued_on is not None and 0 < self_checks.received < self_checks.total
    assert self_checks.received == self_checks.total * 4 // 5 and self_checks.late > 0
    login(client, "head001", "demo-password")
    response = client.get("/survey/vote")
    assert response.headers["Location"].endswith(f"/survey/{current.id}/ballot")
    response = form_post(client, f"/survey/{current.id}/ballot", {"d-SCJ": "satisfied", "d-GDGS": "basic"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/receipt")
