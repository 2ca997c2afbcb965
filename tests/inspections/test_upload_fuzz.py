"""Fuzz-style property tests of the plan-item import page (a department imports items into its
own plan): a mangled file is imported as a whole, or refused with a Chinese message and nothing
written; never a 500 (verdicts: tests/fuzz.py)."""
import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govsvc.extensions import db
from tests.conftest import login
from tests.factories import make_credit_code
from tests.fuzz import FUZZ_WEB, FileSpec, check_upload, counts_without_log, mutants, upload
from tests.inspections.conftest import make_plan

C9 = make_credit_code(9)


@pytest.fixture
def plan_page(client, world, factory) -> tuple[str, str]:
    """The import page of the city unit's draft 2027 plan, logged in as that unit; and a known code."""
    e = factory.enterprise()
    plan = make_plan(world.city_user, [])
    db.session.commit()
    assert login(client, world.city_user.username).status_code == 302
    return f"/inspections/plans/{plan.id}/import", e.credit_code


def items_spec(code):
    text = ("credit_code,draw_count,category,basis,ground,planned_date,planned_end,note\n"
            f"{code},,食品安全,双随机,,2027-03-01,,\n,4,产品质量,random,,2027-04-01,2027-04-30,抽查\n"
            f"{code},,食品安全,complaint,投诉12345,2027-05-01,,\n")
    return FileSpec(tuple(tuple(r) for r in csv.reader(io.StringIO(text))),
                    required=("category", "basis", "planned_date"), extra_columns=False, key="planned_date",
                    huge=("category",),
                    bad={"credit_code": (C9, code[:-1] + ("0" if code[-1] != "0" else "1")),
                         "draw_count": ("x", "-1", "1.5", "²"), "category": ("", "不存在的类别"),
                         "basis": ("", "随便"), "planned_date": ("", "2027-02-30", "2026-01-01", "明天"),
                         "planned_end": ("2027-13-01",), "note": ("长" * 501,)})


@FUZZ_WEB
@given(data=st.data())
def test_plan_items_upload(client, plan_page, data):
    url, code = plan_page
    mutant = data.draw(mutants(items_spec(code)))
    before = counts_without_log()
    response = upload(client, url, mutant, {"mode": "all"})
    check_upload(response, before, mutant.expect, context=mutant)
