"""The CLI's vectorised B.csv reader (files.read_ballots) against the exact one (read_ballot_rows):
on every file, valid or mangled, the same rows or the same error line; and the array-built parts and
digests equal the row-built ones (scoring.survey.parts_from_arrays, digests_from_arrays)."""
import codecs

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govsvc.survey import files
from scoring import survey as S
from tests.fuzz import FUZZ, mutants
from tests.survey.test_cli import D_CSV
from tests.survey.test_cli_fuzz import SPECS

DEPARTMENTS = files.read_departments(D_CSV.encode())
CODES = [d.code for d in DEPARTMENTS]
WORDS = sorted(S._RATING_BY_TEXT) + ["invalid", "很好"]


def outcome(path, fast: bool):
    """(ids, ballot, department, rating as lists) or the error line."""
    try:
        rows = files.read_ballots(path, DEPARTMENTS, "B.csv", fast=fast)
    except files.FileError as exc:
        return str(exc)
    return rows.ids, rows.ballot.tolist(), rows.department.tolist(), rows.rating.tolist()


def same_either_way(tmp_path, data: bytes):
    path = tmp_path / "B.csv"
    path.write_bytes(data)
    exact = outcome(path, fast=False)
    assert outcome(path, fast=True) == exact
    return exact


ballot_files = st.fixed_dictionaries({
    "rows": st.lists(st.tuples(st.sampled_from(["b1", "b2", "x-3", "A_long_ballot_id_0123456789abcdef"]),
                               st.sampled_from(CODES), st.sampled_from(WORDS)), max_size=30),
    "order": st.permutations([0, 1, 2]),
    "newline": st.sampled_from(["\n", "\r\n"]),
    "bom": st.booleans(),
    "blank_lines": st.lists(st.integers(0, 30), max_size=3),
    "final_newline": st.booleans(),
})


def render(spec) -> bytes:
    header = list(files.B_HEADER)
    order = spec["order"]
    lines = [",".join(header[k] for k in order)]
    for row in spec["rows"]:
        lines.append(",".join(row[k] for k in order))
    for at in spec["blank_lines"]:
        lines.insert(min(at, len(lines) - 1) + 1, "")
    text = spec["newline"].join(lines) + (spec["newline"] if spec["final_newline"] else "")
    return (codecs.BOM_UTF8 if spec["bom"] else b"") + text.encode("utf-8")


@settings(FUZZ, max_examples=60)
@given(spec=ballot_files)
def test_fast_and_exact_readers_agree_on_valid_files(tmp_path_factory, spec):
    tmp_path = tmp_path_factory.mktemp("b")
    exact = same_either_way(tmp_path, render(spec))
    assert not isinstance(exact, str)
    if spec["rows"] and all(w in S._RATING_BY_TEXT or w.isascii() for _, _, w in spec["rows"]):
        # and these plain files are the fast reader's own (it did not hand them to the exact one)
        path = tmp_path / "B.csv"
        assert files._fast_ballots(path, DEPARTMENTS, None) is not None


@FUZZ
@given(mutant=mutants(SPECS["ballots"]))
def test_fast_and_exact_readers_agree_on_mangled_files(tmp_path_factory, mutant):
    same_either_way(tmp_path_factory.mktemp("b"), mutant.data)


B = "ballot_id,department_code,rating\n"


@pytest.mark.parametrize("text", [
    B + "b1,A,basic\nb1,ZZ,basic\n",                 # unknown department, row 3
    B + "b1,A,basic\n,A,basic\n",                    # empty ballot id
    B + "b1,A,basic\nb2,A\n",                        # too few cells
    B + "b1,A,basic\nb2,A,basic\x01\n",              # control character
    B + "b1,A,basic\nb2,\"A\nB\",basic\n",           # a quoted line break: the code "A\nB"
    B + "b1,A,basic\nb2,A,basic\n" + "b3,A,basic" + "," * 20000 + "\n",
    "ballot_id,department_code\nb1,A\n",             # a column missing
    "ballot_id,department_code,rating" + ",x" * 20 + "\n",
    "",
    "\n\n",
    B.encode("utf-8").decode() + "b1,A,满意\n" + "b2,A,\udcff\n",
])
def test_every_malformed_file_gives_the_same_error_line(tmp_path, text):
    data = text.encode("utf-8", "surrogateescape")
    result = same_either_way(tmp_path, data)
    assert isinstance(result, str), result


@pytest.mark.parametrize("text", [
    B + "b1,A,basic\r\nb2,A,basic\rb3,A,basic\n",    # a lone CR ends a record
    B + "b1,A,basic\n\"b2\",A, basic\n",                # quotes, spaces
    B + "b1,A,basic,\n",                              # an empty extra cell
    B + "b1,A,basic\n , , \n",                          # a blank row
    "rating,ballot_id,department_code\nbasic,b1,A\n",  # columns in another order
    B + "b1,A,basic",                                  # no final line break
])
def test_odd_but_valid_files_give_the_same_rows(tmp_path, text):
    result = same_either_way(tmp_path, text.encode())
    assert not isinstance(result, str), result


def test_a_wrong_rating_word_is_unreadable_either_way(tmp_path):
    ids, _, _, ratings = same_either_way(tmp_path, (B + "b1,A,great\nb1,B,满意\nb1,C,invalid\nb1,D,\n").encode())
    assert ids == ["b1"] and ratings == [S.UNREADABLE, S.SATISFIED, S.UNREADABLE, S.UNREADABLE]
    assert files._fast_ballots(tmp_path / "B.csv", DEPARTMENTS, None) is not None  # (read fast: the web's "invalid")
    ids, _, _, ratings = same_either_way(tmp_path, (B + "b1,A,满意\u3000\n").encode())  # strip() takes U+3000
    assert ratings == [S.SATISFIED] and files._fast_ballots(tmp_path / "B.csv", DEPARTMENTS, None) is None


def test_gb18030_files_go_to_the_exact_reader(tmp_path):
    data = (B + "b1,A,满意\nb2,S1,不了解\n").encode("gb18030")
    ids, _, _, ratings = same_either_way(tmp_path, data)
    assert ids == ["b1", "b2"] and ratings == [S.SATISFIED, S.UNKNOWN]


@settings(FUZZ, max_examples=60)
@given(rows=st.lists(st.tuples(st.sampled_from(["b1", "b2", "b3", "b4"]), st.sampled_from(CODES),
                               st.sampled_from(WORDS)), max_size=40))
def test_parts_and_digests_from_arrays_equal_those_from_rows(rows):
    rows = [(b, None, c, w) for b, c, w in rows]
    arrays = files.BallotRows.from_rows(rows, DEPARTMENTS)
    args = (DEPARTMENTS, arrays.ids, arrays.ballot, arrays.department, arrays.rating)
    by_rows, by_arrays = S.parts_from_rows(DEPARTMENTS, rows), S.parts_from_arrays(*args)
    for category in S.CATEGORIES:
        assert by_arrays[category].ballot_ids == by_rows[category].ballot_ids
        assert np.array_equal(by_arrays[category].codes, by_rows[category].codes)
        assert by_arrays[category].defects == by_rows[category].defects
    assert S.digests_from_arrays(*args) == S.digests_from_rows(rows)
