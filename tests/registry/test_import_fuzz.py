"""Fuzz-style property tests of the import parsers and the import CLI: random bytes and
malformed CSV/XLSX give a clear error (or a row report), never a crash, and write nothing."""
import io
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select

from govsvc.extensions import db
from govsvc.imports import KINDS, run_import
from govsvc.registry import imports as _kinds  # noqa: F401
from govsvc.registry.models import Enterprise, Person, TaxRecord, Unit
from govsvc.tables import TableError

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
MODELS = (Enterprise, TaxRecord, Unit, Person)


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in MODELS)


def _attempt(kind: str, data: bytes, filename: str):
    """Either a clear TableError or a report; a report with errors wrote nothing."""
    before = _counts()
    try:
        report = run_import(KINDS[kind](), data, filename)
    except TableError as exc:
        assert str(exc)
        db.session.rollback()
        assert _counts() == before
        return
    if report.errors:
        assert not report.applied
        assert _counts() == before
        for error in report.errors:
            assert error.row >= 2 and error.message
    db.session.rollback()


cells = st.text(alphabet=string.printable + "统一社会信用代码企业工业是否,\"\n\r", max_size=25)


@st.composite
def csv_like(draw, kind):
    columns = [c.name for c in KINDS[kind].columns]
    header = draw(st.lists(st.sampled_from(columns + ["junk", ""]), min_size=0, max_size=len(columns) + 1))
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=6))
    text = ",".join(header) + "\n" + "\n".join(",".join(r) for r in rows)
    return text.encode(draw(st.sampled_from(["utf-8", "gb18030", "utf-16"])), errors="ignore")


@FUZZ
@given(kind=st.sampled_from(["enterprises", "tax", "units", "persons"]), data=st.binary(max_size=400),
       name=st.sampled_from(["f.csv", "f.xlsx", "f.txt", "f"]))
def test_random_bytes(app, kind, data, name):
    _attempt(kind, data, name)


@FUZZ
@given(data=st.data(), kind=st.sampled_from(["enterprises", "tax", "units", "persons"]))
def test_malformed_csv(app, data, kind):
    _attempt(kind, data.draw(csv_like(kind)), "f.csv")


@FUZZ
@given(rows=st.lists(st.lists(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True),
                                        cells.map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
                                        st.booleans(), st.dates()), max_size=6), max_size=5))
def test_malformed_xlsx(app, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["credit_code", "name", "industry", "above_scale", "status"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    _attempt("enterprises", buf.getvalue(), "f.xlsx")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_cli_import_of_random_bytes_exits_0_or_2(runner, tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    before = _counts()
    result = runner.invoke(args=["import", "enterprises", str(path)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code == 2:
        assert "错误：" in result.output
        assert _counts() == before
