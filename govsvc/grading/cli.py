"""`govsvc grading compute`: the offline grading, on the same core as the web (scoring.grading).

    govsvc grading compute --enterprises E.csv --records R.csv --year Y [--rules RULES.toml] --out G.csv

E.csv  credit_code,name,industry,above_scale,status
R.csv  credit_code,unit_code,date,outcome,fine
G.csv  credit_code,name,grade,unit_grades,reason   (in-scope enterprises, by credit code)

Bad input (bad header, bad date, invalid credit code, …) exits with status 2 and one line on
stderr; the output file is written only when everything was read (to a temporary file first).
"""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import click
import numpy as np
from flask.cli import AppGroup

# No model, database or application import here: `compute` is offline and starts fast.
from govsvc.cells import (INDUSTRIES, STATUSES, CellError, parse_bool, parse_credit_code, parse_date, parse_money,
                          parse_outcome, parse_unit_code)
from govsvc import fastcsv
from govsvc.exports import csv_bytes
from govsvc.outputs import write_all
from govsvc.tables import TableError, column_limit, read_table
from scoring import credit_code
from scoring import grading as core

grading_group = AppGroup("grading", help="免检免扰评级：离线评级计算。")

ENTERPRISE_HEADER = ("credit_code", "name", "industry", "above_scale", "status")
RECORD_HEADER = ("credit_code", "unit_code", "date", "outcome", "fine")
OUT_HEADER = ["credit_code", "name", "grade", "unit_grades", "reason"]
OUTCOME_CODE = {"none": core.NONE, "minor": core.MINOR, "serious": core.SERIOUS}


class InputError(ValueError):
    pass


def _table(path: str, required: tuple[str, ...]):
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取 {path}：{exc.strerror or exc}") from None
    try:
        table = read_table(data, path, max_columns=column_limit(len(required)))
    except TableError as exc:
        raise InputError(f"{path}：{exc}") from None
    header = [h.strip().lower() for h in table.header]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{path} 表头缺少列：{', '.join(missing)}（应为 {','.join(required)}）")
    if len(set(header)) != len(header):
        raise InputError(f"{path} 表头有重复的列。")
    if table.too_wide:
        row = min(table.too_wide)
        raise InputError(f"{path} 第 {row} 行的列数多于表头。")
    return table, {name: header.index(name) for name in required}


def _cell(path: str, row: int, column: str, parse, raw: str):
    try:
        return parse(raw)
    except (CellError, ValueError) as exc:
        raise InputError(f"{path} 第 {row} 行 {column}：{exc}") from None


def _choice(options, what):
    def parse(raw: str):
        if raw not in options:
            raise CellError(f"“{raw}”不是有效的{what}（应为 {'、'.join(options)}）。")
        return raw

    return parse


def _strict_bool(raw: str) -> bool:
    if not raw.strip():
        raise CellError("不能为空（应为 1/0 或 是/否）。")
    return parse_bool(raw)


def _plain(path: str, required: tuple[str, ...]):
    """The file's columns for the vectorised reader, or None (unreadable, or not plain: the exact
    reader reads it and words the error)."""
    if str(path).lower().endswith(".xlsx"):
        return None
    try:
        data = Path(path).read_bytes()
        if data[:2] == b"PK":
            return None  # read_table takes it for XLSX
        cols = fastcsv.split(data)
    except (OSError, fastcsv.GiveUp):
        return None
    if sorted(cols.header) != sorted(required) or not cols.rows:
        return None
    return cols


def _parsed(cols, name: str, parse) -> tuple[np.ndarray, list]:
    """(index per row, parsed distinct values) of a column; GiveUp when a value does not parse."""
    inverse, values = fastcsv.distinct(cols, name)
    if parse is parse_credit_code and credit_code.all_valid(values):
        return inverse, values  # (parse_credit_code(v) == v for each: checked at once)
    try:
        return inverse, [parse(v) for v in values]
    except (CellError, ValueError):
        raise fastcsv.GiveUp from None


def _fast_enterprises(path: str):
    """read_enterprises by the vectorised reader; None: the exact reader's turn."""
    cols = _plain(path, ENTERPRISE_HEADER)
    if cols is None:
        return None
    try:
        code_of, codes = _parsed(cols, "credit_code", parse_credit_code)
        if len(set(codes)) != len(codes) or len(codes) != cols.rows:
            return None  # a code repeated: the exact reader names the rows
        name_of, names = fastcsv.distinct(cols, "name")
        if "" in names:
            return None
        industry_of, industries = _parsed(cols, "industry", _choice(INDUSTRIES, "行业类别"))
        above_of, above = _parsed(cols, "above_scale", _strict_bool)
        status_of, statuses = _parsed(cols, "status", _choice(STATUSES, "经营状态"))
    except fastcsv.GiveUp:
        return None
    row_codes = [codes[i] for i in code_of.tolist()]
    scope = core.scope_mask([industries[i] for i in industry_of.tolist()], [above[i] for i in above_of.tolist()],
                            [statuses[i] for i in status_of.tolist()])
    return row_codes, [names[i] for i in name_of.tolist()], scope


def read_enterprises(path: str, fast: bool = True):
    fast = _fast_enterprises(path) if fast else None
    if fast is not None:
        return fast
    table, col = _table(path, ENTERPRISE_HEADER)
    codes, names, industries, above, statuses = [], [], [], [], []
    seen: dict[str, int] = {}
    parse_industry, parse_status = _choice(INDUSTRIES, "行业类别"), _choice(STATUSES, "经营状态")
    for offset, cells in enumerate(table.rows):
        row = offset + 2
        if not any(cells):
            continue
        code = _cell(path, row, "credit_code", parse_credit_code, cells[col["credit_code"]])
        if code in seen:
            raise InputError(f"{path} 第 {row} 行 credit_code：与第 {seen[code]} 行重复。")
        seen[code] = row
        name = cells[col["name"]]
        if not name:
            raise InputError(f"{path} 第 {row} 行 name：不能为空。")
        codes.append(code)
        names.append(name)
        industries.append(_cell(path, row, "industry", parse_industry, cells[col["industry"]]))
        above.append(_cell(path, row, "above_scale", _strict_bool, cells[col["above_scale"]]))
        statuses.append(_cell(path, row, "status", parse_status, cells[col["status"]]))
    return codes, names, core.scope_mask(industries, above, statuses)


def _fast_records(path: str, index_of: dict[str, int]):
    """read_records by the vectorised reader; None: the exact reader's turn."""
    cols = _plain(path, RECORD_HEADER)
    if cols is None:
        return None
    try:
        code_of, codes = _parsed(cols, "credit_code", parse_credit_code)
        unit_of, units = _parsed(cols, "unit_code", parse_unit_code)
        day_of, days = _parsed(cols, "date", parse_date)
        outcome_of, outcomes = _parsed(cols, "outcome", parse_outcome)
        plain_fines = fastcsv.digits(cols, "fine")
        if plain_fines is not None:
            fine = plain_fines[0] * 100
        else:
            fine_of, fines = _parsed(cols, "fine", lambda raw: parse_money(raw) if raw else Decimal(0))
            fine = np.array([int(f * 100) for f in fines], dtype=np.int64)[fine_of]
    except fastcsv.GiveUp:
        return None
    outcome = np.array([OUTCOME_CODE[o] for o in outcomes], dtype=np.int8)[outcome_of]
    if np.any((outcome == OUTCOME_CODE["none"]) & (fine > 0)):
        return None  # the exact reader names the row
    unit_codes = sorted(set(units))
    unit_index = {u: k for k, u in enumerate(unit_codes)}
    enterprise = np.array([index_of.get(c, -1) for c in codes], dtype=np.int64)[code_of]
    keep = enterprise >= 0
    records = core.Records(enterprise=enterprise[keep],
                           unit=np.array([unit_index[u] for u in units], dtype=np.int64)[unit_of][keep],
                           day=np.array(days, dtype="datetime64[D]")[day_of][keep], outcome=outcome[keep],
                           fine=fine[keep])
    return unit_codes, records


def read_records(path: str, index_of: dict[str, int], progress=None, fast: bool = True):
    """Records as arrays; rows of enterprises not in E.csv are checked, then left out. A
    vectorised reader takes plain files (govsvc.fastcsv); anything else, and every error, is the
    exact reader's below."""
    fast = _fast_records(path, index_of) if fast else None
    if fast is not None:
        if progress is not None:
            progress(len(fast[1].enterprise))
        return fast
    table, col = _table(path, RECORD_HEADER)
    ents, unit_names, days, outcomes, fines = [], [], [], [], []
    checked_codes: dict[str, str] = {}
    checked_dates: dict[str, object] = {}
    all_units: set[str] = set()
    for offset, cells in enumerate(table.rows):
        row = offset + 2
        if progress is not None:
            progress(1)
        if not any(cells):
            continue
        raw_code = cells[col["credit_code"]]
        code = checked_codes.get(raw_code)
        if code is None:
            code = checked_codes[raw_code] = _cell(path, row, "credit_code", parse_credit_code, raw_code)
        unit = _cell(path, row, "unit_code", parse_unit_code, cells[col["unit_code"]])
        raw_date = cells[col["date"]]
        day = checked_dates.get(raw_date)
        if day is None:
            day = checked_dates[raw_date] = _cell(path, row, "date", parse_date, raw_date)
        outcome = _cell(path, row, "outcome", parse_outcome, cells[col["outcome"]])
        raw_fine = cells[col["fine"]]
        fine = _cell(path, row, "fine", parse_money, raw_fine) if raw_fine else Decimal(0)
        if outcome == "none" and fine > 0:
            raise InputError(f"{path} 第 {row} 行 fine：检查无违法（none）的记录不应有罚款。")
        all_units.add(unit)
        if code not in index_of:
            continue
        ents.append(index_of[code])
        unit_names.append(unit)
        days.append(day)
        outcomes.append(OUTCOME_CODE[outcome])
        fines.append(int(fine * 100))
    unit_codes = sorted(all_units)
    unit_index = {u: k for k, u in enumerate(unit_codes)}
    records = core.Records(enterprise=np.array(ents, dtype=np.int64),
                           unit=np.array([unit_index[u] for u in unit_names], dtype=np.int64),
                           day=np.array(days, dtype="datetime64[D]"), outcome=np.array(outcomes, dtype=np.int8),
                           fine=np.array(fines, dtype=np.int64))
    return unit_codes, records


def read_rules(path: str | None) -> core.Rules:
    if path is None:
        return core.DEFAULT_RULES
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取规则文件 {path}：{getattr(exc, 'strerror', None) or exc}") from None
    try:
        return core.parse_rules(text)
    except core.RulesError as exc:
        raise InputError(f"{path}：{exc}") from None


def write_atomically(path: str, data: bytes) -> None:
    """The whole file or nothing (a temporary file renamed into place)."""
    write_all([(path, data)], InputError)


def compute_file(enterprises: str, records: str, year: int, rules: str | None, progress=None) -> tuple[bytes, dict]:
    """Read, grade and render G.csv; raises InputError on bad input (nothing written)."""
    parsed_rules = read_rules(rules)
    codes, names, scope = read_enterprises(enterprises)
    index_of = {c: i for i, c in enumerate(codes)}
    unit_codes, recs = read_records(records, index_of, progress)
    grading = core.grade(len(codes), unit_codes, recs, year, parsed_rules, scope=scope)
    texts = grading.unit_grades_texts()
    order = sorted(np.flatnonzero(grading.scope).tolist(), key=lambda i: codes[i])
    rows = [[codes[i], names[i], core.GRADES[grading.grade[i]], texts[i], grading.reason[i]] for i in order]
    return csv_bytes(OUT_HEADER, rows, bom=False), grading.counts()


@grading_group.command("compute", with_appcontext=False)
@click.option("--enterprises", "enterprises", required=True, type=click.Path(dir_okay=False),
              help="企业名单 E.csv：credit_code,name,industry,above_scale,status")
@click.option("--records", "records", required=True, type=click.Path(dir_okay=False),
              help="执法检查记录 R.csv：credit_code,unit_code,date,outcome,fine")
@click.option("--year", required=True, type=click.IntRange(1994, 2100), help="评级年度 Y（依据 Y−3 至 Y−1 年的记录）")
@click.option("--rules", default=None, type=click.Path(dir_okay=False), help="评级规则 RULES.toml（默认规则见 README）")
@click.option("--out", required=True, type=click.Path(), help="输出 G.csv：credit_code,name,grade,unit_grades,reason")
def compute(enterprises: str, records: str, year: int, rules: str | None, out: str) -> None:
    """Grade the enterprises of E.csv for YEAR from the records of R.csv (same rules as the web)."""
    from govsvc.cli import fail

    try:
        if sys.stderr.isatty():  # a bar for people; scripts get one line on stderr, and only on error
            with click.progressbar(length=1, label="读取并评级", file=sys.stderr) as bar:
                def progress(step: int) -> None:
                    bar.length += step
                    bar.update(step)

                data, counts = compute_file(enterprises, records, year, rules, progress)
        else:
            data, counts = compute_file(enterprises, records, year, rules)
        write_atomically(out, data)
    except InputError as exc:
        fail(str(exc))
    total = sum(counts.values())
    click.echo(f"已写入 {total} 家企业的 {year} 年度评级到 {out}（A 类 {counts['A']}，B 类 {counts['B']}，C 类 {counts['C']}）。")
