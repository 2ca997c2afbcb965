"""Member units' periodic lists: imported per period through the shared framework, a unit's newest
list in force, combined per enterprise into zombie candidates (the SQL agrees with the pure rule),
and registered as flags for the other modules."""
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govsvc.bankruptcy import access, lists
from govsvc.bankruptcy.models_cases import ListEntry
from govsvc.extensions import db
from govsvc.imports import KINDS, run_import
from govsvc.registry.flags import flags_for
from scoring import bankruptcy as core
from tests.conftest import csrf_from, login

Q3, Q4 = core.parse_period("2026-Q3"), core.parse_period("2026-Q4")


def _csv(*rows, header="统一社会信用代码,企业名称,欠税金额,欠税情况\n"):
    return (header + "".join(",".join(r) + "\n" for r in rows)).encode()


def _upload(world, user, kind, period, unit, *rows, **kw):
    return lists.upload(user, kind=kind, period=period, unit=unit, data=_csv(*rows), filename="l.csv", **kw)


def test_a_unit_uploads_its_list_once_and_again_changes_nothing(world, factory):
    a, b = factory.enterprise(), factory.enterprise()
    rows = [(a.credit_code, a.name, "1250000.00", "欠缴增值税"), (b.credit_code, b.name, "", "欠缴城建税")]
    report = _upload(world, world.swj_user, "tax_arrears", Q4, world.swj, *rows)
    assert report.applied and report.created == 2
    again = _upload(world, world.swj_user, "tax_arrears", Q4, world.swj, *rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    entry = db.session.scalar(db.select(ListEntry).where(ListEntry.enterprise_id == a.id))
    assert (entry.amount, entry.detail, entry.period, entry.period_start) == (
        Decimal("1250000.00"), "欠缴增值税", "2026-Q4", date(2026, 10, 1))


def test_a_unit_uploads_only_its_own_lists(world, factory):
    a = factory.enterprise()
    with pytest.raises(access.NotAllowed):
        _upload(world, world.rsj_user, "tax_arrears", Q4, world.swj, (a.credit_code, "", "", ""))
    report = _upload(world, world.office, "tax_arrears", Q4, world.swj, (a.credit_code, "", "", ""))
    assert report.applied  # the office may upload for a unit
    with pytest.raises(access.NotAllowed):
        _upload(world, world.leader, "tax_arrears", Q4, world.swj, (a.credit_code, "", "", ""))


def test_bad_rows_are_reported_and_nothing_is_written(world, factory):
    a, b = factory.enterprise(), factory.enterprise()
    report = _upload(world, world.swj_user, "tax_arrears", Q4, world.swj, (a.credit_code, "", "", ""),
                     ("123", "", "", ""), (a.credit_code, "", "", ""), (b.credit_code, "", "abc", ""))
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert not report.applied
    assert "18 位" in messages[(3, "统一社会信用代码")] and "重复" in messages[(4, "统一社会信用代码")]
    assert "不是金额" in messages[(5, "金额")]
    assert db.session.scalar(db.select(db.func.count()).select_from(ListEntry)) == 0
    valid = _upload(world, world.swj_user, "tax_arrears", Q4, world.swj, (a.credit_code, "", "", ""),
                    ("123", "", "", ""), valid_only=True)
    assert valid.applied and valid.created == 1 and valid.skipped == 1


def test_the_newest_list_of_a_unit_is_in_force(world, factory):
    a, b = factory.enterprise(), factory.enterprise()
    _upload(world, world.swj_user, "tax_arrears", Q3, world.swj, (a.credit_code, "", "", ""), (b.credit_code, "", "", ""))
    _upload(world, world.swj_user, "tax_arrears", Q4, world.swj, (a.credit_code, "", "", ""))  # b paid its arrears
    on_q3 = lists.entries_for([a.id, b.id], date(2026, 9, 30))
    on_q4 = lists.entries_for([a.id, b.id], date(2026, 10, 1))
    assert set(on_q3) == {a.id, b.id} and set(on_q4) == {a.id}
    assert lists.entries_for([a.id], date(2026, 6, 30)) == {}


def test_flags_for_other_modules(world, factory):
    a, b = factory.enterprise(), factory.enterprise()
    _upload(world, world.scj_user, "revoked", Q4, world.scj, (a.credit_code, "", "", "2026-10 吊销营业执照"))
    _upload(world, world.swj_user, "tax_arrears", Q4, world.swj, (b.credit_code, "", "80000", ""))
    found = flags_for([a.id, b.id], date(2026, 11, 1))
    (revoked,), (arrears,) = found[a.id], found[b.id]
    assert (revoked.source, revoked.kind, revoked.label) == ("bankruptcy.lists", "revoked", "吊销企业名单")
    assert revoked.risk_signal and revoked.bars_honours and revoked.since == date(2026, 10, 1)
    assert "吊销营业执照" in revoked.reason and "市市场监督管理局" in revoked.reason
    assert arrears.risk_signal and not arrears.bars_honours
    assert flags_for([a.id], date(2026, 9, 30)) == {}


def test_zombie_candidates_with_reasons(world, factory):
    revoked, two, one, rescue = (factory.enterprise() for _ in range(4))
    _upload(world, world.scj_user, "revoked", Q4, world.scj, (revoked.credit_code, "", "", ""))
    _upload(world, world.swj_user, "tax_arrears", Q4, world.swj, (two.credit_code, "", "", ""), (one.credit_code, "", "", ""))
    _upload(world, world.office, "stopped", Q4, world.jrj, (two.credit_code, "", "", "厂房闲置"),
            (rescue.credit_code, "", "", ""))
    _upload(world, world.office, "distressed", Q4, world.jrj, (rescue.credit_code, "", "", "技术领先，有订单"))
    rows = db.session.execute(lists.candidate_query(on=date(2026, 11, 1))).all()
    assert [r[0].id for r in rows] == [revoked.id, two.id, rescue.id]  # on the revoked list first
    verdicts = lists.verdicts([two.id, rescue.id], date(2026, 11, 1))
    assert verdicts[two.id][0].reasons == ("欠缴税款（欠税企业名单）", "已停产，要素资源闲置")
    assert "重整" in verdicts[rescue.id][0].suggestion
    everyone = db.session.execute(lists.candidate_query(on=date(2026, 11, 1), candidates_only=False)).all()
    assert {r[0].id for r in everyone} == {revoked.id, two.id, one.id, rescue.id}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(st.sets(st.sampled_from(sorted(core.LIST_KINDS)), max_size=4), min_size=1, max_size=6))
def test_candidate_sql_agrees_with_the_pure_rule(world, factory, data):
    db.session.execute(db.delete(ListEntry))
    enterprises = [factory.enterprise() for _ in data]
    units = {"revoked": world.scj, "tax_arrears": world.swj, "capacity": world.rsj, "stopped": world.rsj,
             "distressed": world.jrj, "guarantee": world.jrj}
    for enterprise, kinds in zip(enterprises, data):
        for kind in kinds:
            db.session.add(ListEntry(kind=kind, period=Q4.code, period_start=Q4.start, period_end=Q4.end,
                                     unit_id=units[kind].id, enterprise_id=enterprise.id))
    db.session.flush()
    found = {r[0].id for r in db.session.execute(lists.candidate_query(on=date(2026, 12, 1)))}
    expected = {e.id for e, kinds in zip(enterprises, data) if core.zombie_verdict(kinds).candidate}
    assert found == expected


def test_cli_import_with_list_period_and_unit_columns(world, factory, runner, tmp_path):
    a = factory.enterprise()
    db.session.commit()
    path = tmp_path / "lists.csv"
    path.write_text("名单类别,报送期间,报送单位代码,统一社会信用代码,金额\n"
                    f"欠税企业,2026年第4季度,SWJ,{a.credit_code},100\n"
                    f"capacity,2026-Q4,GXJ,{a.credit_code},\n", encoding="utf-8")
    result = runner.invoke(args=["import", "bankruptcy_lists", str(path)])
    assert result.exit_code == 2 and "GXJ" in result.output
    path.write_text("名单类别,报送期间,报送单位代码,统一社会信用代码,金额\n"
                    f"欠税企业,2026年第4季度,SWJ,{a.credit_code},100\n", encoding="utf-8")
    result = runner.invoke(args=["import", "bankruptcy_lists", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    entry = db.session.scalar(db.select(ListEntry))
    assert (entry.kind, entry.period, entry.unit_id) == ("tax_arrears", "2026-Q4", world.swj.id)


def test_upload_page_and_candidates_page(client, world, factory):
    a = factory.enterprise(name="淄博僵尸示例有限公司")
    db.session.commit()
    login(client, "dept-scj")
    token = csrf_from(client.get("/bankruptcy/lists/upload").get_data(as_text=True))
    response = client.post("/bankruptcy/lists/upload", data={
        "kind": "revoked", "period": "2026年第4季度", "mode": "all", "csrf_token": token,
        "file": (io.BytesIO(_csv((a.credit_code, "", "", "已吊销"))), "l.csv")}, content_type="multipart/form-data")
    assert "新增 1 条" in response.get_data(as_text=True)
    bad = client.post("/bankruptcy/lists/upload", data={
        "kind": "revoked", "period": "2026-Q9", "mode": "all", "csrf_token": token,
        "file": (io.BytesIO(_csv((a.credit_code, "", "", ""))), "l.csv")}, content_type="multipart/form-data")
    assert "不是有效的报送期间" in bad.get_data(as_text=True)
    assert client.get("/bankruptcy/candidates").status_code == 403  # units do not read the combined list
    listing = client.get("/bankruptcy/lists").get_data(as_text=True)
    assert "淄博僵尸示例有限公司" in listing


def test_candidates_page_for_staff(client, world, factory):
    a = factory.enterprise(name="淄博僵尸示例有限公司")
    _upload(world, world.scj_user, "revoked", core.parse_period("2026-Q1"), world.scj, (a.credit_code, "", "", ""))
    db.session.commit()
    login(client, "court")
    html = client.get("/bankruptcy/candidates").get_data(as_text=True)
    assert "淄博僵尸示例有限公司" in html and "营业执照已被吊销" in html and "引导依法破产清算" in html
    export = client.get("/bankruptcy/candidates?format=csv").get_data(as_text=True)
    assert "营业执照已被吊销" in export and a.credit_code in export
