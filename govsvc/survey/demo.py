"""Demo data for the survey, made through the services users use (fixed random seed):

- 2024: archived — every rectification matter closed;
- 2025: published, opinions fed back, rectification under way (some matters overdue); the
  departments at the bottom in 2024 and 2025 get `reorganize`;
- 2026: open — `head001` … can vote; some heads already have, a few absent heads vote on paper.
  Before it opened the 动员通知 went out (11-20, self-check reports due 11-30): four in five
  departments reported (a few late, a few on paper), the rest show 逾期.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select, update

from govsvc.auth.models import User
from govsvc.demo import demo_step
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.ledger.service import move
from govsvc.registry.models import Unit
from govsvc.survey import ballots, campaigns, mobilisation, results
from govsvc.survey.ballots import BallotInput
from govsvc.survey.models import ONLINE, PAPER, BallotCredential, CampaignDepartment, CampaignEvaluator, SelfCheck
from govsvc.timeutil import local_today
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


NOTICE = ("各被评议部门（单位）：按照年度企业评议工作方案，今年12月中旬组织纳税前200名企业主要负责人进行集中评议。"
          "请各部门（单位）对照企业反映的问题查找不足、改进工作，做好评议准备，并按期报送自查报告。")
FINDINGS = ["审批材料清单不够清晰，企业多次补交。", "部分窗口人员业务不熟，答复口径不一。", "涉企检查计划性不强，存在重复检查。",
            "政策兑现流程长，企业反映办理时限不明确。"]
MEASURES = ["一次性告知材料清单并在网上公开。", "开展窗口人员轮训，统一答复口径。", "制定年度检查计划，推行“综合查一次”。",
            "明确兑现时限并公开办理进度。"]


def _mobilise(campaign, organizer: User, rng: random.Random) -> None:
    """The notice (11-20, reports due 11-30) and four in five departments' reports, through the
    services; their days set afterwards in one statement (a few after the deadline)."""
    today = local_today()
    issued_on, due = min(date(campaign.year, 11, 20), today), date(campaign.year, 11, 30)
    if core.self_check_deadline_problem(issued_on, due, campaign.evaluation_date, today):
        return   # loaded before the notice could have gone out: no mobilisation to show
    mobilisation.issue_notice(campaign, text=NOTICE, issued_on=issued_on, due=due, user=organizer)
    staff = {u.unit_id: u for u in db.session.scalars(select(User).where(User.username.like("dept-%")))}
    depts = campaigns.departments(campaign)
    days = []
    for dept in rng.sample(depts, len(depts) * 4 // 5):
        user = staff.get(dept.unit_id)
        on_paper = user is None or rng.random() < 0.15
        report = mobilisation.submit(campaign, dept, findings=rng.choice(FINDINGS), measures=rng.choice(MEASURES),
                                     signed_by=f"{dept.name}主要负责人", on_paper=on_paper,
                                     user=organizer if on_paper else user)
        day = min(today, issued_on + timedelta(days=rng.randint(2, 10) if rng.random() < 0.9 else rng.randint(11, 14)))
        days.append({"id": report.id, "submitted_on": day,
                     "submitted_at": datetime(day.year, day.month, day.day, 2, 0, tzinfo=timezone.utc)})
    db.session.execute(update(SelfCheck), days)


def _run(year: int, quality, rng: random.Random, users: dict[int, User], *, voters: float = 1.0,
         leave_open: bool = False, organizer: User | None = None):
    campaign = campaigns.create_campaign(year=year)
    campaigns.load_departments(campaign)
    campaigns.load_evaluators(campaign)
    evaluators = db.session.scalars(select(CampaignEvaluator).where(CampaignEvaluator.campaign_id == campaign.id)
                                    .order_by(CampaignEvaluator.rank)).all()
    if leave_open:  # a few heads cannot come to the meeting: they get the paper form
        for evaluator in evaluators[-6:]:
            campaigns.set_channel(campaign, evaluator, PAPER)
    campaigns.confirm_lists(campaign)
    if organizer is not None:
        _mobilise(campaign, organizer, random.Random(SEED + year))   # its own stream: the votes stay as they were
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
    _run(2026, quality, rng, users, voters=0.45, leave_open=True, organizer=organizer)
    db.session.flush()
