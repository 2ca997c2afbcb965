"""Session handling: the cookie carries "user id:session token"; the token is checked against
the database on every request, so logout, disabling an account or a password change ends
every session at once (a replayed cookie is refused). Idle and absolute limits are enforced
from timestamps in the signed cookie."""
from __future__ import annotations

import hmac
from datetime import datetime, timezone

from flask import Flask, current_app, flash, session
from flask_login import current_user, logout_user
from sqlalchemy.orm import joinedload

from govsvc.auth.models import User
from govsvc.extensions import db, login_manager
from govsvc.timeutil import utcnow

LOGIN_AT = "govsvc_login_at"
SEEN_AT = "govsvc_seen_at"
SEEN_REFRESH_SECONDS = 60


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdecimal() or not token:
        return None
    # One query on every request: the roles joined in (not the mapping's second, selectin query).
    user = db.session.get(User, int(user_id), options=[joinedload(User.role_rows)])
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def start(user: User) -> None:
    """Called right after login_user: fresh timestamps in a fresh, permanent session."""
    now = int(utcnow().timestamp())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session.permanent = True


def _expired(now: int) -> bool:
    cfg = current_app.config
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return True
    return (now - login_at > cfg["ABSOLUTE_TIMEOUT"].total_seconds()
            or now - seen_at > cfg["IDLE_TIMEOUT"].total_seconds())


def enforce_limits() -> None:
    """before_request: end a session that passed its idle or absolute limit."""
    if "_user_id" not in session:
        return
    now = int(datetime.now(timezone.utc).timestamp())
    if _expired(now):
        logout_user()
        session.clear()
        flash("会话已超时，请重新登录。", "warning")
        return
    if now - session[SEEN_AT] >= SEEN_REFRESH_SECONDS:
        session[SEEN_AT] = now


def end(user: User | None) -> None:
    """Logout: rotate the user's token (every copy of the cookie dies), clear the session."""
    if user is not None and user.is_authenticated:
        user.end_sessions()
    logout_user()
    session.clear()


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(enforce_limits)

    @app.context_processor
    def _user_context():
        return {"current_user": current_user}
