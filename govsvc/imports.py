"""The import framework shared by every module (registry now, enforcement records later).

An `ImportKind` names its columns, parses one row into clean values, checks rows against each
other and the database, and applies one row as an upsert on its natural key. `run_import`
validates every row first; when any row is wrong nothing is written unless `valid_only`.
Counts of created / updated / unchanged come back in an `ImportReport`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from govsvc import audit
from govsvc.cells import (FALSE_WORDS, TRUE_WORDS, CellError, parse_bool, parse_choice,  # noqa: F401
                          parse_money)
from govsvc.extensions import db
from govsvc.tables import Table, TableError, column_limit, read_table



@dataclass(frozen=True)
class Column:
    name: str                      # canonical header
    label: str                     # Chinese header, also accepted in files
    parse: Callable[[str], object] = str
    required: bool = False         # the column must be in the file and the cell non-empty
    aliases: tuple[str, ...] = ()


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    kind: str
    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False
    skipped: int = 0  # rows with errors left out under valid_only

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self, max_errors: int = 500) -> dict:
        """Plain data for templates and background-job results."""
        return {
            "kind": self.kind, "total": self.total, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "skipped": self.skipped, "applied": self.applied,
            "error_rows": self.error_rows, "error_count": len(self.errors),
            "errors": [[e.row, e.column, e.message] for e in self.errors[:max_errors]],
        }


@dataclass
class ParsedRow:
    number: int
    values: dict


class ImportKind:
    """Subclass per kind: `name`, `label`, `columns`, `key()`, `check_rows()`, `apply()`."""

    name: str = ""
    label: str = ""
    columns: tuple[Column, ...] = ()

    def key(self, values: dict):
        raise NotImplementedError

    def key_column(self) -> str:
        return self.columns[0].name

    def check_rows(self, rows: list[ParsedRow]) -> list[RowError]:
        """Cross-row and database checks (references); no writes."""
        return []

    def prepare(self, rows: list[ParsedRow]) -> None:
        """Load what apply() needs (existing rows by key) before the first apply."""

    def apply(self, values: dict) -> str:
        """Upsert one row; return 'created', 'updated' or 'unchanged'."""
        raise NotImplementedError

    def finish(self) -> None:
        """After the last row is applied and flushed (e.g. follow-up work on what changed)."""

    # -- header handling ------------------------------------------------------------
    def max_columns(self) -> int:
        """The widest file this kind reads: its columns (each at most once, whatever its name) and
        a margin; a wider header is refused before any row is read."""
        return column_limit(len(self.columns))

    def read(self, data: bytes, filename: str) -> Table:
        return read_table(data, filename, max_columns=self.max_columns())

    def map_header(self, header: list[str]) -> dict[str, int]:
        lookup = {}
        for col in self.columns:
            for alias in (col.name, col.label, *col.aliases):
                lookup[alias.strip().lower()] = col.name
        mapping: dict[str, int] = {}
        for index, title in enumerate(header):
            name = lookup.get(title.strip().lower())
            if name is None:
                raise TableError(f"表头第 {index + 1} 列“{title}”不是{self.label}的列。"
                                 f"可用的列：{'、'.join(c.name for c in self.columns)}")
            if name in mapping:
                raise TableError(f"表头中“{title}”列重复。")
            mapping[name] = index
        missing = [c for c in self.columns if c.required and c.name not in mapping]
        if missing:
            raise TableError("缺少必需的列：" + "、".join(f"{c.name}（{c.label}）" for c in missing))
        return mapping

    def parse_rows(self, table: Table, progress: Callable[[int], None] | None = None):
        mapping = self.map_header(table.header)
        labels = {c.name: c.label for c in self.columns}
        parsed: list[ParsedRow] = []
        errors: list[RowError] = []
        for offset, cells in enumerate(table.rows):
            number = offset + 2
            if number in table.too_wide:
                errors.append(RowError(number, "", f"该行有 {table.too_wide[number]} 列，多于表头。"))
                continue
            if not any(cells):
                continue  # blank line
            values, row_errors = {}, []
            for col in self.columns:
                if col.name not in mapping:
                    continue
                raw = cells[mapping[col.name]]
                if raw == "" and col.required:
                    row_errors.append(RowError(number, labels[col.name], "不能为空。"))
                    continue
                try:
                    values[col.name] = col.parse(raw)
                except CellError as exc:
                    row_errors.append(RowError(number, labels[col.name], str(exc)))
                except ValueError as exc:
                    row_errors.append(RowError(number, labels[col.name], str(exc) or "格式错误。"))
            errors.extend(row_errors)
            if not row_errors:
                parsed.append(ParsedRow(number, values))
            if progress:
                progress(1)
        return parsed, errors


KINDS: dict[str, type[ImportKind]] = {}


def register(kind: type[ImportKind]) -> type[ImportKind]:
    """Make an import kind available to `govsvc import <name>` and the web import page."""
    KINDS[kind.name] = kind
    return kind


def duplicate_key_errors(kind: ImportKind, rows: list[ParsedRow], column_label: str) -> list[RowError]:
    seen: dict = {}
    errors = []
    for row in rows:
        key = kind.key(row.values)
        if key in seen:
            errors.append(RowError(row.number, column_label, f"与第 {seen[key]} 行重复。"))
        else:
            seen[key] = row.number
    return errors


def run_import(kind: ImportKind, data: bytes, filename: str, *, valid_only: bool = False,
               dry_run: bool = False, progress: Callable[[int], None] | None = None,
               actor: tuple[int | None, str] | None = None, table: Table | None = None) -> ImportReport:
    """Validate all rows; apply them (all, or only the valid ones) unless dry_run.

    Raises TableError when the file as a whole is unreadable. Writes happen in the caller's
    transaction: the caller commits (or rolls back) once. `table`: the file already read (kind.read).
    """
    if table is None:
        table = kind.read(data, filename)
    report = ImportReport(kind=kind.name, total=sum(1 for r in table.rows if any(r)))
    parsed, errors = kind.parse_rows(table, progress)
    errors += kind.check_rows(parsed)
    report.errors = sorted(errors, key=lambda e: (e.row, e.column))
    bad_rows = {e.row for e in report.errors}
    if dry_run or (bad_rows and not valid_only):
        return report
    good = [r for r in parsed if r.number not in bad_rows]
    report.skipped = report.total - len(good)
    kind.prepare(good)
    for row in good:
        outcome = kind.apply(row.values)
        setattr(report, outcome, getattr(report, outcome) + 1)
        if progress:
            progress(1)
    db.session.flush()
    kind.finish()
    report.applied = True
    who = {"user_id": actor[0], "username": actor[1]} if actor else {}
    audit.record(f"import.{kind.name}", target=filename[:255], detail={
        "rows": report.total, "created": report.created, "updated": report.updated,
        "unchanged": report.unchanged, "skipped": report.skipped,
    }, **who)
    return report


def update_fields(obj, values: dict) -> bool:
    """Set the given attributes; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


# -- cell parsers --------------------------------------------------------------------
def parse_year(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or not 1990 <= int(raw) <= 2100:
        raise CellError(f"“{raw}”不是有效年份（1990–2100）。")
    return int(raw)


def parse_text(max_length: int):
    def parse(raw: str) -> str:
        if len(raw) > max_length:
            raise CellError(f"超过 {max_length} 个字符。")
        return raw

    return parse
