"""The online ballot in a real browser (Debian's chromium) on a phone-sized screen: labelled radio
groups, the counter stopping a 14th 满意 among 40, answers kept in the tab, keyboard use, the
receipt. Screenshots go to test-artifacts/."""
import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from govsvc.extensions import db
from tests.survey.conftest import City

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium not installed")]


@pytest.fixture
def survey_server(app, factory):
    City(factory).campaign()
    db.session.commit()
    app.config["SESSION_COOKIE_SECURE"] = False  # plain http on loopback
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def test_ballot_on_a_phone_by_touch_and_keyboard(survey_server, browser):
    """`browser` is the session's chromium (tests/e2e/conftest.py): one Playwright per run."""
    from playwright.sync_api import expect

    live_server = survey_server
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server + "/login")
    page.fill("#username", "head001")
    page.fill("#password", "correct-horse-battery")
    page.click("button[type=submit]")
    page.goto(live_server + "/survey/vote")
    counter = page.locator("#counter-enforcement")
    expect(counter).to_have_text("满意 0/13 · 不满意 0/13")

    # each department is a radio group named by its legend
    group = page.get_by_role("group", name=re.compile("市执法局00"))
    expect(group.get_by_role("radio")).to_have_count(4)
    for i in range(13):
        page.locator(f"#dept-E{i:02d} label.choice-satisfied").click()
    expect(counter).to_have_text("满意 13/13 · 不满意 0/13")
    page.locator("#dept-E13 label.choice-basic").click()
    page.locator("#dept-E13 label.choice-satisfied").click()          # a 14th 满意 …
    expect(page.locator("#d-E13-satisfied")).not_to_be_checked()      # … is stopped,
    expect(page.locator("#d-E13-basic")).to_be_checked()              # the previous choice stays,
    expect(counter).to_have_text("满意 13/13 · 不满意 0/13")
    expect(page.locator("#cap-enforcement")).to_contain_text("“满意”最多选 13 个")
    page.screenshot(path=str(ARTIFACTS / "survey-ballot-cap-phone.png"))

    # keyboard alone: arrows move within a radio group
    page.locator("#d-S00-basic").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#d-S00-dissatisfied")).to_be_checked()
    page.locator("#op-S00 summary").click()
    page.fill("#o-S00", "热线常占线")

    # a reload (an expired session, a lost connection) keeps every answer in this tab
    page.reload()
    expect(page.locator("#ballot-errors")).to_contain_text("已恢复")
    expect(page.locator("#d-E12-satisfied")).to_be_checked()
    expect(page.locator("#d-S00-dissatisfied")).to_be_checked()
    expect(page.locator("#o-S00")).to_have_value("热线常占线")
    expect(counter).to_have_text("满意 13/13 · 不满意 0/13")

    page.click("#submit-ballot")
    expect(page.locator("h1")).to_have_text("评议已提交，谢谢！")
    receipt = page.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{4}", receipt)
    page.screenshot(path=str(ARTIFACTS / "survey-receipt-phone.png"), full_page=True)
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('survey-ballot')).length") == 0
    context.close()
