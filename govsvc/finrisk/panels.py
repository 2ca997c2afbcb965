"""The module's dashboard panel and its section on an enterprise's page."""
from __future__ import annotations

from decimal import Decimal

from flask import url_for
from sqlalchemy import func, select

from govsvc.extensions import db
from govsvc.finrisk import access, maturity
from govsvc.finrisk.models import Assessment, LeaderLink, Loan, MaturityEntry, Rescue
from govsvc.main import Panel, panel
from govsvc.registry.flags import flags_for
from govsvc.registry.sections import Section, enterprise_section
from govsvc.timeutil import local_today


@panel
def _finrisk_panel(user):
    if not maturity.is_reader(user):
        return None
    board = maturity.dashboard(user)
    lines = [("到期台账（未结束）", board["open"]), ("未按期落实", board["missed"])]
    if access.is_regulator(user):
        lines.append(("挽救中的担保圈企业", db.session.scalar(select(func.count()).select_from(Rescue).where(
            Rescue.stage.in_(("candidate", "ledger", "bank_talks", "admin_coord")))) or 0))
    return Panel("金融风险 · “321”到期预警", lines, url_for("finrisk.maturity_list"))


@enterprise_section
def _finrisk_section(enterprise, user):
    regulator = access.is_regulator(user)
    bank = access.bank_of(user)
    county = access.county_of(user)
    if not (regulator or bank is not None or (county is not None and county.district == enterprise.district)):
        return None
    stmt = select(func.count(), func.sum(Loan.amount)).where(Loan.enterprise_id == enterprise.id, Loan.status != "repaid")
    if bank is not None:
        stmt = stmt.where(Loan.bank_id == bank)
    count, amount = db.session.execute(stmt).one()
    rows = [("银行贷款（未结清）" + ("，本行" if bank is not None else ""), f"{count} 笔，{Decimal(amount or 0):,.2f} 元")]
    open_entries = db.session.scalar(select(func.count()).select_from(MaturityEntry).join(MaturityEntry.loan).where(
        Loan.enterprise_id == enterprise.id, MaturityEntry.closed.is_(False),
        *([Loan.bank_id == bank] if bank is not None else [])))
    rows.append(("“321”到期台账", f"{open_entries} 笔"))
    if bank is None:
        item = db.session.scalar(select(Assessment).where(Assessment.enterprise_id == enterprise.id)
                                 .order_by(Assessment.year.desc()).limit(1))
        if item is not None:
            rows.append(("保/帮/关", item.confirmed_label or f"建议：{item.proposed_label}（待确认）"))
        link = db.session.scalar(select(LeaderLink).where(LeaderLink.enterprise_id == enterprise.id))
        if link is not None:
            rows.append(("市领导“一对一”", f"{link.leader_name} {link.leader_post}"))
        for flag in flags_for([enterprise.id], local_today()).get(enterprise.id, []):
            if flag.source == "finrisk.evasion":
                rows.append(("联合惩戒", f"{flag.label}：{flag.reason}"))
    return Section("金融风险", rows, url_for("finrisk.loan_list", q=enterprise.credit_code), "查看贷款", order=70)
