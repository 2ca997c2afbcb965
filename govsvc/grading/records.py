"""Enforcement records: the import kind (`govsvc import records FILE`, the web import pages),
record queries, and dynamic management — a serious penalty entered after the list is published
raises a downgrade proposal for the justice bureau."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import func, insert, or_, select, tuple_

from govsvc import audit
from govsvc.extensions import db
from govsvc.grading import inputs, service
from govsvc.grading.models import DowngradeProposal, EnforcementRecord, GradingRound
from govsvc.imports import (CellError, Column, ImportKind, RowError, duplicate_key_errors, parse_choice,
                            parse_money, parse_text, register, update_fields)
from govsvc.registry.imports import codes_in_db, parse_credit_code, parse_unit_code
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today, utcnow
from scoring import grading as core

_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def parse_date(raw: str) -> date:
    """A calendar date: 2024-05-03 (also 2024/5/3)."""
    match = _DATE.match(raw.strip())
    if not match:
        raise CellError(f"“{raw}”不是日期（应为 YYYY-MM-DD，如 2024-05-03）。")
    try:
        return date(*(int(x) for x in match.groups()))
    except ValueError:
        raise CellError(f"“{raw}”不是有效的日期。") from None


def parse_record_date(raw: str) -> date:
    day = parse_date(raw)
    if day > local_today():
        raise CellError(f"日期 {day.isoformat()} 晚于今天。")
    if day.year < 1990:
        raise CellError(f"日期 {day.isoformat()} 过早。")
    return day


def parse_fine(raw: str) -> Decimal:
    return parse_money(raw) if raw else Decimal("0.00")


parse_outcome = parse_choice(core.OUTCOMES, core.OUTCOME_ALIASES)


@register
class RecordImport(ImportKind):
    """Enforcement records; upsert on (enterprise, unit, date, decision number)."""

    name = "records"
    label = "执法检查记录"
    columns = (
        Column("credit_code", "统一社会信用代码", parse_credit_code, required=True),
        Column("unit_code", "单位代码", parse_unit_code, required=True),
        Column("date", "日期", parse_record_date, required=True, aliases=("检查日期", "处罚日期")),
        Column("outcome", "结果", parse_outcome, required=True, aliases=("检查结果", "处理结果")),
        Column("fine", "罚款金额", parse_fine, aliases=("罚款",)),
        Column("decision_no", "决定书文号", parse_text(100), aliases=("处罚决定书文号", "文号")),
        Column("description", "说明", parse_text(500), aliases=("违法事实", "备注")),
    )

    def __init__(self, only_unit_id: int | None = None):
        # A department uploads its own unit's records only.
        self.only_unit_id = only_unit_id
        self.serious: list[EnforcementRecord] = []
        self.new_rows: list[dict] = []  # created records, inserted together in finish()

    def key(self, values):
        return values["credit_code"], values["unit_code"], values["date"], values.get("decision_no", "")

    def check_rows(self, rows):
        errors = duplicate_key_errors(self, rows, "决定书文号")
        self.enterprises = codes_in_db(Enterprise, Enterprise.credit_code, [r.values["credit_code"] for r in rows])
        self.units = codes_in_db(Unit, Unit.code, [r.values["unit_code"] for r in rows])
        for row in rows:
            values = row.values
            if values["credit_code"] not in self.enterprises:
                errors.append(RowError(row.number, "统一社会信用代码", "登记库中没有这家企业，请先导入企业。"))
            unit = self.units.get(values["unit_code"])
            if unit is None:
                errors.append(RowError(row.number, "单位代码", f"找不到单位代码“{values['unit_code']}”。"))
            elif self.only_unit_id is not None and unit.id != self.only_unit_id:
                errors.append(RowError(row.number, "单位代码", "只能导入本单位的执法检查记录。"))
            if values["outcome"] == "none" and values.get("fine", Decimal(0)) > 0:
                errors.append(RowError(row.number, "罚款金额", "检查无违法的记录不应有罚款。"))
        return errors

    def prepare(self, rows):
        ids = [self.enterprises[r.values["credit_code"]].id for r in rows]
        self.existing = {}
        unique_ids = sorted(set(ids))
        for start in range(0, len(unique_ids), 500):
            for rec in db.session.scalars(select(EnforcementRecord)
                                          .where(EnforcementRecord.enterprise_id.in_(unique_ids[start:start + 500]))):
                self.existing[(rec.enterprise_id, rec.unit_id, rec.date, rec.decision_no)] = rec

    def apply(self, values):
        enterprise = self.enterprises[values["credit_code"]]
        unit = self.units[values["unit_code"]]
        key = (enterprise.id, unit.id, values["date"], values.get("decision_no", ""))
        fields = {"outcome": values["outcome"], "fine": values.get("fine", Decimal("0.00"))}
        if "description" in values:
            fields["description"] = values["description"]
        record = self.existing.get(key)
        if record is None:
            # The file's keys are unique (check_rows): a new record is inserted once, in bulk (one
            # executemany in finish(), not one INSERT … RETURNING per row as an ORM flush would).
            self.new_rows.append({"enterprise_id": key[0], "unit_id": key[1], "date": key[2], "decision_no": key[3],
                                  "description": "", "created_at": utcnow(), **fields})
            return "created"
        was_serious = record.outcome == "serious"
        outcome = "updated" if update_fields(record, fields) else "unchanged"
        if record.outcome == "serious" and not was_serious:
            self.serious.append(record)
        return outcome

    def _insert_new(self) -> None:
        if not self.new_rows:
            return
        db.session.execute(insert(EnforcementRecord), self.new_rows)
        serious = [(r["enterprise_id"], r["unit_id"], r["date"], r["decision_no"])
                   for r in self.new_rows if r["outcome"] == "serious"]
        self.new_rows = []
        cols = (EnforcementRecord.enterprise_id, EnforcementRecord.unit_id, EnforcementRecord.date,
                EnforcementRecord.decision_no)
        for start in range(0, len(serious), 200):
            self.serious += db.session.scalars(select(EnforcementRecord).where(
                tuple_(*cols).in_(serious[start:start + 200])).order_by(EnforcementRecord.id)).all()

    def finish(self):
        self._insert_new()
        if self.serious:
            review_serious_records(self.serious)


def add_record(*, enterprise: Enterprise, unit: Unit, day: date, outcome: str, fine: Decimal = Decimal("0.00"),
               decision_no: str = "", description: str = "") -> EnforcementRecord:
    """One record entered by hand (and reviewed like an imported one)."""
    record = EnforcementRecord(enterprise_id=enterprise.id, unit_id=unit.id, date=day, outcome=outcome, fine=fine,
                               decision_no=decision_no, description=description)
    db.session.add(record)
    db.session.flush()
    audit.record("grading.record.add", target=f"enforcement_record:{record.id}",
                 detail={"enterprise": enterprise.credit_code, "unit": unit.code, "outcome": outcome})
    if outcome == "serious":
        review_serious_records([record])
    return record


def record_query(*, q: str = "", unit_id: int | None = None, outcome: str = "", year: int | None = None,
                 enterprise_id: int | None = None):
    stmt = select(EnforcementRecord).join(EnforcementRecord.enterprise).join(EnforcementRecord.unit)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper()),
                              EnforcementRecord.decision_no.ilike(like)))
    if unit_id is not None:
        stmt = stmt.where(EnforcementRecord.unit_id == unit_id)
    if enterprise_id is not None:
        stmt = stmt.where(EnforcementRecord.enterprise_id == enterprise_id)
    if outcome:
        stmt = stmt.where(EnforcementRecord.outcome == outcome)
    if year:
        stmt = stmt.where(EnforcementRecord.date >= date(year, 1, 1), EnforcementRecord.date <= date(year, 12, 31))
    return stmt.order_by(EnforcementRecord.date.desc(), EnforcementRecord.id.desc())


# -- dynamic management ---------------------------------------------------------------------------
def review_serious_records(records: list[EnforcementRecord]) -> list[DowngradeProposal]:
    """For serious records of enterprises on the published list: when the record would make the
    grade worse, raise (or refresh) a downgrade proposal for the justice bureau."""
    grading_round = service.published_round()
    if grading_round is None:
        return []
    first, _ = core.window(grading_round.year)
    latest: dict[int, EnforcementRecord] = {}
    for record in records:
        if record.date >= first and (record.enterprise_id not in latest or record.date >= latest[record.enterprise_id].date):
            latest[record.enterprise_id] = record
    proposals = []
    for enterprise_id, record in sorted(latest.items()):
        proposal = _propose(grading_round, enterprise_id, record)
        if proposal is not None:
            proposals.append(proposal)
    return proposals


def _propose(grading_round: GradingRound, enterprise_id: int, record: EnforcementRecord) -> DowngradeProposal | None:
    result = service.result_of(grading_round, enterprise_id)
    if result is None or result.grade == "C":
        return None
    # The enterprise graded again with the window running to today: every unit keeps at least the
    # grade it gave, the units' rules apply to the records entered since, the combined rule decides.
    regraded = inputs.grade_round(grading_round, enterprise_ids=[enterprise_id], last_day=local_today())
    published_units = {code: core.grade_value(g) for code, g, _ in result.unit_rows()}
    codes = regraded.grading.unit_codes
    unit_grade = regraded.grading.unit_grade[:1].copy()
    for u, code in enumerate(codes):
        unit_grade[0, u] = max(unit_grade[0, u], published_units.get(code, core.A))
    combined, _ = core.combine(unit_grade, inputs.rules_of(grading_round))
    proposed = core.GRADES[int(combined[0])]
    if core.grade_value(proposed) <= core.grade_value(result.grade):
        return None
    unit_name = record.unit.name if record.unit else ""
    reason = (f"{record.date.isoformat()} {unit_name}作出严重违法处理"
              f"{('（' + record.decision_no + '）') if record.decision_no else ''}；重新评定：{regraded.grading.reason[0]}")
    proposal = db.session.scalar(select(DowngradeProposal).where(DowngradeProposal.round_id == grading_round.id,
                                                                DowngradeProposal.enterprise_id == enterprise_id,
                                                                DowngradeProposal.status == "pending"))
    if proposal is None:
        proposal = DowngradeProposal(round_id=grading_round.id, enterprise_id=enterprise_id)
        db.session.add(proposal)
    proposal.record_id = record.id
    proposal.from_grade = result.grade
    proposal.proposed_grade = proposed
    proposal.reason = reason
    db.session.flush()
    audit.record("grading.proposal", target=f"grading_round:{grading_round.id}/enterprise:{enterprise_id}",
                 detail={"from": result.grade, "to": proposed, "record": record.id})
    return proposal


def decide_proposal(proposal: DowngradeProposal, accept: bool, note: str, *, user) -> None:
    service.lock(proposal)
    if proposal.status != "pending":
        raise service.GradingError("该降级建议已处理。")
    note = (note or "").strip()
    if not note:
        raise service.GradingError("请填写处理意见。")
    if accept:
        result = service.result_of(proposal.round, proposal.enterprise_id)
        if result is None or core.grade_value(proposal.proposed_grade) <= core.grade_value(result.grade):
            raise service.GradingError("该企业的当前评级已不低于建议等级，无需降级。")
        service.change_grade(result, proposal.proposed_grade, kind="downgrade", reason=f"{note}（{proposal.reason}）",
                             user=user)
    proposal.status = "accepted" if accept else "rejected"
    proposal.decided_at = utcnow()
    proposal.decided_by = user.username if user is not None else ""
    proposal.decision_note = note
    db.session.flush()
    audit.record("grading.proposal.decide", target=f"downgrade_proposal:{proposal.id}",
                 detail={"accept": accept, "note": note})


def pending_proposals_query():
    return (select(DowngradeProposal).where(DowngradeProposal.status == "pending")
            .order_by(DowngradeProposal.created_at, DowngradeProposal.id))


def window_record_count(grading_round: GradingRound, unit_id: int | None = None) -> dict[str, int]:
    """Counts of records by outcome in the round's window (all units of the round, or one)."""
    first, last = core.window(grading_round.year)
    unit_ids = [unit_id] if unit_id is not None else [ru.unit_id for ru in grading_round.units]
    rows = db.session.execute(select(EnforcementRecord.outcome, func.count())
                              .where(EnforcementRecord.date >= first, EnforcementRecord.date <= last,
                                     EnforcementRecord.unit_id.in_(unit_ids))
                              .group_by(EnforcementRecord.outcome)).all()
    found = dict(rows)
    return {o: found.get(o, 0) for o in core.OUTCOMES}

