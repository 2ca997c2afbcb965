"""The dashboard panels of the grading, by role."""
from govsvc.extensions import db
from govsvc.grading import matters, records, service
from govsvc.timeutil import local_today
from tests.conftest import logout


def panel_of(client) -> str:
    html = client.get("/").get_data(as_text=True)
    start = html.find("<h2>免检免扰评级</h2>")
    return html[start:html.find("</section>", start)] if start >= 0 else ""


def test_panels_show_each_role_its_work(client, login_as, city, factory):
    enterprise = factory.enterprise()
    city.publish(2026)
    draft = city.new_round(2027)
    records.add_record(enterprise=enterprise, unit=city.units["SHJ"], day=local_today(), outcome="serious")
    matters.file_objection(city.user("evaluator", enterprise=enterprise), "异议")
    db.session.commit()
    login_as("justice", unit=city.justice_unit)
    panel = panel_of(client)
    assert "待处理降级建议</dt><dd>1" in panel and "待答复异议</dt><dd>1" in panel and "待核实投诉</dt><dd>0" in panel
    logout(client)
    login_as("department", unit=city.units["SCJ"])
    assert "待提交本单位评级</dt><dd>2027年度" in panel_of(client)
    logout(client)
    login_as("department", unit=city.units["GAJ"])   # not a grading unit: no panel
    assert panel_of(client) == ""
    logout(client)
    city.all_rule(draft)
    service.compute(draft)
    service.submit(draft, user=None)
    db.session.commit()
    login_as("leader")
    assert "待审定名单</dt><dd>2027年度" in panel_of(client)
    logout(client)
    login_as("evaluator", enterprise=enterprise)
    assert "本企业评级</dt><dd>A 类" in panel_of(client)


def awaiting_of(client) -> str:
    html = client.get("/").get_data(as_text=True)
    start = html.find('id="awaiting"')
    return html[start:html.find("</section>", start)] if start >= 0 else ""


def test_leader_dashboard_lists_what_waits_for_approval(client, login_as, city):
    """Issue 10 (16): a round submitted for approval is listed under 等待您审定 with a link to it,
    above everything else; with nothing waiting the leader reads that nothing waits."""
    login_as("leader")
    assert "暂无等待您审定的事项" in awaiting_of(client)
    logout(client)
    grading_round = city.new_round(2027)
    city.all_rule(grading_round)
    service.compute(grading_round)
    service.submit(grading_round, user=None)
    db.session.commit()
    login_as("leader")
    waiting = awaiting_of(client)
    assert "等待您审定" in waiting and "暂无" not in waiting
    assert f'<a href="/grading/rounds/{grading_round.id}">2027 年度免检免扰评级名单（已报审定）</a>' in waiting
    logout(client)
    login_as("justice", unit=city.justice_unit)  # not an approver: no such section
    assert awaiting_of(client) == ""
