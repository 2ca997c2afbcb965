"""Demo data of Module 5, second half, loaded through the services users use: 容错纠错 cases in every
stage (one overdue, one whose 澄清正名 is published, one applied online by head001), the 政法委's
review and political-inspection ledgers with a circular, the green-channel catalogue (one item's
rules overdue, a change waiting for the leading group), 服务专员, problem reports in several states and
an issued evaluation, and honours: last year's published list (head001's enterprise on it), this
year's list waiting for the leader with two excluded candidates (失信, C grade), recommendations,
a meeting invitation, and the 失信 list imported through the import framework."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from govsvc.auth.models import User
from govsvc.care import green, honours, tolerance, zfw
from govsvc.care.dishonest import DishonestImport
from govsvc.demo import demo_step
from govsvc.exports import csv_bytes
from govsvc.extensions import db
from govsvc.grading.service import published_grades
from govsvc.imports import run_import
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow as W
from govsvc.registry.models import Enterprise, Person, Unit
from govsvc.registry.service import latest_tax_year, top_taxpayers
from govsvc.timeutil import local_today
from scoring import care as rules


def _users(*names) -> dict[str, User]:
    found = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))}
    missing = set(names) - set(found)
    if missing:
        raise RuntimeError(f"demo accounts missing: {sorted(missing)}")
    return found


@demo_step(order=120)  # after the grading (order 10) and the other modules' steps (100)
def care_support_demo(password_hash: str) -> None:
    today = local_today()
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    users = _users("discipline", "leader", "organization", "court", "head001", "head002", "dept-zfw", "dept-gaj",
                   "dept-zyfy", "dept-rcb", "dept-gxj", "dept-fgw", "dept-zjj", "dept-rdbgs", "dept-zxbgs",
                   "dept-wlj", "dept-wjw")
    year = (latest_tax_year() or today.year - 1) + 1
    ids = [row.id for _, row in top_taxpayers(year, 200)]   # rows, not ORM objects: load those in order
    loaded = {e.id: e for e in db.session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)))}
    top = [loaded[i] for i in ids]
    _honours(today, units, users, top)
    _green(today, units, users, top)
    _tolerance(today, units, users, top)
    _zfw(today, units, users, top)


# -- honours -------------------------------------------------------------------------------------------
def _honours(today: date, units, users, top) -> None:
    grades = published_grades()
    c_graded = next((e for e in top[11:] if grades.get(e.id) == "C"), None) or next(
        (db.session.get(Enterprise, i) for i, g in sorted(grades.items()) if g == "C"), None)
    dishonest = next(e for e in top[11:] if grades.get(e.id) in ("A", None))  # excluded for the 失信 entry alone
    rows = [[dishonest.credit_code, f"（{today.year - 1}）鲁03执{317 + i}号", "淄博市中级人民法院",
             (today - timedelta(days=200 - 90 * i)).isoformat(), "", "给付货款"] for i in range(1)]
    cleared = top[30]
    rows.append([cleared.credit_code, f"（{today.year - 2}）鲁0303执1021号", "淄博市张店区人民法院",
                 (today - timedelta(days=700)).isoformat(), (today - timedelta(days=400)).isoformat(), "支付工程款"])
    data = csv_bytes([c.name for c in DishonestImport.columns], rows)
    report = run_import(DishonestImport(), data, "失信被执行人名单.csv")
    if not report.applied:
        raise RuntimeError(f"demo 失信 list: {report.errors[:3]}")

    proposers = [users["dept-fgw"], users["dept-gxj"], users["dept-zjj"]]
    # Last year's list, published in December: the green channel's entitled entrepreneurs.
    last = honours.open_round(users["dept-gxj"], today.year - 1)
    decided = date(today.year - 1, 12, 20)
    for index, enterprise in enumerate(top[:8]):
        honours.propose(proposers[index % 3], last, enterprise, name=enterprise.head_name, post="董事长",
                        deeds=f"带领企业加快转型升级，{today.year - 2}年缴纳地方留成税收位居全市前列，带动就业。", on=decided)
    honours.submit(users["dept-gxj"], last, on=decided)
    honours.approve(users["leader"], last, approve_list=True, on=decided)

    # This year's list, submitted and waiting for the leader: two candidates fail the check.
    current = honours.open_round(users["dept-gxj"], today.year)
    picks = [top[0], top[8], top[9], top[10], dishonest] + ([c_graded] if c_graded else []) + [cleared]
    for index, enterprise in enumerate(dict.fromkeys(picks)):
        honours.propose(proposers[index % 3], current, enterprise, name=enterprise.head_name,
                        post="总经理" if index % 2 else "董事长",
                        deeds="坚持创新驱动，新上技术改造项目，获评省级专精特新企业。")
    honours.submit(users["dept-fgw"], current)

    listed = [c for c in last.candidates if c.status == "listed"]
    aspects = {"political": "拥护党的路线方针政策，政治合格。", "law": "守法经营，无违法失信记录。",
               "tax": "近三年纳税持续增长。", "business": "主营业务突出，经营稳健。", "social": "积极参与公益事业，稳定就业。"}
    honours.recommend(users["dept-gxj"], listed[1], units["RDBGS"], "npc", aspects, "qualified",
                      "推荐为市人大代表候选人人选。", on=today - timedelta(days=20))
    rec = honours.recommend(users["organization"], listed[2], units["ZXBGS"], "cppcc", aspects, "qualified", "",
                            on=today - timedelta(days=30))
    honours.respond(users["dept-zxbgs"], rec, adopted=True, note="列入政协委员候选人人选考察范围。")
    meeting = honours.create_meeting(users["dept-rdbgs"], kind="npc_standing",
                                     title="市人大常委会会议（邀请企业家代表列席）",
                                     meeting_on=today + timedelta(days=10), place="市人大常委会第一会议室",
                                     seat_note="安排企业家坐在会场的中间位置")
    honours.invite(users["dept-rdbgs"], meeting, listed[:4])
    second = next(i for i in meeting.invitees if i.enterprise_id == listed[1].enterprise_id)
    head2 = users["head002"] if users["head002"].enterprise_id == second.enterprise_id else None
    if head2 is not None:
        honours.respond_invitation(head2, second, accept=True, note="")


# -- green channel -------------------------------------------------------------------------------------
CATALOGUE = [
    ("transport", "JTJ", "机场、高铁站贵宾通道服务", "优秀企业家凭服务卡享受淄博站、机场大巴贵宾候车和优先安检服务。", "淄博站贵宾服务中心", "online"),
    ("tourism", "WLJ", "全市A级旅游景区免费游览", "优秀企业家本人及配偶凭服务卡免费游览全市国有A级旅游景区。", "全市国有A级旅游景区售票处", "onsite"),
    ("fitness", "TYJ", "公共体育场馆免费健身", "优秀企业家凭服务卡免费使用市体育中心健身场馆。", "市体育中心", "onsite"),
    ("medical", "WJW", "定点医院就医绿色通道和年度健康体检", "在市级定点医院享受预约诊疗、专家会诊绿色通道，每年一次免费健康体检。", "市中心医院、市第一医院", "onsite"),
    ("recuperation", "RSJ", "年度休假疗养", "每年组织优秀企业家分期分批休假疗养。", "市人力资源和社会保障局专家服务科", "online"),
    ("schooling", "JYJ", "子女入学（园）服务", "优秀企业家子女入学（园）由教育部门协调安排。", "市教育局基础教育科", "online"),
    ("research", "KJJ", "科研项目申报和实验室资源共享", "科研项目申报一对一辅导，开放市级重点实验室和大型科研仪器。", "市科技局", "online"),
    ("approval", "XSJ", "行政审批“专人代办”", "企业投资项目审批由专人全程代办，优先办理。", "市政务服务中心企业服务专区", "online"),
]


def _green(today: date, units, users, top) -> None:
    office, leader = users["dept-rcb"], users["leader"]
    services = []
    for index, (category, code, name, content, venue, mode) in enumerate(CATALOGUE):
        change = green.propose_change(office if index % 2 == 0 else users["dept-gxj"], "add", service=None,
                                      data=green.ServiceInput(category, name, content, units[code], venue, mode,
                                                              f"{name}：{content}服务对象为全市优秀企业家。"),
                                      reason="根据企业家需求纳入服务目录。")
        approved = today - timedelta(days=120 - 5 * index) if index < 7 else today - timedelta(days=12)
        services.append(green.decide_change(leader, change, approve=True, note="同意。", on=approved))
    # Rules: most published and filed; the research item late and still missing; the approval item
    # (approved 12 days ago) not yet due.
    for service in services[:6]:
        staff = _unit_user(service.unit)
        green.publish_rules(staff, service, f"一、服务对象：全市优秀企业家。\n二、办理流程：凭服务卡到{service.venue}办理。\n"
                                            f"三、联系人：服务专员。", on=service.approved_on + timedelta(days=20))
        green.file_rules(office, service, on=service.approved_on + timedelta(days=22))
    green.propose_change(users["dept-gxj"], "add", service=None, data=green.ServiceInput(
        "other", "金融服务绿色通道", "合作银行为优秀企业家企业提供融资快速审批通道。", units["JRJ"], "各合作银行营业网点", "online",
        "合作银行网点名单和联系方式在市地方金融监管局网站公示。"), reason="企业家座谈会上提出融资服务需求。")

    for code, name, post, phone in (("RCB", "孙晓", "人才服务科科长", "0533-3180101"),
                                    ("GXJ", "李明", "企业管理科副科长", "0533-3193365"),
                                    ("JTJ", "王强", "综合科科员", "0533-2310022"), ("WLJ", "赵丽", "市场管理科科长", "0533-2150633"),
                                    ("TYJ", "陈刚", "群体科科长", "0533-2179011"), ("RSJ", "刘芳", "专家服务科科长", "0533-3111021"),
                                    ("JYJ", "周敏", "基础教育科副科长", "0533-2286502"), ("XSJ", "吴磊", "企业服务专区负责人", "0533-3119988")):
        green.add_specialist(users["dept-rcb"], units[code], name=name, post=post, phone=phone)

    head = users["head001"]
    by_code = {s.unit.code: s for s in services}
    first = green.file_feedback(head, by_code["WJW"], description="预约专家门诊未按绿色通道安排，排队两个多小时。",
                                occurred_on=today - timedelta(days=3))
    assert first.matter.status == W.RECEIVED
    second = green.file_feedback(head, by_code["WLJ"], description="景区售票处不认可服务卡，仍要求购票。",
                                 occurred_on=today - timedelta(days=9))
    green.handle_feedback(office, second, W.ASSIGNED, note="请核实景区执行情况。", unit=units["WLJ"],
                          deadline=today + timedelta(days=3))
    green.handle_feedback(users["dept-wlj"], second, W.IN_PROGRESS, note="")
    third = green.file_feedback(head, by_code["TYJ"], description="体育中心游泳馆不在免费范围，与公示不一致。",
                                occurred_on=today - timedelta(days=40))
    green.handle_feedback(office, third, W.ASSIGNED, note="请说明公示口径。", unit=units["TYJ"])
    green.handle_feedback(_unit_user(units["TYJ"]), third, W.IN_PROGRESS, note="")
    green.handle_feedback(_unit_user(units["TYJ"]), third, W.CONCLUDED, note="已更正公示，游泳馆纳入免费范围。")
    green.handle_feedback(office, third, W.FEEDBACK_GIVEN, note="体育中心已更正公示，游泳馆即日起纳入免费范围，感谢您的反映。")
    green.handle_feedback(office, third, W.CLOSED, note="销号。")
    green.rate_feedback(head, third, "basic")
    start = date(today.year, 1, 1)
    title = f"{today.year}年绿色通道服务评估（1月1日至{today.month}月{today.day}日）"
    evaluation = green.compute_evaluation(users["organization"], title=title, start=start, end=today, on=today)
    green.issue_evaluation(users["organization"], evaluation, "评估为一般、较差的单位限期整改。", on=today)


def _unit_user(unit: Unit) -> User:
    return db.session.scalar(select(User).where(User.username == f"dept-{unit.code.lower()}"))


# -- 容错纠错 --------------------------------------------------------------------------------------------
def _tolerance(today: date, units, users, top) -> None:
    staff = users["discipline"]
    persons = {p.unit.code: p for p in db.session.scalars(select(Person).order_by(Person.id))}
    official = persons.get("YJJ") or next(iter(persons.values()))
    market = persons.get("SCJ") or official

    def entrepreneur(enterprise, days_ago, facts, grounds, unit="GXJ", kind=rules.TOLERANCE, channel="self"):
        return tolerance.register_case(staff, tolerance.CaseInput(
            kind=kind, subject_type="entrepreneur", subject_name=enterprise.head_name, subject_post="董事长",
            person=None, enterprise=enterprise, unit=units[unit], channel=channel,
            applied_on=today - timedelta(days=days_ago), facts=facts, grounds=grounds))

    # Waiting for acceptance: head001's own online application.
    tolerance.apply_online(users["head001"], subject_name=top[0].head_name, subject_post="董事长", unit=units["GXJ"],
                           facts="企业为抢抓订单先行开工技改项目，环评手续后补，被责令整改。",
                           grounds="为企业发展、未谋取私利；已主动补办手续，未造成环境损害。")
    # Investigating, overdue: an official of the emergency management bureau (covered by discipline-yjj).
    case = tolerance.register_case(staff, tolerance.CaseInput(
        kind=rules.TOLERANCE, subject_type="official", subject_name="", subject_post="", person=official,
        enterprise=top[3], unit=None, channel="unit", applied_on=today - timedelta(days=45),
        facts="在企业复工复产安全检查中先行允许企业试生产，事后发现个别设备未验收。",
        grounds="为帮助企业尽快复产、程序上有瑕疵但未造成事故。"))
    tolerance.accept(staff, case, accepted=True, note="予以受理。", on=today - timedelta(days=40))
    # Deliberating.
    case = entrepreneur(top[5], 30, "企业在政策调整期间按原政策申报项目补贴，被要求退回部分资金。",
                        "政策调整未及时知悉，已主动退回资金。")
    tolerance.accept(staff, case, accepted=True, note="", on=today - timedelta(days=28))
    tolerance.report_investigation(staff, case, report="经调查，申报时新政策尚未公布，企业已主动退回全部资金。",
                                   on=today - timedelta(days=6))
    factors_for = {k: rules.FOR for k in rules.FACTORS}
    # Tolerated with rectification (rectifying).
    case = entrepreneur(top[6], 70, "国有控股企业负责人为拓展市场先行签订合作协议，未按程序报批。",
                        "出于公心推动企业发展，未造成损失。")
    tolerance.accept(staff, case, accepted=True, note="", on=today - timedelta(days=66))
    tolerance.report_investigation(staff, case, report="事实清楚，未发现利益输送，协议已补办报批手续。",
                                   on=today - timedelta(days=40))
    tolerance.decide(staff, case, tolerance.DecisionInput(
        decision="tolerated", factors=factors_for, participants="市纪委监委、市国资委、市工业和信息化局",
        deliberation="动机出于公心，未谋私利，已挽回影响。", decision_number=f"淄纪容〔{today.year}〕3号",
        decision_text="予以容错，免予问责；责令完善内部决策程序。", rectify_by=today + timedelta(days=20),
        decided_on=today - timedelta(days=30)))
    # A false accusation cleared and published (closed).
    case = entrepreneur(top[7], 80, "有人举报企业负责人行贿取得工程项目。", "举报不实，请求澄清。",
                        unit="ZJJ", kind=rules.CLARIFICATION, channel="discipline")
    tolerance.accept(staff, case, accepted=True, note="", on=today - timedelta(days=78))
    tolerance.report_investigation(staff, case, report="经核查，工程项目经公开招标取得，举报人捏造事实，属诬告陷害。",
                                   on=today - timedelta(days=50))
    tolerance.decide(staff, case, tolerance.DecisionInput(
        decision="false_accusation", factors=factors_for, participants="市纪委监委第三监督检查室",
        deliberation="", decision_number="", decision_text="经查，反映问题不实，属诬告陷害，予以澄清正名。",
        rectify_by=None, decided_on=today - timedelta(days=45)))
    tolerance.protect(staff, case, note="向企业和主管部门说明情况，不影响企业及负责人评先评优。",
                      clarification=tolerance.ClarificationInput(
                          title=f"关于为{top[7].head_name}同志澄清正名的通报",
                          body=f"近期，有人反映{top[7].name}负责人{top[7].head_name}同志在承揽工程项目中存在行贿问题。"
                               "经市纪委监委调查核实，该项目经公开招标依法取得，反映问题不实，属诬告陷害。现予以澄清正名。",
                          method="both", meeting_on=today - timedelta(days=40)),
                      on=today - timedelta(days=38))
    # Not tolerated (closed): the motive spoke against it.
    case = tolerance.register_case(staff, tolerance.CaseInput(
        kind=rules.TOLERANCE, subject_type="official", subject_name="", subject_post="", person=market,
        enterprise=None, unit=None, channel="self", applied_on=today - timedelta(days=60),
        facts="在企业登记中违规为亲属企业加快办理。", grounds="为提高效率。"))
    tolerance.accept(staff, case, accepted=True, note="", on=today - timedelta(days=58))
    tolerance.report_investigation(staff, case, report="查实为亲属企业谋取便利。", on=today - timedelta(days=35))
    tolerance.decide(staff, case, tolerance.DecisionInput(
        decision="not_tolerated", factors={**factors_for, "motive": rules.AGAINST}, participants="市纪委监委",
        deliberation="为亲属谋利，不符合容错情形。", decision_number="", decision_text="不予容错，移交依纪依法处理。",
        rectify_by=None, decided_on=today - timedelta(days=25)))


# -- 政法委 ledgers ------------------------------------------------------------------------------------
def _zfw(today: date, units, users, top) -> None:
    staff = users["dept-zfw"]
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    before = quarter_start - timedelta(days=40)
    problems = [
        ("GAJ", "tolerance", "对涉企轻微经济纠纷仍以刑事立案方式介入，未严格区分经济纠纷与经济犯罪。", before, None),
        ("ZYFY", "service", "对困难企业执行案件未充分适用分期履行、执行和解，失信名单解除不及时。", before, before + timedelta(days=25)),
        ("JCY", "safety", "涉企羁押必要性审查专项活动开展不平衡。", today - timedelta(days=10), None),
    ]
    for code, category, text, found, rectify_by in problems:
        problem = zfw.create_problem(staff, zfw.ProblemInput(batch=f"{today.year}年第一轮政治督察", found_on=found,
                                                             unit=units[code], category=category, description=text,
                                                             rectify_by=rectify_by))
        if code == "ZYFY":
            organ = users["dept-zyfy"]
            ledger.move(problem.matter, W.IN_PROGRESS, user=organ)
            ledger.move(problem.matter, W.CONCLUDED, user=organ, note="已制定涉企执行案件分期履行指引，完成失信名单清理。")
    zfw.create_review(staff, zfw.ReviewInput(
        case_number=f"（{today.year}）鲁0303刑初118号", case_type="criminal", unit=units["GAJ"], enterprise=top[15],
        summary="企业因原材料价格剧烈波动未能按期交货，被合作方以合同诈骗报案。", reviewed_on=today - timedelta(days=12),
        minor=True, major_loss=False, causes=["market"], finding="lenient",
        opinion="属市场变化导致的合同纠纷，建议依法撤销案件，引导双方民事途径解决。", deadline=None))
    zfw.create_review(staff, zfw.ReviewInput(
        case_number=f"（{today.year}）鲁03执恢45号", case_type="enforcement", unit=units["ZYFY"], enterprise=top[16],
        summary="对被执行企业厂房、设备查封。", reviewed_on=today - timedelta(days=8), minor=False, major_loss=False,
        causes=[], finding="no_issue", opinion="", deadline=None))
    previous_quarter_year, previous_quarter = (today.year, (today.month - 1) // 3) if today.month > 3 \
        else (today.year - 1, 4)
    zfw.issue_circular(staff, previous_quarter_year, previous_quarter, "请各政法机关对照问题清单限期整改。")
