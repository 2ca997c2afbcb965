"""Browser test of the integrity module (Debian's chromium, skipped when absent): the purpose
step before a file, the clue form showing only the fields of the chosen action (integrity.js),
the public certificate check on a phone-sized screen, and 403 for a non-discipline role.
Screenshots go to test-artifacts/."""
from __future__ import annotations

import shutil
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from govsvc import create_app
from govsvc.extensions import db
from tests.conftest import BASE_CONFIG, TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no /usr/bin/chromium")]


@pytest.fixture
def live(sqlite_template, tmp_path):
    """A real HTTP server on a migrated SQLite copy, with a little integrity data."""
    path = tmp_path / "e2e.db"
    shutil.copy(sqlite_template, path)
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SESSION_COOKIE_SECURE": False,
                      "WTF_CSRF_SSL_STRICT": False})
    with app.app_context():
        from govsvc.integrity import certificates, clues, records
        from tests.factories import Factory

        factory = Factory()
        unit = factory.unit("SCJ", name="市市场监督管理局")
        person = factory.person(unit, name="李爱丽", post="科长")
        city = factory.user("discipline", username="jw")
        factory.user("evaluator", username="head")
        clue, _ = clues.intake(city, channel="clue.hotline", title="执法人员吃拿卡要", description="来电反映",
                               unit_id=unit.id, enterprise_related=True)
        records.file_record(city, person, {"decision": "demerit", "decision_date": date.today() - timedelta(days=30),
                                           "facts": "吃拿卡要", "filed_by": "city_commission"})
        cert = certificates.issue(city, person, requested_by="市委组织部", purpose="拟提拔考察")
        data = {"person": person.id, "clue": clue.matter_id, "number": cert.number,
                "code": certificates.verification_code(cert.content)}
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", data
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


def _login(page, base, username):
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")


def test_integrity_pages_in_a_browser(live, browser):
    """`browser` is the session's chromium (tests/e2e/conftest.py): one Playwright per run."""
    base, data = live
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(page, base, "jw")
    page.goto(f"{base}/integrity/persons/{data['person']}")
    assert "/integrity/purpose" in page.url
    page.select_option("select[name=purpose]", "干部选拔任用考察")
    page.click("form.form button[type=submit]")
    assert page.url.endswith(f"/integrity/persons/{data['person']}")
    assert page.locator("text=不得提拔重用").count() == 1
    page.screenshot(path=str(ARTIFACTS / "integrity-file.png"), full_page=True)

    page.goto(f"{base}/integrity/clues/{data['clue']}")
    assert page.is_visible("#act-unit_code") and not page.is_visible("#act-verification")
    page.select_option("#act-target", "returned")
    assert not page.is_visible("#act-unit_code") and page.is_visible("#act-note")
    page.screenshot(path=str(ARTIFACTS / "integrity-clue.png"), full_page=True)

    page.context.clear_cookies()
    _login(page, base, "head")
    response = page.goto(f"{base}/integrity/")
    assert response.status == 403

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{base}/verify/")
    phone.fill("input[name=number]", data["number"])
    phone.fill("input[name=code]", data["code"].lower())
    phone.click("form.form button[type=submit]")
    assert phone.locator("text=验证码与本系统出具的证书相符").count() == 1
    assert phone.locator("text=李爱丽").count() == 0
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page overflows a phone screen: {width}px"
    phone.screenshot(path=str(ARTIFACTS / "integrity-verify-phone.png"), full_page=True)
    page.close()
    phone.close()
