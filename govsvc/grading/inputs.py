"""Loading what the core needs to grade a round: the registry, the records in the window, the
units' lists — read as plain driver values and converted by whole columns, so that 100,000
enterprises and a million records load in about a second — and the bulk write of the results."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from sqlalchemy import select

from govsvc.extensions import db
from govsvc.grading.models import EnforcementRecord, GradingRound, UnitGrade
from govsvc.registry.models import Enterprise, Unit
from scoring import grading as core


def rules_of(grading_round: GradingRound) -> core.Rules:
    return core.parse_rules(grading_round.rules_toml)


@dataclass
class RoundInputs:
    """Everything the core needs to grade a round, loaded from the database."""

    enterprise_ids: list[int]
    units: list[Unit]
    records: core.Records
    scope: np.ndarray
    unit_lists: dict[int, dict[int, core.ListedGrade]]
    year: int
    rules: core.Rules
    last_day: date | None = None
    history: np.ndarray | None = None   # any record in the window, per enterprise (no_history rule)

    def grade(self) -> core.Grading:
        return core.grade(len(self.enterprise_ids), [u.code for u in self.units], self.records, self.year, self.rules,
                          scope=self.scope, unit_lists=self.unit_lists, unit_labels=[u.name for u in self.units],
                          last_day=self.last_day, history=self.history)


@dataclass
class RoundGrading:
    """The core's result for a round, with the enterprise id of each row and the units of each column."""

    grading: core.Grading
    enterprise_ids: list[int]
    units: list[Unit]


def load_inputs(grading_round: GradingRound, *, enterprise_ids: list[int] | None = None,
                last_day: date | None = None, use_lists: bool = True) -> RoundInputs:
    """Load the registry, the records and the units' lists (no writes).
    `use_lists=False`: every unit by its rule (what the rule would give a unit with a list)."""
    units = sorted((ru.unit for ru in grading_round.units), key=lambda u: u.code)
    rules = rules_of(grading_round)
    stmt = select(Enterprise.id, Enterprise.industry, Enterprise.above_scale, Enterprise.status).order_by(Enterprise.id)
    if enterprise_ids is not None:
        stmt = stmt.where(Enterprise.id.in_(enterprise_ids))
    ents = _plain_rows(stmt)
    ids = np.array([e[0] for e in ents], dtype=np.int64)
    scope = core.scope_mask([e[1] for e in ents], [bool(e[2]) for e in ents], [e[3] for e in ents])
    first, last = core.window(grading_round.year)
    last = max(last, last_day) if last_day else last
    # Only minor and serious records inside the window can count: the database filters, the core decides.
    need_fines = rules.default.serious_fine is not None or any(r.serious_fine for r in rules.units.values())
    columns = [EnforcementRecord.enterprise_id, EnforcementRecord.unit_id, EnforcementRecord.date,
               EnforcementRecord.outcome, EnforcementRecord.decision_no]
    rec_stmt = (select(*columns, *([EnforcementRecord.fine] if need_fines else []))
                .where(EnforcementRecord.outcome.in_(("minor", "serious")), EnforcementRecord.date >= first,
                       EnforcementRecord.date <= last))
    if enterprise_ids is not None:
        rec_stmt = rec_stmt.where(EnforcementRecord.enterprise_id.in_(enterprise_ids))
    recs = _plain_rows(rec_stmt)
    unit_index = np.full(max([u.id for u in units] + [r[1] for r in recs] + [0]) + 1, -1, dtype=np.int64)
    for k, u in enumerate(units):
        unit_index[u.id] = k  # records of units that do not take part in the round: −1, ignored by the core
    days = [str(r[2]) for r in recs]  # 'YYYY-MM-DD' from either driver
    records = core.Records(
        enterprise=np.searchsorted(ids, np.array([r[0] for r in recs], dtype=np.int64)),
        unit=unit_index[np.array([r[1] for r in recs], dtype=np.int64)],
        day=np.array(days, dtype="datetime64[D]"),
        outcome=np.array([r[3] == "serious" for r in recs], dtype=np.int8) + core.MINOR,
        fine=np.array([round(Decimal(str(r[5])) * 100) for r in recs], dtype=np.int64) if need_fines else None,
        label=[f"{d} {r[4]}" if r[4] else d for d, r in zip(days, recs)],
    )
    row_of = {eid: k for k, eid in enumerate(ids.tolist())}
    list_units = [ru.unit_id for ru in grading_round.units if ru.method == "list" and use_lists]
    unit_lists: dict[int, dict[int, core.ListedGrade]] = {int(unit_index[u]): {} for u in list_units}
    if list_units:
        entries = db.session.execute(select(UnitGrade.unit_id, UnitGrade.enterprise_id, UnitGrade.grade,
                                            UnitGrade.reason).where(UnitGrade.round_id == grading_round.id,
                                                                    UnitGrade.unit_id.in_(list_units)))
        for unit_id, enterprise_id, letter, reason in entries:
            if enterprise_id in row_of:
                unit_lists[int(unit_index[unit_id])][row_of[enterprise_id]] = core.ListedGrade(core.grade_value(letter),
                                                                                              reason)
    history = None
    if rules.no_history != "A":
        # Which enterprises have any record in the window, findings or not (one DISTINCT query).
        seen = db.session.scalars(select(EnforcementRecord.enterprise_id).distinct()
                                  .where(EnforcementRecord.date >= first, EnforcementRecord.date <= last)).all()
        history = np.isin(ids, np.array(seen, dtype=np.int64))
    return RoundInputs(ids.tolist(), units, records, scope, unit_lists, grading_round.year, rules, last_day, history)


def insert_plain(table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Many rows of plain values (text and integers) in one driver-level executemany."""
    if not rows:
        return
    connection = db.session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) "
                               f"VALUES ({', '.join([mark] * len(columns))})", rows)


def _plain_rows(stmt) -> list[tuple]:
    """The rows of a big read as plain driver values, without SQLAlchemy's per-value conversion
    (dates come as text on SQLite): the callers convert whole columns at once. The statement
    holds only numbers, dates and fixed words, rendered as literals."""
    connection = db.session.connection()
    sql = str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()  # the DBAPI cursor, inside the session's transaction
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def grade_round(grading_round: GradingRound, **options) -> RoundGrading:
    """Grade a round with the core (no writes); options as for load_inputs."""
    inputs = load_inputs(grading_round, **options)
    return RoundGrading(inputs.grade(), inputs.enterprise_ids, inputs.units)
