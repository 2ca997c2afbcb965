"""上市公司风险研判: the listed companies, their quarterly equity-pledge and bond checks (每季度摸排)
and the half-yearly joint review (每半年研判) whose risk prompts go to the counties as matters."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from govsvc import audit
from govsvc.extensions import db
from govsvc.finrisk.access import county_for_district, is_regulator
from govsvc.finrisk.models import JointReview, ListedCheck, ListedCompany
from govsvc.ledger import workflow
from govsvc.ledger.service import create_matter, move
from govsvc.registry.models import Enterprise
from govsvc.timeutil import local_today


class ListedError(ValueError):
    pass


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _regulator(user):
    if not is_regulator(user):
        raise ListedError("由市地方金融监管局办理。")


def add_company(user, enterprise: Enterprise, stock_code: str) -> ListedCompany:
    _regulator(user)
    code = stock_code.strip()
    if not code or not code.isalnum():
        raise ListedError("请填写证券代码（字母或数字）。")
    if db.session.scalar(select(ListedCompany.id).where((ListedCompany.enterprise_id == enterprise.id) |
                                                       (ListedCompany.stock_code == code))):
        raise ListedError("该企业或证券代码已在上市公司名单中。")
    item = ListedCompany(enterprise_id=enterprise.id, stock_code=code)
    db.session.add(item)
    db.session.flush()
    audit.record("finrisk.listed.add", target=f"enterprise:{enterprise.id}")
    return item


def record_check(user, company: ListedCompany, year: int, quarter: int, pledge_ratio: Decimal,
                 bonds_outstanding: Decimal, bonds_due_year: Decimal, note: str) -> ListedCheck:
    _regulator(user)
    if not Decimal(0) <= pledge_ratio <= Decimal(100):
        raise ListedError("质押比例应在 0 到 100 之间。")
    if bonds_due_year > bonds_outstanding:
        raise ListedError("一年内到期债券不能多于存续债券。")
    if (year, quarter) > quarter_of(local_today()):
        raise ListedError("不能登记未来季度的摸排。")
    check = db.session.scalar(select(ListedCheck).where(ListedCheck.listed_id == company.id, ListedCheck.year == year,
                                                        ListedCheck.quarter == quarter))
    if check is None:
        check = ListedCheck(listed_id=company.id, year=year, quarter=quarter, pledge_ratio=pledge_ratio,
                            bonds_outstanding=bonds_outstanding, bonds_due_year=bonds_due_year)
        db.session.add(check)
    check.pledge_ratio, check.bonds_outstanding, check.bonds_due_year, check.note = (
        pledge_ratio, bonds_outstanding, bonds_due_year, note.strip())
    db.session.flush()
    audit.record("finrisk.listed.check", target=f"finrisk.listed:{company.id}", detail={"year": year, "quarter": quarter})
    return check


def checklist(year: int, quarter: int) -> list[tuple[ListedCompany, ListedCheck | None]]:
    companies = db.session.scalars(select(ListedCompany).order_by(ListedCompany.stock_code)).all()
    checks = {c.listed_id: c for c in db.session.scalars(select(ListedCheck).where(ListedCheck.year == year,
                                                                                 ListedCheck.quarter == quarter))}
    return [(c, checks.get(c.id)) for c in companies]


def record_review(user, year: int, half: int, held_on: date, participants: str, findings: str,
                  prompts: list[tuple[Enterprise, str]], deadline: date | None) -> JointReview:
    """The half-year's joint review; each risk prompt becomes a matter of the enterprise's county
    (提前制定风险预案)."""
    _regulator(user)
    if half not in (1, 2):
        raise ListedError("请选择上半年或下半年。")
    if not participants.strip() or not findings.strip():
        raise ListedError("请填写参加部门和研判结论。")
    if db.session.scalar(select(JointReview.id).where(JointReview.year == year, JointReview.half == half)):
        raise ListedError(f"{year} 年{'上' if half == 1 else '下'}半年的研判已登记。")
    review = JointReview(year=year, half=half, held_on=held_on, participants=participants.strip(),
                         findings=findings.strip(), created_by_id=user.id)
    db.session.add(review)
    db.session.flush()
    for enterprise, text in prompts:
        county = county_for_district(enterprise.district)
        matter = create_matter(module="finrisk", kind="listed.prompt", title=f"上市公司风险提示：{enterprise.name}",
                               description=text, source=f"{year}年{'上' if half == 1 else '下'}半年上市公司风险研判",
                               ref=f"finrisk.review:{review.id}", deadline=deadline, priority="high", user=user)
        if county is not None:
            move(matter, workflow.ASSIGNED, user=user, responsible_unit_id=county.id)
    audit.record("finrisk.listed.review", target=f"finrisk.review:{review.id}")
    return review


def reviews() -> list[JointReview]:
    return list(db.session.scalars(select(JointReview).order_by(JointReview.year.desc(), JointReview.half.desc())))
