"""Formula injection (issue 10, item 4): every CSV and XLSX the application writes goes through the
one neutralising writer (govsvc.exports).

- The code: no module but govsvc/exports.py builds a workbook or uses csv.writer.
- The web: with a payload ("=HYPERLINK(…)", "+1+1", "@SUM(1)", a leading tab …) in every free-text
  field of every row the route samples create (enterprise and unit names, campaign titles,
  descriptions …), every GET route is asked for ?format=csv and ?format=xlsx (and file routes as
  they are), discovered from the URL map — a new module's exports are walked when they land.
  No CSV cell may start a formula, no XLSX cell may be one.
- The command line: every command that writes a file (an --out/--rejected option) runs on
  payload input, and its output is checked the same way.
"""
from __future__ import annotations

import ast
import csv
import io
import itertools
import re
from datetime import date
from pathlib import Path

import pytest
from flask import url_for
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import CheckConstraint, String, Text, event
from sqlalchemy.orm import Mapper

from govsvc import exports
from govsvc.auth.access import access_of
from govsvc.auth.roles import ALL_ROLES
from govsvc.extensions import db
from tests.conftest import login
from tests.factories import make_credit_code

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = ['=HYPERLINK("http://evil.example","点击")', "=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", "＝1+1"]
# Free text a user types (names, titles, notes …) — not codes, enums, hashes or keys.
FREE_TEXT_NAMES = {"accused", "answer", "complainant_contact", "complainant_name", "decision_body", "decision_no",
                   "decision_number", "description", "display_name", "enterprise_name", "explanation", "facts",
                   "group_name", "head_name", "ground", "inspectors", "legal_rep", "name", "note", "penalty_type",
                   "post", "reason", "remarks", "requested_by", "text", "title", "unit_name", "purpose"}
FREE_TEXT_SUFFIXES = ("_name", "_note", "_reason", "_text", "_title", "_remarks", "_description")
XLSX = exports.XLSX_MIMETYPE


def _checked(column) -> bool:
    """A CHECK constraint of its table names the column: a code from a fixed list (a convener's
    title 'general' …), not free text."""
    return any(isinstance(c, CheckConstraint) and re.search(rf"\b{column.name}\b", str(c.sqltext))
               for c in getattr(column.table, "constraints", ()))


def free_text(column) -> bool:
    return isinstance(column.type, (String, Text)) and (
        column.name in FREE_TEXT_NAMES or column.name.endswith(FREE_TEXT_SUFFIXES)) and not _checked(column)


@pytest.fixture
def payloads():
    """While active, every free-text value written to the database starts with a payload."""
    counter = itertools.count()

    def poison(mapper, connection, target):
        for column in mapper.columns:
            if not free_text(column) or column.key not in mapper.attrs:
                continue
            value = getattr(target, mapper.get_property_by_column(column).key, None)
            if not isinstance(value, str) or value.startswith(tuple(PAYLOADS)):
                continue
            limit = getattr(column.type, "length", None)
            for payload in itertools.islice(itertools.cycle(PAYLOADS), next(counter) % len(PAYLOADS), None):
                if limit is None or len(payload) + len(value) <= limit:
                    setattr(target, mapper.get_property_by_column(column).key, payload + value)
                    break
                if len(payload) <= 4:
                    break

    event.listen(Mapper, "before_insert", poison)
    event.listen(Mapper, "before_update", poison)
    yield
    event.remove(Mapper, "before_insert", poison)
    event.remove(Mapper, "before_update", poison)


# -- checking a file --------------------------------------------------------------------------------------
def check_csv(body: bytes, where: str) -> int:
    """Every cell safe; returns how many cells carried a (neutralised) payload."""
    text = body.decode("utf-8-sig")
    neutralised = 0
    for r, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        for c, cell in enumerate(row, start=1):
            assert not exports.is_formula_like(cell), f"{where}: CSV row {r} column {c} is a formula: {cell!r}"
            neutralised += cell.startswith("'") and exports.is_formula_like(cell[1:])
    return neutralised


def check_xlsx(body: bytes, where: str) -> int:
    book = load_workbook(io.BytesIO(body))
    neutralised = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: {sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str) and exports.is_formula_like(cell.value):
                    assert cell.quotePrefix, f"{where}: {sheet.title}!{cell.coordinate} {cell.value!r} not text-prefixed"
                    neutralised += 1
    return neutralised


def check_response(response, where: str) -> tuple[str, int] | None:
    mimetype = response.mimetype
    if response.status_code != 200:
        return None
    if mimetype == "text/csv":
        return "csv", check_csv(response.get_data(), where)
    if mimetype == XLSX:
        return "xlsx", check_xlsx(response.get_data(), where)
    return None


# -- the code -----------------------------------------------------------------------------------------------
def test_no_module_writes_a_spreadsheet_by_itself():
    offenders = []
    for path in sorted((ROOT / "govsvc").rglob("*.py")) + sorted((ROOT / "scoring").rglob("*.py")):
        if path == ROOT / "govsvc" / "exports.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in {"openpyxl", "xlsxwriter"}:
                names = {a.name for a in node.names}
                if names - {"load_workbook"} and not (node.module.startswith("openpyxl.utils")):
                    offenders.append(f"{where} from {node.module} import {', '.join(sorted(names))}")
            elif isinstance(node, ast.ImportFrom) and node.module == "csv":
                if {a.name for a in node.names} & {"writer", "DictWriter"}:
                    offenders.append(f"{where} from csv import writer")
            elif isinstance(node, ast.Import) and any(a.name.split(".")[0] == "xlsxwriter" for a in node.names):
                offenders.append(f"{where} import xlsxwriter")
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (
                    (node.value.id == "csv" and node.attr in {"writer", "DictWriter"})
                    or (node.value.id == "openpyxl" and node.attr == "Workbook")):
                offenders.append(f"{where} {node.value.id}.{node.attr}")
    assert not offenders, "write spreadsheets through govsvc/exports.py:\n" + "\n".join(offenders)


@pytest.mark.parametrize("text,safe", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "+1"), ("+1+1", "'+1+1"), ("-12.50", "-12.50"),
    ("-x", "'-x"), ("@SUM(1)", "'@SUM(1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("\n=1", "'\n=1"),
    ("\0=1", "'\0=1"), ("＝1+1", "'＝1+1"), ("企业", "企业"), ("", ""), ("'=1", "'=1"),
])
def test_neutralise(text, safe):
    assert exports.neutralise(text) == safe


def test_numbers_stay_numbers_in_xlsx():
    from decimal import Decimal

    body = exports.xlsx_bytes(["金额", "名称", "负数文本"], [[Decimal("-12.50"), "=1+1", "-3"], [7, None, date(2026, 1, 2)]])
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet["A2"].value == -12.5 and sheet["A2"].data_type == "n" and sheet["A3"].value == 7
    assert sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s" and sheet["B2"].quotePrefix
    assert sheet["C2"].value == "-3" and not sheet["C2"].quotePrefix
    assert sheet["B3"].value is None and sheet["C3"].value == "2026-01-02"
    assert check_xlsx(body, "xlsx_bytes") == 1


def test_a_control_character_does_not_break_an_xlsx():
    body = exports.xlsx_bytes(["名称"], [["甲\x01乙"], ["\x00=1"]])
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet["A2"].value == "甲\ufffd乙" and sheet["A3"].value == "\ufffd=1"


# -- the web: every export route ------------------------------------------------------------------------------
def _is_file_route(rule) -> bool:
    return any(word in rule.rule for word in ("csv", "xlsx", "download", "export"))


# Routes that also offer a machine-readable file under ?format=machine (a contract: SPEC.md's R.csv,
# the files the public draw's re-run script reads).
MACHINE_FORMATS = {"survey.results", "survey.public_results", "inspections.public_draw_csv"}


def walk_exports(app, factory, check=None):
    """GET every route as ?format=csv and ?format=xlsx (file routes also as they are), as the first
    role allowed that gets the file: {url: (kind, response)}. `check(response, where)` may return
    a value to keep instead of the response (None: not a file)."""
    from tests.route_samples import SAMPLES

    clients = {"anonymous": app.test_client()}
    for role in ALL_ROLES:
        user = factory.user(role)
        db.session.commit()
        clients[role] = app.test_client()
        assert login(clients[role], user.username).status_code == 302
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    urls = []
    for rule in sorted(rules, key=lambda r: r.rule):
        kwargs = SAMPLES[rule.endpoint](factory) if rule.arguments else {}
        db.session.commit()
        with app.test_request_context():
            urls.append((rule, url_for(rule.endpoint, **kwargs)))
    exported = {}
    for rule, url in urls:
        view = app.view_functions[rule.endpoint]
        access = access_of(view)
        roles = (["anonymous"] if access == "public" else ["admin"] if access == "authenticated"
                 else sorted(view.allowed_roles))
        variants = [url] if _is_file_route(rule) else []
        formats = exports.FORMATS + (("machine",) if rule.endpoint in MACHINE_FORMATS else ())
        variants += [url + ("&" if "?" in url else "?") + f"format={fmt}" for fmt in formats]
        for variant in variants:
            for role in roles:  # the first role that gets the file (a service may refuse some)
                response = clients[role].get(variant)
                assert response.status_code < 500, f"{role} GET {variant} → {response.status_code}"
                found = (check or check_response)(response, f"{role} GET {variant}")
                if found:
                    exported[variant] = (rule.endpoint, found)
                    break
    return exported


def test_every_export_route_neutralises_every_text_field(app, factory, payloads):
    exported = {url: found for url, (_, found) in walk_exports(app, factory).items()}
    # The walk found the exports and the payloads in them (so it would have seen a formula).
    kinds = {kind for kind, _ in exported.values()}
    assert kinds == {"csv", "xlsx"} and len(exported) >= 20, sorted(exported)
    carried = {url: n for url, (_, n) in exported.items() if n}
    assert len(carried) >= 10, sorted(exported)
    year = date.today().year
    assert any(u.startswith(f"/survey/results/{year}") and u.endswith("format=xlsx") for u in carried), sorted(carried)
    assert any(u.startswith("/inspections/circulars/") and "xlsx" in u for u in carried), sorted(carried)


# -- the command line: every command that writes a file ----------------------------------------------------------
def _file_options(command) -> set[str]:
    return {p.name for p in command.params if p.name in {"out", "out_path", "rejected_path", "output"}}


def _commands(group, prefix=()):
    import click

    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))
        else:
            yield " ".join(prefix + (name,)), command


def test_every_cli_output_neutralises_every_text_field(app, runner, factory, payloads, tmp_path):
    from govsvc.integrity import records
    from govsvc.registry.imports import person_id_hash
    from tests.factories import make_id_number

    writers = {name for name, command in _commands(app.cli) if _file_options(command)}
    covered = {"registry top", "integrity check", "grading compute", "inspections check", "survey tally",
               "finrisk circles"}
    assert writers == covered, f"add the new file-writing commands to this test: {sorted(writers - covered)}"

    enterprise = factory.enterprise(name="淄博示例有限公司", group_name="示例集团", tax={date.today().year - 1: "1000"})
    unit = factory.unit("SCJ", name="市市场监督管理局")
    person = factory.person(unit, name="李爱丽", post="科长")
    number = make_id_number(99)
    person.id_hash = person_id_hash(number)
    records.file_record(factory.user("discipline"), person, {"decision": "demerit", "decision_date": date(2025, 6, 1),
                                                             "facts": "吃拿卡要。", "filed_by": "city_commission"})
    db.session.commit()
    assert enterprise.name.startswith(tuple(PAYLOADS)) and person.name.startswith(tuple(PAYLOADS))

    def run(*args) -> None:
        result = runner.invoke(args=list(args))
        assert result.exit_code == 0, result.output

    def write(name: str, text: str) -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    out = {name: str(tmp_path / name) for name in ("top.csv", "check.csv", "G.csv", "V.csv", "R.csv", "X.csv")}
    run("registry", "top", "--year", str(date.today().year), "--out", out["top.csv"])
    run("integrity", "check", write("ids.csv", f"id_number\n{number}\n"), "--on", "2026-01-10", "--purpose", "考察",
        "--out", out["check.csv"])
    code = make_credit_code(777)
    run("grading", "compute", "--enterprises",
        write("E.csv", f'credit_code,name,industry,above_scale,status\n{code},"=HYPERLINK(""http://evil.example"")",工业,1,存续\n'),
        "--records", write("R.csv", f"credit_code,unit_code,date,outcome,fine\n{code},SCJ,2025-03-01,serious,\n"),
        "--year", "2026", "--out", out["G.csv"])
    run("inspections", "check", "--grading", write("grades.csv", f"credit_code,name,grade,unit_grades,reason\n{code},x,A,,\n"),
        "--plans", write("P.csv", "plan_id,unit_code,item_id,credit_code,category,basis,planned_date\n"
                                  f"=1+1,SCJ,@SUM(1),{code},食品安全,random,2026-03-01\n"), "--out", out["V.csv"])
    departments = "code,name,category\n" + "".join(f"E{i},=HYPERLINK(\"x\")部门{i},enforcement\n" for i in range(3))
    ballots = "ballot_id,department_code,rating\n" + "".join(f"+SUM(1),E{i},satisfied\n" for i in range(3))
    run("survey", "tally", "--departments", write("D.csv", departments), "--ballots", write("B.csv", ballots),
        "--out", out["R.csv"], "--rejected", out["X.csv"])
    # A guarantee circle of two enterprises (poisoned names) for `finrisk circles`.
    from tests.finrisk.conftest import World

    world = World(factory)
    first, second = world.enterprise(name="互保甲有限公司"), world.enterprise(name="互保乙有限公司")
    assert world.guarantees([("C-1", first, second, "100", "GH"), ("C-2", second, first, "100", "GH")]).applied
    db.session.commit()
    out["circles.csv"] = str(tmp_path / "circles.csv")
    run("finrisk", "circles", "--out", out["circles.csv"])
    carried = {name: check_csv(Path(path).read_bytes(), name) for name, path in out.items()}
    assert all(carried.values()), carried  # each output carried a payload, neutralised


# -- the files people open: Excel reads them as Chinese ---------------------------------------------------
# Files for programs, named as such: SPEC.md's D.csv / B.csv / X.csv and the chain for
# `govsvc survey tally` (the notary's downloads), and every ?format=machine variant.
MACHINE_ROUTES = {"survey.download_file"}
# The audit log's export keeps the raw entry (code, object, JSON, address) beside its Chinese reading.
RAW_COLUMNS = {"audit.entries": {"操作", "对象", "详情", "来源地址"}}
NAME_COLUMNS = {"用户", "用户名", "账号"}  # login names are what they are ("admin")
CJK = re.compile(r"[\u3400-\u9fff]")
# A cell that is an English code of the program (enforcement, commended, a_exempt, in_progress …).
CODE_LIKE = re.compile(r"^[a-z]{3,}(_[a-z]+)*$")


def _file(response, where):
    if response.status_code != 200 or response.mimetype not in ("text/csv", XLSX):
        return None
    return ("csv" if response.mimetype == "text/csv" else "xlsx"), response.get_data()


def _table(kind: str, body: bytes) -> list[list[str]]:
    if kind == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    rows = []
    for sheet in load_workbook(io.BytesIO(body)).worksheets:
        rows += [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return rows


def test_every_download_for_people_is_chinese_with_a_bom(app, factory):
    """Issue 10, item 13: every CSV/XLSX download (public and staff) has Chinese headers and values,
    and a CSV starts with the UTF-8 BOM so Excel does not garble it; machine formats keep their names."""
    exported = walk_exports(app, factory, check=_file)
    problems, machine = [], []
    for url, (endpoint, (kind, body)) in sorted(exported.items()):
        if "format=machine" in url or endpoint in MACHINE_ROUTES:
            machine.append(url)
            continue
        if kind == "csv" and not body.startswith(b"\xef\xbb\xbf"):
            problems.append(f"{url}: CSV without the UTF-8 BOM")
        table = [row for row in _table(kind, body) if any(row)]
        if not table:
            continue
        header = table[0]
        english = [h for h in header if h and not CJK.search(h)]
        if english and kind == "csv":
            problems.append(f"{url}: header not Chinese: {english}")
        raw = [i for i, h in enumerate(header) if h in RAW_COLUMNS.get(endpoint, set()) | NAME_COLUMNS]
        codes = sorted({c for row in table[1:] for i, c in enumerate(row) if i not in raw and CODE_LIKE.match(c)})
        if codes:
            problems.append(f"{url}: English codes as values: {codes[:8]}")
    assert not problems, "\n".join(problems)
    assert len(exported) - len(machine) >= 20 and any("/survey/results/" in u for u in machine), machine


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.text(alphabet="=+-@\t\r\n＝＋－＠0123456789.eE ab企,\"'", max_size=8),
                                   st.none(), st.booleans(), st.integers(), st.dates()), min_size=1, max_size=4),
                max_size=2500))
def test_csv_cells_are_those_of_neutralise_whatever_the_fast_path(rows):
    """iter_csv writes plain text cells without the general conversion: the file is the one every
    cell through neutralise(_cell(v)) gives, across its 1,000-row chunks."""
    expected = io.StringIO()
    expected.write("\ufeff")
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(["h"])
    writer.writerows([[exports.neutralise(exports._cell(v)) for v in row] for row in rows])
    assert exports.csv_bytes(["h"], rows) == expected.getvalue().encode("utf-8")
