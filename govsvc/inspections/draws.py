"""The random draw (双随机一公开) for a draw-task item of an accepted plan.

1. Prepare: the eligible enterprises (in business, in the chosen district/industry, A excluded,
   B already at its cap for the category and year excluded) and the inspector pool (officials of
   the unit, and for a city unit those of its county units) are frozen and published with the
   SHA-256 commitment of a fresh random seed. The seed is fixed before anyone sees a result,
   and the lists are fixed before anyone learns the seed.
2. Draw: the seed is revealed and the outcome computed by `scoring.inspections.draw`, which
   anyone can re-run from the published seed and lists. One draw per task: no re-rolls.
"""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.extensions import db
from govsvc.inspections import grades
from govsvc.inspections.access import NotAllowed, ServiceError, department_unit, system_unit_ids
from govsvc.inspections.models import Draw, DrawCandidate, DrawInspector, DrawRecusal, PlanItem
from govsvc.inspections.categories import active_pairs
from govsvc.inspections.plans import held_counts, local_day
from govsvc.registry.models import Enterprise, Person, Unit
from govsvc.timeutil import utcnow
from scoring import inspections as core

TEAM_SEPARATOR = "；"


def candidates(district: str = "", industry: str = "") -> list[Enterprise]:
    stmt = select(Enterprise).where(Enterprise.status == "存续")
    if district:
        stmt = stmt.where(Enterprise.district == district)
    if industry:
        stmt = stmt.where(Enterprise.industry == industry)
    return list(db.session.scalars(stmt.order_by(Enterprise.credit_code)))


def inspector_code(person: Person) -> str:
    return f"{person.unit.code}-{person.id:05d}"


def inspector_pool(unit: Unit) -> list[Person]:
    """The officials of the unit; a city unit's pool also holds its county units' officials."""
    ids = system_unit_ids(unit) if unit.level == "city" else [unit.id]
    people = db.session.scalars(select(Person).where(Person.unit_id.in_(ids)))
    return sorted(people, key=inspector_code)


def prepare_draw(user, item: PlanItem, *, district: str = "", industry: str = "", per_team: int = 2,
                 max_load: int | None = None, at: datetime | None = None, seed: str | None = None) -> Draw:
    """Freeze the lists (candidates with their weights, inspectors, recusals) and the draw's rules
    (C's weight from the grading in force, the per-inspector limit: `max_load`, default the
    smallest the draw can always honour) and commit to a fresh random seed (`seed` only for
    reproducible demo data)."""
    unit = department_unit(user)
    if item.plan.unit_id != unit.id:
        raise NotAllowed("draw for another unit's plan")
    if not item.is_draw_task:
        raise ServiceError("该事项已指定企业，不是双随机抽取任务。")
    if not item.usable:
        raise ServiceError("计划经司法局备案、事项审核通过后才能抽取。")
    if item.draw is not None:
        raise ServiceError("该事项已经抽取过（每个任务只抽取一次）。")
    if not 1 <= per_team <= 10:
        raise ServiceError("每组执法人员应为 1–10 人。", "per_team")
    at = at or utcnow()
    pool = candidates(district, industry)
    table = grades.current_grades(local_day(at))
    policy = grades.current_policy(local_day(at))
    by_id = {e.id: e for e in pool}
    year = item.planned_date.year
    eligible, excluded = core.eligible_enterprises(list(by_id), table, item.category, year, held_counts({year}),
                                                   level=unit.level, a_scope=policy.a_scope)
    if len(eligible) < item.draw_count:
        raise ServiceError(f"符合条件的企业只有 {len(eligible)} 家，少于计划抽取的 {item.draw_count} 家；"
                           "请放宽区县或行业范围。", "district")
    people = inspector_pool(unit)
    if len(people) < per_team:
        raise ServiceError(f"本单位执法人员库只有 {len(people)} 人，少于每组 {per_team} 人。", "per_team")
    floor = core.even_load(item.draw_count, per_team, len(people))
    if max_load is None:
        max_load = floor
    elif not 1 <= max_load <= 100:
        raise ServiceError("每人最多参加的检查组数应为 1–100。", "max_load")
    pairs = active_pairs([p.id for p in people], eligible)
    blocked = {}
    for person_id, enterprise_id in pairs:
        blocked[enterprise_id] = blocked.get(enterprise_id, 0) + 1
    short = [by_id[e].name for e, n in blocked.items() if len(people) - n < per_team]
    if short:
        raise ServiceError(f"执法人员回避后，{short[0]}等 {len(short)} 家企业不足每组 {per_team} 人；"
                           "请减少每组人数或缩小范围。", "per_team")
    weights = core.grade_weights({e: table[e] for e in eligible if e in table}, policy.c_weight)
    seed = seed or secrets.token_hex(16)
    scope = "、".join(x for x in (district or "全市", industry or "全部行业") if x)
    draw = Draw(item_id=item.id, unit_id=unit.id, category=item.category, year=item.planned_date.year,
                count=item.draw_count, per_team=per_team, scope=scope, seed=seed,
                commitment=core.seed_commitment(seed), status="prepared", prepared_at=at, prepared_by_id=user.id,
                c_weight=policy.c_weight, max_load=max_load, a_scope=policy.a_scope)
    for position, enterprise in enumerate(pool, start=1):
        draw.candidates.append(DrawCandidate(position=position, enterprise_id=enterprise.id,
                                             credit_code=enterprise.credit_code, name=enterprise.name,
                                             grade=table.get(enterprise.id, ""),
                                             excluded=excluded.get(enterprise.id, ""),
                                             weight=weights.get(enterprise.id, 1)))
    codes = {}
    for position, person in enumerate(people, start=1):
        codes[person.id] = inspector_code(person)
        draw.inspectors.append(DrawInspector(position=position, person_id=person.id, code=codes[person.id],
                                             name=person.name, unit_name=person.unit.name))
    for person_id, enterprise_id in sorted(pairs):
        draw.recusals.append(DrawRecusal(code=codes[person_id], credit_code=by_id[enterprise_id].credit_code))
    try:
        with db.session.begin_nested():  # two clicks at once: the unique item_id settles it
            db.session.add(draw)
    except IntegrityError:
        raise ServiceError("该事项已经抽取过（每个任务只抽取一次）。") from None
    db.session.expire(item, ["draw"])
    audit.record("inspections.draw.prepared", target=f"inspection_draw:{draw.id}",
                 detail={"item": item.id, "commitment": draw.commitment, "eligible": len(eligible)})
    return draw


def outcome_of(draw: Draw, seed: str) -> list[core.DrawOutcome]:
    """The draw computed from `seed` and the draw's published lists and rules."""
    eligible = [c for c in draw.candidates if not c.excluded]
    return core.draw(seed, [c.credit_code for c in eligible], draw.count, [p.code for p in draw.inspectors],
                     draw.per_team, weights={c.credit_code: c.weight for c in eligible if c.weight != 1},
                     max_load=draw.max_load, recusals={(r.code, r.credit_code) for r in draw.recusals})


def run_draw(user, draw: Draw, at: datetime | None = None) -> None:
    if department_unit(user).id != draw.unit_id:
        raise NotAllowed("draw of another unit")
    at = at or utcnow()
    # The database settles a double click: only one request moves the draw out of "prepared".
    moved = db.session.execute(update(Draw).where(Draw.id == draw.id, Draw.status == "prepared")
                               .values(status="drawn", drawn_at=at)).rowcount
    if moved != 1:
        raise ServiceError("该任务已经抽取过。")
    db.session.refresh(draw)
    by_code = {c.credit_code: c for c in draw.candidates}
    for rank, outcome in enumerate(outcome_of(draw, draw.seed), start=1):
        candidate = by_code[outcome.enterprise]
        candidate.pick_rank = rank
        candidate.team = TEAM_SEPARATOR.join(outcome.inspectors)
    db.session.flush()
    audit.record("inspections.draw.drawn", target=f"inspection_draw:{draw.id}", detail={"seed": draw.seed})


def picks(draw: Draw) -> list[DrawCandidate]:
    return sorted((c for c in draw.candidates if c.pick_rank), key=lambda c: c.pick_rank)


def team_names(draw: Draw, candidate: DrawCandidate) -> list[DrawInspector]:
    by_code = {p.code: p for p in draw.inspectors}
    return [by_code[code] for code in candidate.team.split(TEAM_SEPARATOR) if code in by_code]


def public_draws_query(q: str = ""):
    """Draws are public from the moment they are prepared (lists and commitment)."""
    stmt = select(Draw).join(Draw.unit)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Unit.name.ilike(like), Draw.category.ilike(like)))
    return stmt.order_by(Draw.prepared_at.desc(), Draw.id.desc())
