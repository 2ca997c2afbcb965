"""Browser walks of the care module's second half on the demo server: a 容错 application from the
entrepreneur's online submission to the commission's decision, a green-channel complaint from the
entrepreneur to close-out, and the excellent-entrepreneur list approved with an excluded candidate
whose reason is shown (and who stays off the public list). Screenshots go to test-artifacts/."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, shot

pytestmark = pytest.mark.e2e


def _log_out(page):
    _submit(page, "退出")


def _submit(page, name: str) -> None:
    """Click a form's button and wait for the server's answer (a page or a redirect)."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def _purpose(page):
    """Declare a reading purpose when the 容错 pages ask for one."""
    if "/care/tolerance/purpose" in page.url:
        _submit(page, "确认并查阅")


def test_a_tolerance_application_to_decision(live_server, page):
    log_in(page, live_server, "head001")
    page.goto(live_server + "/care/tolerance/apply")
    page.get_by_label("问题情况").fill("为按期交付订单，技改设备先行安装，特种设备登记后补。")
    page.get_by_label("申请理由").fill("为企业发展，未谋取私利；已补办登记，未发生事故。")
    _submit(page, "提交申请")
    assert "请勾选确认" in page.content()  # the promise box is checked on the server
    page.get_by_label(re.compile("我承诺所填情况真实")).check()
    _submit(page, "提交申请")
    assert "申请已提交" in page.content()
    number = re.search(r"容〔\d{4}〕\d+号", page.locator(".flash-success").inner_text()).group(0)
    _log_out(page)

    log_in(page, live_server, "discipline")
    page.goto(live_server + "/care/tolerance/")
    _purpose(page)
    page.get_by_role("link", name=number).click()
    _purpose(page)
    assert "容错申请" in page.locator(".care-steps li.current").inner_text()
    expect(page.get_by_label(re.compile("予以受理"))).not_to_be_checked()   # no decision pre-selected
    page.get_by_label(re.compile("予以受理")).check()
    page.get_by_label(re.compile("我已核对申请材料")).check()
    _submit(page, "提交受理审查结论")
    assert "已受理" in page.content()
    page.get_by_label("调查报告").fill("经调查，设备经检测合格，登记手续已补办，未造成损失。")
    _submit(page, "调查完毕，提请会商")
    assert "会商研判" in page.locator(".care-steps li.current").inner_text()
    page.get_by_label("参加会商的单位和人员").fill("市纪委监委、市工业和信息化局、市市场监管局")
    for fieldset in page.locator("fieldset").all():
        option = fieldset.get_by_label("有利于容错")
        if option.count():
            option.check()
    page.locator("#d-decision").select_option(label="予以容错（免予问责）")
    page.get_by_label("决定内容").fill("予以容错，免予问责；责令完善设备登记管理。")
    page.get_by_label(re.compile("我已核对会商研判情况")).check()
    _submit(page, "作出决定")
    assert "已作出决定：予以容错（免予问责）" in page.content()
    assert "澄清保护" in page.locator(".care-steps li.current").inner_text()
    shot(page, "care-tolerance-decided")
    _log_out(page)

    log_in(page, live_server, "head001")
    page.goto(live_server + "/care/tolerance/mine")
    row = page.locator("tr", has_text=number)
    assert "予以容错（免予问责）" in row.inner_text()


def test_a_green_channel_complaint_to_close_out(live_server, page):
    log_in(page, live_server, "head001")
    page.goto(live_server + "/care/green/feedback/new")
    page.get_by_label("服务事项").select_option(label="休假疗养：年度休假疗养（市人力资源和社会保障局）")
    page.get_by_label("遇到的问题").fill("疗养安排通知未送达，错过了本期疗养。")
    _submit(page, "提交")
    complaint = page.url
    assert "已反映给市人才办" in page.content()
    _log_out(page)

    def act(user, target, note="", confirm=False):
        log_in(page, live_server, user)
        page.goto(complaint)
        page.get_by_label("办理操作").select_option(label=target)
        if note:
            page.get_by_label("说明").fill(note)
        if confirm:
            page.get_by_label(re.compile("确认销号")).check()
        _submit(page, "确认")
        assert f"事项状态已变为“{target}”" in page.content()
        _log_out(page)

    act("dept-rcb", "已交办", "请核实疗养通知送达情况。")   # to the unit (市人社局), 10 days
    act("dept-rsj", "办理中")
    act("dept-rsj", "已办结", "已补发通知，安排参加下期疗养。")
    act("dept-rcb", "已反馈", "人社局已补发通知，安排您参加下期疗养，感谢反映。")
    act("dept-rcb", "已销号", "销号。", confirm=True)

    log_in(page, live_server, "head001")
    page.goto(complaint)
    assert "人社局已补发通知，安排您参加下期疗养" in page.content() and "已销号" in page.content()
    page.get_by_label("满意", exact=True).check()
    _submit(page, "提交评价")
    assert "感谢您的评价" in page.content()
    shot(page, "care-green-closed")


def test_the_honours_list_with_an_excluded_candidate(live_server, page):
    log_in(page, live_server, "leader")
    page.goto(live_server + "/care/honours/")
    page.locator("a", has_text=re.compile(r"\d{4}年度全市优秀企业家名单")).first.click()
    excluded = page.locator("tr.candidate-excluded").first
    reason = excluded.locator("ul.reasons").inner_text()
    assert "失信被执行人" in reason or "免检免扰评级为C类" in reason
    name = excluded.locator("td strong").inner_text()
    listed_name = page.locator("tr.candidate-proposed td strong").first.inner_text()
    shot(page, "care-honours-review")
    expect(page.get_by_label("同意并公布")).not_to_be_checked()   # no decision pre-selected
    page.get_by_label("同意并公布").check()
    page.get_by_label(re.compile("确认审定")).check()
    _submit(page, "审定")
    assert "已审定并公布" in page.content()
    assert page.locator("tr.candidate-excluded ul.reasons").first.inner_text()  # reasons stay visible
    _log_out(page)
    page.goto(live_server + "/care/honours/list")
    public = page.content()
    assert listed_name in public and name not in public
    shot(page, "care-honours-public")
