"""Demo data of govsvc.bankruptcy, loaded through its services and imports: the Zibo mechanism
(seed 000: office at the financial regulator, joint meetings half-yearly, topic meetings quarterly)
with its member units and the duty matrix (seed/bankruptcy_*.csv), the meeting history since 2020
(the last quarter's topic meeting missing: the calendar flags it), an escalation chain settled at
the joint meeting with its tasks, matters waiting at each tier, letters answered on time, late and
not at all, the case ledger in every stage (one high-risk case still without a plan, one from a
hand-over, one hand-over waiting), the member units' lists of two quarters, typical cases and a
progress circular. Runs after the financial-risk demo (order 110) so its hand-overs are used."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from govsvc import resource_dir
from govsvc.auth import roles as R
from govsvc.auth.models import User
from govsvc.auth.service import create_user
from govsvc.bankruptcy import cases, directory, letters, lists, matters, meetings, reports
from govsvc.bankruptcy.access import ServiceError
from govsvc.bankruptcy.models import HANDOVER, Meeting
from govsvc.demo import demo_step
from govsvc.extensions import db
from govsvc.imports import KINDS, run_import
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow as W
from govsvc.ledger.models import Matter
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today
from scoring import bankruptcy as core

SEED = 20261204
WAN = Decimal(10000)
DISTRICT_CODES = {"张店区": "ZD", "淄川区": "ZC", "博山区": "BS", "周村区": "ZCU", "临淄区": "LZ", "桓台县": "HT",
                  "高青县": "GQ", "沂源县": "YY"}
MISSING_UNITS = "code,name,level\nGZW,市人民政府国有资产监督管理委员会,市\n"


def _import(kind: str, data: bytes, name: str):
    report = run_import(KINDS[kind](), data, name)
    if not report.applied:
        raise RuntimeError(f"demo file {name}: {report.errors[:3]}")


def _setup(password_hash: str) -> tuple[dict[str, Unit], User, User]:
    """Units the seed lacks (国资委), the settings, conveners, members, duties, courts, administrators."""
    _import("units", MISSING_UNITS.encode(), "bankruptcy-units.csv")
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    create_user("dept-gzw", "", (R.DEPARTMENT,), display_name=units["GZW"].name, unit_id=units["GZW"].id,
                password_hash=password_hash)
    office = db.session.scalar(select(User).where(User.username == "regulator"))
    court = db.session.scalar(select(User).where(User.username == "court"))
    directory.save_settings(office, name="淄博市企业破产处置协调联动机制", established_on=date(2020, 7, 10),
                            office_unit=units["JRJ"], joint_months=6, topic_months=3, reply_days=15, setup=True)
    for name in ("bankruptcy_members.csv", "bankruptcy_duties.csv"):
        _import(name.removesuffix(".csv"), (resource_dir("seed") / name).read_bytes(), name)
    for title, name, post, code in (("general", "孙立民", "副市长", "ZFBGS"), ("general", "周正", "市中级人民法院院长", "ZYFY"),
                                    ("convener", "韩明", "市政府副秘书长", "ZFBGS"),
                                    ("convener", "马骏", "市地方金融监督管理局局长", "JRJ"),
                                    ("office_director", "王晓东", "市地方金融监督管理局副局长", "JRJ")):
        directory.add_convener(None, title=title, name=name, post=post, unit=units[code], setup=True)
    directory.add_court(None, name="淄博市中级人民法院", district="", unit=units["ZYFY"], setup=True)
    for district in DISTRICT_CODES:
        directory.add_court(None, name=f"淄博市{district}人民法院", district=district, setup=True)
    for name, kind, contact in (("山东齐鲁律师事务所", "law_firm", "刘志强"), ("山东鲁中律师事务所", "law_firm", "陈海燕"),
                                ("淄博正信会计师事务所", "accounting_firm", "杨文涛"), ("山东华晨破产清算事务所", "bankruptcy_firm", "赵立新"),
                                ("淄博恒信律师事务所", "law_firm", "吴春雷")):
        directory.add_administrator(None, name=name, kind=kind, contact=contact, phone="0533-2288000", setup=True)
    return units, office, court


def _history(today: date) -> None:
    """Minutes of every joint meeting (each half-year) and topic meeting (each quarter) since the
    mechanism began — except the last completed quarter's topic meeting, which was never held."""
    rows = []
    for tier, months in (("joint", 6), ("topic", 3)):
        start = core.period_of(date(2020, 7, 10), months)[0]
        current = core.period_of(today, months)[0]
        last_missing = core.add_months(current, -months) if tier == "topic" else None
        while start < current:
            if start != last_missing:
                held = core.add_months(start, months) - timedelta(days=12)
                rows.append(Meeting(tier=tier, title=f"{core.period_label(start, months)}{core.TIER_LABELS[tier]}",
                                    planned_on=held, held_on=held, status="issued", chair="孙立民" if tier == "joint" else "王晓东",
                                    location="市政府第一会议室", minutes=f"会议通报了{core.period_label(start, months)}企业破产处置工作情况，"
                                    "研究了成员单位提请的协调事项，明确了下一步任务分工。"))
            start = core.add_months(start, months)
    rows.sort(key=lambda m: m.held_on)
    seq: dict[int, int] = {}
    for meeting in rows:
        seq[meeting.held_on.year] = seq.get(meeting.held_on.year, 0) + 1
        meeting.minutes_year, meeting.minutes_seq = meeting.held_on.year, seq[meeting.held_on.year]
    db.session.add_all(rows)
    db.session.flush()


def _enterprises(rng: random.Random) -> list[Enterprise]:
    pool = db.session.scalars(select(Enterprise).where(Enterprise.status == "存续").order_by(Enterprise.credit_code)).all()
    return rng.sample(pool, 60)


def _chain(units, office, today: date) -> None:
    """Coordination matters at each tier: one escalated from a business meeting to a topic meeting
    (in the quarter before the last, which `_history` leaves without another) to the joint
    meeting and settled there with tasks; others waiting at each tier."""
    topic_day = core.add_months(core.period_of(today, 3)[0], -3) - timedelta(days=20)
    business_day, joint_day = topic_day - timedelta(days=30), today - timedelta(days=25)
    settled = matters.raise_matter(office, matter_type="livelihood", title="某纺织企业 426 名职工工资和社保欠费处置",
                                   description="企业停产，拖欠职工工资 7 个月、社保费 1,380 万元，职工多次集体上访。",
                                   unit=units["RSJ"], deadline=today + timedelta(days=30))
    business = meetings.create_meeting(office, tier="business", title="人社局、周村区政府职工安置业务会议",
                                       planned_on=business_day, units=[units["RSJ"], units["ZF-ZCU"]])
    item = meetings.add_to_agenda(office, business, settled)
    meetings.record_held(office, business, held_on=business_day, attendees="人社局、周村区政府联络人",
                         minutes="欠费规模超出区级财力，需市级统筹。")
    meetings.record_outcome(office, business, item, "escalated", note="欠薪垫付资金来源需市级研究")
    meetings.issue_minutes(office, business, confirm=True)
    upper = db.session.get(Matter, item.upper_matter_id)
    topic = meetings.create_meeting(office, tier="topic", title="职工安置专题会议", planned_on=topic_day,
                                    chair="王晓东", units=[units["RSJ"], units["CZJ"], units["ZF-ZCU"]])
    item = meetings.add_to_agenda(office, topic, upper)
    meetings.record_held(office, topic, held_on=topic_day, attendees="召集人、人社局、财政局、周村区政府",
                         minutes="垫付资金涉及市级财政统筹，提请联席会议研究。")
    meetings.record_outcome(office, topic, item, "escalated", note="涉及市级财政资金，需联席会议决策")
    meetings.issue_minutes(office, topic, confirm=True)
    joint_matter = db.session.get(Matter, item.upper_matter_id)
    joint = meetings.create_meeting(office, tier="joint", title=f"{core.period_label(core.period_of(joint_day, 6)[0], 6)}联席会议",
                                    planned_on=joint_day, chair="孙立民",
                                    location="市政府第一会议室", units=[units[c] for c in ("RSJ", "CZJ", "ZYFY", "ZF-ZCU", "JRJ")])
    item = meetings.add_to_agenda(office, joint, joint_matter)
    meetings.record_held(office, joint, held_on=joint_day, attendees="总召集人、召集人及成员单位分管负责同志",
                         minutes="会议听取了全市企业破产处置情况汇报，研究了职工安置资金等事项。")
    meetings.record_outcome(office, joint, item, "resolved", decision="由周村区政府先行垫付职工工资，市财政给予周转支持；人社局办理失业保险待遇。",
                            tasks=[meetings.TaskInput(units["ZF-ZCU"], today, "先行垫付职工工资"),
                                   meetings.TaskInput(units["CZJ"], today + timedelta(days=10), "安排市级周转资金"),
                                   meetings.TaskInput(units["RSJ"], today + timedelta(days=20), "办理失业保险待遇")],
                            deadline=today + timedelta(days=20))
    meetings.add_decision(office, joint, "部署下半年重点任务：梳理僵尸企业名单，推进互保圈企业风险化解。",
                          [meetings.TaskInput(units["FGW"], today + timedelta(days=35), "牵头梳理僵尸企业名单")])
    meetings.issue_minutes(office, joint, confirm=True)
    tasks = matters.tasks_of([d.id for d in joint.decisions])
    tasks[0].deadline = today - timedelta(days=5)   # 区政府 did not pay in time: overdue
    ledger.move(tasks[0], W.IN_PROGRESS, user=None)
    ledger.move(tasks[1], W.IN_PROGRESS, user=None)
    ledger.move(tasks[1], W.CONCLUDED, user=None, note="已安排周转资金 800 万元。")
    ledger.move(joint_matter, W.IN_PROGRESS, user=None, note="按联席会议纪要办理。")

    waiting = [("livelihood", "RSJ", "某机械厂职工档案转移和退休人员社会化管理", "企业进入破产清算，职工人事档案 312 份需转移。"),
               ("tax", "SWJ", "破产重整企业纳税信用修复", "重整计划执行完毕，申请纳税信用修复。"),
               ("title", "ZRJ", "破产企业厂房无证影响资产处置", "厂房 3.2 万平方米未办理不动产登记，影响拍卖。"),
               ("deregistration", "SCJ", "破产终结企业注销登记", "法院裁定终结破产程序，管理人申请办理注销。"),
               ("finance", "JRJ", "重整投资人融资支持", "重整投资人需银行贷款 1.5 亿元用于复产。")]
    business2 = meetings.create_meeting(office, tier="business", title="资产处置业务会议", planned_on=today + timedelta(days=7),
                                        units=[units["ZRJ"], units["BDC"], units["ZJJ"]])
    for index, (kind, code, title, text) in enumerate(waiting):
        matter = matters.raise_matter(office, matter_type=kind, title=title, description=text, unit=units[code],
                                      deadline=today + timedelta(days=10 + 5 * index))
        if kind == "title":
            meetings.add_to_agenda(office, business2, matter)
    escalated = matters.raise_matter(office, matter_type="disposal", title="破产企业土地收储与规划调整",
                                     description="工业用地拟调整为商住用地，需自然资源、住建、属地政府共同研究。",
                                     unit=units["ZRJ"], deadline=today + timedelta(days=20))
    matters.escalate_matter(office, escalated, "业务会议未能就规划调整达成一致", deadline=today + timedelta(days=30))
    meetings.create_meeting(office, tier="topic", title="资产处置专题会议（筹备）", planned_on=today + timedelta(days=5),
                            chair="王晓东", agenda="研究破产企业土地收储与规划调整事项。")


def _letters(units, office, today: date) -> None:
    def issue(code, days_ago, subject, body):
        return letters.issue(office, to_unit=units[code], subject=subject, body=body, confirm=True,
                             today=today - timedelta(days=days_ago))

    swj_user = db.session.scalar(select(User).where(User.username == "dept-swj"))
    on_time = issue("SWJ", 40, "关于申报税收债权的函", "请依法向管理人申报某纺织企业欠缴税款债权，并配合办理税务注销。")
    letters.reply(swj_user, on_time, "已于法定期限内向管理人申报税收债权 1,260 万元。", confirm=True, today=today - timedelta(days=30))
    letters.close(office, on_time, note="函复收悉。", confirm=True)
    zrj_user = db.session.scalar(select(User).where(User.username == "dept-zrj"))
    late = issue("ZRJ", 35, "关于协调破产企业土地证办理的函", "某化工企业破产财产中两宗土地未办理登记，请协调补办。")
    letters.reply(zrj_user, late, "已会同不动产登记中心容缺受理，预计两周内办结。", confirm=True,
                  today=today - timedelta(days=10))
    issue("RSJ", 20, "关于协调破产企业职工失业保险待遇的函",
          "某机械厂进入破产清算，请协调为 312 名职工办理失业登记和失业保险待遇。")
    urged = issue("GAJ", 25, "关于协助查找破产企业账簿印章的函", "某建材公司原法定代表人下落不明，账簿印章未移交管理人，请协助查找。")
    letters.urge(office, urged, "已逾期未函复，请于 3 日内函复。", today + timedelta(days=3))
    issue("SCJ", 3, "关于办理破产重整企业股权变更登记的函", "某纺织企业重整计划已执行，请支持办理股权变更登记。")


def _handovers(units, rng: random.Random, pool: list[Enterprise]) -> list[Matter]:
    """The financial-risk module's hand-overs; two stand-ins when that demo made none."""
    found = list(db.session.scalars(select(Matter).where(Matter.module == "bankruptcy", Matter.kind == HANDOVER)
                                    .order_by(Matter.id)))
    if found:
        return found
    made = []
    for enterprise, procedure in ((pool[50], "预重整"), (pool[51], "庭外重组")):
        made.append(ledger.create_matter(
            module="bankruptcy", kind=HANDOVER, ref=f"finrisk.rescue:demo-{enterprise.id}",
            title=f"担保圈企业{enterprise.name}转入司法程序", source="市地方金融监管局移交",
            description=(f"债务人：{enterprise.name}（统一社会信用代码 {enterprise.credit_code}）。所在担保圈经“一企一策”帮扶，"
                         f"短期债务无法展期，拟申请{procedure}。"), responsible_unit_id=units["ZYFY"].id))
    return made


def _cases(units, court, office, today: date, pool: list[Enterprise], handovers: list[Matter]) -> None:
    courts = {c.district or "市": c for c in directory.courts()}
    admins = directory.administrators()

    def register(enterprise, procedure, days_ago, **figures):
        court_row = courts["市"] if figures.pop("city", False) else courts.get(enterprise.district, courts["市"])
        return cases.register_case(court, enterprise=enterprise, court=court_row, procedure=procedure,
                                   applicant=figures.pop("applicant", "债权人"), applied_on=today - timedelta(days=days_ago),
                                   figures=figures)

    def accept(case, days_ago, number):
        if cases.plan_missing(case):
            cases.record_plan(court, case, {"stability": "属地政府牵头成立维稳工作专班，做好信访化解。",
                                            "employees": "人社局指导职工安置，优先清偿职工债权。",
                                            "opinion": "宣传部门做好舆情监测和正面引导。", "assets": "管理人接管后及时评估、分批处置。",
                                            "units": "属地政府、人社局、公安局、法院按职责分工"})
        cases.accept_case(court, case, case_number=number, accepted_on=today - timedelta(days=days_ago),
                          administrator=admins[case.id % len(admins)], confirm=True)

    high = register(pool[0], "reorganization", 6, employees=1380, wage_arrears=620 * WAN, debts=126000 * WAN,
                    assets=58000 * WAN, guarantees=42000 * WAN, opinion=2, creditors=214, city=True, applicant="某农商银行")
    cases.set_major(court, high, True, "职工逾千人，涉互保圈")
    register(pool[1], "liquidation", 4, employees=160, debts=8600 * WAN, assets=2100 * WAN, opinion=1, creditors=58)
    major = register(pool[2], "reorganization", 200, employees=860, wage_arrears=230 * WAN, debts=68000 * WAN,
                     assets=41000 * WAN, guarantees=15000 * WAN, opinion=2, creditors=312, city=True)
    accept(major, 180, f"（{today.year}）鲁03破1号")
    cases.advance(court, major, stage="claims", on=today - timedelta(days=150), note="债权申报截止，申报债权 312 笔。")
    cases.advance(court, major, stage="creditors_meeting", on=today - timedelta(days=60),
                  note="第一次债权人会议通过财产管理方案。")
    zf = units[f"ZF-{DISTRICT_CODES.get(pool[2].district, 'ZD')}"]
    cases.add_group_member(court, major, role="leader", name="孙立民", post="副市长", unit=units["ZFBGS"])
    cases.add_group_member(court, major, role="deputy", name="周正", post="市中级人民法院院长", unit=units["ZYFY"])
    cases.add_group_member(court, major, role="member", name="李建国", post="副区（县）长", unit=zf)
    matters.raise_matter(court, matter_type="investment", title=f"{pool[2].name}重整投资人招募",
                         description="重整需引入战略投资人，请纳入招商引资项目。", unit=units["TCJ"],
                         deadline=today + timedelta(days=25), case=major)
    for index, (procedure, stage, employees, debts) in enumerate((
            ("liquidation", "claims", 120, 5200), ("conciliation", "creditors_meeting", 90, 3100),
            ("reorganization", "plan", 420, 36000), ("liquidation", "concluded", 60, 1800))):
        case = register(pool[3 + index], procedure, 400 - 60 * index, employees=employees, debts=debts * WAN,
                        assets=debts * WAN * Decimal("0.4"), creditors=40 + 10 * index, opinion=index % 2)
        accept(case, 380 - 60 * index, f"（{today.year - 1}）鲁03{index + 2:02d}破{index + 3}号")
        if stage != "accepted":
            for step in ("claims", "creditors_meeting", "disposal" if procedure == "liquidation" else "plan", "concluded"):
                if list(cases.STAGES).index(step) > list(cases.STAGES).index(stage):
                    break
                cases.advance(court, case, stage=step, on=today - timedelta(days=300 - 60 * index - 20 *
                                                                             list(cases.STAGES).index(step)),
                              note={"claims": "债权申报与审查", "creditors_meeting": "召开债权人会议",
                                    "disposal": "网络拍卖处置财产", "plan": "法院裁定批准重整计划，进入执行期",
                                    "concluded": "破产财产分配完毕，裁定终结破产程序"}[step], confirm=True)
        if procedure == "reorganization":
            cases.set_major(court, case, True)
    fresh = register(pool[41], "liquidation", 30, employees=75, debts=2600 * WAN, assets=900 * WAN, creditors=33)
    accept(fresh, 12, f"（{today.year}）鲁0303破2号")
    declined = register(pool[7], "liquidation", 90, employees=20, debts=300 * WAN)
    cases.decline_case(court, declined, note="债务人与主要债权人达成和解，申请人撤回申请。", confirm=True)
    for matter in handovers[:1]:  # one opened here; the others wait for the court
        try:
            cases.open_case_from_handover(matter, court, figures={"employees": 540, "debts": 52000 * WAN,
                                                                  "guarantees": 23000 * WAN, "opinion": 1})
        except ServiceError:
            pass  # a hand-over of the other demo this one cannot read stays waiting


def _lists(units, office, today: date, pool: list[Enterprise]) -> None:
    current = core.parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    previous_day = current.start - timedelta(days=1)
    previous = core.parse_period(f"{previous_day.year}-Q{(previous_day.month - 1) // 3 + 1}")
    revoked = db.session.scalars(select(Enterprise).where(Enterprise.status == "吊销").order_by(Enterprise.credit_code)).all()
    plan = {
        ("revoked", "SCJ"): [(e, None, "营业执照已吊销，未办理注销") for e in revoked] + [(pool[40], None, "长期未年报，已吊销营业执照")],
        ("tax_arrears", "SWJ"): [(e, Decimal(30000 + 9137 * i), "欠缴增值税、城建税及附加") for i, e in enumerate(pool[10:22])],
        ("capacity", "GXJ"): [(e, None, "列入落后产能淘汰计划") for e in pool[22:25]],
        ("stopped", "GXJ"): [(e, Decimal(1200000 * (i + 1)), f"停产 {i + 3} 个月，厂房 {i + 1} 万平方米闲置")
                             for i, e in enumerate(pool[14:20] + pool[30:32])],
        ("distressed", "GXJ"): [(e, Decimal(8000000 * (i + 1)), "技术和市场尚有优势，资金链断裂") for i, e in enumerate(pool[17:19] + pool[32:35])],
        ("guarantee", "JRJ"): [(e, Decimal(15000000 * (i + 1)), "有意愿通过庭外重组化解") for i, e in enumerate(pool[18:21] + pool[33:38])],
    }
    header = "统一社会信用代码,企业名称,金额,情况说明\n"
    for (kind, code), rows in plan.items():
        body = header + "".join(f"{e.credit_code},{e.name},{'' if amount is None else amount},{text}\n" for e, amount, text in rows)
        report = lists.upload(office, kind=kind, period=current, unit=units[code], data=body.encode(), filename=f"{kind}.csv")
        if not report.applied:
            raise RuntimeError(f"demo list {kind}: {report.errors[:3]}")
    older = header + "".join(f"{e.credit_code},{e.name},{20000 + i},欠缴增值税\n" for i, e in enumerate(pool[8:16]))
    lists.upload(office, kind="tax_arrears", period=previous, unit=units["SWJ"], data=older.encode(), filename="old.csv")


def _typical(court) -> None:
    published = [
        ("一家纺织企业破产重整案：府院联动保障 400 余名职工权益", "reorganization",
         "该企业为区域龙头纺织企业，因担保链风险资金链断裂，拖欠职工工资 7 个月，涉及职工 426 人。",
         "法院受理前即启动受理预警评估，属地政府成立维稳专班先行垫付职工工资；联席会议协调市级周转资金；"
         "人社部门办理失业保险待遇；税务部门支持重整后纳税信用修复。重整计划执行后企业恢复生产，职工全部留用。",
         "预警评估在前、处置方案先行，通过业务会议—专题会议—联席会议逐级协调，化解了职工安置这一最大风险。"),
        ("一家化工企业破产清算案：不动产登记容缺受理助力资产处置", "liquidation",
         "该企业停产多年，两宗土地和部分厂房未办理不动产登记，资产难以处置。",
         "自然资源、住建部门和不动产登记中心对瑕疵资产容缺受理，管理人分批网络拍卖，资产处置溢价 18%。",
         "函告函复机制压实了成员单位责任，产权瑕疵问题在函复期限内得到解决。"),
    ]
    for title, procedure, summary, practice, significance in published:
        item = reports.save_typical(court, {"title": title, "procedure": procedure, "summary": summary, "practice": practice,
                                            "significance": significance})
        reports.publish_typical(court, item, confirm=True)
    reports.save_typical(court, {"title": "一家建材企业预重整案（草稿）", "procedure": "pre_reorganization",
                                 "summary": "预重整期间引入投资人。", "practice": "府院联动协调金融机构债权人。"})


@demo_step(order=110)
def load_bankruptcy_demo(password_hash: str) -> None:
    today = local_today()
    rng = random.Random(SEED)
    units, office, court = _setup(password_hash)
    _history(today)
    pool = _enterprises(rng)
    _chain(units, office, today)
    _letters(units, office, today)
    _cases(units, court, office, today, pool, _handovers(units, rng, pool))
    _lists(units, office, today, pool)
    _typical(court)
    previous_day = core.period_of(today, 3)[0] - timedelta(days=1)
    reports.issue_circular(office, f"{previous_day.year}-Q{(previous_day.month - 1) // 3 + 1}", confirm=True)
