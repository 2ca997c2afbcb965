"""Fuzz-style property tests of `govsvc survey tally`: mangled D.csv, B.csv and P.csv give exit 0
with the right files or exit 2 with one line and no file (see tests/fuzz.py for the verdicts)."""
import csv
import io
import os
import tempfile

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.fuzz import FUZZ, FileSpec, check_cli, mutants
from tests.survey.test_cli import B_CSV, D_CSV

P_CSV = ("category,rank,code,name,score,satisfied,basic,dissatisfied,unknown,outcome\n"
         "enforcement,6,F,市己局,40.00,0,0,3,0,interview\n"
         "service,1,S1,市服务中心,99.00,5,0,0,0,reorganize\n"
         "enforcement,1,A,市甲局,99.00,5,0,0,0,commended\n")
R_HEADER = "category,rank,code,name,score,satisfied,basic,dissatisfied,unknown,outcome"


def _rows(text):
    return tuple(tuple(r) for r in csv.reader(io.StringIO(text)))


SPECS = {
    "departments": FileSpec(_rows(D_CSV), required=("code", "name", "category"), key="code", huge=("code", "name"),
                            bad={"code": ("",), "category": ("other", "执法类", "1", "")}),
    "ballots": FileSpec(_rows(B_CSV), required=("ballot_id", "department_code", "rating"), xlsx=False,
                        huge=("ballot_id", "department_code"),
                        bad={"department_code": ("ZZ", "", "a", "S4"), "ballot_id": ("",)}),
    "previous": FileSpec(_rows(P_CSV), required=("code", "outcome"), huge=("code",),
                         bad={"outcome": ("bad", "表扬", "1", "Interview")}),
}
GOOD = {"departments": D_CSV.encode(), "ballots": B_CSV.encode(), "previous": P_CSV.encode()}


def _run(runner, folder, files: dict[str, tuple[bytes, str]], *extra):
    paths = {}
    for name, (data, suffix) in files.items():
        paths[name] = os.path.join(folder, name[0].upper() + suffix)
        with open(paths[name], "wb") as fh:
            fh.write(data)
    out, rejected = os.path.join(folder, "R.csv"), os.path.join(folder, "X.csv")
    result = runner.invoke(args=["survey", "tally", "--departments", paths["departments"], "--ballots",
                                 paths["ballots"], "--previous", paths["previous"], "--out", out,
                                 "--rejected", rejected, *extra])
    return result, [out, rejected]


@pytest.fixture
def baseline(runner, tmp_path):
    result, outputs = _run(runner, str(tmp_path), {k: (v, ".csv") for k, v in GOOD.items()})
    assert result.exit_code == 0, result.output
    return [open(p, "rb").read() for p in outputs]


@FUZZ
@given(data=st.data(), which=st.sampled_from(sorted(SPECS)))
def test_tally_on_mangled_input(runner, baseline, data, which):
    mutant = data.draw(mutants(SPECS[which]), label=which)
    files = {k: (v, ".csv") for k, v in GOOD.items()}
    files[which] = (mutant.data, mutant.suffix)
    with tempfile.TemporaryDirectory() as folder:
        result, outputs = _run(runner, folder, files)
        check_cli(result, outputs, mutant.expect, header=R_HEADER, context=(which, mutant))
        if mutant.same_output:
            assert [open(p, "rb").read() for p in outputs] == baseline, (which, mutant)


@FUZZ
@given(d=st.binary(max_size=300), b=st.binary(max_size=300))
def test_tally_on_random_bytes(runner, d, b):
    with tempfile.TemporaryDirectory() as folder:
        result, outputs = _run(runner, folder, {"departments": (d, ".csv"), "ballots": (b, ".csv"),
                                                "previous": (GOOD["previous"], ".csv")})
        check_cli(result, outputs, "invalid", context=(d, b))


@FUZZ
@example(top="²")  # regression: str.isdigit took "²", then int() raised ValueError (exit 1, traceback)
@example(top="0\x1f")  # regression: strip() dropped "\x1f" for the check, int() got it (ValueError)
@given(top=st.text(max_size=6))
def test_tally_with_odd_top(runner, top):
    """Exit 0 exactly when --top is a positive whole number in ASCII digits (spaces around allowed)."""
    if "\x00" in top or top.startswith("-"):
        return  # not passable as a command-line argument / taken as an option
    digits = top.strip()
    valid = digits.isascii() and digits.isdigit() and int(digits) >= 1
    with tempfile.TemporaryDirectory() as folder:
        result, outputs = _run(runner, folder, {k: (v, ".csv") for k, v in GOOD.items()}, "--top", top)
        check_cli(result, outputs, "valid" if valid else "invalid", header=R_HEADER, context=top)
