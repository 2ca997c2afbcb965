"""The overview's ledger figures: counted in one pass over the module's matters, and equal to one
COUNT per figure (the way they were counted before), open and overdue by kind."""
from datetime import date, timedelta

from sqlalchemy import func, select

from govsvc.extensions import db
from govsvc.integrity.models import CLUE_CHANNELS, RECTIFICATION, SUPERVISION
from govsvc.integrity.views import statistics
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.timeutil import local_today


def test_overview_figures_equal_one_count_each(app, factory):
    today = local_today()
    kinds = [*sorted(CLUE_CHANNELS)[:3], SUPERVISION, RECTIFICATION, "other"]
    statuses = [workflow.RECEIVED, workflow.IN_PROGRESS, workflow.CLOSED]
    deadlines = [None, today - timedelta(days=3), today + timedelta(days=3), date(2020, 1, 1)]
    k = 0
    for kind in kinds:
        for status in statuses:
            for deadline in deadlines:
                for module in ("integrity", "grading"):
                    k += 1
                    db.session.add(Matter(module=module, kind=kind, title=f"事项{k}", status=status, deadline=deadline))
    db.session.commit()
    user = factory.user("discipline")
    stats = statistics(user)
    visible = ledger.visibility_clause(user)
    open_ = Matter.status.in_(workflow.OPEN_STATUSES)

    def count(*conditions):
        return db.session.scalar(select(func.count()).select_from(Matter).where(
            Matter.module == "integrity", visible, *conditions))

    clue = Matter.kind.in_(CLUE_CHANNELS)
    overdue = ledger.overdue_clause(today)
    assert stats["clues_open"] == count(clue, open_) == 3 * 2 * 4
    assert stats["clues_overdue"] == count(clue, overdue) == 3 * 2 * 2
    assert stats["supervision"] == (count(Matter.kind == SUPERVISION, open_), count(Matter.kind == SUPERVISION, overdue)) == (8, 4)
    assert stats["rectification"] == (8, 4)
