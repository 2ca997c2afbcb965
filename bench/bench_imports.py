"""Imports (issue 11): `run_import` of generated CSV files — enterprises, tax rows, enforcement
records — against a plain DBAPI `executemany` of the same rows, already parsed, into the same
table (sqlite3, or psycopg on PostgreSQL), on the same database in the same run. Ours reads,
checks (credit codes, references, duplicates, upserts) and writes in batches; the baseline only
inserts. Rows/s of both are in the note.

The generated files also serve the memory measurement of the CLI:

    python -m bench.bench_imports files DIR [--enterprises 100000 --tax 300000 --records 1000000]
    govsvc import units DIR/units.csv && govsvc import enterprises DIR/enterprises.csv
    /usr/bin/time -v govsvc import records DIR/records.csv     # "Maximum resident set size"

`python -m bench.bench_imports` alone runs the benchmark (`--quick`, `--url postgresql://…`).
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import random
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from bench.common import Result, migrated_app

N_UNITS = 40
FIRST_DAY, DAYS = date(2020, 1, 1), 6 * 365


def _csv(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def units_csv() -> bytes:
    return _csv(["code", "name", "level"], ([f"U{u:03d}", f"执法单位{u}", "city"] for u in range(N_UNITS)))


def enterprise_rows(n: int):
    from tests.factories import make_credit_code

    for i in range(n):
        group = f"集团{i // 50}" if i % 7 == 0 else ""
        yield [make_credit_code(i + 1), f"淄博市第{i}号企业有限公司", f"法人{i % 997}", "", "", "张店区", "工业",
               "1" if i % 3 == 0 else "0", "0", group, "1" if group and i % 350 == 0 else "0", "存续"]


ENTERPRISE_HEADER = ["credit_code", "name", "legal_rep", "head_name", "head_phone", "district", "industry",
                     "above_scale", "new_format", "group", "group_head", "status"]


def tax_rows(n: int, n_enterprises: int):
    from tests.factories import make_credit_code

    rng = random.Random(11)
    years = max(1, -(-n // n_enterprises))
    for i in range(n):
        yield [make_credit_code(i // years + 1), 2025 - i % years, f"{rng.randint(1, 10**9) / 100:.2f}"]


def record_rows(n: int, n_enterprises: int):
    from tests.factories import make_credit_code

    rng = random.Random(5)
    codes = [make_credit_code(i + 1) for i in range(n_enterprises)]
    for i in range(n):
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        draw = rng.random()
        outcome = "none" if draw < 0.8 else "minor" if draw < 0.97 else "serious"
        fine = "" if outcome == "none" else f"{rng.randint(1, 2000) * 100}"
        unit = rng.randrange(N_UNITS)
        yield [codes[rng.randrange(n_enterprises)], f"U{unit:03d}", day.isoformat(), outcome, fine,
               f"淄{unit}罚〔{day.year}〕{i}号" if outcome != "none" else f"检{i}", ""]


RECORD_HEADER = ["credit_code", "unit_code", "date", "outcome", "fine", "decision_no", "description"]


def write_files(folder: Path, enterprises: int, tax: int, records: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "units.csv").write_bytes(units_csv())
    (folder / "enterprises.csv").write_bytes(_csv(ENTERPRISE_HEADER, enterprise_rows(enterprises)))
    (folder / "tax.csv").write_bytes(_csv(["credit_code", "year", "local_retained"], tax_rows(tax, enterprises)))
    (folder / "records.csv").write_bytes(_csv(RECORD_HEADER, record_rows(records, enterprises)))


# -- the benchmark --------------------------------------------------------------------------------
def _import(kind: str, data: bytes) -> tuple[float, int]:
    from govsvc.extensions import db
    from govsvc.imports import KINDS, run_import

    start = time.perf_counter()
    report = run_import(KINDS[kind](), data, f"{kind}.csv")
    db.session.commit()
    if not report.applied:
        raise RuntimeError(f"{kind}: {report.errors[:3]}")
    return time.perf_counter() - start, report.created + report.updated + report.unchanged


def _baseline(table, rows: list[tuple]) -> float:
    """Plain DBAPI executemany of the same (parsed) rows into the same table, rolled back."""
    from govsvc.extensions import db

    connection = db.session.connection()
    raw = connection.connection.driver_connection
    columns = [c.name for c in table.columns if c.name != "id"][:len(rows[0])]
    mark = "?" if connection.dialect.name == "sqlite" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    start = time.perf_counter()
    cursor = raw.cursor()
    cursor.executemany(sql, rows)
    elapsed = time.perf_counter() - start
    db.session.rollback()
    return elapsed


def _parsed(kind: str, data: bytes, ids: dict, units: dict) -> list[tuple]:
    """The file's rows as the baseline inserts them (parsed outside the timing)."""
    from govsvc.timeutil import utcnow

    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    next(reader)
    now = utcnow().isoformat(sep=" ")
    if kind == "enterprises":
        return [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] == "1", r[8] == "1", r[9], r[10] == "1", r[11])
                for r in reader]
    if kind == "tax":
        return [(ids[r[0]], int(r[1]), str(Decimal(r[2]))) for r in reader]
    return [(ids[r[0]], units[r[1]], r[2], r[3], r[4] or "0.00", r[5], r[6], now) for r in reader]


def run(quick: bool, url: str | None = None) -> list[Result]:
    """On SQLite, then on PostgreSQL (the full run, or when GOVSVC_BENCH_DATABASE_URL is set and
    the server answers); only on `url` when one is given."""
    n_ent, n_tax, n_rec = (2_000, 6_000, 20_000) if quick else (100_000, 300_000, 1_000_000)
    files = {"enterprises": _csv(ENTERPRISE_HEADER, enterprise_rows(n_ent)),
             "tax": _csv(["credit_code", "year", "local_retained"], tax_rows(n_tax, n_ent)),
             "records": _csv(RECORD_HEADER, record_rows(n_rec, n_ent))}
    if url:
        return _run_on(url, files)
    results = _run_on(None, files)
    if not quick or os.environ.get("GOVSVC_BENCH_DATABASE_URL"):
        from bench.bench_burst import fresh_postgres

        pg = fresh_postgres()
        if pg:
            results += _run_on(pg, files)
    return results


def _run_on(url: str | None, files: dict[str, bytes]) -> list[Result]:
    from sqlalchemy import select

    from govsvc.extensions import db
    from govsvc.grading.models import EnforcementRecord
    from govsvc.registry.models import Enterprise, TaxRecord, Unit

    tables = {"enterprises": Enterprise.__table__, "tax": TaxRecord.__table__, "records": EnforcementRecord.__table__}
    results = []
    with migrated_app(url):
        where = db.engine.dialect.name
        _import("units", units_csv())
        for kind in ("enterprises", "tax", "records"):
            ids = dict(db.session.execute(select(Enterprise.credit_code, Enterprise.id)).all())
            units = dict(db.session.execute(select(Unit.code, Unit.id)).all())
            rows = _parsed(kind, files[kind], ids, units)  # in the table's column order
            baseline = _baseline(tables[kind], rows)
            del rows
            ours, n = _import(kind, files[kind])
            results.append(Result(f"import {kind} ({where})", f"{n:,} rows", "run_import (check + upsert)", ours,
                                  "DBAPI executemany, parsed rows", baseline,
                                  f"ours {n / ours:,.0f} rows/s, baseline {n / baseline:,.0f} rows/s"))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    files = sub.add_parser("files", help="write units.csv, enterprises.csv, tax.csv, records.csv")
    files.add_argument("folder", type=Path)
    files.add_argument("--enterprises", type=int, default=100_000)
    files.add_argument("--tax", type=int, default=300_000)
    files.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL database to run on (emptied by the migrations)")
    args = parser.parse_args(argv)
    if args.command == "files":
        write_files(args.folder, args.enterprises, args.tax, args.records)
        return 0
    for r in run(args.quick, args.url):
        print(f"{r.benchmark:32} {r.case:>18}  ours {r.ours_s:7.2f} s  baseline {r.baseline_s:7.2f} s  "
              f"×{r.ratio:.2f}  {r.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
