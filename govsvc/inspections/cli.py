"""`govsvc inspections …`: the offline check of plan items against a published grading, for units
and the justice bureau to run on their own files — the same rules as the web check
(scoring.inspections.check_items).

    govsvc inspections check --grading G.csv --plans P.csv [--rules RULES.toml] --out V.csv

G.csv: the grading module's output (`credit_code,name,grade,unit_grades,reason`; only
credit_code and grade are read). P.csv: `plan_id,unit_code,item_id,credit_code,category,basis,
planned_date`, and optionally `unit_level` (city/county: the A exemption's scope; empty or
missing: city), `carries_out` (`plan_id:item_id` of the annual item a row carries out: one
inspection, one place in the B cap) and `unfiled` (1: an inspection done without a plan item;
it holds its place and is never refused). RULES.toml: the grading round's rules; only its
[inspections] a_scope is read. V.csv: `plan_id,item_id,credit_code,violation`, one row per
refused item in the order of P.csv. Bad input: one line on stderr, exit status 2, no file written.
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
from govsvc.tables import Table, TableError, column_limit, read_table
from scoring import credit_code
from scoring import inspections as core

inspections_group = AppGroup("inspections", help="涉企检查计划备案：离线审核检查计划事项。")

GRADING_COLUMNS = ("credit_code", "grade")
PLAN_COLUMNS = ("plan_id", "unit_code", "item_id", "credit_code", "category", "basis", "planned_date")
OPTIONAL_COLUMNS = ("unit_level", "carries_out", "unfiled")
OUT_HEADER = ("plan_id", "item_id", "credit_code", "violation")
GRADING_FILE_COLUMNS = 5  # the grading output: credit_code,name,grade,unit_grades,reason
LEVELS = {"": core.CITY, "city": core.CITY, "市": core.CITY, "市级": core.CITY,
          "county": core.COUNTY, "区县": core.COUNTY, "县级": core.COUNTY}
FLAGS = {"": False, "0": False, "否": False, "1": True, "是": True}


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


def _read(path: str, name: str, columns: int) -> Table:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BadInput(f"无法读取 {name} 文件 {path}：{exc.strerror or exc}") from None
    try:
        return read_table(data, path, max_columns=column_limit(columns))
    except TableError as exc:
        raise BadInput(f"{name}：{exc}") from None


def _code(raw: str, where: str) -> str:
    try:
        return credit_code.validate(raw)
    except credit_code.CreditCodeError as exc:
        raise BadInput(f"{where} credit_code：{exc}") from None


def read_grades(path: str) -> dict[str, str]:
    table = _read(path, "G.csv", GRADING_FILE_COLUMNS)
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


def _optional(row, cols, where: str) -> tuple[str, tuple | None, bool]:
    values = {c: row[cols[c]].strip() if c in cols else "" for c in OPTIONAL_COLUMNS}
    level = LEVELS.get(values["unit_level"].lower())
    if level is None:
        raise BadInput(f"{where} unit_level：“{values['unit_level']}”应为 city 或 county（市级、区县）。")
    linked = None
    if values["carries_out"]:
        plan_id, sep, item_id = values["carries_out"].partition(":")
        if not sep or not plan_id.strip() or not item_id.strip():
            raise BadInput(f"{where} carries_out：“{values['carries_out']}”应为 plan_id:item_id。")
        linked = (plan_id.strip(), item_id.strip())
    unfiled = FLAGS.get(values["unfiled"])
    if unfiled is None:
        raise BadInput(f"{where} unfiled：“{values['unfiled']}”应为 1 或 0（是或否）。")
    return level, linked, unfiled


def read_plans(path: str) -> list[core.PlanItem]:
    return read_plan_rows(path)[0]


def read_plan_rows(path: str) -> tuple[list[core.PlanItem], dict[core.CapKey, int]]:
    """The plan items of P.csv, and the places its unfiled inspections hold in the B cap."""
    table = _read(path, "P.csv", len(PLAN_COLUMNS) + len(OPTIONAL_COLUMNS))
    cols = _columns(table, PLAN_COLUMNS, "P.csv")
    items, seen, held = [], {}, {}
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
            level, linked, unfiled = _optional(row, cols, where)
            item = core.PlanItem(values["plan_id"], values["item_id"], _code(values["credit_code"], where),
                                 values["category"], basis, _date(values["planned_date"], where), linked, level)
            if unfiled:
                if basis == core.RANDOM:
                    cap = core.cap_key(item.enterprise, item.category, item.planned_date)
                    held[cap] = held.get(cap, 0) + 1
            else:
                items.append(item)
    return items, held


def read_a_scope(path: str | None) -> str:
    if not path:
        return core.DEFAULT_A_SCOPE
    from scoring import grading as grading_core

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"无法读取规则文件 {path}：{getattr(exc, 'strerror', None) or exc}") from None
    try:
        return grading_core.parse_rules(text).a_scope
    except grading_core.RulesError as exc:
        raise BadInput(f"RULES.toml：{exc}") from None


def write_atomically(path: str, data: bytes) -> None:
    """The whole file or nothing (a temporary file renamed into place)."""
    write_all([(path, data)], BadInput)


@inspections_group.command("check", with_appcontext=False)
@click.option("--grading", "grading_path", required=True, type=click.Path(dir_okay=False),
              help="已公布的免检免扰评级（G.csv）。")
@click.option("--plans", "plans_path", required=True, type=click.Path(dir_okay=False), help="检查计划事项（P.csv）。")
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False),
              help="评级规则（RULES.toml，读取 [inspections] a_scope；缺省为市级部门）。")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False), help="不予备案的事项（V.csv）。")
def check(grading_path: str, plans_path: str, out_path: str, rules_path: str | None = None) -> None:
    """Check plan items against the grading: A exempt (in the round's scope), B at most two random
    inspections of a category per year (counted in order of planned date, plan id, item id; a
    row carrying out an annual row counts once with it; unfiled inspections count first)."""
    from govsvc.cli import fail

    try:
        a_scope = read_a_scope(rules_path)
        grades = read_grades(grading_path)
        items, held = read_plan_rows(plans_path)
        violations = core.check_items(items, grades, held, a_scope=a_scope)
        rows = [(i.plan_id, i.item_id, i.enterprise, v) for i, v in zip(items, violations) if v]
        write_atomically(out_path, csv_bytes(OUT_HEADER, rows, bom=False))
    except BadInput as exc:
        fail(str(exc))
    a = sum(1 for v in violations if v == core.A_EXEMPT)
    click.echo(f"已审核 {len(items)} 个事项：A类免检 {a} 个，B类超过年度次数 {len(rows) - a} 个；结果已写入 {out_path}。")
