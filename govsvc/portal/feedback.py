"""What confirmations and ratings feed: the quarterly circular's figures (frozen when it is issued)
and a department's own page of the annual survey. Departments see counts, averages and comments,
never which enterprise said what."""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from govsvc.extensions import db
from govsvc.inspections.access import system_unit_ids
from govsvc.portal.models import Visit
from govsvc.registry.models import Unit

FIGURES = (("confirmed", "扫码确认"), ("unfiled", "企业报告未备案检查"), ("ratings", "评价数"),
           ("conduct", "作风平均分"), ("burden", "负担平均分"))


def average(values: list[int]) -> str:
    if not values:
        return ""
    return str((Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _summarise(visits) -> dict:
    rated = [v for v in visits if v.rated_at is not None]
    return {"confirmed": sum(1 for v in visits if v.kind == "confirmed"),
            "unfiled": sum(1 for v in visits if v.kind == "unfiled"), "ratings": len(rated),
            "conduct": average([v.conduct for v in rated]), "burden": average([v.burden for v in rated])}


def _visits(start: date, end: date, unit_ids: list[int] | None = None) -> list[Visit]:
    stmt = select(Visit).where(Visit.visit_date >= start, Visit.visit_date <= end, Visit.unit_id.is_not(None))
    if unit_ids is not None:
        stmt = stmt.where(Visit.unit_id.in_(unit_ids))
    return list(db.session.scalars(stmt))


def circular_figures(start: date, end: date) -> dict:
    """Per unit with visits in the period: confirmations, unfiled visits enterprises reported,
    ratings and their averages (2 decimals, half up); and the totals."""
    visits = _visits(start, end)
    by_unit: dict[int, list[Visit]] = defaultdict(list)
    for visit in visits:
        by_unit[visit.unit_id].append(visit)
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(list(by_unit))))}
    rows = [{"unit": units[i].name, "code": units[i].code, **_summarise(v)} for i, v in by_unit.items()]
    rows.sort(key=lambda r: r["code"])
    return {"rows": rows, "totals": _summarise(visits)}


def department_feedback(unit_id: int | None, year: int) -> dict | None:
    """A department's (and its county units') confirmations and ratings in a calendar year, with the
    comments, anonymous and in random order."""
    if unit_id is None:
        return None
    unit = db.session.get(Unit, unit_id)
    ids = system_unit_ids(unit) if unit.level == "city" else [unit.id]
    visits = _visits(date(year, 1, 1), date(year, 12, 31), ids)
    comments = [v.comment for v in visits if v.comment]
    random.SystemRandom().shuffle(comments)
    return {"year": year, **_summarise(visits), "comments": comments}
