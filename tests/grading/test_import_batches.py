"""The streamed records import (issue 11): an import interrupted after its first batches leaves the
database as it was, and any batch size gives the outcome of one single batch (report and rows)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.grading.models import EnforcementRecord
from govsvc.grading.records import RecordImport
from govsvc.imports import run_import
from tests.factories import make_credit_code

HEADER = "credit_code,unit_code,date,outcome,fine,decision_no,description\n"


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(EnforcementRecord))


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import.records"))


def good_file(enterprise, n: int) -> bytes:
    return (HEADER + "".join(f"{enterprise.credit_code},SCJ,2024-05-{1 + i % 28:02d},minor,100,罚〔2024〕{i}号,\n"
                             for i in range(n))).encode()


def small_batches(monkeypatch, size: int = 3) -> None:
    monkeypatch.setattr(RecordImport, "batch_rows", size)


def test_an_exception_after_the_first_batches_leaves_the_database_unchanged(city, factory, monkeypatch):
    e = factory.enterprise()
    city.record(e, "SWJ", "2023-01-05", "minor", "50", "已有〔2023〕1号")
    db.session.commit()
    small_batches(monkeypatch)
    written = []
    real = RecordImport.write_batch

    def failing(self, rows, report):
        if len(written) == 2:
            raise RuntimeError("power cut")
        written.append(len(rows))
        real(self, rows, report)

    monkeypatch.setattr(RecordImport, "write_batch", failing)
    with pytest.raises(RuntimeError, match="power cut"):
        run_import(RecordImport(), good_file(e, 20), "r.csv")
    assert written == [3, 3]          # two batches were written before the failure
    db.session.commit()               # even a caller committing afterwards finds nothing written
    assert count() == 1 and audit_count() == 0


def test_a_bad_file_found_after_the_first_batches_leaves_the_database_unchanged(city, factory, monkeypatch):
    """A control character on row 15: the reader refuses the file when the first batches are written."""
    e = factory.enterprise()
    small_batches(monkeypatch)
    data = good_file(e, 20).replace("罚〔2024〕13号".encode(), "罚\x07".encode())
    from govsvc.tables import TableError

    with pytest.raises(TableError, match="第 15 行"):
        run_import(RecordImport(), data, "r.csv")
    db.session.commit()
    assert count() == 0 and audit_count() == 0


def test_a_wrong_row_in_a_late_batch_undoes_the_earlier_batches(city, factory, monkeypatch):
    e = factory.enterprise()
    small_batches(monkeypatch)
    data = good_file(e, 20) + f"{e.credit_code},NOPE,2024-05-01,minor,,x,\n".encode()
    report = run_import(RecordImport(), data, "r.csv")
    db.session.commit()
    assert not report.applied and report.created == 0 and [(x.row, x.column) for x in report.errors] == [(22, "单位代码")]
    assert count() == 0 and audit_count() == 0
    report = run_import(RecordImport(), data, "r.csv", valid_only=True)
    db.session.commit()
    assert (report.applied, report.created, report.skipped) == (True, 20, 1) and count() == 20 and audit_count() == 1


CELLS = st.tuples(
    st.sampled_from(["E1", "E2", "UNKNOWN", "BAD"]),
    st.sampled_from(["SCJ", "SWJ", "NOPE"]),
    st.sampled_from(["2024-05-03", "2023-02-01", "2024-02-30"]),
    st.sampled_from(["none", "minor", "serious", "严重违法", "bad"]),
    st.sampled_from(["", "100", "250.5", "x"]),
    st.sampled_from(["", "a", "b"]),
    st.sampled_from(["", "说明"]),
)


def snapshot() -> list[tuple]:
    t = EnforcementRecord
    return sorted(db.session.execute(select(t.enterprise_id, t.unit_id, t.date, t.decision_no, t.outcome, t.fine,
                                            t.description)).all())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(CELLS, max_size=14), existing=st.lists(CELLS, max_size=4),
       batch=st.integers(1, 4), valid_only=st.booleans(), dry_run=st.booleans())
def test_batches_give_the_outcome_of_one_batch(city, factory, rows, existing, batch, valid_only, dry_run):
    if not hasattr(city, "pair"):
        city.pair = (factory.enterprise(), factory.enterprise())
        db.session.commit()
    codes = {"E1": city.pair[0].credit_code, "E2": city.pair[1].credit_code,
             "UNKNOWN": make_credit_code(99_999), "BAD": "91X"}

    def file(lines) -> bytes:
        return (HEADER + "".join(",".join([codes[c[0]], *c[1:]]) + "\n" for c in lines)).encode()

    outcomes = []
    for size in (batch, 10_000):
        outer = db.session.begin_nested()
        try:
            run_import(RecordImport(), file(existing), "old.csv", valid_only=True)
            kind = RecordImport()
            kind.batch_rows = size
            report = run_import(kind, file(rows), "r.csv", valid_only=valid_only, dry_run=dry_run)
            outcomes.append((report.as_dict(), snapshot(), audit_count()))
        finally:
            outer.rollback()
    assert outcomes[0] == outcomes[1]


def test_a_duplicate_names_the_row_it_repeats_across_batches(city, factory, monkeypatch):
    e = factory.enterprise()
    small_batches(monkeypatch)
    data = good_file(e, 10) + f"{e.credit_code},SCJ,2024-05-02,minor,7,罚〔2024〕1号,\n".encode()  # = row 3
    report = run_import(RecordImport(), data, "r.csv")
    assert [(x.row, x.column, x.message) for x in report.errors] == [(12, "决定书文号", "与第 3 行重复。")]
    assert count() == 0
