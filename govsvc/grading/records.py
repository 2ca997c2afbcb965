"""Enforcement records: the import kind (`govsvc import records FILE`, the web import pages),
record queries, and dynamic management — a serious penalty entered after the list is published
raises a downgrade proposal for the justice bureau."""
from __future__ import annotations

from datetime import date
from hashlib import blake2b
from decimal import Decimal

from sqlalchemy import func, or_, select

from govsvc import audit
from govsvc.cells import parse_date, parse_outcome  # noqa: F401
from govsvc.extensions import db
from govsvc.grading import inputs, service
from govsvc.grading.models import DowngradeProposal, EnforcementRecord, GradingRound
from govsvc.imports import (CellError, Column, ImportKind, KeyIds, RowError, duplicate_key_errors,
                            existing_rows, parse_choice, parse_money, parse_text, register, update_fields,
                            write_rows)
from govsvc.registry.imports import codes_in_db, parse_credit_code, parse_unit_code
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today, utcnow
from scoring import grading as core

def parse_record_date(raw: str) -> date:
    day = parse_date(raw)
    if day > local_today():
        raise CellError(f"日期 {day.isoformat()} 晚于今天。")
    if day.year < 1990:
        raise CellError(f"日期 {day.isoformat()} 过早。")
    return day


def parse_fine(raw: str) -> Decimal:
    return parse_money(raw) if raw else Decimal("0.00")




@register
class RecordImport(ImportKind):
    """Enforcement records; upsert on (enterprise, unit, date, decision number)."""

    name = "records"
    label = "执法检查记录"
    columns = (
        Column("credit_code", "统一社会信用代码", parse_credit_code, required=True, repeats=True),
        Column("unit_code", "单位代码", parse_unit_code, required=True, repeats=True),
        Column("date", "日期", parse_record_date, required=True, aliases=("检查日期", "处罚日期"), repeats=True),
        Column("outcome", "结果", parse_outcome, required=True, aliases=("检查结果", "处理结果"), repeats=True),
        Column("fine", "罚款金额", parse_fine, aliases=("罚款",), repeats=True),
        Column("decision_no", "决定书文号", parse_text(100), aliases=("处罚决定书文号", "文号")),
        Column("description", "说明", parse_text(500), aliases=("违法事实", "备注")),
    )

    bulk = True
    NEW_COLUMNS = ("enterprise_id", "unit_id", "date", "decision_no", "outcome", "fine", "description", "created_at")

    def __init__(self, only_unit_id: int | None = None):
        # A department uploads its own unit's records only.
        self.only_unit_id = only_unit_id
        self.serious: list[EnforcementRecord] = []

    def key(self, values):
        return values["credit_code"], values["unit_code"], values["date"], values.get("decision_no", "")

    def check_rows(self, rows):
        self.begin_bulk(False)
        errors = self.check_batch(rows)
        self.end_check(lambda: iter(rows))
        return errors

    def begin_bulk(self, write):
        # The file's keys so far. A key is held as its 128-bit BLAKE2b digest (49 bytes instead of
        # about 200 for the text of a record's key: 1,000,000 rows fit in ~80 MB); two different
        # keys of one file share a digest with a probability below 1e-26. A duplicate's message
        # names the row it repeats, found by end_check (a second pass, only when there are any).
        self.seen: set[bytes] = set()
        self.duplicates: dict[bytes, list[RowError]] = {}
        self.enterprise_ids = KeyIds(Enterprise.credit_code, Enterprise.id)
        self.unit_ids = KeyIds(Unit.code, Unit.id)
        # Dynamic management follows the serious records of the import (latest per enterprise).
        self.watch_serious = write and service.published_round() is not None
        self.latest_serious: dict[int, tuple] = {}
        self.table_was_empty = write and db.session.scalar(select(EnforcementRecord.id).limit(1)) is None

    def check_batch(self, rows):
        errors = []
        enterprises = self.enterprise_ids.resolve(r.values["credit_code"] for r in rows)
        units = self.unit_ids.resolve(r.values["unit_code"] for r in rows)
        seen = self.seen
        for row in rows:
            values = row.values
            key = self.digest(values)
            if key in seen:
                error = RowError(row.number, "决定书文号", "")
                self.duplicates.setdefault(key, []).append(error)
                errors.append(error)
            else:
                seen.add(key)
            if values["credit_code"] not in enterprises:
                errors.append(RowError(row.number, "统一社会信用代码", "登记库中没有这家企业，请先导入企业。"))
            unit_id = units.get(values["unit_code"])
            if unit_id is None:
                errors.append(RowError(row.number, "单位代码", f"找不到单位代码“{values['unit_code']}”。"))
            elif self.only_unit_id is not None and unit_id != self.only_unit_id:
                errors.append(RowError(row.number, "单位代码", "只能导入本单位的执法检查记录。"))
            if values["outcome"] == "none" and values.get("fine", Decimal(0)) > 0:
                errors.append(RowError(row.number, "罚款金额", "检查无违法的记录不应有罚款。"))
        return errors

    @staticmethod
    def digest(values) -> bytes:
        return blake2b(f"{values['credit_code']}|{values['unit_code']}|{values['date'].toordinal()}|"
                       f"{values.get('decision_no', '')}".encode(), digest_size=16).digest()

    def end_check(self, rescan):
        if not self.duplicates:
            return
        first: dict[bytes, int] = {}
        for row in rescan():
            key = self.digest(row.values)
            if key in self.duplicates and key not in first:
                first[key] = row.number
                if len(first) == len(self.duplicates):
                    break
        for key, errors in self.duplicates.items():
            for error in errors:
                error.message = f"与第 {first[key]} 行重复。"

    def write_batch(self, rows, report):
        table = EnforcementRecord.__table__
        enterprises, units = self.enterprise_ids.ids, self.unit_ids.ids
        keyed = []
        for row in rows:
            values = row.values
            keyed.append(((enterprises[values["credit_code"]], units[values["unit_code"]], values["date"],
                           values.get("decision_no", "")), values))
        existing = {} if self.table_was_empty else existing_rows(
            table, ("enterprise_id", "unit_id", "date", "decision_no"), [k for k, _ in keyed],
            ("outcome", "fine", "description"))
        now = utcnow()
        zero = Decimal("0.00")
        new, changed = [], []
        watch, latest_serious = self.watch_serious, self.latest_serious
        for key, values in keyed:
            outcome, fine, description = values["outcome"], values.get("fine", zero), values.get("description")
            old = existing.get(key) if existing else None
            if old is None:
                new.append((*key, outcome, fine, description or "", now))
                report.created += 1
            else:
                diff = {}
                if old.outcome != outcome:
                    diff["outcome"] = outcome
                if old.fine != fine:
                    diff["fine"] = fine
                if description is not None and old.description != description:
                    diff["description"] = description
                if diff:
                    changed.append({"_id": old.id, **diff})
                    report.updated += 1
                else:
                    report.unchanged += 1
                if old.outcome == "serious":
                    continue  # was serious before: not newly serious
            if watch and outcome == "serious":
                latest = latest_serious.get(key[0])
                if latest is None or key[2] >= latest[2]:
                    latest_serious[key[0]] = key
        write_rows(table, self.NEW_COLUMNS, new, changed)

    def finish(self):
        if not self.latest_serious:
            return
        # The newest serious record per enterprise is the one review_serious_records would take.
        table = EnforcementRecord.__table__
        found = existing_rows(table, ("enterprise_id", "unit_id", "date", "decision_no"),
                              sorted(self.latest_serious.values()), ())
        records = [db.session.get(EnforcementRecord, row.id) for row in found.values()]
        review_serious_records(sorted(records, key=lambda r: (r.enterprise_id, r.date, r.id)))


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

