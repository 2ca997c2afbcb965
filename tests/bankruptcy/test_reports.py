"""Progress circulars (numbered, one per period, content frozen), typical cases (anonymised before
publication, public page), the yearly report per unit, the rule page and the overview."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from govsvc.bankruptcy import access, cases, directory, letters, meetings, reports
from govsvc.bankruptcy.models_cases import ProgressCircular
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter, MatterEvent
from govsvc.timeutil import local_today
from tests.conftest import form_post, login, logout


def _major_case(world, **figures):
    case = cases.register_case(world.court, enterprise=world.debtor, court=world.court_row, procedure="reorganization",
                               figures={"employees": 1200, **figures})
    cases.record_plan(world.court, case, {"stability": "维稳", "employees": "安置"})
    cases.accept_case(world.court, case, case_number="（2026）鲁03破2号", accepted_on=local_today(), confirm=True)
    return case


def test_circular_is_numbered_once_per_period_and_frozen(world):
    case = _major_case(world)
    year = local_today().year
    with pytest.raises(access.NotAllowed):
        reports.issue_circular(world.court, str(year), confirm=True)
    with pytest.raises(access.ServiceError, match="勾选确认"):
        reports.issue_circular(world.office, str(year), confirm=False)
    circular = reports.issue_circular(world.office, str(year), confirm=True)
    assert circular.number == f"府院通报〔{year}〕1号" and circular.period == str(year)
    data = reports.circular_data(circular)
    (row,) = data["cases"]
    assert row["case_id"] == case.id and row["stage"] == "已受理" and row["risk"] == "高风险"
    assert [p["stage"] for p in row["progress"]] == ["受理前预警评估", "受理前预警评估", "已受理"]
    with pytest.raises(access.ServiceError, match="已印发"):
        reports.issue_circular(world.office, f"{year}年", confirm=True)
    cases.advance(world.court, case, stage="claims", on=local_today(), note="债权申报")
    assert len(reports.circular_data(db.session.get(ProgressCircular, circular.id))["cases"][0]["progress"]) == 3  # frozen
    with pytest.raises(access.ServiceError, match="尚未开始"):
        reports.issue_circular(world.office, str(year + 1), confirm=True)
    with pytest.raises(access.ServiceError, match="报送期间"):
        reports.issue_circular(world.office, "下个月", confirm=True)


def test_typical_case_must_be_anonymised_before_publication(world):
    case = _major_case(world)
    fields = {"title": "淄博某化工有限公司重整案", "procedure": "reorganization",
              "summary": "某化工有限公司（法定代表人张三）因互保陷入困境。", "practice": "府院联动，先行垫付职工工资。"}
    typical = reports.save_typical(world.court, fields, case=case)
    assert reports.anonymity_problems(fields, case) == ["淄博某化工有限公司", "张三", "某化工"]
    with pytest.raises(access.ServiceError, match="可识别信息"):
        reports.publish_typical(world.court, typical, confirm=True)
    clean = {**fields, "title": "一家化工企业破产重整案", "summary": "一家化工企业因互保陷入困境。"}
    reports.save_typical(world.court, clean, typical=typical)
    with pytest.raises(access.ServiceError, match="勾选确认"):
        reports.publish_typical(world.court, typical, confirm=False)
    reports.publish_typical(world.court, typical, confirm=True)
    assert typical.status == "published" and typical.published_on == local_today()
    with pytest.raises(access.ServiceError, match="不能修改"):
        reports.save_typical(world.court, clean, typical=typical)
    with pytest.raises(access.NotAllowed):
        reports.save_typical(world.rsj_user, clean)


def test_public_typical_pages_show_only_published_cases(client, world):
    draft = reports.save_typical(world.court, {"title": "草稿案例", "procedure": "liquidation", "summary": "案情",
                                               "practice": "做法"})
    published = reports.save_typical(world.court, {"title": "某纺织企业清算案", "procedure": "liquidation",
                                                   "summary": "案情", "practice": "做法"})
    reports.publish_typical(world.court, published, confirm=True)
    db.session.commit()
    listing = client.get("/bankruptcy/public/typical").get_data(as_text=True)
    assert "某纺织企业清算案" in listing and "草稿案例" not in listing
    assert client.get(f"/bankruptcy/public/typical/{published.id}").status_code == 200
    assert client.get(f"/bankruptcy/public/typical/{draft.id}").status_code == 404


def test_yearly_report_per_unit(world):
    year = local_today().year
    first = date(year, 1, 5)
    on_time = letters.issue(world.office, to_unit=world.rsj, subject="函1", body="请办", confirm=True, today=first)
    late = letters.issue(world.office, to_unit=world.rsj, subject="函2", body="请办", confirm=True, today=first)
    overdue = letters.issue(world.office, to_unit=world.swj, subject="函3", body="请办", confirm=True, today=first)
    letters.reply(world.rsj_user, on_time, "已办", confirm=True, today=first + timedelta(days=3))
    letters.reply(world.rsj_user, late, "已办", confirm=True, today=first + timedelta(days=30))
    meeting = meetings.create_meeting(world.office, tier="joint", title="联席会议", planned_on=local_today())
    meetings.record_held(world.office, meeting, held_on=local_today(), attendees="", minutes="纪要")
    decision = meetings.add_decision(world.office, meeting, "部署任务",
                                     [meetings.TaskInput(world.rsj, local_today(), "任务")])
    (task,) = db.session.scalars(db.select(Matter).where(Matter.kind == "task")).all()
    ledger.move(task, workflow.IN_PROGRESS, user=None)
    ledger.move(task, workflow.CONCLUDED, user=None, note="完成")
    rows = {r["unit"].code: r for r in reports.unit_year_report(year, today=date(year, 12, 31))}
    rsj, swj = rows["RSJ"], rows["SWJ"]
    assert (rsj["letters"].received, rsj["letters"].on_time, rsj["letters"].late) == (2, 1, 1)
    assert (rsj["tasks"].received, rsj["tasks"].on_time) == (1, 1)
    assert rsj["total"].on_time_rate == Decimal("66.7")
    assert (swj["letters"].overdue, swj["total"].on_time_rate) == (1, 0)
    assert rows["SCJ"]["total"].received == 0  # members with nothing received are listed
    assert list(rows)[0] in ("RSJ", "SWJ")  # units with late or overdue items first
    assert decision and overdue


def test_task_done_after_its_deadline_counts_late(world):
    meeting = meetings.create_meeting(world.office, tier="joint", title="联席会议", planned_on=local_today())
    meetings.record_held(world.office, meeting, held_on=local_today(), attendees="", minutes="纪要")
    meetings.add_decision(world.office, meeting, "部署任务", [meetings.TaskInput(world.swj, local_today(), "任务")])
    task = db.session.scalar(db.select(Matter).where(Matter.kind == "task"))
    task.deadline = local_today() - timedelta(days=3)
    ledger.move(task, workflow.IN_PROGRESS, user=None)
    ledger.move(task, workflow.CONCLUDED, user=None, note="完成")
    row = {r["unit"].code: r for r in reports.unit_year_report(local_today().year)}["SWJ"]
    assert (row["tasks"].late, row["tasks"].on_time) == (1, 0)
    assert db.session.scalar(db.select(db.func.count()).select_from(MatterEvent)) > 0


def test_rules_page_shows_and_changes_the_written_rule(client, world):
    login(client, "court")
    html = client.get("/bankruptcy/rules").get_data(as_text=True)
    assert "≥300人得20分" in html and "单项≥1000人即为高风险" in html and "修改规则" in html
    assert form_post(client, "/bankruptcy/rules", {"rules": "x", "confirm": "y"}).status_code == 403  # not the office
    logout(client)
    login(client, "regulator")
    bad = form_post(client, "/bankruptcy/rules", {"rules": "[levels]\nmedium = 1\n", "confirm": "y"})
    assert "medium 和 high" in bad.get_data(as_text=True)
    text = "[levels]\nmedium = 10\nhigh = 20\n[factors.employees]\nbands = [[10, 10], [20, 20]]\n"
    assert form_post(client, "/bankruptcy/rules", {"rules": text, "confirm": "y"}).status_code == 302
    assert directory.risk_rules().high == 20
    case = cases.register_case(world.court, enterprise=world.debtor, court=world.court_row, procedure="liquidation",
                               figures={"employees": 20})
    assert case.risk_level == "high"


def test_overview_shows_the_calendar_and_waiting_work(client, world):
    letters.issue(world.office, to_unit=world.rsj, subject="关于职工安置的函", body="请办", confirm=True)
    db.session.commit()
    login(client, "dept-rsj")
    html = client.get("/bankruptcy/").get_data(as_text=True)
    assert "会议日历" in html and "逾期未召开" in html and "关于职工安置的函" in html
    dashboard = client.get("/").get_data(as_text=True)
    assert "企业破产处置府院联动" in dashboard and "待函复函件" in dashboard


ODD = ["²", "9" * 30, "-1", "\x00", "x"]
ARGS = ("page", "q", "year", "status", "kind", "period", "state", "tier", "stage", "procedure", "risk", "major",
        "matter_type", "overdue", "district", "scope", "preview", "matter", "case", "credit_code", "format")


def test_odd_query_arguments_on_every_page(app, client, factory, world):
    """Every parameterless page of the module with every filter argument odd at once: a page or a
    refusal, never a 500 (the shared query fuzz samples only a few of these pages)."""
    user = factory.user("court", "finance-regulator", "leader", "admin", "department", unit=world.jrj)
    db.session.commit()
    login(client, user.username)
    urls = sorted(r.rule for r in app.url_map.iter_rules()
                  if r.endpoint.startswith("bankruptcy.") and "GET" in r.methods and not r.arguments)
    assert len(urls) > 20
    for value in ODD:
        for url in urls:
            response = client.get(url, query_string={name: value for name in ARGS if name != "format"})
            assert response.status_code != 500, (url, value)


def test_a_past_periods_circular_lists_the_major_cases_applied_for_by_its_end(world, factory):
    today = local_today()
    last_quarter_end = meetings.core.period_of(today, 3)[0] - timedelta(days=1)
    period = f"{last_quarter_end.year}-Q{(last_quarter_end.month - 1) // 3 + 1}"
    old = cases.register_case(world.court, enterprise=world.debtor, court=world.court_row, procedure="liquidation",
                              applied_on=last_quarter_end - timedelta(days=10), figures={"opinion": 3})
    cases.register_case(world.court, enterprise=factory.enterprise(), court=world.court_row, procedure="liquidation",
                        applied_on=today, figures={"opinion": 3})  # applied for after the period
    circular = reports.issue_circular(world.office, period, confirm=True)
    assert [c["case_id"] for c in reports.circular_data(circular)["cases"]] == [old.id]
