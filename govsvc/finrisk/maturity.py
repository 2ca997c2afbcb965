"""The "321" maturity ledger. `sweep(today)` (daily: `govsvc finrisk sweep`, and after every loan
import) puts each loan that is 3 months or less from maturity on the ledger with three matters —
the county's warning, the bank's repayment plan (due M − 2 months), the funds on account (due M − 1
month) — flags a step whose day passed undone to the county (a matter of its own, which the regulator
sees too) and ends the entry when the loan is repaid or matured."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from flask import abort
from sqlalchemy import select

from govsvc import audit
from govsvc.extensions import db
from govsvc.finrisk.access import bank_of, county_for_district, county_of, district_of, in_district, is_regulator
from govsvc.finrisk.models import Loan, MaturityEntry
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.ledger.service import create_matter, move
from govsvc.registry.models import Enterprise
from govsvc.timeutil import local_today, utcnow
from scoring import finrisk as core

MODULE = "finrisk"


class MaturityError(ValueError):
    pass


def _open(title: str, kind: str, unit_id: int | None, deadline: date, ref: str, description: str = "",
          priority: str = "normal") -> Matter:
    matter = create_matter(module=MODULE, kind=kind, title=title[:200], description=description, source="321预警",
                           ref=ref, deadline=deadline, priority=priority)
    if unit_id is not None:
        move(matter, workflow.ASSIGNED, user=None, responsible_unit_id=unit_id)
    return matter


def finish_matter(matter_id: int | None, note: str, user=None) -> None:
    """Carry an open matter to 办结 (its deadline stops running) with the note."""
    matter = db.session.get(Matter, matter_id) if matter_id else None
    if matter is None or matter.status not in workflow.OPEN_STATUSES:
        return
    if matter.status in (workflow.RECEIVED, workflow.RETURNED):
        move(matter, workflow.ASSIGNED, user=user, note="")
    if matter.status == workflow.ASSIGNED:
        move(matter, workflow.IN_PROGRESS, user=user)
    move(matter, workflow.CONCLUDED, user=user, note=note)


def _describe(loan: Loan) -> str:
    return f"{loan.enterprise.name}（{loan.enterprise.credit_code}）{loan.bank.name} 贷款 {loan.loan_no}，{loan.amount} 元"


def _enter(loan: Loan, counties: dict) -> MaturityEntry:
    m = core.milestones(loan.maturity_date)
    district = loan.enterprise.district
    if district not in counties:
        counties[district] = county_for_district(district)
    county = counties[district]
    ref = f"finrisk.loan:{loan.id}"
    what = _describe(loan)
    entry = MaturityEntry(loan_id=loan.id, county_id=county.id if county else None, maturity_date=m.maturity,
                          warning_date=m.warning, plan_due=m.plan_due, funds_due=m.funds_due)
    entry.warning_matter_id = _open(f"到期预警：{loan.enterprise.name} 贷款 {loan.amount} 元 {m.maturity} 到期", "m321.warning",
                                    entry.county_id, m.plan_due, ref,
                                    f"{what}，{m.maturity} 到期。请属地政府研判风险、督促企业落实还款。").id
    entry.plan_matter_id = _open(f"录入还款计划和资金来源：{loan.enterprise.name} 贷款 {loan.loan_no}", "m321.plan",
                                 loan.bank_id, m.plan_due, ref, f"{what}：到期前2个月（{m.plan_due}）前录入。").id
    entry.funds_matter_id = _open(f"确认还款资金到账：{loan.enterprise.name} 贷款 {loan.loan_no}", "m321.funds",
                                  loan.bank_id, m.funds_due, ref, f"{what}：到期前1个月（{m.funds_due}）前确认。").id
    db.session.add(entry)
    return entry


STEP_LABELS = {"plan": "还款计划和资金来源（到期前2个月）", "funds": "还款资金到账（到期前1个月）"}


def _flag_missed(entry: MaturityEntry, step: str) -> None:
    loan = entry.loan
    setattr(entry, f"{step}_missed", True)
    _open(f"未按期落实：{loan.enterprise.name} {STEP_LABELS[step]}", "m321.missed", entry.county_id,
          entry.maturity_date, f"finrisk.loan:{loan.id}",
          f"{_describe(loan)}，{entry.maturity_date} 到期；{loan.bank.name}未按期落实{STEP_LABELS[step]}。",
          priority="high")
    audit.record("finrisk.321.missed", target=f"finrisk.maturity:{entry.id}", detail={"step": step})


def sweep(today: date | None = None, loan_ids: list[int] | None = None) -> dict[str, int]:
    """Idempotent: run it any number of times a day. Returns counts of what it did."""
    today = today or local_today()
    counts = {"entered": 0, "missed": 0, "closed": 0}
    horizon = core.add_months(today, core.WARNING_MONTHS) + timedelta(days=4)
    stmt = select(Loan).where(Loan.status != "repaid", Loan.maturity_date >= today, Loan.maturity_date <= horizon)
    if loan_ids is not None:
        stmt = select(Loan).where(Loan.id.in_(loan_ids or [-1]))
    loans = list(db.session.scalars(stmt))
    have = {(loan_id, day) for loan_id, day in db.session.execute(select(MaturityEntry.loan_id, MaturityEntry.maturity_date)
                                                                  .where(MaturityEntry.loan_id.in_([loan.id for loan in loans] or [-1])))}
    counties: dict = {}
    for loan in loans:
        if (loan.id, loan.maturity_date) not in have and loan.status != "repaid" and core.in_warning_window(loan.maturity_date, today):
            _enter(loan, counties)
            counts["entered"] += 1
    db.session.flush()
    entries = select(MaturityEntry).where(MaturityEntry.closed.is_(False))
    if loan_ids is not None:
        entries = entries.where(MaturityEntry.loan_id.in_(loan_ids or [-1]))
    for entry in db.session.scalars(entries):
        loan = entry.loan
        if loan.maturity_date != entry.maturity_date and loan.status != "repaid":
            # the bank reported a new maturity (展期/续贷): the entry ends, a new one starts when due
            _close(entry, f"贷款到期日变更为 {loan.maturity_date}")
            counts["closed"] += 1
            continue
        if loan.status == "repaid" or today > entry.maturity_date:
            _close(entry, "贷款已结清" if loan.status == "repaid" else "贷款已到期")
            counts["closed"] += 1
            continue
        for step in core.missed_steps(entry.maturity_date, today, plan_done=entry.plan_at is not None,
                                      funds_done=_funds_done(entry)):
            if not getattr(entry, f"{step}_missed"):
                _flag_missed(entry, step)
                counts["missed"] += 1
    db.session.flush()
    if loan_ids is None:
        audit.record("finrisk.321.sweep", target=str(today), detail=counts)
    return counts


def _funds_done(entry: MaturityEntry) -> bool:
    return entry.funds_at is not None and (entry.funds_amount or 0) >= entry.loan.amount


def _close(entry: MaturityEntry, note: str) -> None:
    entry.closed = True
    for matter_id in (entry.warning_matter_id, entry.plan_matter_id, entry.funds_matter_id):
        finish_matter(matter_id, note)
    # the missed-step matters of a repaid loan are settled too
    if entry.loan.status == "repaid":
        for matter in db.session.scalars(select(Matter).where(Matter.ref == f"finrisk.loan:{entry.loan_id}",
                                                              Matter.kind == "m321.missed")):
            finish_matter(matter.id, note)


# -- actions --------------------------------------------------------------------------------------
def get_entry(user, entry_id: int) -> MaturityEntry:
    entry = db.session.get(MaturityEntry, entry_id)
    if entry is None:
        abort(404)
    bank = bank_of(user)
    if bank is not None and entry.loan.bank_id != bank:
        abort(404)  # another bank's loan does not exist for this bank
    district = district_of(user)
    if district is not None and entry.loan.enterprise.district != district:
        abort(404)
    return entry


def _own_bank(user, entry: MaturityEntry) -> None:
    if bank_of(user) != entry.loan.bank_id:
        raise MaturityError("只有贷款银行可以录入。")
    if entry.closed:
        raise MaturityError("该笔贷款已退出到期台账。")


def record_plan(user, entry: MaturityEntry, plan: str, source: str) -> None:
    _own_bank(user, entry)
    if not plan.strip() or not source.strip():
        raise MaturityError("请填写还款计划和资金来源。")
    entry.repayment_plan, entry.funds_source, entry.plan_at = plan.strip(), source.strip(), utcnow()
    finish_matter(entry.plan_matter_id, f"还款计划：{entry.repayment_plan}；资金来源：{entry.funds_source}", user)
    audit.record("finrisk.321.plan", target=f"finrisk.maturity:{entry.id}")


def confirm_funds(user, entry: MaturityEntry, amount: Decimal) -> None:
    _own_bank(user, entry)
    if entry.plan_at is None:
        raise MaturityError("请先录入还款计划和资金来源。")
    if amount < 0:
        raise MaturityError("金额不能为负数。")
    entry.funds_amount, entry.funds_at = amount, utcnow()
    if amount >= entry.loan.amount:
        finish_matter(entry.funds_matter_id, f"企业账上还款资金 {amount} 元已确认，足额覆盖贷款 {entry.loan.amount} 元。", user)
    audit.record("finrisk.321.funds", target=f"finrisk.maturity:{entry.id}", detail={"amount": str(amount)})


def acknowledge(user, entry: MaturityEntry, note: str) -> None:
    county = county_of(user)
    if county is None or county.id != entry.county_id:
        raise MaturityError("只有属地县（市、区）政府可以签收预警。")
    if entry.acknowledged_at is not None:
        raise MaturityError("该预警已签收。")
    if not note.strip():
        raise MaturityError("请填写研判意见。")
    entry.acknowledged_at, entry.county_note = utcnow(), note.strip()
    finish_matter(entry.warning_matter_id, f"属地政府研判意见：{entry.county_note}", user)
    audit.record("finrisk.321.acknowledge", target=f"finrisk.maturity:{entry.id}")


# -- lists and the dashboard -----------------------------------------------------------------------
def entry_query(user, *, q: str = "", state: str = "", bank_id: int | None = None, county_id: int | None = None,
                month: str = ""):
    stmt = select(MaturityEntry).join(MaturityEntry.loan)
    bank = bank_of(user)
    if bank is not None:
        stmt = stmt.where(Loan.bank_id == bank)
    stmt = in_district(stmt, user, Loan.enterprise_id)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(Loan.enterprise_id.in_(select(Enterprise.id).where(
            Enterprise.name.ilike(like) | Enterprise.credit_code.ilike(like.upper()))) | Loan.loan_no.ilike(like))
    if bank_id:
        stmt = stmt.where(Loan.bank_id == bank_id)
    if county_id:
        stmt = stmt.where(MaturityEntry.county_id == county_id)
    if month and len(month) == 7:
        year, mon = int(month[:4]), int(month[5:])
        first = date(year, mon, 1)
        stmt = stmt.where(MaturityEntry.maturity_date >= first, MaturityEntry.maturity_date < core.add_months(first, 1))
    today = local_today()
    if state == "closed":
        stmt = stmt.where(MaturityEntry.closed.is_(True))
    elif state:
        stmt = stmt.where(MaturityEntry.closed.is_(False))
        funds_done = MaturityEntry.funds_at.is_not(None) & (MaturityEntry.funds_amount >= Loan.amount)
        ready = MaturityEntry.plan_at.is_not(None) & funds_done
        missed = (MaturityEntry.plan_missed | MaturityEntry.funds_missed |
                  (MaturityEntry.plan_at.is_(None) & (MaturityEntry.plan_due < today)) |
                  (~funds_done & (MaturityEntry.funds_due < today)))
        stmt = stmt.where({"ready": ready, "missed": ~ready & missed, "pending": ~ready & ~missed}.get(state, True))
    return stmt.order_by(MaturityEntry.closed, MaturityEntry.maturity_date, MaturityEntry.id)


def dashboard(user) -> dict:
    """Open entries by county and by bank, per month of maturity: count, amount, not ready."""
    today = local_today()
    months = [core.add_months(date(today.year, today.month, 1), k).strftime("%Y-%m") for k in range(4)]
    rows = db.session.scalars(entry_query(user).where(MaturityEntry.closed.is_(False))).all()
    by_county: dict = defaultdict(lambda: {m: [0, Decimal(0), 0] for m in months})
    by_bank: dict = defaultdict(lambda: {m: [0, Decimal(0), 0] for m in months})
    for entry in rows:
        month = entry.maturity_date.strftime("%Y-%m")
        if month not in months:
            continue
        not_ready = entry.state(today) == "missed"
        for table, key in ((by_county, entry.county.name if entry.county else "（未匹配县区）"),
                           (by_bank, entry.loan.bank.name)):
            cell = table[key][month]
            cell[0] += 1
            cell[1] += entry.loan.amount
            cell[2] += int(not_ready)
    return {"months": months, "by_county": dict(sorted(by_county.items())), "by_bank": dict(sorted(by_bank.items())),
            "open": len(rows), "missed": sum(1 for e in rows if e.state(today) == "missed")}


def readiness(entry: MaturityEntry, today: date | None = None) -> list[tuple[str, date, str]]:
    """The three steps with their days and a word each, for the entry's page."""
    today = today or local_today()
    def word(done, due):
        return "已完成" if done else ("已逾期" if today > due else "待办")
    return [("县区预警签收", entry.plan_due, word(entry.acknowledged_at is not None, entry.plan_due)),
            ("录入还款计划和资金来源（到期前2个月）", entry.plan_due, word(entry.plan_at is not None, entry.plan_due)),
            ("确认还款资金到账（到期前1个月）", entry.funds_due, word(_funds_done(entry), entry.funds_due))]


def is_reader(user) -> bool:
    return is_regulator(user) or bank_of(user) is not None or county_of(user) is not None
