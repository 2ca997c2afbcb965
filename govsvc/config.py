"""Configuration: defaults, overridden from the environment, then by create_app(config).

Only the environment holds settings for a deployment (DATABASE_URL, SECRET_KEY, ...);
nothing here touches the disk or the database.
"""
from __future__ import annotations

import os
from datetime import timedelta

# Placeholders people paste from tutorials: never a real key.
WEAK_SECRET_KEYS = frozenset({"", "dev", "secret", "changeme", "change-me", "secret-key", "your-secret-key"})
MIN_SECRET_KEY_LENGTH = 32


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment() -> dict:
    """The settings of this process, read from the environment (no I/O)."""
    settings = {
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", ""),
        "SESSION_COOKIE_SECURE": _env_bool("GOVSVC_COOKIE_SECURE", True),
        "HASH_KEY": os.environ.get("GOVSVC_HASH_KEY", ""),
    }
    if os.environ.get("GOVSVC_PASSWORD_HASH"):  # e.g. scrypt:16384:8:1 on a faster server
        settings["PASSWORD_HASH_METHOD"] = os.environ["GOVSVC_PASSWORD_HASH"].strip()
    return settings


DEFAULTS: dict = {
    "TESTING": False,
    "DEMO": False,
    # Sessions: signed cookie holding the user id and a per-user session token that logout
    # rotates; idle and absolute limits are checked on every request (govsvc.auth.sessions).
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "govsvc_session",
    # The survey is filled in at a long meeting: a ballot left open for two hours must
    # still submit, so the idle limit is longer than a typical office timeout.
    "IDLE_TIMEOUT": timedelta(hours=3),
    "ABSOLUTE_TIMEOUT": timedelta(hours=12),
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "REMEMBER_COOKIE_DURATION": timedelta(hours=12),  # remember-me is never offered
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
    "WTF_CSRF_SSL_STRICT": True,
    "WTF_I18N_ENABLED": False,  # WTForms' own Chinese messages (govsvc.extensions), no Babel
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    # Login throttling, kept in the database so it holds across worker processes and servers
    # (govsvc.auth.service; the numbers are argued in the README's security section). Failures
    # within the window count per (username, client network), per network, and per username; a
    # username's "usual" networks (a success within LOGIN_KNOWN_NETWORK_DAYS) are held only to
    # their own per-pair limit, so nobody elsewhere can lock the owner out.
    "LOGIN_MAX_FAILURES": 5,                  # per (username, network)
    "LOGIN_FAILURE_WINDOW": timedelta(minutes=15),
    "LOGIN_NETWORK_MAX_FAILURES": 300,        # per network, any usernames (a meeting room's NAT: 200 heads)
    "LOGIN_USERNAME_MAX_FAILURES": 50,        # per username from networks it has never logged in from
    "LOGIN_KNOWN_NETWORK_DAYS": 90,
    "LOGIN_RETENTION": timedelta(days=90),    # login_attempts rows older than this are deleted
    # werkzeug's scrypt string "scrypt:N:r:p"; a stored hash with other parameters is re-hashed
    # at the next successful login (govsvc.auth.passwords; chosen by bench/bench_login.py).
    "PASSWORD_HASH_METHOD": "scrypt:8192:8:1",
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "SQLITE_BUSY_TIMEOUT_MS": 10000,
    "PAGE_SIZE": 50,
    # Web imports larger than this run as background jobs with a status page.
    "IMPORT_BACKGROUND_BYTES": 512 * 1024,
}


def check_secret_key(config: dict) -> None:
    """Refuse to serve with a missing or placeholder SECRET_KEY (outside demo and tests)."""
    if config.get("TESTING") or config.get("DEMO"):
        return
    key = config.get("SECRET_KEY") or ""
    if key.strip().lower() in WEAK_SECRET_KEYS or len(key) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(
            "SECRET_KEY is missing or too weak: set the environment variable SECRET_KEY to a "
            f"random string of at least {MIN_SECRET_KEY_LENGTH} characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
