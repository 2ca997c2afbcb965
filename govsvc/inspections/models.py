"""Tables of the inspection ledger (双备案): plans and their items, the filings of plans with the
justice bureau, random draws, inspection results and their monthly filings, fines forwarded to
finance, quarterly circulars, and enterprises' reports."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (Boolean, CheckConstraint, Column, Date, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from govsvc.extensions import db
from govsvc.timeutil import local_datetime, local_today, utcnow
from govsvc.types import Money, UTCDateTime
from scoring import inspections as core

# Plan statuses: the owner drafts; a county unit submits to its system's city unit (a city
# unit marks its own plan ready the same way); the city unit files a batch with justice, which
# accepts (备案) or returns it with a reason.
DRAFT, SUBMITTED, FILED, ACCEPTED, RETURNED = "draft", "submitted", "filed", "accepted", "returned"
PLAN_STATUS_LABELS = {DRAFT: "起草中", SUBMITTED: "已报送市级部门", FILED: "已报司法局待审", ACCEPTED: "已备案",
                      RETURNED: "已退回"}
EDITABLE = frozenset({DRAFT, RETURNED})
# Item check statuses (set when the plan reaches justice).
PENDING, OK, REFUSED = "pending", "ok", "refused"
ITEM_STATUS_LABELS = {PENDING: "待审核", OK: "通过", REFUSED: "不予备案"}
FILING_STATUS_LABELS = {"pending": "待审核", "accepted": "已备案", "returned": "已退回"}
CONCLUSIONS = {"clear": "未发现违法行为", "penalty": "作出行政处罚"}
# Inspection categories (检查类别): the B cap counts inspections of the same category, so units
# choose from one list rather than typing their own words.
CATEGORIES = ("食品安全", "药品医疗器械", "特种设备安全", "产品质量", "价格与市场秩序", "知识产权", "生态环境保护",
              "安全生产", "消防安全", "劳动保障", "税收征管", "建设工程质量", "交通运输", "卫生健康", "治安管理",
              "统计", "其他")
PENALTY_TYPES = ("警告", "罚款", "没收违法所得", "没收非法财物", "责令停产停业", "暂扣许可证件", "吊销许可证件",
                 "限制从业", "其他")

filing_plans = Table(
    "inspection_filing_plans", db.metadata,
    Column("filing_id", ForeignKey("inspection_plan_filings.id"), primary_key=True),
    Column("plan_id", ForeignKey("inspection_plans.id"), primary_key=True),
)


def _local_date(value: datetime | None) -> date | None:
    return local_datetime(value).date() if value else None


class InspectionPlan(db.Model):
    __tablename__ = "inspection_plans"
    __table_args__ = (
        CheckConstraint("period IN ('annual', 'quarterly', 'monthly', 'temporary')", name="period"),
        CheckConstraint("status IN ('draft', 'submitted', 'filed', 'accepted', 'returned')", name="status"),
        # One regular plan per unit and period ("annual:2027", "quarterly:2027:1"); temporary: NULL.
        UniqueConstraint("unit_id", "slot"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[int | None] = mapped_column(Integer)  # quarter 1–4 or month 1–12
    slot: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")  # a temporary plan's special circumstances
    status: Mapped[str] = mapped_column(String(12), default=DRAFT, index=True)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When it first reached justice (timeliness is judged on this), and the latest time.
    first_filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    filing_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_plan_filings.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit", lazy="joined")
    items: Mapped[list["PlanItem"]] = relationship(back_populates="plan", order_by="PlanItem.id",
                                                   cascade="all, delete-orphan")
    events: Mapped[list["PlanEvent"]] = relationship(back_populates="plan", order_by="PlanEvent.id",
                                                     cascade="all, delete-orphan")
    filing: Mapped["PlanFiling | None"] = relationship(foreign_keys=[filing_id])
    # The number of items, counted by the database where a list asks for it (plans_query), so a
    # list of plans never loads the items themselves.
    item_count: Mapped[int | None] = query_expression()

    @property
    def period_label(self) -> str:
        return core.PERIOD_LABELS[self.period]

    @property
    def period_name(self) -> str:
        return core.period_label(self.period, self.year, self.number)

    @property
    def status_label(self) -> str:
        if self.status == SUBMITTED and self.unit.level != "county":
            return "已完成编制，待报司法局"   # a city unit's own plan is not sent to a city unit
        return PLAN_STATUS_LABELS[self.status]

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def first_filed_on(self) -> date | None:
        return _local_date(self.first_filed_at)

    @property
    def filed_on(self) -> date | None:
        return _local_date(self.filed_at)

    @property
    def late(self) -> bool:
        """Reached justice for the first time after its due date."""
        return self.first_filed_on is not None and core.is_late(self.first_filed_on, self.due_date)

    @property
    def overdue(self) -> bool:
        """Due date passed and it has never reached justice."""
        return self.first_filed_at is None and self.due_date is not None and local_today() > self.due_date


class PlanItem(db.Model):
    __tablename__ = "inspection_plan_items"
    __table_args__ = (
        CheckConstraint("basis IN ('random', 'complaint', 'environment', 'safety', 'statutory')", name="basis"),
        CheckConstraint("check_status IN ('pending', 'ok', 'refused')", name="check_status"),
        # Either a named enterprise, or a random-draw task for a number of enterprises.
        CheckConstraint("(enterprise_id IS NOT NULL AND draw_count IS NULL) OR "
                        "(enterprise_id IS NULL AND draw_count > 0 AND basis = 'random')", name="target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plans.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    draw_count: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(50), index=True)
    basis: Mapped[str] = mapped_column(String(12))
    ground: Mapped[str] = mapped_column(String(200), default="")  # complaint number or legal provision
    planned_date: Mapped[date] = mapped_column(Date, index=True)
    planned_end: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    check_status: Mapped[str] = mapped_column(String(10), default=PENDING)
    violation: Mapped[str] = mapped_column(String(20), default="")
    grade: Mapped[str] = mapped_column(String(1), default="")  # the grade the check used
    explanation: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The annual item this quarterly or monthly item carries out: one inspection, one B-cap place.
    carries_out_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_plan_items.id"), index=True)
    # Cancelled by an accepted plan change (F5): it may no longer be carried out.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")

    plan: Mapped[InspectionPlan] = relationship(back_populates="items")
    enterprise = relationship("Enterprise", lazy="joined")
    draw: Mapped["Draw | None"] = relationship(back_populates="item", uselist=False)
    carries_out: Mapped["PlanItem | None"] = relationship(remote_side=[id])

    @property
    def inspection_id(self) -> int:
        """The item whose inspection this is (itself, or the annual item it carries out)."""
        return self.carries_out_id or self.id

    @property
    def is_draw_task(self) -> bool:
        return self.enterprise_id is None

    @property
    def basis_label(self) -> str:
        return core.BASIS_LABELS[self.basis]

    @property
    def status_label(self) -> str:
        return ITEM_STATUS_LABELS[self.check_status]

    @property
    def target_label(self) -> str:
        return self.enterprise.name if self.enterprise else f"双随机抽取 {self.draw_count} 家"

    @property
    def usable(self) -> bool:
        """An inspection may be carried out under this item (its plan is 备案, the item passed and
        was not cancelled by a plan change)."""
        return self.plan.status == ACCEPTED and self.check_status == OK and self.cancelled_at is None


class PlanEvent(db.Model):
    __tablename__ = "inspection_plan_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plans.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[InspectionPlan] = relationship(back_populates="events")


class PlanFiling(db.Model):
    """A city unit's filing with the justice bureau: its system's plans of one period (汇总报备)."""

    __tablename__ = "inspection_plan_filings"
    __table_args__ = (CheckConstraint("status IN ('pending', 'accepted', 'returned')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int | None] = mapped_column(Integer)
    due_date: Mapped[date | None] = mapped_column(Date)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit", lazy="joined")
    plans: Mapped[list[InspectionPlan]] = relationship(secondary=filing_plans, order_by="InspectionPlan.id")

    @property
    def period_name(self) -> str:
        return core.period_label(self.period, self.year, self.number)

    @property
    def status_label(self) -> str:
        return FILING_STATUS_LABELS[self.status]

    @property
    def late(self) -> bool:
        return core.is_late(_local_date(self.filed_at), self.due_date)


class Draw(db.Model):
    """A random draw (双随机) for a draw-task item: the eligible lists are frozen and the seed's
    SHA-256 published first; the seed is revealed with the result. One draw per task."""

    __tablename__ = "inspection_draws"
    __table_args__ = (CheckConstraint("status IN ('prepared', 'drawn')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_plan_items.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    category: Mapped[str] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    per_team: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(200), default="")  # the candidate filter, in words
    seed: Mapped[str] = mapped_column(String(64))
    commitment: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="prepared")
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    prepared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Published rules of the draw (issue 12): C's weight, the per-inspector limit, the A scope.
    c_weight: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    max_load: Mapped[int | None] = mapped_column(Integer)
    a_scope: Mapped[str] = mapped_column(String(10), default="all", server_default="all")

    item: Mapped[PlanItem] = relationship(back_populates="draw")
    unit = relationship("Unit", lazy="joined")
    candidates: Mapped[list["DrawCandidate"]] = relationship(back_populates="draw", order_by="DrawCandidate.position",
                                                             cascade="all, delete-orphan")
    inspectors: Mapped[list["DrawInspector"]] = relationship(back_populates="draw", order_by="DrawInspector.position",
                                                             cascade="all, delete-orphan")

    @property
    def drawn(self) -> bool:
        return self.status == "drawn"

    @property
    def revealed_seed(self) -> str | None:
        return self.seed if self.drawn else None


class DrawCandidate(db.Model):
    __tablename__ = "inspection_draw_candidates"
    __table_args__ = (UniqueConstraint("draw_id", "credit_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("inspection_draws.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    credit_code: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(200))
    grade: Mapped[str] = mapped_column(String(1), default="")
    excluded: Mapped[str] = mapped_column(String(20), default="")  # a_exempt / b_over_limit / ""
    pick_rank: Mapped[int | None] = mapped_column(Integer)
    team: Mapped[str] = mapped_column(String(300), default="")  # inspector codes, "；"-separated
    weight: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    draw: Mapped[Draw] = relationship(back_populates="candidates")


class DrawInspector(db.Model):
    __tablename__ = "inspection_draw_inspectors"
    __table_args__ = (UniqueConstraint("draw_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("inspection_draws.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(50))
    unit_name: Mapped[str] = mapped_column(String(200))

    draw: Mapped[Draw] = relationship(back_populates="inspectors")


class DrawRecusal(db.Model):
    """A recusal frozen into a draw's published lists: the inspector is never drawn for the enterprise."""

    __tablename__ = "inspection_draw_recusals"
    __table_args__ = (UniqueConstraint("draw_id", "code", "credit_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("inspection_draws.id"), index=True)
    code: Mapped[str] = mapped_column(String(50))          # inspector code
    credit_code: Mapped[str] = mapped_column(String(18))

    draw: Mapped[Draw] = relationship(backref="recusals")


class Recusal(db.Model):
    """An official's declared recusal (回避) from an enterprise, kept by the official's unit."""

    __tablename__ = "inspection_recusals"
    __table_args__ = (Index("ix_inspection_recusals_person_enterprise", "person_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person = relationship("Person", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")


class UnitCategory(db.Model):
    """A unit's legal inspection categories (F1 划分执法权限和范围), kept by the justice bureau.
    A unit with no rows is not restricted; a county unit without its own uses its system's."""

    __tablename__ = "inspection_unit_categories"
    __table_args__ = (UniqueConstraint("unit_id", "category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    category: Mapped[str] = mapped_column(String(50))
    basis: Mapped[str] = mapped_column(String(300), default="")   # the law that grants the power


CHANGE_STATUS_LABELS = {"draft": "起草中", "filed": "待司法局审核", "accepted": "已备案", "returned": "已退回"}
CHANGE_OPS = {"add": "增加事项", "cancel": "取消事项", "reschedule": "调整日期"}


class PlanChange(db.Model):
    """A change request (调整检查计划, F5) to an accepted plan: lines that add, cancel or
    reschedule items, in force only when the justice bureau accepts it."""

    __tablename__ = "inspection_plan_changes"
    __table_args__ = (CheckConstraint("status IN ('draft', 'filed', 'accepted', 'returned')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plans.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_note: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[InspectionPlan] = relationship(backref="changes")
    lines: Mapped[list["PlanChangeLine"]] = relationship(back_populates="change", order_by="PlanChangeLine.id",
                                                         cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        return CHANGE_STATUS_LABELS[self.status]


class PlanChangeLine(db.Model):
    __tablename__ = "inspection_plan_change_lines"
    __table_args__ = (CheckConstraint("op IN ('add', 'cancel', 'reschedule')", name="op"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("inspection_plan_changes.id"), index=True)
    op: Mapped[str] = mapped_column(String(10))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_plan_items.id"))  # cancel, reschedule; add: the new item
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    category: Mapped[str] = mapped_column(String(50), default="")
    basis: Mapped[str] = mapped_column(String(12), default="")
    ground: Mapped[str] = mapped_column(String(200), default="")
    planned_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    violation: Mapped[str] = mapped_column(String(20), default="")
    explanation: Mapped[str] = mapped_column(Text, default="")

    change: Mapped[PlanChange] = relationship(back_populates="lines")
    item: Mapped[PlanItem | None] = relationship()
    enterprise = relationship("Enterprise", lazy="joined")

    @property
    def op_label(self) -> str:
        return CHANGE_OPS[self.op]


class ResultFiling(db.Model):
    """A city unit's monthly filing of its system's inspection results (事后备案)."""

    __tablename__ = "inspection_result_filings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit", lazy="joined")
    results: Mapped[list["InspectionResult"]] = relationship(back_populates="filing",
                                                             order_by="InspectionResult.inspected_on")

    @property
    def late(self) -> bool:
        return core.is_late(_local_date(self.filed_at), self.due_date)


class FineTransfer(db.Model):
    """Fines of filed results forwarded by the justice bureau to finance (转报财政局)."""

    __tablename__ = "inspection_fine_transfers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class InspectionResult(db.Model):
    __tablename__ = "inspection_results"
    __table_args__ = (
        CheckConstraint("conclusion IN ('clear', 'penalty')", name="conclusion"),
        CheckConstraint("status IN ('draft', 'filed')", name="status"),
        CheckConstraint("fine >= 0", name="fine"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_plan_items.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    inspected_on: Mapped[date] = mapped_column(Date, index=True)
    inspectors: Mapped[str] = mapped_column(String(300), default="")
    category: Mapped[str] = mapped_column(String(50))
    basis: Mapped[str] = mapped_column(String(12))
    conclusion: Mapped[str] = mapped_column(String(10))
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    penalty_type: Mapped[str] = mapped_column(String(30), default="")
    fine: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    grade: Mapped[str] = mapped_column(String(1), default="")  # grading in force on the inspection day
    unfiled: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    unfiled_reason: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    filing_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_result_filings.id"), index=True)
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_fine_transfers.id"), index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")
    item: Mapped[PlanItem | None] = relationship()
    filing: Mapped[ResultFiling | None] = relationship(back_populates="results")
    transfer: Mapped[FineTransfer | None] = relationship()

    @property
    def conclusion_label(self) -> str:
        return CONCLUSIONS[self.conclusion]

    @property
    def basis_label(self) -> str:
        return core.BASIS_LABELS[self.basis]


class Circular(db.Model):
    """A quarterly circular (季度通报) as issued: the figures are frozen in `data` (JSON)."""

    __tablename__ = "inspection_circulars"
    __table_args__ = (UniqueConstraint("year", "quarter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    remarks: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


REPORT_KINDS = {
    "repeated": "重复检查、多头检查",
    "unfiled": "未备案擅自检查",
    "exemption": "违反免检免扰规定",
    "penalty": "随意处罚、违规罚款",
    "other": "其他损害企业合法权益的行为",
}


class EnterpriseReport(db.Model):
    """A report (举报) by an enterprise head; handled by justice as a matter on the ledger."""

    __tablename__ = "inspection_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(String(20))
    incident_date: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit = relationship("Unit", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")
    matter = relationship("Matter", lazy="joined")

    @property
    def kind_label(self) -> str:
        return REPORT_KINDS.get(self.kind, self.kind)
