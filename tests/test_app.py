"""The application factory, configuration, security headers and error pages."""
import os
import subprocess
import sys

import pytest
from flask import Blueprint

from govsvc import create_app
from govsvc.auth.access import check_every_view_has_access, public
from tests.conftest import BASE_CONFIG, csrf_from, login


def test_create_app_does_no_disk_or_database_io(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setenv("GOVSVC_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({**BASE_CONFIG})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance}/govsvc.db"
    assert not instance.exists()  # neither the folder nor the database file was created


def test_postgres_urls_use_psycopg3_with_pre_ping():
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "postgresql://u@h/db"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


@pytest.mark.parametrize("key", ["", "dev", "changeme", "short-key"])
def test_refuses_to_serve_without_a_real_secret_key(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_demo_and_tests_run_without_a_configured_key():
    assert create_app({"DEMO": True, "SECRET_KEY": "", "SQLALCHEMY_DATABASE_URI": "sqlite://"}).secret_key


def test_startup_check_refuses_a_view_without_access_decorator():
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    bp = Blueprint("leaky", __name__)

    @bp.route("/leaky")
    def leaky():
        return "secret"

    app.register_blueprint(bp)
    with pytest.raises(RuntimeError, match="leaky.leaky"):
        check_every_view_has_access(app)


def test_every_registered_view_is_decorated():
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    check_every_view_has_access(app)  # create_app ran it too; here it is explicit
    assert public(lambda: None)._govsvc_access == "public"


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _assert_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"):
        assert directive in csp


def test_security_headers_on_pages_and_errors(app, client):
    @app.route("/boom")
    @public
    def boom():
        raise ZeroDivisionError("secret detail")

    for path, status in (("/login", 200), ("/no-such-page", 404), ("/boom", 500)):
        response = client.get(path)
        assert response.status_code == status
        _assert_security_headers(response)
    body = client.get("/boom").get_data(as_text=True)
    assert "ZeroDivisionError" not in body and "secret detail" not in body and "Traceback" not in body
    assert "系统错误" in body


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    assert "max-age" in client.get("/login", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_sensitive_pages_are_not_cached(client, login_as):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    login_as("admin")
    assert client.get("/registry/enterprises").headers["Cache-Control"] == "no-store"


def test_login_page_is_chinese_with_csrf_field(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in html and "登录" in html and "用户名" in html
    assert csrf_from(html)
    assert 'name="username"' in html and 'name="password"' in html


def test_post_without_csrf_token_is_refused(client, factory, app):
    from govsvc.extensions import db

    user = factory.user("admin")
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": "correct-horse-battery"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    _assert_security_headers(response)


def test_logged_in_form_without_csrf_is_refused(client, login_as):
    login_as("admin")
    response = client.post("/ledger/new", data={"title": "x", "priority": "normal"})
    assert response.status_code == 400


def test_session_cookie_flags(client, factory):
    from govsvc.extensions import db

    user = factory.user("admin")
    db.session.commit()
    response = login(client, user.username)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "remember_token" not in " ".join(response.headers.getlist("Set-Cookie"))


def test_form_messages_are_chinese(client, login_as):
    from tests.conftest import form_post

    login_as("admin")
    html = client.get("/registry/tax?year=abc").get_data(as_text=True)
    assert "不是有效的整数" in html and "Not a valid" not in html
    html = form_post(client, "/ledger/new", {"title": "x", "priority": "nonsense", "deadline": "2026-13-45"}) \
        .get_data(as_text=True)
    assert "不是有效的日期值" in html and "不是有效的选择" in html and "Not a valid" not in html


def test_visitors_see_the_public_pages_in_the_navigation(client):
    html = client.get("/login").get_data(as_text=True)
    nav = html.split('aria-label="主导航"', 1)[1].split("</nav>", 1)[0]
    for label in ("评议结果公示", "评级名单公示", "双随机抽取公示", "涉企问题投诉", "廉政鉴定核验"):
        assert label in nav
    assert "企业名录" not in nav


def test_public_pages_offer_a_login_link_except_the_login_page(client, login_as):
    """Issue 10 (16): a visitor on a public page finds 登录 in the header; the login page itself
    and a logged-in user's pages do not offer it."""
    def header(path):
        html = client.get(path).get_data(as_text=True)
        return html.split('<header class="topbar">', 1)[1].split("<nav", 1)[0]

    for path in ("/survey/results/", "/grading/public", "/complaints/"):
        assert '<a href="/login">登录</a>' in header(path), path
    assert ">登录</a>" not in header("/login")
    login_as("organizer")
    assert ">登录</a>" not in header("/survey/results/") and "退出" in header("/survey/results/")


@pytest.mark.parametrize("args, detail", [
    (["grading", "compute", "--year", "abc"], "'--year'"),
    (["registry", "top", "--n", "x"], "'--n'"),
    (["no-such-command"], "no-such-command"),
])
def test_console_script_usage_errors_are_one_line_and_status_2(tmp_path, args, detail):
    """click's own refusals go through the same one-line rule as ours (not its usage block)."""
    exe = os.path.join(os.path.dirname(sys.executable), "govsvc")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run([exe, *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：命令行参数有误") and detail in lines[0]
    assert "Traceback" not in done.stderr and not (tmp_path / "x.db").exists()


def test_a_nul_in_a_query_or_form_value_is_a_400_not_a_500(client, login_as):
    """PostgreSQL refuses NUL in text; the query fuzz found /grading/objections?q=%00 → 500 there."""
    login_as("justice")
    assert client.get("/grading/objections?q=%00").status_code == 400
    assert client.get("/ledger/?q=a%00b").status_code == 400
    assert client.post("/logout", data={"x": "\x00"}).status_code == 400
    assert client.get("/grading/objections?q=ok").status_code == 200


def test_an_id_beyond_the_database_integer_is_a_404(client, login_as):
    login_as("admin")
    assert client.get("/ledger/99999999999999999999").status_code == 404
    assert client.get(f"/ledger/{2**31}").status_code == 404
    assert client.get(f"/ledger/{2**31 - 1}").status_code == 404  # in range, just not there


def test_lazy_url_rules_build_the_same_urls_as_werkzeugs_rules():
    """govsvc.routing.LazyRule defers werkzeug's URL builders to their first use: every rule of
    the app builds the same URL, with and without unknown arguments (the query string), as a plain
    werkzeug Rule — so a werkzeug upgrade that changes the builders' internals fails here."""
    from werkzeug.routing import Map, Rule
    from werkzeug.routing.converters import AnyConverter, NumberConverter

    from govsvc.routing import LazyRule

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    assert len(rules) > 300 and all(isinstance(r, LazyRule) for r in rules)
    plain = Map([Rule(r.rule, endpoint=r.endpoint, methods=r.methods, defaults=r.defaults) for r in rules],
                converters=app.url_map.converters)
    ours, theirs = app.url_map.bind("govsvc.example"), plain.bind("govsvc.example")
    for rule in rules:
        values = {name: 7 if isinstance(conv, NumberConverter) else min(conv.items)
                  if isinstance(conv, AnyConverter) else "甲 b/c" for name, conv in rule._converters.items()}
        for extra in ({}, {"page": 2, "q": "名 &x"}):
            assert ours.build(rule.endpoint, {**values, **extra}, method="GET" if "GET" in rule.methods else None) \
                == theirs.build(rule.endpoint, {**values, **extra}, method="GET" if "GET" in rule.methods else None)
