"""A/B/C grading of every enterprise from its enforcement records: the scoring core alone and the
full path of the web's "综合评定" (load the registry and the records, grade, write one result
row per enterprise, commit), each beside a straightforward per-enterprise ORM loop (one query
per enterprise for its records, the rule in Python, one ORM object per result) in the same run,
on the same SQLite database. The loop's grades are checked against ours."""
from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from bench.common import Result, best_of, migrated_app

GRADING_UNITS = ("FGW", "RSJ", "SCJ", "SHJ", "SWJ", "YJJ")
OTHER_UNITS = ("GAJ", "ZJJ")


def _populate(n_enterprises: int, n_records: int):
    from govsvc.extensions import db
    from govsvc.grading.models import EnforcementRecord
    from govsvc.registry.models import Enterprise, Unit
    from tests.factories import make_credit_code

    rng = random.Random(2019)
    db.session.execute(Unit.__table__.insert(), [
        {"code": c, "name": f"单位{c}", "level": "city", "district": "", "enforcement": True,
         "grading": c in GRADING_UNITS} for c in GRADING_UNITS + OTHER_UNITS])
    industries = ("工业", "工业", "服务业", "服务业", "房地产开发", "建筑业")
    db.session.execute(Enterprise.__table__.insert(), [
        {"credit_code": make_credit_code(i + 1), "name": f"企业{i}", "industry": rng.choice(industries),
         "above_scale": rng.random() < 0.9, "status": "存续" if rng.random() < 0.95 else "注销", "legal_rep": "",
         "head_name": "", "head_phone": "", "district": f"区{i % 8}", "new_format": False, "group_name": "",
         "group_head": False} for i in range(n_enterprises)])
    unit_ids = db.session.execute(db.select(Unit.id)).scalars().all()
    enterprise_ids = db.session.execute(db.select(Enterprise.id)).scalars().all()
    start, now = date(2022, 1, 1), datetime(2026, 11, 1, tzinfo=timezone.utc)
    seen = set()
    rows = []
    while len(rows) < n_records:
        e, u, d = rng.choice(enterprise_ids), rng.choice(unit_ids), start + timedelta(days=rng.randrange(4 * 365))
        roll = rng.random()
        outcome = "serious" if roll < 0.03 else "minor" if roll < 0.2 else "none"
        number = f"罚{len(rows)}" if outcome != "none" else ""
        if (e, u, d, number) in seen:
            continue
        seen.add((e, u, d, number))
        rows.append({"enterprise_id": e, "unit_id": u, "date": d, "outcome": outcome,
                     "fine": Decimal(rng.randrange(0, 100000)) if outcome != "none" else Decimal(0),
                     "decision_no": number, "description": "", "created_at": now})
    for k in range(0, len(rows), 100_000):
        db.session.execute(EnforcementRecord.__table__.insert(), rows[k:k + 100_000])
    db.session.commit()


def _round():
    from govsvc.extensions import db
    from govsvc.grading import service

    grading_round = service.create_round(2026, service.DEFAULT_RULES_TOML)
    for part in grading_round.units:
        service.submit_rule(grading_round, part)
    db.session.commit()
    return grading_round


def _orm_loop(grading_round) -> dict[int, str]:
    """The straightforward way: every enterprise, its records by one ORM query, the rule in Python."""
    from govsvc.extensions import db
    from govsvc.grading.models import EnforcementRecord, GradingResult
    from govsvc.registry.models import Enterprise
    from scoring.grading import in_scope, window

    first, last = window(grading_round.year)
    units = {p.unit_id: p.unit.code for p in grading_round.units}
    db.session.execute(db.delete(GradingResult).where(GradingResult.round_id == grading_round.id))
    out = {}
    for enterprise in db.session.scalars(db.select(Enterprise).order_by(Enterprise.id)):
        if not in_scope(enterprise.industry, enterprise.above_scale, enterprise.status):
            continue
        minor = {code: 0 for code in units.values()}
        serious = dict(minor)
        for record in db.session.scalars(db.select(EnforcementRecord).where(
                EnforcementRecord.enterprise_id == enterprise.id, EnforcementRecord.date >= first,
                EnforcementRecord.date <= last)):
            code = units.get(record.unit_id)
            if code is None:
                continue
            if record.outcome == "minor":
                minor[code] += 1
            elif record.outcome == "serious":
                serious[code] += 1
        unit_grades = {c: "C" if serious[c] >= 1 or minor[c] >= 3 else "B" if minor[c] or serious[c] else "A"
                       for c in units.values()}
        grade = max(unit_grades.values())
        out[enterprise.id] = grade
        db.session.add(GradingResult(round_id=grading_round.id, enterprise_id=enterprise.id, computed_grade=grade,
                                     grade=grade, unit_grades=";".join(f"{c}:{g}" for c, g in sorted(unit_grades.items())),
                                     unit_reasons="{}", reason=""))
    db.session.commit()
    return out


def run(quick: bool) -> list[Result]:
    from govsvc.extensions import db
    from govsvc.grading import inputs, service
    from govsvc.grading.models import GradingResult

    n, m = (5_000, 50_000) if quick else (100_000, 1_000_000)
    case = f"{n:,} enterprises × {m:,} records"
    with migrated_app():
        _populate(n, m)
        grading_round = _round()

        loaded = inputs.load_inputs(grading_round)
        core_s = best_of(loaded.grade, repeat=3)

        def full_path():
            counts.update(service.compute(grading_round))
            db.session.commit()

        counts: dict[str, int] = {}
        full_s = best_of(full_path, repeat=2)
        ours = dict(db.session.execute(db.select(GradingResult.enterprise_id, GradingResult.grade)
                                       .where(GradingResult.round_id == grading_round.id)).all())

        start = time.perf_counter()
        theirs = _orm_loop(grading_round)
        loop_s = time.perf_counter() - start
        if ours != theirs:
            raise AssertionError("the ORM loop and the core disagree")
    note = (f"{sum(counts.values()):,} enterprises in scope graded (A {counts['A']:,} / B {counts['B']:,} / "
            f"C {counts['C']:,}); the loop's grades equal ours")
    return [Result("grading", case, "scoring core (arrays in memory)", core_s, "per-enterprise ORM loop", loop_s),
            Result("grading", case, "full path: load + grade + write + commit", full_s, "per-enterprise ORM loop",
                   loop_s, note)]

