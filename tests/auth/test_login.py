"""Login, throttling, sessions that really end, password policy."""
import re
from datetime import timedelta

import pytest
from sqlalchemy.engine import make_url

from govsvc import create_app
from govsvc.audit.models import AuditEntry
from govsvc.auth import passwords, service
from govsvc.auth.models import LoginAttempt, User
from govsvc.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_from, form_post, login, logout
from tests.survey.test_write_lock import OtherWriter


def _strip_token(html: str) -> str:
    return re.sub(r'value="[^"]{20,}"', 'value=""', html)


def test_login_and_dashboard(client, factory):
    user = factory.user("admin")
    db.session.commit()
    response = login(client, user.username)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "您好" in client.get("/").get_data(as_text=True)
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "login.success"))


def test_anonymous_is_redirected_to_login(client):
    response = client.get("/registry/enterprises")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/registry/enterprises")


def test_next_parameter_cannot_redirect_offsite(client, factory):
    user = factory.user("admin")
    db.session.commit()
    html = client.get("/login").get_data(as_text=True)
    response = client.post("/login?next=//evil.example/x",
                           data={"username": user.username, "password": TEST_PASSWORD, "csrf_token": csrf_from(html)})
    assert response.headers["Location"] == "/"


def test_unknown_user_and_wrong_password_answer_alike(client, factory):
    user = factory.user("admin")
    db.session.commit()
    wrong = login(client, user.username, "wrong-password-1")
    unknown = login(client, "nobody-here", "wrong-password-1")
    assert wrong.status_code == unknown.status_code == 200
    assert "用户名或密码错误" in wrong.get_data(as_text=True)
    wrong_html = _strip_token(wrong.get_data(as_text=True)).replace(user.username, "U")
    unknown_html = _strip_token(unknown.get_data(as_text=True)).replace("nobody-here", "U")
    assert wrong_html == unknown_html
    actions = [a.action for a in db.session.scalars(db.select(AuditEntry))]
    assert actions.count("login.failed") == 2


def test_disabled_account_cannot_log_in(client, factory):
    user = factory.user("admin", active=False)
    db.session.commit()
    assert "用户名或密码错误" in login(client, user.username).get_data(as_text=True)


def test_throttle_after_five_failures_even_with_the_right_password(client, factory):
    user = factory.user("admin")
    db.session.commit()
    for _ in range(5):
        assert "用户名或密码错误" in login(client, user.username, "wrong-password-1").get_data(as_text=True)
    response = login(client, user.username)  # correct password, but throttled
    assert response.status_code == 200 and "登录失败次数过多" in response.get_data(as_text=True)


def test_guesses_in_parallel_cannot_slip_past_the_limit(app, factory, monkeypatch):
    """The password is checked before the attempt is recorded (outside SQLite's write lock), so
    the throttle is checked again when the attempt's turn comes: failures recorded by parallel
    attempts while this one checked its (right) password make it "throttled" too."""
    user = factory.user("admin")
    db.session.commit()
    real_verify = service.verify_password

    def verify_while_others_fail(stored, password):
        for _ in range(5):  # five parallel wrong guesses finish during this check
            db.session.add(LoginAttempt(username=user.username, success=False))
        db.session.commit()
        return real_verify(stored, password)

    monkeypatch.setattr(service, "verify_password", verify_while_others_fail)
    result = service.authenticate(user.username, TEST_PASSWORD)
    assert result.user is None and result.throttled
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginAttempt).where(
        LoginAttempt.success.is_(True))) == 0


def test_login_checks_the_password_outside_the_write_lock(client, factory, monkeypatch):
    """On SQLite the slow scrypt check runs before the login takes the write lock: another
    process (here a second connection) can still write while it runs."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's database-wide write lock")
    user = factory.user("admin")
    db.session.commit()
    other = OtherWriter(make_url(db.engine.url.render_as_string(hide_password=False)).database)
    writable = []
    real_verify = service.verify_password

    def verify(stored, password):
        writable.append(other.can_write())
        return real_verify(stored, password)

    monkeypatch.setattr(service, "verify_password", verify)
    assert login(client, user.username).status_code == 302
    assert writable == [True]


def test_throttle_holds_across_worker_processes(app_config, factory):
    """Two app instances (as two gunicorn workers) share the throttle through the database."""
    username = factory.user("admin").username
    db.session.commit()  # and no further reads here: this session would hold SQLite's write lock
    worker_a, worker_b = create_app(app_config), create_app(app_config)
    for i in range(5):
        client = (worker_a if i % 2 else worker_b).test_client()
        assert login(client, username, "wrong-password-1").status_code == 200
    response = login(worker_a.test_client(), username)
    assert "登录失败次数过多" in response.get_data(as_text=True)
    for worker in (worker_a, worker_b):
        with worker.app_context():
            db.engine.dispose()


def test_one_throttled_account_does_not_stop_200_users_behind_one_nat(client, factory):
    """200 users behind one NAT address all log in, while one of them is throttled there."""
    victim = factory.user("evaluator")
    users = [factory.user("evaluator", enterprise=victim.enterprise) for _ in range(200)]
    db.session.commit()
    for _ in range(5):
        login(client, victim.username, "wrong-password-1")
    for user in users:
        fresh = client.application.test_client()
        assert login(fresh, user.username).status_code == 302, user.username


def test_failures_expire_after_the_window(client, factory, app):
    user = factory.user("admin")
    db.session.commit()
    for _ in range(5):
        login(client, user.username, "wrong-password-1")
    for attempt in db.session.scalars(db.select(LoginAttempt)):
        attempt.at -= timedelta(minutes=16)
    db.session.commit()
    assert login(client, user.username).status_code == 302


def test_replayed_cookie_after_logout_is_refused(client, factory):
    user = factory.user("admin")
    db.session.commit()
    login(client, user.username)
    stolen = client.get_cookie("govsvc_session").value
    assert client.get("/registry/enterprises").status_code == 200
    logout(client)
    thief = client.application.test_client()
    thief.set_cookie("govsvc_session", stolen)
    assert thief.get("/registry/enterprises").status_code == 302


def test_disabling_an_account_ends_its_sessions(client, factory):
    user = factory.user("admin")
    db.session.commit()
    login(client, user.username)
    user.active = False
    user.end_sessions()
    db.session.commit()
    assert client.get("/registry/enterprises").status_code == 302


@pytest.mark.parametrize("key,age", [("govsvc_seen_at", timedelta(hours=3, minutes=1)),
                                     ("govsvc_login_at", timedelta(hours=12, minutes=1))])
def test_idle_and_absolute_timeouts(client, factory, key, age):
    user = factory.user("admin")
    db.session.commit()
    login(client, user.username)
    with client.session_transaction() as sess:
        sess[key] -= int(age.total_seconds())
        if key == "govsvc_login_at":
            sess["govsvc_seen_at"] = sess["govsvc_seen_at"]  # recently active, but logged in too long
    response = client.get("/registry/enterprises")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_session_survives_within_the_idle_limit(client, factory):
    user = factory.user("admin")
    db.session.commit()
    login(client, user.username)
    with client.session_transaction() as sess:
        sess["govsvc_seen_at"] -= int(timedelta(hours=2).total_seconds())  # a long meeting
    assert client.get("/registry/enterprises").status_code == 200


def test_password_policy():
    assert passwords.policy_errors("short") and "8" in passwords.policy_errors("short")[0]
    assert any("常见" in e for e in passwords.policy_errors("password123"))
    assert any("常见" in e for e in passwords.policy_errors("Qwerty123"))
    assert any("用户名" in e for e in passwords.policy_errors("zhangsan-2026", "zhangsan"))
    assert passwords.policy_errors("aaaaaaaaaa")
    assert passwords.policy_errors("steady-lantern-42", "zhangsan") == []


def test_production_hashes_are_scrypt(app):
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    assert passwords.hash_password("steady-lantern-42").startswith("scrypt:32768:8:1$")


def test_change_password_applies_policy_and_ends_other_sessions(client, factory):
    user = factory.user("admin")
    db.session.commit()
    login(client, user.username)
    other = client.application.test_client()
    login(other, user.username)
    weak = form_post(client, "/account/password", {"current": TEST_PASSWORD, "new": "12345678", "confirm": "12345678"})
    assert "常见" in weak.get_data(as_text=True)
    ok = form_post(client, "/account/password",
                   {"current": TEST_PASSWORD, "new": "steady-lantern-42", "confirm": "steady-lantern-42"})
    assert ok.status_code == 302
    assert client.get("/registry/enterprises").status_code == 200  # this session continues
    assert other.get("/registry/enterprises").status_code == 302  # the other one ended
    assert db.session.get(User, user.id).password_hash != ""
