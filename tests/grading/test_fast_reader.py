"""The CLI's vectorised E.csv and R.csv reader (govsvc.fastcsv, used by read_enterprises and
read_records) against the exact one (read_table): on every file, valid or mangled, the same
arrays or the same error line."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govsvc.grading import cli
from scoring import credit_code
from tests.factories import make_credit_code
from tests.fuzz import FUZZ, mutants
from tests.grading.test_cli import C, ENTERPRISES, RECORDS
from tests.grading.test_cli_fuzz import SPECS

INDEX_OF = {c: i for i, c in enumerate(C[:5])}


def enterprises(path, fast):
    try:
        codes, names, scope = cli.read_enterprises(str(path), fast=fast)
    except cli.InputError as exc:
        return str(exc)
    return codes, names, np.asarray(scope).tolist()


def records(path, fast):
    try:
        units, recs = cli.read_records(str(path), INDEX_OF, fast=fast)
    except cli.InputError as exc:
        return str(exc)
    return units, [getattr(recs, f).tolist() for f in ("enterprise", "unit", "day", "outcome", "fine")]


def same_either_way(path, data: bytes, read):
    path.write_bytes(data)
    exact = read(path, fast=False)
    assert read(path, fast=True) == exact
    return exact


@FUZZ
@given(mutant=mutants(SPECS["enterprises"]))
def test_enterprises_either_way(tmp_path_factory, mutant):
    same_either_way(tmp_path_factory.mktemp("e") / f"E{mutant.suffix}", mutant.data, enterprises)


@FUZZ
@given(mutant=mutants(SPECS["records"]))
def test_records_either_way(tmp_path_factory, mutant):
    same_either_way(tmp_path_factory.mktemp("r") / f"R{mutant.suffix}", mutant.data, records)


@settings(FUZZ, max_examples=60)
@given(rows=st.lists(st.tuples(st.sampled_from(C + [C[0].lower()]), st.sampled_from(["SCJ", "fgw", "S-1", "单位"]),
                               st.sampled_from(["2024-01-02", "2023/5/6", "2025.12.31"]),
                               st.sampled_from(["none", "minor", "serious", "一般违法"]),
                               st.sampled_from(["", "0", "100", "007", "12.5", "1000", "123456789012345"])),
                     min_size=1, max_size=25),
       newline=st.sampled_from(["\n", "\r\n"]), spaces=st.booleans())
def test_valid_record_files_either_way(tmp_path_factory, rows, newline, spaces):
    pad = " " if spaces else ""
    lines = ["credit_code,unit_code,date,outcome,fine"] + [",".join(pad + cell for cell in r) for r in rows]
    path = tmp_path_factory.mktemp("r") / "R.csv"
    result = same_either_way(path, (newline.join(lines) + newline).encode(), records)
    if not spaces and all(r[3] != "none" or r[4] in ("", "0") for r in rows):
        assert not isinstance(result, str), result
        assert cli._fast_records(str(path), INDEX_OF) is not None  # the fast reader's own file


@pytest.mark.parametrize("text", [
    RECORDS + f"{C[0]},SCJ,2024-01-01,none,5\n",          # a fine on a record without violation
    RECORDS + f"{C[0]},SCJ,2024-02-30,minor,5\n",         # no such day
    RECORDS + f"{C[0][:-1]}0,SCJ,2024-01-01,minor,5\n",   # a wrong check character
    RECORDS + f"{C[0]},SCJ,2024-01-01,minor,5,extra\n",   # a row wider than the header
    RECORDS + f"{C[0]},SCJ,2024-01-01,minor,1e100\n",
    RECORDS + f"{C[0]},SCJ,2024-01-01,minor,12345678901234567\n",
    RECORDS.replace("fine", "fine,fine"),
])
def test_every_malformed_record_file_gives_the_same_error_line(tmp_path, text):
    result = same_either_way(tmp_path / "R.csv", text.encode(), records)
    assert isinstance(result, str), result


@pytest.mark.parametrize("text", [
    ENTERPRISES + f"{C[0]},重复,工业,1,存续\n",
    ENTERPRISES + f"{C[6]},,工业,1,存续\n",
    ENTERPRISES + f"{C[6]},名称,农业,1,存续\n",
])
def test_every_malformed_enterprise_file_gives_the_same_error_line(tmp_path, text):
    result = same_either_way(tmp_path / "E.csv", text.encode(), enterprises)
    assert isinstance(result, str), result


def test_a_csv_named_xlsx_is_refused_either_way(tmp_path):
    assert isinstance(same_either_way(tmp_path / "R.xlsx", RECORDS.encode(), records), str)


@settings(FUZZ, max_examples=200)
@given(n=st.integers(1, 10**8 - 1), position=st.integers(0, 17), char=st.sampled_from(credit_code.ALPHABET + "aIOZ9 "))
def test_all_valid_agrees_with_validate(n, position, char):
    code = make_credit_code(n)
    changed = code[:position] + char + code[position + 1:]
    assert credit_code.all_valid([code])
    expected = credit_code.is_valid(changed) and credit_code.normalise(changed) == changed
    assert credit_code.all_valid([code, changed]) == expected
