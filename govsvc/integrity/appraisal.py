"""纳入平时考核 (seed 002: "将支持服务企业情况纳入公务人员平时考核体系……凡是发现存在相关不当行为的,
一律先采取诫勉谈话等形式进行批评教育"): per unit and period, the staff with 污点 records or
admonishments, for the unit's routine appraisal (平时考核).

A row is a record (not revoked) of a person whose *current* unit is the unit (the unit that
appraises them now; the unit at the time is a column) and that bears on the period: decided in the
period (污点 and 诫勉谈话 alike), or a 污点 decided earlier whose restrictions (no "excellent"
rating among them) are still in force on some day of the period. Discipline staff export the units
they cover, the organisation department any unit. Every export (and every look at the list)
writes an audit entry: who, unit, period, row count.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.integrity import scope
from govsvc.integrity.models import IntegrityRecord
from govsvc.registry.models import Person, Unit
from scoring.integrity import DECISIONS, earliest_in_force

EARLIEST = date(1990, 1, 1)


class AppraisalError(ValueError):
    """{field name: Chinese message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def units_for(user) -> list[Unit]:
    """The units this account may export: every unit for the organisation department, the covered
    units for discipline staff."""
    if R.ORGANIZATION in user.roles:
        return list(db.session.scalars(select(Unit).order_by(Unit.level, Unit.code)))
    return scope.units_in_scope(user)


def check(user, unit: Unit | None, start: date | None, end: date | None) -> None:
    errors = {}
    if unit is None or unit.id not in {u.id for u in units_for(user)}:
        errors["unit"] = "请选择单位（仅限您有权查看的单位）。"
    if start is None:
        errors["start"] = "请填写起始日期（格式 2026-01-01）。"
    elif start < EARLIEST:
        errors["start"] = f"起始日期不能早于 {EARLIEST.isoformat()}。"
    if end is None:
        errors["end"] = "请填写截止日期（格式 2026-12-31）。"
    elif start is not None and end < start:
        errors["end"] = "截止日期不能早于起始日期。"
    if errors:
        raise AppraisalError(errors)


@dataclass
class Row:
    record: IntegrityRecord
    restricted_in_period: bool  # a 污点 whose restrictions are in force on some day of the period


def rows(user, unit: Unit, start: date, end: date) -> list[Row]:
    check(user, unit, start, end)
    since = earliest_in_force(start)  # a 污点 decided on or after this is still restricting on `start`
    stmt = (select(IntegrityRecord).join(IntegrityRecord.person)
            .where(Person.unit_id == unit.id, IntegrityRecord.revoked_on.is_(None),
                   IntegrityRecord.decision_date <= end,
                   or_(IntegrityRecord.decision_date >= start,
                       and_(IntegrityRecord.decision.in_(DECISIONS), IntegrityRecord.decision_date >= since)))
            .order_by(Person.name, Person.id, IntegrityRecord.decision_date, IntegrityRecord.id))
    out = []
    for record in db.session.scalars(stmt):
        facts = record.facts_for_rules()
        out.append(Row(record, facts.restricts and facts.first_day <= end and facts.last_day >= start))
    return out


def log(user, unit: Unit, start: date, end: date, count: int, fmt: str) -> None:
    audit.record("integrity.appraisal.export" if fmt else "integrity.appraisal.read", target=f"unit:{unit.id}",
                 detail={"unit": unit.code, "period": f"{start.isoformat()}—{end.isoformat()}", "rows": count,
                         "format": fmt or "page"},
                 purpose="纳入平时考核", category="integrity")


HEADER = ["姓名", "身份证号（脱敏）", "现任职务", "类别", "处理决定", "决定（谈话）日期", "决定文号", "时任单位",
          "限制期至", "期间内受限制", "整改期限", "整改情况", "调离情况"]


def cells(row: Row) -> list:
    r = row.record
    transfer = r.transfer
    if transfer is None:
        moved = ""
    elif transfer.transferred_on is not None:
        moved = f"已调离（{transfer.transferred_on.isoformat()}）"
    else:
        moved = "尚未调离"
    return [r.person.name, r.person.id_masked, r.person.post, "诫勉谈话" if r.is_admonishment else "“污点”",
            r.decision_label, r.decision_date, r.decision_number, r.unit.name,
            "" if r.is_admonishment else r.facts_for_rules().last_day,
            "" if r.is_admonishment else ("是" if row.restricted_in_period else "否"),
            r.rectification_deadline,
            r.rectification_matter.status_label if r.rectification_matter is not None else "", moved]
