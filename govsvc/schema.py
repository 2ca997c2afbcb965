"""Is the database's schema the one this code expects? For `/healthz` (a server whose database
was never upgraded, or was upgraded by a newer release, is not healthy) and `govsvc db grant`.

The head revision is read from the migration scripts once per process; the database's revision
(alembic_version) once per SCHEMA_CHECK_SECONDS per app, so a health check stays about as cheap
as a hello-world request (measured in bench/bench_login.py)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

SCHEMA_CHECK_SECONDS = 5.0


@dataclass(frozen=True)
class SchemaStatus:
    ok: bool
    reason: str = ""            # "" | "database" (unreachable) | "schema" (not at the head)
    current: tuple[str, ...] = ()
    head: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def head_revisions() -> tuple[str, ...]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from govsvc import resource_dir

    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    return tuple(sorted(ScriptDirectory.from_config(config).get_heads()))


def check(engine) -> SchemaStatus:
    """One look at the database (a connection of its own, outside any request transaction)."""
    from govsvc.database import read_only

    head = head_revisions()
    try:
        with read_only(), engine.connect() as conn:  # a plain read on SQLite, never BEGIN IMMEDIATE
            current = tuple(sorted(r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))))
    except SQLAlchemyError as exc:
        # No alembic_version table: a database never upgraded. Anything else: unreachable.
        message = str(getattr(exc, "orig", exc)).lower()
        missing = "alembic_version" in message and ("no such table" in message or "does not exist" in message)
        return SchemaStatus(False, "schema" if missing else "database", (), head)
    return SchemaStatus(current == head, "" if current == head else "schema", current, head)


class _Cache:
    def __init__(self):
        self.lock = threading.Lock()
        self.status: SchemaStatus | None = None
        self.at = 0.0


def status(app: Flask, engine) -> SchemaStatus:
    """check(), remembered for SCHEMA_CHECK_SECONDS in this process (per app)."""
    cache = app.extensions.setdefault("govsvc_schema", _Cache())
    now = time.monotonic()
    if cache.status is not None and now - cache.at < SCHEMA_CHECK_SECONDS:
        return cache.status
    with cache.lock:
        if cache.status is None or time.monotonic() - cache.at >= SCHEMA_CHECK_SECONDS:
            cache.status, cache.at = check(engine), time.monotonic()
        return cache.status
