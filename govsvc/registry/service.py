"""Registry queries: list filters and the top-taxpayer list."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import case, func, or_, select

from govsvc.extensions import db
from govsvc.registry.models import Enterprise, Person, TaxRecord, Unit
from scoring.taxpayers import GroupTotal, RankedTaxpayer, TaxEntry, group_key, rank_groups


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
    """The list for `year`: ranked by local retained tax of year − 1 (上年度), groups together.

    The database sums each group in whole fen (exact in both databases: SQLite adds integral
    REALs exactly up to 2^53 fen) and returns the groups in order of their totals; only the groups
    that reach the n-th total are looked at further, and of each only the members that may stand
    for it (its heads in business and its largest member in business) are read. The pure core
    (scoring.taxpayers.rank_groups) then picks each representative and breaks ties, exactly as
    rank_taxpayers does over every row (a property test holds the two equal)."""
    if n <= 0:
        return [(r, None) for r in rank_groups([], n)]
    group = func.coalesce(Enterprise.group_name, "")
    solo = case((group == "", Enterprise.id), else_=0)
    fen = func.sum(func.round(TaxRecord.local_retained * 100))
    totals = db.session.execute(
        select(group, solo, fen, func.count())
        .join(TaxRecord, TaxRecord.enterprise_id == Enterprise.id)
        .where(TaxRecord.year == year - 1)
        .group_by(group, solo)
        .having(func.max(case((Enterprise.status == "存续", 1), else_=0)) == 1)  # someone in business
        .order_by(fen.desc())
        .execution_options(yield_per=1000))
    chosen: dict[str, tuple[Decimal, int]] = {}   # group key → (total, members)
    last = None
    for name, enterprise_id, total_fen, members in totals:
        total = Decimal(int(total_fen)).scaleb(-2)
        if len(chosen) >= n and total != last:
            break
        chosen[f"g:{name}" if name else f"e:{enterprise_id}"] = (total, int(members))
        last = total
    totals.close()
    candidates = _candidates(year - 1, [k[2:] for k in chosen if k[0] == "g"],
                             [int(k[2:]) for k in chosen if k[0] == "e"])
    ranked = rank_groups([GroupTotal(total, members, tuple(candidates.get(key, ())))
                          for key, (total, members) in chosen.items()], n)
    by_id = {e.id: e for e in db.session.scalars(
        select(Enterprise).where(Enterprise.id.in_([r.enterprise_id for r in ranked])))}
    return [(r, by_id[r.enterprise_id]) for r in ranked]


def _candidates(tax_year: int, groups: list[str], solos: list[int]) -> dict[str, list[TaxEntry]]:
    """group key → the members that may stand for it: heads in business, and the largest member in
    business (by amount, then credit code, as the core orders them)."""
    columns = (Enterprise.id, Enterprise.credit_code, Enterprise.group_name, Enterprise.group_head,
               Enterprise.status, TaxRecord.local_retained)
    active = (select(*columns).join(TaxRecord, TaxRecord.enterprise_id == Enterprise.id)
              .where(TaxRecord.year == tax_year, Enterprise.status == "存续"))
    found: dict[str, list[TaxEntry]] = {}

    def add(rows):
        for r in rows:
            entry = TaxEntry(enterprise_id=r.id, credit_code=r.credit_code, group=r.group_name or "",
                             group_head=bool(r.group_head), in_business=True, amount=r.local_retained)
            found.setdefault(group_key(entry), []).append(entry)

    for k in range(0, len(solos), 500):
        add(db.session.execute(active.where(Enterprise.id.in_(solos[k:k + 500]))))
    for k in range(0, len(groups), 500):
        chunk = groups[k:k + 500]
        add(db.session.execute(active.where(Enterprise.group_name.in_(chunk), Enterprise.group_head.is_(True))))
        place = func.row_number().over(partition_by=Enterprise.group_name,
                                       order_by=(TaxRecord.local_retained.desc(), Enterprise.credit_code)).label("place")
        ranked = active.where(Enterprise.group_name.in_(chunk)).add_columns(place).subquery()
        add(db.session.execute(select(ranked).where(ranked.c.place == 1)))
    return found
