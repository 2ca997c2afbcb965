"""The enforcement records import: row-level errors, nothing half-written, upsert, CLI and web."""
import io
from datetime import timedelta

from openpyxl import Workbook
from sqlalchemy import func, select

from govsvc.extensions import db
from govsvc.grading.models import EnforcementRecord
from govsvc.grading.records import RecordImport
from govsvc.imports import KINDS, run_import
from govsvc.timeutil import local_today
from tests.conftest import form_post
from tests.factories import make_credit_code

HEADER = "credit_code,unit_code,date,outcome,fine,decision_no,description\n"


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(EnforcementRecord))


def good_rows(e1, e2):
    return (f"{e1.credit_code},SCJ,2024-05-03,serious,200000.00,淄市监罚〔2024〕12号,吊销许可证\n"
            f"{e1.credit_code},SWJ,2023-02-01,一般违法,500,税罚〔2023〕7号,\n"
            f"{e2.credit_code},SHJ,2025/1/9,none,,,\n")


def test_records_kind_is_registered_for_the_cli_and_the_import_page():
    assert KINDS["records"] is RecordImport


def test_import_then_reimport_changes_nothing(city, factory):
    e1, e2 = factory.enterprise(), factory.enterprise()
    report = run_import(RecordImport(), (HEADER + good_rows(e1, e2)).encode(), "r.csv")
    assert (report.applied, report.created) == (True, 3)
    serious = db.session.scalar(select(EnforcementRecord).where(EnforcementRecord.outcome == "serious"))
    assert serious.fine == 200000 and serious.decision_no == "淄市监罚〔2024〕12号" and serious.description == "吊销许可证"
    assert db.session.scalar(select(EnforcementRecord).where(EnforcementRecord.unit_id == city.units["SWJ"].id)).outcome == "minor"
    again = run_import(RecordImport(), (HEADER + good_rows(e1, e2)).encode(), "r.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3) and count() == 3
    changed = run_import(RecordImport(), (HEADER + good_rows(e1, e2).replace("200000.00", "250000.00")).encode(), "r.csv")
    assert (changed.updated, changed.unchanged) == (1, 2)


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(city, factory):
    e1, e2 = factory.enterprise(), factory.enterprise()
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    bad = (HEADER + good_rows(e1, e2)
           + f"{e1.credit_code},SCJ,2024-02-30,minor,,x1,\n"                # row 5: no such date
           + f"{e1.credit_code},NOPE,2024-02-01,minor,,x2,\n"               # row 6: unknown unit
           + f"{make_credit_code(99999)},SCJ,2024-02-01,minor,,x3,\n"       # row 7: enterprise not registered
           + f"{e1.credit_code},SCJ,2024-02-01,bad,,x4,\n"                  # row 8: outcome
           + f"{e1.credit_code},SCJ,2024-02-01,none,10,,\n"                 # row 9: fine on a clean inspection
           + f"{e1.credit_code},SCJ,{tomorrow},minor,,x5,\n"                # row 10: in the future
           + f"{e1.credit_code[:-1]}0,SCJ,2024-02-01,minor,,x6,\n"          # row 11: check character
           + f"{e1.credit_code},SCJ,2024-05-03,minor,,淄市监罚〔2024〕12号,\n")  # row 12: duplicate of row 2
    report = run_import(RecordImport(), bad.encode(), "r.csv")
    assert not report.applied and count() == 0
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(5, "日期"), (6, "单位代码"), (7, "统一社会信用代码"), (8, "结果"), (9, "罚款金额"), (10, "日期"),
                     (11, "统一社会信用代码"), (12, "决定书文号")}
    valid_only = run_import(RecordImport(), bad.encode(), "r.csv", valid_only=True)
    assert valid_only.applied and valid_only.created == 3 and count() == 3


def test_xlsx_with_chinese_headers_and_date_cells(city, factory):
    from datetime import datetime

    enterprise = factory.enterprise()
    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "单位代码", "日期", "结果", "罚款金额", "决定书文号"])
    sheet.append([enterprise.credit_code, "scj", datetime(2024, 3, 1), "严重违法", 100000, "文号1"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = run_import(RecordImport(), buffer.getvalue(), "r.xlsx")
    assert report.applied and report.created == 1
    record = db.session.scalar(select(EnforcementRecord))
    assert (record.date.isoformat(), record.outcome, record.unit_id) == ("2024-03-01", "serious", city.units["SCJ"].id)


def test_cli_import_records(city, factory, runner, tmp_path):
    e1, e2 = factory.enterprise(), factory.enterprise()
    db.session.commit()
    path = tmp_path / "r.csv"
    path.write_text(HEADER + good_rows(e1, e2), encoding="utf-8")
    result = runner.invoke(args=["import", "records", str(path)])
    assert result.exit_code == 0, result.output
    assert count() == 3
    path.write_text(HEADER + f"{e1.credit_code},SCJ,2024-13-01,minor,,,\n", encoding="utf-8")
    result = runner.invoke(args=["import", "records", str(path)])
    assert result.exit_code == 2 and count() == 3


def test_department_imports_its_own_records_only(city, factory, client, login_as):
    e1, e2 = factory.enterprise(), factory.enterprise()
    login_as("department", unit=city.units["SCJ"])
    data = {"mode": "all", "file": (io.BytesIO((HEADER + good_rows(e1, e2)).encode()), "r.csv")}
    response = form_post(client, "/grading/records/import", data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "只能导入本单位的执法检查记录" in html and count() == 0
    own = HEADER + f"{e1.credit_code},SCJ,2024-05-03,minor,100,文号,\n"
    data = {"mode": "all", "file": (io.BytesIO(own.encode()), "r.csv")}
    response = form_post(client, "/grading/records/import", data, content_type="multipart/form-data")
    assert "已导入执法检查记录：新增 1" in response.get_data(as_text=True) and count() == 1
    # The list shows the own unit's records only.
    city.record(e2, "SHJ", "2024-01-01", "minor", decision_no="环罚1")
    db.session.commit()
    html = client.get("/grading/records").get_data(as_text=True)
    assert "文号" in html and "环罚1" not in html


def test_import_help_names_each_column_in_english_and_chinese(city, client, login_as):
    """Issue 10 (16): the records import page lists each column's English and Chinese name."""
    login_as("justice", unit=city.justice_unit)
    html = client.get("/grading/records/import").get_data(as_text=True)
    for c in RecordImport.columns:
        assert f'<td class="mono">{c.name}{"*" if c.required else ""}</td><td>{c.label}</td>' in html, c.name
