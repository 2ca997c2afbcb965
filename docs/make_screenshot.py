"""Regenerate the README's screenshot (docs/screenshot-dashboard.png, 1280 × 860) from a running
demo: `govsvc serve --demo --port 5091`, then `python docs/make_screenshot.py http://127.0.0.1:5091`.
Needs playwright and a chromium (Debian's /usr/bin/chromium by default)."""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "screenshot-dashboard.png"


def main(base: str, chromium: str = "/usr/bin/chromium") -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        page.goto(base + "/login")
        page.get_by_label("用户名").fill("admin")
        page.get_by_label("密码").fill("demo-password")
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        page.screenshot(path=str(OUT))
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
