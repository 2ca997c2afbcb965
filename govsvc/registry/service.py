"""Registry queries: list filters and the top-taxpayer list."""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Integer, Row, and_, bindparam, case, func, or_, select

from govsvc.extensions import db
from govsvc.registry.models import Enterprise, Person, TaxRecord, Unit
from scoring.taxpayers import GroupTotal, RankedTaxpayer, TaxEntry, rank_groups


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


def top_taxpayers(year: int, n: int = 200) -> list[tuple[RankedTaxpayer, Row]]:
    """The list for `year`: ranked by local retained tax of year − 1 (上年度), groups together.
    Each entry comes with a plain row of the enterprise's columns (id, credit_code, name,
    head_name, …; not an ORM object) for the enterprise that stands for it.

    Groups and enterprises outside any group are read apart. The database sums each group in
    whole fen (exact in both databases: SQLite adds integral REALs exactly up to 2^53 fen) and
    returns the groups with a member in business in order of their totals, with the largest
    amount of a head in business and of a member in business; only the groups that reach the
    n-th total are looked at further, and of each only the members that may stand for it (its
    heads in business with the largest head amount or, with no head in business, its members in
    business with the largest amount) are read. An enterprise has one tax row a year (enterprise
    + year is unique), so one outside a group has its own amount as its total: those in business
    are read by amount, largest first (an index on year and amount), and no further than the
    first whose amount n entries already exceed; the n + 1 largest at most, and should the last
    two of those tie, every enterprise of that amount. The pure core
    (scoring.taxpayers.rank_groups) then picks each representative, merges the two lists and
    breaks ties, exactly as rank_taxpayers does over every row (a property test holds the two
    equal)."""
    if n <= 0:
        return [(r, None) for r in rank_groups([], n)]
    group_sql, member_sql, solo_sql, tie_sql = _top_statements()
    conn = db.session.connection()
    tax_year = year - 1
    chosen: dict[str, tuple[Decimal, int, Decimal, bool]] = {}   # name → total, members, amount, head
    last = None
    totals = conn.execute(group_sql, {"tax_year": tax_year})
    for name, total_fen, members, head_amount, active_amount in totals:
        total = Decimal(int(total_fen)).scaleb(-2)
        if len(chosen) >= n and total != last:
            break
        heads = head_amount is not None
        chosen[name] = (total, members, head_amount if heads else active_amount, heads)
        last = total
    totals.close()
    row_of: dict[int, Row] = {}
    candidates: dict[str, list[TaxEntry]] = {name: [] for name in chosen}
    names = list(chosen)
    for k in range(0, len(names), 500):
        chunk = names[k:k + 500]
        for row in conn.execute(member_sql, {"tax_year": tax_year, "names": chunk,
                                             "amounts": sorted({chosen[name][2] for name in chunk})}):
            _, _, largest, heads = chosen[row.group_name]
            if row.local_retained == largest and (row.group_head or not heads):
                row_of[row.id] = row
                candidates[row.group_name].append(TaxEntry(row.id, row.credit_code, row.group_name,
                                                           bool(row.group_head), True, row.local_retained))
    groups = [GroupTotal(total, members, tuple(candidates[name])) for name, (total, members, _, _) in chosen.items()]
    group_totals = [total for total, _, _, _ in chosen.values()]   # largest first
    solos: list[Row] = []
    above = 0            # groups with a larger total than the current amount
    solos_above = 0      # enterprises read with a larger amount than the current one
    result = conn.execute(solo_sql, {"tax_year": tax_year, "n": n + 1})
    for row in result:
        amount = row.local_retained
        if solos and amount < solos[-1].local_retained:
            solos_above = len(solos)
        while above < len(group_totals) and group_totals[above] > amount:
            above += 1
        if above + solos_above >= n:   # n entries rank before this one and all that follow
            break
        solos.append(row)
    else:
        if len(solos) == n + 1 and solos[-1].local_retained == solos[-2].local_retained:
            seen = {row.id for row in solos}   # the cut may have fallen among equal amounts
            solos += [row for row in conn.execute(tie_sql, {"tax_year": tax_year, "amount": solos[-1].local_retained})
                      if row.id not in seen]
    result.close()
    for row in solos:
        row_of[row.id] = row
        groups.append(GroupTotal(row.local_retained, 1,
                                 (TaxEntry(row.id, row.credit_code, "", False, True, row.local_retained),)))
    return [(r, row_of[r.enterprise_id]) for r in rank_groups(groups, n)]


@lru_cache(maxsize=1)
def _top_statements():
    """top_taxpayers' statements, built once: the groups with a member in business by total (in
    fen), with the largest amount of a head in business and of a member in business; the members
    in business of some groups with some amounts; the enterprises in business outside any group by
    amount, at most n; those of one amount. `local_retained IS NOT NULL` (always true) lets all
    but the first use the partial index on (year, local_retained, enterprise_id); the group sums
    keep to the index on year, which reads the rows in table order."""
    amount = TaxRecord.local_retained
    in_business = Enterprise.status == "存续"
    joined = Enterprise.__table__.join(TaxRecord.__table__, TaxRecord.enterprise_id == Enterprise.id)
    tax_year = bindparam("tax_year", type_=Integer)
    fen = func.sum(func.round(amount * 100))
    active_top = func.max(case((in_business, amount)))
    group = (select(Enterprise.group_name, fen, func.count(),
                    func.max(case((and_(in_business, Enterprise.group_head), amount))), active_top)
             .select_from(joined)
             .where(TaxRecord.year == tax_year, Enterprise.group_name != "")
             .group_by(Enterprise.group_name)
             .having(active_top.is_not(None))  # someone in business
             .order_by(fen.desc()))
    rows = select(*Enterprise.__table__.c, amount).select_from(joined).where(
        TaxRecord.year == tax_year, amount.is_not(None), in_business)
    members = rows.where(amount.in_(bindparam("amounts", expanding=True, type_=amount.type)),
                         Enterprise.group_name.in_(bindparam("names", expanding=True)))
    solo = rows.where(Enterprise.group_name == "").order_by(amount.desc()).limit(bindparam("n", type_=Integer))
    tie = rows.where(Enterprise.group_name == "", amount == bindparam("amount", type_=amount.type))
    return group, members, solo, tie
