"""Password policy and hashing (werkzeug scrypt)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def policy_errors(password: str, username: str = "") -> list[str]:
    """Every reason the password is refused, in Chinese; empty when it is acceptable."""
    errors = []
    if len(password) < MIN_LENGTH:
        errors.append(f"密码至少需要 {MIN_LENGTH} 个字符。")
    lowered = password.lower()
    if lowered in common_passwords():
        errors.append("该密码过于常见，容易被猜中，请换一个。")
    elif len(set(password)) <= 2:
        errors.append("密码不能由一两个字符重复组成。")
    if username and len(username) >= 3 and username.lower() in lowered:
        errors.append("密码不能包含用户名。")
    return errors


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@lru_cache(maxsize=8)
def method_prefix(method: str) -> str:
    """The parameters werkzeug writes for `method`, e.g. "scrypt" → "scrypt:32768:8:1"."""
    return generate_password_hash("x", method=method).split("$", 1)[0]


def needs_rehash(password_hash: str) -> bool:
    """True when a stored hash was made with other parameters than the configured method's
    (werkzeug's hash string carries them, so the old hash still verifies until replaced)."""
    return password_hash.split("$", 1)[0] != method_prefix(current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=4)
def dummy_hash(method: str) -> str:
    """A hash to check against for an unknown user, so both answers take the same time."""
    return generate_password_hash("not-a-real-password-0", method=method)
