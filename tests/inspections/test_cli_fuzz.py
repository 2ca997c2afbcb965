"""Fuzz-style property tests of `govsvc inspections check`: mangled G.csv and P.csv give exit 0
with V.csv or exit 2 with one line and no file (verdicts: tests/fuzz.py)."""
import csv
import io
import os
import tempfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import FUZZ, FileSpec, check_cli, mutants
from tests.inspections.test_cli import A, GRADING, PLANS

V_HEADER = "plan_id,item_id,credit_code,violation"
BAD_CODE = A[:-1] + ("0" if A[-1] != "0" else "1")


def _rows(text):
    return tuple(tuple(r) for r in csv.reader(io.StringIO(text)))


SPECS = {
    "grading": FileSpec(_rows(GRADING), required=("credit_code", "grade"), key="credit_code",
                        huge=("credit_code", "grade"),
                        bad={"credit_code": ("", "123", BAD_CODE), "grade": ("D", "", "AB", "甲")}),
    "plans": FileSpec(_rows(PLANS), required=("plan_id", "unit_code", "item_id", "credit_code", "category", "basis",
                                              "planned_date"),
                      key="item_id", huge=("credit_code", "planned_date"),
                      bad={"plan_id": ("",), "unit_code": ("",), "item_id": ("",), "category": ("",),
                           "basis": ("random2", "", "x"), "credit_code": ("", "123", BAD_CODE),
                           "planned_date": ("2027-02-30", "", "tomorrow", "2027/13/01")}),
}
GOOD = {"grading": GRADING.encode(), "plans": PLANS.encode()}


def _run(runner, folder, files):
    paths = {}
    for name, (data, suffix) in files.items():
        paths[name] = os.path.join(folder, name[0].upper() + suffix)
        with open(paths[name], "wb") as fh:
            fh.write(data)
    out = os.path.join(folder, "V.csv")
    result = runner.invoke(args=["inspections", "check", "--grading", paths["grading"], "--plans", paths["plans"],
                                 "--out", out])
    return result, [out]


@pytest.fixture
def baseline(runner, tmp_path):
    result, outputs = _run(runner, str(tmp_path), {k: (v, ".csv") for k, v in GOOD.items()})
    assert result.exit_code == 0, result.output
    return open(outputs[0], "rb").read()


@FUZZ
@given(data=st.data(), which=st.sampled_from(sorted(SPECS)))
def test_check_on_mangled_input(runner, baseline, data, which):
    mutant = data.draw(mutants(SPECS[which]), label=which)
    files = {k: (v, ".csv") for k, v in GOOD.items()}
    files[which] = (mutant.data, mutant.suffix)
    with tempfile.TemporaryDirectory() as folder:
        result, outputs = _run(runner, folder, files)
        check_cli(result, outputs, mutant.expect, header=V_HEADER, context=(which, mutant))
        if mutant.same_output:
            assert open(outputs[0], "rb").read() == baseline, (which, mutant)


@FUZZ
@given(g=st.binary(max_size=300), p=st.binary(max_size=300))
def test_check_on_random_bytes(runner, g, p):
    with tempfile.TemporaryDirectory() as folder:
        result, outputs = _run(runner, folder, {"grading": (g, ".csv"), "plans": (p, ".csv")})
        check_cli(result, outputs, "invalid", context=(g, p))
