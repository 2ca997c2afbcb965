"""Demo data of the enterprise portal and issue 12's inspection rules (after the inspection demo):

* portal accounts `ent-001` … `ent-005` for five enterprises with filed inspections this year;
  `ent-001` has confirmed one inspection by its check code and rated it, reported an unfiled visit,
  and complained about a unit that then inspected it again (a retaliation flag for justice and a
  referral to discipline);
* the on-request flow: a one-time code sent to another enterprise's head phone (in the outbox);
* each demo system's legal inspection categories, an official's recusal, and a plan change
  request of SCJ waiting for justice.

Loaded through the services users use, with the dates they would have had; a fixed random seed.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from govsvc.auth import roles as R
from govsvc.auth.models import User
from govsvc.auth.service import create_user
from govsvc.demo import demo_step
from govsvc.extensions import db
from govsvc.grading import matters
from govsvc.inspections import categories, changes, results
from govsvc.inspections.models import ACCEPTED, InspectionPlan, InspectionResult, PlanItem
from govsvc.portal import accounts, checks
from govsvc.registry.models import Enterprise, Person, Unit
from govsvc.timeutil import LOCAL_TZ, local_today

CATEGORIES = {
    "SCJ": {"食品安全": "《中华人民共和国食品安全法》第一百一十条", "特种设备安全": "《中华人民共和国特种设备安全法》第五十七条",
            "产品质量": "《中华人民共和国产品质量法》第十五条", "价格与市场秩序": "《中华人民共和国价格法》第三十四条",
            "知识产权": "《中华人民共和国商标法》第六十二条"},
    "SHJ": {"生态环境保护": "《中华人民共和国环境保护法》第二十四条"},
    "YJJ": {"安全生产": "《中华人民共和国安全生产法》第六十五条", "消防安全": "《中华人民共和国消防法》第五十三条"},
    "SWJ": {"税收征管": "《中华人民共和国税收征收管理法》第五十四条"},
}


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ)


@demo_step(order=110)
def portal_demo(password_hash: str) -> None:
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    users = {u.username: u for u in db.session.scalars(select(User).where(User.username.like("dept-%")))}
    justice = db.session.scalar(select(User).where(User.username == "justice"))
    if "SCJ-ZD" not in units or justice is None:
        return  # a registry without the demo units
    rng = random.Random(20261204)
    today = local_today()
    for code, chosen in CATEGORIES.items():
        categories.set_categories(justice, units[code], chosen)

    # Five enterprises with accepted named items of SCJ-ZD this year: their portal accounts.
    items = db.session.scalars(
        select(PlanItem).join(PlanItem.plan)
        .where(InspectionPlan.unit_id == units["SCJ-ZD"].id, InspectionPlan.status == ACCEPTED,
               InspectionPlan.year == today.year, PlanItem.enterprise_id.is_not(None), PlanItem.check_status == "ok",
               PlanItem.planned_date <= today)
        .order_by(PlanItem.planned_date.desc(), PlanItem.id)).all()
    chosen: list[tuple[Enterprise, PlanItem]] = []
    for item in items:
        if item.enterprise_id not in {e.id for e, _ in chosen}:
            chosen.append((item.enterprise, item))
        if len(chosen) == 5:
            break
    accounts_made = []
    for n, (enterprise, _) in enumerate(chosen, start=1):
        existing = accounts.account_of(enterprise.id)
        accounts_made.append(existing or create_user(f"ent-{n:03d}", "", (R.ENTERPRISE,), display_name=enterprise.name,
                                                     enterprise_id=enterprise.id, password_hash=password_hash))
    if not chosen:
        return
    county = users["dept-scj-zd"]
    first, item = chosen[0]
    account = accounts_made[0]
    # 扫码入企: the notice, the confirmation at the door, the rating.
    code = checks.issue_notice(county, item, first, at(item.planned_date - timedelta(days=3)))
    visit = checks.confirm(account, checks.lookup(account, code), item.planned_date, at(item.planned_date, 9))
    checks.rate(account, visit, 4, 4, "执法人员出示了检查通知书和执法证件，检查用时约一小时，未影响生产。",
                at(item.planned_date, 16))
    for other_account, (enterprise, other_item) in zip(accounts_made[1:3], chosen[1:3]):
        code = checks.issue_notice(county, other_item, enterprise, at(other_item.planned_date - timedelta(days=2)))
        other = checks.confirm(other_account, checks.lookup(other_account, code), other_item.planned_date)
        checks.rate(other_account, other, rng.randint(3, 5), rng.randint(2, 5), "")
    # An unfiled visit reported on the spot.
    checks.report_unfiled(account, unit=units["SCJ-ZC"], visit_date=today - timedelta(days=12), inspectors="两名执法人员（未出示证件）",
                          description="称接到上级通知开展专项检查，未出示检查通知书，检查码无法查询，要求提供近三年全部购销台账。")
    # A complaint 60 days ago, then SCJ-ZD inspects again: the retaliation watch flags it.
    complaint = matters.file_complaint(account, units["SCJ-ZD"].id,
                                       "张店区市场监管局一个月内两次以双随机名义检查我公司，且检查内容相同。",
                                       today - timedelta(days=70))
    complaint.created_at = at(today - timedelta(days=60))
    complaint.matter.created_at = complaint.created_at
    db.session.flush()
    results.save_result(county, {"item": None, "enterprise": first, "inspected_on": today - timedelta(days=20),
                                 "inspectors": "", "category": "食品安全", "basis": "complaint", "conclusion": "clear",
                                 "note": "接群众举报后核查"})
    # The on-request flow: a code to another enterprise's head phone (see the admin's outbox).
    other = db.session.scalar(select(Enterprise).where(Enterprise.status == "存续", Enterprise.head_phone != "",
                                                       Enterprise.id.not_in([e.id for e, _ in chosen]))
                              .order_by(Enterprise.credit_code))
    if other is not None:
        accounts.request_code(other.credit_code)
    # A recusal in SCJ's pool and a plan change of SCJ waiting for justice.
    pool = sorted(categories.pool_person_ids(units["SCJ"]))
    person = db.session.get(Person, pool[0]) if pool else None
    if person is not None:
        categories.declare_recusal(users["dept-scj"], person, chosen[-1][0], "配偶在该企业担任财务负责人")
    plan = db.session.scalar(select(InspectionPlan).where(InspectionPlan.unit_id == units["SCJ"].id,
                                                          InspectionPlan.period == "annual",
                                                          InspectionPlan.year == today.year,
                                                          InspectionPlan.status == ACCEPTED))
    done = set(db.session.scalars(select(InspectionResult.item_id).where(InspectionResult.item_id.is_not(None))))
    open_items = [i for i in (plan.items if plan else []) if i.usable and i.enterprise_id and i.id not in done]
    if plan is not None and open_items:
        change = changes.open_change(users["dept-scj"], plan, "该企业已于年中停产整顿，取消原定检查；另按省局部署增加一项检查。")
        changes.add_line(users["dept-scj"], change, "cancel", {"item": open_items[-1]})
        target = rng.choice([e for e, _ in chosen])
        changes.add_line(users["dept-scj"], change, "add",
                         {"enterprise": target, "category": "特种设备安全", "basis": "statutory",
                          "ground": "《中华人民共和国特种设备安全法》第五十七条", "planned_date": date(today.year, 12, 18),
                          "note": "省局部署的特种设备专项检查"})
        changes.file_change(users["dept-scj"], change)
    db.session.flush()
