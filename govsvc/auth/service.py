"""Use cases for accounts: authenticate with throttling, create and change users."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, text

from govsvc import audit
from govsvc.auth.models import LoginAttempt, User
from govsvc.auth.passwords import dummy_hash, hash_password, policy_errors, verify_password
from govsvc.auth.roles import ALL_ROLES, NEEDS_ENTERPRISE, NEEDS_UNIT
from govsvc.database import begin_write
from govsvc.extensions import db
from govsvc.timeutil import utcnow


class AccountError(ValueError):
    """A refused account change; the message is for the user (Chinese)."""


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def is_throttled(username: str) -> bool:
    """Too many failures for this username since its last success within the window."""
    cfg = current_app.config
    key = normalise_username(username)
    since = utcnow() - cfg["LOGIN_FAILURE_WINDOW"]
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.username == key, LoginAttempt.success.is_(True))
    )
    if last_success is not None and last_success > since:
        since = last_success
    failures = db.session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.username == key, LoginAttempt.success.is_(False), LoginAttempt.at > since
        )
    )
    return failures >= cfg["LOGIN_MAX_FAILURES"]


@dataclass
class LoginResult:
    user: User | None
    throttled: bool = False


def authenticate(username: str, password: str) -> LoginResult:
    """Check credentials. Unknown user, disabled user and wrong password look alike to the
    caller and take the same time; every attempt is recorded and audited.

    The password check (scrypt, the slow part) runs before the write: in the @read_first login
    view SQLite's write lock is taken only for recording the attempt. The throttle is checked
    again once attempts for this name are serialised (SQLite's write lock; a transaction-scoped
    advisory lock on PostgreSQL), so parallel guesses cannot slip past the limit: a guess whose
    turn comes after the limit is answered "throttled", whatever its password."""
    key = normalise_username(username)[:64]
    if is_throttled(key):
        return _throttled(key)
    user = db.session.scalar(select(User).where(User.username == key)) if key else None
    if user is None:
        verify_password(dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
    _serialise_attempts(key)
    if is_throttled(key):
        return _throttled(key)
    db.session.add(LoginAttempt(username=key, success=ok))
    if not ok:
        audit.record("login.failed", target=key, username=key)
        return LoginResult(None)
    user.last_login_at = utcnow()
    audit.record("login.success", target=key, user_id=user.id, username=user.username)
    return LoginResult(user)


def _serialise_attempts(key: str) -> None:
    begin_write()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "govsvc.login:" + key})


def _throttled(key: str) -> LoginResult:
    begin_write()
    audit.record("login.throttled", target=key, username=key)
    return LoginResult(None, throttled=True)


def _check_links(roles, unit_id, enterprise_id) -> None:
    unknown = set(roles) - set(ALL_ROLES)
    if unknown:
        raise AccountError(f"未知角色：{'、'.join(sorted(unknown))}")
    if set(roles) & NEEDS_UNIT and unit_id is None:
        raise AccountError("部门（单位）账号和银行账号必须关联一个单位。")
    if set(roles) & NEEDS_ENTERPRISE and enterprise_id is None:
        raise AccountError("评议企业负责人账号和企业用户账号必须关联一家企业。")


def create_user(username: str, password: str, roles, *, display_name: str = "", unit_id=None,
                enterprise_id=None, password_hash: str | None = None) -> User:
    """Create an account. `password_hash` lets the demo loader reuse one hash for many accounts."""
    key = normalise_username(username)
    if not key or len(key) > 64 or not all(c.isalnum() or c in "-_." for c in key):
        raise AccountError("用户名只能包含字母、数字、“-”、“_”和“.”，长度 1–64。")
    if db.session.scalar(select(User.id).where(User.username == key)) is not None:
        raise AccountError(f"用户名 {key} 已存在。")
    _check_links(roles, unit_id, enterprise_id)
    if password_hash is None:
        problems = policy_errors(password, key)
        if problems:
            raise AccountError(" ".join(problems))
        password_hash = hash_password(password)
    user = User(username=key, display_name=display_name or key, password_hash=password_hash,
                unit_id=unit_id, enterprise_id=enterprise_id)
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", target=f"user:{user.id}", detail={"username": key, "roles": sorted(roles)})
    return user


def update_user(user: User, *, roles, display_name: str, active: bool, unit_id, enterprise_id) -> None:
    _check_links(roles, unit_id, enterprise_id)
    before = {"roles": sorted(user.roles), "active": user.active, "unit_id": user.unit_id,
              "enterprise_id": user.enterprise_id}
    user.set_roles(roles)
    user.display_name = display_name or user.username
    user.unit_id, user.enterprise_id = unit_id, enterprise_id
    if user.active and not active:
        user.end_sessions()
    user.active = active
    after = {"roles": sorted(roles), "active": active, "unit_id": unit_id, "enterprise_id": enterprise_id}
    db.session.flush()
    audit.record("user.update", target=f"user:{user.id}", detail={"before": before, "after": after})


def set_password(user: User, password: str) -> None:
    problems = policy_errors(password, user.username)
    if problems:
        raise AccountError(" ".join(problems))
    user.password_hash = hash_password(password)
    user.end_sessions()
    db.session.flush()
    audit.record("user.password", target=f"user:{user.id}")
