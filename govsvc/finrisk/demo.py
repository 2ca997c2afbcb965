"""Demo data of govsvc.finrisk: bank accounts (bank-gh … bank-jh), loans and guarantees of the four
banks imported through the banks' import, two guarantee circles and a mutual pair, the "321" ledger of
today, 保/帮/关 proposals with a few confirmed, a rescue candidate, a bridge pool, listed companies and
the blacklist. Fixed random seed, no hard-coded ids; loaded through the services users use."""
from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from govsvc.auth import roles as R
from govsvc.auth.models import User
from govsvc.demo import demo_step
from govsvc.exports import csv_bytes
from govsvc.extensions import db
from govsvc.finrisk import blacklist, bridge, classify, listed, maturity, rescue
from govsvc.finrisk.loans import GuaranteeImport, LoanImport
from govsvc.finrisk.models import Assessment
from govsvc.imports import run_import
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today

SEED = 20261204
BANKS = ("GH", "NH", "ZH", "JH")
# The loan the browser test walks through the three warnings (GH, 张店区, 75 days to maturity).
DEMO_LOAN = "GH-321-DEMO"


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _import(kind, header, rows, name):
    report = run_import(kind, csv_bytes(header, rows, bom=False), name)
    if not report.applied:
        raise RuntimeError(f"finrisk demo {name}: {report.errors[:3]}")


@demo_step(order=100)
def seed_finrisk(password_hash: str) -> None:
    from govsvc.auth.service import create_user

    rng = random.Random(SEED)
    today = local_today()
    banks = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(BANKS)))}
    for code, unit in sorted(banks.items()):
        create_user(f"bank-{code.lower()}", "", (R.BANK,), display_name=unit.name, unit_id=unit.id,
                    password_hash=password_hash)
    firms = list(db.session.scalars(select(Enterprise).where(Enterprise.above_scale.is_(True), Enterprise.status == "存续")
                                    .order_by(Enterprise.credit_code)))
    by_district: dict[str, list[Enterprise]] = {}
    for e in firms:
        by_district.setdefault(e.district, []).append(e)
    zd = by_district.get("张店区", [])
    zc = by_district.get("淄川区", [])

    # loans: 160 over the four banks; maturities from 20 days ago to 14 months ahead
    loan_rows = []
    borrowers = rng.sample(firms, min(110, len(firms)))
    for n in range(160):
        e = borrowers[n % len(borrowers)]
        bank = BANKS[n % 4]
        start = today - timedelta(days=rng.randrange(200, 700))
        maturity_day = today + timedelta(days=rng.randrange(-20, 420))
        status = rng.choices(("normal", "overdue", "npl"), (0.86, 0.09, 0.05))[0]
        amount = Decimal(rng.randrange(50, 5000) * 10000)
        loan_rows.append([bank, today.strftime("%Y-%m"), f"{bank}-{today.year}-{n + 1:04d}", e.credit_code, amount,
                          start, maturity_day, status])
    demo_firm = zd[0]
    loan_rows.append(["GH", today.strftime("%Y-%m"), DEMO_LOAN, demo_firm.credit_code, Decimal("30000000"),
                      today - timedelta(days=290), today + timedelta(days=75), "normal"])
    _import(LoanImport(), [c.name for c in LoanImport.columns], loan_rows, "demo-loans.csv")

    # guarantees: a circle of four in 张店区, a circle of three across 淄川区/张店区, a mutual pair, chains
    circle_a, circle_b = zd[1:5], [zc[0], zc[1], zd[5]]
    edges = [(circle_a[k], circle_a[(k + 1) % 4]) for k in range(4)] + [(circle_a[0], circle_a[2])]
    edges += [(circle_b[k], circle_b[(k + 1) % 3]) for k in range(3)]
    edges += [(zd[6], zd[7]), (zd[7], zd[6])]
    edges += [(zd[8], circle_a[1]), (demo_firm, circle_a[3]), (circle_a[0], demo_firm)]
    others = [e for e in firms if e not in circle_a + circle_b]
    for _ in range(60):
        g, b = rng.sample(others, 2)
        edges.append((g, b))
    seen, rows = set(), []
    for n, (g, b) in enumerate(edges):
        if (g.id, b.id) in seen:
            continue
        seen.add((g.id, b.id))
        bank = BANKS[n % 4]
        rows.append([bank, today.strftime("%Y-%m"), f"{bank}-DB-{n + 1:04d}", g.credit_code, b.credit_code,
                     Decimal(rng.randrange(100, 3000) * 10000), today - timedelta(days=300), today + timedelta(days=400)])
    _import(GuaranteeImport(), [c.name for c in GuaranteeImport.columns], rows, "demo-guarantees.csv")
    maturity.sweep(today)

    # banks record plans and funds on some entries (not on the demo loan)
    from govsvc.finrisk.models import MaturityEntry

    for entry in db.session.scalars(select(MaturityEntry).order_by(MaturityEntry.id)):
        if entry.loan.loan_no == DEMO_LOAN or rng.random() < 0.45:
            continue
        bank_user = _user(f"bank-{entry.loan.bank.code.lower()}")
        maturity.record_plan(bank_user, entry, "到期一次性归还本金", rng.choice(("销售回款", "应收账款回笼", "股东增资")))
        if entry.funds_due <= today + timedelta(days=10):
            maturity.confirm_funds(bank_user, entry, entry.loan.amount)

    # 保/帮/关: indicators for the risk enterprises, the rule's proposals, some confirmed by 张店区
    regulator = _user("regulator")
    classify.propose_all(regulator, today.year)
    for item in db.session.scalars(select(Assessment).order_by(Assessment.id)):
        classify.update_indicators(regulator, item, {
            "revenue_growth": round(rng.uniform(-20, 18), 1), "rd_ratio": round(rng.uniform(0, 6), 1),
            "high_tech": rng.random() < 0.3, "structure": rng.choice(("encouraged", "neutral", "neutral", "restricted")),
            "employees": rng.randrange(80, 2500)})
    county_user = _user("dept-zf-zd")
    zd_items = [a for a in db.session.scalars(select(Assessment).order_by(Assessment.id)) if a.enterprise.district == "张店区"]
    for item in zd_items[:4]:
        classify.confirm(county_user, item, item.proposed if item.proposed != "exit" else "help",
                         "经县区帮扶专班研判，同意分类建议" if item.proposed != "exit" else "企业主业尚有订单，暂列帮扶类")
    if zd_items:
        first = zd_items[0]
        classify.add_measure(county_user, first, "协调债权银行不抽贷、不压贷", "组织银企座谈，落实续贷方案", None,
                             today + timedelta(days=30))
        classify.assign_leader(regulator, first.enterprise, _user("leader").id, "王建国", "副市长", "每季度走访一次")
        pool_county = db.session.scalar(select(Unit).where(Unit.code == "ZF-ZD"))
        bridge.set_pool(county_user, pool_county, Decimal("50000000"))
        application = bridge.apply(county_user, first.enterprise, Decimal("8000000"), 30, "到期转贷过桥", banks["GH"].id)
        bridge.decide(county_user, application, True, "符合支持条件")

    # rescue: a candidate in the first circle (the browser test takes it to the court)
    rescue.nominate(county_user, circle_a[0], today.year, "主业为化工新材料，订单饱满、盈利稳定，因为圈内企业担保代偿陷入债务困境。")

    # listed companies, the blacklist
    for e, code in ((firms[-1], "600001"), (firms[-2], "000002")):
        company = listed.add_company(regulator, e, code)
        year, quarter = listed.quarter_of(today)
        listed.record_check(regulator, company, year, quarter, Decimal(rng.choice(("35.50", "62.80"))),
                            Decimal("500000000"), Decimal("120000000"), "按季度摸排")
    blacklist.add(regulator, enterprise=others[-1], person_name="", id_no="", found_on=today - timedelta(days=60),
                  basis="转移资产、逃避偿还银行贷款，经法院判决认定", bank_id=banks["NH"].id)
