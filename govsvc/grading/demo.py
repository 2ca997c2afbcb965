"""Demo data of the grading: six years of enforcement records (imported through the records
import), the published 2025 and 2026 gradings (units submit, justice computes and adjusts, the
leader approves), then dynamic management after publication: serious penalties raising downgrade
proposals, an objection, complaints. Fixed random seed, no hard-coded ids."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from govsvc.auth.models import User
from govsvc.demo import demo_step
from govsvc.exports import csv_bytes
from govsvc.extensions import db
from govsvc.grading import inputs, matters, records, service, unitlists
from govsvc.grading.models import DowngradeProposal, GradeChange, GradingRound
from govsvc.imports import run_import
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today
from scoring import grading as core

SEED = 20191015
FIRST_YEAR, LAST_YEAR = 2020, 2026
ABBREVIATIONS = {"FGW": "发改", "RSJ": "人社", "SHJ": "环", "YJJ": "应急", "SCJ": "市监", "SWJ": "税", "GAJ": "公",
                 "ZJJ": "建", "SCJ-ZD": "张市监", "SCJ-LZ": "临市监"}
MINOR_FACTS = ["未按规定公示年度报告", "未按期申报", "安全警示标志缺失", "劳动合同签订不规范", "危险废物台账不全",
               "标签标识不规范", "未按规定进行环境监测"]
SERIOUS_FACTS = ["超标排放污染物，责令停产整治", "发生生产安全责任事故", "拒不支付劳动报酬，移送公安机关",
                 "生产销售不合格产品，吊销许可证", "偷税，移送司法机关"]


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _records_csv(rng: random.Random, enterprises: list[Enterprise], units: list[Unit], today: date) -> bytes:
    rows = []
    seen: set[tuple[str, str, date]] = set()
    serial: dict[tuple[str, int], int] = {}
    for enterprise in enterprises:
        # Some enterprises are inspected more and break rules more often than others.
        care = rng.choice((0.6, 1.0, 1.0, 1.0, 1.6))
        for unit in units:
            rate = (0.1 if unit.grading else 0.05) * care
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                for _ in range(sum(rng.random() < rate for _ in range(3))):
                    day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
                    if day > today or (enterprise.credit_code, unit.code, day) in seen:
                        continue
                    seen.add((enterprise.credit_code, unit.code, day))
                    roll = rng.random() / care
                    outcome = "serious" if roll < 0.012 else "minor" if roll < 0.11 else "none"
                    fine, number, fact = "", "", ""
                    if outcome != "none":
                        key = (unit.code, year)
                        serial[key] = serial.get(key, 0) + 1
                        number = f"淄{ABBREVIATIONS.get(unit.code, unit.code)}罚〔{year}〕{serial[key]}号"
                        low, high = (50_000, 500_000) if outcome == "serious" else (500, 30_000)
                        fine = f"{rng.randrange(low, high, 100)}.00"
                        fact = rng.choice(SERIOUS_FACTS if outcome == "serious" else MINOR_FACTS)
                    rows.append([enterprise.credit_code, unit.code, day.isoformat(), outcome, fine, number, fact])
    rows.sort(key=lambda r: (r[2], r[1], r[0]))
    header = ["credit_code", "unit_code", "date", "outcome", "fine", "decision_no", "description"]
    return csv_bytes(header, rows, bom=False)


def _grade_year(year: int, justice: User, leader: User, adjust_reason: str, rng: random.Random) -> GradingRound:
    grading_round = service.create_round(year, service.DEFAULT_RULES_TOML, user=justice,
                                         note="经全市企业免检免扰评级联席会议研究。")
    for part in sorted(grading_round.units, key=lambda p: p.unit.code):
        if part.unit.code == "SWJ" and year == LAST_YEAR:
            _upload_swj_list(grading_round, part, justice)
        else:
            service.submit_rule(grading_round, part, user=_user(f"dept-{part.unit.code.lower()}") or justice)
    service.compute(grading_round, user=justice)
    # The justice bureau weighs one case differently, in writing (统筹衡量、综合评定).
    candidates = db.session.scalars(service.results_query(grading_round, grade="C")).all()
    if candidates:
        target = rng.choice(candidates)
        service.adjust(grading_round, target.enterprise_id, "B", adjust_reason, user=justice)
    service.submit(grading_round, user=justice)
    service.approve(grading_round, user=leader)
    return grading_round


def _a_year_earlier(grading_round) -> None:
    """The previous year's round was graded, approved and published a year ago, not this minute
    (its history reads like a real one: 2025's round published in 2025)."""
    year = timedelta(days=365)
    for obj, names in [(grading_round, ("created_at", "computed_at", "submitted_at", "published_at")),
                       *[(part, ("submitted_at",)) for part in grading_round.units],
                       *[(change, ("at",)) for change in db.session.scalars(
                           select(GradeChange).where(GradeChange.round_id == grading_round.id))]]:
        for name in names:
            if getattr(obj, name) is not None:
                setattr(obj, name, getattr(obj, name) - year)
    db.session.commit()


def _upload_swj_list(grading_round, part, justice: User) -> None:
    """The tax bureau sends its own list (its graded B/C enterprises, with its reasons)."""
    graded = inputs.grade_round(grading_round, use_lists=False)
    u = [unit.id for unit in graded.units].index(part.unit_id)
    codes = {e.id: e.credit_code for e in db.session.scalars(select(Enterprise))}
    rows = []
    for i, eid in enumerate(graded.enterprise_ids):
        g = int(graded.grading.unit_grade[i, u])
        if graded.grading.scope[i] and g > core.A:
            rows.append([codes[eid], core.GRADES[g], "纳税信用评价结果及税务行政处罚情况：" + graded.grading.unit_reason[i].get(u, "")])
    data = csv_bytes(["credit_code", "grade", "reason"], rows, bom=False)
    report, _ = unitlists.upload_list(grading_round, part, data, "swj.csv", user=_user("dept-swj") or justice)
    if not report.applied:
        raise RuntimeError(f"demo SWJ list has errors: {report.errors[:3]}")


@demo_step(order=10)  # publishes the grading the inspections demo reads
def grading_demo(password_hash: str) -> None:
    rng = random.Random(SEED)
    today = local_today()
    units = list(db.session.scalars(select(Unit).where(Unit.code.in_(list(ABBREVIATIONS))).order_by(Unit.code)))
    enterprises = list(db.session.scalars(select(Enterprise).order_by(Enterprise.credit_code)))
    report = run_import(records.RecordImport(), _records_csv(rng, enterprises, units, today), "demo-records.csv")
    if not report.applied:
        raise RuntimeError(f"demo records have errors: {report.errors[:3]}")
    justice, leader = _user("justice"), _user("leader")
    _a_year_earlier(_grade_year(LAST_YEAR - 1, justice, leader, "该企业已完成全部整改并经复查合格，综合评定为B类。", rng))
    _grade_year(LAST_YEAR, justice, leader, "该企业严重违法行为发生在评价期初，已整改到位，经联席会议研究综合评定为B类。", rng)
    _after_publication(rng, justice, today)


def _after_publication(rng: random.Random, justice: User, today: date) -> None:
    grading_round = service.published_round()
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    # Serious penalties entered after publication: two downgrade proposals, one accepted.
    good = db.session.scalars(service.results_query(grading_round, grade="A")).all()
    for k, result in enumerate(rng.sample(good, 2)):
        records.add_record(enterprise=result.enterprise, unit=units[("SHJ", "YJJ")[k]],
                           day=today - timedelta(days=3 + k), outcome="serious", fine=serious_fine(rng),
                           decision_no=f"淄{('环', '应急')[k]}罚〔{today.year}〕{90 + k}号",
                           description=SERIOUS_FACTS[k])
    first = db.session.scalar(select(DowngradeProposal).order_by(DowngradeProposal.id))
    if first is not None:
        records.decide_proposal(first, True, "经核实，该企业受到严重违法处理，依动态管理规定调整为C类。", user=justice)
    # Enterprise heads: an objection waiting for an answer, one answered; complaints.
    heads = db.session.scalars(select(User).where(User.username.like("head%")).order_by(User.username)).all()
    graded_heads = [h for h in heads if service.result_of(grading_round, h.enterprise_id) is not None]
    b_or_c = [h for h in graded_heads if service.result_of(grading_round, h.enterprise_id).grade != "A"]
    if len(b_or_c) >= 2:
        matters.file_objection(b_or_c[0], "贵局认定的一般违法行为已于当年整改完毕，且已申请行政复议，请求重新评定为A类。")
        answered = matters.file_objection(b_or_c[1], "评级所依据的处罚决定已被撤销，请予更正。")
        matters.answer_objection(answered, "rejected", "经核实，相关处罚决定未被撤销，仍然有效，维持原评级。", user=justice)
    a_heads = [h for h in graded_heads if h not in b_or_c]
    if len(a_heads) >= 2:
        upheld = matters.file_complaint(a_heads[0], units["SCJ"].id,
                                        "我公司为A类免检企业，今年内被市场监管部门以“双随机”名义检查三次，影响正常生产。",
                                        today - timedelta(days=40))
        matters.verify_complaint(upheld, "upheld", "经调取执法平台记录核实，该局对A类企业开展双随机检查，违反免检规定。",
                                 user=justice)
        matters.circulate(upheld, matters.circular_draft(upheld), user=justice)
        matters.refer(upheld, "多次违反免检规定，情节较重，移交追究相关责任人员责任。", user=justice)
        matters.file_complaint(a_heads[1], units["SHJ"].id, "环保部门以例行检查为由到我公司检查，未说明依据。",
                               today - timedelta(days=10))


def serious_fine(rng: random.Random) -> Decimal:
    return Decimal(rng.randrange(100_000, 500_000, 1000))
