"""Tables of the A/B/C inspection-exemption grading (免检免扰评级).

EnforcementRecord   a unit's inspection or penalty of an enterprise (the grading's input)
GradingRound        one year's grading: rules, status (draft → computed → submitted → published)
RoundUnit           a grading unit's part in a round: it applies its rule or uploads a list
UnitGrade           one row of a unit's uploaded A/B/C list
GradingResult       an enterprise's grade in a round: computed, final, as published, with reasons
GradeChange         every manual change of a grade (adjustment, published downgrade, objection)
DowngradeProposal   a serious penalty entered after publication, proposing a worse grade
Objection           an enterprise's objection to its grade (a matter on the ledger)
Complaint           an enterprise's complaint that a unit broke the exemption (a matter on the ledger)
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsvc.extensions import db
from govsvc.timeutil import utcnow
from govsvc.types import Money, UTCDateTime
from scoring.grading import OUTCOME_LABELS

GRADE_CHECK = "IN ('A', 'B', 'C')"

DRAFT, COMPUTED, SUBMITTED, RETURNED, PUBLISHED = "draft", "computed", "submitted", "returned", "published"
ROUND_STATUS_LABELS = {
    DRAFT: "单位评级中",
    COMPUTED: "已综合评定",
    SUBMITTED: "待领导审定",
    RETURNED: "已退回修改",
    PUBLISHED: "已公布",
}
METHOD_LABELS = {"rule": "按默认规则评定", "list": "上报本单位名单"}
CHANGE_LABELS = {"adjust": "人工调整", "downgrade": "动态降级", "objection": "异议改正"}
PROPOSAL_LABELS = {"pending": "待处理", "accepted": "已降级", "rejected": "不予降级"}
OBJECTION_DECISIONS = {"upheld": "异议成立", "rejected": "异议不成立"}
COMPLAINT_FINDINGS = {"upheld": "投诉属实", "not_upheld": "投诉不属实"}


class EnforcementRecord(db.Model):
    __tablename__ = "enforcement_records"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "unit_id", "date", "decision_no"),
        CheckConstraint("outcome IN ('none', 'minor', 'serious')", name="outcome"),
        Index("ix_enforcement_records_date_outcome", "date", "outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))  # the unique key leads with it
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(10))
    fine: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    decision_no: Mapped[str] = mapped_column(String(100), default="")   # 行政处罚决定书文号
    description: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    enterprise = relationship("Enterprise", lazy="joined")
    unit = relationship("Unit", lazy="joined")

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)

    @property
    def label(self) -> str:
        """How the record is named in grading reasons: its date and decision number."""
        return f"{self.date.isoformat()} {self.decision_no}".strip()


class GradingRound(db.Model):
    __tablename__ = "grading_rounds"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'computed', 'submitted', 'returned', 'published')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(12), default=DRAFT)
    rules_toml: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    computed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    return_note: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    units: Mapped[list["RoundUnit"]] = relationship(back_populates="round", cascade="all, delete-orphan",
                                                    order_by="RoundUnit.id")

    @property
    def status_label(self) -> str:
        return ROUND_STATUS_LABELS.get(self.status, self.status)

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED


class RoundUnit(db.Model):
    __tablename__ = "grading_round_units"
    __table_args__ = (
        UniqueConstraint("round_id", "unit_id"),
        CheckConstraint("method IS NULL OR method IN ('rule', 'list')", name="method"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grading_rounds.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    method: Mapped[str | None] = mapped_column(String(10))        # None until the unit submits
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    submitted_by: Mapped[str] = mapped_column(String(64), default="")

    round: Mapped[GradingRound] = relationship(back_populates="units")
    unit = relationship("Unit", lazy="joined")

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method or "", "未提交")


class UnitGrade(db.Model):
    """One row of a unit's own uploaded A/B/C list (enterprises not on it get A from the unit)."""

    __tablename__ = "grading_unit_grades"
    __table_args__ = (
        UniqueConstraint("round_id", "unit_id", "enterprise_id"),
        CheckConstraint(f"grade {GRADE_CHECK}", name="grade"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grading_rounds.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    grade: Mapped[str] = mapped_column(String(1))
    reason: Mapped[str] = mapped_column(String(500), default="")

    enterprise = relationship("Enterprise", lazy="joined")


class GradingResult(db.Model):
    __tablename__ = "grading_results"
    __table_args__ = (
        UniqueConstraint("round_id", "enterprise_id"),
        Index("ix_grading_results_round_grade", "round_id", "grade"),
        CheckConstraint(f"computed_grade {GRADE_CHECK}", name="computed_grade"),
        CheckConstraint(f"grade {GRADE_CHECK}", name="grade"),
        CheckConstraint(f"published_grade IS NULL OR published_grade {GRADE_CHECK}", name="published_grade"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grading_rounds.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    computed_grade: Mapped[str] = mapped_column(String(1))     # what the rules gave
    grade: Mapped[str] = mapped_column(String(1))              # in force (adjustments, published changes)
    published_grade: Mapped[str | None] = mapped_column(String(1))  # as the leader approved it
    unit_grades: Mapped[str] = mapped_column(String(400), default="")   # "FGW:A;SCJ:C"
    unit_reasons: Mapped[str] = mapped_column(Text, default="{}")       # JSON {unit code: reason}
    reason: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[GradingRound] = relationship()
    enterprise = relationship("Enterprise", lazy="joined")

    @property
    def changed(self) -> bool:
        return self.grade != self.computed_grade

    def unit_rows(self) -> list[tuple[str, str, str]]:
        """(unit code, grade, reason) for every unit, in code order."""
        reasons = json.loads(self.unit_reasons or "{}")
        rows = []
        for part in filter(None, self.unit_grades.split(";")):
            code, _, grade = part.partition(":")
            rows.append((code, grade, reasons.get(code, "")))
        return rows


class GradeChange(db.Model):
    __tablename__ = "grading_changes"
    __table_args__ = (
        Index("ix_grading_changes_round_enterprise", "round_id", "enterprise_id"),
        CheckConstraint("kind IN ('adjust', 'downgrade', 'objection')", name="kind"),
        CheckConstraint(f"from_grade {GRADE_CHECK}", name="from_grade"),
        CheckConstraint(f"to_grade {GRADE_CHECK}", name="to_grade"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grading_rounds.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    kind: Mapped[str] = mapped_column(String(12))
    from_grade: Mapped[str] = mapped_column(String(1))
    to_grade: Mapped[str] = mapped_column(String(1))
    reason: Mapped[str] = mapped_column(Text)
    after_publication: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64), default="")

    @property
    def kind_label(self) -> str:
        return CHANGE_LABELS.get(self.kind, self.kind)


class DowngradeProposal(db.Model):
    __tablename__ = "grading_downgrade_proposals"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name="status"),
        Index("ix_grading_downgrade_proposals_status", "status", "round_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grading_rounds.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("enforcement_records.id"))
    from_grade: Mapped[str] = mapped_column(String(1))
    proposed_grade: Mapped[str] = mapped_column(String(1))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decision_note: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[GradingRound] = relationship()
    enterprise = relationship("Enterprise", lazy="joined")
    record: Mapped[EnforcementRecord] = relationship()

    @property
    def status_label(self) -> str:
        return PROPOSAL_LABELS.get(self.status, self.status)


class Objection(db.Model):
    __tablename__ = "grading_objections"
    __table_args__ = (
        CheckConstraint("decision IS NULL OR decision IN ('upheld', 'rejected')", name="decision"),
        CheckConstraint(f"new_grade IS NULL OR new_grade {GRADE_CHECK}", name="new_grade"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grading_rounds.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))   # the contested unit's grade; None: combined
    text: Mapped[str] = mapped_column(Text)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"))
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision: Mapped[str | None] = mapped_column(String(10))
    new_grade: Mapped[str | None] = mapped_column(String(1))
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str] = mapped_column(String(64), default="")

    round: Mapped[GradingRound] = relationship()
    enterprise = relationship("Enterprise", lazy="joined")
    unit = relationship("Unit", lazy="joined")
    matter = relationship("Matter", lazy="joined")

    @property
    def decision_label(self) -> str:
        return OBJECTION_DECISIONS.get(self.decision or "", "")


class Complaint(db.Model):
    __tablename__ = "grading_complaints"
    __table_args__ = (
        CheckConstraint("finding IS NULL OR finding IN ('upheld', 'not_upheld')", name="finding"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)   # the unit complained about
    inspection_date: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"))
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finding: Mapped[str | None] = mapped_column(String(12))
    finding_text: Mapped[str] = mapped_column(Text, default="")
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verified_by: Mapped[str] = mapped_column(String(64), default="")
    circular_text: Mapped[str] = mapped_column(Text, default="")
    circulated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    referred_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    referred_by: Mapped[str] = mapped_column(String(64), default="")

    enterprise = relationship("Enterprise", lazy="joined")
    unit = relationship("Unit", lazy="joined")
    matter = relationship("Matter", lazy="joined")

    @property
    def finding_label(self) -> str:
        return COMPLAINT_FINDINGS.get(self.finding or "", "")


class UnitContact(db.Model):
    """The joint-meeting system (企业评级评价部门联席会议, seed 002): each member unit's responsible
    leader (分管领导) and liaison officer (工作联络员), reported by the unit and kept by the justice
    bureau. One row per unit, replaced on each report."""

    __tablename__ = "grading_unit_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    leader_name: Mapped[str] = mapped_column(String(50))
    leader_post: Mapped[str] = mapped_column(String(100), default="")
    leader_phone: Mapped[str] = mapped_column(String(30), default="")
    liaison_name: Mapped[str] = mapped_column(String(50))
    liaison_post: Mapped[str] = mapped_column(String(100), default="")
    liaison_phone: Mapped[str] = mapped_column(String(30))
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    reported_by: Mapped[str] = mapped_column(String(64), default="")

    unit = relationship("Unit", lazy="joined")
