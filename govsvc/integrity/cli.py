"""`govsvc integrity check`: which persons of a list (e.g. candidates for promotion) are under
restrictions on a date — the same rules as the web pages. Every person found is a file read:
an audit entry with the given purpose. Runs with the server's database, city-wide."""
from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

HEADER = ["row", "id_masked", "name", "unit", "found", "restricted", "restricted_until", "restrictions", "stains"]
ID_COLUMNS = ("id_number", "身份证号")
# The ID column among a list's own columns (name, unit, post, …): a wider file is refused unread.
MAX_COLUMNS = 40
CHUNK = 2000


@click.group("integrity")
def integrity_group() -> None:
    """廉政档案：批量查询限制措施。"""


@integrity_group.command("check")
@click.argument("candidates", type=click.Path(dir_okay=False))
@click.option("--on", "on_text", required=True, help="查询日期，YYYY-MM-DD。")
@click.option("--purpose", required=True, help="查阅目的（记入审计日志），如“干部选拔任用考察”。")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="结果 CSV 文件。")
@with_appcontext
def check(candidates: str, on_text: str, purpose: str, out: str) -> None:
    """Check CANDIDATES (CSV or XLSX with an `id_number` / 身份证号 column) on a date."""
    from govsvc import audit
    from govsvc.cli import fail
    from govsvc.exports import csv_bytes
    from govsvc.extensions import db
    from govsvc.integrity.files import check_candidates
    from govsvc.outputs import write_all
    from govsvc.tables import TableError, read_table
    from govsvc.crypto import require_stable_key
    from scoring import id_number

    require_stable_key()  # ID numbers are found by their keyed hash: a random key finds no one
    try:
        on = date.fromisoformat(on_text)
    except ValueError:
        fail(f"--on 应为 YYYY-MM-DD 格式的日期，收到“{on_text}”。")
    if not purpose.strip():
        fail("--purpose 不能为空：请说明查阅目的。")
    try:
        table = read_table(Path(candidates).read_bytes(), os.path.basename(candidates), max_columns=MAX_COLUMNS)
    except OSError as exc:
        fail(f"无法读取文件 {candidates}：{exc.strerror or exc}")
    except TableError as exc:
        fail(str(exc))
    header = [h.strip().lower() for h in table.header]
    column = next((header.index(c) for c in ID_COLUMNS if c in header), None)
    if column is None:
        fail(f"{candidates} 缺少 id_number（身份证号）列。")
    numbers = []
    for offset, row in enumerate(table.rows):
        try:
            numbers.append(id_number.validate(row[column]))
        except id_number.IdNumberError as exc:
            fail(f"第 {offset + 2} 行 身份证号：{exc}")
    results = {}
    with click.progressbar(length=len(numbers), label="查询限制措施", file=sys.stderr) as bar:
        for start in range(0, len(numbers), CHUNK):
            chunk = numbers[start:start + CHUNK]
            results.update(check_candidates(chunk, on))
            bar.update(len(chunk))
    rows = []
    for offset, number in enumerate(numbers):
        result = results[number]
        found = result.restrictions
        rows.append([offset + 2, id_number.mask(number), result.name, result.unit_name, int(result.person_id is not None),
                     int(bool(found)), found[0].until.isoformat() if found else "", "；".join(r.label for r in found),
                     result.stains])
        if result.person_id is not None:
            audit.record("integrity.file.read", target=f"person:{result.person_id}", detail={"page": "cli check", "on": on},
                         purpose=purpose.strip(), category="integrity", username="命令行")
    try:  # the whole file or nothing, and no temporary file left behind (govsvc.outputs)
        write_all([(out, csv_bytes(HEADER, rows, bom=False))])
    except ValueError as exc:
        db.session.rollback()
        fail(str(exc))
    db.session.commit()
    restricted = sum(r[5] for r in rows)
    click.echo(f"已查询 {len(rows)} 人：找到 {sum(r[4] for r in rows)} 人，{on.isoformat()} 处于限制期内 {restricted} 人。"
               f"结果：{out}")

