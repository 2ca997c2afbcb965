"""Fuzz-style property tests of the bankruptcy upload forms — a member unit's list upload and the
office's duty-matrix import: a mangled file is imported as a whole, or refused with a Chinese
message and nothing written; never a 500 (verdicts: tests/fuzz.py)."""
import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govsvc.extensions import db
from tests.conftest import login
from tests.factories import make_credit_code
from tests.fuzz import FUZZ_WEB, FileSpec, check_upload, counts_without_log, mutants, upload

C9 = make_credit_code(9)


def _spec(text: str, **kw) -> FileSpec:
    return FileSpec(tuple(tuple(r) for r in csv.reader(io.StringIO(text))), **kw)


@pytest.fixture
def list_page(client, world, factory):
    a, b = factory.enterprise(), factory.enterprise()
    db.session.commit()
    assert login(client, "dept-swj").status_code == 302
    return a.credit_code, b.credit_code


@FUZZ_WEB
@given(data=st.data())
def test_list_upload(client, list_page, data):
    a, b = list_page
    spec = _spec(f"credit_code,name,amount,detail,note\n{a},甲,1200.50,欠缴增值税,\n{b},乙,,欠缴城建税,催缴中\n",
                 required=("credit_code",), extra_columns=False, key="credit_code", huge=("credit_code", "note"),
                 bad={"credit_code": ("", "123", C9, a[:-1] + ("0" if a[-1] != "0" else "1")),
                      "amount": ("abc", "-1", "1.234", "1e100", "NaN")})
    mutant = data.draw(mutants(spec))
    before = counts_without_log()
    response = upload(client, "/bankruptcy/lists/upload", mutant,
                      {"kind": "tax_arrears", "period": "2026-Q4", "mode": "all"})
    check_upload(response, before, mutant.expect, context=mutant)


@pytest.fixture
def duty_page(client, world):
    assert login(client, "regulator").status_code == 302
    return "/bankruptcy/directory/import"


@FUZZ_WEB
@given(data=st.data())
def test_duty_import(client, duty_page, data):
    spec = _spec("matter_type,lead_units,support_units,duty\n民生保障/职工安置,RSJ,ZF-ZD、SWJ,职工安置\n"
                 "tax,SWJ,,申报税收债权\n",
                 required=("matter_type", "lead_units"), extra_columns=False, key="matter_type", huge=("matter_type",),
                 bad={"matter_type": ("", "拍卖"), "lead_units": ("", "NOPE"), "support_units": ("NOPE",)})
    mutant = data.draw(mutants(spec))
    before = counts_without_log()
    response = upload(client, duty_page, mutant, {"kind": "bankruptcy_duties", "mode": "all"})
    check_upload(response, before, mutant.expect, context=mutant)
