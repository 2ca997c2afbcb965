"""The round's calendar on the ledger (seed 002: each unit's list by late October, 10月下旬; the
combined grading approved by early December, 12月上旬): one matter per unit and one for the
justice bureau, overdue by the ledger's rule, closed (销号) by the step itself."""
from datetime import date

from sqlalchemy import select

from govsvc.extensions import db
from govsvc.grading import service, steps
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow as W
from govsvc.ledger.models import Matter


def _steps(round_id):
    return {m.responsible_unit_id: m for m in db.session.scalars(
        select(Matter).where(Matter.module == "grading", Matter.ref.like(f"grading_round:{round_id}%")))}


def test_a_new_round_opens_a_matter_per_unit_due_31_october_and_one_due_10_december(city):
    grading_round = city.new_round(2026)
    found = _steps(grading_round.id)
    units = {part.unit_id for part in grading_round.units}
    assert set(found) == units | {city.justice_unit.id}
    for unit_id in units:
        matter = found[unit_id]
        assert matter.kind == steps.UNIT_LIST and matter.deadline == date(2026, 10, 31)
        assert matter.status == W.ASSIGNED
        # the ledger's overdue rule: open after the deadline day, not on it
        assert not W.is_overdue(matter.status, matter.deadline, date(2026, 10, 31))
        assert W.is_overdue(matter.status, matter.deadline, date(2026, 11, 1))
    approval = found[city.justice_unit.id]
    assert approval.kind == steps.APPROVAL and approval.deadline == date(2026, 12, 10)
    assert W.is_overdue(approval.status, approval.deadline, date(2026, 12, 11))
    assert not W.is_overdue(approval.status, approval.deadline, date(2026, 12, 10))


def test_each_unit_sees_its_own_step_in_its_ledger(city, factory):
    grading_round = city.new_round(2026)
    part = grading_round.units[0]
    clerk = factory.user("department", unit=part.unit)
    visible = db.session.scalars(select(Matter).where(ledger.visibility_clause(clerk), Matter.kind == steps.UNIT_LIST)).all()
    assert [m.responsible_unit_id for m in visible] == [part.unit_id]


def test_submitting_closes_the_units_step_and_approval_closes_the_bureaus(city):
    grading_round = city.new_round(2026)
    first, *others = grading_round.units
    service.submit_rule(grading_round, first, user=None)
    found = _steps(grading_round.id)
    assert found[first.unit_id].status == W.CLOSED
    assert all(found[p.unit_id].status == W.ASSIGNED for p in others)
    assert [e.to_status for e in found[first.unit_id].events][-1] == W.CLOSED
    for part in others:
        service.submit_rule(grading_round, part, user=None)
    service.compute(grading_round)
    service.submit(grading_round, user=None)
    assert _steps(grading_round.id)[city.justice_unit.id].status == W.ASSIGNED  # not yet approved
    service.approve(grading_round, user=city.leader())
    assert all(m.status == W.CLOSED for m in _steps(grading_round.id).values())
    # a step done again (a unit resubmitting after a return) leaves the closed matter as it is
    events = len(_steps(grading_round.id)[first.unit_id].events)
    steps.close_step(grading_round.id, first.unit_id, "再次报送。")
    assert len(_steps(grading_round.id)[first.unit_id].events) == events


def test_a_round_created_without_a_unit_closes_the_bureaus_step_too(city, factory):
    grading_round = service.create_round(2027, service.DEFAULT_RULES_TOML, user=None)
    approval = steps.step_matter(grading_round.id, None)
    assert approval.status == W.RECEIVED and approval.responsible_unit_id is None
    steps.close_step(grading_round.id, None, "经审定公布。")
    assert approval.status == W.CLOSED
