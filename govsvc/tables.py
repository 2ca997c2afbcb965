"""Reading uploaded tables (CSV or XLSX) into rows of text, with clear errors for bad files.

Every reader says how many columns its file may have (`max_columns`, usually
`column_limit(len(declared columns))`). A header whose last cell lies beyond that is refused before
any data row is read, and no row is ever held wider than that: a tiny file can otherwise describe
huge rows (a CSV header of 100,000 commas; an XLSX with a header cell in XFD1, which openpyxl pads
every row out to). Files are read row by row, never decoded or listed whole.

Cells holding a control character (C0 other than tab, CR and LF, or DEL) are refused wherever they
are, with their row and column: PostgreSQL cannot store a NUL and nobody types the others.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

MAX_ROWS = 1_000_000
COLUMN_MARGIN = 8          # columns allowed beyond the declared ones (trailing empty or stray cells)
MAX_LINE_CELLS = 16_384    # Excel's column limit: a CSV record with more cells is no table
_CHUNK = 1 << 20
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TableError(ValueError):
    """The file as a whole cannot be read; the message is for the user (Chinese)."""


@dataclass
class Table:
    header: list[str]
    # Each row as text cells, cut or padded to the header's length. Blank rows share one list:
    # do not modify rows in place.
    rows: list[list[str]]
    # Spreadsheet row number (header is row 1) → its last non-empty column, for rows wider than the header.
    too_wide: dict[int, int] = field(default_factory=dict)


def column_limit(declared: int) -> int:
    """The widest file a reader of `declared` columns (aliases are other names of the same
    columns) accepts: a few empty or stray columns more."""
    return declared + COLUMN_MARGIN


def extent(cells) -> int:
    """1-based position of the last non-blank cell, 0 for a blank row."""
    for i in range(len(cells) - 1, -1, -1):
        if cells[i].strip():
            return i + 1
    return 0


def check_header_width(width: int, max_columns: int) -> None:
    """Refuse a header whose last non-blank cell (`width`, 1-based) lies beyond `max_columns`."""
    if width > max_columns:
        raise TableError(f"表头列数过多（第 {width} 列仍有内容）：此文件最多 {max_columns} 列，请删除多余的列。")


def check_control(cells, row: int) -> None:
    """Refuse a row with a control character in any cell, naming row and column."""
    if not _CONTROL.search("\t".join(cells)):
        return
    for column, cell in enumerate(cells, start=1):
        found = _CONTROL.search(cell)
        if found:
            raise TableError(f"第 {row} 行第 {column} 列含有控制字符（U+{ord(found.group()):04X}），请删除后再导入。")


# -- CSV --------------------------------------------------------------------------------------
def _encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030, checked over the whole file without decoding it whole."""
    if b"\x00" in data[:4096]:
        raise TableError("文件不是文本格式的 CSV（含有二进制内容）。")
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), _CHUNK):
                decoder.decode(data[start:start + _CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return "utf-8-sig" if encoding == "utf-8" else encoding
    raise TableError("无法识别文件编码：请保存为 UTF-8 编码的 CSV。")


class _Lines:
    """Text lines for csv.reader, counting the cells of the record being read: the reader builds a
    record as one list, so a line of a million commas would be a million cells before any check."""

    def __init__(self, lines: Iterable[str]):
        self.lines = iter(lines)
        self.cells = 1
        self.row = 1

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.cells += line.count(",")
        if self.cells > MAX_LINE_CELLS:
            if self.row == 1:
                raise TableError(f"表头列数过多（超过 {MAX_LINE_CELLS} 列），请删除多余的列。")
            raise TableError(f"第 {self.row} 行超过 {MAX_LINE_CELLS} 列，不是有效的表格。")
        return line


def csv_records(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of CSV text lines, one record at a time. Refuses a record of more than
    MAX_LINE_CELLS cells, a cell beyond the csv module's field limit, a control character."""
    source = _Lines(lines)
    reader = csv.reader(source, strict=True)
    number = 0
    while True:
        number += 1
        source.cells, source.row = 1, number
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise TableError(f"第 {number} 行有超过 {csv.field_size_limit()} 个字符的单元格。") from None
            raise TableError(f"CSV 格式错误（第 {number} 行）：{exc}") from None
        check_control(cells, number)
        yield number, cells


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str], int]]:
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=_encoding(data), newline="")
    for number, cells in csv_records(stream):
        yield number, cells, extent(cells)


# -- XLSX -------------------------------------------------------------------------------------
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


def _xlsx_rows(data: bytes, max_columns: int) -> Iterator[tuple[int, list[str], int]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TableError(f"无法读取 Excel 文件：{type(exc).__name__}") from None
    try:
        sheet = workbook.worksheets[0]
        # openpyxl parses each row into its cells as stored (a sparse list) and then lays them out
        # max_col wide. Note where the last non-blank stored cell is, far right included, before
        # that: the header's width is known without laying out 16,384 cells.
        last = [0]
        lay_out = sheet._get_row

        def get_row(row, min_col=1, max_col=None, values_only=False):
            for cell in reversed(row):
                if _cell_text(cell["value"]).strip():
                    last[0] = cell["column"]
                    break
            return lay_out(row, min_col, max_col, values_only)

        sheet._get_row = get_row
        rows = sheet.iter_rows(max_col=max_columns, values_only=True)
        number = 0
        while True:
            number += 1
            last[0] = 0  # rows missing from the file are yielded without get_row: blank
            try:
                values = next(rows)
            except StopIteration:
                return
            cells = [_cell_text(v) for v in values]
            check_control(cells, number)
            yield number, cells, last[0]
    except TableError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise TableError(f"无法读取 Excel 文件：{type(exc).__name__}") from None
    finally:
        workbook.close()


def read_table(data: bytes, filename: str, *, max_columns: int) -> Table:
    """The table in `data` (XLSX or CSV by name, else by content), at most `max_columns` wide,
    every row held in memory (small files; large imports use `stream_table`)."""
    stream = stream_table(data, filename, max_columns=max_columns)
    rows: list[list[str]] = []
    too_wide: dict[int, int] = {}
    blank = [""] * len(stream.header)
    try:
        for number, row, wide in stream.rows:
            # Blank rows between data rows keep their place (row i is spreadsheet row i + 2).
            rows.extend([blank] * (number - 2 - len(rows)))
            if wide:
                too_wide[number] = wide
            rows.append(row)
    finally:
        stream.close()
    return Table(header=stream.header, rows=rows, too_wide=too_wide)


@dataclass
class TableStream:
    """A table read row by row: `header`, then `rows` yielding (spreadsheet row number, cells cut
    or padded to the header's length, the row's last non-blank column when it lies beyond the
    header else 0) for every non-blank row. The same limits as `read_table` apply, checked as the
    rows are read: a TableError can come from the middle of the file."""
    header: list[str]
    rows: Iterator[tuple[int, list[str], int]]
    _records: Iterator = field(default=None, repr=False)

    def close(self) -> None:
        self.rows.close()
        self._records.close()


def stream_table(data: bytes, filename: str, *, max_columns: int) -> TableStream:
    """The table in `data` (XLSX or CSV by name, else by content), header read at once, rows as
    they are needed: memory holds the file's bytes and one row, never the table."""
    name = (filename or "").lower()
    if name.endswith(".xlsx") or (not name.endswith((".csv", ".txt")) and data[:2] == b"PK"):
        records = _xlsx_rows(data, max_columns)
    else:
        records = _csv_rows(data)
    try:
        header, first = _header(records, max_columns)
    except BaseException:
        records.close()
        raise
    return TableStream(header=header, rows=_data_rows(records, first, len(header)), _records=records)


def row_estimate(data: bytes, filename: str) -> int | None:
    """About how many data rows a file has, for a progress bar: a CSV's line breaks (cells
    holding line breaks count twice); None for XLSX."""
    name = (filename or "").lower()
    if name.endswith(".xlsx") or (not name.endswith((".csv", ".txt")) and data[:2] == b"PK"):
        return None
    return max(0, data.count(b"\n") - 1 + (0 if data.endswith(b"\n") else 1))


def _header(records: Iterator[tuple[int, list[str], int]], max_columns: int):
    """The header (blank trailing cells dropped) and the first non-blank data record (or None)."""
    header: list[str] | None = None
    for number, cells, last in records:
        if header is None:
            check_header_width(last, max_columns)
            header = [h.strip().lstrip("\ufeff") for h in cells[:last]]
            while header and not header[-1]:
                header.pop()
            continue
        if not last:
            continue
        if not header:
            raise TableError("第一行应为表头，却是空的。")
        return header, (number, cells, last)
    if not header:
        raise TableError("文件为空：第一行应为表头。")
    return header, None


def _data_rows(records, first, width: int) -> Iterator[tuple[int, list[str], int]]:
    if first is None:
        return
    yield _row(*first, width)
    for number, cells, last in records:
        if last:
            yield _row(number, cells, last, width)


def _row(number: int, cells: list[str], last: int, width: int) -> tuple[int, list[str], int]:
    if number - 1 > MAX_ROWS:
        raise TableError(f"文件超过 {MAX_ROWS} 行，请拆分后导入。")
    row = [c.strip() for c in cells[:width]]
    if len(row) < width:
        row += [""] * (width - len(row))
    return number, row, (last if last > width else 0)
