"""Ballots: credentials (online accounts, printed codes), casting a ballot anonymously, paper
entry, turnout, sealing the campaign (hash chain) and the anonymous ballot list (B.csv).

Anonymity: casting records the credential's use (`CredentialUse`) and stores the ballot and its
opinions in the same transaction, with nothing linking them: the ballot gets a random id and a
random receipt (kept as a keyed hash), no user, address, session or time. One credential, one
ballot: the use's primary key is the credential, so a second use fails in the database whatever
the timing (PostgreSQL also locks the credential row while it is used).
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.crypto import keyed_hash
from govsvc.database import begin_write
from govsvc.extensions import db
from govsvc.survey.campaigns import Layout, SurveyError, _require, layout
from govsvc.survey.models import (CLOSED, ONLINE, OPEN, PAPER, Ballot, BallotCredential, Campaign,
                                  CampaignDepartment, CampaignEvaluator, CredentialUse, Opinion)
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


def _use(credential: BallotCredential) -> None:
    """Record the credential's use; a used credential (also one used a moment ago by a
    concurrent request) raises AlreadyVoted. The database settles the race. Everything before
    this is reading; the write (and on SQLite the write lock) starts here."""
    begin_write()
    # The campaign's status again, now in the writing transaction: the first check may have read
    # it before the organizer closed voting (a @read_first request reads outside the write), and
    # a ballot stored after the seal would fall outside the sealed chain. PostgreSQL: FOR SHARE,
    # so ballots do not queue behind one another, while close_voting's FOR UPDATE waits for them.
    status = db.session.scalar(select(Campaign.status).where(Campaign.id == credential.campaign_id)
                               .with_for_update(read=True))
    if status != OPEN:
        raise SurveyError("评议已经结束，本评议表未能提交。")
    void = db.session.scalar(select(BallotCredential.void).where(BallotCredential.id == credential.id)
                             .with_for_update())  # PostgreSQL: concurrent uses and voiding queue here
    if void:
        raise SurveyError("该投票凭证已作废。")
    try:
        with db.session.begin_nested():
            db.session.add(CredentialUse(credential_id=credential.id))
            db.session.flush()
    except IntegrityError:
        raise AlreadyVoted("该投票凭证已经使用过：每份凭证只能提交一次评议。") from None


def _store(campaign: Campaign, ballot: BallotInput, problems: dict[str, str], receipt: str, columns: Layout) -> None:
    known = {i for ids in columns.ids.values() for i in ids}
    db.session.add(Ballot(
        id=secrets.token_hex(16), campaign_id=campaign.id, receipt_hash=receipt_hash(receipt),
        enforcement=bytes(ballot.parts["enforcement"]), service=bytes(ballot.parts["service"]),
        enforcement_invalid=problems.get("enforcement", ""), service_invalid=problems.get("service", "")))
    for department_id, text in ballot.opinions.items():
        text = (text or "").strip()
        if text and department_id in known:
            db.session.add(Opinion(id=secrets.token_hex(16), campaign_id=campaign.id, department_id=department_id,
                                   text=text[:MAX_OPINION]))
    db.session.flush()


def _prepare(campaign: Campaign, ballot: BallotInput) -> tuple[BallotInput, Layout, dict[str, str]]:
    """Blank parts filled in, the ballot's layout, and each invalid part's reason."""
    columns = layout(campaign)
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


def cast_online(campaign: Campaign, user, ballot: BallotInput) -> str:
    """An evaluator's ballot. A part over the cap is refused (nothing stored). Returns the receipt."""
    if campaign.status != OPEN:
        raise SurveyError("评议未开始或已经结束。")
    credential = online_credential(campaign, user)
    if credential is None:
        raise SurveyError("您的企业不在本次评议的网上评议名单中。")
    if credential.void:
        raise SurveyError("您的企业已改用纸质评议表，请填写寄送的评议表。")
    ballot, columns, problems = _prepare(campaign, ballot)
    if ballot.rated() == 0:
        raise SurveyError("请至少评价一个部门（单位）。")
    if problems:
        raise SurveyError("；".join(problems.values()))
    _use(credential)
    receipt = new_code()
    _store(campaign, ballot, {}, receipt, columns)
    audit.record("survey.ballot.cast", target=f"survey:{campaign.id}", detail={"channel": ONLINE})
    return receipt


def enter_paper(campaign: Campaign, code_text: str, ballot: BallotInput) -> dict[str, str]:
    """A paper ballot typed in by the organizer. Invalid parts are stored as invalid with their
    reason (the other part still counts). Returns the problems per category."""
    if campaign.status != OPEN:
        raise SurveyError("只有评议进行中才能录入纸质评议表。")
    code = normalise_code(code_text)
    credential = db.session.scalar(select(BallotCredential).where(
        BallotCredential.code_hash == _code_hash(code), BallotCredential.campaign_id == campaign.id)) if code else None
    if credential is None:
        raise SurveyError("投票码无效：请核对评议表上的投票码。")
    ballot, columns, problems = _prepare(campaign, ballot)
    if ballot.rated() == 0:
        raise SurveyError("空白评议表不录入（视为未参加评议）。")
    _use(credential)
    _store(campaign, ballot, problems, paper_receipt(code), columns)
    audit.record("survey.ballot.paper", target=f"survey:{campaign.id}", detail={"invalid_parts": sorted(problems)})
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


def turnout(campaign: Campaign) -> Turnout:
    def count(stmt):
        return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0

    creds = select(BallotCredential.id).where(BallotCredential.campaign_id == campaign.id)
    used = creds.join(CredentialUse, CredentialUse.credential_id == BallotCredential.id)
    evaluators = select(CampaignEvaluator.id).where(CampaignEvaluator.campaign_id == campaign.id)
    return Turnout(
        evaluators=count(evaluators),
        online=count(creds.where(BallotCredential.kind == ONLINE, BallotCredential.void.is_(False))),
        online_voted=count(used.where(BallotCredential.kind == ONLINE)),
        paper_evaluators=count(evaluators.where(CampaignEvaluator.channel == PAPER)),
        codes_issued=count(creds.where(BallotCredential.kind == PAPER)),
        codes_void=count(creds.where(BallotCredential.kind == PAPER, BallotCredential.void.is_(True))),
        codes_used=count(used.where(BallotCredential.kind == PAPER)),
        ballots=count(select(Ballot.id).where(Ballot.campaign_id == campaign.id)),
    )


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


def close_voting(campaign: Campaign) -> str:
    """Close the ballot box: rewrite ballots and opinions in random-key order (so nothing stored
    follows arrival any more) and seal the hash chain's head and the number of ballots."""
    # PostgreSQL: lock the campaign (waiting for ballots being stored), then read its status anew.
    db.session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    db.session.refresh(campaign)
    _require(campaign, OPEN, action="结束评议")
    for model, columns in ((Ballot, Ballot.__table__.c), (Opinion, Opinion.__table__.c)):
        rows = [dict(r._mapping) for r in db.session.execute(
            select(*columns).where(columns.campaign_id == campaign.id).order_by(columns.id))]
        db.session.execute(delete(model).where(columns.campaign_id == campaign.id))
        if rows:
            db.session.execute(insert(model), rows)
    db.session.expire_all()
    links = digests(campaign)
    campaign.chain_head = core.chain_head(links)
    campaign.sealed_ballots = len(links)
    campaign.status = CLOSED
    db.session.flush()
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

