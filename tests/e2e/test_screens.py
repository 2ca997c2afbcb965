"""Every main page, per role, in a real browser against the shared demo server: each page of the
role's main navigation (plus a few detail and public pages) answers without an error, shows no
raw exception or untranslated error page, and is saved as a PNG in test-artifacts/ (look at
them). The ballot and the public pages are also shot at phone width, where nothing may make the
page scroll sideways. Read-only: nothing here changes the demo's data."""
from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ARTIFACTS, log_in

# account → pages to visit besides those of its main navigation
ROLES = {
    "admin": ["/registry/units", "/registry/persons", "/audit/"],
    "organizer": [],
    "notary": [],
    "justice": ["/inspections/filings", "/inspections/plans", "/grading/objections"],
    "finance": [],
    "leader": [],
    "discipline": ["/integrity/clues", "/integrity/persons"],
    "dept-scj": ["/inspections/plans", "/inspections/results"],
    "dept-scj-zd": [],
    "head001": ["/grading/my"],
}
# Pages whose first link in the main table leads to a detail page worth a look.
DETAILS = {
    "organizer": ["/survey/"],
    "justice": ["/grading/", "/inspections/filings"],
    "dept-scj": ["/inspections/plans"],
    "discipline": ["/integrity/clues"],
}
PUBLIC = ["/", "/survey/results/", "/grading/public", "/inspections/public/draws", "/complaints/", "/verify/"]
SHOWN_ELSEWHERE = {"/survey/results/", "/grading/public", "/inspections/public/draws", "/survey/vote"}
MAX_HEIGHT = 2400  # long lists: the top of the page is what there is to look at
PHONE_WIDTH = 390  # the `phone` fixture's viewport
SEEN: set[str] = set()  # pages already shot in this run
BROKEN = re.compile(r"Traceback|Internal Server Error|Not Found|Bad Request|Method Not Allowed|jinja2|"
                    r"sqlalchemy|Exception|undefined|None年|\{\{|\{%|This field|Not a valid|Invalid|Submit\b")


def slug(path: str) -> str:
    name = re.sub(r"[^0-9A-Za-z]+", "-", path.split("?")[0]).strip("-")
    return name or "home"


def shot(page, name: str) -> None:
    """A full-page PNG, cut at MAX_HEIGHT, after the lazily loaded images have loaded."""
    widths = page.evaluate("""async () => {
        const images = [...document.querySelectorAll('main img')];
        images.forEach(i => { i.loading = 'eager'; });
        await Promise.all(images.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
        return images.map(i => i.naturalWidth);
    }""")
    assert all(w > 0 for w in widths), f"{name}: a broken image on {page.url}"
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": size[0], "height": min(size[1], MAX_HEIGHT)})


def check_page(page, name: str) -> None:
    """No error status in the title, no raw exception text, then a full-page screenshot."""
    body = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    match = BROKEN.search(body)
    assert match is None, f"{name}: suspicious text {match.group(0)!r} on {page.url}"
    assert page.title() and "error" not in page.title().lower(), page.title()
    shot(page, name)


def visit(page, url: str, name: str) -> str | None:
    """Open, check and shoot a page at desktop width; then narrow the window to a phone's width
    and return where the page would scroll sideways there (wide tables must scroll inside their
    .table-wrap), or None."""
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: HTTP {response and response.status}"
    check_page(page, name)
    desktop = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(desktop)
    return f"{url} ({width}px)" if width > PHONE_WIDTH else None


@pytest.mark.parametrize("account", list(ROLES))
def test_every_main_page_of_a_role(page, phone, live_server, account):
    log_in(page, live_server, account)
    assert "/login" not in page.url, f"{account} could not log in"
    nav = page.eval_on_selector_all("nav.mainnav a", "links => links.map(a => a.getAttribute('href'))")
    assert nav, f"{account} has no main navigation"
    paths = [p for p in dict.fromkeys(nav + ROLES[account]) if p not in SHOWN_ELSEWHERE]
    for path in DETAILS.get(account, []):
        page.goto(live_server + path)
        detail = page.locator("main table tbody a").first.get_attribute("href")
        paths.append(detail)
        page.goto(live_server + detail)
        paths += [t for t in page.eval_on_selector_all("nav.tabs a", "links => links.map(a => a.getAttribute('href'))")
                  if t not in paths]  # a campaign's tabs
    overflowing = []
    for path in paths:
        if path != "/" and path in SEEN:  # a page several roles share is shot once
            continue
        SEEN.add(path)
        overflowing.append(visit(page, live_server + path, f"screen-{account}-{slug(path)}"))
    log_in(phone, live_server, account)
    shot(phone, f"screen-{account}-home-phone")
    overflowing = [where for where in overflowing if where]
    assert not overflowing, "pages wider than a phone: " + ", ".join(overflowing)


def test_public_pages_without_login(page, phone, live_server):
    page.goto(live_server + "/inspections/public/draws")
    draw = page.locator("main table tbody a").first.get_attribute("href")
    paths = PUBLIC + [draw, "/survey/results/2025", "/survey/results/2025/receipts", "/complaints/track"]
    overflowing = [visit(page, live_server + path, f"screen-public-{slug(path)}") for path in paths]
    for path in ["/survey/results/2025", "/grading/public", draw]:
        response = phone.goto(live_server + path)
        assert response.status < 400
        shot(phone, f"screen-public-{slug(path)}-phone")
    overflowing = [where for where in overflowing if where]
    assert not overflowing, "pages wider than a phone: " + ", ".join(overflowing)


def test_ballot_at_desktop_and_phone_width(page, phone, live_server):
    """head001 has not voted in the demo's open campaign: the ballot is shown, never submitted."""
    for view, name in ((page, "desktop"), (phone, "phone")):
        log_in(view, live_server, "head001")
        view.goto(live_server + "/survey/vote")
        view.locator("#counter-enforcement").wait_for()
        assert view.locator("#counter-enforcement").inner_text() == "满意 0/13 · 不满意 0/13"
        assert view.locator("#counter-service").inner_text() == "满意 0/6 · 不满意 0/6"
        check_page(view, f"screen-head001-ballot-{name}")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the ballot scrolls sideways on a phone: {width}px"
