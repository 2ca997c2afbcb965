"""Honours: the yearly excellent-entrepreneur list and its check (tax, the published grading's C list,
serious violations in 3 years, the 失信 list and every flag that bars honours), the leader's approval
and the public list, recommendations with the comprehensive evaluation, meeting invitations, and the
失信 list import."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from govsvc.care import honours
from govsvc.care.dishonest import DishonestImport
from govsvc.care.models_support import DishonestEntry, HonourCandidate
from govsvc.care.support import NotYours
from govsvc.exports import csv_bytes
from govsvc.extensions import db
from govsvc.grading import records, service as grading
from govsvc.imports import run_import
from govsvc.registry import flags
from govsvc.timeutil import local_today
from tests.care.helpers_support import city  # noqa: F401
from tests.conftest import csrf_from, form_post, login, logout

YEAR = 2026  # the list's year: tax of 2025 counts
ASPECTS = {k: "良好。" for k in ("political", "law", "tax", "business", "social")}
HEADER = [c.name for c in DishonestImport.columns]


def import_dishonest(rows, **kwargs):
    return run_import(DishonestImport(), csv_bytes(HEADER, rows), "失信.csv", **kwargs)


def publish_grading(city, serious: dict[int, date]) -> None:
    """A published grading of this year where each enterprise in `serious` has a serious record."""
    shj = city.units["SHJ"]
    shj.grading = shj.enforcement = True
    for enterprise_id, day in serious.items():
        db.session.add(records.EnforcementRecord(enterprise_id=enterprise_id, unit_id=shj.id, date=day,
                                                 outcome="serious", decision_no=f"淄环罚〔{day.year}〕{enterprise_id}号",
                                                 description="超标排放，责令停产整治"))
    db.session.flush()
    grading_round = grading.create_round(local_today().year, grading.DEFAULT_RULES_TOML, user=None)
    for part in grading_round.units:
        grading.submit_rule(grading_round, part, user=None)
    grading.compute(grading_round)
    grading.submit(grading_round, user=None)
    grading.approve(grading_round, user=city.users["leader"])


def propose_all(city, honour_round, indexes):
    return [honours.propose(city.dept("GXJ"), honour_round, city.enterprises[i], name="", post="董事长", deeds="事迹。")
            for i in indexes]


def test_every_exclusion_is_checked_with_its_reason(city, factory):
    e = city.enterprises
    today = local_today()
    last_year = date(today.year - 1, 5, 3)
    publish_grading(city, {e[0].id: last_year})
    records.add_record(enterprise=e[1], unit=city.units["SHJ"], day=today - timedelta(days=10), outcome="serious",
                       decision_no="淄环罚新1号", description="偷排")  # after publication: the grade stays
    import_dishonest([[e[2].credit_code, "（2026）鲁03执317号", "淄博市中级人民法院", (today - timedelta(days=30)).isoformat(),
                       "", "给付货款"],
                      [e[4].credit_code, "（2024）鲁0303执9号", "张店区人民法院", "2024-03-01", "2025-01-10", ""]])
    no_tax = factory.enterprise(name="无税企业", head_name="钱多", tax={2024: "100.00"})
    honour_round = honours.open_round(city.dept("GXJ"), YEAR)
    candidates = propose_all(city, honour_round, range(5))
    candidates.append(honours.propose(city.dept("FGW"), honour_round, no_tax, name="", post="", deeds="事迹。"))
    reasons = [c.reason_list for c in candidates]
    assert reasons[0] == ["免检免扰评级为C类（已公布名单）",
                          f"{last_year.isoformat()} 严重违法：市生态环境局，淄环罚〔{last_year.year}〕{e[0].id}号，超标排放，责令停产整治"]
    assert reasons[1] == [f"{(today - timedelta(days=10)).isoformat()} 严重违法：市生态环境局，淄环罚新1号，偷排"]
    assert reasons[2] == [f"失信被执行人（淄博市中级人民法院 （2026）鲁03执317号，{(today - timedelta(days=30)).isoformat()}列入）"]
    assert reasons[3] == [] and reasons[4] == []  # e[4]'s entry was removed (信用惩戒解除) in 2025
    assert reasons[5] == ["2025年度无地方留成税收（未纳税）"]
    assert [c.status for c in candidates] == ["excluded", "excluded", "excluded", "proposed", "proposed", "excluded"]
    assert grading.published_grade(e[1].id) != "C"


def test_the_dishonest_entry_is_in_force_from_listing_until_removal(city):
    e = city.enterprises[0]
    import_dishonest([[e.credit_code, "（2019）鲁03执1号", "淄博市中级人民法院", "2019-05-01", "2019-12-10", ""]])
    assert flags.flags_for([e.id], date(2019, 4, 30)) == {}
    found = flags.flags_for([e.id], date(2019, 5, 1))[e.id]
    assert found[0].bars_honours and found[0].risk_signal and found[0].label == "失信被执行人"
    assert flags.flags_for([e.id], date(2019, 12, 9))[e.id]
    assert flags.flags_for([e.id], date(2019, 12, 10)) == {}  # removed that day


def test_flags_of_other_modules_that_bar_honours_exclude(city, monkeypatch):
    e = city.enterprises

    def blacklist(ids, on):
        return {e[0].id: [flags.Flag("finrisk.evasion", "evasion", "恶意逃废银行债务", "2026-05 金融监管局认定",
                                     bars_honours=True)],
                e[1].id: [flags.Flag("finrisk.evasion", "watch", "关注类企业", bars_honours=False, risk_signal=True)]}

    monkeypatch.setitem(flags.FLAG_SOURCES, "finrisk.evasion", blacklist)
    honour_round = honours.open_round(city.dept("GXJ"), YEAR)
    first, second = propose_all(city, honour_round, [0, 1])
    assert first.reason_list == ["恶意逃废银行债务（2026-05 金融监管局认定）"]
    assert second.eligible


def test_the_dishonest_import_validates_and_is_idempotent(city):
    e = city.enterprises
    bad = import_dishonest([["91370303MA3C0000X0", "A1", "法院", "2019-05-01", "", ""],
                            [e[0].credit_code, "A2", "法院", "2019-05-01", "2019-04-01", ""],
                            [e[1].credit_code, "A3", "", "2019-05-01", "", ""]])
    assert not bad.applied and {(err.row, err.column) for err in bad.errors} >= {(3, "移出日期"), (4, "执行法院")}
    assert db.session.scalar(select(db.func.count()).select_from(DishonestEntry)) == 0
    rows = [[e[0].credit_code, "（2019）鲁03执1号", "淄博市中级人民法院", "2019-05-01", "", "给付货款"]]
    first = import_dishonest(rows)
    assert (first.created, first.applied) == (1, True)
    again = import_dishonest(rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    rows[0][4] = "2019-12-10"
    assert import_dishonest(rows).updated == 1


def test_the_court_uploads_the_list(city, client):
    login(client, city.users["court"].username)
    page = client.get("/care/honours/dishonest")
    data = csv_bytes(HEADER, [[city.enterprises[0].credit_code, "（2019）鲁03执1号", "淄博市中级人民法院", "2019-05-01", "", ""]])
    import io

    response = client.post("/care/honours/dishonest", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "mode": "all", "file": (io.BytesIO(data), "失信.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200 and "新增 1 条" in response.get_data(as_text=True)
    assert "（2019）鲁03执1号" in client.get("/care/honours/dishonest").get_data(as_text=True)
    logout(client)
    login(client, city.dept("GXJ").username)  # the proposers read it, never upload
    listing = client.get("/care/honours/dishonest").get_data(as_text=True)
    assert "（2019）鲁03执1号" in listing and 'type="file"' not in listing


# -- the round on the web -------------------------------------------------------------------------------
def test_the_list_from_proposal_to_publication_on_the_web(city, client):
    e = city.enterprises
    import_dishonest([[e[2].credit_code, "（2026）鲁03执317号", "淄博市中级人民法院",
                       (local_today() - timedelta(days=30)).isoformat(), "", "给付货款"]])
    honour_round = honours.open_round(city.dept("FGW"), YEAR)
    db.session.commit()
    url = f"/care/honours/rounds/{honour_round.id}"
    login(client, city.dept("GXJ").username)
    for enterprise in e[:3]:
        response = form_post(client, url, {"action": "propose", "c-credit_code": enterprise.credit_code,
                                           "c-post": "董事长", "c-deeds": "带领企业转型升级。"})
        assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "不符合条件" in page and "失信被执行人（淄博市中级人民法院 （2026）鲁03执317号" in page
    bad = form_post(client, url, {"action": "propose", "c-credit_code": "123", "c-deeds": "x"})
    assert bad.status_code == 200 and "统一社会信用代码" in bad.get_data(as_text=True)
    unconfirmed = form_post(client, url, {"action": "submit"})
    assert "请勾选确认" in unconfirmed.get_data(as_text=True)
    assert form_post(client, url, {"action": "submit", "s-confirm": "y"}).status_code == 302
    logout(client)

    # A new 失信 entry between submission and approval: the approval's check excludes that candidate.
    import_dishonest([[e[1].credit_code, "（2026）鲁03执400号", "淄博市中级人民法院", local_today().isoformat(), "", ""]])
    db.session.commit()
    login(client, city.users["leader"].username)
    assert form_post(client, url, {"action": "approve", "a-approve": "1", "a-confirm": "y"}).status_code == 302
    db.session.refresh(honour_round)
    assert honour_round.status == "published" and honour_round.published_on == local_today()
    statuses = {c.enterprise_id: c.status for c in honour_round.candidates}
    assert statuses == {e[0].id: "listed", e[1].id: "excluded", e[2].id: "excluded"}
    logout(client)
    public = client.get(f"/care/honours/list/{YEAR}").get_data(as_text=True)
    assert e[0].name in public and e[1].name not in public and e[2].name not in public
    assert client.get("/care/honours/list").headers["Location"].endswith(f"/care/honours/list/{YEAR}")


def test_who_may_do_what_with_a_round(city):
    with pytest.raises(NotYours):
        honours.open_round(city.dept("RCB"), YEAR)  # 人才办 is not a proposing unit
    honour_round = honours.open_round(city.dept("ZJJ"), YEAR)
    with pytest.raises(honours.HonourError, match="已经建立"):
        honours.open_round(city.dept("FGW"), YEAR)
    propose_all(city, honour_round, [0])
    with pytest.raises(NotYours):
        honours.submit(city.users["leader"], honour_round)
    honours.submit(city.dept("FGW"), honour_round)
    with pytest.raises(honours.HonourError, match="不能再修改"):
        propose_all(city, honour_round, [1])
    with pytest.raises(NotYours):
        honours.approve(city.dept("GXJ"), honour_round, approve_list=True)
    with pytest.raises(honours.HonourError, match="理由"):
        honours.approve(city.users["leader"], honour_round, approve_list=False, note="")
    honours.approve(city.users["leader"], honour_round, approve_list=False, note="请补充事迹材料。")
    assert honour_round.status == "open" and honour_round.return_note == "请补充事迹材料。"


def test_a_round_without_an_eligible_candidate_cannot_be_submitted(city, factory):
    honour_round = honours.open_round(city.dept("GXJ"), YEAR)
    honours.propose(city.dept("GXJ"), honour_round, factory.enterprise(name="无税"), name="某", post="", deeds="x")
    with pytest.raises(honours.HonourError, match="没有符合条件"):
        honours.submit(city.dept("GXJ"), honour_round)


# -- recommendations, meetings, the enterprise's side ----------------------------------------------------
def published(city, indexes=(0, 1, 2)):
    honour_round = honours.open_round(city.dept("GXJ"), YEAR)
    propose_all(city, honour_round, indexes)
    honours.submit(city.dept("GXJ"), honour_round)
    honours.approve(city.users["leader"], honour_round, approve_list=True)
    return honour_round


def test_recommendations_with_the_comprehensive_evaluation(city, client):
    honour_round = published(city)
    first, second = honour_round.candidates[:2]
    with pytest.raises(honours.HonourError, match="人大代表候选人"):
        honours.recommend(city.dept("GXJ"), first, city.units["RDBGS"], "cppcc", ASPECTS, "qualified", "")
    with pytest.raises(honours.HonourError, match="逐项填写"):
        honours.recommend(city.dept("GXJ"), first, city.units["RDBGS"], "npc", {**ASPECTS, "law": " "}, "qualified", "")
    with pytest.raises(honours.HonourError, match="不合格"):
        honours.recommend(city.dept("GXJ"), first, city.units["RDBGS"], "npc", ASPECTS, "unqualified", "")
    with pytest.raises(NotYours):
        honours.recommend(city.dept("RCB"), first, city.units["RDBGS"], "npc", ASPECTS, "qualified", "")
    rec = honours.recommend(city.dept("GXJ"), first, city.units["RDBGS"], "npc", ASPECTS, "qualified", "优先推荐。")
    evaluation = honours.evaluation_of(rec)
    assert set(evaluation["facts"]["tax"].items()) <= {("2024", "500000.00"), ("2025", "600000.00")}  # last 3 years
    assert evaluation["facts"]["eligible"] and evaluation["verdict"] == "qualified"
    with pytest.raises(honours.HonourError, match="已向"):
        honours.recommend(city.users["organization"], first, city.units["RDBGS"], "npc", ASPECTS, "qualified", "")
    # A 失信 entry after publication stops a recommendation on the day.
    import_dishonest([[second.enterprise.credit_code, "（2026）鲁03执9号", "淄博市中级人民法院", local_today().isoformat(), "", ""]])
    with pytest.raises(honours.HonourError, match="失信被执行人"):
        honours.recommend(city.users["organization"], second, city.units["ZXBGS"], "cppcc", ASPECTS, "qualified", "")
    # The receiving unit answers; nobody else may.
    with pytest.raises(NotYours):
        honours.respond(city.dept("ZXBGS"), rec, adopted=True, note="")
    with pytest.raises(honours.HonourError, match="理由"):
        honours.respond(city.dept("RDBGS"), rec, adopted=False, note="")
    honours.respond(city.dept("RDBGS"), rec, adopted=True, note="列入候选人人选。")
    assert rec.status == "adopted"
    db.session.commit()
    login(client, city.dept("RDBGS").username)
    listing = client.get("/care/honours/recommendations").get_data(as_text=True)
    assert first.entrepreneur_name in listing
    page = client.get(f"/care/honours/recommendations/{rec.id}").get_data(as_text=True)
    assert "综合评价合格" in page and "政治表现" in page and "已采纳" in page
    logout(client)
    login(client, city.dept("ZXBGS").username)
    assert client.get(f"/care/honours/recommendations/{rec.id}").status_code == 403


def test_meeting_invitations_and_the_enterprises_reply(city, client):
    honour_round = published(city)
    today = local_today()
    with pytest.raises(NotYours):
        honours.create_meeting(city.dept("WLJ"), kind="economic", title="x", meeting_on=today, place="", seat_note="")
    meeting = honours.create_meeting(city.dept("RDBGS"), kind="npc_standing", title="市人大常委会第十二次会议",
                                     meeting_on=today + timedelta(days=7), place="第一会议室",
                                     seat_note="安排企业家坐在会场的中间位置")
    outsider = HonourCandidate(round_id=honour_round.id, enterprise_id=city.enterprises[5].id, entrepreneur_name="外",
                               proposed_unit_id=city.units["GXJ"].id, deeds="x", status="excluded")
    assert honours.invite(city.dept("RDBGS"), meeting, honour_round.candidates[:2] + [outsider]) == 2
    assert honours.invite(city.dept("RDBGS"), meeting, honour_round.candidates[:1]) == 0  # once per enterprise
    db.session.commit()
    head = city.users["head001"]
    login(client, head.username)
    mine = client.get("/care/honours/mine").get_data(as_text=True)
    assert "市人大常委会第十二次会议" in mine and "会场的中间位置" in mine and f"{YEAR}年度全市优秀企业家" in mine
    invitee = next(i for i in meeting.invitees if i.enterprise_id == head.enterprise_id)
    url = f"/care/honours/invitations/{invitee.id}/reply"
    form_post(client, url, {"accept": "0", "note": ""}, page="/care/honours/mine")
    db.session.refresh(invitee)
    assert invitee.response == "invited"  # declining needs a reason
    form_post(client, url, {"accept": "1", "note": ""}, page="/care/honours/mine")
    db.session.refresh(invitee)
    assert invitee.response == "accepted"
    other = next(i for i in meeting.invitees if i.enterprise_id != head.enterprise_id)
    token = csrf_from(client.get("/care/honours/mine").get_data(as_text=True))
    assert client.post(f"/care/honours/invitations/{other.id}/reply",
                       data={"csrf_token": token, "accept": "1"}).status_code == 403


def test_the_enterprise_page_shows_honours_and_green_channel_status(city, client, app):
    from govsvc.care.views_support import _green_section, _honours_section

    published(city, (0,))
    enterprise = city.enterprises[0]
    with app.test_request_context():
        honour = _honours_section(enterprise, city.users["leader"])
        status = _green_section(enterprise, city.users["leader"])
        assert honour.rows[0] == ("优秀企业家", f"{YEAR}年度（企业家1）")
        assert status.rows == [("绿色通道", f"已纳入（{YEAR}年度优秀企业家 企业家1）"), ("未销号的问题反馈", "0")]
        assert _green_section(city.enterprises[1], city.users["leader"]).rows[0] == ("绿色通道", "未纳入")
        assert _honours_section(enterprise, city.users["head002"]) is None  # another enterprise's head
        assert _honours_section(enterprise, city.users["head001"]).link == "/care/honours/mine"
        assert _honours_section(enterprise, city.dept("WLJ")) is None
    db.session.commit()
    login(client, city.users["leader"].username)
    page = client.get(f"/registry/enterprises/{enterprise.id}").get_data(as_text=True)
    assert "荣誉与参政议政" in page and "优秀企业家绿色通道" in page and "已纳入" in page


def test_the_dishonest_list_imports_from_the_command_line(city, runner, tmp_path):
    path = tmp_path / "失信.csv"
    path.write_bytes(csv_bytes(HEADER, [[city.enterprises[0].credit_code, "（2019）鲁03执1号", "淄博市中级人民法院",
                                         "2019-05-01", "", ""]]))
    result = runner.invoke(args=["import", "dishonest", str(path)])
    assert result.exit_code == 0 and "新增 1" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(HEADER, [["91370303MA3C0000X0", "A", "法院", "2019-05-01", "", ""]]))
    result = runner.invoke(args=["import", "dishonest", str(bad)])
    assert result.exit_code == 2 and "未导入任何数据" in result.output
    assert db.session.scalar(select(db.func.count()).select_from(DishonestEntry)) == 1
