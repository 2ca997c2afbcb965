"""Results: the tally from the database (the same core and R.csv writer as the CLI), leader
approval and publication, the year-over-year history, and the opinions' way to the departments
as rectification matters on the ledger."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import defaultload

from govsvc import audit
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.ledger.service import create_matter, move, overdue_clause
from govsvc.survey import outcomes
from govsvc.survey.campaigns import SurveyError, _require, core_departments, departments
from govsvc.survey.models import (ARCHIVED, CLOSED, PUBLISHED, RECTIFICATION, Ballot, Campaign,
                                  CampaignDepartment, DepartmentScore, Opinion)
from govsvc.timeutil import utcnow
from scoring import survey as core


def _ballot_blobs(campaign: Campaign) -> list[tuple[str, bytes, bytes]]:
    """(id, enforcement, service) of every ballot, straight from the DBAPI cursor: a tally reads
    every ballot, and SQLAlchemy's row objects would cost more than the counting itself."""
    columns = Ballot.__table__.c
    connection = db.session.connection()
    sql = (select(columns.id, columns.enforcement, columns.service).where(columns.campaign_id == int(campaign.id))
           .compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(sql))
        return [(i, bytes(e), bytes(s)) for i, e, s in cursor.fetchall()]
    finally:
        cursor.close()


def load_parts(campaign: Campaign) -> tuple[list[core.Department], dict[str, core.Parts]]:
    """Every stored ballot as the core's matrices: one byte per department, straight from the blobs."""
    depts = core_departments(campaign)
    rows = _ballot_blobs(campaign)
    ids = [r[0] for r in rows]
    parts = {}
    for index, category in enumerate(core.CATEGORIES, start=1):
        n = sum(1 for d in depts if d.category == category)
        blob = b"".join(r[index] for r in rows)
        if len(blob) != n * len(rows):
            raise SurveyError(f"选票数据与{core.CATEGORY_LABELS[category]}名单的部门数不一致。")
        parts[category] = core.Parts(ids, np.frombuffer(blob, dtype=np.uint8).reshape(len(rows), n))
    return depts, parts


def previous_campaign(campaign: Campaign) -> Campaign | None:
    previous = db.session.scalar(select(Campaign).where(Campaign.year == campaign.year - 1))
    return previous if previous is not None and previous.is_published else None


def previous_bottom(campaign: Campaign) -> set[str]:
    """Codes of last year's bottom two (any category), from the published previous campaign."""
    previous = previous_campaign(campaign)
    if previous is None:
        return set()
    return set(db.session.scalars(select(CampaignDepartment.code).join(
        DepartmentScore, DepartmentScore.department_id == CampaignDepartment.id).where(
        DepartmentScore.campaign_id == previous.id, DepartmentScore.bottom_two.is_(True))))


def compute(campaign: Campaign) -> core.Tally:
    depts, parts = load_parts(campaign)
    return core.tally(depts, parts, top=campaign.top_k, previous_bottom=previous_bottom(campaign))


@dataclass(frozen=True)
class TallySummary:
    """What the staff results page shows of a recount: parts and valid parts per category, the
    rejected parts."""
    parts: dict
    valid_parts: dict
    rejected: tuple


_SUMMARIES: dict[tuple, TallySummary] = {}
_SUMMARIES_MAX = 64


def tally_summary(campaign: Campaign, roles) -> TallySummary:
    """The recount's part figures for the results page, kept per process: a sealed box does not
    change, so the key is the campaign's data version (its tally time, chain head over the
    sealed ballots, ballot count and K) plus the reader's roles; a new tally gets a new key."""
    key = (campaign.id, campaign.tallied_at, campaign.chain_head, campaign.sealed_ballots, campaign.top_k,
           frozenset(roles))
    summary = _SUMMARIES.get(key)
    if summary is None or campaign.chain_head is None:
        result = compute(campaign)
        summary = TallySummary(dict(result.parts), dict(result.valid_parts), tuple(result.rejected))
        if campaign.chain_head is not None:
            if len(_SUMMARIES) >= _SUMMARIES_MAX:
                _SUMMARIES.clear()
            _SUMMARIES[key] = summary
    return summary


@dataclass(frozen=True)
class ResultRow:
    """A stored result as plain values (the attributes of a DepartmentScore that pages read)."""
    department_id: int
    category: str
    code: str
    name: str
    satisfied: int
    basic: int
    dissatisfied: int
    unknown: int
    score: object
    score_text: str
    rank: int | None
    commended: bool
    bottom_two: bool
    reorganize: bool
    outcome: str
    outcome_label: str


_TABLES: dict[tuple, tuple[tuple[ResultRow, ...], dict]] = {}
_TABLES_MAX = 64


def result_table(campaign: Campaign, roles) -> tuple[tuple[ResultRow, ...], dict]:
    """(stored results in R.csv order, group notes) for the results pages, kept per process. The
    stored results of a campaign change only when it is tallied again (tally_campaign replaces
    them and sets a new tally time), and its department list is fixed before voting, so the key
    is the campaign, its tally time and K, plus the reader's roles."""
    key = (campaign.id, campaign.tallied_at, campaign.top_k, frozenset(roles))
    table = _TABLES.get(key)
    if table is None:
        rows = tuple(ResultRow(
            department_id=r.department_id, category=r.category, code=r.code, name=r.name, satisfied=r.satisfied,
            basic=r.basic, dissatisfied=r.dissatisfied, unknown=r.unknown, score=r.score, score_text=r.score_text,
            rank=r.rank, commended=r.commended, bottom_two=r.bottom_two, reorganize=r.reorganize, outcome=r.outcome,
            outcome_label=r.outcome_label) for r in stored_results(campaign))
        table = rows, {category: tuple(notes) for category, notes in core.group_notes(rows, campaign.top_k).items()}
        if campaign.tallied_at is not None:
            if len(_TABLES) >= _TABLES_MAX:
                _TABLES.clear()
            _TABLES[key] = table
    return table


def tally_campaign(campaign: Campaign) -> core.Tally:
    """Count the closed campaign and store the results (not public until a leader approves)."""
    _require(campaign, CLOSED, action="计票")
    result = compute(campaign)
    by_code = {d.code: d for d in departments(campaign)}
    db.session.execute(db.delete(DepartmentScore).where(DepartmentScore.campaign_id == campaign.id))
    for r in result.results:
        db.session.add(DepartmentScore(
            campaign_id=campaign.id, department_id=by_code[r.code].id, satisfied=r.satisfied, basic=r.basic,
            dissatisfied=r.dissatisfied, unknown=r.unknown,
            score_numerator=None if r.score is None else r.score.numerator,
            score_denominator=None if r.score is None else r.score.denominator,
            rank=r.rank, commended=r.commended, bottom_two=r.bottom_two, reorganize=r.reorganize, outcome=r.outcome))
    campaign.tallied_at = utcnow()
    db.session.flush()
    audit.record("survey.tally", target=f"survey:{campaign.id}",
                 detail={"parts": result.parts, "valid": result.valid_parts, "rejected": len(result.rejected)})
    return result


def stored_results(campaign: Campaign, category: str | None = None) -> list[DepartmentScore]:
    """Stored results in R.csv order (enforcement first; by rank, unranked last, then code), sorted
    here rather than by the database so that no collation can change the order of the codes."""
    stmt = (select(DepartmentScore).join(CampaignDepartment, DepartmentScore.department_id == CampaignDepartment.id)
            .where(DepartmentScore.campaign_id == campaign.id)
            .options(defaultload(DepartmentScore.department).lazyload(CampaignDepartment.unit)))  # unit when used
    if category:
        stmt = stmt.where(CampaignDepartment.category == category)
    return sorted(db.session.scalars(stmt), key=lambda r: (core.CATEGORIES.index(r.category), r.rank is None,
                                                           r.rank or 0, r.code))


def approve_and_publish(campaign: Campaign, user) -> None:
    """A leader's approval (审定) publishes the ranking on the public page."""
    _require(campaign, CLOSED, action="审定发布")
    if campaign.tallied_at is None:
        raise SurveyError("尚未计票，不能审定发布。")
    now = utcnow()
    campaign.approved_by_id, campaign.approved_at, campaign.published_at = user.id, now, now
    campaign.status = PUBLISHED
    db.session.flush()
    interviews, referrals = outcomes.open_matters(campaign, stored_results(campaign), user)
    audit.record("survey.publish", target=f"survey:{campaign.id}",
                 detail={"chain_head": campaign.chain_head, "interviews": interviews, "referrals": referrals})


def published_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).where(Campaign.status.in_((PUBLISHED, RECTIFICATION, ARCHIVED)))
                                   .order_by(Campaign.year.desc())))


def published_campaign(year: int) -> Campaign | None:
    campaign = db.session.scalar(select(Campaign).where(Campaign.year == year))
    return campaign if campaign is not None and campaign.is_published else None


@dataclass
class HistoryPoint:
    year: int
    category: str
    score: object
    rank: int | None
    ranked: int
    outcome: str
    name: str


def history(code: str) -> list[HistoryPoint]:
    """A department's published results, year by year (by its code, whatever its category)."""
    rows = db.session.execute(
        select(Campaign, DepartmentScore, CampaignDepartment)
        .join(DepartmentScore, DepartmentScore.campaign_id == Campaign.id)
        .join(CampaignDepartment, DepartmentScore.department_id == CampaignDepartment.id)
        .where(CampaignDepartment.code == code, Campaign.status.in_((PUBLISHED, RECTIFICATION, ARCHIVED)))
        .order_by(Campaign.year)).all()
    points = []
    for campaign, score, dept in rows:
        ranked = db.session.scalar(select(db.func.count()).select_from(DepartmentScore).join(
            CampaignDepartment, DepartmentScore.department_id == CampaignDepartment.id).where(
            DepartmentScore.campaign_id == campaign.id, CampaignDepartment.category == dept.category,
            DepartmentScore.rank.is_not(None)))
        points.append(HistoryPoint(campaign.year, dept.category, score.score, score.rank, ranked, score.outcome,
                                   dept.name))
    return points


# -- opinions and rectification ----------------------------------------------------------------------
REDACTED = "［已隐去］"


def opinion_query(campaign: Campaign, *, department_id: int | None = None, q: str = ""):
    stmt = select(Opinion).where(Opinion.campaign_id == campaign.id)
    if department_id:
        stmt = stmt.where(Opinion.department_id == department_id)
    if q.strip():
        stmt = stmt.where(Opinion.text.ilike(f"%{q.strip()}%"))
    return stmt.order_by(Opinion.id)  # random ids: a random, stable order


def redact(campaign: Campaign, opinion: Opinion, phrase: str) -> int:
    """Hide a phrase that identifies the writer from what the department will read."""
    if opinion.campaign_id != campaign.id:
        raise SurveyError("没有这条意见。")
    if campaign.status not in (CLOSED, PUBLISHED):
        raise SurveyError("意见已反馈给部门，不能再修改。" if campaign.status in (RECTIFICATION, ARCHIVED)
                          else "评议结束后才能处理意见。")
    phrase = phrase.strip()
    current = opinion.released_text
    if not phrase or phrase not in current:
        raise SurveyError("意见中没有找到要隐去的文字。")
    count = current.count(phrase)
    opinion.redacted = current.replace(phrase, REDACTED)
    db.session.flush()
    audit.record("survey.opinion.redact", target=f"survey:{campaign.id}", detail={"occurrences": count})
    return count


def restore(campaign: Campaign, opinion: Opinion) -> None:
    if opinion.campaign_id != campaign.id or campaign.status not in (CLOSED, PUBLISHED):
        raise SurveyError("不能恢复这条意见。")
    opinion.redacted = None
    db.session.flush()
    audit.record("survey.opinion.restore", target=f"survey:{campaign.id}")


def matter_ref(campaign: Campaign, dept: CampaignDepartment) -> str:
    return f"survey.campaign:{campaign.id}/department:{dept.id}"


def release_opinions(campaign: Campaign, deadline: date, user) -> int:
    """Feed each department its own opinions (random order, no dates, nothing about the writer) as
    a rectification matter assigned to it; the organizer follows them to close-out."""
    _require(campaign, PUBLISHED, action="反馈意见")
    results = {r.department_id: r for r in db.session.scalars(
        select(DepartmentScore).where(DepartmentScore.campaign_id == campaign.id))}
    created = 0
    for dept in departments(campaign):
        texts = [o.released_text for o in db.session.scalars(opinion_query(campaign, department_id=dept.id))]
        if not texts:
            continue
        secrets.SystemRandom().shuffle(texts)
        result = results.get(dept.id)
        standing = (f"本年度评议：{dept.category_label}第 {result.rank} 名，得分 {result.score_text}"
                    f"{'，' + result.outcome_label if result.outcome else ''}。" if result and result.rank else "")
        body = "\n".join([standing, f"企业提出的意见建议（{len(texts)} 条，顺序随机）："]
                         + [f"{i}. {t}" for i, t in enumerate(texts, start=1)]
                         + ["", "请逐条研究整改，办结后填写整改情况。"])
        matter = create_matter(module="survey", kind="rectification",
                               title=f"{campaign.year}年度企业评议意见整改：{dept.name}", description=body.strip(),
                               source=f"{campaign.year}年度企业评议", ref=matter_ref(campaign, dept),
                               responsible_unit_id=dept.unit_id, deadline=deadline, user=user)
        if dept.unit_id is not None:
            move(matter, workflow.ASSIGNED, user=user, note="评议意见已反馈，请整改落实。", deadline=deadline)
        created += 1
    campaign.rectification_deadline = deadline
    campaign.status = RECTIFICATION
    db.session.flush()
    audit.record("survey.opinions.release", target=f"survey:{campaign.id}", detail={"matters": created})
    return created


def rectification_matters(campaign: Campaign, *, q: str = "", status: str = "", overdue: bool = False):
    stmt = select(Matter).where(Matter.module == "survey", Matter.ref.like(f"survey.campaign:{campaign.id}/%"))
    if q.strip():
        stmt = stmt.where(Matter.title.ilike(f"%{q.strip()}%"))
    if status:
        stmt = stmt.where(Matter.status == status)
    if overdue:
        stmt = stmt.where(overdue_clause())
    return stmt.order_by(Matter.id)


def rectification_matter(campaign: Campaign, dept: CampaignDepartment) -> Matter | None:
    return db.session.scalar(select(Matter).where(Matter.module == "survey", Matter.ref == matter_ref(campaign, dept)))


def archive(campaign: Campaign) -> None:
    _require(campaign, RECTIFICATION, action="归档")
    open_matters = [m for m in db.session.scalars(rectification_matters(campaign)) if m.status != workflow.CLOSED]
    if open_matters:
        raise SurveyError(f"还有 {len(open_matters)} 项整改事项未销号，不能归档。")
    campaign.status = ARCHIVED
    db.session.flush()
    audit.record("survey.archive", target=f"survey:{campaign.id}")


def own_department(campaign: Campaign, user) -> CampaignDepartment | None:
    """The rated department that is this department user's own unit (None: not rated)."""
    if user.unit_id is None:
        return None
    return db.session.scalar(select(CampaignDepartment).where(CampaignDepartment.campaign_id == campaign.id,
                                                              CampaignDepartment.unit_id == user.unit_id))


def own_opinions(campaign: Campaign, user) -> list[str] | None:
    """A department's own opinions, after release only; None before."""
    dept = own_department(campaign, user)
    if dept is None or campaign.status not in (RECTIFICATION, ARCHIVED):
        return None
    return [o.released_text for o in db.session.scalars(opinion_query(campaign, department_id=dept.id))]
