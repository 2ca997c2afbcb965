"""纳入平时考核 (issue 12, D10): per unit and period, the staff with 污点 records or admonishments,
as CSV/XLSX with Chinese headers; discipline staff for their units, the organisation department
for any; every export (and look) audited with who, unit, period and row count."""
import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.integrity import records
from govsvc.integrity.appraisal import HEADER
from tests.integrity.conftest import file_stain
from tests.security.test_exports import check_csv, check_xlsx

PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


@pytest.fixture
def filed(city, city_user):
    older = file_stain(city_user, city.alice, date(2024, 6, 1))                    # in force all through 2026
    talk = file_stain(city_user, city.alice, date(2026, 3, 1), decision="admonishment",
                      rectification_deadline=date(2026, 4, 1), decision_number="=1+1")
    file_stain(city_user, city.alice, date(2020, 5, 1))                             # lifted 2023-05-01
    revoked = file_stain(city_user, city.alice, date(2026, 2, 1))
    records.revoke_record(city_user, revoked, date(2026, 2, 10), "复查撤销")
    file_stain(city_user, city.alice, date(2026, 7, 1))                             # after the period
    file_stain(city_user, city.bob, date(2026, 2, 1), decision="warning")            # another unit
    db.session.commit()
    return older, talk


def _exports():
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == "integrity.appraisal.export")).all()


def test_the_unit_list_for_the_period(client, login_as, city, filed):
    older, talk = filed
    user = login_as("discipline")
    response = client.get("/organization/appraisal", query_string={"unit": city.scj.id, **PERIOD, "format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "filename" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert [(r[0], r[3], r[4], r[5], r[9]) for r in rows[1:]] == [
        ("李爱丽", "“污点”", "记过", "2024-06-01", "是"), ("李爱丽", "诫勉谈话", "诫勉谈话", "2026-03-01", "")]
    assert check_csv(response.get_data(), "appraisal") == 1  # the typed "=1+1" decision number is neutralised
    [entry] = _exports()
    detail = json.loads(entry.detail)
    assert (entry.user_id, entry.category, entry.target) == (user.id, "integrity", f"unit:{city.scj.id}")
    assert detail == {"unit": "SCJ", "period": "2026-01-01—2026-06-30", "rows": 2, "format": "csv"}


def test_xlsx_and_the_page(client, login_as, city, filed):
    login_as("organization")
    response = client.get("/organization/appraisal", query_string={"unit": city.swj.id, **PERIOD, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert [c.value for c in sheet[1]] == HEADER and sheet["A2"].value == "王博" and sheet.max_row == 2
    check_xlsx(response.get_data(), "appraisal")
    html = client.get("/organization/appraisal", query_string={"unit": city.swj.id, **PERIOD}).get_data(as_text=True)
    assert "共 1 条记录" in html and "王博" in html and "下载 CSV" in html
    reads = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "integrity.appraisal.read")).all()
    assert len(reads) == 1 and len(_exports()) == 1


@pytest.mark.parametrize("args,message", [
    ({"start": "2026-06-30", "end": "2026-01-01"}, "截止日期不能早于起始日期"),
    ({"start": "2026-02-30", "end": "2026-06-30"}, "请填写起始日期"),
    ({"start": "1980-01-01", "end": "2026-06-30"}, "起始日期不能早于 1990-01-01"),
])
def test_a_bad_period_is_refused_and_not_exported(client, login_as, city, filed, args, message):
    login_as("discipline")
    response = client.get("/organization/appraisal", query_string={"unit": city.scj.id, **args, "format": "csv"})
    assert response.mimetype == "text/html" and message in response.get_data(as_text=True)
    assert _exports() == []


def test_unit_discipline_staff_export_only_their_units(client, login_as, city, filed):
    login_as("discipline", unit=city.swj)
    refused = client.get("/organization/appraisal", query_string={"unit": city.scj.id, **PERIOD, "format": "csv"})
    assert refused.mimetype == "text/html" and "仅限您有权查看的单位" in refused.get_data(as_text=True)
    assert "李爱丽" not in refused.get_data(as_text=True)
    ok = client.get("/organization/appraisal", query_string={"unit": city.swj.id, **PERIOD, "format": "csv"})
    assert ok.mimetype == "text/csv" and len(_exports()) == 1


def test_other_roles_are_refused(client, login_as, city, filed):
    login_as("department", unit=city.scj)
    assert client.get("/organization/appraisal", query_string={"unit": city.scj.id, **PERIOD}).status_code == 403
