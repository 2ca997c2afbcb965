"""The demo year of the inspection ledger, loaded through the services."""
from sqlalchemy import func, select

from govsvc.demo import seed_demo
from govsvc.extensions import db
from govsvc.inspections.models import (Circular, Draw, EnterpriseReport, FineTransfer, InspectionPlan,
                                       InspectionResult, PlanFiling, PlanItem)


def test_demo_year_has_late_filings_an_unfiled_cross_inspection_and_a_published_draw(app):
    seed_demo("demo-password")
    db.session.commit()
    plans = db.session.scalars(select(InspectionPlan)).all()
    assert len([p for p in plans if p.late]) >= 3
    assert {p.period for p in plans} == {"annual", "quarterly", "monthly", "temporary"}
    assert db.session.scalar(select(func.count()).select_from(PlanFiling).where(PlanFiling.status == "returned")) == 1
    assert db.session.scalar(select(func.count()).select_from(PlanFiling).where(PlanFiling.status == "pending")) >= 1
    unfiled = db.session.scalars(select(InspectionResult).where(InspectionResult.unfiled)).all()
    assert len(unfiled) == 2  # SHJ-ZD's in June, and the portal demo's SCJ-ZD visit after a complaint
    draw = db.session.scalar(select(Draw))
    assert draw.drawn and len([c for c in draw.candidates if c.pick_rank]) == draw.count
    assert db.session.scalar(select(func.count()).select_from(FineTransfer)) >= 3
    assert db.session.scalar(select(func.count()).select_from(Circular)) == 3
    assert db.session.scalar(select(func.count()).select_from(EnterpriseReport)) == 2  # + the portal's unfiled visit
    from govsvc.inspections.circulars import data_of
    q2 = data_of(db.session.scalar(select(Circular).where(Circular.quarter == 2)))
    assert q2["totals"]["cross"] >= 2 and q2["totals"]["unfiled"] == 1
    # the demo's published grading refuses the A-class random item of SWJ's temporary plan
    refused = db.session.scalars(select(PlanItem).where(PlanItem.check_status == "refused")).all()
    assert ("a_exempt", "SWJ", "temporary") in {(i.violation, i.plan.unit.code, i.plan.period) for i in refused}
