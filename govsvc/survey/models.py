"""Survey tables. Anonymity is in the schema itself:

- `survey_credentials` and `survey_credential_uses` record who may vote and that a credential
  was used; `survey_ballots` and `survey_opinions` hold what was voted and written. No column,
  key or timestamp links the two sides, and the ballot side has no user, address, session or
  time column.
- While voting is open a ballot exists only sealed in `survey_ballot_inbox` (authenticated
  encryption under a key derived from GOVSVC_HASH_KEY, which the database does not hold), written
  in the transaction that records the credential's use and nothing else. `survey_ballots` and
  `survey_opinions` are written once, when voting closes: every sealed ballot opened, shuffled,
  inserted in that random order in one transaction, with new random ids; the inbox is destroyed
  in the same transaction (see ballots.close_voting). So no transaction id, physical position,
  sequence value or timestamp of a stored ballot relates to when, or by whom, it was cast.
- Ballots, opinions and inbox entries have random text primary keys and, on SQLite, no rowid
  (WITHOUT ROWID).
- Credentials and receipts are stored only as keyed hashes.
"""
from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsvc.extensions import db
from govsvc.timeutil import utcnow
from govsvc.types import UTCDateTime
from scoring import survey as core

DRAFT, LISTS_CONFIRMED, OPEN, CLOSED = "draft", "lists_confirmed", "open", "closed"
PUBLISHED, RECTIFICATION, ARCHIVED = "published", "rectification", "archived"
STATUSES = (DRAFT, LISTS_CONFIRMED, OPEN, CLOSED, PUBLISHED, RECTIFICATION, ARCHIVED)
STATUS_LABELS = {
    DRAFT: "草拟", LISTS_CONFIRMED: "名单已确认", OPEN: "评议进行中", CLOSED: "评议已结束",
    PUBLISHED: "结果已公布", RECTIFICATION: "整改中", ARCHIVED: "已归档",
}
ONLINE, PAPER = "online", "paper"
CHANNEL_LABELS = {ONLINE: "网上评议", PAPER: "纸质评议表"}


class Campaign(db.Model):
    __tablename__ = "survey_campaigns"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'lists_confirmed', 'open', 'closed', 'published', "
                        "'rectification', 'archived')", name="status"),
        CheckConstraint("top_k >= 1", name="top_k"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=DRAFT)
    top_k: Mapped[int] = mapped_column(Integer, default=core.DEFAULT_TOP)
    evaluator_quota: Mapped[int] = mapped_column(Integer, default=200)
    # The seed's calendar (工作安排), defaults from campaigns.default_calendar(year).
    plan_date: Mapped[date] = mapped_column(Date)
    lists_due: Mapped[date] = mapped_column(Date)
    mobilisation_date: Mapped[date] = mapped_column(Date)
    evaluation_date: Mapped[date] = mapped_column(Date)
    rectification_date: Mapped[date] = mapped_column(Date)
    # Sealed when voting closes: the head of the hash chain over all ballots and their number.
    chain_head: Mapped[str | None] = mapped_column(String(64))
    sealed_ballots: Mapped[int | None] = mapped_column(Integer)
    tallied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rectification_deadline: Mapped[date | None] = mapped_column(Date)
    # The commended list as sent to the assessment office (市考核办): the points each commended
    # department gets in the annual assessment, in hundredths of a point, and when and by whom.
    commend_points_centi: Mapped[int | None] = mapped_column(Integer)
    commendations_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    commendations_sent_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # 动员部署 (survey.mobilisation): the notice to the rated departments, issued once, and the day
    # their self-check reports (自查报告) are due — before the evaluation date.
    notice_text: Mapped[str | None] = mapped_column(Text)
    notice_issued_on: Mapped[date | None] = mapped_column(Date)
    self_check_due: Mapped[date | None] = mapped_column(Date)
    notice_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice_recorded_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    approved_by = relationship("User", lazy="select")  # loaded when shown (a joined User brings its roles query)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_published(self) -> bool:
        return self.status in (PUBLISHED, RECTIFICATION, ARCHIVED)

    @property
    def lists_frozen(self) -> bool:
        return self.status != DRAFT


class CampaignDepartment(db.Model):
    """A rated department, snapshot of the registry unit when the list was made (名单一)."""

    __tablename__ = "survey_departments"
    __table_args__ = (
        UniqueConstraint("campaign_id", "code"),
        CheckConstraint("category IN ('enforcement', 'service')", name="category"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    # Order on the ballot within the category: the column of this department in ballot content.
    position: Mapped[int] = mapped_column(Integer)

    unit = relationship("Unit", lazy="joined")

    @property
    def category_label(self) -> str:
        return core.CATEGORY_LABELS[self.category]


class CampaignEvaluator(db.Model):
    """An evaluating enterprise head, snapshot of the top-taxpayer list (名单二)."""

    __tablename__ = "survey_evaluators"
    __table_args__ = (
        UniqueConstraint("campaign_id", "enterprise_id"),
        CheckConstraint("channel IN ('online', 'paper')", name="channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    rank: Mapped[int | None] = mapped_column(Integer)
    credit_code: Mapped[str] = mapped_column(String(18))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    head_name: Mapped[str] = mapped_column(String(50), default="")
    channel: Mapped[str] = mapped_column(String(10), default=ONLINE)

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS[self.channel]


class BallotCredential(db.Model):
    """The right to cast one ballot: an evaluator's online account, or a printed ballot code
    (kept only as a keyed hash; printed codes are not tied to any evaluator)."""

    __tablename__ = "survey_credentials"
    __table_args__ = (CheckConstraint("kind IN ('online', 'paper')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("survey_evaluators.id"), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    batch: Mapped[int | None] = mapped_column(Integer)
    void: Mapped[bool] = mapped_column(Boolean, default=False)


class CredentialUse(db.Model):
    """That a credential was used. The primary key is the credential: a second use of the same
    credential cannot be stored, whatever the timing (the database settles the race)."""

    __tablename__ = "survey_credential_uses"

    credential_id: Mapped[int] = mapped_column(ForeignKey("survey_credentials.id"), primary_key=True)


class Ballot(db.Model):
    """One anonymous ballot: a part per category, one byte per department (scoring.survey codes)."""

    __tablename__ = "survey_ballots"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, also the public ballot id
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"), index=True)
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enforcement: Mapped[bytes] = mapped_column(LargeBinary)
    service: Mapped[bytes] = mapped_column(LargeBinary)
    # Why a part is invalid (废票), as entered; '' when valid. Only paper ballots can be invalid.
    enforcement_invalid: Mapped[str] = mapped_column(Text, default="")
    service_invalid: Mapped[str] = mapped_column(Text, default="")

    def part(self, category: str) -> bytes:
        return self.enforcement if category == "enforcement" else self.service

    def invalid_reason(self, category: str) -> str:
        return self.enforcement_invalid if category == "enforcement" else self.service_invalid


class SealedBallot(db.Model):
    """A ballot cast while voting is open, sealed (govsvc.survey.sealing): unreadable without the
    application's key, padded so that its length says next to nothing. No column but the campaign."""

    __tablename__ = "survey_ballot_inbox"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class Opinion(db.Model):
    """One written opinion (征求意见表) about one department. Not linked to its ballot: an opinion
    that betrays its writer must not expose the writer's ratings too. No date."""

    __tablename__ = "survey_opinions"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random: listing order is random
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("survey_departments.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    # What the department reads, after the organizer removed phrases that identify the writer.
    redacted: Mapped[str | None] = mapped_column(Text)

    department = relationship("CampaignDepartment", lazy="joined")

    @property
    def released_text(self) -> str:
        return self.text if self.redacted is None else self.redacted


class DepartmentScore(db.Model):
    """A department's tallied result (counts from valid parts, exact score as a fraction)."""

    __tablename__ = "survey_results"
    __table_args__ = (UniqueConstraint("campaign_id", "department_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("survey_departments.id"))
    satisfied: Mapped[int] = mapped_column(Integer)
    basic: Mapped[int] = mapped_column(Integer)
    dissatisfied: Mapped[int] = mapped_column(Integer)
    unknown: Mapped[int] = mapped_column(Integer)
    score_numerator: Mapped[int | None] = mapped_column(Integer)
    score_denominator: Mapped[int | None] = mapped_column(Integer)
    rank: Mapped[int | None] = mapped_column(Integer)
    commended: Mapped[bool] = mapped_column(Boolean, default=False)
    bottom_two: Mapped[bool] = mapped_column(Boolean, default=False)
    reorganize: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str] = mapped_column(String(20), default="")

    department = relationship("CampaignDepartment", lazy="joined")

    # The shape of a scoring.survey.DepartmentResult, so one R.csv writer serves both.
    @property
    def category(self) -> str:
        return self.department.category

    @property
    def code(self) -> str:
        return self.department.code

    @property
    def name(self) -> str:
        return self.department.name

    @property
    def score(self) -> Fraction | None:
        if self.score_numerator is None:
            return None
        return Fraction(self.score_numerator, self.score_denominator)

    @property
    def score_text(self) -> str:
        return core.format_score(self.score)

    @property
    def outcome_label(self) -> str:
        return core.OUTCOME_LABELS.get(self.outcome, "")


class Interview(db.Model):
    """A leader's interview (约谈) of a bottom-two department, as recorded after it was held. Its
    ledger matter (survey.outcomes.INTERVIEWS) carries the follow-up of the commitments."""

    __tablename__ = "survey_interviews"
    __table_args__ = (UniqueConstraint("campaign_id", "department_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("survey_departments.id"))
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"))
    held_on: Mapped[date] = mapped_column(Date)
    leaders: Mapped[str] = mapped_column(String(200))        # who held it (市委、市政府领导同志)
    attendees: Mapped[str] = mapped_column(String(200))      # the department's leaders present
    minutes: Mapped[str] = mapped_column(Text)               # 约谈纪要
    commitments: Mapped[str] = mapped_column(Text)           # 整改承诺
    follow_up_due: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64))

    department = relationship("CampaignDepartment", lazy="joined")


class SelfCheck(db.Model):
    """One version of a rated department's self-check report (自查报告) after the 动员通知. Rows
    are never changed: a correction is the next version, with what it corrects, kept beside the
    earlier ones. The first version's day is the one measured against the deadline."""

    __tablename__ = "survey_self_checks"
    __table_args__ = (UniqueConstraint("campaign_id", "department_id", "version"),
                      CheckConstraint("version >= 1", name="version"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("survey_departments.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    findings: Mapped[str] = mapped_column(Text)              # 查找的问题
    measures: Mapped[str] = mapped_column(Text)              # 整改措施
    signed_by: Mapped[str] = mapped_column(String(100))      # 签发人 (the department's head)
    correction_note: Mapped[str] = mapped_column(Text, default="")   # what a version ≥ 2 corrects
    # True: received on paper and typed in by the organizer on the department's behalf.
    on_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_on: Mapped[date] = mapped_column(Date)         # the local day, measured against the deadline
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by: Mapped[str] = mapped_column(String(64))

    department = relationship("CampaignDepartment", lazy="joined")
