"""The audit page reads as Chinese (issue 10, item 15): action names, linked object names, change
lines; names loaded per object type, not per row; persons never named; the export keeps the raw form."""
from __future__ import annotations

import csv
import io
import json

from sqlalchemy import event

from govsvc import audit
from govsvc.audit.readable import change_lines, parse_target
from govsvc.extensions import db


def test_change_lines():
    assert change_lines("{}") == [] and change_lines("") == []
    detail = json.dumps({"before": {"roles": ["admin"], "active": True}, "after": {"roles": ["admin", "justice"], "active": True}})
    assert change_lines(detail) == ["角色：admin → admin、justice"]
    assert change_lines(json.dumps({"from": "assigned", "to": "in_progress"})) == ["变更：已交办 → 办理中"]
    assert change_lines(json.dumps({"record": 3, "changes": {"decision": ["warning", "demerit"]}})) == [
        "处理决定：警告 → 记过", "记录：3"]
    # values by the modules' own Chinese names where the field has them
    assert change_lines(json.dumps({"decision": "not_tolerated", "finding": "no_issue"})) == [
        "处理决定：不予容错", "核实结论：未发现问题"]
    assert change_lines(json.dumps({"new_key": False, "note": ""})) == ["new_key：否", "说明：（空）"]
    assert change_lines("not json {") == ["not json {"] and change_lines("[1, 2]") == ["1、2"]


def test_parse_target():
    assert parse_target("grading_round:3/enterprise:9") == [("grading_round", "3"), ("enterprise", "9")]
    assert parse_target("/audit/") == [] and parse_target("2026") == [] and parse_target("nothing:1") == []


def test_page_shows_chinese_names_linked_objects_and_change_lines(app, client, login_as, factory):
    from govsvc.ledger.workflow import STATUS_LABELS

    enterprises = [factory.enterprise(name=f"淄博甲乙{n}有限公司") for n in range(4)]
    unit = factory.unit("SCJ", name="市市场监督管理局")
    person = factory.person(unit, name="王秘密")
    db.session.flush()
    for e in enterprises:
        audit.record("finrisk.leader.assign", target=f"enterprise:{e.id}", detail={"leader": "张副市长"})
    audit.record("bankruptcy.member.save", target=f"unit:{unit.code}", detail={"active": True})
    audit.record("matter.move", target="matter:999999", detail={"from": "assigned", "to": "in_progress"})
    audit.record("integrity.file.read", target=f"person:{person.id}", detail={"page": "file"}, purpose="考察",
                 category="integrity")
    audit.record("user.update", target="user:1", detail={"before": {"active": True}, "after": {"active": False}})
    audit.record("some.future.code", target="/x/y")
    db.session.commit()
    login_as("admin")

    statements = []
    listen = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        html = client.get("/audit/").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)

    assert "确定包保领导" in html and "finrisk.leader.assign" in html  # the name, and the code beside it
    for e in enterprises:
        assert f'<a href="/registry/enterprises/{e.id}">企业：{e.name}</a>' in html
    assert "单位：市市场监督管理局" in html  # a unit named by its code
    assert "领导：张副市长" in html and "启用：是 → 否" in html
    assert f"变更：{STATUS_LABELS['assigned']} → {STATUS_LABELS['in_progress']}" in html
    assert '<a href="/ledger/999999">事项 #999999</a>' in html  # gone or never there: type and number
    assert f'<a href="/integrity/persons/{person.id}">人员 #{person.id}</a>' in html and "王秘密" not in html
    assert "some.future.code" in html and "/x/y" in html  # unknown: shown as it is
    # one query for all the enterprises of the page, not one per row
    assert sum("FROM enterprises" in s for s in statements) == 1, [s for s in statements if "enterprises" in s]


def test_search_by_chinese_action_name(client, login_as):
    audit.record("survey.close", target="survey:1")
    audit.record("survey.open", target="survey:1")
    db.session.commit()
    login_as("admin")
    html = client.get("/audit/?q=封箱").get_data(as_text=True)
    assert "结束评议（封箱）" in html and "开始评议" not in html


def test_export_keeps_the_raw_code_object_and_json(client, login_as, factory):
    enterprise = factory.enterprise(name="淄博导出有限公司")
    db.session.flush()
    detail = {"from": "assigned", "to": "in_progress"}
    audit.record("matter.move", target=f"enterprise:{enterprise.id}", detail=detail)
    db.session.commit()
    login_as("admin")
    body = client.get("/audit/?format=csv").get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    row = next(r for r in rows if r["操作"] == "matter.move")
    assert row["对象"] == f"enterprise:{enterprise.id}" and json.loads(row["详情"]) == detail
    assert row["详情"] == json.dumps(detail, ensure_ascii=False, sort_keys=True)
    assert row["操作名称"] == "事项状态变更" and row["对象类型"] == f"企业 #{enterprise.id}"
    assert row["变更摘要"] == "变更：已交办 → 办理中"
