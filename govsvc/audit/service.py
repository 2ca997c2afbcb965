"""Writing audit entries."""
from __future__ import annotations

import json
from functools import wraps

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import insert

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db


def _actor() -> tuple[int | None, str]:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.username
    return None, ""


def _address() -> str:
    if not has_request_context():
        return "cli"
    if g.get("govsvc_audit_no_address"):
        return ""
    return (request.remote_addr or "")[:64]


def without_address(view):
    """For views that take anonymous public submissions (a complaint): their audit entries keep
    no client address (issue 10, item 8). Put it below the access decorator."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        g.govsvc_audit_no_address = True
        return view(*args, **kwargs)

    return wrapper


def _values(action: str, target: str = "", detail=None, *, purpose: str = "", category: str = "general",
            user_id: int | None = None, username: str | None = None) -> dict:
    actor_id, actor_name = (user_id, username) if user_id is not None and username is not None else _actor()
    return dict(
        user_id=user_id if user_id is not None else actor_id,
        username=username if username is not None else actor_name,
        action=action,
        target=str(target)[:255],
        detail=detail if isinstance(detail, str) else json.dumps(detail or {}, ensure_ascii=False, default=str, sort_keys=True),
        purpose=purpose,
        ip=_address(),
        category=category,
    )


def record(action: str, target: str = "", detail=None, *, purpose: str = "", category: str = "general",
           user_id: int | None = None, username: str | None = None) -> None:
    """Write an audit entry in the current transaction (it commits with the change it records).
    One plain INSERT on the table, no ORM flush (issue 11: the demo's seeding paid 3,147 flushes
    for its entries); pending ORM changes are written by the next flush as usual."""
    db.session.execute(insert(AuditEntry.__table__), [_values(action, target, detail, purpose=purpose,
                                                              category=category, user_id=user_id, username=username)])


def record_many(action: str, entries: list[tuple[str, object]], **kwargs) -> None:
    """Entries of one action, (target, detail) each, written at once (one executemany), as
    `record` would write them one by one: for bulk loads such as the demo's accounts."""
    if entries:
        db.session.execute(insert(AuditEntry.__table__), [_values(action, target, detail, **kwargs)
                                                          for target, detail in entries])


def record_committed(action: str, target: str = "", detail=None, **kwargs) -> None:
    """Keep an entry although the request fails: discard pending work, write, commit."""
    db.session.rollback()
    record(action, target, detail, **kwargs)
    db.session.commit()
