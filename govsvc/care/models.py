"""Tables of Module 5. Liaison, appeals and invitations here; tolerance (容错纠错), the political-
inspection ledgers, the green channel and honours in `models_support`, imported at the end.

Leader liaison (联络员制度): leader profiles, the yearly served list (联系服务对象名单) with its
entries, the leaders' division of enterprises (分工名单, city and county), contact records, the
counties' plans filed with the office (备案), and appeals (诉求, on the shared ledger). 站台
invitations: the office contacts of the six leaders' offices, invitations and their history."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsvc.extensions import db
from govsvc.ledger.service import register_module
from govsvc.timeutil import local_datetime, utcnow
from govsvc.types import Money, UTCDateTime
from scoring import liaison as core

# The ledger module of appeals. Nobody owns it by role: each level's unit sees its own matters, and
# who may act or 督办 at which level is decided by govsvc.care.appeals (its own page).
APPEAL_MODULE = "care"
register_module(APPEAL_MODULE, "企业诉求（联系服务）", set(), page="care.appeal_of_matter")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _local_date(value: datetime | None) -> date | None:
    return local_datetime(value).date() if value else None


class LeaderProfile(db.Model):
    """A city leader (a `leader` account; the office whose named contact handles his 站台
    invitations) or a county leader (kept by the county government, no account)."""

    __tablename__ = "care_leaders"
    __table_args__ = (CheckConstraint(_in("level", core.LEVEL_LABELS), name="level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    post: Mapped[str] = mapped_column(String(100), default="")       # 职务
    level: Mapped[str] = mapped_column(String(10), index=True)
    district: Mapped[str] = mapped_column(String(50), default="", index=True)  # a county leader's county
    # City: the leader's office (市委办, 人大办, 政府办, 政协办, 法院, 检察院); county: the county government.
    office_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    field: Mapped[str] = mapped_column(String(200), default="")      # 分管领域、熟悉专业领域
    duties: Mapped[str] = mapped_column(Text, default="")            # 工作分工
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", lazy="joined")
    office = relationship("Unit", lazy="joined")

    @property
    def level_label(self) -> str:
        return core.LEVEL_LABELS.get(self.level, self.level)

    @property
    def label(self) -> str:
        return f"{self.name}（{self.post}）" if self.post else self.name


class OfficeContact(db.Model):
    """The named person of a leaders' office (市委办 …) who receives the 邀请单 (kept by 工信局)."""

    __tablename__ = "care_office_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(50))
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit", lazy="joined")


LIST_STATUSES = {"draft": "草拟", "confirmed": "名单已确定", "published": "分工名单已印发"}


class LiaisonList(db.Model):
    """The year's served list: tax top-200 of the year before plus 30 new-format enterprises."""

    __tablename__ = "care_lists"
    __table_args__ = (CheckConstraint(_in("status", LIST_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    tax_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    new_format_shortfall: Mapped[int] = mapped_column(Integer, default=0)
    composed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def status_label(self) -> str:
        return LIST_STATUSES.get(self.status, self.status)

    @property
    def confirmed_on(self) -> date | None:
        return _local_date(self.confirmed_at)

    @property
    def published_on(self) -> date | None:
        return _local_date(self.published_at)


class ServedEnterprise(db.Model):
    """One enterprise of a year's list (a group's other members too, covered through the head)."""

    __tablename__ = "care_list_entries"
    __table_args__ = (UniqueConstraint("list_id", "enterprise_id"),
                      CheckConstraint(_in("source", core.SOURCE_LABELS), name="source"),
                      Index("ix_care_list_entries_list_source_rank", "list_id", "source", "rank"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("care_lists.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    source: Mapped[str] = mapped_column(String(12))
    rank: Mapped[int] = mapped_column(Integer)
    group_name: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[Decimal] = mapped_column(Money)
    via_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))

    enterprise = relationship("Enterprise", foreign_keys=[enterprise_id], lazy="joined")
    via = relationship("Enterprise", foreign_keys=[via_enterprise_id])

    @property
    def source_label(self) -> str:
        return core.SOURCE_LABELS.get(self.source, self.source)


class LiaisonAssignment(db.Model):
    """分工名单: a leader serves an enterprise in a year (one leader per enterprise and level)."""

    __tablename__ = "care_assignments"
    __table_args__ = (UniqueConstraint("year", "level", "enterprise_id"),
                      CheckConstraint(_in("level", core.LEVEL_LABELS), name="level"),
                      Index("ix_care_assignments_year_leader", "year", "leader_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(10))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("care_leaders.id"))
    district: Mapped[str] = mapped_column(String(50), default="", index=True)  # county level: the county
    note: Mapped[str] = mapped_column(String(200), default="")
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    enterprise = relationship("Enterprise", lazy="joined")
    leader: Mapped[LeaderProfile] = relationship(lazy="joined")

    @property
    def level_label(self) -> str:
        return core.LEVEL_LABELS.get(self.level, self.level)


CONTACT_KINDS = {
    "meet": "见面建联（交换联系方式、建立微信群）",
    "research": "蹲点调研",
    "visit": "走访",
    "call": "电话、微信联系",
    "symposium": "座谈会",
}


class LiaisonContact(db.Model):
    """A contact of a leader with a served enterprise (蹲点调研, visits, calls …)."""

    __tablename__ = "care_liaison_contacts"
    __table_args__ = (CheckConstraint(_in("kind", CONTACT_KINDS), name="kind"),
                      Index("ix_care_liaison_contacts_leader_day", "leader_id", "contact_on"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("care_leaders.id"))
    kind: Mapped[str] = mapped_column(String(12))
    contact_on: Mapped[date] = mapped_column(Date, index=True)
    summary: Mapped[str] = mapped_column(Text)
    problems: Mapped[str] = mapped_column(Text, default="")  # difficulties the enterprise raised
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enterprise = relationship("Enterprise", lazy="joined")
    leader: Mapped[LeaderProfile] = relationship(lazy="joined")

    @property
    def kind_label(self) -> str:
        return CONTACT_KINDS.get(self.kind, self.kind)


PLAN_STATUSES = {"draft": "起草中", "submitted": "已报送待备案", "accepted": "已备案", "returned": "已退回"}


class CountyPlan(db.Model):
    """A county's own liaison plan (参照市级做法), filed with the office (备案) by 10-20; with the
    county's 站台 telephone and its responsible person (参加企业活动服务联系电话，专人负责)."""

    __tablename__ = "care_county_plans"
    __table_args__ = (UniqueConstraint("unit_id", "year"), CheckConstraint(_in("status", PLAN_STATUSES), name="status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    hotline: Mapped[str] = mapped_column(String(50), default="")
    hotline_person: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    first_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    return_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit", lazy="joined")

    @property
    def status_label(self) -> str:
        return PLAN_STATUSES.get(self.status, self.status)

    @property
    def first_submitted_on(self) -> date | None:
        return _local_date(self.first_submitted_at)


APPEAL_CATEGORIES = {
    "land": "用地规划", "finance": "融资信贷", "approval": "审批手续", "labour": "用工人才", "energy": "水电气暖",
    "policy": "政策落实", "market": "市场开拓", "law": "涉法涉诉", "other": "其他",
}
APPEAL_CHANNELS = {"enterprise": "企业提出", "leader": "联系领导登记", "office": "联络员办公室登记"}
SATISFACTION = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}


class Appeal(db.Model):
    """An enterprise's appeal (诉求). Each level is a matter on the ledger (module "care", ref
    "care.appeal:<id>"): the liaison leader, the office, 市委/市政府 (escalation keeps the path)."""

    __tablename__ = "care_appeals"
    __table_args__ = (CheckConstraint(_in("level", core.APPEAL_LEVELS), name="level"),
                      CheckConstraint(_in("category", APPEAL_CATEGORIES), name="category"),
                      CheckConstraint(_in("channel", APPEAL_CHANNELS), name="channel"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("care_leaders.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(12))
    category: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("care_liaison_contacts.id"))
    level: Mapped[str] = mapped_column(String(10), default=core.LEADER_LEVEL)
    first_matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"))
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)  # the current level's
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    satisfaction: Mapped[str | None] = mapped_column(String(12))
    feedback: Mapped[str] = mapped_column(Text, default="")   # the enterprise's word on the answer
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enterprise = relationship("Enterprise", lazy="joined")
    leader: Mapped[LeaderProfile] = relationship(lazy="joined")
    matter = relationship("Matter", foreign_keys=[matter_id], lazy="joined")
    contact = relationship("LiaisonContact")

    @property
    def level_label(self) -> str:
        return core.APPEAL_LEVEL_LABELS.get(self.level, self.level)

    @property
    def category_label(self) -> str:
        return APPEAL_CATEGORIES.get(self.category, self.category)

    @property
    def channel_label(self) -> str:
        return APPEAL_CHANNELS.get(self.channel, self.channel)

    @property
    def satisfaction_label(self) -> str:
        return SATISFACTION.get(self.satisfaction or "", "")


class Invitation(db.Model):
    """An enterprise's invitation of a city leader to an activity (站台), with the no-benefit
    pledge; screened by 工信局 and routed with a numbered 邀请单, or sent directly to the
    enterprise's own liaison leader."""

    __tablename__ = "care_invitations"
    __table_args__ = (UniqueConstraint("year", "seq"),
                      CheckConstraint(_in("state", core.INVITATION_STATES), name="state"),
                      CheckConstraint(_in("route", core.ROUTE_LABELS), name="route"),
                      CheckConstraint(_in("kind", core.ACTIVITY_KINDS), name="kind"),
                      CheckConstraint("pledge", name="pledge"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    seq: Mapped[int | None] = mapped_column(Integer)           # the 邀请单's number in its year
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    route: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    activity_on: Mapped[date] = mapped_column(Date, index=True)
    activity_time: Mapped[str] = mapped_column(String(20), default="")
    place: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(50))
    contact_phone: Mapped[str] = mapped_column(String(30))
    wished_leader_id: Mapped[int | None] = mapped_column(ForeignKey("care_leaders.id"))
    pledge: Mapped[bool] = mapped_column(Boolean)              # 不搞利益输送 (the database refuses false)
    pledge_text: Mapped[str] = mapped_column(Text)
    # Screening (工信局) and routing: the invited leader and his office (the 邀请单's addressee).
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("care_leaders.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    screening_note: Mapped[str] = mapped_column(Text, default="")
    screened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The outcome that returns to the enterprise.
    attending_leader_id: Mapped[int | None] = mapped_column(ForeignKey("care_leaders.id"))
    outcome_note: Mapped[str] = mapped_column(Text, default="")   # decline reason, or arrangements
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended_note: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enterprise = relationship("Enterprise", lazy="joined")
    wished_leader = relationship("LeaderProfile", foreign_keys=[wished_leader_id])
    leader = relationship("LeaderProfile", foreign_keys=[leader_id], lazy="joined")
    attending_leader = relationship("LeaderProfile", foreign_keys=[attending_leader_id])
    office = relationship("Unit", lazy="joined")
    events: Mapped[list["InvitationEvent"]] = relationship(back_populates="invitation", order_by="InvitationEvent.id",
                                                           cascade="all, delete-orphan")

    @property
    def state_label(self) -> str:
        return core.INVITATION_STATES.get(self.state, self.state)

    @property
    def kind_label(self) -> str:
        return core.ACTIVITY_KINDS.get(self.kind, self.kind)

    @property
    def route_label(self) -> str:
        return core.ROUTE_LABELS.get(self.route, self.route)

    @property
    def number(self) -> str:
        return core.invitation_number(self.year, self.seq) if self.seq else ""


class InvitationEvent(db.Model):
    __tablename__ = "care_invitation_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("care_invitations.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64), default="")
    from_state: Mapped[str] = mapped_column(String(12), default="")
    to_state: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")

    invitation: Mapped[Invitation] = relationship(back_populates="events")

    @property
    def to_label(self) -> str:
        return core.INVITATION_STATES.get(self.to_state, self.to_state)


from govsvc.care.models_support import *  # noqa: E402,F401,F403  (the other half of the tables)
