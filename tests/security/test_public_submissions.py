"""Anonymous public submissions keep no address (issue 10, item 8): not in the audit log, not in
the complaint, not as a keyed hash (reversible by enumerating IPv4 to anyone with the key) —
except in the abuse throttle, as a keyed hash of the network, deleted after its window."""
from datetime import timedelta

from sqlalchemy import select

from govsvc.audit.models import AuditEntry
from govsvc.crypto import keyed_hash
from govsvc.extensions import db
from govsvc.integrity import clues
from govsvc.throttle import ThrottleHit
from tests.conftest import csrf_from

ADDRESS = "198.51.100.23"


def complain(app, address: str, title: str = "税务人员要求购买指定软件"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_from(client.get("/complaints/").get_data(as_text=True))
    return client.post("/complaints/", data={"title": title, "description": "经过……", "enterprise_related": "y",
                                             "csrf_token": token})


def every_stored_value() -> list[str]:
    """Every value of every row of every table, as text."""
    values = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            values += [str(v) for v in row if v is not None]
    return values


def test_a_complaint_keeps_no_address_anywhere(app):
    response = complain(app, ADDRESS)
    assert response.status_code == 200 and "查询码" in response.get_data(as_text=True)
    entries = db.session.scalars(select(AuditEntry)).all()
    assert {e.action for e in entries} == {"matter.create", "integrity.clue.create"}
    assert {e.ip for e in entries} == {""}
    stored = every_stored_value()
    old_submitter_key = keyed_hash("complaint-submitter", ADDRESS)  # the scheme the audit found
    assert not [v for v in stored if ADDRESS in v or old_submitter_key in v]
    # The throttle's one row: a keyed hash of the network, nothing else.
    hits = db.session.scalars(select(ThrottleHit)).all()
    assert [(h.scope, len(h.key)) for h in hits] == [("complaint", 64)]


def test_staff_entries_still_record_their_address(client, login_as):
    client.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    login_as("admin")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login.success"))
    assert entry.ip == "10.1.2.3"


def test_the_throttle_forgets_after_its_window(app, factory):
    complain(app, ADDRESS)
    assert db.session.scalar(select(ThrottleHit.id)) is not None
    for hit in db.session.scalars(select(ThrottleHit)):
        hit.at -= clues.ONLINE_WINDOW + timedelta(seconds=1)
    db.session.commit()
    # The next public submission or login attempt, by anyone, deletes it.
    factory.user("admin", username="clerk")
    db.session.commit()
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "clerk", "password": "wrong-password-1", "csrf_token": token})
    assert db.session.scalar(select(ThrottleHit.id)) is None


def test_the_abuse_throttle_still_counts_per_network(app):
    for n in range(clues.ONLINE_LIMIT):
        assert "查询码" in complain(app, ADDRESS, f"第{n + 1}次").get_data(as_text=True)
    refused = complain(app, ADDRESS, "第六次").get_data(as_text=True)
    assert "提交过于频繁" in refused
    assert "查询码" in complain(app, "198.51.100.24", "另一处").get_data(as_text=True)
    # IPv6: one subscriber's /64 is one network
    for n in range(clues.ONLINE_LIMIT):
        complain(app, f"2001:db8:5:6::{n + 1}", f"v6-{n}")
    assert "提交过于频繁" in complain(app, "2001:db8:5:6:ffff::1", "v6-6").get_data(as_text=True)
    db.session.commit()
