"""Objections and complaints: ledger matters filed by an enterprise head, answered by justice;
referral of an upheld complaint to discipline as a clue."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from govsvc.extensions import db
from govsvc.grading import matters, service
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow as W
from govsvc.ledger.models import Matter
from govsvc.timeutil import local_today


@pytest.fixture
def published(city, factory):
    enterprise = factory.enterprise()
    city.record(enterprise, "SCJ", "2024-05-01", "minor")
    grading_round = city.publish()
    head = city.user("evaluator", enterprise=enterprise)
    return grading_round, enterprise, head


def test_objection_is_a_ledger_matter_with_a_deadline(city, published):
    grading_round, enterprise, head = published
    objection = matters.file_objection(head, "该处罚已被撤销。", city.units["SCJ"].id)
    matter = objection.matter
    assert (matter.module, matter.kind, matter.ref) == ("grading", "grading.objection", f"grading.objection:{objection.id}")
    assert matter.deadline == local_today() + timedelta(days=matters.OBJECTION_DAYS)
    assert matter.status == W.RECEIVED and "该处罚已被撤销" in matter.description
    with pytest.raises(service.GradingError, match="正在办理"):
        matters.file_objection(head, "再次提出")


def test_answered_objection_gives_feedback_and_can_correct_the_grade(city, published):
    grading_round, enterprise, head = published
    objection = matters.file_objection(head, "处罚决定已被复议撤销。")
    justice = city.justice()
    with pytest.raises(service.GradingError, match="答复意见"):
        matters.answer_objection(objection, "upheld", "", new_grade="A", user=justice)
    matters.answer_objection(objection, "upheld", "经核实处罚已撤销，改正为A类。", new_grade="A", user=justice)
    assert objection.matter.status == W.FEEDBACK_GIVEN
    assert [e.to_status for e in objection.matter.events] == [W.RECEIVED, W.ASSIGNED, W.IN_PROGRESS, W.CONCLUDED,
                                                              W.FEEDBACK_GIVEN]
    assert objection.matter.responsible_unit_id == city.justice_unit.id
    assert service.published_grade(enterprise.id) == "A"
    with pytest.raises(service.GradingError, match="已答复"):
        matters.answer_objection(objection, "rejected", "x", user=justice)
    # A new objection may be filed once the earlier one is answered.
    assert matters.file_objection(head, "另有异议").id != objection.id


def test_objection_needs_a_published_grade(city, factory):
    enterprise = factory.enterprise()
    head = city.user("evaluator", enterprise=enterprise)
    with pytest.raises(service.GradingError, match="尚未公布"):
        matters.file_objection(head, "异议")
    outside = city.user("evaluator", enterprise=factory.enterprise(industry="房地产开发"))
    city.publish()
    with pytest.raises(service.GradingError, match="不在"):
        matters.file_objection(outside, "异议")


def test_complaint_verified_circulated_and_referred_to_discipline(city, published):
    grading_round, enterprise, head = published
    complaint = matters.file_complaint(head, city.units["SCJ"].id, "A类企业被双随机检查。", local_today() - timedelta(days=3))
    assert complaint.matter.module == "grading" and complaint.matter.kind == "grading.complaint"
    assert complaint.matter.responsible_unit_id is None   # the unit complained about does not handle it
    justice = city.justice()
    with pytest.raises(service.GradingError, match="核实属实"):
        matters.circulate(complaint, "通报", user=justice)
    matters.verify_complaint(complaint, "upheld", "经核实属实。", user=justice)
    matters.circulate(complaint, matters.circular_draft(complaint), user=justice)
    assert "通报批评" in complaint.circular_text and complaint.circulated_at is not None
    matters.refer(complaint, "情节严重。", user=justice)
    clue = db.session.scalar(select(Matter).where(Matter.module == "integrity"))
    assert (clue.kind, clue.source, clue.ref, clue.responsible_unit_id) == (
        "clue.referral", "司法局移送", f"grading.complaint:{complaint.id}", city.units["SCJ"].id)
    assert enterprise.name in clue.description and "经核实属实" in clue.description
    assert complaint.referred_at is not None and complaint.referred_by == justice.username
    # Integrity matters are discipline-only: justice no longer sees the clue.
    assert not ledger.can_see(justice, clue)
    assert ledger.can_see(city.user("discipline"), clue)
    with pytest.raises(service.GradingError, match="已移交"):
        matters.refer(complaint, "again", user=justice)


def test_complaint_not_upheld_cannot_be_referred(city, published):
    _, _, head = published
    complaint = matters.file_complaint(head, city.units["SHJ"].id, "环保检查。")
    matters.verify_complaint(complaint, "not_upheld", "环保检查不在免检范围。", user=city.justice())
    with pytest.raises(service.GradingError):
        matters.refer(complaint, "x", user=city.justice())
    assert db.session.scalar(select(Matter).where(Matter.module == "integrity")) is None


def test_complaint_refuses_a_future_date_or_a_non_enforcement_unit(city, published):
    _, _, head = published
    with pytest.raises(service.GradingError) as exc:
        matters.file_complaint(head, city.units["SCJ"].id, "x", local_today() + timedelta(days=1))
    assert exc.value.field == "inspection_date"
    with pytest.raises(service.GradingError) as exc:
        matters.file_complaint(head, city.justice_unit.id, "x")
    assert exc.value.field == "unit"
