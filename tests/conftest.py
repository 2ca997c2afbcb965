"""Test fixtures: an app with a fresh database per test, on SQLite always and on PostgreSQL
when GOVSVC_TEST_DATABASE_URL is set (every database test then runs on both).

SQLite: the schema is built once per session by the real migrations into a template file,
which each test copies. PostgreSQL: the schema is built once per session by the migrations;
each test starts from truncated tables.
"""
from __future__ import annotations

import html as html_module
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from flask import current_app, g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import create_engine, text

from govsvc import create_app, resource_dir
from govsvc.extensions import db

# Hypothesis's per-example time limit (200 ms) measures the machine, not the code: on a busy
# 2-core CI box pure scoring tests tripped it. Timing belongs in bench/, so no deadline here.
settings.register_profile("govsvc", deadline=None)
settings.load_profile("govsvc")

PG_URL = os.environ.get("GOVSVC_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
TEST_PASSWORD = "correct-horse-battery"
CHEAP_HASH = "scrypt:1024:8:1"  # tests hash many passwords; production uses werkzeug's default scrypt

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-" + "x" * 32,
    "HASH_KEY": "test-hash-key",
    "PASSWORD_HASH_METHOD": CHEAP_HASH,
    "SESSION_COOKIE_SECURE": True,
}


def _pg_url() -> str:
    """The test database; with xdist each worker gets its own (`<name>_gw0`, …), created here."""
    from sqlalchemy.engine import make_url

    from govsvc.database import normalise_url

    url = make_url(normalise_url(PG_URL))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url.render_as_string(hide_password=False)
    url = url.set(database=f"{url.database}_{worker}")
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    server.dispose()
    return url.render_as_string(hide_password=False)


def _migrate(url: str) -> None:
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(resource_dir("migrations")))
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_schema():
    url = _pg_url()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _migrate(url)
    return url


_PG_ENGINES: dict = {}


CLEANUP_APPLICATION = "govsvc-test-cleanup"


def wait_for_other_backends(conn, timeout: float = 30.0) -> None:
    """Wait until no client backend but this one and the clean-up's is connected to this database
    (each xdist worker has its own). A backend flushes its pending statistics (pg_stat_user_tables)
    as it exits, after its client has gone: a test that reads those counters waits for the backends
    of earlier tests (or its own disposed ones) to be gone, or their counts land after it started
    (or after it read). A connection some test left open is ended after five seconds (a terminated
    backend flushes its statistics too)."""
    others = ("FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' "
              "AND pid <> pg_backend_pid() AND application_name <> :a")
    start = time.monotonic()
    terminated = False
    # pg_stat_clear_snapshot: inside a transaction pg_stat_activity is otherwise read once.
    while conn.execute(text("SELECT pg_stat_clear_snapshot()")) and conn.execute(
            text("SELECT count(*) " + others), {"a": CLEANUP_APPLICATION}).scalar():
        waited = time.monotonic() - start
        if waited > timeout:
            raise TimeoutError("connections to the test database stayed open after pg_terminate_backend")
        if waited > 5 and not terminated:
            conn.execute(text("SELECT pg_terminate_backend(pid) " + others), {"a": CLEANUP_APPLICATION})
            terminated = True
        time.sleep(0.05)


def _truncate_pg(url: str, *, fresh: bool = False) -> None:
    """Empty every table and restart every sequence. DELETE, not TRUNCATE: TRUNCATE gives each of
    the ~125 tables a new file and syncs them at commit, 2.5–4 s per test on the CI machine (most of
    the PostgreSQL half of the suite); deleting the few rows a test leaves takes about 20 ms.
    `fresh` (the `fresh_tables` marker) truncates instead, for the tests that read the physical
    order of rows: deleted rows leave free space that new rows fill out of arrival order."""
    engine = _PG_ENGINES.get(url)
    if engine is None:
        engine = _PG_ENGINES[url] = create_engine(
            url, pool_size=1, connect_args={"application_name": CLEANUP_APPLICATION})
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"))]
        sequences = [r[0] for r in conn.execute(text(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"))]
        # Test clean-up only: replica mode skips the foreign keys and the audit log's append-only
        # triggers (superuser), so the order of the deletes does not matter.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        if fresh:
            wait_for_other_backends(conn)  # their statistics flush before the truncation, not after
            conn.execute(text("SELECT pg_stat_force_next_flush()"))  # and ours as soon as it commits
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
        else:
            conn.execute(text("; ".join(f'DELETE FROM "{t}"' for t in tables)))
        if sequences:
            conn.execute(text("SELECT " + ", ".join(f"setval('\"{q}\"', 1, false)" for q in sequences)))


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_schema")
    _truncate_pg(url, fresh=request.node.get_closest_marker("fresh_tables") is not None)
    return url


@pytest.fixture
def app_config(database_url) -> dict:
    return {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url}


class FreshGlobalsClient(FlaskClient):
    """Tests keep an app context pushed (so they can use db.session); a request reuses it, and
    with it `g`. A real server gives each request a new `g`: clear it before every request, so
    nothing cached there (the logged-in user, the CSRF token) leaks from one request to the next."""

    def open(self, *args, **kwargs):
        if has_app_context() and current_app._get_current_object() is self.application:
            vars(g._get_current_object()).clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# -- helpers ----------------------------------------------------------------------------
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no csrf_token field in the page"
    return match.group(1) or match.group(2)


def form_post(client, url: str, data: dict, *, page: str | None = None, **kwargs):
    """Post a form the way a browser does: fetch the page for its CSRF token, then submit."""
    html = client.get(page or url).get_data(as_text=True)
    return client.post(url, data={**data, "csrf_token": csrf_from(html)}, **kwargs)


def confirmed_post(client, url: str, data: dict, *, page: str | None = None, **kwargs):
    """Post an irreversible action with its confirmation (`confirmed=1`, govsvc/confirm.py), as the
    confirmation page's 确认 button does."""
    return form_post(client, url, {**data, "confirmed": "1"}, page=page, **kwargs)


def confirm_page(response) -> dict:
    """The confirmation page a POST without confirmation answers with: asserts it is one and
    returns the fields its 确认 button posts (CSRF token, the original fields, confirmed=1)."""
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "请确认" in html and "此操作不能撤回" in html, html[:2000]
    form = html[html.index('<form method="post" action="', html.index("confirm-heading")):]
    form = form[:form.index("</form>")]
    return {name: html_module.unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)}


def login(client, username: str, password: str = TEST_PASSWORD):
    return form_post(client, "/login", {"username": username, "password": password})


def logout(client):
    html = client.get("/").get_data(as_text=True)
    return client.post("/logout", data={"csrf_token": csrf_from(html)})


@pytest.fixture
def factory(app):
    from tests.factories import Factory

    return Factory()


@pytest.fixture
def login_as(client, factory):
    """login_as("justice") → a committed user holding that role, logged in on `client`."""

    def _login_as(*roles, **kwargs):
        user = factory.user(*roles, **kwargs)
        db.session.commit()
        response = login(client, user.username)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return _login_as
