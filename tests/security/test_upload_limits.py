"""Upload limits (issue 10): every reader of a user file — the web imports, the background import
and every CLI that reads a CSV or XLSX — refuses a header wider than its columns allow before it
reads a row, never lays a row out wider than that (a tiny XLSX with a header cell in XFD1 made
openpyxl pad 200,000 rows to 16,384 cells: 8 GB), and refuses a control character in any cell
with its row and column, writing nothing.

The per-reader tests use small files and a spy on the two places rows are built (openpyxl's row
layout and the csv module's records), so a regression fails without eating the machine; one test
reads the issue's full-size files in a child process under an address-space limit."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from govsvc.extensions import db
from govsvc.imports import KINDS
from tests.conftest import form_post, login
from tests.factories import make_credit_code, make_id_number
from tests.fuzz import counts_without_log
from tests.grading.conftest import city  # noqa: F401  (fixture)
from tests.inspections.conftest import grades, make_plan, world  # noqa: F401  (fixtures)

MARGIN = 8
WIDE = "表头列数过多"
C1 = make_credit_code(1)


# -- files, built small ------------------------------------------------------------------------
def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx(rows: list[list[tuple[str, str]]], dimension: str | None = None) -> bytes:
    """A workbook written as XML directly: rows of (column letters, text); row n is rows[n-1]."""
    sheet = "".join(f'<row r="{n}">' + "".join(_cell(f"{col}{n}", text) for col, text in row) + "</row>"
                    for n, row in enumerate(rows, start=1))
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        f'</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{ns}/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "") + f"<sheetData>{sheet}</sheetData></worksheet>",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return buf.getvalue()


def wide_xlsx(first: str, rows: int) -> bytes:
    """The issue's file: a header in A1 and XFD1, then one-cell rows (the dimension says so too)."""
    return xlsx([[("A", first), ("XFD", "x")]] + [[("A", "1")]] * rows, dimension=f"A1:XFD{rows + 1}")


def wide_csv(first: str, columns: int = 100_000, rows: int = 50) -> bytes:
    return (",".join([first] + [f"c{i}" for i in range(1, columns)]) + "\n" + "a,b\n" * rows).encode()


def wide_file(fmt: str, first: str) -> tuple[bytes, str]:
    return (wide_xlsx(first, 300), ".xlsx") if fmt == "xlsx" else (wide_csv(first), ".csv")


def with_control(header: list[str], row, *, column: int, char: str, fmt: str = "csv",
                 at: int = 100, pad: int = 40) -> bytes:
    """Good rows `row(n)` down to spreadsheet row `at`, whose cell `column` (1-based) holds `char`.
    The first cell of each row ends in `pad` spaces (cells are read stripped), so that row 100
    lies beyond the start of the file that is sniffed for binary content."""
    body = [[cells[0] + " " * pad] + cells[1:] for cells in (list(row(n)) for n in range(2, at + 1))]
    bad = body[-1]
    bad[column - 1] = bad[column - 1][:1] + char + bad[column - 1][1:]
    rows = [header] + body
    if fmt == "xlsx":
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        return xlsx([[(letters[i], text) for i, text in enumerate(r) if text] for r in rows])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    data = buf.getvalue().encode()
    assert data.index(char.encode()) > 4096  # past the old check of the first 4 KiB
    return data


def control_message(row: int, column: int, char: str) -> str:
    return f"第 {row} 行第 {column} 列含有控制字符（U+{ord(char):04X}）"


# -- the spy -----------------------------------------------------------------------------------
class _SpyReader:
    def __init__(self, reader, seen):
        self.reader, self.seen = reader, seen

    def __iter__(self):
        return self

    def __next__(self):
        row = next(self.reader)
        self.seen[0] = max(self.seen[0], len(row))
        return row

    @property
    def line_num(self):
        return self.reader.line_num


@pytest.fixture
def widest(monkeypatch):
    """[the widest row built so far]: openpyxl's row layout and every csv.reader record."""
    seen = [0]
    lay_out = ReadOnlyWorksheet._get_row

    def spy(self, row, min_col=1, max_col=None, values_only=False):
        out = lay_out(self, row, min_col, max_col, values_only)
        seen[0] = max(seen[0], len(out))
        return out

    real_reader = csv.reader
    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row", spy)
    monkeypatch.setattr(csv, "reader", lambda *a, **k: _SpyReader(real_reader(*a, **k), seen))
    return seen


# -- the reader itself -------------------------------------------------------------------------
def test_far_right_data_cells_are_flagged_and_never_laid_out(widest):
    from govsvc.tables import read_table

    data = xlsx([[("A", "credit_code"), ("B", "name")], [("A", C1), ("B", "甲")], [("A", C1), ("XFD", "远")]])
    table = read_table(data, "e.xlsx", max_columns=10)
    assert table.header == ["credit_code", "name"] and table.rows == [[C1, "甲"], [C1, ""]]
    assert table.too_wide == {3: 16384} and widest[0] <= 10


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_header_just_too_wide_is_refused_and_one_within_the_limit_is_read(fmt):
    from govsvc.tables import read_table

    def build(width):
        header = [f"h{i}" for i in range(width)]
        if fmt == "xlsx":
            from openpyxl.utils import get_column_letter
            return xlsx([[(get_column_letter(i + 1), h) for i, h in enumerate(header)], [("A", "1")]])
        return (",".join(header) + "\n1\n").encode()

    assert len(read_table(build(12), "t." + fmt, max_columns=12).header) == 12
    with pytest.raises(ValueError, match="第 13 列仍有内容.*最多 12 列"):
        read_table(build(13), "t." + fmt, max_columns=12)


def test_a_giant_cell_and_a_line_of_commas_are_refused():
    from govsvc.tables import TableError, read_table

    with pytest.raises(TableError, match="第 2 行有超过 131072 个字符的单元格"):
        read_table(b"a,b\n" + b"x" * 200_000 + b"\n", "t.csv", max_columns=10)
    with pytest.raises(TableError, match="第 3 行超过 16384 列"):
        read_table(b"a,b\n1,2\n" + b"," * 100_000 + b"\n", "t.csv", max_columns=10)


def test_the_issue_files_at_full_size_stay_small(tmp_path):
    """The issue's own files (200,000 rows; 100,000 columns × 5,000 rows) in a child process whose
    address space is capped: before the fix they needed 4–8 GB (here: a MemoryError)."""
    xlsx_path, csv_path = tmp_path / "wide.xlsx", tmp_path / "wide.csv"
    xlsx_path.write_bytes(wide_xlsx("credit_code", 200_000))
    csv_path.write_bytes(wide_csv("credit_code", 100_000, 5_000))
    assert xlsx_path.stat().st_size < 2_000_000 and csv_path.stat().st_size < 1_000_000
    script = textwrap.dedent(f"""
        import json, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
        from govsvc.imports import KINDS
        from govsvc.registry import imports
        from govsvc.tables import TableError, read_table
        limit = KINDS["enterprises"]().max_columns()
        out = {{}}
        for path in ({str(xlsx_path)!r}, {str(csv_path)!r}):
            try:
                read_table(open(path, "rb").read(), path, max_columns=limit)
                out[path] = "read"
            except TableError as exc:
                out[path] = str(exc)
        # VmHWM: this program's own peak (ru_maxrss keeps the forking pytest worker's peak across exec)
        hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
        out["maxrss_mb"] = int(hwm.split()[1]) / 1024
        print(json.dumps(out, ensure_ascii=False))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    assert WIDE in out[str(xlsx_path)] and WIDE in out[str(csv_path)], out
    assert out["maxrss_mb"] < 300, out


# -- web imports -------------------------------------------------------------------------------
def _post(client, url, data, name, fields):
    return form_post(client, url, {**fields, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _refused(response, before, fragment):
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and fragment in html, html[-3000:]
    db.session.rollback()
    assert counts_without_log() == before


@pytest.fixture
def registry_import(app, client, login_as):
    app.config["IMPORT_BACKGROUND_BYTES"] = 1 << 30  # read here, not as a job (tested below)
    login_as("admin")
    return "/registry/import", {"kind": "enterprises", "mode": "all"}, KINDS["enterprises"]().max_columns()


@pytest.fixture
def records_import(client, login_as, city, factory):  # noqa: F811
    factory.enterprise(credit_code=C1)
    login_as("department", unit=city.units["SCJ"])
    from govsvc.grading.records import RecordImport
    return "/grading/records/import", {"mode": "all"}, len(RecordImport.columns) + MARGIN


@pytest.fixture
def plan_import(client, world):  # noqa: F811
    plan = make_plan(world.city_user, [])
    db.session.commit()
    assert login(client, world.city_user.username).status_code == 302
    from govsvc.inspections.imports import PlanItemImport
    return f"/inspections/plans/{plan.id}/import", {"mode": "all"}, len(PlanItemImport.columns) + MARGIN


PAGES = ["registry_import", "records_import", "plan_import"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("page", PAGES)
def test_web_import_refuses_a_wide_header_without_laying_out_wide_rows(request, client, widest, page, fmt):
    url, fields, limit = request.getfixturevalue(page)
    data, suffix = wide_file(fmt, "credit_code")
    before = counts_without_log()
    _refused(_post(client, url, data, "wide" + suffix, fields), before, WIDE)
    assert 0 < limit < 40 and widest[0] <= limit


def _day(year: int, n: int) -> str:
    return (date(year, 1, 1) + timedelta(days=n)).isoformat()


# Good rows, each its own (a file the old code imported, NUL and all)
GOOD_ROWS = {
    "registry_import": (["credit_code", "name", "industry"], lambda n: [make_credit_code(n), f"甲{n}有限公司", "工业"]),
    "records_import": (["credit_code", "unit_code", "date", "outcome"], lambda n: [C1, "SCJ", _day(2024, n), "none"]),
    "plan_import": (["category", "basis", "draw_count", "planned_date"],
                    lambda n: ["食品安全", "random", "3", _day(2027, n)]),
}


@pytest.mark.parametrize("fmt,char", [("csv", "\x00"), ("csv", "\x1b"), ("xlsx", "\x7f")])
@pytest.mark.parametrize("page", PAGES)
def test_web_import_refuses_a_control_character_in_row_100(request, client, page, fmt, char):
    """A NUL in row 100 used to be stored on SQLite and was a 500 on PostgreSQL."""
    url, fields, _ = request.getfixturevalue(page)
    header, row = GOOD_ROWS[page]
    data = with_control(header, row, column=3, char=char, fmt=fmt)
    before = counts_without_log()
    _refused(_post(client, url, data, "bad." + fmt, fields), before, control_message(100, 3, char))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_background_import_refuses_a_wide_header(app, client, login_as, widest, fmt):
    app.config["IMPORT_BACKGROUND_BYTES"] = 0
    login_as("admin")
    before = counts_without_log()
    data, suffix = wide_file(fmt, "credit_code")
    response = _post(client, "/registry/import", data, "wide" + suffix, {"kind": "enterprises", "mode": "all"})
    assert response.status_code == 302
    deadline, html = time.time() + 60, ""
    while time.time() < deadline:
        html = client.get(response.headers["Location"]).get_data(as_text=True)
        if 'http-equiv="refresh"' not in html:
            break
        time.sleep(0.2)
    assert WIDE in html, html[-2000:]
    db.session.rollback()
    assert counts_without_log() == before
    assert widest[0] <= KINDS["enterprises"]().max_columns()


# -- command-line readers ----------------------------------------------------------------------
D_CSV = "code,name,category\nA,市甲局,enforcement\nB,市乙局,service\n"
B_CSV = "ballot_id,department_code,rating\nb1,A,satisfied\n"
G_CSV = f"credit_code,name,grade,unit_grades,reason\n{C1},甲,A,,\n"
P_CSV = f"plan_id,unit_code,item_id,credit_code,category,basis,planned_date\n1,SCJ,1,{C1},食品安全,random,2027-03-01\n"
E_CSV = f"credit_code,name,industry,above_scale,status\n{C1},甲,工业,1,存续\n"
R_CSV = f"credit_code,unit_code,date,outcome,fine\n{C1},SCJ,2024-01-01,none,\n"

# name: (the file under test: its first column, its width limit, its header and a good row),
#       the command given the folder and that file's path (the other files are good ones)
CLI = {
    "import": ("credit_code", 12 + MARGIN, ["credit_code", "name", "industry"], lambda n: [make_credit_code(n), f"甲{n}有限公司", "工业"],
               lambda d, f: ["import", "enterprises", f]),
    "integrity": ("id_number", 40, ["id_number", "name", "unit"], lambda n: [make_id_number(n), f"张{n}", "甲局"],
                  lambda d, f: ["integrity", "check", f, "--on", "2026-12-01", "--purpose", "测试",
                                "--out", str(d / "out.csv")]),
    "survey-D": ("code", 3 + MARGIN, ["code", "name", "category"], lambda n: [f"D{n}", f"市{n}局", "enforcement"],
                 lambda d, f: ["survey", "tally", "--departments", f, "--ballots", str(d / "B.csv"),
                               "--out", str(d / "R-out.csv")]),
    "survey-B": ("ballot_id", 3 + MARGIN, ["ballot_id", "department_code", "rating"], lambda n: [f"b{n}", "A", "satisfied"],
                 lambda d, f: ["survey", "tally", "--departments", str(d / "D.csv"), "--ballots", f,
                               "--out", str(d / "R-out.csv")]),
    "survey-P": ("category", 10 + MARGIN, ["category", "rank", "code", "name", "score", "satisfied", "basic",
                                           "dissatisfied", "unknown", "outcome"],
                 lambda n: ["enforcement", str(n), f"D{n}", f"市{n}局", "1", "1", "0", "0", "0", ""],
                 lambda d, f: ["survey", "tally", "--departments", str(d / "D.csv"), "--ballots", str(d / "B.csv"),
                               "--previous", f, "--out", str(d / "R-out.csv")]),
    "inspections-G": ("credit_code", 5 + MARGIN, ["credit_code", "name", "grade"], lambda n: [make_credit_code(n), f"甲{n}", "A"],
                      lambda d, f: ["inspections", "check", "--grading", f, "--plans", str(d / "P.csv"),
                                    "--out", str(d / "V.csv")]),
    "inspections-P": ("plan_id", 10 + MARGIN, ["plan_id", "unit_code", "item_id", "credit_code", "category", "basis",
                                               "planned_date"], lambda n: ["1", "SCJ", str(n), C1, "食品安全", "random", "2027-03-01"],
                      lambda d, f: ["inspections", "check", "--grading", str(d / "G.csv"), "--plans", f,
                                    "--out", str(d / "V.csv")]),
    "grading-E": ("credit_code", 5 + MARGIN, ["credit_code", "name", "industry", "above_scale", "status"],
                  lambda n: [make_credit_code(n), f"甲{n}", "工业", "1", "存续"],
                  lambda d, f: ["grading", "compute", "--enterprises", f, "--records", str(d / "R.csv"),
                                "--year", "2026", "--out", str(d / "G-out.csv")]),
    "grading-R": ("credit_code", 5 + MARGIN, ["credit_code", "unit_code", "date", "outcome", "fine"],
                  lambda n: [make_credit_code(n), "SCJ", "2024-01-01", "none", ""],
                  lambda d, f: ["grading", "compute", "--enterprises", str(d / "E.csv"), "--records", f,
                                "--year", "2026", "--out", str(d / "G-out.csv")]),
}


def _folder(tmp_path):
    for name, text in {"D.csv": D_CSV, "B.csv": B_CSV, "G.csv": G_CSV, "P.csv": P_CSV, "E.csv": E_CSV,
                       "R.csv": R_CSV}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _one_line_refusal(result, fragment):
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("错误")]
    assert len(lines) == 1 and fragment in lines[0], result.output


def test_the_import_command_limit_follows_the_enterprise_columns():
    assert len(KINDS["enterprises"].columns) + MARGIN == CLI["import"][1]


@pytest.mark.parametrize("name,fmt", [(name, fmt) for name in CLI for fmt in ("xlsx", "csv")
                                      if (name, fmt) != ("survey-B", "xlsx")])  # B.csv: text only
def test_cli_refuses_a_wide_header_without_laying_out_wide_rows(app, runner, tmp_path, widest, name, fmt):
    first, limit, _, _, command = CLI[name]
    folder = _folder(tmp_path)
    data, suffix = wide_file(fmt, first)
    path = folder / ("wide" + suffix)
    path.write_bytes(data)
    before = counts_without_log()
    _one_line_refusal(runner.invoke(args=command(folder, str(path))), WIDE)
    assert widest[0] <= limit
    db.session.rollback()
    assert counts_without_log() == before
    assert not any((folder / out).exists() for out in ("out.csv", "R-out.csv", "V.csv", "G-out.csv"))


@pytest.mark.parametrize("name", list(CLI))
def test_cli_refuses_a_control_character_in_row_100(app, runner, tmp_path, name):
    _, _, header, row, command = CLI[name]
    folder = _folder(tmp_path)
    path = folder / "bad.csv"
    column = min(2, len(header))
    path.write_bytes(with_control(header, row, column=column, char="\x00", pad=700))  # B.csv: beyond 64 KiB
    before = counts_without_log()
    _one_line_refusal(runner.invoke(args=command(folder, str(path))), control_message(100, column, "\x00"))
    db.session.rollback()
    assert counts_without_log() == before


def test_every_reader_of_a_user_file_passes_a_width():
    """A new reader cannot forget the limit: read_table has no default width, and no module but
    the table reader builds csv or openpyxl readers (views_draws only prints sample code)."""
    import inspect
    import pathlib

    from govsvc.tables import read_table

    assert inspect.signature(read_table).parameters["max_columns"].default is inspect.Parameter.empty
    root = pathlib.Path(__file__).resolve().parents[2] / "govsvc"
    readers = {path.relative_to(root).as_posix() for path in root.rglob("*.py")
               if re.search(r"csv\.(reader|DictReader)\(|load_workbook\(", path.read_text(encoding="utf-8"))}
    assert readers <= {"tables.py", "inspections/views_draws.py"}, readers
