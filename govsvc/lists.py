"""List pages: one helper gives every list pagination and CSV/XLSX export of the same query."""
from __future__ import annotations

from typing import Callable, Sequence

from flask import current_app, render_template, request
from flask_sqlalchemy.pagination import SelectPagination

from govsvc.exports import FORMATS, download
from govsvc.extensions import db

ExportColumn = tuple[str, Callable]  # (header, value of one row)


class RowPagination(SelectPagination):
    """A page of whole rows (e.g. (TaxRecord, Enterprise)): db.paginate keeps only the first
    entity of each row."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select))


class KeysetPage:
    """A page of a list ordered by a unique key, addressed by the key of a neighbouring row
    (`?after=` the last row of the page before, `?before=` the first row of the page after) instead
    of an offset: the database walks an index from that key and reads one page plus one row, so
    the thousandth page costs what the first costs, and no COUNT runs. `total` is shown when the
    caller knows it cheaply (e.g. counts kept per published round); otherwise the page says only
    whether there is more."""

    def __init__(self, stmt, key_column, key_of: Callable, *, per_page: int, after: str | int = "",
                 before: str | int = "",
                 total: int | None = None):
        self.per_page, self.total = per_page, total
        if before != "":
            rows = list(db.session.scalars(stmt.where(key_column < before).order_by(None)
                                           .order_by(key_column.desc()).limit(per_page + 1)))
            self.has_prev = len(rows) > per_page
            self.items = rows[:per_page][::-1]
            self.has_next = True
        else:
            rows = list(db.session.scalars((stmt.where(key_column > after) if after != "" else stmt)
                                           .order_by(None).order_by(key_column).limit(per_page + 1)))
            self.has_next = len(rows) > per_page
            self.items = rows[:per_page]
            self.has_prev = after != ""
        if not self.items and (after != "" or before != ""):  # a stale or made-up position: back to the start
            self.has_prev = True
        self.first = not self.has_prev
        self.next_key = key_of(self.items[-1]) if self.items and self.has_next else None
        self.prev_key = key_of(self.items[0]) if self.items and self.has_prev else None
        # the macros of offset lists read these
        self.pages = 1 if self.first and not self.has_next else 2
        if self.total is None and self.first and not self.has_next:
            self.total = len(self.items)


def keyset_key(name: str, numeric: bool) -> str | int:
    """The `after`/`before` argument of the request, bounded; a numeric key that is not a number
    (or is beyond any database integer) is no position at all."""
    raw = request.args.get(name, "")[:64]
    if numeric:
        return int(raw) if raw.isdecimal() and len(raw) <= 18 else ""
    return raw


def page_number() -> int:
    raw = request.args.get("page", "1")
    return max(1, int(raw)) if raw.isdecimal() and len(raw) < 7 else 1


def list_or_export(stmt, *, template: str, export_stem: str, columns: Sequence[ExportColumn],
                   scalars: bool = True, **context):
    """Render `template` with `page` (a Flask-SQLAlchemy Pagination), or, with ?format=csv|xlsx,
    download every row of the same query."""
    exported = _export(stmt, export_stem, columns, scalars)
    if exported is not None:
        return exported
    options = {"page": page_number(), "per_page": current_app.config["PAGE_SIZE"], "error_out": False, "count": True}
    page = (db.paginate(stmt, **options) if scalars
            else RowPagination(select=stmt, session=db.session(), max_per_page=None, **options))
    return render_template(template, page=page, **context)


def _export(stmt, export_stem: str, columns: Sequence[ExportColumn], scalars: bool = True):
    """With ?format=csv|xlsx, every row of the list's query as a download; else None."""
    fmt = request.args.get("format", "")
    if fmt not in FORMATS:
        return None
    result = db.session.scalars(stmt) if scalars else db.session.execute(stmt)
    rows = ([get(item) for _, get in columns] for item in result)
    return download(export_stem, [h for h, _ in columns], rows, fmt)


def keyset_list_or_export(stmt, key_column, key_of: Callable, *, template: str, export_stem: str,
                          columns: Sequence[ExportColumn], total: int | None = None, **context):
    """As list_or_export, for long public lists: a KeysetPage ordered by `key_column` (unique)."""
    exported = _export(stmt, export_stem, columns)
    if exported is not None:
        return exported
    numeric = key_column.type.python_type is int
    page = KeysetPage(stmt, key_column, key_of, per_page=current_app.config["PAGE_SIZE"],
                      after=keyset_key("after", numeric), before=keyset_key("before", numeric), total=total)
    return render_template(template, page=page, **context)
