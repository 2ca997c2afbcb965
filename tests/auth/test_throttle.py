"""Login throttle by (username, network), by network and by username (issue 10, item 6): nobody
can lock an account's owner out, one address spraying many accounts is slowed, a meeting room of
200 heads behind one NAT address still logs in. All in the database (across workers)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from govsvc.audit.models import AuditEntry
from govsvc.auth import passwords, service
from govsvc.auth.models import LoginAttempt, User
from govsvc.extensions import db
from govsvc.throttle import network_of
from tests.conftest import CHEAP_HASH, TEST_PASSWORD, csrf_from

OWNER_PLACE, ATTACKER, MEETING_ROOM = "198.51.100.10", "203.0.113.66", "192.0.2.1"
WRONG = "wrong-password-1"


class Browser:
    """One browser at one client address: GET the form once, then POST logins with its token."""

    def __init__(self, app, address: str):
        self.client = app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = address
        self.token = csrf_from(self.client.get("/login").get_data(as_text=True))

    def login(self, username: str, password: str = TEST_PASSWORD):
        response = self.client.post("/login", data={"username": username, "password": password,
                                                    "csrf_token": self.token})
        if response.status_code == 302:  # logged in: log out, so that the next login is a fresh one
            with self.client.session_transaction() as session:
                session.clear()
            self.token = csrf_from(self.client.get("/login").get_data(as_text=True))
        return response


def ok(response) -> bool:
    return response.status_code == 302


def throttled(response) -> bool:
    return response.status_code == 200 and "登录失败次数过多" in response.get_data(as_text=True)


def test_five_wrong_passwords_elsewhere_do_not_lock_the_owner_out(app, factory):
    head = factory.user("evaluator", username="head150")
    db.session.commit()
    assert ok(Browser(app, OWNER_PLACE).login("head150"))  # the owner's usual place
    attacker = Browser(app, ATTACKER)
    for _ in range(5):
        assert "用户名或密码错误" in attacker.login("head150", WRONG).get_data(as_text=True)
    assert throttled(attacker.login("head150"))          # the guesser's place is throttled, right password or not
    assert ok(Browser(app, OWNER_PLACE).login("head150"))  # the owner is not
    assert ok(Browser(app, "198.51.100.77").login("head150"))  # nor at a new place
    assert db.session.get(User, head.id).last_login_at is not None


def test_the_owners_own_typos_still_throttle_the_owners_place(app, factory):
    factory.user("admin", username="clerk")
    db.session.commit()
    place = Browser(app, OWNER_PLACE)
    assert ok(place.login("clerk"))
    for _ in range(5):
        place.login("clerk", WRONG)
    assert throttled(place.login("clerk"))


def test_a_spray_of_1000_requests_from_one_address_locks_no_head_and_is_slowed(app, factory):
    """The audit's attack: 1,000 anonymous requests, five per head, from one address (through the
    service, in one transaction to keep the test quick; the login page's own path is walked below).
    Then the evaluation meeting: 200 heads in one room behind one NAT address, each mistyping once."""
    enterprise = factory.enterprise()
    heads = [factory.user("evaluator", username=f"head{n:03d}", enterprise=enterprise) for n in range(1, 201)]
    db.session.commit()
    answers = []
    for _ in range(5):
        for head in heads:
            with app.test_request_context("/login", method="POST", environ_base={"REMOTE_ADDR": ATTACKER}):
                answers.append(service.authenticate(head.username, WRONG, ATTACKER))
    db.session.commit()
    limit = app.config["LOGIN_NETWORK_MAX_FAILURES"]
    assert not any(r.throttled for r in answers[:limit])
    assert all(r.throttled and r.reason == service.NETWORK for r in answers[limit:])  # slowed: budget spent
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.address == ATTACKER)) == limit
    assert throttled(Browser(app, ATTACKER).login("head200"))  # even the right password, from there, waits
    room = Browser(app, MEETING_ROOM)
    for head in heads:
        assert "用户名或密码错误" in room.login(head.username, WRONG).get_data(as_text=True), head.username
        assert ok(room.login(head.username)), head.username
    db.session.commit()


def test_one_account_guessed_from_many_addresses_is_slowed_but_its_usual_place_works(app, factory):
    factory.user("evaluator", username="head007")
    db.session.commit()
    assert ok(Browser(app, OWNER_PLACE).login("head007"))
    limit = app.config["LOGIN_USERNAME_MAX_FAILURES"]
    for n in range(limit):
        assert not throttled(Browser(app, f"203.0.113.{n + 1}").login("head007", WRONG))
    assert throttled(Browser(app, "203.0.113.200").login("head007"))  # a new place: slowed
    assert ok(Browser(app, OWNER_PLACE).login("head007"))              # the usual place: never


def test_ipv6_addresses_count_by_their_64_prefix(app, factory):
    factory.user("admin", username="clerk6")
    db.session.commit()
    for n in range(5):
        Browser(app, f"2001:db8:1:2::{n + 1}").login("clerk6", WRONG)
    assert throttled(Browser(app, "2001:db8:1:2:ffff::9").login("clerk6"))
    assert ok(Browser(app, "2001:db8:1:3::1").login("clerk6"))


@pytest.mark.parametrize("address,network", [("203.0.113.9", "203.0.113.9"), ("::ffff:203.0.113.9", "203.0.113.9"),
                                             ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"), ("junk", ""), (None, "")])
def test_network_of(address, network):
    assert network_of(address) == network


def test_throttled_attempts_are_audited_with_the_reason(app, factory):
    factory.user("admin", username="clerk")
    db.session.commit()
    attacker = Browser(app, ATTACKER)
    for _ in range(6):
        attacker.login("clerk", WRONG)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login.throttled"))
    assert entry.detail == '{"reason": "pair"}' and entry.ip == ATTACKER


def test_old_attempts_are_pruned(app, factory):
    factory.user("admin", username="clerk")
    db.session.commit()
    Browser(app, ATTACKER).login("clerk", WRONG)
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.at -= app.config["LOGIN_RETENTION"] + timedelta(minutes=1)
    db.session.commit()
    Browser(app, OWNER_PLACE).login("clerk")
    assert [a.address for a in db.session.scalars(select(LoginAttempt))] == [OWNER_PLACE]


# -- hashes made with other scrypt parameters are replaced at the next successful login ---------------
def test_an_old_hash_verifies_and_is_replaced_after_a_successful_login(app, factory):
    user = factory.user("admin", username="oldhash")
    db.session.commit()
    assert user.password_hash.startswith(CHEAP_HASH + "$")
    app.config["PASSWORD_HASH_METHOD"] = "scrypt:2048:8:1"
    place = Browser(app, OWNER_PLACE)
    assert not ok(place.login("oldhash", WRONG))
    assert db.session.get(User, user.id).password_hash.startswith(CHEAP_HASH + "$")  # a failure changes nothing
    assert ok(place.login("oldhash"))
    db.session.expire_all()
    new_hash = db.session.get(User, user.id).password_hash
    assert new_hash.startswith("scrypt:2048:8:1$") and passwords.verify_password(new_hash, TEST_PASSWORD)
    assert ok(place.login("oldhash"))  # and the new one verifies
    assert db.session.get(User, user.id).password_hash == new_hash


def test_needs_rehash_reads_the_parameters_from_the_hash(app):
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    assert passwords.method_prefix("scrypt") == "scrypt:32768:8:1"
    assert not passwords.needs_rehash("scrypt:32768:8:1$salt$abc")
    assert passwords.needs_rehash("scrypt:16384:8:1$salt$abc")
    assert passwords.needs_rehash("pbkdf2:sha256:600000$salt$abc")


def test_the_service_serialises_and_rechecks_with_the_address(app, factory, monkeypatch):
    """Parallel guesses from one place cannot slip past the pair limit (as before, per address)."""
    user = factory.user("admin")
    db.session.commit()
    real_verify = service.verify_password

    def verify_while_others_fail(stored, password):
        for _ in range(5):
            db.session.add(LoginAttempt(username=user.username, address=ATTACKER, success=False))
        db.session.commit()
        return real_verify(stored, password)

    monkeypatch.setattr(service, "verify_password", verify_while_others_fail)
    with app.test_request_context("/login", method="POST"):
        result = service.authenticate(user.username, TEST_PASSWORD, ATTACKER)
    assert result.user is None and result.throttled and result.reason == service.PAIR
