"""Keyed hashes for identifiers that must be matched but never stored in clear
(ID numbers, ballot credentials, receipts). The key comes from GOVSVC_HASH_KEY, falling back
to SECRET_KEY; set it separately in production so SECRET_KEY can be rotated freely.

A keyed hash made with a key that exists only in this process (a CLI started without either
variable gets a random SECRET_KEY) would never match what the server stored: an ID number would
be "not found", an import would create duplicates that can never be found. So such a key is
refused (`EphemeralKeyError`); only tests may hash with one (the demo has a fixed key)."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from flask import current_app

KEY_VARIABLES = "GOVSVC_HASH_KEY（或 SECRET_KEY）"
EPHEMERAL_KEY_MESSAGE = (f"未设置密钥：请设置环境变量 {KEY_VARIABLES}，与服务器使用的相同；"
                         "临时随机密钥算出的散列与库中保存的对不上（查不到人员、导入产生重复）。")


class EphemeralKeyError(RuntimeError):
    """A keyed hash was asked for while the key exists only in this process."""

    def __init__(self):
        super().__init__(EPHEMERAL_KEY_MESSAGE)


def _master(config) -> str:
    if config.get("HASH_KEY"):
        return config["HASH_KEY"]
    if config.get("SECRET_KEY_EPHEMERAL") and not config.get("TESTING"):
        raise EphemeralKeyError()
    return config["SECRET_KEY"]


def has_stable_key(config=None) -> bool:
    """True when keyed hashes made here match those of the server (same variables set)."""
    try:
        _master(config if config is not None else current_app.config)
    except EphemeralKeyError:
        return False
    return True


def require_stable_key() -> None:
    """Raise EphemeralKeyError before any work when keyed hashes could not match (CLI commands
    call this first; keyed_hash itself refuses as well)."""
    _master(current_app.config)


@lru_cache(maxsize=64)
def _derive(master: str, purpose: str) -> bytes:
    return hmac.new(master.encode(), purpose.encode(), hashlib.sha256).digest()


def _key(purpose: str) -> bytes:
    return _derive(_master(current_app.config), purpose)


def keyed_hash(purpose: str, value: str) -> str:
    return hmac.digest(_key(purpose), value.encode(), "sha256").hex()


def keyed_hasher(purpose: str):
    """keyed_hash for many values: the key is looked up once (a list of 100,000 ID numbers)."""
    key = _key(purpose)
    return lambda value: hmac.digest(key, value.encode(), "sha256").hex()


def random_token(nbytes: int = 16) -> str:
    """≥ 128 bits from the OS random source, as URL-safe text."""
    return secrets.token_urlsafe(max(nbytes, 16))
