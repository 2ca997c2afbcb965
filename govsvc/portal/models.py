"""Tables of the enterprise portal (企业服务门户).

Activation        a one-time code that opens (or re-opens) an enterprise's portal account: sent to the
                  registry's head phone (kind `sms`), or printed on an admin's letter (kind `letter`);
                  only its keyed hash is kept; it expires, is used once, and dies after 5 wrong tries
OutboxMessage     a message the default sender "sent" (no SMS gateway here): admin reads the outbox
CheckCode         the check code of one filed inspection item for one enterprise (QR on the notice),
                  kept as a keyed hash; re-issuing a notice revokes the earlier code
Visit             an inspection at the door: confirmed by its check code, or reported as having no
                  filed item (unfiled, goes to justice), with the enterprise's rating afterwards
RetaliationFlag   a rise in a unit's inspections after a complaint or objection (scoring.retaliation)
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsvc.extensions import db
from govsvc.timeutil import utcnow
from govsvc.types import UTCDateTime

MAX_ATTEMPTS = 5
RATING_LABELS = {1: "很差", 2: "较差", 3: "一般", 4: "较好", 5: "很好"}
BURDEN_LABELS = {1: "负担很重", 2: "负担较重", 3: "一般", 4: "负担较轻", 5: "几乎无负担"}


class Activation(db.Model):
    __tablename__ = "portal_activations"
    __table_args__ = (
        CheckConstraint("kind IN ('sms', 'letter')", name="kind"),
        Index("ix_portal_activations_enterprise_created", "enterprise_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    kind: Mapped[str] = mapped_column(String(10))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    batch: Mapped[str] = mapped_column(String(40), default="")  # letters printed together

    enterprise = relationship("Enterprise", lazy="joined")


class OutboxMessage(db.Model):
    __tablename__ = "portal_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), default="sms")
    recipient: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    enterprise = relationship("Enterprise", lazy="joined")


class CheckCode(db.Model):
    __tablename__ = "portal_check_codes"
    __table_args__ = (Index("ix_portal_check_codes_item_enterprise", "item_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_plan_items.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item = relationship("PlanItem", lazy="joined")
    enterprise = relationship("Enterprise", lazy="joined")


class Visit(db.Model):
    __tablename__ = "portal_visits"
    __table_args__ = (
        CheckConstraint("kind IN ('confirmed', 'unfiled')", name="kind"),
        CheckConstraint("conduct IS NULL OR conduct BETWEEN 1 AND 5", name="conduct"),
        CheckConstraint("burden IS NULL OR burden BETWEEN 1 AND 5", name="burden"),
        # One confirmation per filed item and enterprise.
        UniqueConstraint("item_id", "enterprise_id"),
        Index("ix_portal_visits_unit_day", "unit_id", "visit_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(10))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_plan_items.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    visit_date: Mapped[date] = mapped_column(Date)
    inspectors: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    report_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_reports.id"))  # unfiled: the report to justice
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    conduct: Mapped[int | None] = mapped_column(Integer)
    burden: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    enterprise = relationship("Enterprise", lazy="joined")
    unit = relationship("Unit", lazy="joined")
    item = relationship("PlanItem")
    report = relationship("EnterpriseReport")

    @property
    def kind_label(self) -> str:
        return "扫码确认" if self.kind == "confirmed" else "未备案检查（企业报告）"


class RetaliationFlag(db.Model):
    __tablename__ = "portal_retaliation_flags"
    __table_args__ = (
        CheckConstraint("source IN ('complaint', 'objection')", name="source"),
        UniqueConstraint("source", "source_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(10))
    source_id: Mapped[int] = mapped_column(Integer)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    start: Mapped[date] = mapped_column(Date)
    after: Mapped[int] = mapped_column(Integer)
    before: Mapped[int] = mapped_column(Integer)
    elapsed: Mapped[int] = mapped_column(Integer)
    peer_median: Mapped[str] = mapped_column(String(20))
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))

    enterprise = relationship("Enterprise", lazy="joined")
    unit = relationship("Unit", lazy="joined")
    matter = relationship("Matter", foreign_keys=[matter_id])
