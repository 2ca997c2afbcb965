"""Tables of the integrity module.

Clues live on the shared matter ledger (`matters`, module "integrity"); `Clue` adds what only a
clue has. `IntegrityRecord` is one entry of a person's file (a 污点 or an admonishment) and
`RecordVersion` its append-only history. Records, versions, clues and certificates are never
deleted: the database refuses DELETE on them (and UPDATE on versions), like the audit log.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (DDL, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint, event)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsvc.extensions import db
from govsvc.timeutil import utcnow
from govsvc.types import UTCDateTime
from scoring.integrity import ALL_DECISIONS, RecordFacts

# Ledger kinds of the module (Matter.kind) and their labels.
CLUE_CHANNELS = {
    "clue.hotline": "12388举报电话",
    "clue.letter": "来信",
    "clue.visit": "来访",
    "clue.oversight": "监督检查发现",
    "clue.online": "网上投诉专栏",
    "clue.referral": "司法局移送",
}
STAFF_CHANNELS = ("clue.hotline", "clue.letter", "clue.visit", "clue.oversight")
SUPERVISION = "supervision"
RECTIFICATION = "rectification"
LEDGER_KINDS = {SUPERVISION: "督办", RECTIFICATION: "整改"}

VERIFICATIONS = {"substantiated": "属实", "partly": "部分属实", "unsubstantiated": "不属实"}
FILED_BY = {"unit_committee": "单位纪委", "dispatched_group": "派驻纪检监察组", "city_commission": "市纪委市监委"}
RECORD_ACTIONS = {"filed": "登记", "corrected": "更正", "revoked": "撤销"}
CERTIFICATE_STATUSES = {"valid": "有效", "superseded": "已被新证书取代"}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class DisciplineCoverage(db.Model):
    """Units that the discipline accounts of an anchor unit cover besides the anchor itself (a
    dispatched group, 派驻纪检监察组, usually covers several units). County units of a system are
    not covered automatically: they have their own county commission."""

    __tablename__ = "integrity_coverage"
    __table_args__ = (UniqueConstraint("anchor_unit_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    anchor_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    anchor = relationship("Unit", foreign_keys=[anchor_unit_id], lazy="joined")
    unit = relationship("Unit", foreign_keys=[unit_id], lazy="joined")


class Clue(db.Model):
    """What a clue has beyond its ledger matter. A referral from another module arrives as a
    bare matter; its Clue row is created when discipline staff first act on it."""

    __tablename__ = "integrity_clues"
    __table_args__ = (
        CheckConstraint("verification IS NULL OR " + _in("verification", VERIFICATIONS), name="verification"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), unique=True)
    enterprise_related: Mapped[bool] = mapped_column(Boolean, default=True)
    complainant_name: Mapped[str] = mapped_column(String(50), default="")
    complainant_contact: Mapped[str] = mapped_column(String(100), default="")
    enterprise_name: Mapped[str] = mapped_column(String(200), default="")
    accused: Mapped[str] = mapped_column(String(200), default="")  # 被反映人 (name, post) as reported
    received_on: Mapped[date] = mapped_column(Date)  # the deadline runs from here
    verification: Mapped[str | None] = mapped_column(String(20))
    # Keyed hash of the tracking code given to the complainant (never the code itself).
    tracking_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    matter = relationship("Matter", lazy="joined")

    @property
    def verification_label(self) -> str:
        return VERIFICATIONS.get(self.verification or "", "")


class IntegrityRecord(db.Model):
    """One entry of a person's integrity file: a 污点 (a disciplinary decision) or an
    admonishment (诫勉谈话, with a rectification deadline). Unit and post are those at the time."""

    __tablename__ = "integrity_records"
    __table_args__ = (
        CheckConstraint(_in("decision", ALL_DECISIONS), name="decision"),
        CheckConstraint(_in("filed_by", FILED_BY), name="filed_by"),
        CheckConstraint("decision <> 'admonishment' OR rectification_deadline IS NOT NULL",
                        name="admonishment_deadline"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    post: Mapped[str] = mapped_column(String(100), default="")
    facts: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(20))
    decision_date: Mapped[date] = mapped_column(Date, index=True)
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    decision_body: Mapped[str] = mapped_column(String(100), default="")
    clue_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    filed_by: Mapped[str] = mapped_column(String(20))
    rectification_deadline: Mapped[date | None] = mapped_column(Date)
    rectification_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revocation_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person = relationship("Person", lazy="joined")
    unit = relationship("Unit", lazy="joined")
    clue_matter = relationship("Matter", foreign_keys=[clue_matter_id])
    rectification_matter = relationship("Matter", foreign_keys=[rectification_matter_id])
    versions: Mapped[list["RecordVersion"]] = relationship(back_populates="record", order_by="RecordVersion.version")
    transfer: Mapped["Transfer | None"] = relationship(back_populates="record", uselist=False)

    @property
    def decision_label(self) -> str:
        return ALL_DECISIONS.get(self.decision, self.decision)

    @property
    def filed_by_label(self) -> str:
        return FILED_BY.get(self.filed_by, self.filed_by)

    @property
    def is_admonishment(self) -> bool:
        return self.decision == "admonishment"

    @property
    def revoked(self) -> bool:
        return self.revoked_on is not None

    def facts_for_rules(self) -> RecordFacts:
        return RecordFacts(self.id, self.decision, self.decision_date, self.revoked)


class RecordVersion(db.Model):
    """The state of a record after each change (filing, correction, revocation): append-only."""

    __tablename__ = "integrity_record_versions"
    __table_args__ = (UniqueConstraint("record_id", "version"),
                      CheckConstraint(_in("action", RECORD_ACTIONS), name="action"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("integrity_records.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[str] = mapped_column(Text)  # JSON of the record's fields after the change

    record: Mapped[IntegrityRecord] = relationship(back_populates="versions")

    @property
    def action_label(self) -> str:
        return RECORD_ACTIONS.get(self.action, self.action)


class Transfer(db.Model):
    """调离: the recommendation to the organisation department to move the person of a 污点 record
    out of enterprise-related posts (a ledger matter, module `integrity-transfer`, owned by the
    organisation department), and, once done, its confirmation (date, new post, who). A confirmed
    transfer is never changed."""

    __tablename__ = "integrity_transfers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("integrity_records.id"), unique=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), unique=True)
    recommended_on: Mapped[date] = mapped_column(Date)
    transferred_on: Mapped[date | None] = mapped_column(Date)
    new_post: Mapped[str] = mapped_column(String(100), default="")
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_by: Mapped[str] = mapped_column(String(64), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    record: Mapped[IntegrityRecord] = relationship(lazy="joined", back_populates="transfer")
    matter = relationship("Matter", lazy="joined")


CASE_STATUSES = {"draft": "待审核", "published": "已公开", "withdrawn": "已撤回"}


class IntegrityCase(db.Model):
    """典型问题公开曝光: an anonymised account of a record, drafted by discipline staff, approved
    (and so published on the public page) by the city commission, withdrawable. The text never
    names the person (checked on drafting and again on approval)."""

    __tablename__ = "integrity_cases"
    __table_args__ = (CheckConstraint(_in("status", CASE_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("integrity_records.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drafted_by: Mapped[str] = mapped_column(String(64), default="")
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[str] = mapped_column(String(64), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str] = mapped_column(String(64), default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")

    record: Mapped[IntegrityRecord] = relationship(lazy="joined")

    @property
    def status_label(self) -> str:
        return CASE_STATUSES.get(self.status, self.status)


class FileAccess(db.Model):
    """A declared purpose for reading a person's file (or, with no person, the records
    register), valid for a short time. Every page read under it is audit-logged with it."""

    __tablename__ = "integrity_file_access"
    __table_args__ = (Index("ix_integrity_file_access_user_person", "user_id", "person_id", "expires_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    purpose: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Certificate(db.Model):
    """An integrity certificate (廉政鉴定): numbered, its content frozen as canonical JSON. The
    verification code is an HMAC over that content (never stored: recomputed to check)."""

    __tablename__ = "integrity_certificates"
    __table_args__ = (UniqueConstraint("year", "seq"),
                      CheckConstraint(_in("status", CERTIFICATE_STATUSES), name="status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_by: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="valid")
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person = relationship("Person", lazy="joined")

    @property
    def status_label(self) -> str:
        return CERTIFICATE_STATUSES.get(self.status, self.status)


# Never deleted (and versions never changed), enforced by the database. The migration creates
# the same triggers inline; these cover metadata.create_all().
PROTECTED_TABLES = ("integrity_records", "integrity_record_versions", "integrity_clues", "integrity_certificates")
SQLITE_TRIGGERS = {t: [f"CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} "
                       f"BEGIN SELECT RAISE(ABORT, '{t} keeps every row'); END"] for t in PROTECTED_TABLES}
SQLITE_TRIGGERS["integrity_record_versions"].append(
    "CREATE TRIGGER integrity_record_versions_no_update BEFORE UPDATE ON integrity_record_versions "
    "BEGIN SELECT RAISE(ABORT, 'integrity_record_versions is append-only'); END")
POSTGRES_FUNCTION = ("CREATE OR REPLACE FUNCTION integrity_refuse_change() RETURNS trigger AS $$ "
                     "BEGIN RAISE EXCEPTION 'integrity records are never deleted or rewritten'; END; $$ "
                     "LANGUAGE plpgsql")
POSTGRES_TRIGGERS = {t: [f"CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} "
                         "FOR EACH ROW EXECUTE FUNCTION integrity_refuse_change()"] for t in PROTECTED_TABLES}
POSTGRES_TRIGGERS["integrity_record_versions"].append(
    "CREATE TRIGGER integrity_record_versions_no_update BEFORE UPDATE ON integrity_record_versions "
    "FOR EACH ROW EXECUTE FUNCTION integrity_refuse_change()")
event.listen(db.metadata, "before_create", DDL(POSTGRES_FUNCTION).execute_if(dialect="postgresql"))
for _model in (IntegrityRecord, RecordVersion, Clue, Certificate):
    for _stmt in SQLITE_TRIGGERS[_model.__tablename__]:
        event.listen(_model.__table__, "after_create", DDL(_stmt).execute_if(dialect="sqlite"))
    for _stmt in POSTGRES_TRIGGERS[_model.__tablename__]:
        event.listen(_model.__table__, "after_create", DDL(_stmt).execute_if(dialect="postgresql"))
