"""The retaliation watch in the app: a complaint about SCJ-ZD, then more SCJ-ZD inspections of the
enterprise than before and than its grade's peers → a justice matter and a discipline referral,
once; inspections by another unit or at the old rate are not flagged."""
from datetime import date, datetime, timedelta, timezone

from govsvc.extensions import db
from govsvc.grading.models import Complaint
from govsvc.inspections import results
from govsvc.ledger.models import Matter
from govsvc.ledger.service import create_matter
from govsvc.portal import watch
from govsvc.timeutil import local_today


def complain(door, unit, day: date) -> Complaint:
    matter = create_matter(module="grading", kind="grading.complaint", title="投诉")
    complaint = Complaint(enterprise_id=door.enterprise.id, unit_id=unit.id, text="随意检查", matter_id=matter.id,
                          created_at=datetime(day.year, day.month, day.day, 2, tzinfo=timezone.utc))
    db.session.add(complaint)
    db.session.flush()
    return complaint


def inspect(user, enterprise, day: date):
    return results.save_result(user, {"item": None, "enterprise": enterprise, "inspected_on": day,
                                      "category": "食品安全", "basis": "complaint", "conclusion": "clear"})


def test_watch_rule_with_fixed_dates(door, factory, grades):
    peers = [factory.enterprise() for _ in range(2)]
    grades.update({door.enterprise.id: "B", peers[0].id: "B", peers[1].id: "B"})
    complain(door, door.city, date(2025, 6, 10))                    # SCJ: watches SCJ and SCJ-ZD
    for day in (date(2025, 3, 1),):                                 # before: once in 12 months
        inspect(door.county_user, door.enterprise, day)
    inspect(door.county_user, door.enterprise, date(2025, 7, 1))   # after: once in 30 days → higher rate
    inspect(door.county_user, peers[0], date(2025, 7, 2))          # peers: 1 and 0 → median 1/2
    flags = watch.scan(door.enterprise.id, today=date(2025, 7, 10))
    assert len(flags) == 1
    flag = flags[0]
    assert (flag.after, flag.before, flag.elapsed, flag.peer_median, flag.unit_id) == (1, 1, 30, "1/2", door.city.id)
    matter, referral = db.session.get(Matter, flag.matter_id), db.session.get(Matter, flag.referral_id)
    assert (matter.module, matter.kind, matter.priority) == ("inspections", "retaliation", "high")
    assert (referral.module, referral.kind, referral.source, referral.responsible_unit_id) == (
        "integrity", "clue.referral", "司法局移送", door.city.id)
    assert referral.ref == f"portal.retaliation:{flag.id}"
    assert watch.scan(door.enterprise.id, today=date(2025, 8, 1)) == []  # once per complaint and unit


def test_the_same_rate_or_another_unit_is_not_flagged(door, factory, grades):
    other = factory.unit("SHJ", name="市生态环境局", enforcement=True)
    other_user = factory.user("department", unit=other)
    grades.update({door.enterprise.id: "B"})
    complain(door, door.county, date(2025, 6, 10))
    inspect(door.county_user, door.enterprise, date(2025, 1, 5))
    inspect(door.county_user, door.enterprise, date(2025, 4, 5))
    inspect(other_user, door.enterprise, date(2025, 6, 20))          # another unit
    inspect(door.county_user, door.enterprise, date(2026, 1, 15))    # 1 in 356 days after 2 in 365: 365 < 712
    assert watch.scan(door.enterprise.id, today=date(2026, 6, 1)) == []
    inspect(door.county_user, door.enterprise, date(2026, 5, 15))    # 2 in 356 days: 730 > 712, but that is
    assert watch.scan(door.enterprise.id, today=date(2026, 6, 1)) != []   # SCJ-ZD, the unit complained about


def test_justice_rescans_and_reads_the_flags(client, door, factory, grades, login_as):
    grades.update({door.enterprise.id: "C"})
    today = local_today()
    complain(door, door.county, today - timedelta(days=30))
    inspect(door.county_user, door.enterprise, today - timedelta(days=10))
    db.session.commit()
    login_as("justice")
    from tests.conftest import form_post
    assert form_post(client, "/portal/flags", {}).status_code == 302
    html = client.get("/portal/flags").get_data(as_text=True)
    assert "淄博齐鲁化工有限公司" in html and "张店区市场监督管理局" in html
