"""Nothing the database keeps links a ballot to the voter who cast it (issue 10, item 2).

Forty heads vote through the web page, one after another, each with a ballot that the test can
recognise (head i rates department E<i> 满意 and writes "第 i 号意见" about S00). Then the test
plays the database administrator with a dump but without the application's key: it tries every
join the database offers between the ballot side and what names a voter (credential uses, audit
entries): equal transaction ids (PostgreSQL xmin), physical order (ctid; SQLite's storage order),
left-over row versions and page images (pageinspect, n_dead_tup; SQLite's file and WAL), before
and after voting closes. Each must find nothing beyond chance.

Before the sealed inbox, the ballot row and the audit entry naming the voter committed in one
transaction (xmin equal for every web ballot) and PostgreSQL kept ballots in arrival order until
the close, which left the old row versions behind as dead tuples.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.survey import ballots, sealing
from govsvc.survey.campaigns import SurveyError
from govsvc.survey.models import (OPEN, Ballot, BallotCredential, CampaignEvaluator, CredentialUse, Opinion,
                                  SealedBallot)
from tests.conftest import csrf_from, login, wait_for_other_backends
from tests.survey.conftest import City, ballot, ballot_count

VOTERS = 40
BALLOT_SIDE = ("survey_ballots", "survey_opinions", "survey_ballot_inbox")


@pytest.fixture
def crowd(app, factory):
    city = City(factory, enterprises=VOTERS, accounts=VOTERS)
    db.session.commit()
    return city


def _vote_through_the_web(app, city, campaign) -> None:
    url = f"/survey/{campaign.id}/ballot"
    for i, head in enumerate(city.heads):
        client = app.test_client()
        assert login(client, head.username).status_code == 302
        token = csrf_from(client.get(url).get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token, f"d-E{i:02d}": "satisfied", "d-S01": "basic",
                                          "o-S00": f"第{i:02d}号意见"})
        assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    db.session.commit()


def _voter_of_ballot(enforcement: bytes) -> int:
    return bytes(enforcement).index(1)  # the one 满意 (code 1) is the voter's number


def _voter_of_opinion(text_: str) -> int:
    return int(re.search(r"第(\d+)号", text_).group(1))


def _beyond_chance(order: list[int], reference: list[int]) -> str:
    """How `order` (voters as stored) follows `reference` (voters in the other table's order):
    position matches and Spearman's rank correlation. A random permutation of 40 has about one
    match (Poisson(1): P(≥ 9) ≈ 1e-6) and |rho| > 0.7 with probability about 1e-5."""
    assert sorted(order) == sorted(reference)
    n = len(order)
    matches = sum(1 for a, b in zip(order, reference) if a == b)
    rank = {voter: k for k, voter in enumerate(reference)}
    d2 = sum((k - rank[voter]) ** 2 for k, voter in enumerate(order))
    rho = 1 - 6 * d2 / (n * (n * n - 1))
    return f"{matches} position matches, rho {rho:.2f}" if matches > 8 or abs(rho) > 0.7 else ""


def _voter_by_username(city) -> dict[str, int]:
    return {head.username: i for i, head in enumerate(city.heads)}


def _voter_by_credential(city) -> dict[int, int]:
    by_enterprise = {e.id: i for i, e in enumerate(city.enterprises)}
    rows = db.session.execute(select(BallotCredential.id, CampaignEvaluator.enterprise_id)
                              .join(CampaignEvaluator, BallotCredential.evaluator_id == CampaignEvaluator.id))
    return {cid: by_enterprise[eid] for cid, eid in rows}


def _sql(statement: str, **params):
    return db.session.execute(text(statement), params)


# -- PostgreSQL --------------------------------------------------------------------------------------
def _pg_orders(city) -> dict[str, list[int]]:
    """Voters in the physical (ctid) order of each table that names them or holds a ballot."""
    by_credential, by_username = _voter_by_credential(city), _voter_by_username(city)
    return {
        "ballots": [_voter_of_ballot(r[0]) for r in _sql("SELECT enforcement FROM survey_ballots ORDER BY ctid")],
        "opinions": [_voter_of_opinion(r[0]) for r in _sql("SELECT text FROM survey_opinions ORDER BY ctid")],
        "uses": [by_credential[r[0]] for r in _sql("SELECT credential_id FROM survey_credential_uses ORDER BY ctid")],
        "audit": [by_username[r[0]] for r in _sql(
            "SELECT username FROM audit_log WHERE action = 'survey.ballot.cast' ORDER BY ctid")],
    }


def _dead_or_foreign_tuples(table: str, close_xid: str | None) -> list:
    """pageinspect: every line pointer of every page that is not a live tuple written by the
    closing transaction (dead, redirected, unused, deleted or locked rows, older versions)."""
    pages = _sql("SELECT pg_relation_size(:t) / current_setting('block_size')::int", t=table).scalar()
    found = []
    for page in range(pages):
        for lp_flags, xmin, xmax in _sql("SELECT lp_flags, t_xmin::text, t_xmax::text "
                                         "FROM heap_page_items(get_raw_page(:t, :p))", t=table, p=page):
            if lp_flags != 1 or xmax != "0" or (close_xid is not None and xmin != close_xid):
                found.append((table, page, lp_flags, xmin, xmax))
    return found


def _n_dead_tup(tables) -> dict[str, int]:
    db.session.commit()
    db.engine.dispose()  # the app's backends exit and flush their statistics
    wait_for_other_backends(db.session.connection())
    return {name: n for name, n in _sql("SELECT relname, n_dead_tup FROM pg_stat_user_tables "
                                        "WHERE relname = ANY(:t)", t=list(tables))}


@pytest.mark.fresh_tables  # compares the physical order of rows with arrival
def test_postgresql_xmin_order_and_dead_tuples_link_nothing(app, crowd):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's hidden columns and heap pages")
    campaign = _voted_and_sealed(app, crowd)
    # While voting is open no audit entry shares a transaction with a sealed ballot (the issue's
    # join found 101 of 101).
    for table in ("survey_ballots", "survey_ballot_inbox"):
        linked = _sql(f"SELECT count(*) FROM {table} b JOIN audit_log a ON a.xmin = b.xmin").scalar()
        assert linked == 0, (table, linked)

    ballots.close_voting(campaign)
    db.session.commit()

    # After closing: one transaction wrote every ballot and opinion; it is none of the voters'.
    close_xids = {r[0] for r in _sql("SELECT DISTINCT xmin::text FROM survey_ballots UNION "
                                     "SELECT DISTINCT xmin::text FROM survey_opinions")}
    assert len(close_xids) == 1
    close_xid, = close_xids
    voter_xids = {r[0] for r in _sql("SELECT xmin::text FROM survey_credential_uses UNION "
                                     "SELECT xmin::text FROM audit_log WHERE action <> 'survey.close'")}
    assert close_xid not in voter_xids
    for table in ("survey_ballots", "survey_opinions"):
        for other in ("survey_credential_uses", "audit_log"):
            linked = _sql(f"SELECT count(*) FROM {table} b JOIN {other} a ON a.xmin = b.xmin "
                          f"{'WHERE a.action <> ' + repr('survey.close') if other == 'audit_log' else ''}").scalar()
            assert linked == 0, (table, other, linked)

    # Physical order against arrival (the voters' numbers), the uses' and the audit entries' order.
    orders = _pg_orders(crowd)
    assert orders["uses"] == orders["audit"] == list(range(VOTERS))  # these do follow arrival
    for side in ("ballots", "opinions"):
        for reference in ("uses", "audit"):
            assert not _beyond_chance(orders[side], orders[reference]), (side, reference,
                                                                         _beyond_chance(orders[side], orders[reference]))
    by_id = [_voter_of_ballot(e) for e in db.session.scalars(select(Ballot.enforcement).order_by(Ballot.id))]
    assert not _beyond_chance(by_id, list(range(VOTERS)))

    # No row version of the inbox or of an earlier ballot survives; no sequence feeds these tables.
    _sql("CREATE EXTENSION IF NOT EXISTS pageinspect")
    assert _sql("SELECT pg_relation_size('survey_ballot_inbox')").scalar() == 0
    for table in BALLOT_SIDE:
        assert _dead_or_foreign_tuples(table, close_xid) == [], table
    owned = _sql("SELECT count(*) FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
                 "JOIN pg_class t ON t.oid = d.refobjid WHERE t.relname = ANY(:t)", t=list(BALLOT_SIDE)).scalar()
    assert owned == 0
    assert _n_dead_tup(BALLOT_SIDE) == dict.fromkeys(BALLOT_SIDE, 0)


# -- SQLite ------------------------------------------------------------------------------------------
def test_sqlite_storage_order_and_leftover_pages_link_nothing(app, crowd):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's file and write-ahead log")
    campaign = _voted_and_sealed(app, crowd)
    blobs = [bytes(b) for b in db.session.scalars(select(SealedBallot.sealed))]

    by_username = _voter_by_username(crowd)
    ballots.close_voting(campaign)
    db.session.commit()

    conn = db.session.connection()
    for table in BALLOT_SIDE:  # storage follows the random key, not the order of arrival
        assert "WITHOUT ROWID" in conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = ?", (table,)).scalar().upper()
    stored = [_voter_of_ballot(r[0]) for r in conn.exec_driver_sql("SELECT enforcement FROM survey_ballots")]
    opinions = [_voter_of_opinion(r[0]) for r in conn.exec_driver_sql("SELECT text FROM survey_opinions")]
    cast_order = [by_username[u] for u in db.session.scalars(
        select(AuditEntry.username).where(AuditEntry.action == "survey.ballot.cast").order_by(AuditEntry.id))]
    assert cast_order == list(range(VOTERS))
    assert not _beyond_chance(stored, cast_order) and not _beyond_chance(opinions, cast_order)
    db.session.commit()

    # No copy of a sealed ballot left in the database file or its write-ahead log.
    path = Path(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    files = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    leftovers = [b for b in blobs if b[13:45] in files or b[-32:] in files]
    assert leftovers == []


def _voted_and_sealed(app, crowd):
    """An open campaign in which every head voted on the web: nothing stored in clear yet."""
    campaign = crowd.campaign()
    db.session.commit()
    _vote_through_the_web(app, crowd, campaign)
    assert ballot_count() == VOTERS and db.session.scalar(select(func.count()).select_from(Ballot)) == 0
    _assert_the_inbox_is_sealed()
    return campaign


def _assert_the_inbox_is_sealed() -> None:
    """What a dump of the inbox shows without the key: same-sized opaque blobs."""
    entries = db.session.scalars(select(SealedBallot)).all()
    sizes = {len(e.sealed) for e in entries}
    assert len(sizes) == 1  # every ballot's opinions fit the smallest bucket: the length tells nothing
    dump = b"".join(bytes(e.sealed) for e in entries)
    for i in range(VOTERS):
        assert f"第{i:02d}号意见".encode() not in dump
    opened = [sealing.open_sealed(e.campaign_id, e.id, e.sealed) for e in entries]  # with the key, they open
    for b in opened:
        assert b["receipt_hash"].encode() not in dump and bytes.fromhex(b["enforcement"]) not in dump
    assert sorted(_voter_of_ballot(bytes.fromhex(b["enforcement"])) for b in opened) == list(range(VOTERS))


# -- the split and its failure modes -------------------------------------------------------------------
def test_a_crash_between_the_ballot_and_its_audit_entry_is_recorded_at_close(app, city, monkeypatch):
    """The use and the sealed ballot commit first; the audit entry naming the voter follows in its
    own transaction. If the process dies in between, closing lists the use without an entry."""
    campaign = city.campaign()
    db.session.commit()
    real_record = ballots.audit.record

    def crash(action, *args, **kwargs):
        if action == "survey.ballot.cast":
            raise SystemExit("killed")  # what a SIGKILL after the first commit leaves
        return real_record(action, *args, **kwargs)

    monkeypatch.setattr(ballots.audit, "record", crash)
    with app.test_request_context(), pytest.raises(SystemExit):  # ballots arrive in requests
        ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1))
    db.session.rollback()
    monkeypatch.setattr(ballots.audit, "record", real_record)
    ballots.cast_online(campaign, city.heads[1], ballot(basic=1))
    db.session.commit()
    assert ballot_count() == 2 and db.session.scalar(select(func.count()).select_from(CredentialUse)) == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "survey.ballot.cast")) == 1
    ballots.close_voting(campaign)
    db.session.commit()
    unlogged = db.session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "survey.ballot.unlogged")).all()
    credential = ballots.online_credential(campaign, city.heads[0])
    assert unlogged == [f'{{"credentials": [{credential.id}]}}']
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 2


def test_a_failure_before_the_commit_stores_neither_the_use_nor_the_ballot(app, city, monkeypatch):
    campaign = city.campaign()
    db.session.commit()
    monkeypatch.setattr(sealing, "seal", lambda *a: (_ for _ in ()).throw(RuntimeError("disk full")))
    with pytest.raises(RuntimeError):
        ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1))
    db.session.rollback()
    assert ballot_count() == 0 and db.session.scalar(select(func.count()).select_from(CredentialUse)) == 0


def test_a_changed_or_removed_sealed_ballot_stops_the_close(app, city):
    campaign = city.campaign()
    for head in city.heads[:3]:
        ballots.cast_online(campaign, head, ballot(satisfied=1))
    db.session.commit()
    entry = db.session.scalars(select(SealedBallot).order_by(SealedBallot.id)).first()
    original = bytes(entry.sealed)
    entry.sealed = original[:20] + bytes([original[20] ^ 1]) + original[21:]
    db.session.commit()
    with pytest.raises(SurveyError, match="无法打开"):
        ballots.close_voting(campaign)
    db.session.rollback()
    entry = db.session.get(SealedBallot, entry.id)
    db.session.delete(entry)
    db.session.commit()
    with pytest.raises(SurveyError, match="选票 2 张与已使用的凭证 3 个不一致"):
        ballots.close_voting(campaign)
    db.session.rollback()
    db.session.refresh(campaign)
    assert campaign.status == OPEN and db.session.scalar(select(func.count()).select_from(Ballot)) == 0


def test_a_sealed_ballot_does_not_open_in_another_campaign_or_row(app, city):
    campaign = city.campaign()
    ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1))
    db.session.commit()
    entry = db.session.scalar(select(SealedBallot))
    assert sealing.open_sealed(campaign.id, entry.id, entry.sealed)["enforcement"].startswith("01")
    for campaign_id, entry_id in ((campaign.id + 1, entry.id), (campaign.id, "0" * 32)):
        with pytest.raises(sealing.SealError):
            sealing.open_sealed(campaign_id, entry_id, entry.sealed)


def test_sealed_lengths_reveal_only_a_bucket():
    assert sealing.bucket(10) == sealing.bucket(4000) == 4096
    assert sealing.bucket(4093) == 8192 and sealing.bucket(100_000) == 131072


def test_opinions_are_written_at_close_and_not_before(app, city):
    campaign = city.campaign()
    ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1, opinions={
        ballots.layout(campaign).ids["service"][0]: "窗口服务很好"}))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Opinion)) == 0
    ballots.close_voting(campaign)
    db.session.commit()
    assert db.session.scalars(select(Opinion.text)).all() == ["窗口服务很好"]


def test_closing_one_campaign_keeps_the_sealed_ballots_of_another_open_one(app, city):
    earlier, current = city.campaign(year=2025), city.campaign(year=2026)
    for head in city.heads[:2]:
        ballots.cast_online(earlier, head, ballot(basic=1))
    for head in city.heads[:3]:
        ballots.cast_online(current, head, ballot(satisfied=1))
    db.session.commit()
    ballots.close_voting(current)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.campaign_id == current.id)) == 3
    assert db.session.scalars(select(SealedBallot.campaign_id)).all() == [earlier.id] * 2
    ballots.close_voting(earlier)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.campaign_id == earlier.id)) == 2
    assert ballot_count() == 5


def test_the_checkpoint_after_closing_waits_a_second_at_most_and_restores_the_connection(app):
    """A reader in a transaction holds a truncating checkpoint up for the connection's whole busy
    timeout (ten seconds: the demo's start waited that long). The checkpoint waits one second,
    then warns; the pooled connection gets its usual busy timeout back."""
    from govsvc.database import SQLITE_BUSY_TIMEOUT_MS
    from govsvc.survey import ballots

    executed = []

    class Cursor:
        def execute(self, sql):
            executed.append(sql)
            return self

        def fetchone(self):
            return (1, 0, 0)  # busy: a reader held it up

    class Raw:
        def cursor(self):
            return Cursor()

        def close(self):
            executed.append("close")

    class Bind:
        def raw_connection(self):
            return Raw()

    class Session:
        def get_bind(self):
            return Bind()

    ballots._checkpoint_after_commit(Session())
    assert executed == [f"PRAGMA busy_timeout = {ballots.CHECKPOINT_WAIT_MS}", "PRAGMA wal_checkpoint(TRUNCATE)",
                        f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}", "close"]
    assert ballots.CHECKPOINT_WAIT_MS <= 1000 < SQLITE_BUSY_TIMEOUT_MS


def test_the_checkpoint_waits_for_the_real_commit_not_a_savepoint(app, monkeypatch):
    """SQLAlchemy's after_commit fires for a released savepoint too: closing followed by a savepoint
    in the same transaction (the demo's seeding) must not checkpoint then (its own open write
    transaction held the checkpoint up a whole second) but once, after the real commit; a second
    closing in the same session checkpoints again after its commit."""
    from govsvc.extensions import db
    from govsvc.survey import ballots

    calls = []
    monkeypatch.setattr(ballots, "_checkpoint_after_commit", lambda s: calls.append(s.in_nested_transaction()))
    session = db.session()
    session.connection()
    ballots._checkpoint_on_commit(session)
    with session.begin_nested():
        pass
    assert calls == []
    session.commit()
    assert calls == [False]
    session.connection()
    ballots._checkpoint_on_commit(session)
    session.commit()
    assert calls == [False, False]
