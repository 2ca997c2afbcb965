"""Reading uploaded tables (CSV or XLSX) into rows of text, with clear errors for bad files."""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

MAX_ROWS = 1_000_000


class TableError(ValueError):
    """The file as a whole cannot be read; the message is for the user (Chinese)."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # each row as text cells, padded to the header's length
    # Spreadsheet row number (header is row 1) → cell count, for rows wider than the header.
    too_wide: dict[int, int] = field(default_factory=dict)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise TableError("文件不是文本格式的 CSV（含有二进制内容）。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("无法识别文件编码：请保存为 UTF-8 编码的 CSV。")


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), strict=True)]
    except csv.Error as exc:
        raise TableError(f"CSV 格式错误：{exc}") from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TableError(f"无法读取 Excel 文件：{type(exc).__name__}") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise TableError(f"无法读取 Excel 文件：{type(exc).__name__}") from None
    finally:
        workbook.close()


def read_table(data: bytes, filename: str) -> Table:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        raw = _read_xlsx(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        raw = _read_csv(data)
    elif data[:2] == b"PK":
        raw = _read_xlsx(data)
    else:
        raw = _read_csv(data)
    # Drop fully empty trailing rows (Excel keeps formatted blank rows).
    while raw and not any(c.strip() for c in raw[-1]):
        raw.pop()
    if not raw:
        raise TableError("文件为空：第一行应为表头。")
    if len(raw) - 1 > MAX_ROWS:
        raise TableError(f"文件超过 {MAX_ROWS} 行，请拆分后导入。")
    header = [h.strip().lstrip("\ufeff") for h in raw[0]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    if not width:
        raise TableError("第一行应为表头，却是空的。")
    rows, too_wide = [], {}
    for i, row in enumerate(raw[1:], start=2):
        if len(row) > width and any(c.strip() for c in row[width:]):
            too_wide[i] = len(row)
        rows.append([c.strip() for c in row[:width]] + [""] * (width - len(row)))
    return Table(header=header, rows=rows, too_wide=too_wide)
