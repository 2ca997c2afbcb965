"""The portal's demo: accounts ent-001 … ent-005, a confirmed and rated visit, an unfiled visit, a
retaliation flag with its referral, a code in the outbox, categories, a recusal, a plan change."""
from sqlalchemy import func, select

from govsvc.demo import seed_demo
from govsvc.extensions import db
from govsvc.inspections.models import Draw, PlanChange, Recusal, UnitCategory
from govsvc.ledger.models import Matter
from govsvc.portal.models import OutboxMessage, RetaliationFlag, Visit


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_portal_demo(app):
    seed_demo("demo-password")
    db.session.commit()
    from govsvc.auth.models import User
    names = db.session.scalars(select(User.username).where(User.username.like("ent-%")).order_by(User.username)).all()
    assert names == ["ent-001", "ent-002", "ent-003", "ent-004", "ent-005"]
    assert count(Visit, Visit.kind == "confirmed") == 3 and count(Visit, Visit.kind == "unfiled") == 1
    assert count(Visit, Visit.rated_at.is_not(None)) == 3
    flag = db.session.scalar(select(RetaliationFlag))
    assert flag is not None and flag.unit.code == "SCJ-ZD"
    assert db.session.get(Matter, flag.referral_id).module == "integrity"
    assert count(OutboxMessage) == 1 and count(UnitCategory) >= 9 and count(Recusal) == 1
    assert db.session.scalar(select(PlanChange)).status == "filed"
    draw = db.session.scalar(select(Draw))
    teams = [p for c in draw.candidates if c.pick_rank for p in c.team.split("；")]
    assert max(teams.count(p) for p in teams) <= draw.max_load   # no inspector in 4 of 5 teams any more
