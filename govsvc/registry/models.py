"""Registry tables. Natural keys (credit code, unit code, ID hash, enterprise+year) are unique,
so imports upsert on them and re-importing a file changes nothing."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govsvc.cells import INDUSTRIES, STATUSES  # noqa: F401  (the registry's vocabularies)
from govsvc.extensions import db
from govsvc.types import Money

LEVELS = {"city": "市", "county": "区县"}
SURVEY_CATEGORIES = {"enforcement": "执法和综合管理类", "service": "服务类"}


class Enterprise(db.Model):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    legal_rep: Mapped[str] = mapped_column(String(50), default="")
    head_name: Mapped[str] = mapped_column(String(50), default="")
    head_phone: Mapped[str] = mapped_column(String(30), default="")
    district: Mapped[str] = mapped_column(String(50), default="", index=True)
    industry: Mapped[str] = mapped_column(String(20), index=True)
    above_scale: Mapped[bool] = mapped_column(Boolean, default=False)
    new_format: Mapped[bool] = mapped_column(Boolean, default=False)
    # 集团: members share a group name; the head enterprise stands for the group in rankings.
    group_name: Mapped[str] = mapped_column(String(200), default="", index=True)
    group_head: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="存续", index=True)

    tax_records: Mapped[list["TaxRecord"]] = relationship(back_populates="enterprise", order_by="TaxRecord.year")

    @property
    def in_business(self) -> bool:
        return self.status == "存续"


class TaxRecord(db.Model):
    __tablename__ = "tax_records"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "year"),
        # A year's tax rows by amount, for the top-taxpayer list (registry.service.top_taxpayers).
        # Partial on a condition that always holds, so that only queries naming it use the index:
        # the group sums keep to ix_tax_records_year, which reads rows in table order.
        Index("ix_tax_records_year_local_retained", "year", "local_retained", "enterprise_id",
              sqlite_where=text("local_retained IS NOT NULL"), postgresql_where=text("local_retained IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    local_retained: Mapped[Decimal] = mapped_column(Money)

    enterprise: Mapped[Enterprise] = relationship(back_populates="tax_records")


class Unit(db.Model):
    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint("level IN ('city', 'county')", name="level"),
        CheckConstraint("survey_category IS NULL OR survey_category IN ('enforcement', 'service')",
                        name="survey_category"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(10))
    district: Mapped[str] = mapped_column(String(50), default="")
    # For a county unit: the city unit of the same system (its plans go there first).
    system_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    survey_category: Mapped[str | None] = mapped_column(String(20))
    enforcement: Mapped[bool] = mapped_column(Boolean, default=False)
    grading: Mapped[bool] = mapped_column(Boolean, default=False)

    system: Mapped["Unit | None"] = relationship(remote_side=[id], lazy="joined", join_depth=1)

    @property
    def level_label(self) -> str:
        return LEVELS.get(self.level, self.level)

    @property
    def survey_category_label(self) -> str:
        return SURVEY_CATEGORIES.get(self.survey_category or "", "")


class Person(db.Model):
    """An official. The ID number is never stored: only its keyed hash and a masked form."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    id_masked: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(50), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    post: Mapped[str] = mapped_column(String(100), default="")

    unit: Mapped[Unit] = relationship(lazy="joined")
