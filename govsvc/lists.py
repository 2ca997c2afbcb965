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


def page_number() -> int:
    raw = request.args.get("page", "1")
    return max(1, int(raw)) if raw.isdecimal() and len(raw) < 7 else 1


def list_or_export(stmt, *, template: str, export_stem: str, columns: Sequence[ExportColumn],
                   scalars: bool = True, **context):
    """Render `template` with `page` (a Flask-SQLAlchemy Pagination), or, with ?format=csv|xlsx,
    download every row of the same query."""
    fmt = request.args.get("format", "")
    if fmt in FORMATS:
        result = db.session.scalars(stmt) if scalars else db.session.execute(stmt)
        rows = ([get(item) for _, get in columns] for item in result)
        return download(export_stem, [h for h, _ in columns], rows, fmt)
    options = {"page": page_number(), "per_page": current_app.config["PAGE_SIZE"], "error_out": False, "count": True}
    page = (db.paginate(stmt, **options) if scalars
            else RowPagination(select=stmt, session=db.session(), max_per_page=None, **options))
    return render_template(template, page=page, **context)
