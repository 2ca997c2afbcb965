"""CSV and XLSX downloads shared by every list page."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable, Sequence
from urllib.parse import quote

from flask import Response

FORMATS = ("csv", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) else value.isoformat()
    return value


def _safe_text(value) -> str:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except Exception:
        return False
    return True


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence], *, bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_text(_cell(v)) for v in row])
    # The BOM makes Excel open UTF-8 correctly; files for other programs go without it.
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "数据") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([_safe_text(h) for h in header])
    for row in rows:
        out = []
        for value in row:
            value = _cell(value)
            if isinstance(value, Decimal):
                out.append(float(value))  # yuan with fen: exact enough as a spreadsheet number
            elif isinstance(value, (int, float)):
                out.append(value)
            else:
                out.append(_safe_text(value))
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(stem: str, header: Sequence[str], rows: Iterable[Sequence], fmt: str) -> Response:
    if fmt == "xlsx":
        body = xlsx_bytes(header, rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        fmt = "csv"
        body = csv_bytes(header, rows)
        mimetype = "text/csv; charset=utf-8"
    filename = f"{stem}.{fmt}"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"export.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
