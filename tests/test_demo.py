"""The demo: seed data loaded through the imports, demo accounts, and the real server."""
import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import func, select

from govsvc.auth.models import User, UserRole
from govsvc.demo import seed_demo
from govsvc.extensions import db
from govsvc.registry.models import Enterprise, Person, TaxRecord, Unit
from scoring.credit_code import is_valid
from tests.conftest import login
from tests.live import demo_server

DEMO_PASSWORD = "demo-password"


def count(stmt):
    return db.session.scalar(select(func.count()).select_from(stmt))


def test_seed_demo_loads_the_city(app):
    accounts = seed_demo(DEMO_PASSWORD)
    db.session.commit()
    assert count(Enterprise) >= 290
    assert count(select(Unit).where(Unit.survey_category == "enforcement").subquery()) == 40
    assert count(select(Unit).where(Unit.survey_category == "service").subquery()) == 19
    assert count(select(Unit).where(Unit.level == "county").subquery()) > 0
    assert count(Person) > 0
    assert {y for (y,) in db.session.execute(select(TaxRecord.year).distinct())} >= {2023, 2024, 2025}
    assert all(is_valid(c) for c in db.session.scalars(select(Enterprise.credit_code)))
    heads = db.session.scalars(select(User).where(User.username.like("head%"))).all()
    assert len(heads) == 200 and all(h.enterprise_id for h in heads)
    assert len({h.enterprise_id for h in heads}) == 200
    for name in ("admin", "organizer", "notary", "justice", "finance", "leader", "discipline", "dept-scj"):
        assert db.session.scalar(select(User).where(User.username == name)), name
    assert db.session.scalar(select(User).where(User.username == "discipline")).unit_id is None
    assert accounts == count(User)
    assert count(select(UserRole).where(UserRole.role == "department").subquery()) == count(Unit)
    # The demo's history reads like a real one: last year's grading was published last year.
    from govsvc.grading.models import GradingRound
    rounds = {r.year: r for r in db.session.scalars(select(GradingRound))}
    latest = max(rounds)
    assert (rounds[latest].published_at - rounds[latest - 1].published_at).days >= 300


def test_demo_accounts_log_in(client, app):
    seed_demo(DEMO_PASSWORD)
    db.session.commit()
    assert login(client, "admin", "wrong-password").status_code == 200
    assert login(client, "admin", DEMO_PASSWORD).status_code == 302
    html = client.get("/registry/enterprises").get_data(as_text=True)
    assert re.search(r"\b91370\d{3}[0-9A-Z]{10}\b", html)


@pytest.mark.slow
def test_govsvc_serve_demo_end_to_end(tmp_path):
    """The foundation's acceptance check, against the real server process."""
    # The database's folder does not exist yet: the demo creates it.
    with demo_server(tmp_path, database=tmp_path / "x" / "demo.db") as base:
        jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

        def get(path):
            try:
                r = opener.open(base + path, timeout=10)
                return r.status, r.headers, r.read().decode()
            except urllib.error.HTTPError as e:
                return e.code, e.headers, e.read().decode()

        def post_login(password):
            status, _, html = get("/login")
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
            data = urllib.parse.urlencode({"username": "admin", "password": password, "csrf_token": token}).encode()
            try:
                r = opener.open(urllib.request.Request(base + "/login", data=data), timeout=30)
                return r.status, r.read().decode()
            except urllib.error.HTTPError as e:
                return e.code, e.read().decode()

        status, _, html = get("/login")
        assert status == 200 and "登录" in html and 'name="csrf_token"' in html
        status, headers, _ = get("/registry/enterprises")
        assert status == 302 and "/login" in headers["Location"]
        status, html = post_login("not-the-password")
        assert status == 200 and "用户名或密码错误" in html
        status, _ = post_login(DEMO_PASSWORD)
        assert status == 302
        status, _, html = get("/registry/enterprises")
        assert status == 200 and re.search(r"91370\d{3}[0-9A-Z]{10}", html) and "共 300 条" in html


def test_demo_refuses_a_public_host_without_allow_remote(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "govsvc")
    result = subprocess.run([exe, "serve", "--demo", "--host", "0.0.0.0"], capture_output=True, text=True,
                            env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/d.db"}, timeout=60)
    assert result.returncode == 2 and "--allow-remote" in result.stderr
    assert not (tmp_path / "d.db").exists()


def test_production_serve_refuses_without_secret_key(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "govsvc")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/p.db"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([exe, "serve"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and "SECRET_KEY" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
