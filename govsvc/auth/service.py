"""Use cases for accounts: authenticate with throttling, create and change users."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, insert, or_, select, text

from govsvc import audit
from govsvc.auth.models import LoginAttempt, User, UserRole
from govsvc.auth.passwords import dummy_hash, hash_password, needs_rehash, policy_errors, verify_password
from govsvc.auth.roles import ALL_ROLES, NEEDS_ENTERPRISE, NEEDS_UNIT
from govsvc.database import begin_write
from govsvc.extensions import db
from govsvc.throttle import network_of, purge_expired
from govsvc.timeutil import utcnow


class AccountError(ValueError):
    """A refused account change; the message is for the user (Chinese)."""


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


# Why a login is refused before its password counts (audit detail, and the message shown).
PAIR, NETWORK, USERNAME = "pair", "network", "username"


def throttle_reason(username: str, address: str = "") -> str:
    """"" when an attempt for `username` from `address` may be checked, else why not:

    - PAIR: LOGIN_MAX_FAILURES failures for this username from this network within the window
      (since this pair's last success) — the owner's typos, or a guesser at one place;
    - NETWORK: LOGIN_NETWORK_MAX_FAILURES failures from this network within the window, for any
      usernames — one address spraying many accounts is slowed to that rate;
    - USERNAME: LOGIN_USERNAME_MAX_FAILURES failures for this username within the window, from
      anywhere — guessing one account from many addresses is slowed to that rate.

    A network from which this username logged in within LOGIN_KNOWN_NETWORK_DAYS (its "usual
    place") is held to the PAIR limit only: nobody elsewhere can lock the owner out there."""
    cfg = current_app.config
    key = normalise_username(username)
    network = network_of(address)
    now = utcnow()
    window_start = now - cfg["LOGIN_FAILURE_WINDOW"]
    failed = LoginAttempt.success.is_(False)
    pair = and_(LoginAttempt.username == key, LoginAttempt.address == network)
    last_success = (select(func.max(LoginAttempt.at)).where(pair, LoginAttempt.success.is_(True))
                    .scalar_subquery())

    def count(*where):
        return select(func.count()).select_from(LoginAttempt).where(failed, LoginAttempt.at > window_start,
                                                                    *where).scalar_subquery()

    # One round trip: this pair's last success, and the three failure counts.
    row = db.session.execute(select(
        last_success.label("last_success"),
        count(pair, or_(last_success.is_(None), LoginAttempt.at > last_success)).label("pair"),
        count(LoginAttempt.address == network).label("network"),
        count(LoginAttempt.username == key).label("username"),
    )).one()
    if row.pair >= cfg["LOGIN_MAX_FAILURES"]:
        return PAIR
    if row.last_success is not None and row.last_success > now - timedelta(days=cfg["LOGIN_KNOWN_NETWORK_DAYS"]):
        return ""  # the owner's usual place
    if row.network >= cfg["LOGIN_NETWORK_MAX_FAILURES"]:
        return NETWORK
    if row.username >= cfg["LOGIN_USERNAME_MAX_FAILURES"]:
        return USERNAME
    return ""


def is_throttled(username: str, address: str = "") -> bool:
    return bool(throttle_reason(username, address))


@dataclass
class LoginResult:
    user: User | None
    throttled: bool = False
    reason: str = ""


def authenticate(username: str, password: str, address: str = "") -> LoginResult:
    """Check credentials from a client `address`. Unknown user, disabled user and wrong password
    look alike to the caller and take the same time; every attempt is recorded and audited.

    The password check (scrypt, the slow part) runs before the write: in the @read_first login
    view SQLite's write lock is taken only for recording the attempt. The throttle is checked
    again once attempts for this name are serialised (SQLite's write lock; a transaction-scoped
    advisory lock on PostgreSQL), so parallel guesses cannot slip past the limit: a guess whose
    turn comes after the limit is answered "throttled", whatever its password. A hash made with
    other scrypt parameters than the configured ones is replaced after a successful check (the
    new hash, too, is computed before the write)."""
    key = normalise_username(username)[:64]
    network = network_of(address)
    reason = throttle_reason(key, address)
    if reason:
        return _throttled(key, reason)
    user = db.session.scalar(select(User).where(User.username == key)) if key else None
    new_hash = None
    if user is None:
        verify_password(dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
        if ok and needs_rehash(user.password_hash):
            new_hash = hash_password(password)
    _serialise_attempts(key)
    reason = throttle_reason(key, address)
    if reason:
        return _throttled(key, reason)
    db.session.add(LoginAttempt(username=key, address=network, success=ok))
    _prune()
    if not ok:
        audit.record("login.failed", target=key, username=key)
        return LoginResult(None)
    user = db.session.scalar(select(User).where(User.username == key))  # reloaded under the write
    if user is None:  # removed while its password was checked
        return LoginResult(None)
    if new_hash is not None:
        user.password_hash = new_hash
    user.last_login_at = utcnow()
    audit.record("login.success", target=key, user_id=user.id, username=user.username,
                 detail={"rehashed": True} if new_hash else None)
    return LoginResult(user)


def _prune() -> None:
    """Login attempts past their use, and expired public-throttle rows (govsvc.throttle)."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - current_app.config["LOGIN_RETENTION"]))
    purge_expired()


def _serialise_attempts(key: str) -> None:
    begin_write()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "govsvc.login:" + key})


def _throttled(key: str, reason: str) -> LoginResult:
    begin_write()
    audit.record("login.throttled", target=key, username=key, detail={"reason": reason})
    return LoginResult(None, throttled=True, reason=reason)


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


def create_users(accounts: list[dict], *, password_hash: str) -> dict[str, int]:
    """Many accounts sharing one password hash (the demo's), each checked as `create_user` checks
    it, written at once: one executemany for the users, one for their roles, one for the audit
    entries (issue 11: the demo's 371 accounts cost 680 flushes one by one). `accounts`: dicts
    with username, roles and optionally display_name, unit_id, enterprise_id. Returns the ids by
    username."""
    rows, roles_of = [], {}
    for account in accounts:
        key = normalise_username(account["username"])
        if not key or len(key) > 64 or not all(c.isalnum() or c in "-_." for c in key):
            raise AccountError("用户名只能包含字母、数字、“-”、“_”和“.”，长度 1–64。")
        if key in roles_of:
            raise AccountError(f"用户名 {key} 已存在。")
        roles = tuple(account["roles"])
        _check_links(roles, account.get("unit_id"), account.get("enterprise_id"))
        roles_of[key] = sorted(set(roles))
        rows.append({"username": key, "display_name": account.get("display_name") or key,
                     "password_hash": password_hash, "unit_id": account.get("unit_id"),
                     "enterprise_id": account.get("enterprise_id")})
    if not rows:
        return {}
    taken = db.session.scalar(select(User.username).where(User.username.in_(list(roles_of))).limit(1))
    if taken is not None:
        raise AccountError(f"用户名 {taken} 已存在。")
    db.session.execute(insert(User), rows)
    ids = dict(db.session.execute(select(User.username, User.id).where(User.username.in_(list(roles_of)))).all())
    db.session.execute(insert(UserRole), [{"user_id": ids[key], "role": role}
                                          for key, roles in roles_of.items() for role in roles])
    audit.record_many("user.create", [(f"user:{ids[key]}", {"username": key, "roles": roles})
                                      for key, roles in roles_of.items()])
    return ids


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
