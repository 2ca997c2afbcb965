"""Leader liaison and 站台 invitations in a real browser against the demo server: an enterprise's
appeal escalated twice (leader → 联络员办公室 → 市政府) and answered, and an invitation from the
enterprise's request through 工信局's screening and the office contact's answer to attended, with
the printable 邀请单; the enterprise's phone view. Screenshots go to test-artifacts/."""
import re

from govsvc.timeutil import local_today
from tests.e2e.conftest import log_in, shot

CONFIRM_ACT = "我已核对，确认办理（办结、提级后不能撤回）。"


def as_user(browser, live_server, username, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server, username)
    return page


def act(page, url, action_label, note, city=None):
    page.goto(url)
    page.get_by_label("办理操作").select_option(label=action_label)
    if city:
        page.get_by_label("提交", exact=True).select_option(label=city)
    page.get_by_label("说明").fill(note)
    page.get_by_label(CONFIRM_ACT).check()
    page.get_by_role("button", name="确认办理").click()
    page.wait_for_load_state()


def test_an_appeal_escalated_twice_then_answered_and_confirmed(browser, live_server):
    head = as_user(browser, live_server, "head001")
    head.goto(live_server + "/care/appeals/new")
    head.get_by_label("诉求类别").select_option(label="水电气暖")
    head.get_by_label("诉求概要").fill("新厂区新增用电负荷报装")
    head.get_by_label("具体情况").fill("新厂区需新增用电负荷2万千伏安，线路改造涉及多个部门，希望协调。")
    head.get_by_role("button", name="提交诉求").click()
    head.wait_for_load_state()
    assert head.get_by_text("诉求已提交").is_visible()
    url = head.url
    assert re.search(r"/care/appeals/\d+$", url)

    leader = as_user(browser, live_server, "leader-01")  # head001's enterprise is served by leader-01
    act(leader, url, "提级：重点企业联络员办公室统筹", "涉及电网改造投资和多个部门，本级协调难度大。")
    assert leader.get_by_text(re.compile("已由“联系领导协调”提级至“重点企业联络员办公室统筹”")).is_visible()

    office = as_user(browser, live_server, "dept-gxj")
    act(office, url, "提级：市委、市政府协调", "需市政府专题研究电网改造投资和线路走廊。", city="市政府协调")
    assert office.get_by_text(re.compile("提级至“市委、市政府协调”")).is_visible()

    city = as_user(browser, live_server, "dept-zfbgs")
    city.goto(url)
    assert len(city.locator(".appeal-path > li").all()) == 3
    act(city, url, "办结并答复企业", "市政府专题会议研究，电网改造纳入明年一季度计划，供电公司负责实施。")
    shot(city, "care-appeal-city")

    head.goto(url)
    assert head.get_by_text("市政府专题会议研究").first.is_visible()
    assert not head.get_by_text("本级协调难度大").is_visible()  # internal notes stay internal
    head.get_by_label("满意", exact=True).check()
    head.get_by_label("确认办结（确认后诉求销号）。").check()
    head.get_by_role("button", name="确认并评价").click()
    head.wait_for_load_state()
    assert head.get_by_text("诉求已办结销号").first.is_visible()
    shot(head, "care-appeal-enterprise")


def test_an_invitation_from_request_to_attended(browser, live_server):
    head = as_user(browser, live_server, "head002", width=390)  # the enterprise on a phone
    head.goto(live_server + "/care/invitations/new")
    head.get_by_label("活动类别").select_option(label="重大项目洽谈、论证、签约")
    head.get_by_label("活动名称").fill("年产20万吨新材料项目签约仪式")
    head.get_by_label("活动日期").fill(local_today().isoformat())
    head.get_by_label("开始时间").fill("09:30")
    head.get_by_label("活动地点").fill("企业一号会议室")
    head.get_by_label("活动内容和邀请理由").fill("项目总投资30亿元，邀请领导出席签约仪式并致辞。")
    head.get_by_label("拟邀请的市级领导").select_option(label="由市工信局协调")
    head.get_by_label("企业联系人").fill("刘经理")
    head.get_by_label("联系电话").fill("13900000000")
    head.get_by_role("button", name="提交邀请").click()
    head.wait_for_load_state()
    assert head.get_by_text("请确认不搞利益输送的承诺").is_visible()  # refused, nothing typed is lost
    assert head.get_by_label("活动名称").input_value() == "年产20万吨新材料项目签约仪式"
    head.get_by_label(re.compile("不搞利益输送")).check()
    head.get_by_role("button", name="提交邀请").click()
    head.wait_for_load_state()
    assert head.get_by_text("市工信局筛选后联系领导办公室").is_visible()
    assert head.evaluate("document.documentElement.scrollWidth") <= 390
    url = head.url

    office = as_user(browser, live_server, "dept-gxj")
    office.goto(url)
    office.get_by_label("确有必要，填报邀请单").check()
    leader = office.locator("#sc-leader option", has_text="常务副市长").first.text_content()
    office.get_by_label("拟邀请的市级领导").select_option(label=leader)
    office.get_by_label("意见").fill("重大项目签约，有利于企业发展壮大，确有必要。")
    office.get_by_label("我已核对活动情况和企业承诺，确认提交。").check()
    office.get_by_role("button", name="提交筛选意见").click()
    office.wait_for_load_state()
    assert office.get_by_text(re.compile(r"已填报邀请单 站台邀〔\d{4}〕\d{4}号，送市政府办公室")).is_visible()
    office.get_by_role("link", name=re.compile("邀请单 站台邀")).click()
    office.wait_for_load_state()
    assert office.get_by_role("heading", name="市级领导参加服务企业活动邀请单").is_visible()
    shot(office, "care-invitation-form")

    contact = as_user(browser, live_server, "dept-zfbgs")
    contact.goto(url)
    contact.get_by_label("出席", exact=True).check()
    contact.get_by_label("说明").fill("领导9:20到达。")
    contact.get_by_label("我已与领导确认，答复将告知企业。").check()
    contact.get_by_role("button", name="提交答复").click()
    contact.wait_for_load_state()
    assert contact.get_by_text("答复已告知企业").is_visible()
    contact.get_by_label("出席情况").fill("领导出席签约仪式并致辞。")
    contact.get_by_label("确认领导已出席活动。").check()
    contact.get_by_role("button", name="登记出席").click()
    contact.wait_for_load_state()
    assert contact.get_by_text("已登记领导出席").is_visible()

    head.goto(url)
    assert head.get_by_text(re.compile("常务副市长）已出席活动")).is_visible()
    shot(head, "care-invitation-enterprise-phone")
