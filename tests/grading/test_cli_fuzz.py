"""Fuzz-style property tests of `govsvc grading compute`: mangled E.csv, R.csv and RULES.toml give
exit 0 with G.csv or exit 2 with one line and no file (verdicts: tests/fuzz.py)."""
import csv
import io
import os
import tempfile

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from govsvc.grading.service import DEFAULT_RULES_TOML
from tests.fuzz import EITHER, FUZZ, INVALID, FileSpec, Mutant, check_cli, mutants
from tests.grading.test_cli import C, ENTERPRISES, RECORDS

G_HEADER = "credit_code,name,grade,unit_grades,reason"
BAD_CODE = C[0][:-1] + ("0" if C[0][-1] != "0" else "1")  # wrong check character


def _rows(text):
    return tuple(tuple(r) for r in csv.reader(io.StringIO(text)))


SPECS = {
    "enterprises": FileSpec(_rows(ENTERPRISES), required=("credit_code", "name", "industry", "above_scale", "status"),
                            key="credit_code", huge=("credit_code", "name"),
                            bad={"credit_code": ("123", "", BAD_CODE, "９１" + C[0][2:]), "name": ("",),
                                 "industry": ("农业", "", "industry"), "above_scale": ("2", "", "maybe"),
                                 "status": ("倒闭", "")}),
    "records": FileSpec(_rows(RECORDS), required=("credit_code", "unit_code", "date", "outcome", "fine"),
                        huge=("credit_code", "fine"),
                        bad={"credit_code": ("1234", "", BAD_CODE), "unit_code": ("", "S C J", "单位!"),
                             "date": ("2024-13-01", "yesterday", "", "2024-02-30", "20240101"),
                             "outcome": ("worst", ""),
                             "fine": ("abc", "-1", "1.234", "NaN", "Infinity", "1e100", "1E+30", "0x10")}),
}
GOOD = {"enterprises": ENTERPRISES.encode(), "records": RECORDS.encode(), "rules": DEFAULT_RULES_TOML.encode()}
NAMES = {"enterprises": "E", "records": "R", "rules": "RULES"}


def _run(runner, folder, files):
    paths = {}
    for name, (data, suffix) in files.items():
        paths[name] = os.path.join(folder, NAMES[name] + suffix)
        with open(paths[name], "wb") as fh:
            fh.write(data)
    out = os.path.join(folder, "G.csv")
    result = runner.invoke(args=["grading", "compute", "--enterprises", paths["enterprises"], "--records",
                                 paths["records"], "--year", "2026", "--rules", paths["rules"], "--out", out])
    return result, [out]


@pytest.fixture
def baseline(runner, tmp_path):
    result, outputs = _run(runner, str(tmp_path), {k: (v, ".csv" if k != "rules" else ".toml") for k, v in GOOD.items()})
    assert result.exit_code == 0, result.output
    return open(outputs[0], "rb").read()


def _files(which, mutant):
    files = {k: (v, ".toml" if k == "rules" else ".csv") for k, v in GOOD.items()}
    files[which] = (mutant.data, mutant.suffix)
    return files


@FUZZ
@given(data=st.data(), which=st.sampled_from(sorted(SPECS)))
def test_compute_on_mangled_input(runner, baseline, data, which):
    mutant = data.draw(mutants(SPECS[which]), label=which)
    with tempfile.TemporaryDirectory() as folder:
        result, outputs = _run(runner, folder, _files(which, mutant))
        check_cli(result, outputs, mutant.expect, header=G_HEADER, context=(which, mutant))
        if mutant.same_output:
            assert open(outputs[0], "rb").read() == baseline, (which, mutant)


KEYS = st.sampled_from(["c_serious", "c_minor", "b_minor", "serious_fine", "rule", "c_when_b_units", "other"])
VALUES = st.one_of(st.integers(-5, 10), st.integers(), st.floats(allow_nan=False), st.booleans(),
                   st.sampled_from(['"worst"', '"best"', '"x"', "[1, 2]", "{a = 1}", "1e300", "inf", "nan",
                                    "100000000000000000000000000000000", "0.001", "2024-01-01"]))


@st.composite
def rules_texts(draw):
    """Near-valid RULES.toml: known and unknown tables and keys with values of every TOML type."""
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        table = draw(st.sampled_from(["default", "combined", "units.SCJ", "units.\"bad code\"", "units", "extra"]))
        lines.append(f"[{table}]")
        for _ in range(draw(st.integers(0, 3))):
            value = draw(VALUES)
            lines.append(f"{draw(KEYS)} = {str(value).lower() if isinstance(value, bool) else value}")
    return "\n".join(lines).encode()


@FUZZ
@example(rules=b"[default]\nserious_fine = 1e300")      # regression: decimal.InvalidOperation, exit 1
@example(rules=b"[default]\nserious_fine = 100000000000000000000000000000000")
@given(rules=st.one_of(rules_texts(), st.binary(max_size=200), st.text(max_size=100).map(str.encode)))
def test_compute_on_mangled_rules(runner, rules):
    with tempfile.TemporaryDirectory() as folder:
        result, outputs = _run(runner, folder, _files("rules", Mutant(rules, ".toml", EITHER, "rules")))
        check_cli(result, outputs, EITHER, header=G_HEADER, context=rules)


@FUZZ
@example(fine="1e100")  # regression: parse_money raised decimal.InvalidOperation
@given(fine=st.one_of(st.text(alphabet="0123456789.eE+-,，x", max_size=12), st.decimals().map(str)))
def test_compute_on_odd_fines(runner, fine):
    """Any fine text: exit 0 exactly when it is a non-negative amount with at most 2 decimals below 10^16."""
    from decimal import Decimal, InvalidOperation

    text = fine.replace(",", "").replace("，", "").strip()
    try:
        value = Decimal(text) if fine.strip() else Decimal(0)  # an empty cell is no fine; "," is no amount
        valid = value.is_finite() and value >= 0 and value < Decimal("1e16") and value == round(value, 2)
    except InvalidOperation:
        valid = False
    records = RECORDS.replace(f"{C[0]},SCJ,2023-01-01,minor,100", f'{C[0]},SCJ,2023-01-01,minor,"{fine}"')
    with tempfile.TemporaryDirectory() as folder:
        files = _files("records", Mutant(records.encode(), ".csv", EITHER, "fine"))
        result, outputs = _run(runner, folder, files)
        check_cli(result, outputs, "valid" if valid else INVALID, header=G_HEADER, context=fine)
