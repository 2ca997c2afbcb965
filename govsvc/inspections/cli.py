"""`govsvc inspections …`: the offline check of plan items against a published grading, for units
and the justice bureau to run on their own files — the same rules as the web check
(scoring.inspections.check_items).

    govsvc inspections check --grading G.csv --plans P.csv --out V.csv

G.csv: the grading module's output (`credit_code,name,grade,unit_grades,reason`; only
credit_code and grade are read). P.csv: `plan_id,unit_code,item_id,credit_code,category,basis,
planned_date`. V.csv: `plan_id,item_id,credit_code,violation`, one row per refused item in the
order of P.csv. Bad input: one line on stderr, exit status 2, no file written.
"""
from __future__ import annotations

import contextlib
import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from govsvc.exports import csv_bytes
from govsvc.outputs import write_all
from govsvc.tables import Table, TableError, read_table
from scoring import credit_code
from scoring import inspections as core

inspections_group = AppGroup("inspections", help="涉企检查计划备案：离线审核检查计划事项。")

GRADING_COLUMNS = ("credit_code", "grade")
PLAN_COLUMNS = ("plan_id", "unit_code", "item_id", "credit_code", "category", "basis", "planned_date")
OUT_HEADER = ("plan_id", "item_id", "credit_code", "violation")


class BadInput(ValueError):
    pass


def _columns(table: Table, required: tuple[str, ...], name: str) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, title in enumerate(table.header):
        key = title.strip().lower()
        if key in index:
            raise BadInput(f"{name} 表头中“{title}”列重复。")
        index[key] = i
    missing = [c for c in required if c not in index]
    if missing:
        raise BadInput(f"{name} 表头缺少列：{', '.join(missing)}（应为 {','.join(required)}）。")
    return index


def _read(path: str, name: str) -> Table:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BadInput(f"无法读取 {name} 文件 {path}：{exc.strerror or exc}") from None
    try:
        return read_table(data, path)
    except TableError as exc:
        raise BadInput(f"{name}：{exc}") from None


def _code(raw: str, where: str) -> str:
    try:
        return credit_code.validate(raw)
    except credit_code.CreditCodeError as exc:
        raise BadInput(f"{where} credit_code：{exc}") from None


def read_grades(path: str) -> dict[str, str]:
    table = _read(path, "G.csv")
    cols = _columns(table, GRADING_COLUMNS, "G.csv")
    grades: dict[str, str] = {}
    for number, row in enumerate(table.rows, start=2):
        if not any(row):
            continue
        where = f"G.csv 第 {number} 行"
        code = _code(row[cols["credit_code"]], where)
        grade = row[cols["grade"]].strip().upper()
        if grade not in ("A", "B", "C"):
            raise BadInput(f"{where} grade：“{row[cols['grade']]}”不是 A、B 或 C。")
        if code in grades:
            raise BadInput(f"{where}：企业 {code} 重复。")
        grades[code] = grade
    return grades


def _date(raw: str, where: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise BadInput(f"{where} planned_date：“{raw}”不是 YYYY-MM-DD 格式的日期。") from None


def read_plans(path: str) -> list[core.PlanItem]:
    table = _read(path, "P.csv")
    cols = _columns(table, PLAN_COLUMNS, "P.csv")
    items, seen = [], {}
    # A progress bar on a terminal; nothing extra on a redirected stderr (one line per error).
    bar = click.progressbar(table.rows, label="审核计划事项", file=sys.stderr) if sys.stderr.isatty() else None
    with bar or contextlib.nullcontext(table.rows) as rows:
        for number, row in enumerate(rows, start=2):
            if not any(row):
                continue
            where = f"P.csv 第 {number} 行"
            values = {c: row[cols[c]].strip() for c in PLAN_COLUMNS}
            for column in ("plan_id", "unit_code", "item_id", "category"):
                if not values[column]:
                    raise BadInput(f"{where} {column}：不能为空。")
            try:
                basis = core.parse_basis(values["basis"])
            except ValueError as exc:
                raise BadInput(f"{where} basis：{exc}") from None
            key = (values["plan_id"], values["item_id"])
            if key in seen:
                raise BadInput(f"{where}：plan_id {key[0]} 的 item_id {key[1]} 与第 {seen[key]} 行重复。")
            seen[key] = number
            items.append(core.PlanItem(values["plan_id"], values["item_id"], _code(values["credit_code"], where),
                                       values["category"], basis, _date(values["planned_date"], where)))
    return items


def write_atomically(path: str, data: bytes) -> None:
    """The whole file or nothing (a temporary file renamed into place)."""
    write_all([(path, data)], BadInput)


@inspections_group.command("check", with_appcontext=False)
@click.option("--grading", "grading_path", required=True, type=click.Path(dir_okay=False),
              help="已公布的免检免扰评级（G.csv）。")
@click.option("--plans", "plans_path", required=True, type=click.Path(dir_okay=False), help="检查计划事项（P.csv）。")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False), help="不予备案的事项（V.csv）。")
def check(grading_path: str, plans_path: str, out_path: str) -> None:
    """Check plan items against the grading: A exempt, B at most two random inspections of a
    category per year (counted in order of planned date, plan id, item id)."""
    from govsvc.cli import fail

    try:
        grades = read_grades(grading_path)
        items = read_plans(plans_path)
        violations = core.check_items(items, grades)
        rows = [(i.plan_id, i.item_id, i.enterprise, v) for i, v in zip(items, violations) if v]
        write_atomically(out_path, csv_bytes(OUT_HEADER, rows, bom=False))
    except BadInput as exc:
        fail(str(exc))
    a = sum(1 for v in violations if v == core.A_EXEMPT)
    click.echo(f"已审核 {len(items)} 个事项：A类免检 {a} 个，B类超过年度次数 {len(rows) - a} 个；结果已写入 {out_path}。")
