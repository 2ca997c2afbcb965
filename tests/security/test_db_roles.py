"""Two database roles (issue 10, item 9): the owner migrates, the application role has data rights
only and cannot switch off the append-only triggers (PostgreSQL; SQLite has no roles). And
/healthz says 503 unless the schema is at this code's head revision."""
import os
import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from govsvc import create_app, resource_dir, schema
from govsvc.extensions import db
from tests.conftest import BASE_CONFIG, login


@pytest.fixture
def app_role(app, database_url, runner):
    """A fresh login role with the grants `govsvc db grant` makes; dropped afterwards."""
    if not database_url.startswith("postgresql"):
        pytest.skip("database roles: PostgreSQL only")
    name = f"govsvc_app_{os.environ.get('PYTEST_XDIST_WORKER', 'w')}_{uuid.uuid4().hex[:8]}"
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{name}" LOGIN'))
    result = runner.invoke(args=["db", "grant", "--app-role", name])
    assert result.exit_code == 0, result.output
    url = make_url(database_url).set(username=name, password=None).render_as_string(hide_password=False)
    yield name, url, result.output
    db.session.remove()
    with db.engine.begin() as conn:
        conn.execute(text(f'DROP OWNED BY "{name}"'))
        conn.execute(text(f'DROP ROLE "{name}"'))


def refused(engine, statement: str) -> str:
    """The error PostgreSQL gives the app role for `statement` ("" when it succeeded)."""
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    except DBAPIError as exc:
        return str(exc.orig).splitlines()[0]
    return ""


def test_the_app_role_cannot_disable_the_triggers_or_remove_the_log(app_role, factory):
    name, url, output = app_role
    factory.user("admin")
    db.session.commit()
    assert "audit_log：拒绝 DELETE、UPDATE" in output and "integrity_records：拒绝 DELETE" in output
    engine = create_engine(url)
    try:
        assert "must be owner" in refused(engine, "ALTER TABLE audit_log DISABLE TRIGGER ALL")
        assert "must be owner" in refused(engine, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete")
        assert "must be owner" in refused(engine, "ALTER TABLE integrity_records DISABLE TRIGGER ALL")
        assert "must be owner" in refused(engine, "DROP TABLE audit_log")
        assert "permission denied" in refused(engine, "DELETE FROM audit_log")
        assert "permission denied" in refused(engine, "UPDATE audit_log SET ip = ''")
        assert "permission denied" in refused(engine, "TRUNCATE audit_log")
        assert "permission denied" in refused(engine, "TRUNCATE users")
        assert "permission denied" in refused(engine, "DELETE FROM integrity_records")
        assert "permission denied" in refused(engine, "CREATE TABLE sneaky (id int)")
        assert "permission denied" in refused(engine, "UPDATE alembic_version SET version_num = 'x'")
        assert "permission denied" in refused(engine, "SET session_replication_role = replica")
        # … but it reads and writes data, and appends to the log
        assert refused(engine, "INSERT INTO audit_log (at, user_id, username, action, target, detail, purpose, ip, "
                               "category) VALUES (now(), NULL, '', 'test', '', '', '', '', 'general')") == ""
        assert refused(engine, "UPDATE users SET display_name = display_name") == ""
        # closing a survey destroys its sealed ballots with TRUNCATE (README, Ballot secrecy)
        assert refused(engine, "TRUNCATE survey_ballot_inbox") == ""
    finally:
        engine.dispose()


def test_the_application_serves_as_the_app_role(app_role, factory):
    """A login (reads users, writes login_attempts, the audit log, users.last_login_at) and /healthz."""
    name, url, _ = app_role
    user = factory.user("admin")
    db.session.commit()
    served = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    try:
        client = served.test_client()
        assert client.get("/healthz").status_code == 200
        assert login(client, user.username).status_code == 302
        assert client.get("/registry/enterprises").status_code == 200
    finally:
        with served.app_context():
            db.engine.dispose()


def test_grant_refuses_an_unknown_role_or_the_owner_itself(app, database_url, runner):
    if not database_url.startswith("postgresql"):
        result = runner.invoke(args=["db", "grant", "--app-role", "govsvc_app"])
        assert result.exit_code == 2 and "PostgreSQL" in result.stderr
        return
    result = runner.invoke(args=["db", "grant", "--app-role", "no_such_role_xyz"])
    assert result.exit_code == 2 and "不存在" in result.stderr
    owner = make_url(database_url).username
    result = runner.invoke(args=["db", "grant", "--app-role", owner])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


# -- /healthz checks the schema version ------------------------------------------------------------------
def test_healthz_is_ok_at_the_head_revision(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_healthz_is_503_on_an_older_schema(app, client):
    db.session.remove()
    directory = str(resource_dir("migrations"))
    downgrade(directory=directory, revision="-1")
    try:
        response = client.get("/healthz")
        assert response.status_code == 503 and response.get_json() == {"status": "schema-not-current"}
    finally:
        upgrade(directory=directory)  # (the PostgreSQL schema is shared by the session's tests)


def test_healthz_is_503_without_a_schema(tmp_path):
    empty = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}"})
    response = empty.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"status": "schema-not-current"}
    with empty.app_context():
        db.engine.dispose()


def test_healthz_is_503_when_the_database_is_unreachable():
    gone = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none"})
    response = gone.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"status": "database-unavailable"}


def test_the_schema_check_is_cached_for_a_few_seconds(app, client, monkeypatch):
    calls = []
    real = schema.check
    monkeypatch.setattr(schema, "check", lambda engine: calls.append(1) or real(engine))
    for _ in range(20):
        assert client.get("/healthz").status_code == 200
    assert len(calls) == 1
    cache = app.extensions["govsvc_schema"]
    cache.at -= schema.SCHEMA_CHECK_SECONDS + 0.1
    client.get("/healthz")
    assert len(calls) == 2


def test_healthz_skips_the_session_and_the_user(app, client, login_as, monkeypatch):
    """/healthz is answered before Flask: a logged-in browser asking it loads no user, opens no
    database session and gets no cookie, yet the answer still comes from the schema check."""
    from govsvc.auth import sessions

    login_as("justice")
    loads = []
    monkeypatch.setattr(app.login_manager, "_user_callback",
                        lambda cookie_id: loads.append(cookie_id) or sessions.load_user(cookie_id))
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert loads == [] and "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert client.head("/healthz").status_code == 200
    monkeypatch.setattr(schema, "status", lambda app, engine: schema.SchemaStatus(False, "schema"))
    assert client.get("/healthz").status_code == 503
    assert client.get("/").status_code == 200 and loads  # other pages still load the user


def test_healthz_takes_no_post(client):
    assert client.post("/healthz").status_code in (400, 405)


def test_the_head_is_read_from_the_migration_scripts():
    names = [p.name for p in (resource_dir("migrations") / "versions").glob("*.py")]
    assert all(any(rev in n for n in names) for rev in schema.head_revisions())
