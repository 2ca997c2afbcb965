"""Fuzz-style property tests of `govsvc integrity check`: a mangled candidate list or odd options
give exit 0 with the result file, or exit 2 with one line, no file and no audit entry (verdicts:
tests/fuzz.py)."""
import os
import tempfile
from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from govsvc.extensions import db
from govsvc.registry.imports import person_id_hash
from tests.factories import make_id_number
from tests.fuzz import FUZZ, INVALID, VALID, FileSpec, Mutant, check_cli, mutants, row_counts

OUT_HEADER = "row,id_masked,name,unit,found,restricted,restricted_until,restrictions,stains"
ALICE, BOB, UNKNOWN = (make_id_number(n) for n in (500, 501, 777))
ROWS = (("id_number", "name"), (ALICE, "李爱丽"), (BOB.lower(), "王博"), (UNKNOWN, "无此人"))
SPEC = FileSpec(ROWS, required=("id_number",), huge=("id_number", "name"),
                bad={"id_number": ("", "123", ALICE[:-1] + ("0" if ALICE[-1] != "0" else "1"), "3703",
                                   "²" + ALICE[1:], ALICE[:16] + "²" + ALICE[17:], "A" * 18)})


@pytest.fixture
def people(city):
    city.alice.id_hash = person_id_hash(ALICE)
    city.bob.id_hash = person_id_hash(BOB)
    db.session.commit()


def _run(runner, folder, mutant, on="2027-02-28", purpose="干部选拔任用考察"):
    source = os.path.join(folder, "candidates" + mutant.suffix)
    with open(source, "wb") as fh:
        fh.write(mutant.data)
    out = os.path.join(folder, "out.csv")
    before = row_counts()
    result = runner.invoke(args=["integrity", "check", source, "--on", on, "--purpose", purpose, "--out", out])
    if result.exit_code != 0:
        db.session.rollback()
        assert row_counts() == before, mutant
    return result, [out]


@FUZZ
@example(mutant=Mutant(("id_number\n²" + ALICE[1:] + "\n").encode(), ".csv", INVALID, "superscript digit"))  # was exit 1
@given(mutant=mutants(SPEC))
def test_check_on_mangled_candidates(runner, people, mutant):
    with tempfile.TemporaryDirectory() as folder:
        result, outputs = _run(runner, folder, mutant)
        check_cli(result, outputs, mutant.expect, header=OUT_HEADER, context=mutant)


@FUZZ
@example(on="2026\n01-01", purpose="x")  # the message quoting --on stays one line
@given(on=st.one_of(st.text(max_size=12), st.dates().map(date.isoformat)), purpose=st.text(max_size=10))
def test_check_with_odd_options(runner, people, on, purpose):
    """Exit 0 exactly when --on is an ISO date and --purpose is not blank."""
    try:
        date.fromisoformat(on)
        valid = bool(purpose.strip())
    except ValueError:
        valid = False
    if "\x00" in on or "\x00" in purpose:
        return  # not passable as a command-line argument
    mutant = Mutant(("id_number\n" + ALICE + "\n").encode(), ".csv", VALID if valid else INVALID, "options")
    with tempfile.TemporaryDirectory() as folder:
        result, outputs = _run(runner, folder, mutant, on=on, purpose=purpose)
        check_cli(result, outputs, mutant.expect, header=OUT_HEADER, context=(on, purpose))
