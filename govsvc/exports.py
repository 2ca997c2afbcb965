"""CSV and XLSX: the one place where the application writes spreadsheet files (list pages, public
results, circulars, CLI outputs). Nothing else builds a workbook or uses csv.writer
(tests/security/test_exports.py scans the code and walks every export).

Formula injection (CSV injection) is neutralised here the OWASP way: a text cell that starts
with = + - @ (or their full-width forms), a tab, CR, LF or NUL would be read by a spreadsheet as
a formula (=HYPERLINK(…), =cmd|…, DDE). In CSV such a cell gets a leading apostrophe ('=…), which
Excel, WPS and LibreOffice read as "this is text"; in XLSX it is written as a text cell with the
quote-prefix style (the same meaning, no visible apostrophe). Numbers stay numbers: "-12.50" is
left as it is, and numeric values are written as numbers in XLSX.

Public API (other modules use it; add, do not rename): FORMATS, csv_bytes, iter_csv, xlsx_bytes,
SafeWorkbook, download, neutralise, is_formula_like.
"""
from __future__ import annotations

import csv
import io
import itertools
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable, Iterator, Sequence
from urllib.parse import quote

from flask import Response

FORMATS = ("csv", "xlsx")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What makes a spreadsheet read a cell as a formula (OWASP CSV injection, ASVS 1.2.10), plus the
# full-width forms a Chinese input method types.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠")
_FORMULA_START = FORMULA_START  # (old name)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) else value.isoformat()
    return value


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except Exception:
        return False
    return True


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet would evaluate (numbers such as "-12.50" are not)."""
    return text.startswith(FORMULA_START) and not _is_number(text)


def neutralise(value) -> str:
    """A cell's text for CSV: a leading apostrophe when it would be read as a formula."""
    text = str(value)
    return "'" + text if is_formula_like(text) else text


_safe_text = neutralise  # (old name)


# -- CSV ----------------------------------------------------------------------------------------------
def iter_csv(header: Sequence[str], rows: Iterable[Sequence], *, bom: bool = True) -> Iterator[bytes]:
    """The CSV file as UTF-8 chunks (for a streamed response): header, then rows, every cell
    neutralised. The BOM makes Excel open UTF-8 correctly; files for other programs go without it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def take() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    def cell(value, _str=str, starts=FORMULA_START):
        # (plain text, most cells, without the two calls: the same result as neutralise(_cell(v)))
        if value.__class__ is _str:
            return "'" + value if value.startswith(starts) and not _is_number(value) else value
        return neutralise(_cell(value))

    if bom:
        buffer.write("\ufeff")
    writer.writerow([neutralise(h) for h in header])
    rows = iter(rows)
    while True:
        chunk = [[cell(v) for v in row] for row in itertools.islice(rows, 1000)]
        if not chunk:
            break
        writer.writerows(chunk)
        yield take()
    yield take()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence], *, bom: bool = True) -> bytes:
    return b"".join(iter_csv(header, rows, bom=bom))


# -- XLSX ---------------------------------------------------------------------------------------------
class SafeSheet:
    """One sheet of a SafeWorkbook: rows appended (text neutralised, numbers as numbers), column
    widths (set them before the first row), PNG images."""

    def __init__(self, sheet):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font

        self._sheet = sheet
        self._cell_class, self._illegal, self._font = WriteOnlyCell, ILLEGAL_CHARACTERS_RE, Font

    def column_width(self, column: str, width: float) -> None:
        self._sheet.column_dimensions[column].width = width

    def append(self, values: Sequence = (), *, bold: bool = False, size: float | None = None,
               number_formats: dict[int, str] | None = None) -> None:
        """Append a row. `number_formats` maps a 0-based column to an Excel format ("0.00")."""
        font = self._font(bold=bold, size=size) if bold or size else None
        row = []
        for index, value in enumerate(values):
            if value is None:
                row.append(None)  # an empty cell
                continue
            value = _cell(value)
            if isinstance(value, Decimal):
                value = float(value)  # yuan with fen: exact enough as a spreadsheet number
            elif not isinstance(value, (int, float)):
                value = str(value)
                if self._illegal.search(value):
                    value = self._illegal.sub("\ufffd", value)  # control characters XLSX cannot hold
            fmt = number_formats.get(index) if number_formats and not isinstance(value, str) else None
            if isinstance(value, str) and is_formula_like(value):
                cell = self._cell_class(self._sheet, value=None)
                cell.value, cell.data_type = value, "s"  # text, never a formula (openpyxl makes "=…" one)
                cell.quotePrefix = True  # shown as typed, and stays text when edited
            elif font is not None or fmt:
                cell = self._cell_class(self._sheet, value=value)
            else:
                row.append(value)
                continue
            if font is not None:
                cell.font = font
            if fmt:
                cell.number_format = fmt
            row.append(cell)
        self._sheet.append(row)

    def add_png(self, png: bytes, anchor: str) -> None:
        from openpyxl.drawing.image import Image

        self._sheet.add_image(Image(io.BytesIO(png)), anchor)


class SafeWorkbook:
    """A workbook for downloads with several sheets, styles and charts (write-only, so a large
    one does not sit in memory cell by cell); every value goes through the same neutralising."""

    def __init__(self):
        from openpyxl import Workbook

        self._book = Workbook(write_only=True)

    def sheet(self, title: str) -> SafeSheet:
        safe_title = "".join(c for c in str(title) if c not in "[]:*?/\\")[:31] or "数据"
        return SafeSheet(self._book.create_sheet(title=safe_title))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "数据") -> bytes:
    book = SafeWorkbook()
    sheet = book.sheet(sheet_title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return book.to_bytes()


# -- responses ----------------------------------------------------------------------------------------
def file_response(body: bytes, filename: str, mimetype: str | None = None) -> Response:
    """A download with a UTF-8 file name (and an ASCII fallback for old clients)."""
    fmt = filename.rsplit(".", 1)[-1].lower()
    if mimetype is None:
        mimetype = XLSX_MIMETYPE if fmt == "xlsx" else "text/csv; charset=utf-8"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"export.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def download(stem: str, header: Sequence[str], rows: Iterable[Sequence], fmt: str) -> Response:
    if fmt == "xlsx":
        return file_response(xlsx_bytes(header, rows), f"{stem}.xlsx")
    return file_response(csv_bytes(header, rows), f"{stem}.csv")
