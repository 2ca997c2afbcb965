"""Loans and guarantees imported per bank (validated, idempotent, all or nothing), each bank seeing
only its own, and the "321" ledger: entry 3 months before maturity, the plan by 2 months, the funds
by 1 month, missed steps flagged to the county."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from govsvc.extensions import db
from govsvc.finrisk import loans, maturity
from govsvc.finrisk.models import Guarantee, Loan, MaturityEntry
from govsvc.ledger.models import Matter


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_bank_imports_only_its_own_rows_and_reimport_changes_nothing(world):
    a, b = world.enterprise(), world.enterprise()
    rows = [("L1", a, "1000000", "2026-01-01", "2027-05-31", "正常"), ("L2", b, "500000.50", "2026-02-01", "2027-06-30", "逾期")]
    report = world.loans(rows, world.gh_user)
    assert report.applied and report.created == 2
    assert {l.bank_id for l in db.session.scalars(select(Loan))} == {world.gh.id}
    again = world.loans(rows, world.gh_user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    # a row naming another bank is refused and nothing of the file is written
    bad = world.loans([("L3", a, "1", "2026-01-01", "2027-01-01", "正常"), ("L4", a, "1", "2026-01-01", "2027-01-01", "正常", "NH")],
                      world.gh_user)
    assert not bad.applied and count(Loan) == 2
    assert [(e.row, e.column) for e in bad.errors] == [(3, "银行代码")]
    assert "只能导入本行" in bad.errors[0].message


def test_bad_rows_are_reported_and_nothing_is_half_written(world):
    a = world.enterprise()
    report = world.loans([("L1", a, "100", "2026-01-01", "2027-01-01", "正常", "GH"),
                          ("L2", a, "-5", "2026-01-01", "2027-01-01", "正常", "GH"),
                          ("L3", a, "100", "2027-01-01", "2026-01-01", "坏账", "GH"),
                          ("L1", a, "100", "2026-01-01", "2027-01-01", "正常", "GH")])
    assert not report.applied and count(Loan) == 0
    errors = {(e.row, e.column) for e in report.errors}
    assert {(3, "贷款金额"), (4, "状态"), (5, "贷款编号")} <= errors
    # the regulator must name the bank
    missing = world.loans([("L9", a, "100", "2026-01-01", "2027-01-01", "正常")])
    assert [(e.row, e.column) for e in missing.errors] == [(2, "银行代码")]
    # valid rows only
    partial = world.loans([("L1", a, "100", "2026-01-01", "2027-01-01", "正常", "GH"),
                           ("L2", a, "-5", "2026-01-01", "2027-01-01", "正常", "GH")], valid_only=True)
    assert partial.applied and partial.created == 1 and partial.skipped == 1


def test_guarantees_refuse_self_guarantee_and_upsert_on_contract(world):
    a, b = world.enterprise(), world.enterprise()
    assert world.guarantees([("G1", a, b, "300"), ("G2", b, b, "1")], world.gh_user).errors[0].column == "被担保人统一社会信用代码"
    assert world.guarantees([("G1", a, b, "300")], world.gh_user).created == 1
    assert world.guarantees([("G1", a, b, "400")], world.gh_user).updated == 1
    assert db.session.scalar(select(Guarantee.amount)) == Decimal("400.00")


def test_queries_show_each_bank_only_its_own_loans(world):
    a = world.enterprise()
    z = world.enterprise(district="淄川区")
    world.loans([("L1", a, "100", "2026-01-01", "2027-01-01", "正常")], world.gh_user)
    world.loans([("L1", a, "200", "2026-01-01", "2027-01-01", "正常"), ("L2", z, "9", "2026-01-01", "2027-01-01", "正常")],
                world.nh_user)
    gh = db.session.scalars(loans.loan_query(world.gh_user)).all()
    assert [(l.bank_id, l.amount) for l in gh] == [(world.gh.id, Decimal("100.00"))]
    assert len(db.session.scalars(loans.loan_query(world.nh_user)).all()) == 2
    assert len(db.session.scalars(loans.loan_query(world.regulator)).all()) == 3
    # a county sees its district's enterprises only
    assert {l.enterprise.district for l in db.session.scalars(loans.loan_query(world.zc_user))} == {"淄川区"}


def _matters(kind):
    return db.session.scalars(select(Matter).where(Matter.kind == kind).order_by(Matter.id)).all()


def test_321_on_the_seeds_months_with_a_month_end_maturity(world):
    a = world.enterprise()
    world.loans([("L1", a, "1000000", "2026-05-31", "2027-05-31", "正常")], world.gh_user)
    # 27 February: not yet (M − 3 months is 28 February 2027)
    assert maturity.sweep(date(2027, 2, 27))["entered"] == 0
    assert maturity.sweep(date(2027, 2, 28))["entered"] == 1
    assert maturity.sweep(date(2027, 2, 28))["entered"] == 0          # idempotent
    entry = db.session.scalar(select(MaturityEntry))
    assert (entry.warning_date, entry.plan_due, entry.funds_due) == (date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30))
    warning, = _matters("m321.warning")
    plan, = _matters("m321.plan")
    funds, = _matters("m321.funds")
    assert warning.responsible_unit_id == world.zd.id and warning.status == "assigned"
    assert (plan.responsible_unit_id, plan.deadline) == (world.gh.id, date(2027, 3, 31))
    assert (funds.responsible_unit_id, funds.deadline) == (world.gh.id, date(2027, 4, 30))
    # 31 March is still in time; 1 April the plan is missed: flagged to the county (a matter the regulator sees)
    assert maturity.sweep(date(2027, 3, 31))["missed"] == 0
    assert maturity.sweep(date(2027, 4, 1))["missed"] == 1
    assert maturity.sweep(date(2027, 4, 2))["missed"] == 0
    missed, = _matters("m321.missed")
    assert missed.responsible_unit_id == world.zd.id and missed.priority == "high" and "还款计划" in missed.title
    assert entry.state(date(2027, 4, 1)) == "missed"
    # the bank records late, then confirms funds that cover the loan
    maturity.record_plan(world.gh_user, entry, "到期一次性归还", "销售回款")
    maturity.confirm_funds(world.gh_user, entry, Decimal("1000000"))
    assert entry.ready and plan.status == funds.status == "concluded"
    maturity.sweep(date(2027, 6, 1))
    assert entry.closed


def test_321_leap_day_and_funds_shortfall(world):
    a = world.enterprise()
    world.loans([("L1", a, "500", "2027-01-01", "2028-02-29", "正常")], world.gh_user)
    maturity.sweep(date(2027, 11, 29))
    entry = db.session.scalar(select(MaturityEntry))
    assert (entry.warning_date, entry.plan_due, entry.funds_due) == (date(2027, 11, 29), date(2027, 12, 29), date(2028, 1, 29))
    maturity.record_plan(world.gh_user, entry, "计划", "来源")
    maturity.confirm_funds(world.gh_user, entry, Decimal("400"))      # short by 100: not ready
    assert not entry.ready
    assert maturity.sweep(date(2028, 1, 29))["missed"] == 0
    assert maturity.sweep(date(2028, 1, 30))["missed"] == 1
    assert "资金到账" in _matters("m321.missed")[0].title


def test_only_the_lending_bank_records_and_only_the_county_acknowledges(world):
    import pytest

    a = world.enterprise()
    world.loans([("L1", a, "500", "2026-01-01", "2027-05-31", "正常")], world.gh_user)
    maturity.sweep(date(2027, 3, 1))
    entry = db.session.scalar(select(MaturityEntry))
    with pytest.raises(maturity.MaturityError):
        maturity.record_plan(world.nh_user, entry, "x", "y")
    with pytest.raises(maturity.MaturityError):
        maturity.confirm_funds(world.gh_user, entry, Decimal(500))   # plan first
    with pytest.raises(maturity.MaturityError):
        maturity.acknowledge(world.zc_user, entry, "研判")
    maturity.acknowledge(world.zd_user, entry, "企业经营正常")
    assert _matters("m321.warning")[0].status == "concluded"
    # another bank's entry does not exist for a bank
    from werkzeug.exceptions import NotFound
    with pytest.raises(NotFound):
        maturity.get_entry(world.nh_user, entry.id)
    assert db.session.scalars(maturity.entry_query(world.nh_user)).all() == []


def test_a_repaid_loan_leaves_the_ledger_and_a_new_maturity_restarts_it(world):
    a = world.enterprise()
    world.loans([("L1", a, "500", "2026-01-01", "2027-05-31", "正常")], world.gh_user)
    maturity.sweep(date(2027, 3, 1))
    world.loans([("L1", a, "500", "2026-01-01", "2027-05-31", "已结清")], world.gh_user)
    entry = db.session.scalar(select(MaturityEntry))
    assert entry.closed and all(m.status == "concluded" for m in _matters("m321.plan"))
    board = maturity.dashboard(world.regulator)
    assert board["open"] == 0


def test_an_extended_loan_gets_a_new_entry_when_its_new_maturity_is_due(world):
    a = world.enterprise()
    world.loans([("L1", a, "500", "2026-01-01", "2027-05-31", "正常")], world.gh_user)
    maturity.sweep(date(2027, 3, 1))
    world.loans([("L1", a, "500", "2026-01-01", "2027-11-30", "正常")], world.gh_user)   # 展期
    first = db.session.scalar(select(MaturityEntry))
    assert first.closed and count(MaturityEntry) == 1
    assert maturity.sweep(date(2027, 8, 29))["entered"] == 0
    assert maturity.sweep(date(2027, 8, 30))["entered"] == 1
    second = db.session.scalar(select(MaturityEntry).where(MaturityEntry.closed.is_(False)))
    assert (second.maturity_date, second.plan_due) == (date(2027, 11, 30), date(2027, 9, 30))


def test_the_list_filter_agrees_with_each_entrys_state(world):
    a = world.enterprise()
    world.loans([("L1", a, "500", "2026-01-01", "2027-05-31", "正常"), ("L2", a, "500", "2026-01-01", "2027-05-31", "正常"),
                 ("L3", a, "500", "2026-01-01", "2027-05-31", "正常")], world.gh_user)
    maturity.sweep(date(2027, 3, 1))
    e1, e2, e3 = db.session.scalars(select(MaturityEntry).order_by(MaturityEntry.id)).all()
    for entry in (e1, e2):
        maturity.record_plan(world.gh_user, entry, "计划", "来源")
    maturity.confirm_funds(world.gh_user, e1, Decimal(500))
    maturity.confirm_funds(world.gh_user, e2, Decimal(100))      # short
    from unittest import mock

    for today, want in ((date(2027, 3, 15), {"ready": [e1], "pending": [e2, e3], "missed": []}),
                        (date(2027, 5, 2), {"ready": [e1], "pending": [], "missed": [e2, e3]})):
        with mock.patch("govsvc.finrisk.maturity.local_today", return_value=today):
            for state, entries in want.items():
                got = db.session.scalars(maturity.entry_query(world.regulator, state=state)).all()
                assert got == entries, (today, state)
                assert all(e.state(today) == state for e in got)
