"""应急周转资金池: each county's pool (its size) and the applications of 保/帮 enterprises — amount,
approval within what the pool has left, disbursement with a due date, repayments."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from govsvc import audit
from govsvc.extensions import db
from govsvc.finrisk.access import (county_for_district, county_of, district_of, get_scoped, in_district, is_regulator,
                                   matching)
from govsvc.finrisk.classify import confirmed_class
from govsvc.finrisk.models import BridgeLoan, FundPool
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import utcnow
from scoring import finrisk as core

MAX_DAYS = 90


class BridgeError(ValueError):
    pass


def _county(user, county_id: int) -> None:
    if is_regulator(user):
        return
    county = county_of(user)
    if county is None or county.id != county_id:
        raise BridgeError("只能办理本县（市、区）资金池的业务。")


def set_pool(user, county: Unit, capacity: Decimal) -> FundPool:
    _county(user, county.id)
    if capacity < 0:
        raise BridgeError("资金池规模不能为负数。")
    pool = db.session.scalar(select(FundPool).where(FundPool.county_id == county.id))
    if pool is None:
        pool = FundPool(county_id=county.id, capacity=capacity)
        db.session.add(pool)
    pool.capacity, pool.updated_at = capacity, utcnow()
    db.session.flush()
    audit.record("finrisk.bridge.pool", target=f"unit:{county.id}", detail={"capacity": str(capacity)})
    return pool


def lent_out(county_id: int) -> Decimal:
    """Approved or disbursed and not yet repaid."""
    rows = db.session.execute(select(BridgeLoan.amount, BridgeLoan.repaid).where(
        BridgeLoan.county_id == county_id, BridgeLoan.status.in_(("approved", "disbursed"))))
    return sum((amount - repaid for amount, repaid in rows), Decimal("0.00"))


def available(county_id: int) -> Decimal | None:
    capacity = db.session.scalar(select(FundPool.capacity).where(FundPool.county_id == county_id))
    return None if capacity is None else capacity - lent_out(county_id)


def apply(user, enterprise: Enterprise, amount: Decimal, days: int, purpose: str, bank_id: int | None) -> BridgeLoan:
    county = county_for_district(enterprise.district)
    if county is None:
        raise BridgeError("找不到企业所在县（市、区）政府。")
    _county(user, county.id)
    cls = confirmed_class(enterprise.id)
    if cls not in ("protect", "help"):
        raise BridgeError("应急周转资金只支持已确认为“保”“帮”类的企业"
                          + (f"（该企业为{core.CLASSES[cls]}类）。" if cls else "（该企业尚未确认分类）。"))
    if amount <= 0:
        raise BridgeError("申请金额必须大于 0。")
    if not 1 <= days <= MAX_DAYS:
        raise BridgeError(f"使用期限应为 1 到 {MAX_DAYS} 天。")
    if not purpose.strip():
        raise BridgeError("请填写用途（如到期转贷的贷款）。")
    item = BridgeLoan(enterprise_id=enterprise.id, county_id=county.id, bank_id=bank_id, amount=amount, days=days,
                      purpose=purpose.strip())
    db.session.add(item)
    db.session.flush()
    audit.record("finrisk.bridge.apply", target=f"finrisk.bridge:{item.id}", detail={"amount": str(amount)})
    return item


def decide(user, item: BridgeLoan, approve: bool, note: str) -> None:
    _county(user, item.county_id)
    if item.status != "applied":
        raise BridgeError("该申请已处理。")
    if not note.strip():
        raise BridgeError("请填写审批意见。")
    if approve:
        left = available(item.county_id)
        if left is None:
            raise BridgeError("本县（市、区）尚未设立应急周转资金池。")
        if item.amount > left:
            raise BridgeError(f"资金池可用余额 {left:,.2f} 元，不足以支持 {item.amount:,.2f} 元。")
    item.status = "approved" if approve else "rejected"
    item.decided_at, item.decision_note = utcnow(), note.strip()
    audit.record("finrisk.bridge.decide", target=f"finrisk.bridge:{item.id}", detail={"approve": approve})


def disburse(user, item: BridgeLoan, on: date) -> None:
    _county(user, item.county_id)
    if item.status != "approved":
        raise BridgeError("只有已批准的申请可以放款。")
    item.status, item.disbursed_on, item.due_on = "disbursed", on, on + timedelta(days=item.days)
    audit.record("finrisk.bridge.disburse", target=f"finrisk.bridge:{item.id}")


def repay(user, item: BridgeLoan, amount: Decimal, on: date) -> None:
    _county(user, item.county_id)
    if item.status != "disbursed":
        raise BridgeError("只有已放款的资金可以登记归还。")
    if amount <= 0 or item.repaid + amount > item.amount:
        raise BridgeError(f"归还金额应大于 0 且累计不超过 {item.amount:,.2f} 元（已还 {item.repaid:,.2f} 元）。")
    item.repaid += amount
    if item.repaid == item.amount:
        item.status, item.repaid_on = "repaid", on
    audit.record("finrisk.bridge.repay", target=f"finrisk.bridge:{item.id}", detail={"amount": str(amount)})


def get_item(user, item_id: int) -> BridgeLoan:
    return get_scoped(BridgeLoan, item_id, user)


def bridge_query(user, *, q: str = "", status: str = "", county_id: int | None = None):
    stmt = matching(in_district(select(BridgeLoan), user, BridgeLoan.enterprise_id), q, BridgeLoan.enterprise_id)
    if status:
        stmt = stmt.where(BridgeLoan.status == status)
    if county_id:
        stmt = stmt.where(BridgeLoan.county_id == county_id)
    return stmt.order_by(BridgeLoan.status != "applied", BridgeLoan.applied_at.desc(), BridgeLoan.id.desc())


def pools(user) -> list[tuple[Unit, Decimal | None, Decimal]]:
    from govsvc.finrisk.access import counties

    district = district_of(user)
    caps = dict(db.session.execute(select(FundPool.county_id, FundPool.capacity)).all())
    return [(c, caps.get(c.id), lent_out(c.id)) for c in counties() if district is None or c.district == district]
