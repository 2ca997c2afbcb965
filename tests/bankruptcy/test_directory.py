"""The mechanism's directory: settings and who may change them, member units and the duty matrix
imported like 附件2 (codes or names, errors, idempotent), the default handler of a kind of matter."""
import io
from datetime import date

import pytest

from govsvc.bankruptcy import access, directory
from govsvc.bankruptcy.models import Duty, Member
from govsvc.extensions import db
from govsvc.imports import KINDS, run_import
from tests.bankruptcy.conftest import duty
from tests.conftest import csrf_from, form_post, login


def test_defaults_follow_seed_000_until_the_office_saves(app, factory):
    jrj = factory.unit("JRJ", name="市地方金融监督管理局")
    settings = directory.mechanism()
    assert (settings.office_unit_id, settings.joint_months, settings.topic_months) == (jrj.id, 6, 3)
    assert settings.established_on == date(2020, 7, 10)
    assert directory.risk_rules().high == 60
    assert db.session.scalar(db.select(db.func.count()).select_from(directory.Mechanism)) == 0  # nothing written


def test_only_the_office_changes_the_settings_and_the_office_can_move_to_the_court(world):
    with pytest.raises(access.NotAllowed):
        directory.save_settings(world.court, name="x", established_on=date(2020, 7, 10), office_unit=world.zyfy,
                                joint_months=12, topic_months=0, reply_days=10)
    assert access.is_office(world.office) and not access.is_office(world.court)
    directory.save_settings(world.office, name="平陆模式", established_on=date(2023, 12, 14), office_unit=world.zyfy,
                            joint_months=12, topic_months=0, reply_days=10)
    assert access.is_office(world.court) and not access.is_office(world.office)
    with pytest.raises(access.ServiceError, match="每半年或每年"):
        directory.save_settings(world.court, name="x", established_on=date(2020, 1, 1), office_unit=world.zyfy,
                                joint_months=3, topic_months=3, reply_days=10)


def test_settings_page_saves_with_messages_beside_fields(client, world):
    login(client, "regulator")
    page = "/bankruptcy/directory/settings"
    bad = form_post(client, page, {"name": "机制", "established_on": "2020-07-10", "office_unit": "NOPE",
                                   "joint_months": "6", "topic_months": "3", "reply_days": "15"})
    assert "找不到单位代码“NOPE”" in bad.get_data(as_text=True)
    ok = form_post(client, page, {"name": "机制", "established_on": "2020-07-10", "office_unit": "ZYFY",
                                  "joint_months": "12", "topic_months": "0", "reply_days": "20"})
    assert ok.status_code == 302
    assert directory.mechanism().office_unit_id == world.zyfy.id and directory.mechanism().reply_days == 20


MEMBERS = "unit_code,leader_name,leader_post,liaison_name,liaison_post,liaison_phone\n" \
          "RSJ,王某,副局长,李某,失业保险科科长,0533-1\nSWJ,赵某,副局长,钱某,法制科科长,0533-2\n"


def test_member_import_upserts_and_refuses_unknown_units(world):
    report = run_import(KINDS["bankruptcy_members"](), MEMBERS.encode(), "m.csv")
    assert report.applied and (report.created, report.updated) == (0, 2)  # both were members already
    again = run_import(KINDS["bankruptcy_members"](), MEMBERS.encode(), "m.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    rsj = db.session.scalar(db.select(Member).where(Member.unit_id == world.rsj.id))
    assert (rsj.liaison_name, rsj.liaison_phone) == ("李某", "0533-1")
    bad = run_import(KINDS["bankruptcy_members"](), "单位代码,联络人\nNOPE,某\n".encode(), "m.csv")
    assert not bad.applied and "NOPE" in bad.errors[0].message


DUTIES = ("协调事项,牵头单位,配合单位,职责分工\n"
          "民生保障/职工安置,RSJ,张店区人民政府、SWJ,职工劳动关系处理和就业安置\n"
          "涉税事务,SWJ,,依法申报税收债权\n")


def test_duty_matrix_import_like_attachment_2(world):
    report = run_import(KINDS["bankruptcy_duties"](), DUTIES.encode(), "d.csv")
    assert report.applied and report.created == 2
    livelihood = db.session.scalar(db.select(Duty).where(Duty.matter_type == "livelihood"))
    assert [u.code for u in livelihood.lead_units] == ["RSJ"]
    assert [u.code for u in livelihood.support_units] == ["ZF-ZD", "SWJ"]  # by name and by code, order kept
    assert directory.lead_unit_for("livelihood").code == "RSJ"
    assert directory.lead_unit_for("tax").code == "SWJ"
    assert directory.lead_unit_for("credit") is None
    again = run_import(KINDS["bankruptcy_duties"](), DUTIES.encode(), "d.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = run_import(KINDS["bankruptcy_duties"](), "matter_type,lead_units\nlivelihood,SCJ RSJ\n".encode(), "d.csv")
    assert changed.updated == 1
    db.session.expire_all()
    livelihood = db.session.scalar(db.select(Duty).where(Duty.matter_type == "livelihood"))
    assert [u.code for u in livelihood.lead_units] == ["SCJ", "RSJ"] and livelihood.support_units == []
    assert [(d.type_label, lead) for d, lead in directory.duties_of_unit(world.rsj.id)] == [("民生保障/职工安置", True)]


@pytest.mark.parametrize("text, column, message", [
    ("matter_type,lead_units\n拍卖,RSJ\n", "协调事项", "不是协调事项类别"),
    ("matter_type,lead_units\ntax,NOPE\n", "牵头单位", "单位名录中没有：NOPE"),
    ("matter_type,lead_units,support_units\ntax,SWJ,SWJ\n", "配合单位", "已是牵头单位"),
    ("matter_type,lead_units\ntax,SWJ\ntax,RSJ\n", "协调事项", "与第 2 行重复"),
])
def test_duty_matrix_errors_name_row_and_column(world, text, column, message):
    report = run_import(KINDS["bankruptcy_duties"](), text.encode(), "d.csv")
    assert not report.applied
    assert any(e.column == column and message in e.message for e in report.errors), report.errors
    assert db.session.scalar(db.select(db.func.count()).select_from(Duty)) == 0


def test_directory_pages(client, world):
    duty("livelihood", world.rsj, world.zf)
    db.session.commit()
    login(client, "dept-rsj")
    html = client.get("/bankruptcy/directory").get_data(as_text=True)
    assert "市人力资源和社会保障局" in html and "民生保障/职工安置" in html and "设在市地方金融监督管理局" in html
    assert "导入名单或分工" not in html  # the office's buttons
    export = client.get("/bankruptcy/duties?format=csv")
    assert "协调事项,牵头单位,配合单位,职责分工" in export.get_data(as_text=True)
    # a member unit cannot import (the office does)
    token = csrf_from(client.get("/bankruptcy/directory/import").get_data(as_text=True))
    response = client.post("/bankruptcy/directory/import", data={
        "kind": "bankruptcy_duties", "mode": "all", "file": (io.BytesIO(DUTIES.encode()), "d.csv"), "csrf_token": token},
        content_type="multipart/form-data")
    assert response.status_code == 403


def test_office_imports_duties_on_the_page(client, world):
    login(client, "regulator")
    token = csrf_from(client.get("/bankruptcy/directory/import").get_data(as_text=True))
    response = client.post("/bankruptcy/directory/import", data={
        "kind": "bankruptcy_duties", "mode": "all", "file": (io.BytesIO(DUTIES.encode()), "d.csv"), "csrf_token": token},
        content_type="multipart/form-data")
    assert "新增 2 条" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Duty)) == 2
