"""A ballot takes SQLite's write lock only for its write, not for the whole request.

With several gunicorn workers, a burst of ballots (bench/bench_burst.py) had each POST hold the
write lock from its first query (loading the user) to the commit after rendering; queued
writers polled on the busy timeout and some gave up: "database is locked", HTTP 500. Here
another connection holds the write lock (a concurrent writer) while a ballot is refused or
re-rendered: that must not wait for the lock; the write itself still waits and succeeds.
"""
import sqlite3
import threading
import time

import pytest
from sqlalchemy.engine import make_url

from govsvc import database
from govsvc.extensions import db
from govsvc.survey import ballots
from tests.conftest import csrf_from, login
from tests.survey.conftest import ballot_count, ratings_form


@pytest.fixture
def sqlite_path(app, monkeypatch):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's database-wide write lock")
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 400)
    db.session.commit()
    db.engine.dispose()  # new connections take the short busy timeout
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


class OtherWriter:
    """Another process's write transaction: BEGIN IMMEDIATE on its own connection."""

    def __init__(self, path):
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=0, check_same_thread=False)

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc):
        self.release()

    def release(self):
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def can_write(self) -> bool:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False
        self.conn.execute("ROLLBACK")
        return True


def _paper(client, city, login_as, n=1):
    campaign = city.campaign()
    _, codes = ballots.issue_paper_codes(campaign, n)
    url = f"/survey/{campaign.id}/paper"
    db.session.commit()
    login_as("organizer")
    return url, [c.code for c in codes]


def test_after_a_post_commits_nothing_else_takes_the_write_lock(client, city, login_as, sqlite_path):
    """The security-header hook used to reload the user that the commit had expired: a second
    BEGIN IMMEDIATE per POST, queueing for the lock again (held here: the test keeps the
    request's session, as a server does until the response is sent)."""
    url, (code,) = _paper(client, city, login_as)  # login_as posts to /login
    assert OtherWriter(sqlite_path).can_write()
    token = csrf_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"code": code, "enforcement": "2" * 40, "service": "2" * 19,
                                      "csrf_token": token})
    assert response.status_code == 302 and response.headers["Cache-Control"] == "no-store"
    assert OtherWriter(sqlite_path).can_write()


def test_a_refused_paper_entry_does_not_wait_for_the_write_lock(client, city, login_as, sqlite_path):
    url, (code,) = _paper(client, city, login_as)
    token = csrf_from(client.get(url).get_data(as_text=True))
    with OtherWriter(sqlite_path):
        response = client.post(url, data={"code": code, "enforcement": "1" * 14 + "2" * 26, "service": "2" * 19,
                                          "csrf_token": token})
    assert response.status_code == 422  # not 500 "database is locked"
    assert "有无效的部分" in response.get_data(as_text=True)


def test_an_online_ballot_refused_over_the_cap_does_not_wait_for_the_write_lock(client, city, sqlite_path):
    campaign = city.campaign()
    db.session.commit()
    assert login(client, city.heads[0].username).status_code == 302
    url = f"/survey/{campaign.id}/ballot"
    token = csrf_from(client.get(url).get_data(as_text=True))
    words = {f"E{i:02d}": "satisfied" for i in range(14)}
    with OtherWriter(sqlite_path):
        response = client.post(url, data={**ratings_form(campaign, words), "csrf_token": token})
    assert response.status_code == 422 and "超过上限 13 个" in response.get_data(as_text=True)


def test_the_write_waits_for_the_lock_and_a_repeat_is_refused_outside_it(client, city, login_as, sqlite_path,
                                                                          monkeypatch):
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 5000)
    db.session.commit()
    db.engine.dispose()
    url, (code,) = _paper(client, city, login_as)
    data = {"code": code, "enforcement": "2" * 40, "service": "2" * 19}
    other = OtherWriter(sqlite_path).__enter__()
    threading.Timer(0.3, other.release).start()  # the concurrent writer commits a moment later
    token = csrf_from(client.get(url).get_data(as_text=True))
    assert client.post(url, data={**data, "csrf_token": token}).status_code == 302
    assert ballot_count() == 1

    # The repeat is refused by the database under the write lock; the form with the message
    # is rendered after the write was dropped: meanwhile another writer gets the lock at once.
    seen = []
    progress = ballots.paper_progress

    def rendering(campaign):
        seen.append(other.can_write())
        return progress(campaign)

    monkeypatch.setattr(ballots, "paper_progress", rendering)
    token = csrf_from(client.get(url).get_data(as_text=True))
    seen.clear()
    response = client.post(url, data={**data, "csrf_token": token})
    assert response.status_code == 422 and "该投票凭证已经使用过" in response.get_data(as_text=True)
    assert seen == [True]
    assert ballot_count() == 1


def test_writers_of_one_process_take_turns(app, sqlite_path, monkeypatch):
    """Threads that write again as soon as they committed must not starve one that waits: with
    SQLite's polling busy handler the thread that just committed takes the lock again at once,
    and the others pass their busy timeout. Writers of a process queue (first come, first served)."""
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 1000)
    db.session.commit()
    db.engine.dispose()
    engine = db.engine
    failures, writes = [], []
    until = time.monotonic() + 2.5

    def writer():
        try:
            while time.monotonic() < until:
                with engine.connect() as conn:
                    with conn.execution_options(govsvc_write=True).begin():
                        conn.exec_driver_sql("SELECT 1")
                        time.sleep(0.02)  # a short write, held a moment
                writes.append(1)
        except Exception as exc:  # noqa: BLE001 — collected for the assertion
            failures.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures[:1]
    assert len(writes) > 20
