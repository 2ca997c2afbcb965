"""Engine set-up for SQLite (several worker processes) and PostgreSQL.

SQLite: WAL, durable commits (synchronous=FULL), busy_timeout, foreign keys, and write
transactions that start with BEGIN IMMEDIATE (SQLAlchemy's documented pysqlite recipe), so
concurrent writers queue on the busy timeout instead of failing with "database is locked".
Requests with a safe method (GET/HEAD/OPTIONS) open a plain deferred BEGIN so readers never
queue behind a writer; everything else (POST requests, CLI commands, tests) writes.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import sqlite3

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url

SQLITE_BUSY_TIMEOUT_MS = 10000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def normalise_url(url: str) -> str:
    """postgres:// and postgresql:// mean psycopg 3, the driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def default_sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + os.path.join(os.path.abspath(instance_path), "govsvc.db")


def engine_options(url: str) -> dict:
    if make_url(url).get_backend_name() == "postgresql":
        return {"pool_pre_ping": True, "pool_recycle": 1800}
    return {}


_read_only: contextvars.ContextVar[bool] = contextvars.ContextVar("govsvc_read_only", default=False)


@contextlib.contextmanager
def read_only():
    """Transactions begun inside are plain deferred reads on SQLite (background jobs that read
    for a long time while others write). Do not write inside."""
    token = _read_only.set(True)
    try:
        yield
    finally:
        _read_only.reset(token)


def mark_write() -> None:
    """Call before the first query of a GET request that must write (rare)."""
    g.govsvc_db_write = True


def _wants_write(conn: Connection) -> bool:
    if conn.get_execution_options().get("govsvc_write"):
        return True
    if _read_only.get():
        return False
    if has_request_context() and request.method in SAFE_METHODS:
        return bool(g.get("govsvc_db_write"))
    return True


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_conn, _record) -> None:
    if not isinstance(dbapi_conn, sqlite3.Connection):
        return
    dbapi_conn.isolation_level = None  # SQLAlchemy's begin event below emits BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write(conn) else "BEGIN")
