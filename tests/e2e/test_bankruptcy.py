"""Bankruptcy coordination in a real browser against the demo server: a case from the
pre-acceptance warning to acceptance (refused until the high-risk case has a disposal plan), a
matter from a 业务会议 escalated through the 专题会议 to the 联席会议, settled there and closed out
with its task, and a 函告 answered late and flagged (and circulated), on a phone."""
import re

from tests.e2e.conftest import log_in, shot


def _logout(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def test_case_from_warning_to_acceptance(page, live_server):
    log_in(page, live_server, "court")
    page.goto(live_server + "/bankruptcy/lists?kind=tax_arrears")
    code = page.locator("table tbody tr .mono").first.text_content().strip()
    page.goto(live_server + "/bankruptcy/cases/new")
    page.get_by_label("债务人统一社会信用代码").fill(code)
    page.get_by_label("程序类型").select_option("reorganization")
    page.get_by_label("职工人数").fill("1200")
    page.get_by_label("负债总额（元）").fill("300000000")
    page.get_by_role("button", name="登记并评估").click()
    page.wait_for_load_state()
    assert page.get_by_text("高风险案件：受理前须制定处置方案。").is_visible()
    assert page.get_by_text("单项高风险").first.is_visible()
    shot(page, "bankruptcy-case-warning")

    accept = page.locator("#decide")
    accept.get_by_label("案号").fill("（2026）鲁03破88号")
    accept.get_by_label("我已核对风险评估和处置方案，确认受理（不能退回预警阶段）").check()
    accept.get_by_role("button", name="受理").click()
    page.wait_for_load_state()
    assert page.get_by_text("该案件经评估为高风险，受理前须制定处置方案（风险评估机制）。").is_visible()

    plan = page.locator("#plan")
    plan.get_by_label("维稳与信访化解措施").fill("属地政府成立维稳专班，做好信访化解。")
    plan.get_by_label("职工安置方案").fill("人社局指导职工安置，优先清偿职工工资。")
    plan.get_by_role("button", name="保存处置方案").click()
    page.wait_for_load_state()
    assert page.get_by_text("处置方案已保存。").is_visible()

    accept = page.locator("#decide")
    accept.get_by_label("案号").fill("（2026）鲁03破88号")
    accept.get_by_label("我已核对风险评估和处置方案，确认受理（不能退回预警阶段）").check()
    accept.get_by_role("button", name="受理").click()
    page.wait_for_load_state()
    assert page.get_by_text("案件已受理。").is_visible()
    assert page.locator(".page-head .badge").first.text_content() == "已受理"
    assert page.get_by_text("（2026）鲁03破88号").first.is_visible()
    shot(page, "bankruptcy-case-accepted")


def _record_held(page, minutes):
    section = page.locator("#minutes")
    if not section.locator("textarea").first.is_visible():
        section.locator("summary").click()
    section.get_by_label("会议纪要").fill(minutes)
    section.get_by_role("button", name="保存").click()
    page.wait_for_load_state()


def _outcome(page, title, outcome, note="", decision="", task=None):
    item = page.locator("article.bk-item", has_text=title)
    item.locator("summary", has_text="记录研究结果").click()
    item.get_by_label(outcome, exact=True).check()
    if note:
        item.get_by_label("说明", exact=True).fill(note)
    if decision:
        item.get_by_label("议定事项", exact=True).fill(decision)
    if task:
        row = item.locator(".bk-task-row").first
        row.get_by_label("承办单位代码").fill(task[0])
        row.get_by_label("完成期限").fill(task[1])
        row.get_by_label("任务内容").fill(task[2])
    item.get_by_label("确认记录研究结果（记录后不能修改；提交上一级会议后本级事项随即结束）").check()
    item.get_by_role("button", name="保存研究结果").click()
    page.wait_for_load_state()


def _add_to_agenda(page, title):
    select = page.get_by_label("待研究的协调事项")
    select.select_option(select.locator("option", has_text=title).first.get_attribute("value"))
    page.get_by_role("button", name="列入议程").click()
    page.wait_for_load_state()


def _act(page, action, note="", confirm=False):
    page.get_by_label("办理操作").select_option(label=action)
    if note:
        page.locator("form").filter(has=page.get_by_label("办理操作")).get_by_label("说明").fill(note)
    if confirm:
        page.get_by_label("我已核对，确认办结或销号（不能撤回）").check()
    page.get_by_role("button", name="确认", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text(f"{action}，已完成。").is_visible(), page.url


def test_matter_escalated_from_business_to_joint_meeting_and_closed(page, live_server):
    title = "破产企业厂房无证影响资产处置"
    log_in(page, live_server, "regulator")
    page.goto(live_server + "/bankruptcy/meetings")
    page.get_by_role("link", name="资产处置业务会议").click()
    page.wait_for_load_state()
    _record_held(page, "自然资源、住建和不动产登记中心未能就补办路径达成一致。")
    _outcome(page, title, "提交上一级会议", note="补办涉及规划调整，需专题会议研究")
    assert page.get_by_text("提交上一级会议").first.is_visible()

    page.goto(live_server + "/bankruptcy/meetings")
    page.get_by_role("link", name="资产处置专题会议（筹备）").click()
    page.wait_for_load_state()
    _add_to_agenda(page, title)
    _record_held(page, "涉及城市规划调整，提请联席会议决策。")
    _outcome(page, title, "提交上一级会议", note="涉及规划调整，需联席会议决策")

    page.goto(live_server + "/bankruptcy/meetings/new?tier=joint")
    page.get_by_label("会议名称").fill("资产处置临时联席会议")
    page.get_by_label("召开日期").fill(page.evaluate("new Date(Date.now() + 8*3600e3).toISOString().slice(0, 10)"))
    page.get_by_role("button", name="创建会议").click()
    page.wait_for_load_state()
    _add_to_agenda(page, title)
    _record_held(page, "同意容缺办理不动产登记。")
    _outcome(page, title, "议定", decision="由自然资源和规划局容缺办理不动产登记",
             task=("ZRJ", "2099-01-31", "容缺办理厂房不动产登记"))
    issue = page.locator("form", has=page.get_by_role("button", name="印发纪要"))
    issue.get_by_label("我已核对纪要和议定事项，确认印发（编号后不能修改）").check()
    issue.get_by_role("button", name="印发纪要").click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile(r"会议纪要已印发：府院纪要〔\d{4}〕\d+号")).is_visible()
    page.locator("article.bk-item", has_text=title).get_by_role("link", name=re.compile(title)).click()
    page.wait_for_load_state()
    matter_url = page.url
    path = page.locator("#path")
    assert [t.strip() for t in path.locator("li > p > strong:first-child").all_text_contents()] == [
        "业务会议", "专题会议", "联席会议"]
    task_link = page.get_by_role("link", name=re.compile(r"任务 #\d+"))
    task_url = live_server + task_link.get_attribute("href")
    shot(page, "bankruptcy-matter-path")
    _logout(page)

    log_in(page, live_server, "dept-zrj")
    page.goto(task_url)
    _act(page, "开始办理")
    _act(page, "办结", note="已容缺办理不动产登记。", confirm=True)
    page.goto(matter_url)
    _act(page, "开始办理")
    _act(page, "办结", note="厂房登记已办结，资产可以处置。", confirm=True)
    _logout(page)

    log_in(page, live_server, "regulator")
    page.goto(matter_url)
    _act(page, "反馈意见", note="收悉。")
    page.get_by_label("办理操作").select_option(label="销号")
    page.get_by_label("我已核对，确认办结或销号（不能撤回）").check()
    page.get_by_role("button", name="确认", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("尚有未销号的任务或函件，不能销号").is_visible()  # the task comes first
    page.goto(task_url)
    _act(page, "反馈意见", note="收悉。")
    _act(page, "销号", confirm=True)
    page.goto(matter_url)
    _act(page, "销号", confirm=True)
    assert page.locator(".page-head .badge").first.text_content() == "已销号"
    shot(page, "bankruptcy-matter-closed")


def test_letter_answered_late_is_flagged_on_a_phone(phone, live_server):
    log_in(phone, live_server, "dept-rsj")
    phone.goto(live_server + "/bankruptcy/letters")
    row = phone.locator("tr", has_text="关于协调破产企业职工失业保险待遇的函")
    assert row.get_by_text("逾期未复").is_visible()
    number = row.locator("a").first.text_content().strip()
    row.locator("a").first.click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已超过函复期限，现在函复将记为逾期函复。").is_visible()
    phone.get_by_label("函复内容（协办结果）").fill("已为 312 名职工办理失业登记，失业保险金本月发放。")
    phone.get_by_role("button", name="提交函复").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("函复提交后不能修改，请勾选确认。").is_visible()  # asked first, nothing written
    assert phone.get_by_label("函复内容（协办结果）").input_value().startswith("已为 312 名职工")
    phone.get_by_label("确认提交函复（提交后不能修改）").check()
    phone.get_by_role("button", name="提交函复").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已超过函复期限，记为逾期函复。").is_visible()
    assert phone.locator(".badge", has_text="逾期函复").first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "bankruptcy-letter-late-phone")
    year = number[number.index("〔") + 1:number.index("〕")]
    phone.goto(live_server + f"/bankruptcy/letters/circular?period={year}")
    assert phone.locator("tr", has_text=number).get_by_text("逾期函复").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
