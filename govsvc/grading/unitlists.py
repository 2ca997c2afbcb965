"""A grading unit's own A/B/C list (各部门企业评级评价名单), uploaded instead of applying its rule.

The file names the enterprises the unit grades B or C (A rows are allowed too); an enterprise
not on the list gets A from the unit. The upload replaces the unit's earlier list: all rows
are validated first and nothing is written when a row is wrong.
"""
from __future__ import annotations

from sqlalchemy import delete, select

from govsvc.extensions import db
from govsvc.grading import service
from govsvc.grading.models import GradingRound, RoundUnit, UnitGrade
from govsvc.imports import Column, ImportKind, ImportReport, RowError, duplicate_key_errors, parse_choice, parse_text, run_import
from govsvc.registry.imports import codes_in_db, parse_credit_code
from govsvc.registry.models import Enterprise
from scoring import grading as core

GRADE_ALIASES = {"A类": "A", "B类": "B", "C类": "C", "a": "A", "b": "B", "c": "C"}


class UnitListImport(ImportKind):
    """Not registered: it belongs to one round and one unit (see upload_list)."""

    name = "unit_list"
    label = "单位评级名单"
    columns = (
        Column("credit_code", "统一社会信用代码", parse_credit_code, required=True),
        Column("grade", "评级", parse_choice(core.GRADES, GRADE_ALIASES), required=True, aliases=("等级", "类别")),
        Column("reason", "理由", parse_text(500), aliases=("评级理由", "说明")),
    )

    def __init__(self, grading_round: GradingRound, part: RoundUnit):
        self.round = grading_round
        self.part = part

    def key(self, values):
        return values["credit_code"]

    def check_rows(self, rows):
        errors = duplicate_key_errors(self, rows, "统一社会信用代码")
        self.enterprises = codes_in_db(Enterprise, Enterprise.credit_code, [r.values["credit_code"] for r in rows])
        for row in rows:
            enterprise = self.enterprises.get(row.values["credit_code"])
            if enterprise is None:
                errors.append(RowError(row.number, "统一社会信用代码", "登记库中没有这家企业。"))
            elif not core.in_scope(enterprise.industry, enterprise.above_scale, enterprise.status):
                errors.append(RowError(row.number, "统一社会信用代码",
                                       f"不在评级范围内（{enterprise.industry}、"
                                       f"{'规模以上' if enterprise.above_scale else '规模以下'}、{enterprise.status}）。"))
        return errors

    def prepare(self, rows):
        self.existing = {g.enterprise_id: g for g in db.session.scalars(
            select(UnitGrade).where(UnitGrade.round_id == self.round.id, UnitGrade.unit_id == self.part.unit_id))}
        self.seen: set[int] = set()

    def apply(self, values):
        enterprise = self.enterprises[values["credit_code"]]
        self.seen.add(enterprise.id)
        fields = {"grade": values["grade"], "reason": values.get("reason", "")}
        entry = self.existing.get(enterprise.id)
        if entry is None:
            db.session.add(UnitGrade(round_id=self.round.id, unit_id=self.part.unit_id, enterprise_id=enterprise.id,
                                     **fields))
            return "created"
        changed = any(getattr(entry, k) != v for k, v in fields.items())
        for k, v in fields.items():
            setattr(entry, k, v)
        return "updated" if changed else "unchanged"

    def removed(self) -> list[int]:
        return [eid for eid in self.existing if eid not in self.seen]


def upload_list(grading_round: GradingRound, part: RoundUnit, data: bytes, filename: str, *, user,
                dry_run: bool = False) -> tuple[ImportReport, int]:
    """Validate and store the unit's list; returns the report and how many earlier rows it dropped.
    Raises TableError for an unreadable file, GradingError when the round is closed."""
    service.require_editable(grading_round)
    kind = UnitListImport(grading_round, part)
    report = run_import(kind, data, filename, dry_run=dry_run)
    if not report.applied:
        return report, 0
    dropped = kind.removed()
    if dropped:
        db.session.execute(delete(UnitGrade).where(UnitGrade.round_id == grading_round.id,
                                                   UnitGrade.unit_id == part.unit_id,
                                                   UnitGrade.enterprise_id.in_(dropped)))
    service.mark_submitted(grading_round, part, "list", user)
    return report, len(dropped)


def list_query(grading_round: GradingRound, unit_id: int):
    return (select(UnitGrade).join(UnitGrade.enterprise)
            .where(UnitGrade.round_id == grading_round.id, UnitGrade.unit_id == unit_id)
            .order_by(UnitGrade.grade.desc(), Enterprise.credit_code))
