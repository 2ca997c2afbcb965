"""The import framework shared by every module (registry now, enforcement records later).

An `ImportKind` names its columns, parses one row into clean values, checks rows against each
other and the database, and applies one row as an upsert on its natural key. `run_import`
validates every row first; when any row is wrong nothing is written unless `valid_only`.
Counts of created / updated / unchanged come back in an `ImportReport`.

Kinds of large files (enterprises, tax records, enforcement records) set `bulk = True` and are
streamed instead: the file is read in batches of `batch_rows`; each batch is parsed and checked
(`check_batch`: duplicates against the rows before it, references resolved with (key, id) lookups)
and written at once (`write_batch`: one INSERT executemany / UPDATE executemany per batch, no ORM
object per row) inside a SAVEPOINT of the caller's transaction. A wrong row stops the writing (unless
`valid_only`) and the savepoint is rolled back at the end, as is everything on any exception: the
outcome, errors and counts are those of the whole-file path, and nothing is written unless the
import as a whole is applied. Memory holds the file's bytes, one batch and the keys seen.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import and_, bindparam, column, select, tuple_, values

from govsvc import audit
from govsvc.cells import (FALSE_WORDS, TRUE_WORDS, CellError, parse_bool, parse_choice,  # noqa: F401
                          parse_money)
from govsvc.extensions import db
from govsvc.tables import Table, TableError, column_limit, read_table, stream_table



@dataclass(frozen=True)
class Column:
    name: str                      # canonical header
    label: str                     # Chinese header, also accepted in files
    parse: Callable[[str], object] = str
    required: bool = False         # the column must be in the file and the cell non-empty
    aliases: tuple[str, ...] = ()
    # The column's values repeat across rows (codes, dates, outcomes): each distinct text is
    # parsed once per import (outcome and message remembered, up to MEMO_SIZE texts).
    repeats: bool = False


MEMO_SIZE = 200_000


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
    """Subclass per kind: `name`, `label`, `columns`, `key()`, `check_rows()`, `apply()`; or, with
    `bulk = True`, `begin_bulk()`, `check_batch()`, `write_batch()`."""

    name: str = ""
    label: str = ""
    columns: tuple[Column, ...] = ()
    bulk: bool = False
    batch_rows: int = 5000

    # -- the streamed (bulk) protocol --------------------------------------------------
    def begin_bulk(self, write: bool) -> None:
        """Before the first batch (`write`: the rows will be written, not only checked)."""

    def check_batch(self, rows: list[ParsedRow]) -> list[RowError]:
        """Checks of one batch against the rows of earlier batches and the database; no writes."""
        return []

    def end_check(self, rescan: Callable[[], Iterable[ParsedRow]]) -> None:
        """After the last batch is checked: complete the errors (e.g. the first row of a duplicate
        key, found in `rescan()`, every parsed row of the file again)."""

    def write_batch(self, rows: list[ParsedRow], report: "ImportReport") -> None:
        """Upsert the batch's good rows, counting them in the report."""
        raise NotImplementedError

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
        parsed: list[ParsedRow] = []
        errors: list[RowError] = []
        for offset, cells in enumerate(table.rows):
            number = offset + 2
            if number in table.too_wide:
                errors.append(RowError(number, "", f"该行有 {table.too_wide[number]} 列，多于表头。"))
                continue
            if not any(cells):
                continue  # blank line
            row, row_errors = self.parse_cells(number, cells, mapping)
            errors.extend(row_errors)
            if row is not None:
                parsed.append(row)
            if progress:
                progress(1)
        return parsed, errors

    def parse_cells(self, number: int, cells: list[str], mapping: dict[str, int]):
        """One row's cells → (ParsedRow, []) or (None, its errors)."""
        return self.row_parser(mapping)(number, cells)

    def row_parser(self, mapping: dict[str, int]) -> Callable[[int, list[str]], tuple]:
        """parse_cells for one header, its plan made once: (column, cell index, memo or None)."""
        cached = self.__dict__.get("_row_parser")
        if cached is not None and cached[0] == mapping:
            return cached[1]
        memos = self.__dict__.setdefault("_memos", {})
        plan = [(col.name, col, mapping[col.name], memos.setdefault(col.name, {}) if col.repeats else None)
                for col in self.columns if col.name in mapping]

        def parse(number: int, cells: list[str]):
            values, errors = {}, []
            for name, col, index, memo in plan:
                raw = cells[index]
                if memo is None:
                    value = _cell_value(col, raw)
                else:
                    value = memo.get(raw, _UNSEEN)
                    if value is _UNSEEN:
                        value = _cell_value(col, raw)
                        if len(memo) >= MEMO_SIZE:
                            memo.clear()
                        memo[raw] = value
                if value.__class__ is _Wrong:
                    errors.append(RowError(number, col.label, value.message))
                else:
                    values[name] = value
            return (None if errors else ParsedRow(number, values)), errors

        self._row_parser = (dict(mapping), parse)
        return parse


_UNSEEN = object()


class _Wrong:
    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def _cell_value(col: Column, raw: str):
    """The cell's value, or _Wrong(the Chinese message)."""
    if raw == "" and col.required:
        return _Wrong("不能为空。")
    try:
        return col.parse(raw)
    except CellError as exc:
        return _Wrong(str(exc))
    except ValueError as exc:
        return _Wrong(str(exc) or "格式错误。")


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
    A bulk kind given no `table` streams the file (`_run_streamed`).
    """
    if kind.bulk and table is None:
        return _run_streamed(kind, data, filename, valid_only=valid_only, dry_run=dry_run,
                             progress=progress, actor=actor)
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
    _audit(kind, report, filename, actor)
    return report


def _audit(kind: ImportKind, report: ImportReport, filename: str, actor) -> None:
    """One audit entry per applied import (never one per row)."""
    who = {"user_id": actor[0], "username": actor[1]} if actor else {}
    audit.record(f"import.{kind.name}", target=filename[:255], detail={
        "rows": report.total, "created": report.created, "updated": report.updated,
        "unchanged": report.unchanged, "skipped": report.skipped,
    }, **who)


SQLITE_IMPORT_CACHE_KIB = 32 * 1024


def _sqlite_cache(kib: int | None) -> None:
    """SQLite: a larger page cache while a streamed import writes (its indexes grow at random
    places: with the default 2 MB nearly every row spills pages to the WAL), back to the
    default afterwards. The cache counts in the process's memory."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    cursor = connection.connection.driver_connection.cursor()
    cursor.execute(f"PRAGMA cache_size = {-kib if kib else -2000}")
    cursor.close()


def _run_streamed(kind: ImportKind, data: bytes, filename: str, *, valid_only: bool, dry_run: bool,
                  progress: Callable[[int], None] | None, actor) -> ImportReport:
    """run_import of a bulk kind: read, check and write batch by batch (see the module docstring).

    The cyclic garbage collector: a batch's rows (thousands of live containers) push objects into
    the oldest generation, and every few batches a full collection walked the whole process (the
    app, SQLAlchemy's metadata: ~260,000 objects), a third of the import's time. gc.freeze() moves
    what exists before the import out of the collector's reach until gc.unfreeze() at the end:
    collections then walk only what the import made. Results are the same; an import running in
    another thread at the same time only loses the speed-up (unfreeze is process-wide)."""
    stream = stream_table(data, filename, max_columns=kind.max_columns())
    report = ImportReport(kind=kind.name)
    savepoint = None
    gc.freeze()  # see _run_streamed's note on the collector
    try:
        mapping = kind.map_header(stream.header)
        writing = not dry_run
        if writing:
            db.session.flush()
            savepoint = db.session.begin_nested()
            _sqlite_cache(SQLITE_IMPORT_CACHE_KIB)
        kind.begin_bulk(writing)
        parse = kind.row_parser(mapping)
        errors: list[RowError] = []
        batch: list[ParsedRow] = []
        bad: set[int] = set()   # rows of the current batch with a cell error

        def run_batch() -> None:
            nonlocal writing
            batch_errors = kind.check_batch(batch)
            errors.extend(batch_errors)
            if errors and not valid_only:
                writing = False  # nothing will be written: only check the rest
            if writing:
                wrong = {e.row for e in batch_errors}
                kind.write_batch([r for r in batch if r.number not in wrong], report)
            if progress:
                progress(len(batch) + len(bad))
            batch.clear()
            bad.clear()

        for number, cells, wide in stream.rows:
            if any(cells):
                report.total += 1
            if wide:
                errors.append(RowError(number, "", f"该行有 {wide} 列，多于表头。"))
                continue
            if not any(cells):
                continue
            row, row_errors = parse(number, cells)
            if row is None:
                errors.extend(row_errors)
                bad.add(number)
            else:
                batch.append(row)
            if len(batch) + len(bad) >= kind.batch_rows:
                run_batch()
        run_batch()

        def rescan():
            again = stream_table(data, filename, max_columns=kind.max_columns())
            try:
                for number, cells, wide in again.rows:
                    if not wide and any(cells):
                        row, _ = parse(number, cells)
                        if row is not None:
                            yield row
            finally:
                again.close()

        kind.end_check(rescan)
    except BaseException:
        if savepoint is not None and savepoint.is_active:
            savepoint.rollback()
        raise
    finally:
        gc.unfreeze()
        stream.close()
        if savepoint is not None:
            _sqlite_cache(None)
    report.errors = sorted(errors, key=lambda e: (e.row, e.column))
    if dry_run:
        return report
    if errors and not valid_only:
        savepoint.rollback()
        db.session.expire_all()
        report.created = report.updated = report.unchanged = 0  # the batches before the wrong row: undone
        return report
    savepoint.commit()
    db.session.expire_all()  # the batches wrote around the ORM: objects already loaded are stale
    report.skipped = report.total - report.created - report.updated - report.unchanged
    kind.finish()
    report.applied = True
    _audit(kind, report, filename, actor)
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


# -- helpers of bulk kinds ----------------------------------------------------------------
LOOKUP_CHUNK = 500  # keys per IN (...) list: far below every driver's limit on parameters


class KeyIds:
    """Natural key → id of one table (credit code → enterprise id, unit code → unit id), looked up
    as the batches need them with SELECTs of the (key, id) columns only, and remembered: memory
    grows with the distinct keys of the file, not with the table."""

    def __init__(self, key_column, id_column, where=None):
        self.key_column, self.id_column, self.where = key_column, id_column, where
        self.ids: dict = {}
        self.missing: set = set()

    def resolve(self, keys) -> dict:
        wanted = list({k for k in keys if k not in self.ids and k not in self.missing})
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[start:start + LOOKUP_CHUNK]
            stmt = select(self.key_column, self.id_column).where(self.key_column.in_(chunk))
            if self.where is not None:
                stmt = stmt.where(self.where)
            self.ids.update((key, id_) for key, id_ in db.session.execute(stmt))
            self.missing.update(k for k in chunk if k not in self.ids)
        return self.ids


def existing_rows(table, key_columns: tuple[str, ...], keys: list[tuple], columns: tuple[str, ...]) -> dict:
    """Rows of `table` whose natural key (`key_columns`) is one of `keys`: key tuple → row with
    `id` and `columns`. One SELECT per LOOKUP_CHUNK keys, of those columns only: a plain IN list
    for one column; for more, a row-value IN list on PostgreSQL and a join with the keys as a
    VALUES list on SQLite (which scans a whole index for a row-value IN list): either way the
    key's unique index is searched key by key, whatever the size of the table."""
    found: dict = {}
    if not keys:
        return found
    cols = [table.c[name] for name in key_columns]
    selected = [table.c.id, *cols, *(table.c[name] for name in columns)]
    postgres = db.session.connection().dialect.name == "postgresql"
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start:start + LOOKUP_CHUNK]
        if len(cols) == 1:
            stmt = select(*selected).where(cols[0].in_([k[0] for k in chunk]))
        elif postgres:  # (a, b) IN (...): one index probe per key (BitmapOr)
            stmt = select(*selected).where(tuple_(*cols).in_(chunk))
        else:
            wanted = values(*(column(f"k{i}", c.type) for i, c in enumerate(cols)), name="wanted").data(chunk).cte("wanted")
            stmt = select(*selected).select_from(wanted).join(
                table, and_(*(c == wanted.c[f"k{i}"] for i, c in enumerate(cols))))
        for row in db.session.execute(stmt):
            found[tuple(row[1:1 + len(cols)])] = row
    return found


def insert_rows(table, names: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT `rows` (tuples of the columns `names`) in one go: COPY on PostgreSQL (psycopg's
    cursor.copy), else one DBAPI executemany, each distinct value bound once by its column type."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    if dialect.name == "postgresql":
        with connection.connection.driver_connection.cursor() as cursor:
            with cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    bound = [(i, process, {}) for i, name in enumerate(names)
             if (process := table.c[name].type._cached_bind_processor(dialect)) is not None]
    if bound:
        params = []
        for row in rows:
            values = list(row)
            for i, process, seen in bound:
                value = values[i]
                if value is not None:
                    done = seen.get(value, _UNSEEN)
                    if done is _UNSEEN:
                        done = seen[value] = process(value)
                    values[i] = done
            params.append(tuple(values))
    else:
        params = rows
    marks = ", ".join("?" if dialect.paramstyle == "qmark" else "%s" for _ in names)
    connection.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", params)


def write_rows(table, names: tuple[str, ...], new: list[tuple], changed: list[dict]) -> None:
    """INSERT the new rows (tuples of `names`) and UPDATE the changed ones (each dict has `_id`
    and the new values), one executemany per batch and shape."""
    insert_rows(table, names, new)
    shapes: dict[tuple, list[dict]] = {}
    for values in changed:
        shapes.setdefault(tuple(sorted(values)), []).append(values)
    for shape, rows in shapes.items():
        names = [name for name in shape if name != "_id"]
        stmt = (table.update().where(table.c.id == bindparam("_id"))
                .values({name: bindparam(f"v_{name}") for name in names}))
        db.session.execute(stmt, [{"_id": r["_id"], **{f"v_{n}": r[n] for n in names}} for r in rows])
