"""The liaison demo (loaded through the services and the 分工名单 import) has every stage to show."""
from sqlalchemy import func, select

from govsvc.auth.models import User
from govsvc.care import appeals, county_plans, liaison
from govsvc.care.demo import care_liaison_demo
from govsvc.care.models import Appeal, Invitation, LeaderProfile, ServedEnterprise
from govsvc.demo import create_accounts, load_seed
from govsvc.extensions import db
from tests.factories import password_hash


def test_the_demo_year(app):
    load_seed()
    create_accounts(password_hash("demo-password"))
    care_liaison_demo(password_hash("demo-password"))
    db.session.commit()
    lst = liaison.get_list(2026)
    assert (lst.status, lst.confirmed_on.isoformat(), lst.published_on.isoformat()) == ("published", "2026-10-14",
                                                                                          "2026-10-19")
    assert liaison.source_counts(lst) == {"tax": 200, "new_format": 30, "member": 26}
    assert liaison.unassigned_count(lst) == 0
    assert db.session.scalar(select(func.count()).select_from(LeaderProfile).where(LeaderProfile.level == "city")) == 20
    head001 = db.session.scalar(select(User).where(User.username == "head001"))
    assert liaison.liaison_of(head001.enterprise_id).leader.user.username == "leader-01"
    coverage = {row.district: row for row in liaison.coverage(2026)}
    assert len(coverage["周村区"].gaps) == 3 and sum(len(r.gaps) for r in coverage.values()) == 3
    assert not any(r.overlaps for r in coverage.values())
    plans = {unit.code: (plan.status if plan else None, state) for unit, plan, state in county_plans.overview(2026)}
    assert plans["ZF-GQ"] == (None, "overdue") and plans["ZF-YY"][0] == "submitted" and plans["ZF-BS"] == ("accepted", "late")
    levels = {a.title: (a.level, appeals.state_of(a), a.matter.overdue) for a in db.session.scalars(select(Appeal))}
    assert levels["新增用电负荷报装"] == ("city", "open", False)
    assert levels["流动资金贷款续贷困难"] == ("leader", "open", True)
    assert levels["技术工人招聘难"] == ("leader", "closed", False)
    city = db.session.scalar(select(Appeal).where(Appeal.level == "city"))
    assert [s.level for s in appeals.path(city)] == ["leader", "office", "city"]
    states = {i.state for i in db.session.scalars(select(Invitation))}
    assert states == {"screening", "awaiting", "accepted", "attended", "declined", "screened_out"}
    assert db.session.scalar(select(Invitation).where(Invitation.route == "direct")).state == "accepted"
    assert db.session.scalar(select(func.count()).select_from(ServedEnterprise)) == 256
