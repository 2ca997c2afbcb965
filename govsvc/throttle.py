"""Client networks, and the abuse throttle of anonymous public submissions.

`network_of(address)` is what every throttle counts by: an IPv4 address as it is, an IPv6 address
by its /64 prefix (one subscriber gets a whole /64, so counting single IPv6 addresses would let
one machine spray from 2^64 of them).

Anonymous public submissions (the online complaint column, and any other public form) keep no
address: the audit entry is written without one (`govsvc.audit.without_address`) and the
submission itself stores none. The throttle alone remembers a keyed hash of the network, one row
per submission, for its window only: rows past the window are deleted at the next public
submission or login attempt, whichever comes first (`purge_expired`).
"""
from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from sqlalchemy import Index, Integer, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from govsvc.crypto import keyed_hash
from govsvc.extensions import db
from govsvc.timeutil import utcnow
from govsvc.types import UTCDateTime

IPV6_PREFIX = 64
# scope → (limit, window): at most `limit` submissions per network within `window`.
SCOPES: dict[str, tuple[int, timedelta]] = {}
MAX_WINDOW = timedelta(hours=24)  # no scope may keep a row longer than this


class ThrottleHit(db.Model):
    """One anonymous public submission: scope, keyed hash of the network, time. Deleted once
    older than its scope's window."""

    __tablename__ = "public_throttle"
    __table_args__ = (Index("ix_public_throttle_scope_key_at", "scope", "key", "at"),
                      Index("ix_public_throttle_at", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Throttled(Exception):
    """Too many submissions from this network within the scope's window."""


def network_of(address: str | None) -> str:
    """'203.0.113.9' → '203.0.113.9'; '2001:db8:1:2:3::4' → '2001:db8:1:2::/64'; junk → ''."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


def register_scope(scope: str, limit: int, window: timedelta) -> str:
    if window > MAX_WINDOW:
        raise ValueError(f"a public throttle window is at most {MAX_WINDOW}")
    SCOPES[scope] = (limit, window)
    return scope


def purge_expired(now: datetime | None = None) -> None:
    """Delete every row older than its scope's window (a row of an unknown scope: MAX_WINDOW)."""
    now = now or utcnow()
    for scope, (_, window) in SCOPES.items():
        db.session.execute(delete(ThrottleHit).where(ThrottleHit.scope == scope, ThrottleHit.at <= now - window))
    db.session.execute(delete(ThrottleHit).where(ThrottleHit.at <= now - MAX_WINDOW))


def hit(scope: str, address: str | None) -> None:
    """Count one submission from `address` in `scope`; raise Throttled (writing nothing) when the
    network already reached the limit within the window."""
    limit, window = SCOPES[scope]
    now = utcnow()
    purge_expired(now)
    key = keyed_hash("public-throttle:" + scope, network_of(address))
    recent = db.session.scalar(select(func.count()).select_from(ThrottleHit).where(
        ThrottleHit.scope == scope, ThrottleHit.key == key, ThrottleHit.at > now - window))
    if recent >= limit:
        raise Throttled()
    db.session.add(ThrottleHit(scope=scope, key=key, at=now))
