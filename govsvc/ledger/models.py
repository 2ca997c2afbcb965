"""Matters and their status history."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.timeutil import local_today, utcnow
from govsvc.types import UTCDateTime

MODULES = {
    "general": "综合",
    "survey": "评议整改",
    "grading": "免检免扰",
    "inspections": "检查备案",
    "integrity": "涉企问题线索",
}


class Matter(db.Model):
    __tablename__ = "matters"
    __table_args__ = (Index("ix_matters_status_deadline", "status", "deadline"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    module: Mapped[str] = mapped_column(String(20), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(100), default="")
    # What the matter is about in its module, e.g. "survey.campaign:3/unit:12".
    ref: Mapped[str] = mapped_column(String(100), default="", index=True)
    responsible_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    deadline: Mapped[date | None] = mapped_column(Date)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    status: Mapped[str] = mapped_column(String(20), default=workflow.RECEIVED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The lower level's matter this one was escalated from (ledger.service.escalate).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)

    responsible_unit = relationship("Unit", lazy="joined")
    events: Mapped[list["MatterEvent"]] = relationship(
        back_populates="matter", order_by="MatterEvent.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return workflow.STATUS_LABELS.get(self.status, self.status)

    @property
    def module_label(self) -> str:
        return MODULES.get(self.module, self.module)

    @property
    def priority_label(self) -> str:
        return workflow.PRIORITY_LABELS.get(self.priority, self.priority)

    @property
    def overdue(self) -> bool:
        return workflow.is_overdue(self.status, self.deadline, local_today())

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return workflow.TRANSITIONS.get(self.status, ())


class MatterEvent(db.Model):
    __tablename__ = "matter_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64), default="")
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    # "" for a status change, or workflow.SUPERVISE (督办) / workflow.ESCALATE (提级).
    action: Mapped[str] = mapped_column(String(20), default="", server_default="")

    matter: Mapped[Matter] = relationship(back_populates="events")

    @property
    def to_label(self) -> str:
        if self.action == workflow.SUPERVISE:
            return workflow.ACTION_LABELS[self.action]
        return workflow.STATUS_LABELS.get(self.to_status, self.to_status)
