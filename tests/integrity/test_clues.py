"""Clues on the shared ledger: intake by staff, the public complaint column with its tracking
code, referrals from the grading module, handling to 销号 with feedback, 督办 and 整改."""
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from govsvc.extensions import db
from govsvc.integrity import clues
from govsvc.integrity.models import Clue
from govsvc.ledger import workflow as W
from govsvc.ledger.models import Matter
from govsvc.ledger.service import create_matter
from govsvc.timeutil import local_today
from tests.conftest import form_post


def referral(unit, title="司法局移送：某局违反免检规定"):
    """A referral exactly as the grading module creates it (its contract)."""
    return create_matter(module="integrity", kind="clue.referral", source="司法局移送", ref="grading.complaint:7",
                         title=title, description="企业投诉属实，情节严重。", responsible_unit_id=unit.id)


def test_staff_intake_on_the_shared_ledger(client, login_as, city):
    login_as("discipline")
    received = (local_today() - timedelta(days=3)).isoformat()
    response = form_post(client, "/integrity/clues/new", {
        "channel": "clue.hotline", "received_on": received, "title": "执法人员吃拿卡要", "description": "来电反映……",
        "unit_code": "scj-zd", "enterprise_related": "y", "enterprise_name": "某公司", "accused": "某科长",
        "complainant_name": "李先生", "complainant_contact": "139****0000"})
    assert response.status_code == 302
    matter = db.session.scalar(select(Matter))
    clue = db.session.scalar(select(Clue))
    assert (matter.module, matter.kind, matter.source, matter.status) == ("integrity", "clue.hotline", "12388举报电话",
                                                                         W.RECEIVED)
    assert matter.responsible_unit_id == city.scj_zd.id and matter.priority == "high"
    assert matter.deadline == local_today() - timedelta(days=3) + timedelta(days=30)
    assert (clue.matter_id, clue.enterprise_related, clue.accused, clue.tracking_hash) == (matter.id, True, "某科长", None)
    page = client.get(f"/integrity/clues/{matter.id}").get_data(as_text=True)
    assert "李先生" in page and "139****0000" in page and "涉企" in page


def test_non_enterprise_clue_gets_the_longer_deadline(city, city_user):
    clue, _ = clues.intake(city_user, channel="clue.letter", title="来信", description="x", unit_id=city.swj.id,
                           enterprise_related=False)
    assert clue.matter.deadline == local_today() + timedelta(days=60) and clue.matter.priority == "normal"


def test_intake_refuses_future_dates_and_unknown_units(client, login_as, city):
    login_as("discipline")
    html = form_post(client, "/integrity/clues/new", {"channel": "clue.hotline", "title": "标题甲", "description": "内容乙",
                                                      "unit_code": "NOPE"}).get_data(as_text=True)
    assert "找不到单位代码“NOPE”" in html and "标题甲" in html and "内容乙" in html
    html = form_post(client, "/integrity/clues/new", {
        "channel": "clue.hotline", "title": "标题甲", "description": "内容乙",
        "received_on": (local_today() + timedelta(days=1)).isoformat()}).get_data(as_text=True)
    assert "收到日期不能晚于今天" in html
    assert db.session.scalar(select(func.count()).select_from(Matter)) == 0


def test_referral_matters_appear_and_are_adopted_on_first_action(client, login_as, city):
    matter = referral(city.swj)
    db.session.commit()
    login_as("discipline")
    html = client.get("/integrity/clues").get_data(as_text=True)
    assert "司法局移送：某局违反免检规定" in html and "待接收" in html and "涉企" in html
    assert "共 1 条" in client.get("/integrity/clues?enterprise=1").get_data(as_text=True)
    assert "共 0 条" in client.get("/integrity/clues?enterprise=0").get_data(as_text=True)
    assert "共 1 条" in client.get("/integrity/clues?channel=clue.referral").get_data(as_text=True)
    page = client.get(f"/integrity/clues/{matter.id}")
    assert page.status_code == 200 and db.session.scalar(select(Clue)) is None  # reading does not adopt
    response = form_post(client, f"/integrity/clues/{matter.id}", {"act-target": W.ASSIGNED, "act-note": "交办"})
    assert response.status_code == 302
    clue = db.session.scalar(select(Clue))
    assert clue.matter_id == matter.id and clue.enterprise_related and matter.priority == "high"
    assert matter.status == W.ASSIGNED and matter.ref == "grading.complaint:7"


def test_the_whole_handling_to_closure(client, login_as, city):
    login_as("discipline")
    form_post(client, "/integrity/clues/new", {"channel": "clue.letter", "title": "来信线索", "description": "内容",
                                               "unit_code": "SCJ", "enterprise_related": "y"})
    matter = db.session.scalar(select(Matter))
    url = f"/integrity/clues/{matter.id}"

    def act(**data):
        return form_post(client, url, {f"act-{k}": v for k, v in data.items()})

    assert act(target=W.ASSIGNED, deadline=(local_today() + timedelta(days=10)).isoformat()).status_code == 302
    assert matter.deadline == local_today() + timedelta(days=10)
    assert act(target=W.IN_PROGRESS).status_code == 302
    refused = act(target=W.CONCLUDED, note="查实")
    assert "办结时请选择核实结论" in refused.get_data(as_text=True)
    assert act(target=W.CONCLUDED, note="经核查属实。", verification="substantiated",
               rectify_by=(local_today() + timedelta(days=15)).isoformat()).status_code == 302
    assert "变为“已反馈”需要填写说明" in act(target=W.FEEDBACK_GIVEN).get_data(as_text=True)
    assert act(target=W.FEEDBACK_GIVEN, note="已电话告知反映人核查结果。").status_code == 302
    assert act(target=W.CLOSED).status_code == 302
    db.session.refresh(matter)
    assert matter.status == W.CLOSED
    assert [e.to_status for e in matter.events] == [W.RECEIVED, W.ASSIGNED, W.IN_PROGRESS, W.CONCLUDED,
                                                    W.FEEDBACK_GIVEN, W.CLOSED]
    assert db.session.scalar(select(Clue)).verification == "substantiated"
    rect = db.session.scalar(select(Matter).where(Matter.kind == "rectification"))
    assert (rect.ref, rect.responsible_unit_id, rect.status) == (f"integrity.clue:{matter.id}", city.scj.id, W.ASSIGNED)
    assert "整改：来信线索" in client.get("/integrity/rectification").get_data(as_text=True)
    assert "当前不能进行该操作" in act(target=W.IN_PROGRESS).get_data(as_text=True)


def test_supervision_ledger(client, login_as, city, city_user):
    clue, _ = clues.intake(city_user, channel="clue.hotline", title="重点线索", description="x", unit_id=city.swj.id,
                           enterprise_related=True)
    db.session.commit()
    login_as("discipline")
    url = f"/integrity/clues/{clue.matter_id}/supervise"
    page = f"/integrity/clues/{clue.matter_id}"
    past = form_post(client, url, {"sup-deadline": (local_today() - timedelta(days=1)).isoformat(),
                                   "sup-note": "请尽快核查"}, page=page)
    assert "督办期限不能早于今天" in past.get_data(as_text=True) and "请尽快核查" in past.get_data(as_text=True)
    assert form_post(client, url, {"sup-deadline": (local_today() + timedelta(days=5)).isoformat(),
                                   "sup-note": "请一周内报告进展"}, page=page).status_code == 302
    sup = db.session.scalar(select(Matter).where(Matter.kind == "supervision"))
    assert (sup.priority, sup.status, sup.responsible_unit_id) == ("urgent", W.ASSIGNED, city.swj.id)
    html = client.get("/integrity/supervision").get_data(as_text=True)
    assert "督办：重点线索" in html
    assert "督办：重点线索" in client.get(page).get_data(as_text=True)


def test_overdue_clues_come_first_and_are_flagged(client, login_as, city, city_user):
    today = local_today()
    fresh, _ = clues.intake(city_user, channel="clue.hotline", title="新线索", description="x", unit_id=city.scj.id,
                            enterprise_related=True)
    late, _ = clues.intake(city_user, channel="clue.letter", title="逾期线索", description="x", unit_id=city.scj.id,
                           enterprise_related=False, received_on=today - timedelta(days=61))
    other, _ = clues.intake(city_user, channel="clue.visit", title="非涉企线索", description="x", unit_id=city.scj.id,
                            enterprise_related=False)
    db.session.commit()
    login_as("discipline")
    rows = [m.title for m, _ in db.session.execute(clues.clue_query(city_user))]
    assert rows == ["逾期线索", "新线索", "非涉企线索"]  # overdue, then enterprise-related first
    html = client.get("/integrity/clues?overdue=1").get_data(as_text=True)
    assert "共 1 条" in html and "逾期线索" in html and "逾期" in html
    exported = list(csv.reader(io.StringIO(client.get("/integrity/clues?format=csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert len(exported) == 4 and exported[1][2] == "逾期线索" and exported[1][-2] == "是"
    assert client.get("/integrity/clues?format=xlsx").headers["Content-Type"].startswith("application/vnd.openxml")
    assert "共 1 条" in client.get("/integrity/clues?q=非涉企").get_data(as_text=True)


# -- the public complaint column -------------------------------------------------------------------
def test_online_complaint_and_tracking(client, app, login_as, city):
    html = client.get("/complaints/").get_data(as_text=True)
    assert "涉企投诉专栏" in html and city.swj.name in html
    response = form_post(client, "/complaints/", {"title": "税务人员要求购买软件", "description": "经过……",
                                                  "unit": str(city.swj.id), "enterprise_related": "y",
                                                  "enterprise_name": "某公司", "complainant_contact": "13900000000"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "查询码" in page
    code = page.split('id="tracking-code">')[1].split("<")[0]
    assert len(code.replace("-", "")) == 32
    clue = db.session.scalar(select(Clue))
    assert clue.tracking_hash and code not in clue.tracking_hash and clue.matter.kind == "clue.online"
    assert clue.matter.responsible_unit_id == city.swj.id

    tracked = form_post(client, "/complaints/track", {"code": code.lower().replace("-", " ")}).get_data(as_text=True)
    assert "已受理" in tracked and f"#{clue.matter_id}" in tracked
    assert "没有找到" in form_post(client, "/complaints/track", {"code": "A" * 32}).get_data(as_text=True)
    assert "查询码应为 32 位" in form_post(client, "/complaints/track", {"code": "ABC"}).get_data(as_text=True)

    city_user = login_as("discipline")
    matter = clue.matter
    for target, note, extra in ((W.ASSIGNED, "", {}), (W.IN_PROGRESS, "", {}),
                                (W.CONCLUDED, "内部核查结论：属实", {"verification": "substantiated"}),
                                (W.FEEDBACK_GIVEN, "您反映的问题已查实，已责令整改。", {})):
        clues.act(city_user, matter, target, note=note, **extra)
    db.session.commit()
    from tests.conftest import logout

    logout(client)
    tracked = form_post(client, "/complaints/track", {"code": code}).get_data(as_text=True)
    assert "已答复" in tracked and "您反映的问题已查实，已责令整改。" in tracked
    assert "内部核查结论" not in tracked and city.swj.name not in tracked and "13900000000" not in tracked


def test_online_complaint_keeps_input_on_error_and_writes_nothing(client, city):
    response = form_post(client, "/complaints/", {"title": "", "description": "独特内容"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "请填写标题" in html and "独特内容" in html
    bogus = form_post(client, "/complaints/", {"title": "t", "description": "d", "unit": "999999"})
    assert "请从列表中选择单位" in bogus.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Matter)) == 0


def test_online_complaints_are_throttled_in_the_database(client, app, city):
    for _ in range(clues.ONLINE_LIMIT):
        clues.submit_online(title="t", description="d", unit_id=None, enterprise_related=True, address="127.0.0.1")
    db.session.commit()
    response = form_post(client, "/complaints/", {"title": "第六次", "description": "d"})
    assert "提交过于频繁" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Clue)) == clues.ONLINE_LIMIT
    # Another address is not affected.
    clues.submit_online(title="t", description="d", unit_id=None, enterprise_related=True, address="10.0.0.9")


def test_staff_can_give_a_hotline_caller_a_tracking_code(client, login_as, city):
    login_as("discipline")
    page = form_post(client, "/integrity/clues/new", {"channel": "clue.hotline", "title": "来电", "description": "x",
                                                      "unit_code": "SCJ", "tracking": "y"}).get_data(as_text=True)
    code = page.split('id="tracking-code">')[1].split("<")[0]
    assert clues.track(code).status == "已受理"


@pytest.mark.parametrize("status", [W.ASSIGNED, W.IN_PROGRESS, W.RETURNED])
def test_public_status_hides_internal_states(status):
    assert clues.PUBLIC_STATUS[status] == "正在办理"


def test_track_refuses_malformed_codes(app):
    with pytest.raises(clues.ClueError):
        clues.track("not-a-code")
    assert clues.track("B" * 32) is None


def test_a_refused_action_writes_nothing(client, login_as, city):
    matter = referral(city.swj)
    db.session.commit()
    login_as("discipline")
    response = form_post(client, f"/integrity/clues/{matter.id}", {"act-target": W.RETURNED, "act-note": " "})
    assert "需要填写说明" in response.get_data(as_text=True)
    assert db.session.scalar(select(Clue)) is None and matter.status == W.RECEIVED
    unknown = create_matter(module="integrity", kind="clue.online", title="未定单位")
    db.session.commit()
    response = form_post(client, f"/integrity/clues/{unknown.id}", {"act-target": W.ASSIGNED})
    assert "交办时请填写承办单位代码" in response.get_data(as_text=True)
    sup = form_post(client, f"/integrity/clues/{matter.id}/supervise", {"sup-deadline": "2000-01-01", "sup-note": "x"},
                    page=f"/integrity/clues/{matter.id}")
    assert "督办期限不能早于今天" in sup.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Clue)) == 0
    assert db.session.scalar(select(func.count()).select_from(Matter)) == 2
