"""The survey's file formats (SPEC.md "Offline tally"), shared by the CLI and the web exports.

    D.csv  code,name,category                      rated departments (category enforcement|service
                                                   or 执法和综合管理类|服务类)
    B.csv  ballot_id,department_code,rating        one row per rating (satisfied|basic|dissatisfied|
                                                   unknown or 满意|基本满意|不满意|不了解)
    R.csv  category,rank,code,name,score,satisfied,basic,dissatisfied,unknown,outcome
    P.csv  a previous year's R.csv
    X.csv  ballot_id,category,reason               one row per invalid ballot part

Reading raises `FileError` with one clear line (Chinese) naming the file and the row.
"""
from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from govsvc import outputs as outputs_module
from govsvc.exports import csv_bytes
from govsvc.tables import TableError, check_header_width, column_limit, csv_records, extent, read_table
from scoring import survey as core

D_HEADER = ["code", "name", "category"]
B_HEADER = ["ballot_id", "department_code", "rating"]
R_HEADER = ["category", "rank", "code", "name", "score", "satisfied", "basic", "dissatisfied", "unknown", "outcome"]
X_HEADER = ["ballot_id", "category", "reason"]


class FileError(ValueError):
    """A file that cannot be used; the message is one line for the user."""


def os_error(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹"
    if isinstance(exc, PermissionError):
        return "没有权限"
    return exc.strerror or str(exc)


def read_bytes(path: str, label: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise FileError(f"无法读取 {label}（{path}）：{os_error(exc)}") from None


def _columns(header: Sequence[str], wanted: Sequence[str], label: str) -> dict[str, int]:
    positions = {name.strip().lower(): i for i, name in enumerate(header)}
    missing = [w for w in wanted if w not in positions]
    if missing:
        raise FileError(f"{label} 缺少列：{', '.join(missing)}（表头应为 {','.join(wanted)}）")
    return {w: positions[w] for w in wanted}


def _read_small(data: bytes, label: str, columns: Sequence[str]):
    try:
        return read_table(data, label, max_columns=column_limit(len(columns)))
    except TableError as exc:
        raise FileError(f"{label}：{exc}") from None


def read_departments(data: bytes, label: str = "D.csv") -> list[core.Department]:
    table = _read_small(data, label, D_HEADER)
    col = _columns(table.header, D_HEADER, label)
    departments, seen = [], {}
    for number, row in enumerate(table.rows, start=2):
        if not any(row):
            continue
        code, name, category_text = (row[col[c]] for c in D_HEADER)
        if not code:
            raise FileError(f"{label} 第 {number} 行：部门代码为空")
        category = core.parse_category(category_text)
        if category is None:
            raise FileError(f"{label} 第 {number} 行：类别“{category_text}”无效，应为 enforcement 或 service"
                            "（执法和综合管理类 或 服务类）")
        if code in seen:
            raise FileError(f"{label} 第 {number} 行：部门代码“{code}”与第 {seen[code]} 行重复")
        seen[code] = number
        departments.append(core.Department(code=code, name=name, category=category))
    if not departments:
        raise FileError(f"{label} 中没有部门")
    return departments


def _text_lines(path: Path, label: str) -> Iterable[str]:
    """The lines of a UTF-8 (with or without BOM) or GB18030 text file, streamed."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise FileError(f"无法读取 {label}（{path}）：{os_error(exc)}") from None
    if b"\x00" in head:
        raise FileError(f"{label} 不是文本格式的 CSV")
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "gb18030"
    with open(path, encoding=encoding, newline="") as fh:
        try:
            yield from fh
        except UnicodeDecodeError:
            raise FileError(f"{label} 的编码无法识别：请保存为 UTF-8 编码的 CSV") from None


def read_ballot_rows(path: Path, departments: Sequence[core.Department], label: str = "B.csv",
                     progress: Callable[[int], None] | None = None) -> list[tuple[str, None, str, str]]:
    """B.csv as (ballot_id, None, department_code, rating) rows; unknown codes are bad input."""
    known = {d.code for d in departments}
    records = csv_records(_text_lines(path, label))
    rows = []
    try:
        number, header = next(records, (0, None))
        if header is None:
            raise FileError(f"{label} 为空：第一行应为表头 {','.join(B_HEADER)}")
        check_header_width(extent(header), column_limit(len(B_HEADER)))
        col = _columns([h.lstrip("\ufeff") for h in header], B_HEADER, label)
        width = max(col.values()) + 1
        for number, row in records:
            if progress and number % 10000 == 0:
                progress(10000)
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < width:
                raise FileError(f"{label} 第 {number} 行：列数不足")
            ballot_id, code, rating = (row[col[c]].strip() for c in B_HEADER)
            if not ballot_id:
                raise FileError(f"{label} 第 {number} 行：ballot_id 为空")
            if code not in known:
                raise FileError(f"{label} 第 {number} 行：未知的部门代码“{code}”（不在部门名单中）")
            rows.append((ballot_id, None, code, rating))
    except TableError as exc:
        raise FileError(f"{label}：{exc}") from None
    return rows


def read_previous_bottom(data: bytes, label: str = "P.csv") -> set[str]:
    """Codes of the departments in last year's bottom two (outcome interview or reorganize)."""
    table = _read_small(data, label, R_HEADER)
    col = _columns(table.header, ["code", "outcome"], label)
    bottom = set()
    for number, row in enumerate(table.rows, start=2):
        outcome = row[col["outcome"]]
        if outcome and outcome not in core.OUTCOMES:
            raise FileError(f"{label} 第 {number} 行：结果“{outcome}”无效，应为 commended、interview、reorganize 或空")
        if outcome in (core.INTERVIEW, core.REORGANIZE):
            bottom.add(row[col["code"]])
    return bottom


# -- writing ----------------------------------------------------------------------------------
def result_row(r) -> list:
    """One R.csv row from a scoring.survey.DepartmentResult or a stored DepartmentScore."""
    return [r.category, "" if r.rank is None else r.rank, r.code, r.name, r.score_text, r.satisfied, r.basic,
            r.dissatisfied, r.unknown, r.outcome]


def results_csv(results) -> bytes:
    return csv_bytes(R_HEADER, (result_row(r) for r in results), bom=False)


def rejected_csv(rejected: Iterable[core.Rejection]) -> bytes:
    return csv_bytes(X_HEADER, ([r.ballot_id, r.category, r.reason] for r in rejected), bom=False)


def departments_csv(departments: Iterable[core.Department]) -> bytes:
    return csv_bytes(D_HEADER, ([d.code, d.name, d.category] for d in departments), bom=False)


def ballots_csv(rows: Iterable[tuple[str, str, str]]) -> bytes:
    return csv_bytes(B_HEADER, rows, bom=False)


def write_all(outputs: Sequence[tuple[str, bytes]]) -> None:
    """Write every (path, content) or none (see govsvc.outputs)."""
    outputs_module.write_all(outputs, FileError)
