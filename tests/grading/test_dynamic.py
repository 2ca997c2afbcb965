"""Dynamic management: a serious penalty entered after publication raises a downgrade proposal."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from govsvc.extensions import db
from govsvc.grading import records, service
from govsvc.grading.models import DowngradeProposal, GradeChange
from govsvc.imports import run_import
from govsvc.timeutil import local_today, utcnow


def proposals():
    return db.session.scalars(select(DowngradeProposal).order_by(DowngradeProposal.id)).all()


def test_serious_record_after_publication_raises_a_proposal_and_acceptance_downgrades(city, factory):
    enterprise = factory.enterprise()
    grading_round = city.publish()
    grading_round.published_at = utcnow() - timedelta(days=10)  # published ten days ago
    assert service.published_grade(enterprise.id) == "A"
    yesterday = local_today() - timedelta(days=1)
    records.add_record(enterprise=enterprise, unit=city.units["SHJ"], day=yesterday, outcome="serious",
                       fine=Decimal("300000"), decision_no="淄环罚〔2026〕1号")
    [proposal] = proposals()
    assert (proposal.from_grade, proposal.proposed_grade, proposal.status) == ("A", "C", "pending")
    assert "淄环罚〔2026〕1号" in proposal.reason
    assert service.published_grade(enterprise.id) == "A"       # nothing changes until justice decides
    with pytest.raises(service.GradingError, match="处理意见"):
        records.decide_proposal(proposal, True, "", user=city.justice())
    records.decide_proposal(proposal, True, "经核实，依动态管理规定降为C类。", user=city.justice())
    assert service.published_grades() == {enterprise.id: "C"}
    change = db.session.scalar(select(GradeChange))
    assert (change.kind, change.from_grade, change.to_grade, change.after_publication) == ("downgrade", "A", "C", True)
    # The grading as it was in force before today is still known; before publication there was none.
    assert service.published_grade(enterprise.id, on=local_today() - timedelta(days=1)) == "A"
    assert service.published_grades(on=local_today() - timedelta(days=1)) == {enterprise.id: "A"}
    assert service.published_grades(on=local_today() - timedelta(days=11)) == {}
    assert service.published_grades(on=local_today()) == {enterprise.id: "C"}
    assert service.result_of(grading_round, enterprise.id).published_grade == "A"


def test_rejection_keeps_the_grade(city, factory):
    enterprise = factory.enterprise()
    city.publish()
    records.add_record(enterprise=enterprise, unit=city.units["YJJ"], day=local_today(), outcome="serious")
    [proposal] = proposals()
    records.decide_proposal(proposal, False, "该处罚已被行政复议撤销。", user=city.justice())
    assert proposal.status == "rejected" and service.published_grade(enterprise.id) == "A"
    with pytest.raises(service.GradingError, match="已处理"):
        records.decide_proposal(proposal, True, "再议", user=city.justice())


def test_imported_serious_records_are_reviewed_once_per_enterprise(city, factory):
    first, second, already_c = factory.enterprise(), factory.enterprise(), factory.enterprise()
    city.record(already_c, "SCJ", "2024-01-01", "serious")
    city.publish()
    day = (local_today() - timedelta(days=2)).isoformat()
    text = ("credit_code,unit_code,date,outcome,fine,decision_no\n"
            f"{first.credit_code},SHJ,{day},serious,100000,环1\n"
            f"{first.credit_code},YJJ,{day},serious,100000,应1\n"
            f"{second.credit_code},SCJ,{day},minor,100,市1\n"
            f"{already_c.credit_code},SHJ,{day},serious,100,环2\n")
    report = run_import(records.RecordImport(), text.encode(), "r.csv")
    assert report.applied and report.created == 4
    [proposal] = proposals()
    assert proposal.enterprise_id == first.id and proposal.proposed_grade == "C"
    assert "环1" in proposal.reason or "应1" in proposal.reason
    # The same file again: nothing new, no new proposal.
    again = run_import(records.RecordImport(), text.encode(), "r.csv")
    assert again.unchanged == 4 and len(proposals()) == 1


def test_no_proposal_without_a_published_list_or_for_records_before_the_window(city, factory):
    enterprise = factory.enterprise()
    records.add_record(enterprise=enterprise, unit=city.units["SHJ"], day=date(2024, 1, 1), outcome="serious")
    assert proposals() == []  # nothing published yet
    city.publish(2026)
    records.add_record(enterprise=enterprise, unit=city.units["SHJ"], day=date(2022, 12, 31), outcome="serious")
    assert proposals() == []  # the enterprise is C already; and the date is before the window


def test_custom_rules_decide_the_proposed_grade(city, factory):
    enterprise = factory.enterprise()
    city.publish(rules="[units.SHJ]\nc_serious = 2\n")
    records.add_record(enterprise=enterprise, unit=city.units["SHJ"], day=local_today(), outcome="serious")
    [proposal] = proposals()
    assert proposal.proposed_grade == "B"  # one serious record at SHJ is B under this round's rules
