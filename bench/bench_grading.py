"""A/B/C grading of every enterprise from its enforcement records: the scoring core alone and the
full path of the web's "综合评定" (load the registry and the records, grade, write one result
row per enterprise, commit), each beside one plain SQL statement that computes every in-scope
enterprise's grade under the default rule (GROUP BY + CASE; it writes nothing), in the same run on
the same SQLite database. The statement's grades are checked against ours.

And the offline CLI as a whole process (`govsvc grading compute` on E.csv and R.csv, its peak
memory in the note) beside the core alone on the same records and beside the plainest numpy split
of the same R.csv."""
from __future__ import annotations

import random
import tempfile
from pathlib import Path
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from bench.common import GOVSVC, Result, best_of, best_process, migrated_app

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


def _one_sql(grading_round) -> dict[int, str]:
    """The baseline: one SQL statement (counts per enterprise and unit in the window, the default
    rule as CASE, the worst unit per enterprise), returning every in-scope enterprise's grade."""
    from sqlalchemy import text

    from govsvc.extensions import db
    from scoring.grading import IN_BUSINESS, SCOPE_INDUSTRIES, window

    first, last = window(grading_round.year)
    unit_ids = ",".join(str(int(p.unit_id)) for p in grading_round.units)
    industries = ",".join(f"'{i}'" for i in SCOPE_INDUSTRIES)
    sql = text(f"""
        WITH c AS (
            SELECT enterprise_id,
                   SUM(CASE WHEN outcome = 'serious' THEN 1 ELSE 0 END) AS s,
                   SUM(CASE WHEN outcome = 'minor' THEN 1 ELSE 0 END) AS m
            FROM enforcement_records
            WHERE date >= :first AND date <= :last AND unit_id IN ({unit_ids})
            GROUP BY enterprise_id, unit_id)
        SELECT e.id, COALESCE(MAX(CASE WHEN c.s >= 1 OR c.m >= 3 THEN 3 WHEN c.s + c.m > 0 THEN 2 ELSE 1 END), 1)
        FROM enterprises e LEFT JOIN c ON c.enterprise_id = e.id
        WHERE e.status = :status AND e.above_scale AND e.industry IN ({industries})
        GROUP BY e.id""")
    rows = db.session.execute(sql, {"first": first, "last": last, "status": IN_BUSINESS})
    return {enterprise_id: "_ABC"[grade] for enterprise_id, grade in rows}


def _write_files(folder: Path, n_enterprises: int, n_records: int) -> tuple[str, str]:
    """E.csv and R.csv (SPEC's formats) like _populate's data."""
    from tests.factories import make_credit_code

    rng = random.Random(2020)
    codes = [make_credit_code(i + 1) for i in range(n_enterprises)]
    industries = ("工业", "工业", "服务业", "服务业", "房地产开发", "建筑业")
    e_path, r_path = folder / "E.csv", folder / "R.csv"
    e_path.write_text("credit_code,name,industry,above_scale,status\n" + "".join(
        f"{c},企业{i},{rng.choice(industries)},{int(rng.random() < 0.9)},{'存续' if rng.random() < 0.95 else '注销'}\n"
        for i, c in enumerate(codes)), encoding="utf-8")
    units = GRADING_UNITS + OTHER_UNITS
    lines = ["credit_code,unit_code,date,outcome,fine\n"]
    start = date(2022, 1, 1)
    for _ in range(n_records):
        roll = rng.random()
        outcome = "serious" if roll < 0.03 else "minor" if roll < 0.2 else "none"
        fine = str(rng.randrange(0, 100000)) if outcome != "none" else ""
        lines.append(f"{rng.choice(codes)},{rng.choice(units)},{start + timedelta(days=rng.randrange(4 * 365))},"
                     f"{outcome},{fine}\n")
    r_path.write_text("".join(lines), encoding="utf-8")
    return str(e_path), str(r_path)


def _plain_split(path: str) -> int:
    """The plainest numpy parse of a CSV file: its bytes, then where every line and cell ends."""
    import numpy as np

    a = np.frombuffer(Path(path).read_bytes(), dtype=np.uint8)
    return len(np.flatnonzero(a == 10)) + len(np.flatnonzero(a == 44))


def cli_results(quick: bool) -> list[Result]:
    from govsvc.grading import cli
    from scoring import grading as core

    n, m = (5_000, 50_000) if quick else (100_000, 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        e_path, r_path = _write_files(Path(tmp), n, m)
        cli_s, cli_mb = best_process(GOVSVC + ["grading", "compute", "--enterprises", e_path, "--records", r_path,
                                               "--year", "2026", "--out", str(Path(tmp) / "G.csv")], repeat=3)
        codes, _, scope = cli.read_enterprises(e_path)
        unit_codes, records = cli.read_records(r_path, {c: i for i, c in enumerate(codes)})
        core_s = best_of(lambda: core.grade(len(codes), unit_codes, records, 2026, core.DEFAULT_RULES, scope=scope),
                         repeat=3)
        plain_s = best_of(lambda: _plain_split(r_path), repeat=3)
    case = f"{n:,} enterprises × {m:,} records (E.csv, R.csv)"
    return [
        Result("grading compute CLI", case, "govsvc grading compute (whole process)", cli_s,
               "scoring core alone (grade the records in memory)", core_s,
               f"the whole process: start, read and check every row of both files, grade, write G.csv; "
               f"peak {cli_mb:,.0f} MB"),
        Result("grading compute CLI", case, "govsvc grading compute (whole process)", cli_s,
               "plain numpy split of the same R.csv (line and cell ends, nothing checked)", plain_s,
               "the CLI reads both files with numpy too, and checks every credit code, unit, date, outcome and fine"),
    ]


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

        theirs: dict[int, str] = {}
        sql_s = best_of(lambda: theirs.update(_one_sql(grading_round)), repeat=2)
        if ours != theirs:
            raise AssertionError("the one SQL statement and the core disagree")
    note = (f"{sum(counts.values()):,} enterprises in scope graded (A {counts['A']:,} / B {counts['B']:,} / "
            f"C {counts['C']:,}); the SQL statement's grades equal ours (it neither writes nor audits)")
    return cli_results(quick) + [
        Result("grading", case, "scoring core (arrays in memory)", core_s, "one SQL statement (GROUP BY + CASE)", sql_s),
        Result("grading", case, "full path: load + grade + write + commit", full_s, "one SQL statement (GROUP BY + CASE)",
               sql_s, note)]

