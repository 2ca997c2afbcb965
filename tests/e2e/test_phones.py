"""Phones (issue 10, item 16), in Chromium at 390 × 844 against the demo server: the menu folds
behind 菜单 and opens without JavaScript, no main page scrolls sideways, dates and times never
break inside "2026-12-05 10:00", and the public survey results are a ranked list whose 结果运用
column is on the screen. Screenshots go to test-artifacts/ (look at them)."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in, shot

PHONE_WIDTH = 390
PUBLIC = ["/survey/results/2025", "/survey/results/", "/grading/public", "/inspections/public/draws"]
# account → pages besides its dashboard
ROLES = {"leader": ["/survey/"], "justice": ["/grading/", "/ledger/"], "organizer": ["/survey/"],
         "admin": ["/registry/import"], "dept-scj": ["/ledger/"], "head001": []}

# The text of every date or time in <main> ("2025-12-26", "2025-12-26 10:00"), with the number of
# distinct lines its characters are laid out on.
DATE_LINES = """() => {
    const found = [];
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    const pattern = /\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2})?/g;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement.offsetParent) continue;  // not displayed
        for (const m of node.textContent.matchAll(pattern)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
            found.push([m[0], tops.size]);
        }
    }
    return found;
}"""


def sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def broken_dates(page) -> list[str]:
    return [text for text, lines in page.evaluate(DATE_LINES) if lines > 1]


def test_the_menu_folds_behind_a_button_on_phones_only(page, phone, live_server, browser):
    log_in(phone, live_server, "leader")
    menu = phone.locator("nav.mainnav ul")
    toggle = phone.get_by_text("菜单", exact=True)
    assert toggle.is_visible() and not menu.is_visible()
    header = phone.locator("header.topbar").bounding_box()
    assert header["height"] < 200, f"the folded header is {header['height']}px high"
    toggle.click()
    assert menu.is_visible() and phone.get_by_role("link", name="免检免扰评级", exact=True).first.is_visible()
    shot(phone, "phone-menu-open")
    phone.get_by_role("link", name="年度评议", exact=True).first.click()
    phone.wait_for_load_state()
    assert "/survey/" in phone.url and not phone.locator("nav.mainnav ul").is_visible()
    # Without JavaScript the menu opens all the same (a checkbox and its label).
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844}, java_script_enabled=False,
                                  locale="zh-CN")
    try:
        plain = context.new_page()
        plain.goto(live_server + "/survey/results/")
        assert not plain.locator("nav.mainnav ul").is_visible()
        plain.get_by_text("菜单", exact=True).click()
        assert plain.get_by_role("link", name="评级名单公示").is_visible()
    finally:
        context.close()
    # The desktop keeps the full menu, with no 菜单 button.
    log_in(page, live_server, "leader")
    assert page.locator("nav.mainnav ul").is_visible() and not page.get_by_text("菜单", exact=True).is_visible()
    assert page.get_by_role("link", name="免检免扰评级", exact=True).first.is_visible()


def test_main_pages_fit_a_phone_and_keep_dates_whole(phone, live_server):
    wide, broken = [], []
    for path in PUBLIC:
        phone.goto(live_server + path)
        if sideways(phone) > PHONE_WIDTH:
            wide.append(f"{path} ({sideways(phone)}px)")
        broken += [f"{path}: {text}" for text in broken_dates(phone)]
    for account, paths in ROLES.items():
        log_in(phone, live_server, account)
        for path in ["/", *paths]:
            phone.goto(live_server + path)
            if sideways(phone) > PHONE_WIDTH:
                wide.append(f"{account} {path} ({sideways(phone)}px)")
            broken += [f"{account} {path}: {text}" for text in broken_dates(phone)]
        shot(phone, f"phone-{account}-dashboard")
        phone.context.clear_cookies()
    assert not wide, "pages wider than a phone: " + ", ".join(wide)
    assert not broken, "dates broken across lines: " + ", ".join(broken)


def test_public_results_are_a_ranked_list_on_phones(page, phone, live_server):
    phone.goto(live_server + "/survey/results/2025")
    section = phone.locator("#result-enforcement")
    assert not section.locator("figure.chart").is_visible()  # 40 bars in 350 px: unreadable
    heads = section.locator("thead th").evaluate_all("cells => cells.filter(c => c.offsetParent).map(c => c.innerText)")
    assert heads == ["名次", "部门（单位）", "得分", "结果运用"]
    outcome = section.locator("thead th", has_text="结果运用").bounding_box()
    assert outcome["x"] + outcome["width"] <= PHONE_WIDTH, f"结果运用 ends at {outcome['x'] + outcome['width']}px"
    wrap = section.locator(".table-wrap").evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert wrap[0] <= wrap[1], f"the ranked list scrolls sideways: {wrap}"
    first = section.locator("tbody tr").first.locator("td").evaluate_all(
        "cells => cells.filter(c => c.offsetParent).map(c => c.innerText.trim())")
    assert first[0] == "1" and first[3] == "表扬", first
    shot(phone, "phone-survey-results-2025")
    # The desktop keeps the chart and the vote counts.
    page.goto(live_server + "/survey/results/2025")
    desktop = page.locator("#result-enforcement")
    assert desktop.locator("figure.chart img").is_visible() and desktop.locator("thead th", has_text="基本满意").is_visible()


@pytest.mark.parametrize("path", ["/survey/results/", "/grading/public"])
def test_visitors_find_the_login_link(phone, live_server, path):
    phone.goto(live_server + path)
    phone.get_by_role("link", name="登录", exact=True).click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/login") and phone.get_by_role("link", name="登录", exact=True).count() == 0
