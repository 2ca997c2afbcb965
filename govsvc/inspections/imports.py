"""Importing a plan's items from CSV or XLSX (the foundation's import framework, bound to one plan).

Columns: credit_code (empty for a random-draw task), draw_count, category, basis, ground,
planned_date, planned_end, note — English or Chinese headers. Every row is checked first with
the same rules as the form; nothing is written when a row is wrong unless "valid rows only";
re-importing the same file changes nothing (upsert on enterprise or draw task, category, basis
and planned date).
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from govsvc.imports import (CellError, Column, ImportKind, ImportReport, ParsedRow, RowError, duplicate_key_errors,
                            parse_text, run_import, update_fields)
from govsvc.extensions import db
from govsvc.inspections.models import CATEGORIES, InspectionPlan, PlanItem
from govsvc.inspections.plans import item_fields, check_editable, refresh_due, item_errors
from govsvc.registry.imports import parse_credit_code
from govsvc.registry.models import Enterprise
from scoring import inspections as core

DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(raw: str) -> date:
    match = DATE_RE.match(raw.strip())
    try:
        if not match:
            raise ValueError
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        raise CellError(f"“{raw}”不是有效日期（例如 2027-03-15）。") from None


def parse_optional_date(raw: str) -> date | None:
    return parse_date(raw) if raw.strip() else None


def parse_optional_credit_code(raw: str) -> str:
    return parse_credit_code(raw) if raw.strip() else ""


def parse_count(raw: str) -> int | None:
    if not raw.strip():
        return None
    if not (raw.strip().isascii() and raw.strip().isdigit()):
        raise CellError(f"“{raw}”不是正整数。")
    return int(raw)


def parse_basis(raw: str) -> str:
    try:
        return core.parse_basis(raw)
    except ValueError as exc:
        raise CellError(str(exc)) from None


def parse_category(raw: str) -> str:
    if raw.strip() not in CATEGORIES:
        raise CellError(f"“{raw}”不是标准检查类别，应为：{'、'.join(CATEGORIES)}。")
    return raw.strip()


FIELD_LABELS = {"enterprise": "统一社会信用代码", "draw_count": "抽取家数", "category": "检查类别", "basis": "检查依据",
                "ground": "依据说明", "planned_date": "计划检查日期", "planned_end": "计划结束日期", "note": "备注"}


class PlanItemImport(ImportKind):
    name = "plan_items"
    label = "检查计划事项"
    columns = (
        Column("credit_code", "统一社会信用代码", parse_optional_credit_code, aliases=("企业信用代码",)),
        Column("draw_count", "抽取家数", parse_count, aliases=("双随机抽取家数",)),
        Column("category", "检查类别", parse_category, required=True),
        Column("basis", "检查依据", parse_basis, required=True, aliases=("依据类型",)),
        Column("ground", "依据说明", parse_text(200), aliases=("投诉编号或法律条款",)),
        Column("planned_date", "计划检查日期", parse_date, required=True, aliases=("计划日期", "开始日期")),
        Column("planned_end", "计划结束日期", parse_optional_date, aliases=("结束日期",)),
        Column("note", "备注", parse_text(500)),
    )

    def __init__(self, plan: InspectionPlan):
        self.plan = plan

    def key(self, values):
        return (values.get("credit_code") or "draw", values["category"], values["basis"], values["planned_date"])

    def check_rows(self, rows: list[ParsedRow]) -> list[RowError]:
        errors = duplicate_key_errors(self, rows, "计划检查日期")
        codes = [r.values["credit_code"] for r in rows if r.values.get("credit_code")]
        self.enterprises = {e.credit_code: e for e in db.session.scalars(
            select(Enterprise).where(Enterprise.credit_code.in_(codes)))} if codes else {}
        for row in rows:
            code = row.values.get("credit_code")
            if code and code not in self.enterprises:
                errors.append(RowError(row.number, "统一社会信用代码", "登记库中没有这家企业。"))
                continue
            for field, message in item_errors(self.plan, self._values(row.values)).items():
                errors.append(RowError(row.number, FIELD_LABELS[field], message))
        return errors

    def _values(self, values: dict) -> dict:
        code = values.get("credit_code")
        return {**{k: values.get(k) for k in FIELD_LABELS if k != "enterprise"},
                "enterprise": self.enterprises.get(code) if code else None,
                "ground": values.get("ground") or "", "note": values.get("note") or ""}

    def prepare(self, rows):
        self.existing = {(i.enterprise.credit_code if i.enterprise else "draw", i.category, i.basis, i.planned_date): i
                         for i in self.plan.items}

    def apply(self, values):
        fields = item_fields(self._values(values))
        item = self.existing.get(self.key(values))
        if item is None:
            item = PlanItem(**fields)
            self.plan.items.append(item)
            self.existing[self.key(values)] = item
            return "created"
        return "updated" if update_fields(item, fields) else "unchanged"


def import_items(user, plan: InspectionPlan, data: bytes, filename: str, *, valid_only: bool = False,
                 dry_run: bool = False) -> ImportReport:
    """Raises TableError when the file cannot be read at all."""
    check_editable(user, plan)
    report = run_import(PlanItemImport(plan), data, filename, valid_only=valid_only, dry_run=dry_run)
    if report.applied:
        refresh_due(plan)
        db.session.flush()
    return report
