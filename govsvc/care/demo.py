"""Demo data of leader liaison and 站台 invitations (imported only by govsvc.demo), loaded through the
module's services and the 分工名单 import with the dates they would have had in the list year
(the year after the latest tax year: 2026 with the seed).

- 20 city leaders (`leader-01` … `leader-20`, a profile each; the generic `leader` account stays
  without one), the named contacts of the six leaders' offices.
- The 2026 served list (tax top-200 of 2025 + 30 new-format), confirmed on 10-14, every listed
  enterprise assigned by the office's 分工名单 import (head001's enterprise, the first on the list,
  to leader-01), published on 10-19; direct contact (见面建联) mostly by 10-31, some late, a few
  missing; some 蹲点调研 and visits.
- Three county leaders per county, covering the above-scale enterprises that the city list does not
  serve, except three in 周村区 (the coverage report's gaps); county plans: six filed (one late),
  沂源县's waiting for the office, 高青县's not filed.
- Appeals at every stage: new, overdue and urged (督办), at the office, escalated twice to 市政府,
  answered, confirmed; invitations at every stage, one direct (an enterprise inviting its own
  liaison leader), with printed 邀请单 numbers.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update

from govsvc.auth import roles as R
from govsvc.auth.models import User
from govsvc.auth.service import create_user
from govsvc.care import appeals, county_plans, invitations, liaison
from govsvc.care.liaison_imports import import_assignments
from govsvc.care.liaison_leaders import save_city_leader, save_county_leader, save_office_contact
from govsvc.care.models import (Appeal, Invitation, InvitationEvent, LiaisonAssignment, LiaisonContact, LiaisonList,
                                ServedEnterprise)
from govsvc.demo import demo_step
from govsvc.extensions import db
from govsvc.ledger.models import Matter, MatterEvent
from govsvc.registry.models import Enterprise, Unit
from govsvc.registry.service import latest_tax_year
from govsvc.timeutil import LOCAL_TZ, local_today
from scoring import liaison as core

# (post, office, field, duties) of the city leaders, in the order of their accounts.
CITY_LEADERS = (
    ("市委书记", "SWBGS", "全面工作、重大项目", "主持市委全面工作。"),
    ("市长", "ZFBGS", "政府全面工作、新旧动能转换", "主持市政府全面工作。"),
    ("市人大常委会主任", "RDBGS", "法治环境、营商环境立法", "主持市人大常委会工作。"),
    ("市政协主席", "ZXBGS", "民营经济、政协委员企业家", "主持市政协工作。"),
    ("市委副书记", "SWBGS", "乡村振兴、统筹协调", "协助书记处理市委日常工作。"),
    ("市委常委、常务副市长", "ZFBGS", "财政、金融、发展改革", "负责发展改革、财政、税务、金融工作。"),
    ("市委常委、组织部部长", "SWBGS", "人才工作、招才引智", "负责组织、人才工作。"),
    ("市委常委、宣传部部长", "SWBGS", "文化旅游、品牌宣传", "负责宣传、文化旅游工作。"),
    ("市委常委、政法委书记", "SWBGS", "政法、法治营商环境", "负责政法工作。"),
    ("副市长", "ZFBGS", "工业和信息化、新材料", "负责工业和信息化、国资工作。"),
    ("副市长", "ZFBGS", "城乡建设、住房、交通", "负责住房城乡建设、自然资源、交通运输工作。"),
    ("副市长", "ZFBGS", "科技创新、商务、对外开放", "负责科技、商务、招商引资工作。"),
    ("副市长", "ZFBGS", "农业农村、水利", "负责农业农村、水利工作。"),
    ("市人大常委会副主任", "RDBGS", "财经、预算监督", "负责财政经济工作联系。"),
    ("市人大常委会副主任", "RDBGS", "城建环保", "负责城乡建设环境保护工作联系。"),
    ("市政协副主席", "ZXBGS", "经济、工商联", "联系经济委员会、工商联。"),
    ("市政协副主席", "ZXBGS", "科技、医药健康", "联系科技医药界。"),
    ("市中级人民法院院长", "ZYFY", "商事审判、破产审判", "主持市中级人民法院工作。"),
    ("市人民检察院检察长", "JCY", "涉企案件法律监督", "主持市人民检察院工作。"),
    ("市委常委、统战部部长", "SWBGS", "民营经济、新业态新模式", "负责统一战线、非公有制经济工作。"),
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "志刚", "海燕", "立新", "明华", "德胜", "文静", "国庆", "晓东", "红梅", "振华", "秀英", "卫东", "丽娟",
         "永强", "春生", "淑芬", "伟民", "建华", "玉兰")
# Which leaders serve which industries (account numbers, 1-based), round robin within a pool.
POOLS = {"工业": (10, 6, 2, 5, 12, 14, 16, 18, 1), "服务业": (12, 8, 3, 4, 7, 15, 17, 19),
         "房地产开发": (11, 20, 9), "建筑业": (11, 20, 9), "其他": (13, 20)}
NOTES = {"工业": "分管工业", "服务业": "熟悉服务业", "房地产开发": "分管城乡建设", "建筑业": "分管城乡建设", "其他": "统筹联系"}
OFFICE_CONTACTS = {"SWBGS": ("孙明", "3182011"), "RDBGS": ("钱丽", "3182032"), "ZFBGS": ("赵刚", "3182105"),
                   "ZXBGS": ("周敏", "3182210"), "ZYFY": ("吴强", "3182301"), "JCY": ("郑洁", "3182402")}
COUNTY_POSTS = (("区委书记", "全面工作"), ("区长", "政府全面工作"), ("常务副区长", "工业经济"))
LATE_PLAN, PENDING_PLAN, NO_PLAN, GAP_DISTRICT = "ZF-BS", "ZF-YY", "ZF-GQ", "周村区"


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ)


class Demo:
    def __init__(self, password_hash: str):
        self.password_hash = password_hash
        self.rng = random.Random(20261204)
        self.year = (latest_tax_year() or local_today().year - 1) + 1
        self.today = local_today()
        self.units = {u.code: u for u in db.session.scalars(select(Unit))}
        self.office = self.account("dept-gxj")

    def account(self, username: str) -> User:
        return db.session.scalar(select(User).where(User.username == username))

    def day(self, month: int, day_: int) -> date:
        return date(self.year, month, day_)

    # -- leaders and offices ------------------------------------------------------------------
    def leaders(self) -> None:
        self.city = []
        for n, (post, office, field, duties) in enumerate(CITY_LEADERS, 1):
            name = SURNAMES[n - 1] + GIVEN[(n * 7) % len(GIVEN)]
            create_user(f"leader-{n:02d}", "", (R.LEADER,), display_name=f"{name}（{post}）",
                        password_hash=self.password_hash)
            self.city.append(save_city_leader(self.office, None, {
                "username": f"leader-{n:02d}", "name": name, "post": post, "office_code": office, "field": field,
                "duties": duties, "sort_order": n, "active": True}))
        for code, (name, phone) in OFFICE_CONTACTS.items():
            save_office_contact(self.office, self.units[code], name=name, phone=phone, note="工作日 8:30–17:30")

    # -- the list and its division ----------------------------------------------------------------
    def served_list(self) -> LiaisonList:
        lst = liaison.compose_list(self.office, self.year)
        liaison.confirm_list(self.office, lst)
        lst.confirmed_at = at(self.day(10, 14))
        rows = db.session.execute(select(ServedEnterprise, Enterprise).join(Enterprise, Enterprise.id == ServedEnterprise.enterprise_id)
                                  .where(ServedEnterprise.list_id == lst.id, ServedEnterprise.source != core.MEMBER)
                                  .order_by(ServedEnterprise.source.desc(), ServedEnterprise.rank)).all()
        turns = dict.fromkeys(POOLS, 0)
        lines = ["统一社会信用代码,联系领导,备注"]
        for entry, enterprise in rows:
            if entry.source == core.TAX and entry.rank == 1:
                number, note = 1, "纳税第一名，由市委书记联系"
            else:
                pool = POOLS.get(enterprise.industry, POOLS["其他"])
                number = pool[turns[enterprise.industry] % len(pool)]
                turns[enterprise.industry] = turns.get(enterprise.industry, 0) + 1
                note = "新业态，统战部联系" if entry.source == core.NEW_FORMAT and number == 20 else NOTES.get(enterprise.industry, "")
            lines.append(f"{enterprise.credit_code},leader-{number:02d},{note}")
        report = import_assignments(self.office, lst, "\n".join(lines).encode(), "分工名单.csv")
        if not report.applied:
            raise RuntimeError(f"demo 分工名单 import failed: {report.errors[:3]}")
        liaison.publish_assignments(self.office, lst)
        lst.published_at = at(self.day(10, 19))
        self.assignments = [(a.enterprise_id, a.leader_id) for a in db.session.scalars(
            select(LiaisonAssignment).where(LiaisonAssignment.year == self.year, LiaisonAssignment.level == core.CITY)
            .order_by(LiaisonAssignment.id))]
        return lst

    def contacts(self) -> None:
        """First meetings (bulk: one per assignment), mostly by 10-31, some late, a few missing."""
        rows = []
        for i, (enterprise_id, leader_id) in enumerate(self.assignments):
            if i % 29 == 7:
                continue  # not met yet: overdue on the list page
            day = self.day(11, 3 + i % 6) if i % 17 == 5 else self.day(10, 20 + i % 12)
            rows.append({"enterprise_id": enterprise_id, "leader_id": leader_id, "kind": "meet", "contact_on": day,
                         "summary": "与企业主要负责人见面，交换联系方式，建立微信联系群。", "problems": "",
                         "recorded_by_id": self.office.id, "created_at": at(day, 17)})
            if i % 9 == 0:
                later = self.day(11, 10 + i % 15)
                rows.append({"enterprise_id": enterprise_id, "leader_id": leader_id,
                             "kind": "research" if i % 2 else "visit", "contact_on": later,
                             "summary": "到企业蹲点调研，听取企业生产经营情况和意见建议。",
                             "problems": "企业反映扩产项目用地指标尚未落实。" if i % 4 == 0 else "",
                             "recorded_by_id": self.office.id, "created_at": at(later, 18)})
        db.session.execute(LiaisonContact.__table__.insert(), rows)

    # -- counties ---------------------------------------------------------------------------------
    def counties(self) -> None:
        covered = set(db.session.scalars(select(ServedEnterprise.enterprise_id).join(LiaisonList)
                                         .where(LiaisonList.year == self.year)))
        for n, unit in enumerate(county_plans.county_units()):
            staff = self.account(f"dept-{unit.code.lower()}")
            leaders = [save_county_leader(staff, None, {
                "name": SURNAMES[(n * 3 + k + 5) % len(SURNAMES)] + GIVEN[(n * 5 + k * 3) % len(GIVEN)], "post": post,
                "field": field, "duties": f"联系本区县规模以上企业（{field}）。", "sort_order": k + 1, "active": True})
                for k, (post, field) in enumerate(COUNTY_POSTS)]
            todo = list(db.session.scalars(select(Enterprise).where(
                Enterprise.district == unit.district, Enterprise.above_scale.is_(True), Enterprise.status == "存续",
                Enterprise.id.not_in(covered)).order_by(Enterprise.credit_code)))
            if unit.district == GAP_DISTRICT:
                todo = todo[:-3]
            for k, enterprise in enumerate(todo):
                liaison.assign_county(staff, self.year, enterprise, leaders[k % len(leaders)], "属地联系")
            self.plan(unit, staff, n)

    def plan(self, unit: Unit, staff: User, n: int) -> None:
        if unit.code == NO_PLAN:
            return
        plan = county_plans.save_plan(
            staff, None, year=self.year, title=f"{unit.district}县级领导联系服务企业工作方案",
            content=(f"一、工作机制：参照市级做法，建立县级领导联系服务规模以上企业制度，做到“有求必应、无事不扰”。\n"
                     f"二、联系分工：区委、区政府领导班子成员分工联系本区县规模以上企业，与市级领导联系企业不重复。\n"
                     f"三、责任落实：区工信局设联络员办公室，统筹协调企业反映的重大问题。"),
            hotline=f"0533-{3100000 + n * 1111}", hotline_person=f"{unit.district}工信局企业科")
        county_plans.submit_plan(staff, plan)
        first = self.day(10, 23) if unit.code == LATE_PLAN else self.day(10, 12 + n)
        plan.first_submitted_at = plan.submitted_at = at(first)
        if unit.code != PENDING_PLAN:
            county_plans.review_plan(self.office, plan, accept=True)
            plan.reviewed_at = at(first + timedelta(days=2))

    # -- appeals ----------------------------------------------------------------------------------------
    def leader_user(self, leader_id: int) -> User:
        return next(p.user for p in self.city if p.id == leader_id)

    def backdate(self, appeal: Appeal, days: int) -> None:
        """Make an appeal (and its first matter) as if filed `days` ago, with that level's deadline."""
        when = at(self.today - timedelta(days=days), 9)
        first = db.session.get(Matter, appeal.first_matter_id)
        appeal.created_at = first.created_at = when
        first.deadline = core.appeal_deadline(core.LEADER_LEVEL, when.date())
        db.session.execute(update(MatterEvent).where(MatterEvent.matter_id == first.id).values(at=when))

    def appeals(self) -> None:
        heads = {u.enterprise_id: u for u in db.session.scalars(select(User).where(User.username.like("head%")))}
        pairs = [(e, l) for e, l in self.assignments if e in heads][1:]  # head001's enterprise is left for the tour
        cases = (
            ("land", "扩产项目用地指标尚未落实", "企业新上年产5万吨新材料项目，已完成备案，用地指标尚未落实，影响开工。", 3, "new"),
            ("finance", "流动资金贷款续贷困难", "企业一笔3000万元流动资金贷款下月到期，银行提出压降额度，请求协调续贷。", 20, "overdue"),
            ("approval", "环评审批时间较长", "技改项目环评报告已报送两个月，尚未批复。", 12, "office"),
            ("energy", "新增用电负荷报装", "新厂区需新增用电负荷1万千伏安，供电线路改造涉及多个部门。", 25, "city"),
            ("labour", "技术工人招聘难", "企业急需数控技工50名，希望协调职业院校定向培养。", 18, "confirmed"),
            ("policy", "技改奖补资金兑现", "企业去年技改项目奖补资金尚未兑现。", 9, "answered"),
        )
        for (category, title, description, days, stage), (enterprise_id, leader_id) in zip(cases, pairs):
            head = heads[enterprise_id]
            leader_user = self.leader_user(leader_id)
            appeal = appeals.file_appeal(head, enterprise=head.enterprise, category=category, title=title,
                                         description=description)
            self.backdate(appeal, days)
            if stage == "overdue":
                appeals.act(leader_user, appeal, appeals.ACCEPT, note="已安排市发展改革委对接。")
                appeals.supervise(self.office, appeal, note="该诉求已超过办理期限，请加快协调并反馈进展。", deadline=None)
            elif stage in ("office", "city"):
                appeals.act(leader_user, appeal, appeals.ESCALATE, note="涉及多个部门和上级审批，本级协调难度大。")
                if stage == "city":
                    appeals.act(self.office, appeal, appeals.ESCALATE, city_code="ZFBGS",
                                note="需市政府专题研究电网改造投资和线路走廊。")
            elif stage in ("confirmed", "answered"):
                appeals.act(leader_user, appeal, appeals.RESOLVE,
                            note="已协调市人社局、市技师学院开设定向培养班，首批40人明年3月到岗。" if stage == "confirmed"
                            else "已协调市财政局、市工信局，奖补资金将于本月底前拨付到位。")
                if stage == "confirmed":
                    appeals.confirm(head, appeal, satisfaction="satisfied", feedback="协调及时，感谢。")

    # -- invitations --------------------------------------------------------------------------------
    def invitations(self) -> None:
        heads = {u.enterprise_id: u for u in db.session.scalars(select(User).where(User.username.like("head%")))}
        leaders = {p.id: p for p in self.city}
        other = self.city[11]  # 副市长 (科技、商务、对外开放), not these enterprises' own liaison leader
        pairs = [(e, l) for e, l in self.assignments if e in heads and l != other.id][10:]
        cases = (
            ("investment", "新材料产业园招商推介会", 20, None, "screening"),
            ("project", "年产10万吨高端化工新材料项目签约仪式", 15, other, "awaiting"),
            ("talent", "博士后科研工作站揭牌暨人才引进签约", 10, other, "accepted"),
            ("promotion", "新产品发布会", 10, other, "attended"),
            ("cooperation", "与德国合作伙伴技术合作洽谈", 12, other, "declined"),
            ("brand", "企业品牌发布及质量提升大会", 8, "own", "direct"),
            ("other", "企业年会", 6, None, "screened_out"),
        )
        for (kind, title, days, wished, stage), (enterprise_id, leader_id) in zip(cases, pairs):
            head = heads[enterprise_id]
            wished_leader = leaders[leader_id] if wished == "own" else wished
            inv = invitations.request(
                head, kind=kind, title=title, activity_on=self.today + timedelta(days=days), activity_time="09:30",
                place=f"{head.enterprise.name}会议中心", description=f"{title}，邀请领导出席并致辞，参加人员约120人。",
                contact_name=head.display_name, contact_phone=head.enterprise.head_phone or "0533-0000000",
                wished_leader=wished_leader, pledge=True)
            if stage in ("awaiting", "accepted", "attended", "declined"):
                invitations.screen(self.office, inv, passed=True, leader=wished_leader,
                                   note="重大项目和人才引进活动，有利于企业发展壮大，确有必要。")
            office_staff = self.account(f"dept-{inv.office.code.lower()}") if inv.office else None
            if stage in ("accepted", "attended"):
                invitations.reply(office_staff, inv, attending=True, attending_leader=None, note="领导将于9:20到达。")
            elif stage == "declined":
                invitations.reply(office_staff, inv, attending=False, attending_leader=None,
                                  note="领导当日参加全省会议，不能出席，建议由市商务局负责同志参加。")
            elif stage == "direct":
                invitations.reply(wished_leader.user, inv, attending=True, attending_leader=None, note="")
            elif stage == "screened_out":
                invitations.screen(self.office, inv, passed=False, leader=None,
                                   note="企业年会属内部活动，不属于服务企业活动范围，不予安排。")
            if stage == "attended":
                self.shift(inv, days=-40)
                invitations.record_attendance(office_staff, inv, note="领导出席发布会并参观生产线。")

    def shift(self, inv: Invitation, days: int) -> None:
        """Move an invitation into the past (an activity already held)."""
        delta = timedelta(days=days)
        inv.activity_on += delta
        inv.created_at += delta
        inv.screened_at = inv.screened_at + delta if inv.screened_at else None
        inv.replied_at = inv.replied_at + delta if inv.replied_at else None
        for event in db.session.scalars(select(InvitationEvent).where(InvitationEvent.invitation_id == inv.id)):
            event.at += delta
        db.session.flush()


@demo_step
def care_liaison_demo(password_hash: str) -> None:
    demo = Demo(password_hash)
    demo.leaders()
    demo.served_list()
    demo.contacts()
    demo.counties()
    demo.appeals()
    demo.invitations()
    db.session.flush()
