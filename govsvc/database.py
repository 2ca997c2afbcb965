"""Engine set-up for SQLite (several worker processes) and PostgreSQL.

SQLite: WAL, durable commits (synchronous=FULL), busy_timeout, foreign keys, and write
transactions that start with BEGIN IMMEDIATE (SQLAlchemy's documented pysqlite recipe), so
concurrent writers queue on the busy timeout instead of failing with "database is locked".
Requests with a safe method (GET/HEAD/OPTIONS) open a plain deferred BEGIN so readers never
queue behind a writer; everything else (POST requests, CLI commands, tests) writes.

Hot POST views (a ballot arriving with hundreds of others) are marked `@read_first`: their
reading, validation and rendering run in a deferred read transaction, and the service calls
`begin_write()` right before its first write, which ends the read and starts BEGIN IMMEDIATE.
The write lock is then held only for the short write and the commit, not for the whole request:
with the lock held request-long, a burst of concurrent writers starves on SQLite's polling busy
handler and some exceed busy_timeout ("database is locked"). A write refused by the service
calls `end_write()`, so the form is re-rendered outside the lock. PostgreSQL keeps one
transaction per request (row locks and constraints settle races there).
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import random
import sqlite3
import threading
import time

from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import Pool

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


READ_FIRST_ATTR = "_govsvc_read_first"


def read_first(view):
    """Mark a POST view whose writes all happen in a service that calls begin_write() first.
    Put it directly above the function (below the access decorator, which copies the mark)."""
    setattr(view, READ_FIRST_ATTR, True)
    return view


def _read_first_request() -> bool:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, READ_FIRST_ATTR, False))


def _sqlite_session() -> bool:
    from govsvc.extensions import db

    return db.session.get_bind().dialect.name == "sqlite"


def begin_write() -> None:
    """Services call this before their first write. In a @read_first request on SQLite it ends
    the read transaction (nothing was written in it) so that the next statement opens BEGIN
    IMMEDIATE; loaded objects are expired and reload under the write lock. Elsewhere a no-op."""
    from govsvc.extensions import db

    if not has_request_context() or g.get("govsvc_db_write") or not _read_first_request():
        return
    if _sqlite_session():
        if db.session.new or db.session.dirty or db.session.deleted:
            raise RuntimeError("begin_write(): the read phase of a @read_first request changed data")
        db.session.rollback()
    g.govsvc_db_write = True


def end_write() -> None:
    """After a write refused by the service (a SurveyError …): drop it and go back to reading, so
    the page re-rendered with the message does not hold the write lock. Elsewhere a no-op."""
    from govsvc.extensions import db

    if not has_request_context() or not g.get("govsvc_db_write") or not _read_first_request():
        return
    if _sqlite_session():
        db.session.rollback()
    g.govsvc_db_write = False


def request_finished() -> None:
    """The request committed (or rolled back) its one transaction: whatever it still reads while
    the response is finished (an expired user reloaded by a header hook) is a plain read, never
    a second BEGIN IMMEDIATE queueing for the write lock."""
    g.govsvc_db_done = True


def _wants_write(conn: Connection) -> bool:
    if conn.get_execution_options().get("govsvc_write"):
        return True
    if _read_only.get():
        return False
    if has_request_context() and g.get("govsvc_db_done"):
        return False
    if has_request_context() and (request.method in SAFE_METHODS or _read_first_request()):
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


# -- queueing SQLite writers ----------------------------------------------------------------------
# SQLite's busy handler polls with growing sleeps (up to 100 ms): under a burst, a writer that has
# waited a while sleeps through the brief moments the lock is free and newcomers take it, until
# it passes busy_timeout ("database is locked") although every write is short. So writers queue:
# within a process first come, first served (threads wait without polling), and the one writer
# per process whose turn it is asks SQLite for the lock with short jittered sleeps, so every
# process gets a fair turn.
_WRITER_LOCK = "govsvc_writer_lock"


class _Turns:
    """A lock served first come, first served (a ticket queue), with a timeout."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0        # the next ticket handed out
        self._serving = 0     # the ticket whose turn it is
        self._gone: set[int] = set()  # tickets whose holders stopped waiting

    def acquire(self, timeout: float) -> bool:
        with self._cond:
            ticket = self._next
            self._next += 1
            if self._cond.wait_for(lambda: self._serving == ticket, timeout):
                return True
            self._gone.add(ticket)
            return False

    def release(self) -> None:
        with self._cond:
            self._serving += 1
            while self._serving in self._gone:
                self._gone.discard(self._serving)
                self._serving += 1
            self._cond.notify_all()


_writer_locks: dict[str, _Turns] = {}
_writer_locks_guard = threading.Lock()
os.register_at_fork(after_in_child=_writer_locks.clear)  # a forked worker starts with free locks


def _writer_lock(database: str) -> _Turns:
    with _writer_locks_guard:
        return _writer_locks.setdefault(database, _Turns())


def _release_writer(info: dict) -> None:
    lock = info.pop(_WRITER_LOCK, None)
    if lock is not None:
        lock.release()


def _begin_immediate(conn: Connection) -> None:
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    lock = _writer_lock(conn.engine.url.database or "")
    if not lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
        raise sqlite3.OperationalError("database is locked (waited for this process's writers)")
    conn.info[_WRITER_LOCK] = lock
    cur = conn.connection.dbapi_connection.cursor()
    try:
        cur.execute("PRAGMA busy_timeout = 0")
        delay = 0.0005
        while True:
            try:
                cur.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.004)
    except BaseException:
        _release_writer(conn.info)
        raise
    finally:
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    if _wants_write(conn):
        _begin_immediate(conn)
    else:
        conn.exec_driver_sql("BEGIN")


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _sqlite_on_end(conn: Connection) -> None:
    # Fired just before COMMIT/ROLLBACK: the next writer of this process starts polling for the
    # SQLite lock while this one finishes.
    if conn.dialect.name == "sqlite":
        _release_writer(conn.info)


@event.listens_for(Pool, "checkin")
@event.listens_for(Pool, "close")
def _sqlite_on_return(dbapi_connection, connection_record) -> None:
    """A connection returned or closed without COMMIT/ROLLBACK ends its write."""
    if connection_record is not None:
        _release_writer(connection_record.info)


@event.listens_for(Pool, "reset")
def _sqlite_on_reset(dbapi_connection, connection_record, reset_state) -> None:
    _sqlite_on_return(dbapi_connection, connection_record)


@event.listens_for(Pool, "invalidate")
def _sqlite_on_invalidate(dbapi_connection, connection_record, exception) -> None:
    _sqlite_on_return(dbapi_connection, connection_record)



@contextlib.contextmanager
def gc_paused():
    """Bulk reads that build hundreds of thousands of small objects which all stay alive (a row
    per person, a result per ID number): the cyclic garbage collector would run a full pass again
    and again over objects that are not garbage (a third of the CPU time of a 100,000-number
    check). Reference counting still frees everything; the collector resumes afterwards."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
