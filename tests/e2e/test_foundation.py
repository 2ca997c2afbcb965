"""Foundation pages in a real browser: login, dashboard, registry lists, refused access."""
import re

from tests.e2e.conftest import log_in, shot


def test_login_wrong_password_then_admin_dashboard(page, live_server):
    log_in(page, live_server, "admin", "not-the-password")
    assert page.get_by_text("用户名或密码错误").is_visible()
    assert page.get_by_label("用户名").input_value() == "admin"  # what the user typed is kept
    log_in(page, live_server, "admin")
    assert page.url.rstrip("/") == live_server
    assert page.get_by_role("heading", name=re.compile("您好")).is_visible()
    shot(page, "dashboard-admin")
    page.get_by_role("link", name="企业名录").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("共 300 条").is_visible()
    page.get_by_label("搜索").fill("集团")
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    assert "q=" in page.url
    shot(page, "registry-enterprises")
    page.goto(live_server + "/registry/top")
    assert page.get_by_role("heading", name=re.compile("纳税 200 强")).is_visible()
    shot(page, "registry-top200")


def test_logout_really_ends_the_session(page, live_server):
    log_in(page, live_server, "justice")
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()
    assert "/login" in page.url
    page.goto(live_server + "/registry/enterprises")
    assert "/login" in page.url


def test_evaluator_is_refused_staff_pages_on_a_phone(phone, live_server):
    log_in(phone, live_server, "head001")
    shot(phone, "dashboard-head001-phone")
    response = phone.goto(live_server + "/registry/enterprises")
    assert response.status == 403
    assert phone.get_by_role("heading", name="无权访问").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on a phone
