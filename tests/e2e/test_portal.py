"""The enterprise portal and 扫码入企 in a real browser against the demo server: a unit prints an
inspection notice with its check code, the enterprise opens its account with a code sent to its
head phone (read from the admin's outbox), confirms the inspection by the code's URL, rates it,
and reports an unfiled visit on a phone; a demo enterprise account walks its portal."""
import re

from tests.e2e.conftest import log_in, shot


def log_out(page) -> None:
    page.locator("form[action$='/logout'] button").first.click()
    page.wait_for_load_state()


def test_enterprise_account_walks_its_portal(page, live_server):
    log_in(page, live_server, "ent-001")
    page.goto(live_server + "/portal/home")
    assert page.get_by_role("heading", name="扫码入企").is_visible()
    assert page.get_by_text("待评价").count() == 0 or page.get_by_text("待评价").first.is_visible()
    shot(page, "portal-home")
    page.get_by_role("link", name="评级与异议").click()
    page.wait_for_load_state()
    assert page.url.endswith("/grading/my")
    page.goto(live_server + "/portal/inspections")
    assert page.get_by_role("heading", name="对本企业的检查").is_visible()
    assert page.locator("table tbody tr").count() >= 1
    page.goto(live_server + "/portal/visits")
    assert page.get_by_text("未备案检查（企业报告）").first.is_visible()
    shot(page, "portal-visits")


def test_scan_confirm_rate_and_report_an_unfiled_visit(browser, page, phone, live_server):
    # 1. The unit prints the notice of an accepted item: a check code and its QR.
    log_in(page, live_server, "dept-scj")
    page.goto(live_server + "/inspections/plans?period=quarterly&status=accepted")
    page.locator("table a[href*='/inspections/plans/']").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="检查通知书").first.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="出具通知书").click()
    page.wait_for_load_state()
    code = page.locator("#check-code").text_content().strip()
    credit_code = re.search(r"[0-9A-Z]{18}", page.locator("#notice").text_content())[0]
    assert page.locator("#notice svg").count() == 1
    shot(page, "portal-notice")
    log_out(page)

    # 2. The enterprise asks for a code; the admin's outbox shows the SMS the default sender wrote.
    phone.goto(live_server + "/portal/register")
    phone.get_by_label("统一社会信用代码").fill(credit_code)
    phone.get_by_role("button", name="发送验证码").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("验证码已发送至企业主要负责人手机").is_visible()
    log_in(page, live_server, "admin")
    page.goto(live_server + "/portal/admin/outbox")
    sms = page.locator("table tbody tr").first.text_content()
    one_time = re.search(r"验证码：(\d{6})", sms)[1]
    log_out(page)
    phone.get_by_label("验证码").fill(one_time)
    phone.get_by_label("用户名").fill("e2e-door")
    phone.locator("#password").fill("door-passphrase-2026")
    phone.get_by_label("再次输入密码").fill("door-passphrase-2026")
    phone.get_by_role("button", name="开通账号").click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/portal/home")
    shot(phone, "portal-home-phone")

    # 3. At the door: the QR's URL, the filed item, the confirmation, then the rating.
    phone.goto(live_server + "/portal/c/" + code.replace("-", ""))
    assert phone.get_by_text("已报市司法局备案").is_visible()
    phone.get_by_role("button", name="确认检查").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("请勾选确认").is_visible()
    phone.get_by_label("我确认上述执法人员已到本企业实施这次检查").check()
    phone.get_by_role("button", name="确认检查").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已确认本次检查").is_visible()
    phone.locator("input[name=conduct][value='5']").check()
    phone.locator("input[name=burden][value='4']").check()
    phone.get_by_label("意见建议").fill("出示了通知书，检查高效。")
    phone.get_by_label("提交后不能修改，确认提交评价").check()
    phone.get_by_role("button", name="提交评价").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="本企业的评价").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "portal-rated-phone")

    # 4. A visit with no filed item: an unknown code, then the report on the spot.
    phone.goto(live_server + "/portal/c/ZZZZZZZZZZ")
    assert phone.get_by_role("heading", name="查不到这个检查码").is_visible()
    phone.get_by_role("link", name="报告未备案检查").first.click()
    phone.wait_for_load_state()
    phone.get_by_label("执法人员").fill("两名执法人员")
    phone.get_by_label("检查情况").fill("未出示检查通知书，要求查看台账。")
    phone.get_by_label("我确认以上情况属实，报告市司法局核查").check()
    phone.get_by_role("button", name="报告市司法局").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已报告市司法局").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "portal-unfiled-phone")


def test_draw_page_states_weights_and_reruns_in_the_browser(page, live_server):
    page.goto(live_server + "/inspections/public/draws")
    page.locator("table a").first.click()
    page.wait_for_load_state()
    assert "C 类企业" in page.locator("#draw-weights").text_content()
    assert "个" in page.locator("#draw-load").text_content()
    page.get_by_role("button", name="在本机浏览器中重新计算").click()
    page.locator("#verify-result.badge").wait_for()
    assert page.locator("#verify-result").text_content() == "本机计算结果与公布结果完全一致。"


def test_justice_sees_the_retaliation_flag_and_the_plan_change(page, live_server):
    log_in(page, live_server, "justice")
    page.goto(live_server + "/portal/flags")
    assert page.locator("table tbody tr").count() >= 1
    shot(page, "portal-flags")
    page.goto(live_server + "/inspections/changes?status=filed")
    page.locator("table a").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="审核").is_visible()
    shot(page, "inspections-plan-change")
