"""Tables of govsvc.bankruptcy, second part: the case ledger (重大、敏感案件台账) with its risk
assessments, disposal plans, leadership group and progress; progress circulars; the member
units' periodic lists; typical cases."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsvc.extensions import db
from govsvc.timeutil import utcnow
from govsvc.types import Money, UTCDateTime
from scoring.bankruptcy import (CIRCULAR_PREFIX, LIST_KINDS, OPINION_LEVELS, PROCEDURES, RISK_LEVELS,
                                document_number)

# A case's stages, in order. `warning`: registered before acceptance, assessed (受理预警);
# `rejected` and `concluded` end it.
STAGES = {
    "warning": "受理前预警评估",
    "accepted": "已受理",
    "claims": "债权申报与审查",
    "creditors_meeting": "债权人会议",
    "disposal": "财产变价处置",
    "plan": "重整计划/和解协议执行",
    "concluded": "程序终结",
    "rejected": "不予受理/撤回",
}
OPEN_STAGES = ("accepted", "claims", "creditors_meeting", "disposal", "plan")
FINAL_STAGES = ("concluded", "rejected")
GROUP_ROLES = {"leader": "组长", "deputy": "副组长", "member": "成员"}
TYPICAL_STATUSES = {"draft": "草稿", "published": "已发布"}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Case(db.Model):
    """A bankruptcy case (or a case before acceptance) of the major and sensitive case ledger."""

    __tablename__ = "bankruptcy_cases"
    __table_args__ = (CheckConstraint(_in("procedure", PROCEDURES), name="procedure"),
                      CheckConstraint(_in("stage", STAGES), name="stage"),
                      CheckConstraint("opinion BETWEEN 0 AND 3", name="opinion"),
                      CheckConstraint("risk_level IS NULL OR " + _in("risk_level", RISK_LEVELS), name="risk_level"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str | None] = mapped_column(String(60), unique=True)   # 案号, given at acceptance
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("bankruptcy_courts.id"), index=True)
    administrator_id: Mapped[int | None] = mapped_column(ForeignKey("bankruptcy_administrators.id"), index=True)
    procedure: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20), default="warning", index=True)
    major: Mapped[bool] = mapped_column(Boolean, default=False, index=True)   # 重大、敏感
    applicant: Mapped[str] = mapped_column(String(200), default="")
    applied_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    creditors: Mapped[int] = mapped_column(Integer, default=0)
    employees: Mapped[int] = mapped_column(Integer, default=0)
    wage_arrears: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    debts: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    assets: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    guarantees: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    opinion: Mapped[int] = mapped_column(Integer, default=0)
    risk_score: Mapped[int | None] = mapped_column(Integer)
    risk_level: Mapped[str | None] = mapped_column(String(10), index=True)
    handover_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enterprise = relationship("Enterprise", lazy="joined")
    court = relationship("Court", lazy="joined")
    administrator = relationship("Administrator", lazy="joined")
    handover_matter = relationship("Matter")
    assessments: Mapped[list["RiskAssessment"]] = relationship(back_populates="case", order_by="RiskAssessment.id.desc()")
    plans: Mapped[list["DisposalPlan"]] = relationship(back_populates="case", order_by="DisposalPlan.id.desc()")
    group: Mapped[list["GroupMember"]] = relationship(back_populates="case", order_by="(GroupMember.role, GroupMember.id)",
                                                      cascade="all, delete-orphan")
    events: Mapped[list["CaseEvent"]] = relationship(back_populates="case", order_by="CaseEvent.id")

    @property
    def procedure_label(self) -> str:
        return PROCEDURES.get(self.procedure, self.procedure)

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def risk_label(self) -> str:
        return RISK_LEVELS.get(self.risk_level or "", "未评估")

    @property
    def opinion_label(self) -> str:
        return OPINION_LEVELS.get(self.opinion, str(self.opinion))

    @property
    def title(self) -> str:
        return f"{self.enterprise.name}{self.procedure_label}" + (f"（{self.case_number}）" if self.case_number else "")

    @property
    def is_open(self) -> bool:
        return self.stage not in FINAL_STAGES


class RiskAssessment(db.Model):
    """One risk assessment before acceptance, with the inputs, the rule text it used and the result."""

    __tablename__ = "bankruptcy_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("bankruptcy_cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    inputs: Mapped[str] = mapped_column(Text)      # JSON
    breakdown: Mapped[str] = mapped_column(Text)   # JSON: the factor scores and reasons
    rules: Mapped[str] = mapped_column(Text)       # the TOML text used
    score: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(10))

    case: Mapped[Case] = relationship(back_populates="assessments")

    @property
    def level_label(self) -> str:
        return RISK_LEVELS.get(self.level, self.level)


class DisposalPlan(db.Model):
    """处置方案 drawn up before accepting a high-risk case (versions kept; the newest counts)."""

    __tablename__ = "bankruptcy_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("bankruptcy_cases.id"), index=True)
    stability: Mapped[str] = mapped_column(Text, default="")    # 维稳与信访化解
    employees: Mapped[str] = mapped_column(Text, default="")    # 职工安置
    opinion: Mapped[str] = mapped_column(Text, default="")      # 舆情应对
    assets: Mapped[str] = mapped_column(Text, default="")       # 资产保全与处置
    units: Mapped[str] = mapped_column(Text, default="")        # 责任分工
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="plans")


class GroupMember(db.Model):
    """A member of a major case's leadership coordination group (court and local government)."""

    __tablename__ = "bankruptcy_group_members"
    __table_args__ = (CheckConstraint(_in("role", GROUP_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("bankruptcy_cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")
    name: Mapped[str] = mapped_column(String(50))
    post: Mapped[str] = mapped_column(String(100), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    case: Mapped[Case] = relationship(back_populates="group")
    unit = relationship("Unit", lazy="joined")

    @property
    def role_label(self) -> str:
        return GROUP_ROLES.get(self.role, self.role)


class CaseEvent(db.Model):
    """A case's progress: stage changes and notes (for the progress circulars)."""

    __tablename__ = "bankruptcy_case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("bankruptcy_cases.id"), index=True)
    on: Mapped[date] = mapped_column(Date, index=True)
    stage: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64), default="")

    case: Mapped[Case] = relationship(back_populates="events")

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)


class ProgressCircular(db.Model):
    """A progress circular (重大案件进展通报) of one period, numbered 府院通报〔YYYY〕N号, its content
    frozen at issue."""

    __tablename__ = "bankruptcy_circulars"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(10), unique=True)
    period_label: Mapped[str] = mapped_column(String(30))
    issued_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)   # JSON
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issuer: Mapped[str] = mapped_column(String(100), default="")

    @property
    def number(self) -> str:
        return document_number(CIRCULAR_PREFIX, self.year, self.seq)


class ListEntry(db.Model):
    """One enterprise on a member unit's periodic list (吊销、欠税、产能淘汰、停产、困境、互联互保)."""

    __tablename__ = "bankruptcy_list_entries"
    __table_args__ = (UniqueConstraint("kind", "period", "unit_id", "enterprise_id"),
                      CheckConstraint(_in("kind", LIST_KINDS), name="kind"),
                      Index("ix_bankruptcy_list_entries_kind_unit_start", "kind", "unit_id", "period_start"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    detail: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enterprise = relationship("Enterprise", lazy="joined")
    unit = relationship("Unit", lazy="joined")

    @property
    def kind_label(self) -> str:
        return LIST_KINDS.get(self.kind, self.kind)


class TypicalCase(db.Model):
    """An anonymised typical case (典型案例) with its practical experience; published for everyone."""

    __tablename__ = "bankruptcy_typical_cases"
    __table_args__ = (CheckConstraint(_in("status", TYPICAL_STATUSES), name="status"),
                      CheckConstraint(_in("procedure", PROCEDURES), name="procedure"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    procedure: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)      # 基本案情 (anonymised)
    practice: Mapped[str] = mapped_column(Text)     # 府院联动做法与成效
    significance: Mapped[str] = mapped_column(Text, default="")   # 典型意义
    case_id: Mapped[int | None] = mapped_column(ForeignKey("bankruptcy_cases.id"))
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    published_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case = relationship("Case")

    @property
    def procedure_label(self) -> str:
        return PROCEDURES.get(self.procedure, self.procedure)
