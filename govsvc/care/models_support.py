"""Tables of Module 5, second half: 容错纠错 (cases, their history, reading grants, 澄清正名 notices),
the 政法委 ledgers (涉企案件评查, 政治督察 problems, circulars), the green channel (services, catalogue
changes, 服务专员, problem reports, evaluations) and honours (lists, candidates, the 失信 list,
recommendations, meeting invitations). Follow-ups with deadlines are matters on the shared ledger
(modules "tolerance", "zfw", "green", registered below)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsvc.auth import roles as R
from govsvc.care.support import unit_code_of
from govsvc.extensions import db
from govsvc.ledger.service import register_module
from govsvc.timeutil import utcnow
from govsvc.types import UTCDateTime
from scoring import care as rules

__all__ = [
    "ToleranceCase", "ToleranceEvent", "ToleranceAccess", "Clarification", "CaseReview", "InspectionProblem",
    "ZfwCircular", "GreenService", "ServiceChange", "ServiceSpecialist", "ServiceFeedback", "ServiceEvaluation",
    "ServiceEvaluationRow", "HonourRound", "HonourCandidate", "DishonestEntry", "Recommendation",
    "MeetingInvitation", "MeetingInvitee",
]


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# == 容错纠错 ======================================================================================
SUBJECT_TYPES = {"entrepreneur": "党员企业家", "official": "公职人员"}
CHANNELS = {"self": "本人申请", "unit": "所在单位（党组织）申请", "discipline": "纪检监察机关主动启动",
            "online": "网上申请（企业服务门户）"}


class ToleranceCase(db.Model):
    """One 容错纠错 application (or 澄清正名 of a false accusation), numbered 容〔YYYY〕N号. `unit_id` is
    the unit concerned (an official's unit; for an entrepreneur the unit the matter arose with): unit
    discipline staff see the cases of the units they cover, like integrity files."""

    __tablename__ = "care_tolerance_cases"
    __table_args__ = (
        UniqueConstraint("year", "seq"),
        CheckConstraint(_in("kind", rules.KINDS), name="kind"),
        CheckConstraint(_in("subject_type", SUBJECT_TYPES), name="subject_type"),
        CheckConstraint(_in("stage", rules.STAGES), name="stage"),
        CheckConstraint("decision IS NULL OR " + _in("decision", rules.DECISIONS), name="decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default=rules.TOLERANCE)
    subject_type: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    subject_name: Mapped[str] = mapped_column(String(50))
    subject_post: Mapped[str] = mapped_column(String(100), default="")
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)  # None: 市纪委监委 itself
    channel: Mapped[str] = mapped_column(String(20))
    applied_on: Mapped[date] = mapped_column(Date)
    facts: Mapped[str] = mapped_column(Text)        # the problem as reported
    grounds: Mapped[str] = mapped_column(Text, default="")  # why 容错 should apply (the applicant's reasons)
    clue_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    applicant_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), default=rules.APPLIED, index=True)
    stage_started_on: Mapped[date] = mapped_column(Date)
    stage_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), unique=True)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    investigation_report: Mapped[str] = mapped_column(Text, default="")
    investigated_on: Mapped[date | None] = mapped_column(Date)
    participants: Mapped[str] = mapped_column(Text, default="")   # 会商研判: who took part
    factors: Mapped[str] = mapped_column(Text, default="{}")       # JSON {factor: for|against}
    deliberation: Mapped[str] = mapped_column(Text, default="")   # 研判意见
    decision: Mapped[str | None] = mapped_column(String(20))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    decision_text: Mapped[str] = mapped_column(Text, default="")
    rectify_by: Mapped[date | None] = mapped_column(Date)
    rectification_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), unique=True)
    rectified_on: Mapped[date | None] = mapped_column(Date)
    rectification_note: Mapped[str] = mapped_column(Text, default="")
    protection_note: Mapped[str] = mapped_column(Text, default="")  # 澄清保护 measures
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    person = relationship("Person", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")
    unit = relationship("Unit", lazy="joined")
    matter = relationship("Matter", foreign_keys=[matter_id])
    rectification_matter = relationship("Matter", foreign_keys=[rectification_matter_id])
    events: Mapped[list["ToleranceEvent"]] = relationship(back_populates="case", order_by="ToleranceEvent.id")
    clarification: Mapped["Clarification | None"] = relationship(back_populates="case", uselist=False)

    @property
    def number(self) -> str:
        return f"容〔{self.year}〕{self.seq}号"

    @property
    def kind_label(self) -> str:
        return rules.KINDS.get(self.kind, self.kind)

    @property
    def stage_label(self) -> str:
        return rules.STAGES.get(self.stage, self.stage)

    @property
    def decision_label(self) -> str:
        return rules.DECISIONS.get(self.decision or "", "")

    @property
    def subject_type_label(self) -> str:
        return SUBJECT_TYPES.get(self.subject_type, self.subject_type)

    @property
    def channel_label(self) -> str:
        return CHANNELS.get(self.channel, self.channel)

    @property
    def is_open(self) -> bool:
        return self.stage in rules.OPEN_STAGES


class ToleranceEvent(db.Model):
    """A case's history: each step, who, when, a note. Append-only."""

    __tablename__ = "care_tolerance_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_tolerance_cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64), default="")
    from_stage: Mapped[str] = mapped_column(String(20), default="")
    to_stage: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)  # the day the step took effect (may be before it was entered)
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[ToleranceCase] = relationship(back_populates="events")

    @property
    def to_label(self) -> str:
        return rules.STAGES.get(self.to_stage, self.to_stage)


class ToleranceAccess(db.Model):
    """A declared purpose for reading 容错 records (a case, or with no case the register), valid for a
    short time; every read under it is audited with it (the integrity module's rule)."""

    __tablename__ = "care_tolerance_access"
    __table_args__ = (Index("ix_care_tolerance_access_user_case", "user_id", "case_id", "expires_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("care_tolerance_cases.id"))
    purpose: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


CLARIFICATION_METHODS = {"meeting": "召开会议澄清", "notice": "公开通报", "both": "召开会议并公开通报"}


class Clarification(db.Model):
    """澄清正名: the public notice clearing an entrepreneur's (or official's) name. Public once published."""

    __tablename__ = "care_clarifications"
    __table_args__ = (CheckConstraint(_in("method", CLARIFICATION_METHODS), name="method"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("care_tolerance_cases.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(20))
    meeting_on: Mapped[date | None] = mapped_column(Date)
    published_on: Mapped[date] = mapped_column(Date, index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[ToleranceCase] = relationship(back_populates="clarification", lazy="joined")

    @property
    def method_label(self) -> str:
        return CLARIFICATION_METHODS.get(self.method, self.method)


# == 政法委 ledgers =================================================================================
CASE_TYPES = {"criminal": "刑事案件", "civil": "民商事案件", "administrative": "行政案件", "enforcement": "执行案件",
              "petition": "涉法涉诉信访案件"}
REVIEW_FINDINGS = {
    "no_issue": "未发现问题",
    "lenient": "建议依法从轻、减轻或免于处罚",
    "measures": "强制措施不当（查封、扣押、冻结或羁押），建议依法变更",
    "wrongful": "涉企冤错案件，建议依法纠正",
    "other": "其他问题，督促整改",
}


class CaseReview(db.Model):
    """涉企案件评查 by the 政法委's task force: a case of a court, procuratorate or police organ, the
    finding, and (unless nothing was found) a 督促 matter to the handling organ with a deadline."""

    __tablename__ = "care_case_reviews"
    __table_args__ = (
        UniqueConstraint("handling_unit_id", "case_number"),
        CheckConstraint(_in("case_type", CASE_TYPES), name="case_type"),
        CheckConstraint(_in("finding", REVIEW_FINDINGS), name="finding"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(100))          # 案号
    case_type: Mapped[str] = mapped_column(String(20))
    handling_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    summary: Mapped[str] = mapped_column(Text)
    reviewed_on: Mapped[date] = mapped_column(Date, index=True)
    minor: Mapped[bool] = mapped_column(Boolean, default=False)
    major_loss: Mapped[bool] = mapped_column(Boolean, default=False)
    causes: Mapped[str] = mapped_column(String(100), default="")   # comma-joined LENIENCY_CAUSES keys
    finding: Mapped[str] = mapped_column(String(20))
    opinion: Mapped[str] = mapped_column(Text, default="")
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    handling_unit = relationship("Unit", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")
    matter = relationship("Matter", lazy="joined")

    @property
    def case_type_label(self) -> str:
        return CASE_TYPES.get(self.case_type, self.case_type)

    @property
    def finding_label(self) -> str:
        return REVIEW_FINDINGS.get(self.finding, self.finding)

    @property
    def cause_labels(self) -> list[str]:
        return [rules.LENIENCY_CAUSES[c] for c in self.causes.split(",") if c in rules.LENIENCY_CAUSES]


PROBLEM_CATEGORIES = {
    "tolerance": "落实企业家容错纠错机制", "service": "服务保障企业发展", "safety": "保护企业家人身和财产安全",
    "other": "其他",
}


class InspectionProblem(db.Model):
    """A problem found by the 政法委's political inspection (政治督察) of a 政法 organ: 台账管理、限期整改.
    Rectified on the day the organ concluded its matter (its rectification report), which the 政法委
    then closes (销号); a return starts the clock again."""

    __tablename__ = "care_inspection_problems"
    __table_args__ = (CheckConstraint(_in("category", PROBLEM_CATEGORIES), name="category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch: Mapped[str] = mapped_column(String(100), index=True)   # 督察批次, e.g. 2026年第一轮政治督察
    found_on: Mapped[date] = mapped_column(Date, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    rectify_by: Mapped[date] = mapped_column(Date)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit", lazy="joined")
    matter = relationship("Matter", lazy="joined")

    @property
    def category_label(self) -> str:
        return PROBLEM_CATEGORIES.get(self.category, self.category)


class ZfwCircular(db.Model):
    """The 政法委's quarterly circular (定期通报) of political-inspection problems and case reviews, its
    figures frozen at issue (JSON)."""

    __tablename__ = "care_zfw_circulars"
    __table_args__ = (UniqueConstraint("year", "quarter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def title(self) -> str:
        return f"{self.year}年第{self.quarter}季度政法机关落实容错纠错机制情况通报"


# == green channel ==================================================================================
SERVICE_CATEGORIES = {
    "transport": "交通出行", "tourism": "旅游服务", "fitness": "体育健身", "medical": "医疗保健",
    "recuperation": "休假疗养", "schooling": "子女入学", "research": "科研服务", "approval": "审批服务",
    "other": "其他服务",
}
# 旅游服务、体育健身、医疗保健 are posted at the service venue; the others online or at the venue.
ONSITE_CATEGORIES = frozenset({"tourism", "fitness", "medical"})
NOTICE_MODES = {"onsite": "在承办机构显著位置公示", "online": "主管部门网上公示"}
SERVICE_STATUSES = {"active": "在目录中", "withdrawn": "已调出目录"}


class GreenService(db.Model):
    """One item of the service catalogue, with its responsible unit (主管部门), the notice posted for it
    (公示) and its implementation rules (实施细则), filed with the 高层次人才服务窗口 (备案)."""

    __tablename__ = "care_green_services"
    __table_args__ = (
        CheckConstraint(_in("category", SERVICE_CATEGORIES), name="category"),
        CheckConstraint(_in("notice_mode", NOTICE_MODES), name="notice_mode"),
        CheckConstraint(_in("status", SERVICE_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    venue: Mapped[str] = mapped_column(String(200), default="")
    notice_mode: Mapped[str] = mapped_column(String(10))
    notice_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    approved_on: Mapped[date] = mapped_column(Date)
    rules_due: Mapped[date | None] = mapped_column(Date)
    rules_text: Mapped[str] = mapped_column(Text, default="")
    rules_published_on: Mapped[date | None] = mapped_column(Date)
    filing_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    rules_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit = relationship("Unit", lazy="joined")
    rules_matter = relationship("Matter")

    @property
    def category_label(self) -> str:
        return SERVICE_CATEGORIES.get(self.category, self.category)

    @property
    def notice_mode_label(self) -> str:
        return NOTICE_MODES.get(self.notice_mode, self.notice_mode)

    @property
    def status_label(self) -> str:
        return SERVICE_STATUSES.get(self.status, self.status)


CHANGE_KINDS = {"add": "新增服务事项", "modify": "调整服务事项", "remove": "调出服务目录"}
CHANGE_STATUSES = {"proposed": "待领导小组审定", "approved": "已同意", "rejected": "未同意"}


class ServiceChange(db.Model):
    """A proposed change of the catalogue (服务事项动态调整), by 人才办 or 工信局, for the talent leading
    group (市人才工作领导小组) to approve; approved additions are announced at once and their rules follow."""

    __tablename__ = "care_service_changes"
    __table_args__ = (
        CheckConstraint(_in("kind", CHANGE_KINDS), name="kind"),
        CheckConstraint(_in("status", CHANGE_STATUSES), name="status"),
        CheckConstraint("category IS NULL OR " + _in("category", SERVICE_CATEGORIES), name="category"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("care_green_services.id"), index=True)
    category: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    venue: Mapped[str] = mapped_column(String(200), default="")
    notice_mode: Mapped[str] = mapped_column(String(10), default="online")
    notice_text: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="proposed", index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_note: Mapped[str] = mapped_column(Text, default="")

    service = relationship("GreenService")
    unit = relationship("Unit", foreign_keys=[unit_id], lazy="joined")
    proposed_unit = relationship("Unit", foreign_keys=[proposed_unit_id])

    @property
    def kind_label(self) -> str:
        return CHANGE_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return CHANGE_STATUSES.get(self.status, self.status)

    @property
    def category_label(self) -> str:
        return SERVICE_CATEGORIES.get(self.category or "", "")


class ServiceSpecialist(db.Model):
    """服务专员 of a unit (主管部门, 服务窗口 or 承接机构): 保姆式、一对一 service for entrepreneurs."""

    __tablename__ = "care_service_specialists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    post: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_on: Mapped[date | None] = mapped_column(Date)

    unit = relationship("Unit", lazy="joined")


RATINGS = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}


class ServiceFeedback(db.Model):
    """问题反馈: an excellent entrepreneur's report of unsatisfactory service, a matter on the ledger
    (module "green"): 人才办/工信局 receive it and hand it to the unit, the unit resolves it, 人才办/工信局
    answer and close it; the entrepreneur may rate the handling."""

    __tablename__ = "care_service_feedback"
    __table_args__ = (CheckConstraint("rating IS NULL OR " + _in("rating", RATINGS), name="rating"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("care_green_services.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the unit complained about
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    description: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), unique=True)
    rating: Mapped[str | None] = mapped_column(String(20))
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    service = relationship("GreenService", lazy="joined")
    unit = relationship("Unit", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")
    matter = relationship("Matter", lazy="joined")

    @property
    def rating_label(self) -> str:
        return RATINGS.get(self.rating or "", "")


class ServiceEvaluation(db.Model):
    """督查评估 of the green channel for a period, by 组织部 with 工信局; issued (frozen) with 通报整改
    matters for the units graded 一般 or 较差."""

    __tablename__ = "care_service_evaluations"
    __table_args__ = (UniqueConstraint("period_start", "period_end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    computed_on: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date | None] = mapped_column(Date)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rows: Mapped[list["ServiceEvaluationRow"]] = relationship(back_populates="evaluation",
                                                              order_by="ServiceEvaluationRow.score")


class ServiceEvaluationRow(db.Model):
    __tablename__ = "care_service_evaluation_rows"
    __table_args__ = (UniqueConstraint("evaluation_id", "unit_id"),
                      CheckConstraint(_in("grade", rules.GRADES), name="grade"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("care_service_evaluations.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    services: Mapped[int] = mapped_column(Integer, default=0)
    has_specialist: Mapped[bool] = mapped_column(Boolean)
    late_rules: Mapped[int] = mapped_column(Integer, default=0)
    feedback: Mapped[int] = mapped_column(Integer, default=0)
    late_feedback: Mapped[int] = mapped_column(Integer, default=0)
    dissatisfied: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(10))
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))

    evaluation: Mapped[ServiceEvaluation] = relationship(back_populates="rows")
    unit = relationship("Unit", lazy="joined")
    matter = relationship("Matter")

    @property
    def grade_label(self) -> str:
        return rules.GRADES.get(self.grade, self.grade)

    @property
    def circulated(self) -> bool:
        return self.grade in rules.CIRCULATED


# == honours =======================================================================================
ROUND_STATUSES = {"open": "推荐中", "submitted": "待审定", "published": "已公布"}
CANDIDATE_STATUSES = {"proposed": "已推荐", "listed": "入选", "excluded": "不符合条件", "withdrawn": "已撤回"}


class HonourRound(db.Model):
    """The yearly excellent-entrepreneur list (全市优秀企业家名单): 发改委、工信局、住建局 propose, the system
    checks each candidate, the leader approves and publishes."""

    __tablename__ = "care_honour_rounds"
    __table_args__ = (CheckConstraint(_in("status", ROUND_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    checked_on: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    return_note: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[date | None] = mapped_column(Date)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    candidates: Mapped[list["HonourCandidate"]] = relationship(back_populates="round",
                                                               order_by="HonourCandidate.id")

    @property
    def status_label(self) -> str:
        return ROUND_STATUSES.get(self.status, self.status)

    @property
    def title(self) -> str:
        return f"{self.year}年度全市优秀企业家名单"


class HonourCandidate(db.Model):
    __tablename__ = "care_honour_candidates"
    __table_args__ = (UniqueConstraint("round_id", "enterprise_id"),
                      CheckConstraint(_in("status", CANDIDATE_STATUSES), name="status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("care_honour_rounds.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    entrepreneur_name: Mapped[str] = mapped_column(String(50))
    post: Mapped[str] = mapped_column(String(100), default="")
    proposed_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deeds: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="proposed", index=True)
    eligible: Mapped[bool | None] = mapped_column(Boolean)
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of why not
    checked_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    round: Mapped[HonourRound] = relationship(back_populates="candidates", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")
    proposed_unit = relationship("Unit", lazy="joined")

    @property
    def status_label(self) -> str:
        return CANDIDATE_STATUSES.get(self.status, self.status)

    @property
    def reason_list(self) -> list[str]:
        import json

        return json.loads(self.reasons or "[]")


class DishonestEntry(db.Model):
    """失信被执行人 (a court's dishonest judgment-debtor list), imported; in force from `listed_on` until
    `removed_on` (信用惩戒解除). Registered as a flag source that bars honours."""

    __tablename__ = "care_dishonest_entries"
    __table_args__ = (UniqueConstraint("enterprise_id", "case_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    case_number: Mapped[str] = mapped_column(String(100))
    court: Mapped[str] = mapped_column(String(100))
    listed_on: Mapped[date] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)
    obligation: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enterprise = relationship("Enterprise", lazy="joined")


RECOMMENDATION_KINDS = {
    "npc": "人大代表候选人", "cppcc": "政协委员候选人", "title": "中央、省荣誉称号候选人",
    "federation": "工商联（商会）任职", "builder": "优秀中国特色社会主义事业建设者等评选表彰",
}
RECOMMENDATION_TARGETS = {"RDBGS": ("npc",), "ZXBGS": ("cppcc",), "ZZB": ("npc", "cppcc", "title", "builder"),
                          "RSJ": ("title", "builder"), "TZB": ("federation", "builder")}
RECOMMENDATION_STATUSES = {"sent": "已推荐，待答复", "adopted": "已采纳", "not_adopted": "未采纳"}
# The comprehensive evaluation (综合评价) of a non-public-economy person before a recommendation.
EVALUATION_ASPECTS = {
    "political": "政治表现", "law": "守法诚信", "tax": "纳税贡献", "business": "企业经营", "social": "履行社会责任",
}
EVALUATION_VERDICTS = {"qualified": "综合评价合格", "unqualified": "综合评价不合格"}


class Recommendation(db.Model):
    """A listed entrepreneur recommended to 人大常委会办公室/政协办公室/组织部/人社局/统战部 for 两代表一委员 or an
    honour, with the comprehensive evaluation record (综合评价: the five aspects, the verdict, and the
    facts the system found that day, frozen as JSON)."""

    __tablename__ = "care_recommendations"
    __table_args__ = (
        UniqueConstraint("candidate_id", "target_unit_id", "kind"),
        CheckConstraint(_in("kind", RECOMMENDATION_KINDS), name="kind"),
        CheckConstraint(_in("status", RECOMMENDATION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("care_honour_candidates.id"), index=True)
    target_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    evaluation: Mapped[str] = mapped_column(Text)   # JSON
    recommended_on: Mapped[date] = mapped_column(Date)
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recommended_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    status: Mapped[str] = mapped_column(String(20), default="sent", index=True)
    response_note: Mapped[str] = mapped_column(Text, default="")
    responded_on: Mapped[date | None] = mapped_column(Date)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    candidate = relationship("HonourCandidate", lazy="joined")
    target_unit = relationship("Unit", foreign_keys=[target_unit_id], lazy="joined")
    recommended_unit = relationship("Unit", foreign_keys=[recommended_unit_id])

    @property
    def kind_label(self) -> str:
        return RECOMMENDATION_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return RECOMMENDATION_STATUSES.get(self.status, self.status)


MEETING_KINDS = {
    "npc_standing": "列席人大常委会会议", "cppcc_forum": "政协委员企业家座谈会",
    "economic": "经济和产业发展类会议", "review": "专项工作评议、执法检查或立法调研", "other": "其他会议活动",
}
INVITEE_RESPONSES = {"invited": "待答复", "accepted": "接受邀请", "declined": "婉拒"}
DEFAULT_SEAT_NOTE = "安排企业家坐在会场中间位置"


class MeetingInvitation(db.Model):
    """An invitation for excellent entrepreneurs to sit in on a meeting (列席, 座谈, 参加会议)."""

    __tablename__ = "care_meeting_invitations"
    __table_args__ = (CheckConstraint(_in("kind", MEETING_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    host_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    meeting_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    seat_note: Mapped[str] = mapped_column(String(200), default=DEFAULT_SEAT_NOTE)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    host_unit = relationship("Unit", lazy="joined")
    invitees: Mapped[list["MeetingInvitee"]] = relationship(back_populates="invitation", order_by="MeetingInvitee.id")

    @property
    def kind_label(self) -> str:
        return MEETING_KINDS.get(self.kind, self.kind)


class MeetingInvitee(db.Model):
    __tablename__ = "care_meeting_invitees"
    __table_args__ = (UniqueConstraint("invitation_id", "enterprise_id"),
                      CheckConstraint(_in("response", INVITEE_RESPONSES), name="response"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("care_meeting_invitations.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    entrepreneur_name: Mapped[str] = mapped_column(String(50))
    response: Mapped[str] = mapped_column(String(10), default="invited")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(500), default="")

    invitation: Mapped[MeetingInvitation] = relationship(back_populates="invitees", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")

    @property
    def response_label(self) -> str:
        return INVITEE_RESPONSES.get(self.response, self.response)


# == the ledger modules ============================================================================
ZFW = "ZFW"                              # 市委政法委
ZFW_ORGANS = ("ZYFY", "JCY", "GAJ")      # 市法院、市检察院、市公安局
GREEN_OFFICES = ("RCB", "GXJ")           # 市人才办、市工业和信息化局: run the catalogue, receive problem reports
EVALUATORS = ("ZZB", "GXJ")              # 市委组织部 会同 市工业和信息化局: 督查评估
HONOUR_PROPOSERS = ("FGW", "GXJ", "ZJJ")  # 市发展改革委、市工业和信息化局、市住房城乡建设局
MEETING_HOSTS = ("SWBGS", "RDBGS", "ZFBGS", "ZXBGS", "TZB", "GXJ")


def _office_scope(codes: tuple[str, ...]):
    """Department users of these units own a module's matters (all of them); other department users
    only see the matters of their own unit (as the responsible unit)."""

    def scope(user):
        return None if unit_code_of(user) in codes else set()

    return scope


def _tolerance_scope(user):
    from govsvc.integrity.scope import covered_unit_ids

    return covered_unit_ids(user)


register_module("tolerance", "容错纠错", {R.DISCIPLINE}, sensitive=True, page="care.tol_matter",
                scope=_tolerance_scope)
register_module("zfw", "政法委台账", {R.DEPARTMENT}, scope=_office_scope((ZFW,)))
register_module("green", "绿色通道", {R.DEPARTMENT}, scope=_office_scope(GREEN_OFFICES))
