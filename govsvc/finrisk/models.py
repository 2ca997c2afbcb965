"""Tables of govsvc.finrisk: banks' loans and guarantees, the "321" maturity ledger, the 保/帮/关
classification with its indicators, city leaders' one-to-one links, rescues of enterprises caught in
guarantee circles, the bridge fund (应急周转资金池), listed companies' checks and the evasion
blacklist. Banks are units of the registry; counties are the district governments (ZF-…)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (Boolean, CheckConstraint, Date, Float, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.ledger.service import register_module
from govsvc.timeutil import local_today, utcnow
from govsvc.types import Money, UTCDateTime
from scoring import finrisk as core


# The module's matters on the shared ledger (a rescue handed to the court goes to module bankruptcy).
register_module("finrisk", "金融风险", {R.FINANCE_REGULATOR})

LOAN_STATUSES = {"normal": "正常", "overdue": "逾期", "npl": "不良", "repaid": "已结清"}
LOAN_STATUS_ALIASES = {"正常": "normal", "逾期": "overdue", "不良": "npl", "non-performing": "npl",
                       "已结清": "repaid", "结清": "repaid"}


class Loan(db.Model):
    """One loan of one bank, as last reported (upsert on the bank's loan number)."""

    __tablename__ = "finrisk_loans"
    __table_args__ = (
        UniqueConstraint("bank_id", "loan_no"),
        CheckConstraint("status IN ('normal', 'overdue', 'npl', 'repaid')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    loan_no: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))           # reporting period YYYY-MM
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    start_date: Mapped[date] = mapped_column(Date)
    maturity_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bank = relationship("Unit", lazy="joined", foreign_keys=[bank_id])
    enterprise = relationship("Enterprise", lazy="joined")

    @property
    def status_label(self) -> str:
        return LOAN_STATUSES.get(self.status, self.status)


class Guarantee(db.Model):
    """A guarantee reported by a bank: guarantor → borrower, amount, period."""

    __tablename__ = "finrisk_guarantees"
    __table_args__ = (UniqueConstraint("bank_id", "contract_no"),
                      CheckConstraint("guarantor_id <> borrower_id", name="not_self"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    contract_no: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    guarantor_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bank = relationship("Unit", lazy="joined", foreign_keys=[bank_id])
    guarantor = relationship("Enterprise", lazy="joined", foreign_keys=[guarantor_id])
    borrower = relationship("Enterprise", lazy="joined", foreign_keys=[borrower_id])


class MaturityEntry(db.Model):
    """A loan on the "321" maturity ledger (from M − 3 months), with its three steps' matters."""

    __tablename__ = "finrisk_maturities"
    # one entry per loan and maturity: a loan extended (展期) to a new maturity gets a new entry
    __table_args__ = (UniqueConstraint("loan_id", "maturity_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("finrisk_loans.id"), index=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    maturity_date: Mapped[date] = mapped_column(Date, index=True)
    warning_date: Mapped[date] = mapped_column(Date)
    plan_due: Mapped[date] = mapped_column(Date)
    funds_due: Mapped[date] = mapped_column(Date)
    warning_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    plan_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    funds_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    county_note: Mapped[str] = mapped_column(Text, default="")
    repayment_plan: Mapped[str] = mapped_column(Text, default="")
    funds_source: Mapped[str] = mapped_column(Text, default="")
    plan_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    funds_amount: Mapped[Decimal | None] = mapped_column(Money)
    funds_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    plan_missed: Mapped[bool] = mapped_column(Boolean, default=False)
    funds_missed: Mapped[bool] = mapped_column(Boolean, default=False)
    closed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # repaid or past maturity
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    loan = relationship("Loan", lazy="joined")
    county = relationship("Unit", lazy="joined", foreign_keys=[county_id])

    @property
    def ready(self) -> bool:
        """Plan recorded and funds on account confirmed, covering the loan."""
        return (self.plan_at is not None and self.funds_at is not None
                and (self.funds_amount or 0) >= self.loan.amount)

    def state(self, today: date | None = None) -> str:
        """'ready', 'missed' (a step's day passed undone), 'pending' or 'closed'."""
        if self.closed:
            return "closed"
        if self.ready:
            return "ready"
        today = today or local_today()
        missed = core.missed_steps(self.maturity_date, today, plan_done=self.plan_at is not None,
                                   funds_done=self.ready)
        return "missed" if missed or self.plan_missed or self.funds_missed else "pending"


STATE_LABELS = {"ready": "已落实", "missed": "未按期落实", "pending": "待落实", "closed": "已结束"}


class Assessment(db.Model):
    """保/帮/关 of one enterprise in one year: the indicators, the rule's proposal, the county's decision."""

    __tablename__ = "finrisk_assessments"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),
                      CheckConstraint("structure IN ('encouraged', 'neutral', 'restricted')", name="structure"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    revenue_growth: Mapped[float] = mapped_column(Float, default=0.0)
    rd_ratio: Mapped[float] = mapped_column(Float, default=0.0)
    high_tech: Mapped[bool] = mapped_column(Boolean, default=False)
    structure: Mapped[str] = mapped_column(String(12), default="neutral")
    employees: Mapped[int] = mapped_column(Integer, default=0)
    signals: Mapped[str] = mapped_column(String(200), default="")     # comma-separated signal keys
    signal_notes: Mapped[str] = mapped_column(Text, default="")
    scores: Mapped[str] = mapped_column(String(300), default="")      # "vitality=…;…"
    fundamentals: Mapped[float] = mapped_column(Float, default=0.0)
    proposed: Mapped[str | None] = mapped_column(String(10), index=True)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed: Mapped[str | None] = mapped_column(String(10), index=True)
    confirm_reason: Mapped[str] = mapped_column(Text, default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    enterprise = relationship("Enterprise", lazy="joined")

    @property
    def score_map(self) -> dict[str, float]:
        pairs = [p.split("=", 1) for p in self.scores.split(";") if "=" in p]
        return {k: float(v) for k, v in pairs}

    @property
    def signal_list(self) -> list[str]:
        return [s for s in self.signals.split(",") if s]

    @property
    def proposed_label(self) -> str:
        return core.CLASS_LABELS.get(self.proposed or "", "")

    @property
    def confirmed_label(self) -> str:
        return core.CLASS_LABELS.get(self.confirmed or "", "")


class LeaderLink(db.Model):
    """市领导"一对一"牵头联系帮扶 of a large risk enterprise."""

    __tablename__ = "finrisk_leader_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), unique=True)
    leader_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    leader_name: Mapped[str] = mapped_column(String(50))
    leader_post: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enterprise = relationship("Enterprise", lazy="joined")


RESCUE_STAGES = {
    "candidate": "待挽救（待审计评估）", "rejected": "不予挽救", "ledger": "已列入挽救台账",
    "bank_talks": "银企对接", "admin_coord": "行政协调", "judicial": "司法介入（已移交法院）",
    "rescued": "挽救成功", "closed": "已终结",
}
ROUTES = {"bank_talks": "银企对接处置", "admin_coord": "行政协调推进", "judicial": "司法介入挽救"}
PROCEDURES = {"out_of_court": "庭外重组", "pre_reorganization": "预重整", "reorganization": "重整",
              "settlement": "和解"}


class Rescue(db.Model):
    """An enterprise caught in a guarantee circle, from the candidate list to its rescue."""

    __tablename__ = "finrisk_rescues"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    stage: Mapped[str] = mapped_column(String(12), default="candidate", index=True)
    nomination: Mapped[str] = mapped_column(Text, default="")   # 发展思路、盈利能力、涉圈情况
    nominated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # 审计评估
    auditor: Mapped[str] = mapped_column(String(100), default="")
    capital_flight: Mapped[bool | None] = mapped_column(Boolean)
    malicious_evasion: Mapped[bool | None] = mapped_column(Boolean)
    rescue_value: Mapped[bool | None] = mapped_column(Boolean)
    assessment_note: Mapped[str] = mapped_column(Text, default="")
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 台账: owner, target, timeline
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    target: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    # 司法介入
    procedure: Mapped[str | None] = mapped_column(String(20))
    handover_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    outcome: Mapped[str] = mapped_column(Text, default="")

    enterprise = relationship("Enterprise", lazy="joined")
    county = relationship("Unit", lazy="joined", foreign_keys=[county_id])
    owner_unit = relationship("Unit", lazy="joined", foreign_keys=[owner_unit_id])
    steps: Mapped[list["RescueStep"]] = relationship(back_populates="rescue", order_by="RescueStep.id")

    @property
    def stage_label(self) -> str:
        return RESCUE_STAGES.get(self.stage, self.stage)

    @property
    def candidate_due(self) -> date:
        return date(self.year, 11, 30)

    @property
    def ledger_due(self) -> date:
        return date(self.year, 12, 31)


class RescueStep(db.Model):
    """One event of a rescue: a route started, its result (agreement or failure), a hand-over."""

    __tablename__ = "finrisk_rescue_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rescue_id: Mapped[int] = mapped_column(ForeignKey("finrisk_rescues.id"), index=True)
    route: Mapped[str] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(12))    # start | agreed | failed | handover
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rescue: Mapped[Rescue] = relationship(back_populates="steps")

    @property
    def route_label(self) -> str:
        return {**ROUTES, "candidate": "摸底排查", "assessment": "审计评估"}.get(self.route, self.route)

    @property
    def action_label(self) -> str:
        return STEP_ACTIONS.get(self.action, self.action)


STEP_ACTIONS = {"listed": "列入待挽救名单", "rejected": "不予挽救", "ledger": "列入挽救台账", "start": "启动",
                "agreed": "达成协议", "failed": "未能化解", "handover": "移交法院"}


class FundPool(db.Model):
    """A county's 应急周转资金池 (its size; what is lent out is summed from the applications)."""

    __tablename__ = "finrisk_fund_pools"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    capacity: Mapped[Decimal] = mapped_column(Money)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    county = relationship("Unit", lazy="joined")


BRIDGE_STATUSES = {"applied": "待审批", "approved": "已批准待放款", "rejected": "不予支持", "disbursed": "已放款",
                   "repaid": "已归还"}


class BridgeLoan(db.Model):
    """An application for the bridge fund by a 保/帮 enterprise (转贷 bridging), approval and repayment."""

    __tablename__ = "finrisk_bridge_loans"
    __table_args__ = (CheckConstraint("status IN ('applied', 'approved', 'rejected', 'disbursed', 'repaid')",
                                      name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))   # the bank whose loan is bridged
    amount: Mapped[Decimal] = mapped_column(Money)
    days: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="applied", index=True)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    disbursed_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    repaid: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    repaid_on: Mapped[date | None] = mapped_column(Date)

    enterprise = relationship("Enterprise", lazy="joined")
    county = relationship("Unit", lazy="joined", foreign_keys=[county_id])
    bank = relationship("Unit", lazy="joined", foreign_keys=[bank_id])

    @property
    def status_label(self) -> str:
        return BRIDGE_STATUSES.get(self.status, self.status)

    @property
    def overdue(self) -> bool:
        return self.status == "disbursed" and self.due_on is not None and local_today() > self.due_on


class ListedCompany(db.Model):
    __tablename__ = "finrisk_listed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), unique=True)
    stock_code: Mapped[str] = mapped_column(String(20), unique=True)

    enterprise = relationship("Enterprise", lazy="joined")


class ListedCheck(db.Model):
    """每季度摸排: equity pledges and bonds of a listed company."""

    __tablename__ = "finrisk_listed_checks"
    __table_args__ = (UniqueConstraint("listed_id", "year", "quarter"),
                      CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listed_id: Mapped[int] = mapped_column(ForeignKey("finrisk_listed.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    pledge_ratio: Mapped[Decimal] = mapped_column(Money)        # % of the controlling holder's shares pledged
    bonds_outstanding: Mapped[Decimal] = mapped_column(Money)
    bonds_due_year: Mapped[Decimal] = mapped_column(Money)      # bonds maturing within 12 months
    note: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    listed = relationship("ListedCompany", lazy="joined")

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.pledge_ratio >= PLEDGE_WARNING:
            out.append(f"质押比例 {self.pledge_ratio}% ≥ {PLEDGE_WARNING}%")
        if self.bonds_due_year > 0:
            out.append("一年内有债券到期")
        return out


PLEDGE_WARNING = Decimal("50")


class JointReview(db.Model):
    """每半年: the joint risk review of listed companies by 金融监管、人行、税务、社保、网信、电力 …"""

    __tablename__ = "finrisk_joint_reviews"
    __table_args__ = (UniqueConstraint("year", "half"), CheckConstraint("half IN (1, 2)", name="half"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    half: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[str] = mapped_column(Text)
    findings: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class EvasionEntry(db.Model):
    """恶意逃废银行债务: an enterprise or a person on the blacklist (联合惩戒)."""

    __tablename__ = "finrisk_evasion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # an enterprise, or a person (name + keyed hash of the ID number) with the enterprise they run
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    person_name: Mapped[str] = mapped_column(String(50), default="")
    person_id_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    person_id_masked: Mapped[str] = mapped_column(String(18), default="")
    found_on: Mapped[date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(Text)
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    lifted_on: Mapped[date | None] = mapped_column(Date)
    lift_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    enterprise = relationship("Enterprise", lazy="joined")
    bank = relationship("Unit", lazy="joined")

    @property
    def is_person(self) -> bool:
        return bool(self.person_name)

    def in_force(self, on: date) -> bool:
        return self.found_on <= on and (self.lifted_on is None or on < self.lifted_on)


from govsvc.finrisk import blacklist as _blacklist  # noqa: E402,F401  (registers the evasion flag source)
