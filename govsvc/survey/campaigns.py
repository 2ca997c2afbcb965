"""Campaigns: the seed's calendar, the two lists (rated departments, evaluators) as per-campaign
snapshots, and the lifecycle draft → lists confirmed → open → closed → published → rectification
→ archived. Services flush; the request (or CLI command) commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.auth.models import User, UserRole
from govsvc.extensions import db
from govsvc.registry.models import Enterprise, Unit
from govsvc.registry.service import top_taxpayers
from govsvc.survey.models import (CLOSED, DRAFT, LISTS_CONFIRMED, ONLINE, OPEN, PAPER, RECTIFICATION, STATUSES,
                                  BallotCredential, Campaign, CampaignDepartment, CampaignEvaluator, CredentialUse)
from govsvc.timeutil import local_today
from scoring import survey as core


class SurveyError(ValueError):
    """A refused action; the message is for the user (Chinese)."""


# -- the calendar (五、工作安排) ---------------------------------------------------------------
STAGES = (
    ("plan_date", "制定方案", "10月中旬"),
    ("lists_due", "确定“两个名单”", "10月底前"),
    ("mobilisation_date", "动员部署", "11月底"),
    ("evaluation_date", "组织评议", "12月中旬"),
    ("rectification_date", "整改提升（公布成绩、反馈意见）", "12月下旬"),
)


def default_calendar(year: int) -> dict[str, date]:
    return {"plan_date": date(year, 10, 15), "lists_due": date(year, 10, 31),
            "mobilisation_date": date(year, 11, 30), "evaluation_date": date(year, 12, 15),
            "rectification_date": date(year, 12, 25)}


def default_title(year: int) -> str:
    return f"{year}年度企业评议部门（单位）工作"


@dataclass
class Stage:
    label: str
    seed: str
    due: date
    done: bool
    key: str = ""

    @property
    def overdue(self) -> bool:
        return not self.done and local_today() > self.due


_STAGE_DONE_FROM = {"plan_date": DRAFT, "lists_due": LISTS_CONFIRMED, "mobilisation_date": OPEN,
                    "evaluation_date": CLOSED, "rectification_date": RECTIFICATION}


def calendar(campaign: Campaign) -> list[Stage]:
    """The stages with their dates; a stage is done once the campaign reached the status it needs."""
    reached = STATUSES.index(campaign.status)
    return [Stage(label, seed, getattr(campaign, attr), reached >= STATUSES.index(_STAGE_DONE_FROM[attr]), attr)
            for attr, label, seed in STAGES]


def create_campaign(*, year: int, title: str = "", top_k: int = core.DEFAULT_TOP, evaluator_quota: int = 200,
                    dates: dict[str, date] | None = None) -> Campaign:
    if db.session.scalar(select(Campaign.id).where(Campaign.year == year)) is not None:
        raise SurveyError(f"{year} 年度的评议已经存在。")
    if top_k < 1:
        raise SurveyError("表扬名额至少为 1。")
    values = default_calendar(year) | {k: v for k, v in (dates or {}).items() if v is not None}
    campaign = Campaign(year=year, title=title or default_title(year), top_k=top_k, evaluator_quota=evaluator_quota,
                        status=DRAFT, **values)
    _insert(campaign, f"{year} 年度的评议已经存在。")
    audit.record("survey.campaign.create", target=f"survey:{campaign.id}", detail={"year": year})
    return campaign


def update_settings(campaign: Campaign, *, title: str, top_k: int, evaluator_quota: int, dates: dict[str, date]) -> None:
    if campaign.is_published:
        raise SurveyError("结果已公布，不能再修改评议设置。")
    if top_k != campaign.top_k and campaign.tallied_at is not None:
        raise SurveyError("已计票，不能再修改表扬名额。")
    if top_k < 1:
        raise SurveyError("表扬名额至少为 1。")
    evaluation = dates.get("evaluation_date") or campaign.evaluation_date
    if campaign.self_check_due is not None and evaluation <= campaign.self_check_due:
        raise SurveyError(f"组织评议日应晚于已下发的自查截止日期（{campaign.self_check_due.isoformat()}）。")
    campaign.title, campaign.top_k, campaign.evaluator_quota = title, top_k, evaluator_quota
    for key, value in dates.items():
        setattr(campaign, key, value)
    db.session.flush()
    audit.record("survey.campaign.update", target=f"survey:{campaign.id}")


def _insert(row, duplicate: str) -> None:
    """Add a row; when a concurrent request added the same natural key first, a clear refusal."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        raise SurveyError(duplicate) from None


def _require(campaign: Campaign, *statuses: str, action: str) -> None:
    if campaign.status not in statuses:
        raise SurveyError(f"评议处于“{campaign.status_label}”阶段，不能{action}。")


# -- list one: rated departments ----------------------------------------------------------------
def departments(campaign: Campaign, category: str | None = None) -> list[CampaignDepartment]:
    stmt = select(CampaignDepartment).where(CampaignDepartment.campaign_id == campaign.id)
    if category:
        stmt = stmt.where(CampaignDepartment.category == category)
    order = [CampaignDepartment.category != "enforcement", CampaignDepartment.position]
    return list(db.session.scalars(stmt.order_by(*order)))


@dataclass(frozen=True)
class Layout:
    """The ballot's columns: department ids and codes per category, in ballot order."""

    ids: dict[str, list[int]]
    codes: dict[str, list[str]]


def layout(campaign: Campaign) -> Layout:
    return ballot_sheet(campaign)[1]


@dataclass(frozen=True)
class SheetDepartment:
    """A department as the ballot shows it (plain values: the voting pages render 59 of them on
    every request, where ORM objects with their joined unit cost more than the page itself)."""

    id: int
    code: str
    name: str
    category: str


def ballot_sheet(campaign: Campaign) -> tuple[dict[str, tuple[SheetDepartment, ...]], Layout]:
    """The ballot's departments per category in ballot order, and its layout. From voting's
    opening on a campaign's list can never change again (every change needs draft, and a
    campaign never goes back once open), so each app keeps it after the first read: the voting
    pages, under a burst of ballots, do not query it on every request. Read-only values (shared
    by threads), kept per app object (tests make a new app per database)."""
    frozen = STATUSES.index(campaign.status) >= STATUSES.index(OPEN)
    cache = current_app.extensions.setdefault("survey_ballot_sheets", {}) if frozen else {}
    key = (campaign.id, campaign.year, campaign.created_at)
    sheet = cache.get(key)
    if sheet is None:
        sheet = _read_sheet(campaign)
        if frozen:
            cache[key] = sheet
    return sheet


def _read_sheet(campaign: Campaign) -> tuple[dict[str, tuple[SheetDepartment, ...]], Layout]:
    rows = db.session.execute(select(CampaignDepartment.id, CampaignDepartment.code, CampaignDepartment.name,
                                     CampaignDepartment.category)
                              .where(CampaignDepartment.campaign_id == campaign.id)
                              .order_by(CampaignDepartment.position, CampaignDepartment.id)).all()
    by_category = {c: tuple(SheetDepartment(*r) for r in rows if r.category == c) for c in core.CATEGORIES}
    return by_category, Layout(ids={c: [d.id for d in depts] for c, depts in by_category.items()},
                               codes={c: [d.code for d in depts] for c, depts in by_category.items()})


def core_departments(campaign: Campaign) -> list[core.Department]:
    return [core.Department(d.code, d.name, d.category) for d in departments(campaign)]


def _next_position(campaign: Campaign, category: str) -> int:
    current = db.session.scalar(select(func.max(CampaignDepartment.position)).where(
        CampaignDepartment.campaign_id == campaign.id, CampaignDepartment.category == category))
    return 0 if current is None else current + 1


def load_departments(campaign: Campaign) -> int:
    """Replace the list with the registry's units that have a survey category (in registry order)."""
    _require(campaign, DRAFT, action="修改名单")
    db.session.execute(delete(CampaignDepartment).where(CampaignDepartment.campaign_id == campaign.id))
    units = db.session.scalars(select(Unit).where(Unit.survey_category.is_not(None)).order_by(Unit.id)).all()
    positions = dict.fromkeys(core.CATEGORIES, 0)
    for unit in units:
        db.session.add(CampaignDepartment(campaign_id=campaign.id, unit_id=unit.id, code=unit.code, name=unit.name,
                                          category=unit.survey_category, position=positions[unit.survey_category]))
        positions[unit.survey_category] += 1
    db.session.flush()
    audit.record("survey.departments.load", target=f"survey:{campaign.id}", detail=positions)
    return len(units)


def add_department(campaign: Campaign, unit_code: str, category: str) -> CampaignDepartment:
    _require(campaign, DRAFT, action="修改名单")
    if category not in core.CATEGORIES:
        raise SurveyError("请选择评议类别。")
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code.strip().upper()))
    if unit is None:
        raise SurveyError(f"找不到单位代码“{unit_code}”。")
    if db.session.scalar(select(CampaignDepartment.id).where(CampaignDepartment.campaign_id == campaign.id,
                                                             CampaignDepartment.code == unit.code)):
        raise SurveyError(f"{unit.name}已在名单中。")
    dept = CampaignDepartment(campaign_id=campaign.id, unit_id=unit.id, code=unit.code, name=unit.name,
                              category=category, position=_next_position(campaign, category))
    _insert(dept, f"{unit.name}已在名单中。")
    audit.record("survey.departments.add", target=f"survey:{campaign.id}", detail={"code": unit.code})
    return dept


def remove_department(campaign: Campaign, department_id: int) -> None:
    _require(campaign, DRAFT, action="修改名单")
    dept = db.session.get(CampaignDepartment, department_id)
    if dept is None or dept.campaign_id != campaign.id:
        raise SurveyError("名单中没有这个部门。")
    db.session.delete(dept)
    db.session.flush()
    audit.record("survey.departments.remove", target=f"survey:{campaign.id}", detail={"code": dept.code})


# -- list two: evaluators -------------------------------------------------------------------------
def evaluator_users(enterprise_ids) -> dict[int, User]:
    """Active evaluator accounts by enterprise (the first by username when several)."""
    users = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == R.EVALUATOR, User.active.is_(True),
                                          User.enterprise_id.in_(list(enterprise_ids))).order_by(User.username))
    found: dict[int, User] = {}
    for user in users:
        found.setdefault(user.enterprise_id, user)
    return found


def _snapshot_row(campaign: Campaign, enterprise: Enterprise, rank: int | None, has_account: bool) -> dict:
    return dict(campaign_id=campaign.id, enterprise_id=enterprise.id, rank=rank, credit_code=enterprise.credit_code,
                enterprise_name=enterprise.name, head_name=enterprise.head_name,
                channel=ONLINE if has_account else PAPER)


def _snapshot(campaign: Campaign, enterprise: Enterprise, rank: int | None, has_account: bool) -> CampaignEvaluator:
    return CampaignEvaluator(**_snapshot_row(campaign, enterprise, rank, has_account))


def load_evaluators(campaign: Campaign) -> int:
    """Replace the list with the top-N taxpayers for the campaign's year (by year − 1 taxes).
    Heads without an evaluator account are set to the paper ballot."""
    _require(campaign, DRAFT, action="修改名单")
    db.session.execute(delete(CampaignEvaluator).where(CampaignEvaluator.campaign_id == campaign.id))
    ranked = top_taxpayers(campaign.year, campaign.evaluator_quota)
    if not ranked:
        raise SurveyError(f"{campaign.year - 1} 年度没有纳税记录，无法生成评议企业名单。")
    accounts = evaluator_users(e.id for _, e in ranked)
    db.session.execute(insert(CampaignEvaluator), [_snapshot_row(campaign, enterprise, entry.rank, enterprise.id in accounts)
                                                   for entry, enterprise in ranked])  # one executemany
    audit.record("survey.evaluators.load", target=f"survey:{campaign.id}", detail={"count": len(ranked)})
    return len(ranked)


def add_evaluator(campaign: Campaign, credit_code: str) -> CampaignEvaluator:
    _require(campaign, DRAFT, action="修改名单")
    enterprise = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == credit_code.strip().upper()))
    if enterprise is None:
        raise SurveyError(f"找不到统一社会信用代码为“{credit_code}”的企业。")
    if db.session.scalar(select(CampaignEvaluator.id).where(CampaignEvaluator.campaign_id == campaign.id,
                                                            CampaignEvaluator.enterprise_id == enterprise.id)):
        raise SurveyError(f"{enterprise.name}已在名单中。")
    evaluator = _snapshot(campaign, enterprise, None, enterprise.id in evaluator_users([enterprise.id]))
    _insert(evaluator, f"{enterprise.name}已在名单中。")
    audit.record("survey.evaluators.add", target=f"survey:{campaign.id}", detail={"credit_code": enterprise.credit_code})
    return evaluator


def remove_evaluator(campaign: Campaign, evaluator_id: int) -> None:
    _require(campaign, DRAFT, action="修改名单")
    evaluator = db.session.get(CampaignEvaluator, evaluator_id)
    if evaluator is None or evaluator.campaign_id != campaign.id:
        raise SurveyError("名单中没有这家企业。")
    db.session.delete(evaluator)
    db.session.flush()
    audit.record("survey.evaluators.remove", target=f"survey:{campaign.id}",
                 detail={"credit_code": evaluator.credit_code})


def set_channel(campaign: Campaign, evaluator: CampaignEvaluator, channel: str) -> None:
    """Online ↔ paper in draft; after the lists are confirmed only online → paper (the online
    credential is voided, refused when it was already used: one evaluator, one ballot)."""
    if evaluator.campaign_id != campaign.id or channel not in (ONLINE, PAPER):
        raise SurveyError("无效的评议方式。")
    if channel == evaluator.channel:
        return
    if campaign.status == DRAFT:
        if channel == ONLINE and not evaluator_users([evaluator.enterprise_id]):
            raise SurveyError(f"{evaluator.enterprise_name}没有评议账号，只能使用纸质评议表。")
    else:
        _require(campaign, LISTS_CONFIRMED, OPEN, action="更改评议方式")
        if channel == ONLINE:
            raise SurveyError("名单确认后不能从纸质评议表改回网上评议（纸质评议表可能已经寄出）。")
        db.session.execute(select(BallotCredential.id).where(BallotCredential.evaluator_id == evaluator.id)
                           .with_for_update())  # a ballot cast meanwhile waits for this (PostgreSQL)
        credential = db.session.scalar(select(BallotCredential).where(BallotCredential.evaluator_id == evaluator.id))
        if credential is not None:
            if db.session.get(CredentialUse, credential.id) is not None:
                raise SurveyError(f"{evaluator.enterprise_name}已在网上提交评议，不能再改为纸质评议表。")
            credential.void = True
    evaluator.channel = channel
    db.session.flush()
    audit.record("survey.evaluators.channel", target=f"survey:{campaign.id}",
                 detail={"credit_code": evaluator.credit_code, "channel": channel})


# -- lifecycle --------------------------------------------------------------------------------------
def list_counts(campaign: Campaign) -> dict[str, int]:
    rows = db.session.execute(select(CampaignDepartment.category, func.count()).where(
        CampaignDepartment.campaign_id == campaign.id).group_by(CampaignDepartment.category)).all()
    counts = dict.fromkeys(core.CATEGORIES, 0) | {c: n for c, n in rows}
    counts["evaluators"] = db.session.scalar(select(func.count()).select_from(CampaignEvaluator).where(
        CampaignEvaluator.campaign_id == campaign.id))
    return counts


def confirm_lists(campaign: Campaign) -> None:
    """Freeze both lists (the ballot's columns) and issue each online evaluator's credential."""
    _require(campaign, DRAFT, action="确认名单")
    counts = list_counts(campaign)
    if not counts["enforcement"] + counts["service"]:
        raise SurveyError("被评议部门名单为空。")
    if not counts["evaluators"]:
        raise SurveyError("评议企业名单为空。")
    for category in core.CATEGORIES:  # renumber the ballot's columns 0..N−1
        for position, dept in enumerate(departments(campaign, category)):
            dept.position = position
    evaluators = db.session.scalars(select(CampaignEvaluator).where(CampaignEvaluator.campaign_id == campaign.id,
                                                                    CampaignEvaluator.channel == ONLINE)).all()
    if evaluators:  # one executemany
        db.session.execute(insert(BallotCredential), [{"campaign_id": campaign.id, "kind": ONLINE, "evaluator_id": e.id}
                                                      for e in evaluators])
    campaign.status = LISTS_CONFIRMED
    db.session.flush()
    audit.record("survey.lists.confirm", target=f"survey:{campaign.id}", detail=counts)


def reopen_lists(campaign: Campaign) -> None:
    """Back to draft while nothing was issued on paper and nobody voted."""
    _require(campaign, LISTS_CONFIRMED, action="退回草拟")
    if campaign.notice_issued_on is not None:
        raise SurveyError("已下发动员通知，各部门正在自查，名单不能再退回修改。")
    if db.session.scalar(select(BallotCredential.id).where(BallotCredential.campaign_id == campaign.id,
                                                           BallotCredential.kind == PAPER).limit(1)):
        raise SurveyError("已印制纸质投票码，名单不能再退回修改。")
    db.session.execute(delete(BallotCredential).where(BallotCredential.campaign_id == campaign.id))
    campaign.status = DRAFT
    db.session.flush()
    audit.record("survey.lists.reopen", target=f"survey:{campaign.id}")


def open_voting(campaign: Campaign) -> None:
    _require(campaign, LISTS_CONFIRMED, action="开始评议")
    campaign.status = OPEN
    db.session.flush()
    audit.record("survey.open", target=f"survey:{campaign.id}")


def open_campaign_for(user) -> Campaign | None:
    """The open campaign in which this evaluator's enterprise is on the list, if any."""
    if user.enterprise_id is None:
        return None
    return db.session.scalar(select(Campaign).join(CampaignEvaluator, CampaignEvaluator.campaign_id == Campaign.id)
                             .where(Campaign.status == OPEN, CampaignEvaluator.enterprise_id == user.enterprise_id)
                             .order_by(Campaign.year.desc()).limit(1))


def campaign_query(*, q: str = "", status: str = ""):
    stmt = select(Campaign)
    if q.strip():
        like = f"%{q.strip()}%"
        stmt = stmt.where(Campaign.title.ilike(like) | func.cast(Campaign.year, db.String).ilike(like))
    if status:
        stmt = stmt.where(Campaign.status == status)
    return stmt.order_by(Campaign.year.desc())
