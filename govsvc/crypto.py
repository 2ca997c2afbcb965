"""Keyed hashes for identifiers that must be matched but never stored in clear
(ID numbers, ballot credentials, receipts). The key comes from GOVSVC_HASH_KEY, falling back
to SECRET_KEY; set it separately in production so SECRET_KEY can be rotated freely."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from flask import current_app


@lru_cache(maxsize=64)
def _derive(master: str, purpose: str) -> bytes:
    return hmac.new(master.encode(), purpose.encode(), hashlib.sha256).digest()


def _key(purpose: str) -> bytes:
    return _derive(current_app.config.get("HASH_KEY") or current_app.config["SECRET_KEY"], purpose)


def keyed_hash(purpose: str, value: str) -> str:
    return hmac.new(_key(purpose), value.encode(), hashlib.sha256).hexdigest()


def random_token(nbytes: int = 16) -> str:
    """≥ 128 bits from the OS random source, as URL-safe text."""
    return secrets.token_urlsafe(max(nbytes, 16))
