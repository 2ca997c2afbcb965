"""Shared strategies and checks of the fuzz-style property tests of every file-reading CLI command
and web upload form (the rule: bad input never crashes and never half-writes).

A test describes a valid input file as a `FileSpec` (rows of text, the required columns, bad
values per column, …) and draws `Mutant`s of it with `mutants(spec)`. Each mutant carries its
expected verdict, decided by the mutation that made it, never by the program under test:

- `VALID`: a change that must not matter (UTF-8 BOM, GB18030 encoding, CRLF, trailing blank
  lines, header case and spaces, columns in another order, an extra column unless the reader
  refuses unknown columns, the same table as XLSX) — exit 0, and the same output as the unchanged file when `same_output`;
- `INVALID`: a change that must be refused (random bytes, empty file, NUL byte, undecodable
  bytes, a required column missing or renamed, a bad value where a code, number or date is
  expected, a duplicate key, a huge key field, a damaged or foreign XLSX) — exit 2;
- `EITHER`: truncated or byte-flipped files and rows with extra cells may or may not still be
  valid: exit 0 or 2, and whichever it is, its contract holds.

`check_cli` holds every CLI run to the contract: no traceback, exit 0 or 2; on 2 exactly one
line on stderr (`错误：…`) and no output or temporary file left behind; on 0 every output file
written with its header.
"""
from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from openpyxl import Workbook

# GOVSVC_FUZZ_SCALE=20 runs twenty times as many examples (a longer hunt, outside the suite).
SCALE = max(1, int(os.environ.get("GOVSVC_FUZZ_SCALE", "1") or 1))
FUZZ = settings(max_examples=40 * SCALE, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
FUZZ_WEB = settings(FUZZ, max_examples=25 * SCALE)

VALID, INVALID, EITHER = "valid", "invalid", "either"
HUGE = 200_000  # longer than the csv module's field limit (131,072)


@dataclass(frozen=True)
class FileSpec:
    """A valid input table and what may be done to it."""

    rows: tuple[tuple[str, ...], ...]                 # header first
    required: tuple[str, ...]                         # columns whose loss or renaming is an error
    bad: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column → values that are errors
    key: str | None = None                            # a duplicated data row is an error
    huge: tuple[str, ...] = ()                        # columns where a 200,000-character value is an error
    xlsx: bool = True                                 # the reader takes XLSX (by the file name)
    extra_columns: bool = True                        # unknown columns are ignored (else refused)

    @property
    def header(self) -> tuple[str, ...]:
        return self.rows[0]

    @property
    def body(self) -> list[list[str]]:
        return [list(r) for r in self.rows[1:]]


@dataclass
class Mutant:
    data: bytes
    suffix: str           # ".csv" or ".xlsx"
    expect: str           # VALID, INVALID or EITHER
    how: str              # what was done, for failure reports
    same_output: bool = False

    def __repr__(self) -> str:
        return f"Mutant({self.how!r}, {self.expect}, {self.data[:120]!r}{'…' if len(self.data) > 120 else ''})"


# -- building files ---------------------------------------------------------------------------
def csv_text(rows, newline: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    return out.getvalue()


def csv_file(rows, *, encoding: str = "utf-8", newline: str = "\n") -> bytes:
    return csv_text(rows, newline).encode(encoding)


def xlsx_file(rows, *, first_sheet_rows=None) -> bytes:
    """An XLSX workbook with `rows` on its first sheet, or on a second sheet after a first one
    holding `first_sheet_rows`."""
    wb = Workbook()
    ws = wb.active
    if first_sheet_rows is not None:
        ws.title = "说明"
        for row in first_sheet_rows:
            ws.append(list(row))
        ws = wb.create_sheet("数据")
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def foreign_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "这不是 Excel 文件")
        z.writestr("[Content_Types].xml", "<Types/>")
    return buf.getvalue()


# -- mutations ---------------------------------------------------------------------------------
def _without(rows, index):
    return [r[:index] + r[index + 1:] for r in rows]


@st.composite
def valid_mutants(draw, spec: FileSpec) -> Mutant:
    rows = [list(spec.header)] + spec.body
    how = draw(st.sampled_from(["bom", "gb18030", "crlf", "blank_lines", "header_case", "permute", "extra_column",
                                "xlsx", "all"]))
    if how in ("header_case", "all"):
        rows[0] = [draw(st.sampled_from([h.upper(), f" {h} ", h.title()])) for h in rows[0]]
    if how in ("permute", "all"):
        order = draw(st.permutations(range(len(rows[0]))))
        rows = [[r[i] for i in order] for r in rows]
    if how in ("extra_column", "all"):
        at = draw(st.integers(0, len(rows[0])))
        note = draw(st.text(alphabet="备注甲乙 ,\"x1", max_size=8))
        rows = [r[:at] + (["note"] if n == 0 else [note]) + r[at:] for n, r in enumerate(rows)]
    expect = VALID
    if how in ("extra_column", "all") and not spec.extra_columns:
        expect = INVALID  # the import framework refuses a column it does not know
    if how == "xlsx":
        if spec.xlsx:
            return Mutant(xlsx_file(rows), ".xlsx", VALID, how, same_output=True)
        how = "bom"
    encoding = "gb18030" if how == "gb18030" or (how == "all" and draw(st.booleans())) else "utf-8"
    text = csv_text(rows, "\r\n" if how in ("crlf", "all") else "\n")
    if how in ("blank_lines", "all"):
        text += "\n" * draw(st.integers(1, 3))
    data = text.encode(encoding)
    if how == "bom" or (how == "all" and encoding == "utf-8"):  # a UTF-8 BOM only on UTF-8 text
        data = b"\xef\xbb\xbf" + data
    return Mutant(data, ".csv", expect, how, same_output=expect == VALID)


@st.composite
def invalid_mutants(draw, spec: FileSpec) -> Mutant:
    rows = [list(spec.header)] + spec.body
    choices = ["random_bytes", "empty", "blank", "nul", "undecodable", "drop_column", "rename_header",
               "xlsx_random", "xlsx_foreign_zip", "xlsx_wrong_header", "xlsx_wrong_sheet", "header_only_junk"]
    if spec.bad:
        choices += ["bad_value"] * 3
    if spec.key:
        choices.append("duplicate")
    if spec.huge:
        choices.append("huge")
    how = draw(st.sampled_from(choices))
    if how == "random_bytes":
        return Mutant(draw(st.binary(min_size=1, max_size=300)), draw(st.sampled_from([".csv", ".xlsx"])), INVALID, how)
    if how == "empty":
        return Mutant(b"", ".csv", INVALID, how)
    if how == "blank":
        return Mutant(draw(st.sampled_from([b"\n", b"\r\n\r\n", b" , ,\n", b"\xef\xbb\xbf"])), ".csv", INVALID, how)
    if how == "header_only_junk":
        return Mutant(csv_file([["junk", "列"]] + spec.body), ".csv", INVALID, how)
    if how in ("nul", "undecodable"):
        data = csv_file(rows)
        at = draw(st.integers(0, len(data)))
        return Mutant(data[:at] + (b"\x00" if how == "nul" else b"\xff\xff") + data[at:], ".csv", INVALID, how)
    if how == "drop_column":
        index = spec.header.index(draw(st.sampled_from(spec.required)))
        return Mutant(csv_file(_without(rows, index)), ".csv", INVALID, how)
    if how == "rename_header":
        index = spec.header.index(draw(st.sampled_from(spec.required)))
        rows[0][index] = draw(st.sampled_from([rows[0][index] + "_x", "", "名称?", rows[0][index][:-1]]))
        return Mutant(csv_file(rows), ".csv", INVALID, how)
    if how == "bad_value":
        column = draw(st.sampled_from(sorted(spec.bad)))
        row = draw(st.integers(1, len(rows) - 1))
        rows[row][spec.header.index(column)] = draw(st.sampled_from(spec.bad[column]))
        return Mutant(csv_file(rows), ".csv", INVALID, f"bad_value {column}")
    if how == "duplicate":
        row = draw(st.integers(1, len(rows) - 1))
        rows.insert(draw(st.integers(row + 1, len(rows))), list(rows[row]))
        return Mutant(csv_file(rows), ".csv", INVALID, how)
    if how == "huge":
        column = draw(st.sampled_from(spec.huge))
        rows[draw(st.integers(1, len(rows) - 1))][spec.header.index(column)] = "9" * HUGE
        return Mutant(csv_file(rows), ".csv", INVALID, f"huge {column}")
    if how == "xlsx_random":
        return Mutant(b"PK\x03\x04" + draw(st.binary(max_size=200)), ".xlsx", INVALID, how)
    if how == "xlsx_foreign_zip":
        return Mutant(foreign_zip(), ".xlsx", INVALID, how)
    if how == "xlsx_wrong_header":
        index = spec.header.index(draw(st.sampled_from(spec.required)))
        rows[0][index] = "错误列名"
        return Mutant(xlsx_file(rows), ".xlsx", INVALID, how)
    # xlsx_wrong_sheet: the data is on the second sheet, the first one is an instructions sheet
    return Mutant(xlsx_file(rows, first_sheet_rows=[["填表说明"], ["请在第二个工作表填写"]]), ".xlsx", INVALID, how)


@st.composite
def either_mutants(draw, spec: FileSpec) -> Mutant:
    rows = [list(spec.header)] + spec.body
    data = csv_file(rows)
    how = draw(st.sampled_from(["truncate", "flip", "extra_cells", "delete_bytes"]))
    if how == "truncate":
        data = data[:draw(st.integers(0, len(data)))]
    elif how == "flip":
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([draw(st.integers(1, 255))]) + data[at + 1:]
    elif how == "delete_bytes":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + data[at + draw(st.integers(1, 20)):]
    else:
        row = draw(st.integers(1, len(rows) - 1))
        rows[row] = rows[row] + draw(st.lists(st.sampled_from(["", "x", "多余"]), min_size=1, max_size=3))
        data = csv_file(rows)
    return Mutant(data, ".csv", EITHER, how)


def mutants(spec: FileSpec):
    return st.one_of(valid_mutants(spec), invalid_mutants(spec), either_mutants(spec))


# -- the CLI contract ----------------------------------------------------------------------------
def check_cli(result, outputs: list[str], expect: str, *, header: str | None = None, context=None) -> None:
    """Hold one CLI run to the contract (see the module docstring)."""
    where = f"{context!r}\nexit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        where + "\n" + repr(result.exception))
    assert "Traceback" not in result.output, where
    assert result.exit_code in (0, 2), where
    if expect == VALID:
        assert result.exit_code == 0, where
    elif expect == INVALID:
        assert result.exit_code == 2, where
    folder = os.path.dirname(outputs[0])
    if result.exit_code == 2:
        lines = result.stderr.rstrip("\n").split("\n")
        assert len(lines) == 1 and lines[0].startswith("错误：") and len(lines[0]) > 5, where
        for path in outputs:
            assert not os.path.exists(path), where + f"\n{path} left behind"
    else:
        for path in outputs:
            assert os.path.isfile(path), where
        if header is not None:
            with open(outputs[0], encoding="utf-8") as fh:
                assert fh.readline().rstrip("\r\n") == header, where
    leftovers = [n for n in os.listdir(folder) if n.endswith(".tmp")]
    assert not leftovers, where + f"\ntemporary files left: {leftovers}"


# -- the database ------------------------------------------------------------------------------
def row_counts() -> dict[str, int]:
    """Rows in every table of the schema: a failed import or command must leave them all unchanged."""
    from sqlalchemy import func, select

    from govsvc.extensions import db

    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def counts_without_log() -> dict[str, int]:
    """Row counts except the audit log and background jobs (an applied import adds an entry)."""
    return {k: v for k, v in row_counts().items() if k not in ("audit_log", "jobs", "job_inputs")}


# -- web uploads -------------------------------------------------------------------------------
ERROR_MARKERS = ('class="error"', "flash-danger")


def upload(client, url: str, mutant: Mutant, fields: dict, *, page: str | None = None):
    """Post the mutant as the form's `file` the way a browser does (CSRF token from the page)."""
    from tests.conftest import form_post

    data = {**fields, "file": (io.BytesIO(mutant.data), "upload" + mutant.suffix)}
    return form_post(client, url, data, page=page, content_type="multipart/form-data")


def check_upload(response, before: dict, expect: str, context=None) -> str:
    """The web contract: a page (never a 500), a clear message beside the field or in the report
    when the file is refused, and the database unchanged then."""
    from govsvc.extensions import db

    html = response.get_data(as_text=True)
    where = f"{context!r}\nstatus {response.status_code}\n{html[-3000:]}"
    assert response.status_code in (200, 302), where
    refused = any(marker in html for marker in ERROR_MARKERS)
    if expect == INVALID:
        assert response.status_code == 200 and refused, where
    elif expect == VALID:
        assert not refused, where
    if response.status_code == 200 and refused:
        db.session.rollback()
        assert counts_without_log() == before, where
    return html
