"""Fuzz-style property tests of every registered import kind (enterprises, tax, units, persons,
records) through `govsvc import KIND FILE` and the admin import page: a mangled file is imported
as a whole, or refused with a row report / one clear line and nothing written (verdicts:
tests/fuzz.py). `govsvc import` reports a refused file row by row ("第 N 行 …", SPEC "Imports")
and ends with one `错误：` line."""
import csv
import io
import os
import tempfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govsvc.extensions import db
from govsvc.grading import records as _records  # noqa: F401  (registers the records kind)
from govsvc.imports import KINDS, run_import
from govsvc.registry import imports as _kinds  # noqa: F401
from tests.factories import make_credit_code, make_id_number
from tests.fuzz import FUZZ, FUZZ_WEB, INVALID, VALID, FileSpec, check_upload, counts_without_log, mutants, upload

C1, C2, C9 = make_credit_code(1), make_credit_code(2), make_credit_code(9)
BAD_C = C1[:-1] + ("0" if C1[-1] != "0" else "1")
P1, P2 = make_id_number(11), make_id_number(12)

FILES = {
    "enterprises": ("credit_code,name,industry,above_scale,district,group,group_head,status\n"
                    f"{C1},甲有限公司,工业,1,张店区,,0,存续\n{C2},乙有限公司,服务业,是,淄川区,金城集团,1,\n"),
    "units": ("code,name,level,district,system,survey_category,enforcement,grading\n"
              "SCJ,市市场监督管理局,市,,,执法和综合管理类,1,1\nSWJ,市税务局,city,,,,1,1\n"
              "SHJ,市生态环境局,city,,,service,1,0\nSCJ-ZD,张店区市场监管局,区县,张店区,SCJ,,1,0\n"),
    "tax": f"credit_code,year,local_retained\n{C1},2025,\"1,234.50\"\n{C2},2025,100\n{C1},2024,0.5\n",
    "persons": f"id_number,name,unit_code,post\n{P1},王五,SCJ,科员\n{P2},赵六,SCJ-ZD,\n",
    "records": ("credit_code,unit_code,date,outcome,fine,decision_no,description\n"
                f"{C1},SCJ,2024-05-03,serious,200000.00,淄市监罚〔2024〕12号,吊销许可证\n"
                f"{C1},SWJ,2023-02-01,一般违法,500,税罚〔2023〕7号,\n{C2},SHJ,2025/1/9,none,,,\n"),
}


def _rows(text):
    return tuple(tuple(r) for r in csv.reader(io.StringIO(text)))


SPECS = {
    "enterprises": FileSpec(_rows(FILES["enterprises"]), required=("credit_code", "name", "industry"),
                            extra_columns=False, key="credit_code", huge=("credit_code", "name"),
                            bad={"credit_code": ("123", BAD_C, ""), "name": ("", "长" * 201), "industry": ("农业", ""),
                                 "above_scale": ("2", "maybe"), "status": ("倒闭",), "group_head": ("x",)}),
    "units": FileSpec(_rows(FILES["units"]), required=("code", "name", "level"), key="code", huge=("code",),
                      extra_columns=False,
                      bad={"code": ("", "a b", "X" * 33), "level": ("省", ""), "system": ("NOPE",),
                           "survey_category": ("其他",), "enforcement": ("2",)}),
    "tax": FileSpec(_rows(FILES["tax"]), required=("credit_code", "year", "local_retained"), key="credit_code",
                    extra_columns=False,
                    huge=("local_retained",),
                    bad={"credit_code": (C9, BAD_C, ""), "year": ("1989", "abc", "", "2⁰25"),
                         "local_retained": ("abc", "-1", "1.234", "1e100", "NaN", "")}),
    "persons": FileSpec(_rows(FILES["persons"]), required=("id_number", "name", "unit_code"), key="id_number",
                        extra_columns=False,
                        huge=("id_number",),
                        bad={"id_number": ("123", "²" + P1[1:], P1[:-1] + ("0" if P1[-1] != "0" else "1")),
                             "unit_code": ("NOPE", ""), "name": ("",)}),
    "records": FileSpec(_rows(FILES["records"]), required=("credit_code", "unit_code", "date", "outcome"),
                        extra_columns=False,
                        key="credit_code", huge=("fine",),
                        bad={"credit_code": (C9, BAD_C), "unit_code": ("NOPE", ""),
                             "date": ("2024-13-01", "2999-01-01", "1980-01-01", ""), "outcome": ("worst", ""),
                             "fine": ("abc", "1e100", "-5")}),
}


def restore(*kinds):
    """Import each kind's unchanged file (an EITHER variant that was still valid may have changed
    a name or an amount: the next valid variant must find the original values again)."""
    for kind in kinds:
        report = run_import(KINDS[kind](), FILES[kind].encode(), "base.csv")
        assert report.applied, report.errors
    db.session.commit()


@pytest.fixture
def registry(app):
    """The registry every kind refers to, and each kind's file imported once (so that a valid
    variant of it changes nothing)."""
    restore("enterprises", "units", "tax", "persons", "records")


@FUZZ
@given(data=st.data(), kind=st.sampled_from(sorted(SPECS)))
def test_cli_import_of_mangled_files(runner, registry, data, kind):
    mutant = data.draw(mutants(SPECS[kind]), label=kind)
    before = counts_without_log()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "data" + mutant.suffix)
        with open(path, "wb") as fh:
            fh.write(mutant.data)
        result = runner.invoke(args=["import", kind, path])
    where = f"{kind} {mutant!r}\nexit {result.exit_code}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), where + repr(result.exception)
    assert result.exit_code in (0, 2) and "Traceback" not in result.output, where
    if mutant.expect == VALID:
        assert result.exit_code == 0, where
    if mutant.expect == INVALID:
        assert result.exit_code == 2, where
    if result.exit_code == 2:
        db.session.rollback()
        lines = result.stderr.rstrip("\n").split("\n")
        assert lines[-1].startswith("错误：") and all(line.startswith("第 ") for line in lines[:-1]), where
        assert counts_without_log() == before, where
    elif mutant.same_output:
        assert "新增 0，更新 0" in result.stdout and counts_without_log() == before, where
    else:
        restore(kind)


@pytest.fixture
def as_admin(login_as):
    """Logged in once: the fixtures serve every example of a test."""
    login_as("admin")


@FUZZ_WEB
@given(data=st.data(), kind=st.sampled_from(sorted(SPECS)))
def test_web_import_of_mangled_files(client, as_admin, registry, data, kind):
    mutant = data.draw(mutants(SPECS[kind]), label=kind)
    before = counts_without_log()
    response = upload(client, "/registry/import", mutant, {"kind": kind, "mode": "all"})
    html = check_upload(response, before, mutant.expect, context=(kind, mutant))
    if mutant.same_output:
        assert "新增 0 条，更新 0 条" in html and counts_without_log() == before, (kind, mutant)
    elif "已导入" in html:
        restore(kind)
