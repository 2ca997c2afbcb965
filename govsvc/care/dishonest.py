"""The 失信被执行人 list (dishonest judgment debtors) of the courts: imported (kind `dishonest`, the import
framework: validated first, upserted on enterprise + case number, re-import changes nothing) and
registered as a flag source that bars honours and counts as a risk signal. An entry is in force
from the day it was listed until the day it was removed (信用惩戒解除), that day excluded."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from govsvc.care.models_support import DishonestEntry
from govsvc.extensions import db
from govsvc.grading.records import parse_date
from govsvc.imports import CellError, Column, ImportKind, RowError, duplicate_key_errors, parse_text, register
from govsvc.registry.flags import Flag, flag_source
from govsvc.registry.imports import codes_in_db, parse_credit_code
from govsvc.registry.models import Enterprise
from govsvc.timeutil import local_today


def _optional_date(raw: str) -> date | None:
    return parse_date(raw) if raw.strip() else None


def _required_text(limit: int):
    parse = parse_text(limit)

    def parse_required(raw: str) -> str:
        value = parse(raw).strip()
        if not value:
            raise CellError("不能为空。")
        return value

    return parse_required


@register
class DishonestImport(ImportKind):
    name = "dishonest"
    label = "失信被执行人名单"
    columns = (
        Column("credit_code", "统一社会信用代码", parse_credit_code, required=True),
        Column("case_number", "执行案号", _required_text(100), required=True, aliases=("案号",)),
        Column("court", "执行法院", _required_text(100), required=True),
        Column("listed_on", "列入日期", parse_date, required=True, aliases=("发布日期",)),
        Column("removed_on", "移出日期", _optional_date, aliases=("解除日期", "屏蔽日期")),
        Column("obligation", "生效法律文书确定的义务", parse_text(500), aliases=("义务",)),
    )

    def key(self, values):
        return values["credit_code"], values["case_number"]

    def check_rows(self, rows):
        errors = duplicate_key_errors(self, rows, "执行案号")
        self.enterprises = codes_in_db(Enterprise, Enterprise.credit_code, [r.values["credit_code"] for r in rows])
        for row in rows:
            if row.values["credit_code"] not in self.enterprises:
                errors.append(RowError(row.number, "统一社会信用代码", "登记库中没有这家企业。"))
            removed = row.values.get("removed_on")
            if removed is not None and removed <= row.values["listed_on"]:
                errors.append(RowError(row.number, "移出日期", "移出日期应晚于列入日期。"))
            if row.values["listed_on"] > local_today():
                errors.append(RowError(row.number, "列入日期", "列入日期不能晚于今天。"))
        return errors

    def prepare(self, rows):
        ids = [e.id for e in self.enterprises.values()]
        self.existing = {}
        for start in range(0, len(ids), 500):
            for entry in db.session.scalars(select(DishonestEntry).where(
                    DishonestEntry.enterprise_id.in_(ids[start:start + 500]))):
                self.existing[(entry.enterprise_id, entry.case_number)] = entry

    def apply(self, values):
        enterprise = self.enterprises[values["credit_code"]]
        fields = {"court": values["court"], "listed_on": values["listed_on"],
                  "removed_on": values.get("removed_on"), "obligation": values.get("obligation", "")}
        entry = self.existing.get((enterprise.id, values["case_number"]))
        if entry is None:
            entry = DishonestEntry(enterprise_id=enterprise.id, case_number=values["case_number"], **fields)
            db.session.add(entry)
            self.existing[(enterprise.id, values["case_number"])] = entry
            return "created"
        changed = False
        for name, value in fields.items():
            if getattr(entry, name) != value:
                setattr(entry, name, value)
                changed = True
        return "updated" if changed else "unchanged"


def in_force_clause(on: date):
    return (DishonestEntry.listed_on <= on) & or_(DishonestEntry.removed_on.is_(None), DishonestEntry.removed_on > on)


def dishonest_query(q: str = "", current_only: bool = False, on: date | None = None):
    stmt = select(DishonestEntry).join(Enterprise, Enterprise.id == DishonestEntry.enterprise_id)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like),
                              DishonestEntry.case_number.ilike(like)))
    if current_only:
        stmt = stmt.where(in_force_clause(on or local_today()))
    return stmt.order_by(DishonestEntry.listed_on.desc(), DishonestEntry.id.desc())


@flag_source("care.dishonest")
def dishonest_flags(enterprise_ids: list[int], on: date) -> dict[int, list[Flag]]:
    """失信被执行人 in force on `on`: bars honours, counts as a risk signal."""
    found: dict[int, list[Flag]] = {}
    for start in range(0, len(enterprise_ids), 500):
        chunk = enterprise_ids[start:start + 500]
        for entry in db.session.scalars(select(DishonestEntry).where(DishonestEntry.enterprise_id.in_(chunk),
                                                                     in_force_clause(on))):
            found.setdefault(entry.enterprise_id, []).append(Flag(
                source="care.dishonest", kind="dishonest", label="失信被执行人",
                reason=f"{entry.court} {entry.case_number}，{entry.listed_on.isoformat()}列入",
                since=entry.listed_on, until=entry.removed_on, bars_honours=True, risk_signal=True))
    return found
