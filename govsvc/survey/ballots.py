"""Ballots: credentials (online accounts, printed codes), casting a ballot anonymously, paper
entry, turnout, closing the ballot box (shuffle, hash chain) and the anonymous ballot list (B.csv).

Anonymity (README "Ballot secrecy"): casting writes, in one transaction and nothing else, the
credential's use (`CredentialUse`) and the ballot sealed (`SealedBallot`, see sealing.py). The
audit entry naming who cast it follows in the next transaction. Closing opens every sealed
ballot, shuffles them and writes them to `survey_ballots`/`survey_opinions` in that random order
in one transaction, with new random ids, and destroys the inbox (PostgreSQL: TRUNCATE, so no dead
row version survives; SQLite: secure_delete and a truncating WAL checkpoint). One credential, one
ballot: the use's primary key is the credential, so a second use fails in the database whatever
the timing; the ballot is sealed in the same transaction, so a kill leaves both or neither.
"""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field

from flask import current_app, has_request_context
from flask_login import current_user
from sqlalchemy import Integer, bindparam, delete, event, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite

from govsvc import audit
from govsvc.audit.models import AuditEntry
from govsvc.crypto import keyed_hash
from govsvc.database import SQLITE_BUSY_TIMEOUT_MS, begin_write
from govsvc.extensions import db
from govsvc.survey import sealing
from govsvc.survey.campaigns import Layout, SurveyError, _require, layout
from govsvc.survey.models import (CLOSED, ONLINE, OPEN, PAPER, Ballot, BallotCredential, Campaign,
                                  CampaignDepartment, CampaignEvaluator, CredentialUse, Opinion, SealedBallot)
from scoring import survey as core

# Crockford's base32: no I, L, O, U, so a code read aloud or typed from paper is unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 28  # 140 random bits
_READ_AS = {"O": "0", "I": "1", "L": "1"}
MAX_OPINION = 2000


class AlreadyVoted(SurveyError):
    pass


def new_code() -> str:
    bits = secrets.randbits(5 * CODE_LENGTH)
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str:
    cleaned = "".join(_READ_AS.get(c, c) for c in (text or "").upper() if c.isalnum())
    return cleaned if len(cleaned) == CODE_LENGTH and all(c in ALPHABET for c in cleaned) else ""


def _code_hash(code: str) -> str:
    return keyed_hash("survey.ballot-code", code)


def receipt_hash(receipt: str) -> str:
    return keyed_hash("survey.receipt", receipt)


def paper_receipt(code: str) -> str:
    """The receipt printed on a ballot code's tear-off stub, derived from the code with the secret
    key (so nothing stored links the two)."""
    digest = int(keyed_hash("survey.paper-receipt", code), 16)
    return "".join(ALPHABET[(digest >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def board_code(stored_receipt_hash: str) -> str:
    """How a receipt appears on the public board: the start of its keyed hash (reveals nothing)."""
    return "-".join(stored_receipt_hash[i:i + 4] for i in range(0, 16, 4))


# -- paper ballot codes ---------------------------------------------------------------------------
@dataclass
class PrintedCode:
    code: str
    receipt: str

    @property
    def code_text(self) -> str:
        return format_code(self.code)

    @property
    def receipt_text(self) -> str:
        return format_code(self.receipt)


def issue_paper_codes(campaign: Campaign, count: int) -> tuple[int, list[PrintedCode]]:
    """A batch of printed ballot codes (shown once, for the printable sheet; only hashes are kept).
    The codes are tied to no evaluator: envelopes are filled from the printed sheet."""
    _require(campaign, "lists_confirmed", OPEN, action="印制纸质投票码")
    if not 1 <= count <= 500:
        raise SurveyError("每批印制 1–500 个投票码。")
    batch = (db.session.scalar(select(func.max(BallotCredential.batch)).where(
        BallotCredential.campaign_id == campaign.id)) or 0) + 1
    codes = [new_code() for _ in range(count)]
    db.session.execute(insert(BallotCredential), [
        {"campaign_id": campaign.id, "kind": PAPER, "code_hash": _code_hash(c), "batch": batch, "void": False}
        for c in codes])
    audit.record("survey.codes.issue", target=f"survey:{campaign.id}", detail={"batch": batch, "count": count})
    return batch, [PrintedCode(c, paper_receipt(c)) for c in codes]


def void_unused_codes(campaign: Campaign, batch: int) -> int:
    used = select(CredentialUse.credential_id)
    codes = db.session.scalars(select(BallotCredential).where(
        BallotCredential.campaign_id == campaign.id, BallotCredential.kind == PAPER, BallotCredential.batch == batch,
        BallotCredential.void.is_(False), BallotCredential.id.not_in(used))).all()
    for credential in codes:
        credential.void = True
    db.session.flush()
    audit.record("survey.codes.void", target=f"survey:{campaign.id}", detail={"batch": batch, "count": len(codes)})
    return len(codes)


# -- ballots ---------------------------------------------------------------------------------------
@dataclass
class BallotInput:
    """What one ballot says: rating codes per category in ballot order, opinions by department id."""

    parts: dict[str, list[int]]
    opinions: dict[int, str] = field(default_factory=dict)

    def rated(self) -> int:
        return sum(1 for codes in self.parts.values() for c in codes if c != core.BLANK)


def check_parts(campaign: Campaign, ballot: BallotInput, columns: Layout | None = None) -> dict[str, str]:
    """Reasons per category why a part is invalid (empty when the ballot is valid)."""
    columns = columns or layout(campaign)
    problems = {}
    for category in core.CATEGORIES:
        codes = columns.codes[category]
        part = ballot.parts.get(category, [core.BLANK] * len(codes))
        if len(part) != len(codes):
            raise SurveyError(f"{core.CATEGORY_LABELS[category]}应有 {len(codes)} 个部门的评价。")
        reason = core.check_part(part, codes)
        if reason:
            problems[category] = reason
    return problems


def _use(campaign_id: int, *, credential_id: int | None = None, code_hash: str | None = None) -> int:
    """Record the use of a credential (given by id, or a printed code by its keyed hash) and
    return its id; a used credential (also one used a moment ago by a concurrent request) raises
    AlreadyVoted. Everything before this is reading; the write (and on SQLite the write lock)
    starts here, with one statement on the way that succeeds: the use is inserted only when the
    campaign is open (checked again in the writing transaction: a @read_first request read it
    earlier, and a ballot stored after the seal would fall outside the sealed chain) and the
    credential not void. PostgreSQL: FOR SHARE of both rows, so ballots do not queue behind one
    another while close_voting's and set_channel's FOR UPDATE wait for them; the primary key
    settles concurrent uses of one credential (ON CONFLICT DO NOTHING: no row returned). Why a
    use was refused is read only then."""
    begin_write()
    cred, camp = BallotCredential.__table__.c, Campaign.__table__.c
    which = cred.id == credential_id if credential_id is not None else cred.code_hash == code_hash
    eligible = (select(cred.id).join_from(BallotCredential.__table__, Campaign.__table__, camp.id == cred.campaign_id)
                .where(which, camp.id == campaign_id, cred.void.is_(False), camp.status == OPEN)
                .with_for_update(read=True))
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = (dialect.insert(CredentialUse.__table__).from_select(["credential_id"], eligible).on_conflict_do_nothing()
            .returning(CredentialUse.__table__.c.credential_id))
    used = db.session.execute(stmt).scalar()
    if used is not None:
        return used
    if db.session.scalar(select(Campaign.status).where(Campaign.id == campaign_id)) != OPEN:
        raise SurveyError("评议已经结束，本评议表未能提交。")
    credential = db.session.execute(select(cred.id, cred.void).where(which, cred.campaign_id == campaign_id)).first()
    if credential is None:
        raise SurveyError("投票码无效：请核对评议表上的投票码。")
    if credential.void:
        raise SurveyError("该投票凭证已作废。")
    raise AlreadyVoted("该投票凭证已经使用过：每份凭证只能提交一次评议。")


def _seal(campaign_id: int, ballot: BallotInput, problems: dict[str, str], receipt: str, columns: Layout) -> None:
    """The ballot and its opinions, sealed, into the inbox (in the transaction of the use)."""
    known = {i for ids in columns.ids.values() for i in ids}
    opinions = {str(d): text.strip()[:MAX_OPINION] for d, text in ballot.opinions.items()
                if d in known and (text or "").strip()}
    payload = {"enforcement": bytes(ballot.parts["enforcement"]).hex(), "service": bytes(ballot.parts["service"]).hex(),
               "enforcement_invalid": problems.get("enforcement", ""), "service_invalid": problems.get("service", ""),
               "receipt_hash": receipt_hash(receipt), "opinions": opinions}
    entry_id = secrets.token_hex(16)
    db.session.execute(insert(SealedBallot), [{"id": entry_id, "campaign_id": campaign_id,
                                               "sealed": sealing.seal(campaign_id, entry_id, payload)}])


def _commit_cast(action: str, campaign_id: int, credential_id: int, detail: dict, actor: tuple) -> None:
    """Commit the use and the sealed ballot alone, then write the audit entry that names who cast
    it in the next transaction (the request commits it). A crash in between leaves a use without
    its entry: close_voting records those (`survey.ballot.unlogged`). Ballots arrive only through
    web requests; outside one (demo seeding, tests of the rules) the caller's transaction holds
    everything and the caller commits, as for every other service."""
    if has_request_context():
        session = db.session()
        expire, session.expire_on_commit = session.expire_on_commit, False  # nothing to reload afterwards
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire
    audit.record(action, target=f"survey:{campaign_id}", detail={"credential": credential_id, **detail},
                 user_id=actor[0], username=actor[1])


def _actor(user=None) -> tuple:
    """(id, username) of who acts: the voter, or the clerk typing a paper ballot in."""
    if user is None and has_request_context():
        user = current_user
    return (user.id, user.username) if user is not None and getattr(user, "is_authenticated", False) else (None, "")


def _prepare(campaign: Campaign, ballot: BallotInput,
             columns: Layout | None = None) -> tuple[BallotInput, Layout, dict[str, str]]:
    """Blank parts filled in, the ballot's layout, and each invalid part's reason."""
    columns = columns or layout(campaign)
    for category in core.CATEGORIES:
        ballot.parts.setdefault(category, [core.BLANK] * len(columns.codes[category]))
    return ballot, columns, check_parts(campaign, ballot, columns)


def online_credential(campaign: Campaign, user) -> BallotCredential | None:
    if user.enterprise_id is None:
        return None
    return db.session.scalar(select(BallotCredential).join(CampaignEvaluator).where(
        BallotCredential.campaign_id == campaign.id, BallotCredential.kind == ONLINE,
        CampaignEvaluator.enterprise_id == user.enterprise_id))


def has_voted(credential: BallotCredential | None) -> bool:
    return credential is not None and db.session.get(CredentialUse, credential.id) is not None


def cast_online(campaign: Campaign, user, ballot: BallotInput, columns: Layout | None = None,
                credential: BallotCredential | None = None) -> str:
    """An evaluator's ballot. A part over the cap is refused (nothing stored). Returns the receipt.
    Commits the sealed ballot (see _commit_cast). `credential`: the user's, when already read."""
    if campaign.status != OPEN:
        raise SurveyError("评议未开始或已经结束。")
    credential = credential or online_credential(campaign, user)
    if credential is None:
        raise SurveyError("您的企业不在本次评议的网上评议名单中。")
    if credential.void:
        raise SurveyError("您的企业已改用纸质评议表，请填写寄送的评议表。")
    ballot, columns, problems = _prepare(campaign, ballot, columns)
    if ballot.rated() == 0:
        raise SurveyError("请至少评价一个部门（单位）。")
    if problems:
        raise SurveyError("；".join(problems.values()))
    campaign_id, credential_id, actor = campaign.id, credential.id, _actor(user)
    _use(campaign_id, credential_id=credential_id)
    receipt = new_code()
    _seal(campaign_id, ballot, {}, receipt, columns)
    _commit_cast("survey.ballot.cast", campaign_id, credential_id, {"channel": ONLINE}, actor)
    return receipt


def enter_paper(campaign: Campaign, code_text: str, ballot: BallotInput,
                columns: Layout | None = None) -> dict[str, str]:
    """A paper ballot typed in by the organizer. Invalid parts are stored as invalid with their
    reason (the other part still counts). Returns the problems per category. Commits the sealed
    ballot (see _commit_cast)."""
    if campaign.status != OPEN:
        raise SurveyError("只有评议进行中才能录入纸质评议表。")
    code = normalise_code(code_text)
    if not code:
        raise SurveyError("投票码无效：请核对评议表上的投票码。")
    ballot, columns, problems = _prepare(campaign, ballot, columns)
    if ballot.rated() == 0:
        raise SurveyError("空白评议表不录入（视为未参加评议）。")
    campaign_id, actor = campaign.id, _actor()
    credential_id = _use(campaign_id, code_hash=_code_hash(code))
    _seal(campaign_id, ballot, problems, paper_receipt(code), columns)
    _commit_cast("survey.ballot.paper", campaign_id, credential_id, {"channel": PAPER}, actor)
    return problems


# -- paper entry: one key per department, in the order printed on the form -----------------------
PAPER_KEYS = {"1": core.SATISFIED, "2": core.BASIC, "3": core.DISSATISFIED, "4": core.UNKNOWN,
              "0": core.BLANK, "-": core.BLANK, ".": core.BLANK, "X": core.UNREADABLE, "*": core.UNREADABLE}


def parse_paper_part(text: str, n: int) -> list[int]:
    """"1213 0x4…" → codes: 1 满意, 2 基本满意, 3 不满意, 4 不了解, 0/-/. 空白, x/* 无法辨认
    (several boxes ticked). Spaces are ignored; the length must be the number of departments."""
    keys = [c for c in (text or "").upper() if not c.isspace()]
    bad = sorted({c for c in keys if c not in PAPER_KEYS})
    if bad:
        raise SurveyError(f"无法识别的字符：{' '.join(bad)}（可用 1 满意、2 基本满意、3 不满意、4 不了解、0 空白、x 多选或无法辨认）")
    if len(keys) != n:
        raise SurveyError(f"应为 {n} 位（每个部门一位），实际 {len(keys)} 位。")
    return [PAPER_KEYS[c] for c in keys]


def parse_paper_opinions(text: str, by_code: dict[str, CampaignDepartment]) -> dict[int, str]:
    """Lines "CODE opinion" → {department id: opinion}; several lines for one department join."""
    opinions: dict[int, list[str]] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        head, rest = re.match(r"([^\s:：]*)[\s:：]*(.*)", line).groups()
        dept = by_code.get(head.upper())
        if dept is None:
            raise SurveyError(f"第 {number} 行：找不到部门代码“{head}”。")
        if not rest:
            raise SurveyError(f"第 {number} 行：意见内容为空。")
        opinions.setdefault(dept.id, []).append(rest)
    return {k: "\n".join(v) for k, v in opinions.items()}


# -- turnout -------------------------------------------------------------------------------------------
@dataclass
class Turnout:
    evaluators: int
    online: int
    online_voted: int
    paper_evaluators: int
    codes_issued: int
    codes_void: int
    codes_used: int
    ballots: int

    @property
    def voted(self) -> int:
        return self.online_voted + self.codes_used

    @property
    def rate(self) -> str:
        return f"{100 * self.voted / self.evaluators:.1f}%" if self.evaluators else "—"


_TURNOUT = None


def _turnout_statement():
    """One statement, a scalar subquery per figure, built once (bound to :campaign_id)."""
    global _TURNOUT
    if _TURNOUT is None:
        campaign_id = bindparam("campaign_id", type_=Integer)

        def count(stmt):
            return select(func.count()).select_from(stmt.subquery()).scalar_subquery()

        creds = select(BallotCredential.id).where(BallotCredential.campaign_id == campaign_id)
        used = creds.join(CredentialUse, CredentialUse.credential_id == BallotCredential.id)
        evaluators = select(CampaignEvaluator.id).where(CampaignEvaluator.campaign_id == campaign_id)
        _TURNOUT = select(
            count(evaluators),
            count(creds.where(BallotCredential.kind == ONLINE, BallotCredential.void.is_(False))),
            count(used.where(BallotCredential.kind == ONLINE)),
            count(evaluators.where(CampaignEvaluator.channel == PAPER)),
            count(creds.where(BallotCredential.kind == PAPER)),
            count(creds.where(BallotCredential.kind == PAPER, BallotCredential.void.is_(True))),
            count(used.where(BallotCredential.kind == PAPER)),
            count(select(Ballot.id).where(Ballot.campaign_id == campaign_id)),
            count(select(SealedBallot.id).where(SealedBallot.campaign_id == campaign_id)))
    return _TURNOUT


def turnout(campaign: Campaign) -> Turnout:
    """In one statement: the dashboard panel, the overview and the credentials page show it on
    every request."""
    (evaluators, online, online_voted, paper_evaluators, codes_issued, codes_void, codes_used, stored,
     sealed) = (int(n or 0) for n in db.session.execute(_turnout_statement(), {"campaign_id": campaign.id}).one())
    return Turnout(evaluators=evaluators, online=online, online_voted=online_voted, paper_evaluators=paper_evaluators,
                   codes_issued=codes_issued, codes_void=codes_void, codes_used=codes_used, ballots=stored + sealed)


def paper_progress(campaign: Campaign) -> tuple[int, int]:
    """(printed codes used, printed codes issued), in one query: the paper entry page shows it
    after every ballot."""
    used, issued = db.session.execute(
        select(func.count(CredentialUse.credential_id), func.count())
        .select_from(BallotCredential).outerjoin(CredentialUse, CredentialUse.credential_id == BallotCredential.id)
        .where(BallotCredential.campaign_id == campaign.id, BallotCredential.kind == PAPER)).one()
    return used, issued


def code_batches(campaign: Campaign) -> list[tuple[int, int, int, int]]:
    """(batch, issued, used, void) per printed batch."""
    used = select(CredentialUse.credential_id).scalar_subquery()
    rows = db.session.execute(
        select(BallotCredential.batch, func.count(),
               func.sum(db.case((BallotCredential.id.in_(used), 1), else_=0)),
               func.sum(db.case((BallotCredential.void.is_(True), 1), else_=0)))
        .where(BallotCredential.campaign_id == campaign.id, BallotCredential.kind == PAPER)
        .group_by(BallotCredential.batch).order_by(BallotCredential.batch)).all()
    return [(b, n, int(u or 0), int(v or 0)) for b, n, u, v in rows]


# -- sealing and the chain ---------------------------------------------------------------------
def _contents(campaign: Campaign):
    """(id, {category: [(department code, rating word)] of the rated departments}) by ballot id."""
    codes = layout(campaign).codes
    rows = db.session.execute(select(Ballot.id, Ballot.enforcement, Ballot.service)
                              .where(Ballot.campaign_id == campaign.id).order_by(Ballot.id))
    for row in rows:
        yield row.id, {c: core.part_rows(codes[c], row._mapping[c]) for c in core.CATEGORIES}


def rating_rows(campaign: Campaign):
    """B.csv rows (ballot_id, department_code, rating word) in ballot-id order."""
    for ballot_id, parts in _contents(campaign):
        for category in core.CATEGORIES:
            for code, word in parts[category]:
                yield ballot_id, code, word


def digests(campaign: Campaign) -> list[tuple[str, str]]:
    """(ballot id, digest) of every ballot: what the chain links."""
    return [(ballot_id, core.ballot_digest(ballot_id, parts["enforcement"] + parts["service"]))
            for ballot_id, parts in _contents(campaign)]


def digest(campaign: Campaign, ballot: Ballot) -> str:
    codes = layout(campaign).codes
    return core.ballot_digest(ballot.id, [pair for c in core.CATEGORIES
                                          for pair in core.part_rows(codes[c], ballot.part(c))])


def _open_inbox(campaign: Campaign) -> list[dict]:
    rows = db.session.execute(select(SealedBallot.id, SealedBallot.sealed)
                              .where(SealedBallot.campaign_id == campaign.id)).all()
    try:
        return [sealing.open_sealed(campaign.id, entry_id, blob) for entry_id, blob in rows]
    except sealing.SealError:
        raise SurveyError("有封存的选票无法打开（被改动过，或 GOVSVC_HASH_KEY 在评议期间被更换）：评议未结束，"
                          "请立即报告公证处。") from None


def _destroy_inbox(campaign: Campaign) -> None:
    """Remove the campaign's sealed ballots so that no trace of them stays in the database files.
    PostgreSQL: TRUNCATE gives the table new files and unlinks the old ones at commit, so no dead
    row version (with its transaction id and position) survives, as it would after DELETE until a
    VACUUM; the sealed ballots of another open campaign are put back. SQLite: secure_delete
    overwrites the deleted cells and freed pages with zeros; after the commit a truncating WAL
    checkpoint drops the log's older copies of those pages (see _checkpoint_after_commit)."""
    session = db.session()
    if session.get_bind().dialect.name == "postgresql":
        # First the table lock: a ballot of another open campaign committing between reading the
        # others and the TRUNCATE would otherwise be lost.
        db.session.execute(text("LOCK TABLE survey_ballot_inbox IN ACCESS EXCLUSIVE MODE"))
        others = [dict(r._mapping) for r in db.session.execute(
            select(SealedBallot.id, SealedBallot.campaign_id, SealedBallot.sealed)
            .where(SealedBallot.campaign_id != campaign.id))]
        db.session.execute(text("TRUNCATE survey_ballot_inbox"))
        if others:
            db.session.execute(insert(SealedBallot), others)
        return
    previous = db.session.execute(text("PRAGMA secure_delete")).scalar()
    db.session.execute(text("PRAGMA secure_delete = ON"))
    db.session.execute(delete(SealedBallot).where(SealedBallot.campaign_id == campaign.id))
    db.session.execute(text(f"PRAGMA secure_delete = {int(previous or 0)}"))
    _checkpoint_on_commit(session)


CHECKPOINT_WAIT_MS = 1000


def _checkpoint_on_commit(session) -> None:
    """Checkpoint after the session's next real commit. SQLAlchemy's after_commit fires for a
    released savepoint too: the closing is not committed then, and our own open transaction would
    hold the checkpoint up for its whole wait (the demo's seeding waited a second there). A new
    listener each time (the same function, already registered and spent, would not listen again:
    the demo closes two campaigns in one session); listeners cannot be added while one runs."""
    done = []

    def after_commit(s) -> None:
        if done or s.in_nested_transaction():
            return
        done.append(True)
        _checkpoint_after_commit(s)

    event.listen(session, "after_commit", after_commit)


def _checkpoint_after_commit(session) -> None:
    """SQLite, after closing committed: copy the WAL into the database file and truncate the WAL
    to zero bytes, so the log no longer holds page images with the sealed ballots."""
    raw = session.get_bind().raw_connection()  # outside any transaction: a checkpoint cannot run in one
    try:
        # A reader still in a transaction holds the checkpoint up: wait for it one second at most
        # (not the connection's whole busy timeout: closing is a user's request, and the demo's
        # start waited ten seconds here), then say so.
        raw.cursor().execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
        try:
            busy = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:  # the connection goes back to the pool: its usual patience again
            raw.cursor().execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        raw.close()
    if busy:
        current_app.logger.warning("survey: the WAL checkpoint after closing was blocked by a reader; "
                                   "run `PRAGMA wal_checkpoint(TRUNCATE)` when the server is idle")


def _record_unlogged(campaign: Campaign) -> None:
    """Uses whose audit entry a crash prevented (it follows the ballot's own transaction)."""
    logged = set()
    for detail in db.session.scalars(select(AuditEntry.detail).where(
            AuditEntry.action.in_(("survey.ballot.cast", "survey.ballot.paper")),
            AuditEntry.target == f"survey:{campaign.id}")):
        try:
            logged.add(json.loads(detail).get("credential"))
        except (ValueError, AttributeError):
            continue
    used = db.session.scalars(select(CredentialUse.credential_id).join(BallotCredential).where(
        BallotCredential.campaign_id == campaign.id)).all()
    missing = sorted(set(used) - logged)
    if missing:
        audit.record("survey.ballot.unlogged", target=f"survey:{campaign.id}", detail={"credentials": missing})


def close_voting(campaign: Campaign) -> str:
    """Close the ballot box: open every sealed ballot, shuffle, write ballots and opinions in that
    random order with new random ids in this one transaction, destroy the inbox, and seal the
    hash chain's head and the number of ballots. Refused (nothing written) when a sealed ballot
    does not open or ballots and credential uses differ in number."""
    # PostgreSQL: lock the campaign (waiting for ballots being stored), then read its status anew.
    db.session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    db.session.refresh(campaign)
    _require(campaign, OPEN, action="结束评议")
    opened = _open_inbox(campaign)
    # Ballots stored in clear before the sealed inbox existed (a campaign open during the upgrade).
    legacy = [dict(r._mapping) for r in db.session.execute(
        select(*Ballot.__table__.c).where(Ballot.campaign_id == campaign.id))]
    legacy_opinions = [dict(r._mapping) for r in db.session.execute(
        select(*Opinion.__table__.c).where(Opinion.campaign_id == campaign.id))]
    uses = db.session.scalar(select(func.count()).select_from(CredentialUse).join(BallotCredential).where(
        BallotCredential.campaign_id == campaign.id))
    if len(opened) + len(legacy) != uses:
        raise SurveyError(f"选票 {len(opened) + len(legacy)} 张与已使用的凭证 {uses} 个不一致：评议未结束，请立即报告公证处。")
    rows = [{"campaign_id": campaign.id, "receipt_hash": b["receipt_hash"],
             "enforcement": bytes.fromhex(b["enforcement"]), "service": bytes.fromhex(b["service"]),
             "enforcement_invalid": b["enforcement_invalid"], "service_invalid": b["service_invalid"]} for b in opened]
    rows += [{k: v for k, v in b.items() if k != "id"} for b in legacy]
    opinions = [{"campaign_id": campaign.id, "department_id": int(d), "text": t, "redacted": None}
                for b in opened for d, t in b["opinions"].items()]
    opinions += [{k: v for k, v in o.items() if k != "id"} for o in legacy_opinions]
    if legacy:
        db.session.execute(delete(Ballot).where(Ballot.campaign_id == campaign.id))
    if legacy_opinions:
        db.session.execute(delete(Opinion).where(Opinion.campaign_id == campaign.id))
    _destroy_inbox(campaign)
    shuffle = secrets.SystemRandom().shuffle
    shuffle(rows)
    shuffle(opinions)
    for row in rows + opinions:
        row["id"] = secrets.token_hex(16)
    if rows:
        db.session.execute(insert(Ballot), rows)
    if opinions:
        db.session.execute(insert(Opinion), opinions)
    db.session.expire_all()
    links = digests(campaign)
    campaign.chain_head = core.chain_head(links)
    campaign.sealed_ballots = len(links)
    campaign.status = CLOSED
    db.session.flush()
    _record_unlogged(campaign)
    audit.record("survey.close", target=f"survey:{campaign.id}",
                 detail={"ballots": len(links), "chain_head": campaign.chain_head})
    return campaign.chain_head


def verify_chain(campaign: Campaign) -> tuple[str, int]:
    """The chain head recomputed from the ballots as stored now, and their number."""
    links = digests(campaign)
    return core.chain_head(links), len(links)


def lookup_receipt(campaign: Campaign, text: str) -> str | None:
    """The board code of a receipt when a ballot with it is in the campaign's ballot list."""
    receipt = normalise_code(text)
    if not receipt:
        return None
    stored = db.session.scalar(select(Ballot.receipt_hash).where(Ballot.campaign_id == campaign.id,
                                                                 Ballot.receipt_hash == receipt_hash(receipt)))
    return board_code(stored) if stored else None


def receipt_board(campaign: Campaign):
    """The stored receipt hashes of every ballot, sorted (a query: the page paginates it)."""
    return select(Ballot.receipt_hash).where(Ballot.campaign_id == campaign.id).order_by(Ballot.receipt_hash)

