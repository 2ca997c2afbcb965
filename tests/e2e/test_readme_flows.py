"""The README's main claims walked through in a real browser, on a demo server of their own (these
tests close, tally and publish the open campaign and review filings, which would change what the
other browser tests see on the shared `live_server`):

- an enterprise head fills in the ballot; the live counter stops a 14th 满意 among the 40
  enforcement departments; with the page's script out of the way the server refuses the part,
  naming the count and the limit and keeping every choice; a valid ballot gets a receipt code;
- the organizer prints a paper ballot code and enters a paper ballot (one part over the cap goes
  in as 废票); closes and tallies (the server asks first, with turnout and the day); a leader's
  click without JavaScript only brings the confirmation page, with it approves and publishes; the public page (no login)
  shows both ranked tables and their charts, and the receipt is found on the public list;
- the justice bureau accepts a pending plan filing (no decision pre-selected, a confirmation step);
- a department's random-inspection item on an A-class enterprise is refused with a clear message;
  after 完成编制 the plan's 下一步 box leads to 汇总报司法局.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, shot
from tests.live import demo_server

VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("flows")) as base:
        yield base


@pytest.fixture
def new_page(browser):
    """Fresh browser contexts (own cookies) on demand, e.g. one per account; closed afterwards."""
    contexts = []

    def make(**options):
        context = browser.new_context(**{"viewport": VIEWPORT, "locale": "zh-CN", **options})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("dialog", lambda dialog: dialog.accept())  # the pages' "确定吗？" confirmations
        return page

    yield make
    for context in contexts:
        context.close()


def click_and_wait(page, locator):
    """Click and wait for the page it leads to; returns that page's response."""
    with page.expect_navigation() as navigation:
        locator.click()
    return navigation.value


def rate(page, department_no: int, choice: str, category: str = "enforcement") -> None:
    """Click a choice (满意 …) of the n-th department (1-based) of a category, as a user would."""
    fieldset = page.locator(f"#cat-{category} fieldset.rating").nth(department_no - 1)
    fieldset.get_by_text(choice, exact=True).click()


def checked_count(page, category: str, value: str) -> int:
    return page.locator(f"#cat-{category} input[type=radio][value={value}]:checked").count()


def load_images(page) -> list[int]:
    """Load the lazily loaded images now and return their natural widths (0: broken)."""
    return page.evaluate("""async () => {
        const images = [...document.querySelectorAll('main img')];
        images.forEach(i => { i.loading = 'eager'; });
        await Promise.all(images.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
        return images.map(i => i.naturalWidth);
    }""")


def vote_online_with_the_counter(page, base: str) -> str:
    """head004: the live counter stops a 14th 满意; a valid ballot gets its receipt code."""
    log_in(page, base, "head004")
    page.goto(base + "/survey/vote")
    counter = page.locator("#counter-enforcement")
    expect(counter).to_have_text("满意 0/13 · 不满意 0/13")
    for n in range(1, 14):
        rate(page, n, "满意")
    expect(counter).to_have_text("满意 13/13 · 不满意 0/13")
    rate(page, 14, "满意")                                   # the 14th 满意 among 40 …
    expect(page.locator("#cap-enforcement")).to_contain_text("“满意”最多选 13 个")
    expect(counter).to_have_text("满意 13/13 · 不满意 0/13")  # … is not taken
    assert checked_count(page, "enforcement", "satisfied") == 13
    shot(page, "flow-ballot-cap-counter")
    for n in range(14, 41):
        rate(page, n, "基本满意")
    for n in range(1, 20):
        rate(page, n, "满意" if n <= 6 else "基本满意", "service")
    expect(page.locator("#counter-service")).to_have_text("满意 6/6 · 不满意 0/6")
    click_and_wait(page, page.get_by_role("button", name="提交评议"))
    expect(page.locator("h1")).to_have_text("评议已提交，谢谢！")
    receipt = page.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{4}", receipt)
    shot(page, "flow-ballot-receipt")
    return receipt


def server_refuses_a_14th_satisfied(page, base: str) -> None:
    """head005 with scripts disabled (the counter cannot help): the server refuses the part,
    names the count and the limit, and keeps everything chosen; the corrected ballot goes in."""
    log_in(page, base, "head005")
    page.goto(base + "/survey/vote")
    for n in range(1, 15):
        rate(page, n, "满意")
    rate(page, 15, "不满意")
    rate(page, 3, "基本满意", "service")
    response = click_and_wait(page, page.get_by_role("button", name="提交评议"))
    assert response.status == 422
    errors = page.locator("#ballot-errors")
    expect(errors).to_contain_text("未能提交，您的选择都已保留")
    expect(errors).to_contain_text("“满意”选了 14 个，超过上限 13 个")
    expect(page.locator("#counter-enforcement")).to_have_text("满意 14/13 · 不满意 1/13")
    assert checked_count(page, "enforcement", "satisfied") == 14     # nothing chosen is lost
    assert checked_count(page, "enforcement", "dissatisfied") == 1
    assert checked_count(page, "service", "basic") == 1
    shot(page, "flow-ballot-refused-by-server")
    rate(page, 14, "基本满意")
    click_and_wait(page, page.get_by_role("button", name="提交评议"))
    expect(page.locator("h1")).to_have_text("评议已提交，谢谢！")
    expect(page.locator("#receipt-code")).to_have_text(re.compile(r"([0-9A-Z]{4}-){6}[0-9A-Z]{4}"))


def campaign_url(page, base: str, year: int) -> str:
    page.goto(base + "/survey/")
    href = page.get_by_role("row", name=re.compile(str(year))).get_by_role("link").first.get_attribute("href")
    return base + href


def enter_a_paper_ballot(page, campaign: str) -> None:
    """The organizer prints one paper code and enters that ballot: the service part has 7 满意
    among 19 (cap 6), so it goes in as 废票 after confirmation; the enforcement part counts."""
    page.goto(campaign + "/credentials")
    page.get_by_label("印制数量").fill("1")
    click_and_wait(page, page.get_by_role("button", name="生成并打印"))
    code = page.locator(".slip-main .slip-code").first.inner_text().strip()
    assert code
    shot(page, "flow-paper-code-sheet")
    page.goto(campaign + "/paper")
    page.get_by_label("投票码").fill(code)
    page.get_by_label("执法和综合管理类").fill("1111 1111 1111 1" + "2" * 25 + "3 4")
    page.get_by_label("服务类").fill("1111 111" + "2" * 12)
    click_and_wait(page, page.get_by_role("button", name="录入"))
    expect(page.get_by_text("按废票录入：“满意”选了 7 个，超过上限 6 个")).to_be_visible()
    expect(page.get_by_label("服务类")).to_have_value("1111 111" + "2" * 12)    # kept for checking
    page.get_by_label("已核对原始评议表：按废票录入无效的部分").check()
    click_and_wait(page, page.get_by_role("button", name="录入"))
    expect(page.locator(".flashes")).to_contain_text("纸质评议表已录入，其中服务类为废票")
    shot(page, "flow-paper-entered")
    page.get_by_label("投票码").fill(code)                     # one code, one ballot
    page.get_by_label("执法和综合管理类").fill("2" * 40)
    page.get_by_label("服务类").fill("2" * 19)
    click_and_wait(page, page.get_by_role("button", name="录入"))
    expect(page.locator("#paper-form")).to_contain_text("该投票凭证已经使用过")


def close_and_tally(page, campaign: str) -> None:
    page.goto(campaign)
    click_and_wait(page, page.get_by_role("button", name="结束评议并封存选票"))
    # the server asks first (issue 10 item 11): turnout and the scheduled day
    expect(page.get_by_role("heading", name="请确认：结束评议并封存选票")).to_be_visible()
    expect(page.locator(".confirm-step")).to_contain_text("已参评 / 评议企业负责人")
    expect(page.locator(".confirm-step")).to_contain_text("计划组织评议日")
    shot(page, "flow-close-confirmation")
    click_and_wait(page, page.get_by_role("button", name="确认结束评议"))
    expect(page.locator(".flashes")).to_contain_text("评议已结束，选票已封存")
    click_and_wait(page, page.get_by_role("button", name="计票"))
    expect(page.locator(".flashes")).to_contain_text("计票完成")
    expect(page.get_by_text("计票结果尚未公布，仅供审定")).to_be_visible()
    shot(page, "flow-tally-for-approval")


def test_ballot_paper_entry_publication_and_public_page(own_server, new_page):
    base = own_server
    receipt = vote_online_with_the_counter(new_page(), base)
    server_refuses_a_14th_satisfied(new_page(java_script_enabled=False), base)

    organizer = new_page()
    log_in(organizer, base, "organizer")
    campaign = campaign_url(organizer, base, 2026)
    enter_a_paper_ballot(organizer, campaign)
    close_and_tally(organizer, campaign)

    # issue 10 item 11: without JavaScript a click on 审定并公布 publishes nothing, the server asks
    nojs = new_page(java_script_enabled=False, viewport={"width": 390, "height": 844})
    log_in(nojs, base, "leader")
    nojs.goto(campaign + "/results")
    click_and_wait(nojs, nojs.get_by_role("button", name="审定并公布"))
    expect(nojs.get_by_role("heading", name="请确认：审定并公布评议结果")).to_be_visible()
    expect(nojs.locator(".confirm-step")).to_contain_text("向社会公布")
    shot(nojs, "flow-publish-confirmation-phone")
    click_and_wait(nojs, nojs.get_by_role("link", name="返回"))
    expect(nojs.get_by_text("计票结果尚未公布，仅供审定")).to_be_visible()
    assert new_page().goto(base + "/survey/results/2026").status == 404

    leader = new_page()
    log_in(leader, base, "leader")
    leader.goto(campaign + "/results")
    click_and_wait(leader, leader.get_by_role("button", name="审定并公布"))
    expect(leader.get_by_role("heading", name="请确认：审定并公布评议结果")).to_be_visible()
    expect(leader.locator(".confirm-step")).to_contain_text("此操作不能撤回")
    shot(leader, "flow-publish-confirmation")
    click_and_wait(leader, leader.get_by_role("button", name="确认审定并公布"))
    assert leader.url.endswith("/survey/results/2026")
    expect(leader.locator(".flashes")).to_contain_text("已审定并公布评议结果")

    public = new_page()
    response = public.goto(base + "/survey/results/2026")
    assert response.status == 200
    expect(public.get_by_role("heading", name="2026 年度企业评议部门（单位）结果公示")).to_be_visible()
    expect(public.locator("#result-enforcement tbody tr")).to_have_count(40)
    expect(public.locator("#result-service tbody tr")).to_have_count(19)
    assert public.locator("#result-enforcement tbody tr").first.locator("td").first.inner_text() == "1"
    expect(public.locator("#result-enforcement tr.bottom")).not_to_have_count(0)   # bottom two marked
    expect(public.locator("#result-enforcement tr.top")).not_to_have_count(0)      # commended marked
    widths = load_images(public)
    assert len(widths) == 2 and all(w > 0 for w in widths), widths
    shot(public, "flow-public-results-2026")

    public.get_by_role("link", name=re.compile("回执核对")).click()
    public.get_by_label("回执码").fill(receipt)
    click_and_wait(public, public.get_by_role("button", name="核对"))
    expect(public.get_by_text("已找到：这个回执码对应的选票已计入本次评议")).to_be_visible()
    shot(public, "flow-public-receipt-found")


def test_justice_accepts_a_pending_filing(own_server, new_page):
    page = new_page()
    log_in(page, own_server, "justice")
    page.goto(own_server + "/inspections/filings?status=pending")
    row = page.get_by_role("row", name=re.compile("市生态环境局"))
    click_and_wait(page, row.get_by_role("link").first)
    expect(page.locator(".page-head .badge").first).to_have_text("待审核")
    # issue 10 item 12: no decision is pre-selected; submitting none is refused
    expect(page.get_by_label(re.compile("予以备案"))).not_to_be_checked()
    expect(page.get_by_label("退回修改")).not_to_be_checked()
    page.get_by_label("意见或退回理由").fill("计划事项依据明确，予以备案。")
    click_and_wait(page, page.get_by_role("button", name="提交审核意见"))
    expect(page.get_by_text("请选择审核意见")).to_be_visible()
    expect(page.locator(".page-head .badge").first).to_have_text("待审核")
    page.get_by_label(re.compile("予以备案")).check()
    click_and_wait(page, page.get_by_role("button", name="提交审核意见"))
    expect(page.get_by_role("heading", name="请确认：予以备案")).to_be_visible()   # item 11
    click_and_wait(page, page.get_by_role("button", name="确认予以备案"))
    expect(page.locator(".flashes")).to_contain_text("已予以备案")
    expect(page.locator(".page-head .badge").first).to_have_text("已备案")
    shot(page, "flow-filing-accepted")


def test_department_is_refused_a_random_item_on_an_a_class_enterprise(own_server, new_page):
    page = new_page()
    page.goto(own_server + "/grading/public")
    page.get_by_label("评级").select_option("A")
    click_and_wait(page, page.get_by_role("button", name="查询"))
    credit_code = page.locator("main table tbody tr .mono").first.inner_text().strip()
    name = page.locator("main table tbody tr td").first.inner_text().split("\n")[0].strip()

    log_in(page, own_server, "dept-scj")
    page.goto(own_server + "/inspections/plans/new")
    page.get_by_label("计划类型").select_option("quarterly")
    page.get_by_label("年度").fill("2027")
    page.get_by_label("季度或月份").fill("2")
    click_and_wait(page, page.get_by_role("button", name="创建计划"))
    page.get_by_label("被检查企业").fill(credit_code)
    page.get_by_label("检查类别").select_option("食品安全")
    page.get_by_label("检查依据").select_option("random")
    page.get_by_label("计划检查日期").fill("2027-05-10")
    click_and_wait(page, page.get_by_role("button", name="添加事项"))
    items = page.locator("#items")
    expect(items).to_contain_text(name)
    expect(items).to_contain_text("预审：该企业在已公布的免检免扰评级中为A类，在双随机抽查中实行免检，本事项不予备案。")
    shot(page, "flow-a-class-item-preview")

    click_and_wait(page, page.get_by_role("button", name="完成编制，待报司法局"))
    # issue 10 item 14: the plan page names the next step, who takes it, and the button
    box = page.locator("#next-step")
    expect(box).to_contain_text("下一步：汇总报司法局备案")
    expect(box).to_contain_text("（您）")
    expect(page.get_by_text("当前没有您可以进行的操作")).to_have_count(0)
    shot(page, "flow-plan-next-step")
    phone = new_page(viewport={"width": 390, "height": 844})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    shot(phone, "flow-plan-next-step-phone")
    click_and_wait(page, box.get_by_role("link", name="汇总报司法局"))
    expect(page.get_by_role("checkbox", name=re.compile("2027年第2季度"))).to_be_checked()
    click_and_wait(page, page.get_by_role("button", name="报市司法局备案"))
    expect(page.locator(".flashes")).to_contain_text("1 个事项经审核不予备案")
    refused = page.get_by_role("row", name=re.compile(re.escape(name)))
    expect(refused).to_contain_text("该企业在已公布的免检免扰评级中为A类，在双随机抽查中实行免检，本事项不予备案。")
    shot(page, "flow-a-class-item-refused")
