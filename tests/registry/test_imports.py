"""Imports: validate every row first; nothing written when a row is wrong (unless valid-only);
re-importing changes nothing; counts of created / updated / unchanged; CSV and XLSX; web and CLI."""
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.imports import KINDS, run_import
from govsvc.registry import imports as _kinds  # noqa: F401
from govsvc.registry.models import Enterprise, Person, TaxRecord, Unit
from govsvc.tables import TableError
from tests.conftest import form_post
from tests.factories import make_credit_code, make_id_number

C1, C2, C3 = make_credit_code(1), make_credit_code(2), make_credit_code(3)
HEADER = "credit_code,name,industry,above_scale,district,group,group_head,status\n"
GOOD = HEADER + f"{C1},甲有限公司,工业,1,张店区,,0,存续\n{C2},乙有限公司,服务业,是,淄川区,金城集团,1,\n"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def imp(kind: str, text: str | bytes, filename="f.csv", **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return run_import(KINDS[kind](), data, filename, **kw)


def test_enterprises_import_then_reimport_is_unchanged(app):
    report = imp("enterprises", GOOD)
    assert (report.created, report.updated, report.unchanged, report.applied) == (2, 0, 0, True)
    db.session.commit()
    again = imp("enterprises", GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = imp("enterprises", GOOD.replace("甲有限公司", "甲股份有限公司"))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    second = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == C2))
    assert second.group_name == "金城集团" and second.group_head and second.above_scale and second.status == "存续"


def test_one_bad_row_writes_nothing_and_reports_row_and_column(app):
    bad = GOOD + f"{C3[:-1]}0,丙公司,工业,1,,,0,存续\n{C3},丁公司,农业,1,,,0,存续\n"
    report = imp("enterprises", bad)
    assert not report.applied and count(Enterprise) == 0
    rows = {(e.row, e.column) for e in report.errors}
    assert (4, "统一社会信用代码") in rows and (5, "行业类别") in rows
    message = next(e.message for e in report.errors if e.row == 4)
    assert "第 18 位" in message


def test_valid_only_imports_the_good_rows(app):
    bad = GOOD + f"{C3},丁公司,农业,1,,,0,存续\n"
    report = imp("enterprises", bad, valid_only=True)
    assert report.applied and report.created == 2 and report.skipped == 1 and count(Enterprise) == 2


def test_duplicate_keys_and_two_group_heads_are_row_errors(app):
    text = HEADER + f"{C1},甲,工业,1,,G,1,\n{C1},甲2,工业,1,,,0,\n{C2},乙,工业,1,,G,1,\n"
    report = imp("enterprises", text)
    messages = {e.row: e.message for e in report.errors}
    assert "与第 2 行重复" in messages[3] and "已有母公司" in messages[4]


def test_chinese_headers_and_gbk_encoding(app):
    text = f"统一社会信用代码,企业名称,行业类别\n{C1},甲有限公司,工业\n"
    report = imp("enterprises", text.encode("gb18030"))
    assert report.created == 1


@pytest.mark.parametrize("data,fragment", [
    (b"", "为空"),
    (b"\x00\x01\x02binary", "二进制"),
    ("name,industry\n甲,工业\n".encode(), "缺少必需的列"),
    ("credit_code,name,industry,colour\n".encode(), "不是企业的列"),
    ('credit_code,name,industry\n"unterminated,甲,工业\n'.encode(), "CSV"),
])
def test_unreadable_files_raise_a_clear_error(app, data, fragment):
    with pytest.raises(TableError, match=fragment):
        imp("enterprises", data)


def test_xlsx_import_and_broken_xlsx(app):
    wb = Workbook()
    ws = wb.active
    ws.append(["credit_code", "name", "industry", "above_scale"])
    ws.append([C1, "甲有限公司", "工业", 1])
    ws.append([None, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    report = imp("enterprises", buf.getvalue(), "e.xlsx")
    assert report.created == 1 and report.total == 1
    with pytest.raises(TableError, match="Excel"):
        imp("enterprises", b"PK\x03\x04 not really a zip", "e.xlsx")


def test_tax_records_need_known_enterprises_and_exact_money(app):
    imp("enterprises", GOOD)
    text = (f"credit_code,year,local_retained\n{C1},2025,\"1,234.50\"\n{C2},2025,100.125\n"
            f"{C3},2025,10\n{C1},1800,1\n{C1},2024,-5\n")
    report = imp("tax", text)
    messages = {e.row: e.message for e in report.errors}
    assert set(messages) == {3, 4, 5, 6}
    assert "两位小数" in messages[3] and "先导入企业" in messages[4] and "年份" in messages[5] and "负数" in messages[6]
    ok = imp("tax", f"credit_code,year,local_retained\n{C1},2025,\"1,234.50\"\n")
    assert ok.created == 1
    assert db.session.scalar(select(TaxRecord.local_retained)) == Decimal("1234.50")


def test_units_with_systems(app):
    text = ("code,name,level,district,system,survey_category,enforcement,grading\n"
            "SCJ-ZD,张店区市场监管局,区县,张店区,scj,,1,0\n"
            "SCJ,市市场监督管理局,市,,,执法和综合管理类,1,1\n"
            "X-1,某局,区县,,NOPE,,0,0\n")
    report = imp("units", text)
    assert {e.row for e in report.errors} == {4}
    messages = " ".join(e.message for e in report.errors)
    assert "区县级单位必须填写区县" in messages and "找不到单位代码“NOPE”" in messages
    assert count(Unit) == 0
    report = imp("units", "\n".join(text.splitlines()[:3]) + "\n")
    assert report.created == 2
    county = db.session.scalar(select(Unit).where(Unit.code == "SCJ-ZD"))
    assert county.system.code == "SCJ" and county.level == "county"
    assert db.session.scalar(select(Unit).where(Unit.code == "SCJ")).survey_category == "enforcement"


def test_persons_keep_only_hash_and_masked_id(app, factory):
    factory.unit("SCJ")
    number = make_id_number(7)
    report = imp("persons", f"id_number,name,unit_code,post\n{number},王五,SCJ,科员\n")
    assert report.created == 1
    person = db.session.scalar(select(Person))
    assert person.id_masked == number[:4] + "*" * 10 + number[-4:]
    assert number not in (person.id_hash, person.id_masked)
    again = imp("persons", f"id_number,name,unit_code,post\n{number},王五,SCJ,副科长\n")
    assert (again.created, again.updated) == (0, 1)
    bad = imp("persons", f"id_number,name,unit_code\n{number[:-1]}0,王五,SCJ\n")
    assert "校验位" in bad.errors[0].message


def test_import_is_audited(app):
    imp("enterprises", GOOD)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import.enterprises"))
    assert '"created": 2' in entry.detail


# -- web -------------------------------------------------------------------------------
def _upload(client, text: str, mode: str, kind="enterprises"):
    return form_post(client, "/registry/import", {"kind": kind, "mode": mode,
                                                   "file": (io.BytesIO(text.encode()), "e.csv")},
                     content_type="multipart/form-data")


def test_web_import_refuses_bad_file_and_shows_row_errors(client, login_as):
    login_as("admin")
    html = _upload(client, GOOD + f"{C3},丁公司,农业,1,,,0,存续\n", "all").get_data(as_text=True)
    assert "未导入任何数据" in html and "农业" in html and count(Enterprise) == 0
    html = _upload(client, GOOD, "check").get_data(as_text=True)
    assert "校验通过" in html and count(Enterprise) == 0
    html = _upload(client, GOOD, "all").get_data(as_text=True)
    assert "新增 2 条" in html and count(Enterprise) == 2


def test_web_import_of_garbage_is_a_field_error(client, login_as):
    login_as("admin")
    response = _upload(client, "\x00\x01", "all")
    assert response.status_code == 200 and "二进制" in response.get_data(as_text=True)


# -- CLI -------------------------------------------------------------------------------
def test_cli_import_ok_bad_and_valid_only(runner, tmp_path, app):
    good = tmp_path / "e.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["import", "enterprises", str(good)])
    assert result.exit_code == 0 and "新增 2" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"{C3},丁公司,农业,1,,,0,存续\n", encoding="utf-8")
    result = runner.invoke(args=["import", "enterprises", str(bad)])
    assert result.exit_code == 2 and "第 2 行" in result.output and count(Enterprise) == 2
    result = runner.invoke(args=["import", "enterprises", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2 and "无法读取" in result.output
    result = runner.invoke(args=["import", "nonsense", str(good)])
    assert result.exit_code == 2 and "未知的数据类型" in result.output
    result = runner.invoke(args=["import", "enterprises", str(good)])
    assert result.exit_code == 0 and "未变化 2" in result.output


def test_import_help_names_each_column_in_english_and_chinese(client, login_as):
    """Issue 10 (16): the import page's help lists every column of every kind with both names
    (the file may use either), the required ones marked."""
    import re

    login_as("admin")
    html = client.get("/registry/import").get_data(as_text=True)
    for kind in KINDS.values():
        for c in kind.columns:
            row = f'<td class="mono">{re.escape(c.name)}\\*?</td><td>{re.escape(c.label)}</td>'
            assert re.search(row, html), (kind.name, c.name, c.label)
