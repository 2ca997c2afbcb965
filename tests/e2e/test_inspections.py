"""The inspection ledger in a real browser against the demo server: a county unit drafts a plan,
justice reviews a filing, anyone re-runs a published draw in the browser, an enterprise head
reports on a phone, and the circular's charts load."""
import re

from tests.e2e.conftest import log_in, shot


def test_county_unit_drafts_a_plan_with_an_item(page, live_server):
    log_in(page, live_server, "dept-scj-zc")
    page.goto(live_server + "/inspections/plans/new")
    page.get_by_label("计划类型").select_option("quarterly")
    page.get_by_label("年度").fill("2027")
    page.get_by_label("季度或月份").fill("1")
    page.get_by_role("button", name="创建计划").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=re.compile("2027年第1季度检查计划")).is_visible()
    field = page.get_by_label("被检查企业")
    field.fill("淄川")
    page.locator("#enterprise-options option").first.wait_for(state="attached")
    first = page.eval_on_selector("#enterprise-options option", "o => o.value")
    field.fill(first)
    page.get_by_label("检查类别").select_option("食品安全")
    page.get_by_label("检查依据").select_option("complaint")
    page.get_by_label("计划检查日期").fill("2027-02-15")
    page.get_by_role("button", name="添加事项").click()
    page.wait_for_load_state()
    assert page.get_by_text("投诉举报引发的检查须填写投诉举报编号").is_visible()
    assert page.get_by_label("被检查企业").input_value() == first  # nothing typed is lost
    page.get_by_label("依据说明").fill("12315-2027-0001")
    page.get_by_role("button", name="添加事项").click()
    page.wait_for_load_state()
    assert page.get_by_text("12315-2027-0001").is_visible()
    shot(page, "inspections-plan-draft")


def test_justice_reviews_a_pending_filing(page, live_server):
    log_in(page, live_server, "justice")
    page.goto(live_server + "/inspections/filings?status=pending")
    shot(page, "inspections-filings")
    page.locator("table a").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="审核").is_visible()
    shot(page, "inspections-filing-review")
    page.goto(live_server + "/inspections/plans")
    assert page.get_by_text("逾期报备").first.is_visible()
    shot(page, "inspections-plans")


def test_anyone_reruns_the_published_draw_in_the_browser(page, live_server):
    page.goto(live_server + "/inspections/public/draws")
    page.locator("table a").first.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="在本机浏览器中重新计算").click()
    page.locator("#verify-result.badge").wait_for()  # the script marks the outcome when it is done
    assert page.locator("#verify-result").text_content() == "本机计算结果与公布结果完全一致。"
    page.get_by_role("button", name="由服务器重新计算").click()
    page.wait_for_load_state()
    assert page.get_by_text("结果与公布结果相同").is_visible()
    shot(page, "inspections-public-draw")


def test_enterprise_head_reports_on_a_phone(phone, live_server):
    log_in(phone, live_server, "head002")
    phone.goto(live_server + "/inspections/reports/new")
    phone.get_by_label("举报事项").select_option("unfiled")
    phone.get_by_label("具体情况").fill("11月20日有执法人员到厂检查，未出示检查计划。")
    phone.get_by_role("button", name="提交举报").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("举报已提交").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "inspections-report-phone")


def test_circular_charts_load_and_finance_reads_the_register(page, live_server):
    log_in(page, live_server, "leader")
    page.goto(live_server + "/inspections/circulars")
    page.get_by_role("link", name=re.compile("第3季度")).click()
    page.wait_for_load_state("networkidle")
    widths = page.eval_on_selector_all(".charts img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == 2 and all(w > 0 for w in widths)
    shot(page, "inspections-circular")
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()
    log_in(page, live_server, "finance")
    page.goto(live_server + "/inspections/fines/register")
    assert page.get_by_text("罚款合计（元）").is_visible()
    shot(page, "inspections-fine-register")
