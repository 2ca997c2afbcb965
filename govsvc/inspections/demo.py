"""Demo data of the inspection ledger: a year (2026) of plans and results of four systems, loaded
through the module's services with the dates they would have had.

It shows on-time and late filings (YJJ's annual plan, SHJ's second-quarter plan, SCJ-ZD's July
plan, two late monthly result filings), a filing returned by justice and filed again, a
temporary plan, a published random draw, an unfiled inspection that is also a cross inspection
(SCJ-ZD and SHJ-ZD at one enterprise within 30 days), fines forwarded to finance, three issued
circulars, plans for 2027 on their way up, and an enterprise's report.

The published grading comes from the grading module through `grades.current_grades`; when it
names an A enterprise, a November temporary plan of SWJ holds a random item on it, which the
filing refuses (`a_exempt`). Without a published grading that item is not created.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from govsvc.auth.models import User
from govsvc.demo import demo_step
from govsvc.extensions import db
from govsvc.inspections import circulars, draws, filings, grades, plans, reports, results
from govsvc.ledger import workflow
from govsvc.ledger.service import move
from govsvc.registry.models import Enterprise, Person, Unit
from govsvc.timeutil import LOCAL_TZ, local_today

YEAR = 2026
SYSTEMS = {"SCJ": ("SCJ-ZD", "SCJ-ZC", "SCJ-LZ"), "SHJ": ("SHJ-ZD",), "YJJ": ("YJJ-LZ",), "SWJ": ()}
WORK = {  # system → (categories, the basis of its non-random items, their ground)
    "SCJ": (("食品安全", "特种设备安全", "产品质量", "价格与市场秩序"), "complaint", "12315-2026-{n:04d}"),
    "SHJ": (("生态环境保护",), "environment", "《中华人民共和国环境保护法》第二十四条"),
    "YJJ": (("安全生产",), "safety", "《中华人民共和国安全生产法》第六十五条"),
    "SWJ": (("税收征管",), "statutory", "《中华人民共和国税收征收管理法》第五十四条"),
}
FINES = ("2000.00", "3000.00", "5000.00", "8000.00", "12500.00", "20000.00", "800.50", "1500.00", "50000.00")
LATE_ANNUAL = {"YJJ"}                  # files its 2026 annual plans on 23 Dec 2025
LATE_RESULTS = {("SHJ", 6), ("YJJ", 9)}  # monthly result filings after the 10th


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ)


class Demo:
    def __init__(self):
        self.rng = random.Random(20261123)
        self.units = {u.code: u for u in db.session.scalars(select(Unit))}
        self.users = {u.username: u for u in db.session.scalars(select(User).where(
            User.username.in_([f"dept-{c.lower()}" for c in self._codes()] + ["justice", "head001"])))}
        self.justice = self.users["justice"]
        people = db.session.scalars(select(Person).order_by(Person.id))
        self.people: dict[int, list[str]] = {}
        for person in people:
            self.people.setdefault(person.unit_id, []).append(person.name)
        self.enterprises = list(db.session.scalars(select(Enterprise).where(Enterprise.status == "存续")
                                                   .order_by(Enterprise.credit_code)))
        self.counter = 0

    @staticmethod
    def _codes():
        return [c for city, counties in SYSTEMS.items() for c in (city, *counties)]

    def user(self, code: str) -> User:
        return self.users[f"dept-{code.lower()}"]

    def system_of(self, code: str) -> str:
        return code.split("-")[0]

    def pick(self, code: str) -> Enterprise:
        district = self.units[code].district
        pool = [e for e in self.enterprises if not district or e.district == district]
        return self.rng.choice(pool)

    def values(self, code: str, day: date, enterprise=None, basis=None, draw_count=None, category=None) -> dict:
        categories, other_basis, ground = WORK[self.system_of(code)]
        basis = basis or ("random" if draw_count or self.rng.random() < 0.6 else other_basis)
        self.counter += 1
        return {"enterprise": None if draw_count else (enterprise or self.pick(code)), "draw_count": draw_count,
                "category": category or self.rng.choice(categories), "basis": basis,
                "ground": "" if basis == "random" else ground.format(n=self.counter), "planned_date": day,
                "planned_end": None, "note": ""}

    def days(self, start: date, end: date, n: int) -> list[date]:
        span = (end - start).days
        return sorted(start + timedelta(days=self.rng.randint(0, span)) for _ in range(n))

    def plan(self, code: str, period: str, year: int, number: int | None, created: date, items: list[dict],
             reason: str = ""):
        plan = plans.create_plan(self.user(code), period=period, year=year, number=number, title="", reason=reason,
                                 at=at(created))
        for values in items:
            plans.add_item(self.user(code), plan, values)
        return plan

    def file(self, city: str, plan_list: list, day: date, accept: date | None, reason: str = ""):
        for plan in plan_list:
            if plan.status != "submitted":
                submitted = max(day - timedelta(days=2), plan.created_at.astimezone(LOCAL_TZ).date())
                plans.submit_plan(self.user(plan.unit.code), plan, at(submitted, 9))
        filing = filings.file_plans(self.user(city), [p.id for p in plan_list], at(day, 16))
        if accept:
            filings.review_filing(self.justice, filing, accept=not reason, reason=reason, at=at(accept, 11))
        return filing

    # -- the year ----------------------------------------------------------------------------
    def annual_plans(self) -> list:
        accepted = []
        for index, (city, counties) in enumerate(SYSTEMS.items()):
            batch = []
            for code in (city, *counties):
                n = 8 if code == city else 5
                items = [self.values(code, d) for d in self.days(date(YEAR, 1, 12), date(YEAR, 11, 15), n)]
                if code == "SCJ":
                    items.append(self.values(code, date(YEAR, 4, 15), draw_count=5, category="产品质量"))
                batch.append(self.plan(code, "annual", YEAR, None, date(YEAR - 1, 11, 20), items))
            day = date(YEAR - 1, 12, 23) if city in LATE_ANNUAL else date(YEAR - 1, 12, 16 + index)
            self.file(city, batch, day, day + timedelta(days=4))
            accepted += batch
        return accepted

    def quarterly_plans(self) -> list:
        out = []
        for code in ("SCJ", "SHJ"):
            for quarter in range(1, 5):
                first = date(YEAR, 3 * quarter - 2, 1)
                items = [self.values(code, d) for d in self.days(first + timedelta(days=14), first + timedelta(days=80), 2)]
                plan = self.plan(code, "quarterly", YEAR, quarter, first - timedelta(days=10), items)
                if (code, quarter) == ("SHJ", 2):
                    self.file(code, [plan], date(YEAR, 4, 13), date(YEAR, 4, 14))            # late
                elif (code, quarter) == ("SHJ", 3):
                    self.file(code, [plan], date(YEAR, 7, 8), date(YEAR, 7, 9), reason="第2项依据不明确，请补充法律条款后重新报备。")
                    plans.submit_plan(self.user(code), plan, at(date(YEAR, 7, 10)))
                    self.file(code, [plan], date(YEAR, 7, 10), date(YEAR, 7, 11))
                else:
                    self.file(code, [plan], date(YEAR, 3 * quarter - 2, 8), date(YEAR, 3 * quarter - 2, 9))
                out.append(plan)
        return out

    def monthly_plans(self, cross_enterprise: Enterprise) -> list:
        out = []
        for month in range(3, 11):
            first = date(YEAR, month, 1)
            items = [self.values("SCJ-ZD", first + timedelta(days=9 + 7 * k)) for k in range(2)]
            if month == 6:
                items[0] = self.values("SCJ-ZD", date(YEAR, 6, 10), enterprise=cross_enterprise, basis="random",
                                       category="食品安全")
            plan = self.plan("SCJ-ZD", "monthly", YEAR, month, first - timedelta(days=8), items)
            day = date(YEAR, 7, 7) if month == 7 else date(YEAR, month, 4)                  # July: late
            self.file("SCJ", [plan], day, day + timedelta(days=1))
            out.append(plan)
        return out

    def temporary_plan(self) -> list:
        items = [self.values("YJJ-LZ", date(YEAR, 8, 18), basis="safety") for _ in range(3)]
        plan = self.plan("YJJ-LZ", "temporary", YEAR, None, date(YEAR, 8, 17), items,
                         reason="8月16日辖区一化工企业发生泄漏事故，按市安委会要求对同类企业开展安全生产专项检查。")
        self.file("YJJ", [plan], date(YEAR, 8, 18), date(YEAR, 8, 18))
        return [plan]

    def draw(self, accepted: list):
        task = next(i for p in accepted if p.unit.code == "SCJ" for i in p.items if i.is_draw_task)
        draw = draws.prepare_draw(self.user("SCJ"), task, per_team=2, at=at(date(YEAR, 4, 8)),
                                  seed="%032x" % self.rng.getrandbits(128))
        draws.run_draw(self.user("SCJ"), draw, at=at(date(YEAR, 4, 9)))
        return task, draw

    def inspectors(self, unit: Unit) -> str:
        names = self.people.get(unit.id) or self.people.get(unit.system_id or -1) or []
        return "、".join(self.rng.sample(names, min(2, len(names))))

    def conclusion(self) -> dict:
        roll = self.rng.random()
        if roll < 0.18:
            return {"conclusion": "penalty", "penalty_type": "罚款", "fine": Decimal(self.rng.choice(FINES))}
        if roll < 0.24:
            return {"conclusion": "penalty", "penalty_type": "警告", "fine": Decimal("0.00")}
        return {"conclusion": "clear", "penalty_type": None, "fine": None}

    def record(self, unit_code: str, item, enterprise: Enterprise, day: date, **extra):
        unit = self.units[unit_code]
        values = {"item": item, "enterprise": enterprise, "inspected_on": day, "inspectors": self.inspectors(unit),
                  "category": None, "basis": None, "decision_number": "", "note": "", **self.conclusion(), **extra}
        if values["conclusion"] == "penalty":
            self.counter += 1
            values["decision_number"] = f"淄{unit_code}罚〔{day.year}〕{self.counter}号"
        return results.save_result(self.user(unit_code), values)

    def results(self, filed_plans: list, task, draw, cross_enterprise: Enterprise) -> None:
        last = local_today() - timedelta(days=1)
        for plan in filed_plans:
            for item in plan.items:
                skipped = self.rng.random() > 0.85 and item.enterprise_id != cross_enterprise.id
                if not item.usable or item.is_draw_task or skipped:
                    continue
                start = max(item.planned_date, plan.filed_on)
                day = min(start + timedelta(days=self.rng.randint(0, 3)), last)
                if day <= last and (item.planned_date.month == day.month):
                    self.record(plan.unit.code, item, item.enterprise, day)
        for candidate in draws.picks(draw):
            enterprise = db.session.get(Enterprise, candidate.enterprise_id)
            self.record("SCJ", task, enterprise, date(YEAR, 4, 20) + timedelta(days=candidate.pick_rank))
        # No plan at all, and within 30 days of SCJ-ZD's June inspection of the same enterprise.
        self.record("SHJ-ZD", None, cross_enterprise, date(YEAR, 6, 22), category="生态环境保护", basis="environment",
                    conclusion="clear", penalty_type=None, fine=None)

    def result_filings(self) -> None:
        today = local_today()
        for month in range(1, today.month):
            for city in SYSTEMS:
                late = (city, month) in LATE_RESULTS
                day = date(YEAR, month + 1, 13 if late else 6 + len(city) % 4)
                if day < today:
                    results.file_results(self.user(city), YEAR, month, at(day, 17))

    def fines(self) -> None:
        for waiting in results.fines_waiting():  # October's fines stay waiting for justice
            if waiting["month"] < 10:
                day = date(waiting["year"], waiting["month"] + 1, 20)
                results.forward_fines(self.justice, waiting["year"], waiting["month"], at(day))

    def circulars(self) -> None:
        remarks = {1: "第一季度各单位普遍按时报备检查计划，个别单位年度计划逾期报备，请引起重视。",
                   2: "第二季度出现未备案检查和重复交叉检查，相关单位要立即整改，严格落实“未经备案不得检查”。",
                   3: "第三季度个别单位检查结果逾期报备；各单位要严格执行每月10日前报备制度。"}
        for quarter, text in remarks.items():
            circulars.issue(self.justice, YEAR, quarter, text, at=at(date(YEAR, 3 * quarter + 1, 20)))

    def next_year(self) -> None:
        county = self.plan("SCJ-ZD", "annual", YEAR + 1, None, date(YEAR, 11, 10),
                           [self.values("SCJ-ZD", d) for d in self.days(date(YEAR + 1, 2, 1), date(YEAR + 1, 11, 30), 4)])
        plans.submit_plan(self.user("SCJ-ZD"), county, at(date(YEAR, 11, 20)))
        self.plan("SCJ", "annual", YEAR + 1, None, date(YEAR, 11, 12),
                  [self.values("SCJ", d) for d in self.days(date(YEAR + 1, 2, 1), date(YEAR + 1, 11, 30), 3)])
        shj = self.plan("SHJ", "annual", YEAR + 1, None, date(YEAR, 11, 5),
                        [self.values("SHJ", d) for d in self.days(date(YEAR + 1, 2, 1), date(YEAR + 1, 11, 30), 5)])
        self.file("SHJ", [shj], date(YEAR, 11, 18), None)        # waiting for justice's review

    def a_class_refusal(self) -> None:
        table = grades.current_grades(local_today())
        a_class = [e for e in self.enterprises if table.get(e.id) == "A"]
        if not a_class:
            return
        day = local_today()
        later = min(day + timedelta(days=3), date(day.year, 12, 31))
        items = [self.values("SWJ", later, enterprise=a_class[0], basis="random"),
                 self.values("SWJ", later, basis="statutory")]
        plan = self.plan("SWJ", "temporary", day.year, None, day - timedelta(days=5), items,
                         reason="按省局部署开展重点税源企业专项检查。")
        self.file("SWJ", [plan], day, None)

    def report(self) -> None:
        head = self.users.get("head001")
        if head is None or head.enterprise is None:
            return
        report = reports.file_report(head, kind="repeated", unit=self.units["SCJ-ZD"],
                                     incident_date=date(YEAR, 11, 3),
                                     description="11月上旬一周内先后有两个部门到企业检查同一事项，要求提供的资料基本相同，影响正常生产。")
        move(report.matter, workflow.ASSIGNED, user=self.justice, note="请张店区市场监管局核实检查计划和备案情况。",
             responsible_unit_id=self.units["SCJ-ZD"].id)


@demo_step
def inspections_demo(password_hash: str) -> None:
    demo = Demo()
    if not all(f"dept-{c.lower()}" in demo.users for c in demo._codes()):
        return  # a registry without the demo units
    cross_enterprise = demo.pick("SHJ-ZD")
    accepted = demo.annual_plans()
    task, draw = demo.draw(accepted)
    filed = accepted + demo.quarterly_plans() + demo.monthly_plans(cross_enterprise) + demo.temporary_plan()
    demo.results(filed, task, draw, cross_enterprise)
    demo.result_filings()
    demo.fines()
    demo.circulars()
    demo.next_year()
    demo.a_class_refusal()
    demo.report()
    db.session.flush()
