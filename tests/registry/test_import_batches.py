"""The streamed enterprise and tax imports (issue 11): any batch size gives the outcome of one
single batch, and an import interrupted after its first batches writes nothing."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.imports import KINDS, run_import
from govsvc.registry.imports import EnterpriseImport, TaxRecordImport
from govsvc.registry.models import Enterprise, TaxRecord
from tests.factories import make_credit_code

CODES = [make_credit_code(n) for n in (1, 2, 3)] + ["91X"]
ENTERPRISE_ROW = st.tuples(st.sampled_from(CODES), st.sampled_from(["甲", "乙", ""]), st.sampled_from(["工业", "农业", "x"]),
                           st.sampled_from(["", "金城集团", "银河集团"]), st.sampled_from(["0", "1", "?"]))
TAX_ROW = st.tuples(st.sampled_from(CODES + [make_credit_code(9)]), st.sampled_from(["2024", "2025", "1800"]),
                    st.sampled_from(["100", "100.00", "7.5", "-1"]))


def snapshot() -> tuple:
    e, t = Enterprise, TaxRecord
    return (sorted(db.session.execute(select(e.credit_code, e.name, e.industry, e.group_name, e.group_head)).all()),
            # by credit code: PostgreSQL's sequences do not roll back, ids differ between the runs
            sorted(db.session.execute(select(e.credit_code, t.year, t.local_retained).join(t.enterprise)).all()),
            db.session.scalar(select(func.count()).select_from(AuditEntry)))


def outcome(kind: str, data: bytes, size: int, setup: list[tuple[str, bytes]], **modes):
    outer = db.session.begin_nested()
    try:
        for setup_kind, setup_data in setup:
            run_import(KINDS[setup_kind](), setup_data, "old.csv", valid_only=True)
        importer = KINDS[kind]()
        importer.batch_rows = size
        report = run_import(importer, data, "f.csv", **modes)
        return report.as_dict(), snapshot()
    finally:
        outer.rollback()


def enterprises_csv(rows) -> bytes:
    return ("credit_code,name,industry,group,group_head\n" + "".join(",".join(r) + "\n" for r in rows)).encode()


def tax_csv(rows) -> bytes:
    return ("credit_code,year,local_retained\n" + "".join(",".join(r) + "\n" for r in rows)).encode()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ENTERPRISE_ROW, max_size=10), existing=st.lists(ENTERPRISE_ROW, max_size=3),
       batch=st.integers(1, 3), valid_only=st.booleans(), dry_run=st.booleans())
def test_enterprise_batches_give_the_outcome_of_one_batch(app, rows, existing, batch, valid_only, dry_run):
    setup = [("enterprises", enterprises_csv(existing))]
    modes = {"valid_only": valid_only, "dry_run": dry_run}
    assert (outcome("enterprises", enterprises_csv(rows), batch, setup, **modes)
            == outcome("enterprises", enterprises_csv(rows), 10_000, setup, **modes))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(TAX_ROW, max_size=10), existing=st.lists(TAX_ROW, max_size=3),
       batch=st.integers(1, 3), valid_only=st.booleans())
def test_tax_batches_give_the_outcome_of_one_batch(app, rows, existing, batch, valid_only):
    setup = [("enterprises", enterprises_csv([(c, "甲", "工业", "", "0") for c in CODES[:3]])), ("tax", tax_csv(existing))]
    assert (outcome("tax", tax_csv(rows), batch, setup, valid_only=valid_only)
            == outcome("tax", tax_csv(rows), 10_000, setup, valid_only=valid_only))


@pytest.mark.parametrize("kind", [EnterpriseImport, TaxRecordImport])
def test_an_exception_after_the_first_batches_leaves_the_database_unchanged(app, monkeypatch, kind):
    codes = [make_credit_code(n) for n in range(1, 13)]
    run_import(EnterpriseImport(), enterprises_csv([(c, "旧名", "工业", "", "0") for c in codes[:2]]), "old.csv")
    db.session.commit()
    before = snapshot()
    if kind is EnterpriseImport:
        data = enterprises_csv([(c, f"企业{i}", "工业", "", "0") for i, c in enumerate(codes)])
    else:
        data = tax_csv([(codes[0], str(2000 + i), "10") for i in range(12)])
    monkeypatch.setattr(kind, "batch_rows", 4)
    calls = []
    real = kind.write_batch

    def failing(self, rows, report):
        calls.append(len(rows))
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C in the CLI
        real(self, rows, report)

    monkeypatch.setattr(kind, "write_batch", failing)
    with pytest.raises(KeyboardInterrupt):
        run_import(kind(), data, "f.csv")
    db.session.commit()
    assert calls == [4, 4, 4] and snapshot() == before
