"""The audit log is append-only in the database itself (triggers), on SQLite and PostgreSQL."""
import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError

from govsvc import audit
from govsvc.audit.models import AuditEntry
from govsvc.extensions import db


def _one_entry():
    audit.record("test.event", target="x", detail={"a": 1})
    db.session.commit()
    return db.session.scalar(db.select(AuditEntry.id))


@pytest.mark.parametrize("statement", [
    lambda i: update(AuditEntry).where(AuditEntry.id == i).values(action="forged"),
    lambda i: delete(AuditEntry).where(AuditEntry.id == i),
    lambda i: text("DELETE FROM audit_log"),
])
def test_database_refuses_update_and_delete(app, statement):
    entry_id = _one_entry()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(statement(entry_id))
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry_id).action == "test.event"


def test_postgres_refuses_truncate(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    _one_entry()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_log"))
    db.session.rollback()


def test_record_committed_survives_a_failed_request(app, factory):
    factory.unit("KEEP")  # pending work that must be discarded
    audit.record_committed("access.refused", target="/x")
    db.session.rollback()
    assert db.session.scalar(db.select(AuditEntry.action)) == "access.refused"
    from govsvc.registry.models import Unit

    assert db.session.scalar(db.select(Unit)) is None


def test_audit_page_filters_and_discipline_sees_only_integrity_entries(client, login_as):
    audit.record("integrity.read", target="person:1", purpose="干部提拔廉政鉴定", category="integrity")
    audit.record("user.create", target="user:9")
    db.session.commit()
    login_as("discipline")
    html = client.get("/audit/").get_data(as_text=True)
    assert "integrity.read" in html and "干部提拔廉政鉴定" in html and "user.create" not in html
    from tests.conftest import logout

    logout(client)
    login_as("admin")
    html = client.get("/audit/?q=user.create").get_data(as_text=True)
    assert "user.create" in html and "integrity.read" not in html


def test_unit_discipline_staff_see_only_their_own_integrity_entries(client, login_as, factory):
    audit.record("integrity.file.read", target="person:7", purpose="他人的查阅目的", category="integrity")
    db.session.commit()
    user = login_as("discipline", unit=factory.unit())
    audit.record("integrity.file.read", target="person:8", purpose="本人的查阅目的", category="integrity",
                 user_id=user.id, username=user.username)
    db.session.commit()
    html = client.get("/audit/").get_data(as_text=True)
    assert "本人的查阅目的" in html and "他人的查阅目的" not in html
