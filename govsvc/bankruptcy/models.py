"""Tables of govsvc.bankruptcy: the mechanism's directory (settings, conveners, member units, duty
matrix, courts, administrators), meetings with their agenda, decisions and minutes, the module's
matters on the shared ledger (coordination matters by tier, tasks, letters), and — in
models_cases — cases, assessments, plans, circulars, the periodic lists and typical cases.

Every follow-up is a `Matter` of the shared ledger (module "bankruptcy"); its kind says what it
is: `coord.business` / `coord.topic` / `coord.joint` (a coordination matter at a meeting tier —
escalation goes up with `ledger.service.escalate`), `task` (a decision's task for a named unit),
`letter` (a 函告 awaiting its 函复), `handover.rescue` (a rescue handed over by the financial-risk
module). `MatterInfo` adds what the ledger does not hold.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Column, Date, ForeignKey, Integer, String, Table, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.ledger.service import register_module
from govsvc.timeutil import utcnow
from govsvc.types import UTCDateTime
from scoring.bankruptcy import LETTER_PREFIX, MINUTES_PREFIX, TIER_LABELS, TIERS, document_number

# The ledger kinds of the module.
COORD_KINDS = {f"coord.{t}": TIER_LABELS[t] for t in TIERS}
TASK = "task"
LETTER = "letter"
HANDOVER = "handover.rescue"
KIND_LABELS = {**{k: f"协调事项（{v}）" for k, v in COORD_KINDS.items()}, TASK: "议定任务", LETTER: "函告事项",
               HANDOVER: "司法介入移交"}

# The kinds of coordination matter (seed 000 "常态化研究处理…", seed 004, seed 001's duties).
MATTER_TYPES = {
    "livelihood": "民生保障/职工安置",
    "stability": "社会稳定",
    "takeover": "财产接管",
    "tax": "涉税事务",
    "disposal": "资产处置",
    "title": "产权瑕疵",
    "finance": "金融协调",
    "credit": "信用修复",
    "evasion": "打击逃废债",
    "criminal": "刑民交叉",
    "deregistration": "变更注销",
    "costs": "费用保障",
    "enforcement": "执行联动",
    "litigation": "出庭应诉",
    "investment": "招商引资/投资人招募",
    "safety": "安全生产",
    "environment": "生态环境手续",
    "zombie": "僵尸企业出清",
    "other": "其他",
}
CONVENER_TITLES = {"general": "总召集人", "deputy": "副总召集人", "convener": "召集人", "office_director": "办公室主任"}
ADMINISTRATOR_KINDS = {"law_firm": "律师事务所", "accounting_firm": "会计师事务所", "liquidation_group": "清算组",
                       "bankruptcy_firm": "破产清算事务所", "other": "其他"}
MEETING_STATUSES = {"planned": "筹备中", "held": "已召开", "issued": "纪要已印发"}
OUTCOMES = {"resolved": "议定", "escalated": "提交上一级会议", "carried": "继续研究"}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def coord_kind(tier: str) -> str:
    return f"coord.{tier}"


def tier_of(kind: str) -> str | None:
    return kind.split(".", 1)[1] if kind in COORD_KINDS else None


class Mechanism(db.Model):
    """The mechanism's settings (one row; defaults until the office saves them)."""

    __tablename__ = "bankruptcy_mechanism"
    __table_args__ = (CheckConstraint("joint_months IN (6, 12)", name="joint_months"),
                      CheckConstraint("topic_months IN (0, 3, 6)", name="topic_months"),
                      CheckConstraint("reply_days BETWEEN 1 AND 90", name="reply_days"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="市企业破产处置协调联动机制")
    established_on: Mapped[date] = mapped_column(Date)
    # 联席会议办公室: at the financial regulator (seed 000) or the court (seed 001).
    office_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    joint_months: Mapped[int] = mapped_column(Integer, default=6)    # 联席会议：每半年（6）或每年（12）
    topic_months: Mapped[int] = mapped_column(Integer, default=3)    # 专题会议：每季度（3）；0 不定期
    reply_days: Mapped[int] = mapped_column(Integer, default=15)     # 函复期限（日）
    risk_rules: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    office_unit = relationship("Unit", lazy="joined")


class Convener(db.Model):
    """总召集人、召集人、办公室主任 … (persons, not accounts)."""

    __tablename__ = "bankruptcy_conveners"
    __table_args__ = (CheckConstraint(_in("title", CONVENER_TITLES), name="title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(50))
    post: Mapped[str] = mapped_column(String(100), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit = relationship("Unit", lazy="joined")

    @property
    def title_label(self) -> str:
        return CONVENER_TITLES.get(self.title, self.title)


class Member(db.Model):
    """A member unit with its leader in charge (分管负责同志) and liaison (联络人)."""

    __tablename__ = "bankruptcy_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    leader_name: Mapped[str] = mapped_column(String(50), default="")
    leader_post: Mapped[str] = mapped_column(String(100), default="")
    liaison_name: Mapped[str] = mapped_column(String(50), default="")
    liaison_post: Mapped[str] = mapped_column(String(100), default="")
    liaison_phone: Mapped[str] = mapped_column(String(30), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit = relationship("Unit", lazy="joined")


class Duty(db.Model):
    """One row of the duty matrix (附件2): a kind of matter, its lead and supporting units."""

    __tablename__ = "bankruptcy_duties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    matter_type: Mapped[str] = mapped_column(String(20), unique=True)
    duty: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    units: Mapped[list["DutyUnit"]] = relationship(back_populates="duty", cascade="all, delete-orphan",
                                                   order_by="(DutyUnit.lead.desc(), DutyUnit.position)",
                                                   lazy="selectin")

    @property
    def type_label(self) -> str:
        return MATTER_TYPES.get(self.matter_type, self.matter_type)

    @property
    def lead_units(self):
        return [d.unit for d in self.units if d.lead]

    @property
    def support_units(self):
        return [d.unit for d in self.units if not d.lead]


class DutyUnit(db.Model):
    __tablename__ = "bankruptcy_duty_units"

    duty_id: Mapped[int] = mapped_column(ForeignKey("bankruptcy_duties.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    lead: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    duty: Mapped[Duty] = relationship(back_populates="units")
    unit = relationship("Unit", lazy="joined")


class Court(db.Model):
    """A court that hears bankruptcy cases (the intermediate court is a registry unit; district
    courts are kept here only)."""

    __tablename__ = "bankruptcy_courts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    district: Mapped[str] = mapped_column(String(50), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))


class Administrator(db.Model):
    """A bankruptcy administrator (管理人): a firm or a liquidation group, not a user."""

    __tablename__ = "bankruptcy_administrators"
    __table_args__ = (CheckConstraint(_in("kind", ADMINISTRATOR_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="law_firm")
    contact: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")

    @property
    def kind_label(self) -> str:
        return ADMINISTRATOR_KINDS.get(self.kind, self.kind)


meeting_units = Table(
    "bankruptcy_meeting_units", db.metadata,
    Column("meeting_id", ForeignKey("bankruptcy_meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True),
)


class Meeting(db.Model):
    """A 联席会议, 专题会议 or 业务会议: agenda, attendees, minutes (会议纪要) and decisions."""

    __tablename__ = "bankruptcy_meetings"
    __table_args__ = (CheckConstraint(_in("tier", TIERS), name="tier"),
                      CheckConstraint(_in("status", MEETING_STATUSES), name="status"),
                      UniqueConstraint("minutes_year", "minutes_seq"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tier: Mapped[str] = mapped_column(String(10), index=True)
    title: Mapped[str] = mapped_column(String(200))
    planned_on: Mapped[date] = mapped_column(Date, index=True)
    held_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="planned")
    chair: Mapped[str] = mapped_column(String(100), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    attendees: Mapped[str] = mapped_column(Text, default="")   # persons, free text
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_year: Mapped[int | None] = mapped_column(Integer)
    minutes_seq: Mapped[int | None] = mapped_column(Integer)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_by_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    units = relationship("Unit", secondary=meeting_units, order_by="Unit.code", lazy="selectin")
    proposed_by_unit = relationship("Unit", foreign_keys=[proposed_by_unit_id], lazy="joined")
    items: Mapped[list["AgendaItem"]] = relationship(back_populates="meeting", order_by="AgendaItem.id",
                                                     cascade="all, delete-orphan")
    decisions: Mapped[list["Decision"]] = relationship(back_populates="meeting", order_by="Decision.seq",
                                                       cascade="all, delete-orphan")

    @property
    def tier_label(self) -> str:
        return TIER_LABELS.get(self.tier, self.tier)

    @property
    def status_label(self) -> str:
        return MEETING_STATUSES.get(self.status, self.status)

    @property
    def minutes_number(self) -> str:
        return document_number(MINUTES_PREFIX, self.minutes_year, self.minutes_seq) if self.minutes_seq else ""


class AgendaItem(db.Model):
    """A coordination matter on a meeting's agenda and what the meeting made of it."""

    __tablename__ = "bankruptcy_agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "matter_id"),
                      CheckConstraint("outcome = '' OR " + _in("outcome", OUTCOMES), name="outcome"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("bankruptcy_meetings.id", ondelete="CASCADE"), index=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(10), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # The next tier's matter when the meeting escalated this one.
    upper_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    matter = relationship("Matter", foreign_keys=[matter_id], lazy="joined")

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, "待研究")


class Decision(db.Model):
    """A decision of a meeting (议定事项), on an agenda matter or on its own (e.g. a year's key
    tasks); its tasks are ledger matters of kind `task`."""

    __tablename__ = "bankruptcy_decisions"
    __table_args__ = (UniqueConstraint("meeting_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("bankruptcy_meetings.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    matter = relationship("Matter", foreign_keys=[matter_id], lazy="joined")


class MatterInfo(db.Model):
    """What a bankruptcy matter holds besides the ledger's fields."""

    __tablename__ = "bankruptcy_matters"
    __table_args__ = (CheckConstraint(_in("matter_type", MATTER_TYPES), name="matter_type"),)

    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), primary_key=True)
    matter_type: Mapped[str] = mapped_column(String(20), default="other", index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("bankruptcy_cases.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("bankruptcy_decisions.id"), index=True)
    proposed_by_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)

    matter = relationship("Matter", lazy="joined")
    case = relationship("Case", lazy="joined")
    decision = relationship("Decision", lazy="joined")
    proposed_by_unit = relationship("Unit", lazy="joined")

    @property
    def type_label(self) -> str:
        return MATTER_TYPES.get(self.matter_type, self.matter_type)


class Letter(db.Model):
    """A 函告 from the office to a unit (numbered 府院函〔YYYY〕N号) and the unit's 函复. The letter's
    follow-up is its own ledger matter (kind `letter`, deadline = reply due)."""

    __tablename__ = "bankruptcy_letters"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), unique=True)
    coord_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("bankruptcy_cases.id"), index=True)
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    reply_due: Mapped[date] = mapped_column(Date, index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issuer: Mapped[str] = mapped_column(String(100), default="")   # the office's name at issue
    replied_on: Mapped[date | None] = mapped_column(Date, index=True)
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    matter = relationship("Matter", foreign_keys=[matter_id], lazy="joined")
    coord_matter = relationship("Matter", foreign_keys=[coord_matter_id])
    to_unit = relationship("Unit", lazy="joined")
    case = relationship("Case")

    @property
    def number(self) -> str:
        return document_number(LETTER_PREFIX, self.year, self.seq)


from govsvc.bankruptcy.models_cases import (  # noqa: E402,F401  (the other tables, one metadata)
    RiskAssessment, Case, CaseEvent, ProgressCircular, DisposalPlan, GroupMember, ListEntry, TypicalCase)

# The module's matters on the shared ledger: the court and the financial regulator run the
# mechanism (the office sits with one of them); member units see and move their own matters.
register_module("bankruptcy", "破产处置", {R.COURT, R.FINANCE_REGULATOR}, page="bankruptcy.matter")
