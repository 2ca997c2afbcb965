"""Registry queries: list filters and the top-taxpayer list."""
from __future__ import annotations

from sqlalchemy import func, or_, select

from govsvc.extensions import db
from govsvc.registry.models import Enterprise, Person, TaxRecord, Unit
from scoring.taxpayers import RankedTaxpayer, TaxEntry, rank_taxpayers


def enterprise_query(*, q="", district="", industry="", status="", above_scale=""):
    stmt = select(Enterprise)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper()),
                              Enterprise.head_name.ilike(like), Enterprise.group_name.ilike(like)))
    if district:
        stmt = stmt.where(Enterprise.district == district)
    if industry:
        stmt = stmt.where(Enterprise.industry == industry)
    if status:
        stmt = stmt.where(Enterprise.status == status)
    if above_scale in ("0", "1"):
        stmt = stmt.where(Enterprise.above_scale.is_(above_scale == "1"))
    return stmt.order_by(Enterprise.credit_code)


def districts() -> list[str]:
    return [d for d in db.session.scalars(select(Enterprise.district).distinct().order_by(Enterprise.district)) if d]


def unit_query(*, q="", level="", survey_category="", flag=""):
    stmt = select(Unit)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Unit.name.ilike(like), Unit.code.ilike(like)))
    if level:
        stmt = stmt.where(Unit.level == level)
    if survey_category == "none":
        stmt = stmt.where(Unit.survey_category.is_(None))
    elif survey_category:
        stmt = stmt.where(Unit.survey_category == survey_category)
    if flag == "enforcement":
        stmt = stmt.where(Unit.enforcement.is_(True))
    elif flag == "grading":
        stmt = stmt.where(Unit.grading.is_(True))
    return stmt.order_by(Unit.level, Unit.code)


def person_query(*, q="", unit_ids: set[int] | None = None):
    stmt = select(Person).join(Person.unit)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Person.name.ilike(like), Person.post.ilike(like), Unit.name.ilike(like)))
    if unit_ids is not None:
        stmt = stmt.where(Person.unit_id.in_(unit_ids))
    return stmt.order_by(Unit.code, Person.name, Person.id)


def tax_query(*, q="", year: int | None = None):
    stmt = select(TaxRecord, Enterprise).join(TaxRecord.enterprise)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper())))
    if year:
        stmt = stmt.where(TaxRecord.year == year)
    return stmt.order_by(TaxRecord.year.desc(), TaxRecord.local_retained.desc(), Enterprise.credit_code)


def latest_tax_year() -> int | None:
    return db.session.scalar(select(func.max(TaxRecord.year)))


def top_taxpayers(year: int, n: int = 200) -> list[tuple[RankedTaxpayer, Enterprise]]:
    """The list for `year`: ranked by local retained tax of year − 1 (上年度), groups together."""
    rows = db.session.execute(
        select(Enterprise.id, Enterprise.credit_code, Enterprise.group_name, Enterprise.group_head,
               Enterprise.status, TaxRecord.local_retained)
        .join(TaxRecord, TaxRecord.enterprise_id == Enterprise.id)
        .where(TaxRecord.year == year - 1)
    )
    entries = [TaxEntry(enterprise_id=r.id, credit_code=r.credit_code, group=r.group_name or "",
                        group_head=bool(r.group_head), in_business=r.status == "存续", amount=r.local_retained)
               for r in rows]
    ranked = rank_taxpayers(entries, n)
    by_id = {e.id: e for e in db.session.scalars(
        select(Enterprise).where(Enterprise.id.in_([r.enterprise_id for r in ranked])))}
    return [(r, by_id[r.enterprise_id]) for r in ranked]
