"""Grading pages: who may see what, the web flow from round to public list, the enterprise
head's pages, exports and charts."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from govsvc.auth.roles import ALL_ROLES
from govsvc.extensions import db
from govsvc.grading import matters, service
from govsvc.grading.models import Complaint, GradingRound, Objection
from govsvc.ledger.models import Matter
from tests.conftest import confirm_page, form_post, login, logout


@pytest.fixture
def scene(city, factory):
    """A published 2026 grading of two enterprises (one C), a draft 2027 round, an objection."""
    good = factory.enterprise(name="清泉精密机械有限公司", district="张店区")
    bad = factory.enterprise(name="浊流化工有限公司", district="临淄区", industry="服务业")
    city.record(bad, "SHJ", "2024-08-08", "serious", decision_no="淄环罚〔2024〕8号")
    published = city.publish(2026)
    draft = city.new_round(2027)
    head = city.user("evaluator", enterprise=bad, username="head-bad")
    other_head = city.user("evaluator", enterprise=good, username="head-good")
    objection = matters.file_objection(head, "请重新核实。")
    complaint = matters.file_complaint(head, city.units["SCJ"].id, "A类企业被检查。")
    db.session.commit()
    return {"published": published, "draft": draft, "good": good, "bad": bad, "head": head, "other_head": other_head,
            "objection": objection, "complaint": complaint}


def urls(s):
    p, d, bad = s["published"].id, s["draft"].id, s["bad"].id
    return {
        "/grading/": {"justice", "leader", "department"},
        f"/grading/rounds/{p}": {"justice", "leader", "department"},
        "/grading/rounds/new": {"justice"},
        f"/grading/rounds/{d}/rules": {"justice"},
        f"/grading/rounds/{p}/results": {"justice", "leader"},
        f"/grading/rounds/{p}/results/{bad}": {"justice", "leader"},
        f"/grading/rounds/{p}/chart/district.svg": {"justice", "leader"},
        "/grading/records": {"justice", "department", "admin"},
        "/grading/records/import": {"justice", "department"},
        "/grading/proposals": {"justice"},
        "/grading/objections": {"justice"},
        f"/grading/objections/{s['objection'].id}": {"justice"},
        "/grading/complaints": {"justice"},
        f"/grading/complaints/{s['complaint'].id}": {"justice"},
        "/grading/circulars": {"justice", "leader", "department", "discipline", "admin"},
        "/grading/my": {"evaluator", "enterprise"},
        "/grading/my/objections": {"evaluator", "enterprise"},
        "/grading/my/objections/new": {"evaluator", "enterprise"},
        "/grading/my/complaints": {"evaluator", "enterprise"},
        "/grading/my/complaints/new": {"evaluator", "enterprise"},
        "/grading/public": set(ALL_ROLES),
    }


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_sees_exactly_its_grading_pages(client, login_as, scene, role):
    login_as(role)
    for path, allowed in urls(scene).items():
        status = client.get(path).status_code
        assert status == (200 if role in allowed else 403), (role, path, status)


def test_anonymous_visitors_see_only_the_public_list(client, scene):
    for path in urls(scene):
        status = client.get(path).status_code
        assert status == (200 if path == "/grading/public" else 302), (path, status)


def test_public_list_search_filter_and_export(client, scene):
    html = client.get("/grading/public").get_data(as_text=True)
    assert "2026 年度" in html and "清泉精密机械有限公司" in html and "浊流化工有限公司" in html
    assert "淄环罚" not in html  # reasons are not on the public list
    by_name = client.get("/grading/public?q=清泉").get_data(as_text=True)
    assert "清泉精密机械有限公司" in by_name and "浊流化工有限公司" not in by_name
    by_code = client.get(f"/grading/public?q={scene['bad'].credit_code}").get_data(as_text=True)
    assert "浊流化工有限公司" in by_code and "清泉精密机械有限公司" not in by_code
    assert "清泉" not in client.get("/grading/public?grade=C").get_data(as_text=True).split("<tbody>")[1]
    exported = client.get("/grading/public?format=csv").get_data(as_text=True)
    assert exported.lstrip("\ufeff").splitlines()[0] == "统一社会信用代码,企业名称,区县,行业,评级"
    assert f"{scene['bad'].credit_code},浊流化工有限公司,临淄区,服务业,C" in exported
    book = load_workbook(io.BytesIO(client.get("/grading/public?format=xlsx").data))
    assert book.active.max_row == 3
    svg = client.get("/grading/public/2026/chart/district.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and "临淄区" in svg.get_data(as_text=True)
    png = client.get("/grading/public/2026/chart/movement.svg?format=png")
    assert png.mimetype == "image/png" and png.data[:4] == b"\x89PNG"


def test_an_unpublished_grading_is_invisible_to_the_public(client, scene, city, factory):
    assert client.get("/grading/public?year=2027").status_code == 404
    assert client.get("/grading/public/2027/chart/district.svg").status_code == 404
    assert client.get("/grading/public/2027/chart/district.svg?format=png").status_code == 404
    draft = scene["draft"]
    city.all_rule(draft)
    service.compute(draft)
    service.submit(draft, user=None)
    db.session.commit()
    assert client.get("/grading/public?year=2027").status_code == 404   # computed and submitted: still private
    html = client.get("/grading/public").get_data(as_text=True)
    assert "2026 年度" in html and "2027 年度" not in html


def test_public_page_before_any_publication(client, app, factory):
    html = client.get("/grading/public").get_data(as_text=True)
    assert "尚未公布评级名单" in html


def test_web_flow_from_round_to_publication(client, city, factory):
    enterprise = factory.enterprise(name="示范制造有限公司")
    city.record(enterprise, "SCJ", "2024-01-01", "serious")
    justice = city.justice()
    leader = city.leader()
    db.session.commit()
    login(client, justice.username)
    response = form_post(client, "/grading/rounds/new", {"year": "2026", "note": ""})
    assert response.status_code == 302
    grading_round = db.session.scalar(select(GradingRound))
    page = f"/grading/rounds/{grading_round.id}"
    again = form_post(client, "/grading/rounds/new", {"year": "2026"})
    assert "2026 年度的评级已经存在" in again.get_data(as_text=True)
    # Rules: a bad combination is refused next to the form, nothing saved.
    rules = {"c_serious": "1", "c_minor": "2", "b_minor": "3", "c_when_b_units": "0"}
    response = form_post(client, page + "/rules", rules)
    assert "b_minor（3）不能大于 c_minor（2）" in response.get_data(as_text=True)
    response = form_post(client, page + "/rules", {**rules, "b_minor": "1", "units-4-code": "SCJ", "units-4-c_minor": "5"})
    assert response.status_code == 302
    db.session.expire_all()
    assert "[units.SCJ]\nc_minor = 5" in grading_round.rules_toml
    assert "c_minor = 2" in grading_round.rules_toml
    # Compute waits for the units; justice confirms the rule for each.
    form_post(client, page + "/compute", {}, page=page)
    db.session.expire_all()
    assert grading_round.status == "draft"
    for part in grading_round.units:
        unit_page = f"{page}/units/{part.unit_id}"
        assert form_post(client, unit_page + "/rule", {}, page=unit_page).status_code == 302
    response = form_post(client, page + "/compute", {}, page=page, follow_redirects=True)
    assert "综合评定完成：A 类 0 家，B 类 0 家，C 类 1 家" in response.get_data(as_text=True)
    # Adjustment without a reason: refused beside the field, the choice kept.
    result_page = f"{page}/results/{enterprise.id}"
    response = form_post(client, result_page, {"grade": "B", "reason": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "调整评级必须填写理由" in html and '<option selected value="B">' in html
    db.session.expire_all()
    assert service.result_of(grading_round, enterprise.id).grade == "C"
    assert form_post(client, result_page, {"grade": "B", "reason": "整改到位"}).status_code == 302
    assert form_post(client, page + "/submit", {}, page=page).status_code == 302
    # The leader may not be bypassed: justice cannot approve.
    assert form_post(client, page + "/approve", {}, page=page).status_code == 403
    assert client.get("/grading/public").get_data(as_text=True).count("示范制造有限公司") == 0
    logout(client)
    login(client, leader.username)
    response = form_post(client, page + "/return", {"note": ""}, page=page)
    assert "退回必须说明理由" in response.get_data(as_text=True)
    # issue 10 item 11: approving publishes for good, so the server asks first and writes nothing
    fields = confirm_page(form_post(client, page + "/approve", {}, page=page))
    db.session.expire_all()
    assert grading_round.status == "submitted" and grading_round.published_at is None
    assert client.get("/grading/public").get_data(as_text=True).count("示范制造有限公司") == 0
    response = client.post(page + "/approve", data=fields, follow_redirects=True)
    assert "已审定，并已向社会公布" in response.get_data(as_text=True)
    public = client.get("/grading/public").get_data(as_text=True)
    assert "示范制造有限公司" in public and 'grade-b' in public


def test_the_enterprise_head_sees_own_grade_units_and_reason(client, scene, city):
    login(client, "head-bad")
    html = client.get("/grading/my").get_data(as_text=True)
    assert "2026 年度：C 类" in html and "市SHJ局" in html and "淄环罚〔2024〕8号" in html
    assert "清泉精密机械有限公司" not in html
    assert "请重新核实" not in html  # the list shows states, details are one click away
    assert "第 %d 号" % scene["objection"].id in html
    # Filing: an empty objection is refused beside the field; the second open one is refused too.
    response = form_post(client, "/grading/my/objections/new", {"unit": "", "text": ""})
    assert "请填写异议内容" in response.get_data(as_text=True)
    response = form_post(client, "/grading/my/objections/new", {"unit": "", "text": "另一条异议"})
    assert "正在办理中" in response.get_data(as_text=True) and "另一条异议" in response.get_data(as_text=True)
    own = client.get(f"/grading/my/objections/{scene['objection'].id}").get_data(as_text=True)
    assert "请重新核实" in own and "尚未答复" in own
    assert client.get("/ledger/").status_code == 403
    assert client.get(f"/ledger/{scene['objection'].matter_id}").status_code == 403


def test_an_enterprise_head_never_sees_another_enterprises_matters(client, scene):
    login(client, "head-good")
    assert client.get(f"/grading/my/objections/{scene['objection'].id}").status_code == 404
    assert client.get(f"/grading/my/complaints/{scene['complaint'].id}").status_code == 404
    listing = client.get("/grading/my/objections").get_data(as_text=True)
    assert "共 0 条" in listing
    exported = client.get("/grading/my/complaints?format=csv").get_data(as_text=True)
    assert "A类企业被检查" not in exported
    html = client.get("/grading/my").get_data(as_text=True)
    assert "2026 年度：A 类" in html and "浊流化工" not in html


def test_objection_answered_on_the_web_reaches_the_enterprise(client, scene, city):
    justice = city.justice()
    db.session.commit()
    login(client, justice.username)
    page = f"/grading/objections/{scene['objection'].id}"
    response = form_post(client, page, {"decision": "rejected", "answer": "", "new_grade": ""})
    assert "请填写答复意见" in response.get_data(as_text=True)
    response = form_post(client, page, {"decision": "rejected", "answer": "处罚决定仍然有效，维持C类。", "new_grade": ""})
    assert response.status_code == 302
    logout(client)
    login(client, "head-bad")
    html = client.get(f"/grading/my/objections/{scene['objection'].id}").get_data(as_text=True)
    assert "异议不成立" in html and "处罚决定仍然有效" in html
    db.session.expire_all()
    assert db.session.get(Objection, scene["objection"].id).matter.status == "feedback_given"


def test_complaint_on_the_web_from_filing_to_referral(client, scene, city):
    login(client, "head-bad")
    response = form_post(client, "/grading/my/complaints/new", {"unit": "", "text": "检查太多"})
    assert "请选择被投诉单位" in response.get_data(as_text=True)
    response = form_post(client, "/grading/my/complaints/new",
                         {"unit": str(city.units["SCJ"].id), "inspection_date": "2026-11-01", "text": "本月被检查三次。"})
    assert response.status_code == 302
    complaint = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first()
    logout(client)
    justice = city.justice()
    db.session.commit()
    login(client, justice.username)
    page = f"/grading/complaints/{complaint.id}"
    assert form_post(client, page + "/verify", {"finding": "upheld", "text": "属实。"}, page=page).status_code == 302
    assert form_post(client, page + "/circulate", {"text": "通报批评市SCJ局。"}, page=page).status_code == 302
    assert form_post(client, page + "/refer", {"note": "情节严重"}, page=page).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "移交市纪委市监委" in html
    clue = db.session.scalar(select(Matter).where(Matter.module == "integrity"))
    assert client.get(f"/ledger/{clue.id}").status_code == 403   # justice cannot see it after referral
    assert "通报批评市SCJ局" in client.get("/grading/circulars").get_data(as_text=True)
    logout(client)
    login(client, "head-bad")
    html = client.get(f"/grading/my/complaints/{complaint.id}").get_data(as_text=True)
    assert "投诉属实" in html and "通报批评" in html and "已移交市纪委市监委" in html


def test_staff_charts_show_unpublished_results_to_staff_only(client, scene, city, login_as):
    draft = scene["draft"]
    city.all_rule(draft)
    service.compute(draft)
    db.session.commit()
    login_as("leader")
    svg = client.get(f"/grading/rounds/{draft.id}/chart/movement.svg").get_data(as_text=True)
    assert "2027 年度评级变化" in svg and "上年C类" in svg
    assert client.get(f"/grading/rounds/{draft.id}/chart/nope.svg").status_code == 404


def test_the_public_list_pages_by_key_through_every_enterprise_once(client, city, factory, app):
    """下一页 and 上一页 walk the whole list by key (no offset, no COUNT): every graded enterprise
    appears exactly once going forward, going back gives the pages again, and a made-up position
    is a page with a way back to the start, never an error."""
    import re

    names = [factory.enterprise(name=f"翻页测试企业{i:02d}有限公司").name for i in range(11)]
    city.publish(2026)
    db.session.commit()
    app.config["PAGE_SIZE"] = 4
    seen, pages, url = [], [], "/grading/public"
    while url:
        html = client.get(url).get_data(as_text=True)
        assert "共 11 条" in html
        pages.append(re.findall(r"翻页测试企业\d\d有限公司", html))
        seen += pages[-1]
        found = re.search(r'<a href="([^"]+)" rel="next"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
        if url:
            assert "page=" not in url and "after=" in url
    assert sorted(seen) == sorted(names) and len(seen) == 11
    assert [len(p) for p in pages] == [4, 4, 3]
    # back from the third page: 上一页 gives the second page again
    html = client.get("/grading/public").get_data(as_text=True)
    second = client.get(re.search(r'<a href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&"))
    third = client.get(re.search(r'<a href="([^"]+)" rel="next"', second.get_data(as_text=True)).group(1)
                       .replace("&amp;", "&")).get_data(as_text=True)
    back = re.search(r'<a href="([^"]+)" rel="prev"', third).group(1).replace("&amp;", "&")
    assert "before=" in back
    assert re.findall(r"翻页测试企业\d\d有限公司", client.get(back).get_data(as_text=True)) == pages[1]
    # filters keep their own positions; a bad or stale position is no error
    for bad in ("after=abc", "after=99999999999999999999", "before=-1", "after=999999999"):
        response = client.get(f"/grading/public?{bad}")
        assert response.status_code == 200, bad
    assert "第一页" in client.get("/grading/public?after=999999999").get_data(as_text=True)


def test_the_public_counts_follow_a_grade_change_at_once(client, scene, city):
    """The A/B/C counts are kept per round, but a change of a grade after publication shows on
    the next request (the cache is keyed by the round's latest change)."""
    import re

    def counts():
        html = client.get("/grading/public").get_data(as_text=True)
        return {g: int(n) for g, n in re.findall(r'<dd class="grade-(\w)">(\d+)</dd>', html)}

    before = counts()
    assert before == {"a": 1, "b": 0, "c": 1}
    result = service.result_of(scene["published"], scene["bad"].id)
    service.change_grade(result, "B", kind="objection", reason="异议成立，予以更正。", user=city.user("justice"))
    db.session.commit()
    assert counts() == {"a": 1, "b": 1, "c": 0}


def test_public_files_follow_filters_and_every_grade_change(client, scene, factory):
    """The public CSV/XLSX are kept per worker between requests (service.public_file): a grade
    changed after publication shows in the next download at once, each filter has its own file,
    and a search's file holds only its matches."""
    def csv_rows(query=""):
        text = client.get(f"/grading/public?format=csv{query}").get_data(as_text=True)
        return text.lstrip("\ufeff").splitlines()[1:]

    bad, good = scene["bad"], scene["good"]
    assert csv_rows() == csv_rows()  # the second answer is the kept file
    assert [r.split(",")[1] for r in csv_rows("&grade=C")] == ["浊流化工有限公司"]
    assert [r.split(",")[1] for r in csv_rows("&q=清泉")] == ["清泉精密机械有限公司"]
    user = factory.user("justice")
    service.change_grade(service.result_of(scene["published"], bad.id), "B", kind="adjust",
                         reason="复核后调整", user=user)
    db.session.commit()
    assert f"{bad.credit_code},浊流化工有限公司,临淄区,服务业,B" in csv_rows()
    assert csv_rows("&grade=C") == []
    book = load_workbook(io.BytesIO(client.get("/grading/public?format=xlsx&grade=B").data))
    assert [row[1] for row in book.active.iter_rows(min_row=2, values_only=True)] == ["浊流化工有限公司"]
    assert good.credit_code not in "".join(csv_rows("&grade=B"))
