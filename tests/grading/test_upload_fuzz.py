"""Fuzz-style property tests of the grading module's upload forms — enforcement records (justice)
and a unit's own A/B/C list (department): a mangled file is imported as a whole, or refused with
a Chinese message and nothing written; never a 500 (verdicts: tests/fuzz.py)."""
import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govsvc.extensions import db
from tests.fuzz import FUZZ_WEB, FileSpec, check_upload, counts_without_log, mutants, upload
from tests.factories import make_credit_code

C9 = make_credit_code(9)


def _rows(text):
    return tuple(tuple(r) for r in csv.reader(io.StringIO(text)))


def _bad_code(code):
    return code[:-1] + ("0" if code[-1] != "0" else "1")


@pytest.fixture
def two(city, factory):
    e1, e2 = factory.enterprise(), factory.enterprise()
    db.session.commit()
    return e1.credit_code, e2.credit_code


def records_spec(c1, c2):
    text = ("credit_code,unit_code,date,outcome,fine,decision_no,description\n"
            f"{c1},SCJ,2024-05-03,serious,200000.00,淄市监罚〔2024〕12号,吊销许可证\n"
            f"{c1},SWJ,2023-02-01,一般违法,500,税罚〔2023〕7号,\n{c2},SHJ,2025/1/9,none,,,\n")
    return FileSpec(_rows(text), required=("credit_code", "unit_code", "date", "outcome"), extra_columns=False,
                    key="credit_code", huge=("fine",),
                    bad={"credit_code": (C9, _bad_code(c1)), "unit_code": ("NOPE", ""),
                         "date": ("2024-13-01", "2999-01-01", ""), "outcome": ("worst", ""),
                         "fine": ("abc", "1e100", "-5", "1.001")})


def list_spec(c1, c2):
    text = f"credit_code,grade,reason\n{c1},C,纳税信用D级\n{c2},B类,\n"
    return FileSpec(_rows(text), required=("credit_code", "grade"), extra_columns=False, key="credit_code",
                    huge=("credit_code", "reason"),
                    bad={"credit_code": (C9, _bad_code(c1), ""), "grade": ("D", "", "甲"), "reason": ("长" * 501,)})


@pytest.fixture
def as_justice(client, login_as, city):
    """Logged in once: the fixtures serve every example of a test."""
    login_as("justice", unit=city.justice_unit)


@pytest.fixture
def list_page(client, login_as, city) -> str:
    grading_round = city.new_round()
    db.session.commit()
    login_as("department", unit=city.units["SCJ"])
    return f"/grading/rounds/{grading_round.id}/units/{city.units['SCJ'].id}"


@FUZZ_WEB
@given(data=st.data())
def test_records_upload(client, two, as_justice, data):
    mutant = data.draw(mutants(records_spec(*two)))
    before = counts_without_log()
    response = upload(client, "/grading/records/import", mutant, {"mode": "all"})
    check_upload(response, before, mutant.expect, context=mutant)


@FUZZ_WEB
@given(data=st.data())
def test_unit_list_upload(client, two, list_page, data):
    mutant = data.draw(mutants(list_spec(*two)))
    before = counts_without_log()
    response = upload(client, list_page, mutant, {"mode": "all"})
    check_upload(response, before, mutant.expect, context=mutant)
