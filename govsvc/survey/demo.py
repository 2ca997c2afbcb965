"""Demo data for the survey, made through the services users use (fixed random seed):

- 2024: archived — every rectification matter closed;
- 2025: published, opinions fed back, rectification under way (some matters overdue); the
  departments at the bottom in 2024 and 2025 get `reorganize`;
- 2026: open — `head001` … can vote; some heads already have, a few absent heads vote on paper.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timezone

from sqlalchemy import select

from govsvc.auth.models import User
from govsvc.demo import demo_step
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.ledger.service import move
from govsvc.registry.models import Unit
from govsvc.survey import ballots, campaigns, results
from govsvc.survey.ballots import BallotInput
from govsvc.survey.models import ONLINE, PAPER, BallotCredential, CampaignDepartment, CampaignEvaluator
from scoring import survey as core

SEED = 20261123
COMPLAINTS = [
    "审批材料要求反复补交，希望一次性告知。", "执法检查次数偏多，同一月内来了三次。", "窗口工作人员业务不熟，咨询要跑好几个科室。",
    "政策兑现周期长，申报后半年还没有结果。", "电话经常无人接听，反映问题找不到人。", "检查时提前通知不够，影响正常生产。",
    "办事流程网上网下两套要求，标准不一。", "对企业诉求答复慢，建议明确办理时限。",
]
PRAISES = [
    "主动上门服务，帮助解决了用地难题。", "办事效率高，当天受理当天办结。", "政策宣讲及时，解读清楚。",
    "执法规范文明，先教育后处罚。", "服务专员对接及时，很满意。",
]
# Written the way heads do write: content that betrays its author (the organizer redacts it).
REVEALING = "我公司是区里唯一生产氯碱的企业，"


def _quality(codes: list[str], rng: random.Random) -> dict[str, float]:
    quality = {code: max(-0.7, rng.gauss(0.2, 0.7)) for code in codes}
    for code in ("CGJ", "BDC"):  # persistently at the bottom: twice running → reorganize
        quality[code] = -1.6
    return quality


def _part(depts: list[CampaignDepartment], quality, rng: random.Random, *, careless: bool) -> list[int]:
    limit = core.cap(len(depts))
    part, scored = [], []
    for dept in depts:
        if rng.random() < 0.06:
            part.append(core.BLANK if rng.random() < 0.5 else core.UNKNOWN)
            continue
        q = quality[dept.code] + rng.gauss(0, 1.0)
        part.append(core.SATISFIED if q > 0.2 else core.DISSATISFIED if q < -2.0 else core.BASIC)
        scored.append((q, len(part) - 1))
    if not careless:  # online ballots respect the cap: the weakest extra 满意 become 基本满意
        for code, reverse in ((core.SATISFIED, False), (core.DISSATISFIED, True)):
            chosen = sorted((q, i) for q, i in scored if part[i] == code)
            extra = len(chosen) - limit
            for _, i in (chosen[::-1] if reverse else chosen)[:max(0, extra)]:
                part[i] = core.BASIC
    return part


def _ballot(campaign, by_category, quality, rng, *, careless=False) -> BallotInput:
    parts = {c: _part(depts, quality, rng, careless=careless) for c, depts in by_category.items()}
    opinions = {}
    if rng.random() < 0.35:
        for dept in rng.sample([d for ds in by_category.values() for d in ds], rng.randint(1, 2)):
            text = rng.choice(COMPLAINTS if quality[dept.code] < 0.2 else PRAISES)
            if rng.random() < 0.08:
                text = REVEALING + text
            opinions[dept.id] = text
    return BallotInput(parts=parts, opinions=opinions)


def _run(year: int, quality, rng: random.Random, users: dict[int, User], *, voters: float = 1.0,
         leave_open: bool = False):
    campaign = campaigns.create_campaign(year=year)
    campaigns.load_departments(campaign)
    campaigns.load_evaluators(campaign)
    evaluators = db.session.scalars(select(CampaignEvaluator).where(CampaignEvaluator.campaign_id == campaign.id)
                                    .order_by(CampaignEvaluator.rank)).all()
    if leave_open:  # a few heads cannot come to the meeting: they get the paper form
        for evaluator in evaluators[-6:]:
            campaigns.set_channel(campaign, evaluator, PAPER)
    campaigns.confirm_lists(campaign)
    campaigns.open_voting(campaign)
    by_category = {c: campaigns.departments(campaign, c) for c in core.CATEGORIES}
    paper = [e for e in evaluators if e.channel == PAPER]
    _, codes = ballots.issue_paper_codes(campaign, len(paper)) if paper else (None, [])
    # Every head's online credential read at once (cast_online would look each one up).
    credentials = {c.evaluator_id: c for c in db.session.scalars(select(BallotCredential).where(
        BallotCredential.campaign_id == campaign.id, BallotCredential.kind == ONLINE))}
    columns = campaigns.layout(campaign)  # fixed once the lists are confirmed
    for evaluator in evaluators:
        if evaluator.channel == PAPER or rng.random() > voters:
            continue
        if leave_open and users[evaluator.enterprise_id].username <= "head010":
            continue  # head001 … head010 have not voted yet: try it
        ballots.cast_online(campaign, users[evaluator.enterprise_id],
                            _ballot(campaign, by_category, quality, rng), columns=columns,
                            credential=credentials.get(evaluator.id))
    for code in codes[:2 if leave_open else len(codes)]:
        ballots.enter_paper(campaign, code.code, _ballot(campaign, by_category, quality, rng,
                                                         careless=rng.random() < 0.3), columns)
    return campaign


def _publish(campaign, leader: User) -> None:
    ballots.close_voting(campaign)
    results.tally_campaign(campaign)
    results.approve_and_publish(campaign, leader)
    when = datetime(campaign.year, 12, 26, 2, 0, tzinfo=timezone.utc)
    campaign.tallied_at = campaign.approved_at = campaign.published_at = when


def _release(campaign, organizer: User, rng: random.Random, *, close_all: bool) -> None:
    for opinion in db.session.scalars(results.opinion_query(campaign)):
        if REVEALING in opinion.text:
            results.redact(campaign, opinion, REVEALING.rstrip("，"))
    results.release_opinions(campaign, date(campaign.year + 1, 3, 31), organizer)
    steps = [workflow.IN_PROGRESS, workflow.CONCLUDED, workflow.FEEDBACK_GIVEN, workflow.CLOSED]
    for matter in db.session.scalars(results.rectification_matters(campaign)):
        depth = len(steps) if close_all else rng.choice([0, 1, 2, 4, 4, 4])
        for target in steps[:depth]:
            move(matter, target, user=organizer, note={workflow.CONCLUDED: "已逐条研究并整改，整改情况已报送。",
                                                       workflow.FEEDBACK_GIVEN: "已向评议企业反馈整改情况。"}.get(target, ""))
    if close_all:
        results.archive(campaign)


@demo_step
def survey_demo(password_hash: str) -> None:
    rng = random.Random(SEED)
    heads = db.session.scalars(select(User).where(User.username.like("head%"), User.enterprise_id.is_not(None))).all()
    users = {u.enterprise_id: u for u in heads}
    leader = db.session.scalar(select(User).where(User.username == "leader"))
    organizer = db.session.scalar(select(User).where(User.username == "organizer"))
    codes = list(db.session.scalars(select(Unit.code).where(Unit.survey_category.is_not(None)).order_by(Unit.id)))
    quality = _quality(codes, rng)

    for year, close_all in ((2024, True), (2025, False)):
        drift = {code: q + rng.gauss(0, 0.35) for code, q in quality.items()}
        campaign = _run(year, drift, rng, users)
        _publish(campaign, leader)
        _release(campaign, organizer, rng, close_all=close_all)
    _run(2026, quality, rng, users, voters=0.45, leave_open=True)
    db.session.flush()
