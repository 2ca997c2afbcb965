"""Financial risk in a real browser against the demo server: the demo loan GH-321-DEMO through the
three "321" steps (the county signs the warning, the bank records the plan and confirms the funds,
another bank never sees it), a guarantee circle found and drawn, and a rescue from the candidate list
through bank talks and coordination to the court's hand-over."""
import re

from tests.e2e.conftest import log_in, shot


def _open_demo_entry(page, base):
    page.goto(base + "/finrisk/maturity")
    page.get_by_label("搜索").fill("GH-321-DEMO")
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    page.locator("table tbody tr a").first.click()
    page.wait_for_load_state()


def test_a_loan_through_the_three_warnings(page, live_server):
    log_in(page, live_server, "bank-nh")
    page.goto(live_server + "/finrisk/loans?q=GH-321-DEMO")
    assert page.get_by_text("没有符合条件的记录").is_visible()        # another bank's loan does not exist here
    page.context.clear_cookies()

    log_in(page, live_server, "dept-zf-zd")                             # 1. the county is warned and signs
    _open_demo_entry(page, live_server)
    assert page.get_by_text("待落实").first.is_visible()
    page.get_by_label("研判意见").fill("企业订单稳定，督促按计划还款")
    page.get_by_role("button", name="签收").click()
    page.wait_for_load_state()
    assert page.get_by_text("已签收预警").is_visible()
    page.context.clear_cookies()

    log_in(page, live_server, "bank-gh")                                # 2. the bank records the plan
    _open_demo_entry(page, live_server)
    page.get_by_label("还款计划").fill("到期一次性归还本金 3000 万元")
    page.get_by_label("资金来源").fill("四季度销售回款")
    page.get_by_role("button", name="保存还款计划").click()
    page.wait_for_load_state()
    page.get_by_label("企业账上还款资金（元）").fill("1000")              # 3. funds short: refused as not ready
    page.get_by_role("button", name="确认到账资金").click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile("缺口")).is_visible()
    page.get_by_label("企业账上还款资金（元）").fill("30000000")
    page.get_by_role("button", name="确认到账资金").click()
    page.wait_for_load_state()
    assert page.locator("h1 .badge").inner_text() == "已落实"
    assert page.locator(".fr-step-done").count() == 3
    shot(page, "finrisk-321-entry")


def test_a_guarantee_circle_is_found_and_shown(page, live_server):
    log_in(page, live_server, "regulator")
    page.goto(live_server + "/finrisk/network")
    assert page.get_by_role("heading", name=re.compile(r"担保圈（[1-9]")).is_visible()
    page.locator("#circles table a").first.click()
    page.wait_for_load_state()
    image = page.locator("figure img")
    image.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle())
    assert page.locator("#members tbody tr").count() >= 3
    assert page.locator("#edges tbody tr").count() >= 3
    shot(page, "finrisk-circle")


def test_a_rescue_through_bank_talks_to_the_court(page, live_server):
    log_in(page, live_server, "regulator")
    page.goto(live_server + "/finrisk/rescues?stage=candidate")
    page.locator("table tbody a").first.click()
    page.wait_for_load_state()
    page.get_by_label("调查审计评估机构").fill("鲁中会计师事务所")
    page.locator("#capital_flight-0").check()
    page.locator("#malicious_evasion-0").check()
    page.locator("#rescue_value-0").check()
    page.locator("#assess textarea[name=note]").fill("未发现抽逃资金和恶意逃废债，主业盈利，具有挽救价值")
    page.get_by_label("任务目标（列入台账时）").fill("年底前化解担保代偿风险")
    page.get_by_label("时间节点（列入台账时）").fill("2099-12-31")
    page.get_by_role("button", name="提交审计评估结论").click()
    page.wait_for_load_state()
    assert page.get_by_text("请勾选确认后再提交").is_visible()          # asked first, nothing decided
    page.get_by_label("我已核对审计评估结论").check()
    page.get_by_role("button", name="提交审计评估结论").click()
    page.wait_for_load_state()
    assert page.locator("#stage").inner_text() == "已列入挽救台账"
    for route, why in (("银企对接处置", "一家债权银行不同意展期"), ("行政协调推进", "担保公司额度不足")):
        page.get_by_label("安排").fill(f"{route}安排")
        page.get_by_role("button", name=f"启动{route}").click()
        page.wait_for_load_state()
        page.locator("#result-1").check()
        page.get_by_label("协议内容或未能化解的原因").fill(why)
        page.get_by_label("我已核对，确认登记该结果").check()
        page.get_by_role("button", name="登记结果").click()
        page.wait_for_load_state()
    page.locator("#procedure-1").check()                                 # 预重整
    page.get_by_label("企业意愿和移交说明").fill("企业书面申请预重整")
    page.get_by_label(re.compile("企业已同意司法介入")).check()
    page.get_by_role("button", name="移交法院").click()
    page.wait_for_load_state()
    assert page.locator("#stage").inner_text() == "司法介入（已移交法院）"
    assert "预重整" in page.locator("#handover").inner_text()
    shot(page, "finrisk-rescue-handover")
