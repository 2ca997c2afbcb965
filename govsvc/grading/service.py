"""Grading rounds: create, rules, unit submissions, combined grading, adjustment, approval,
publication — and the published grades other modules read (`published_grades`).

Services flush and never commit; the request (or CLI command) commits once.
"""
from __future__ import annotations

import json
from datetime import date

import numpy as np
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from govsvc import audit
from govsvc.extensions import db
from govsvc.grading.inputs import grade_round, insert_plain
from govsvc.grading.models import (COMPUTED, DRAFT, PUBLISHED, RETURNED, SUBMITTED, GradeChange, GradingResult,
                                   GradingRound, RoundUnit, UnitGrade)
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_datetime, utcnow
from scoring import grading as core

EDITABLE = (DRAFT, COMPUTED, RETURNED)
DEFAULT_RULES_TOML = core.rules_to_toml(core.DEFAULT_RULES)


class GradingError(ValueError):
    """A refused action; the message is for the user (Chinese). `field`: the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _actor(user) -> tuple[int | None, str]:
    return (user.id, user.username) if user is not None else (None, "")


# -- rounds -------------------------------------------------------------------------------------
def grading_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.grading.is_(True)).order_by(Unit.code)))


def create_round(year: int, rules_toml: str, *, user=None, note: str = "") -> GradingRound:
    rules = parse_rules(rules_toml)
    units = grading_units()
    if not units:
        raise GradingError("登记库中没有参与评级的单位：请先在单位名录中标记“参与评级”。")
    grading_round = GradingRound(year=year, rules_toml=core.rules_to_toml(rules), note=note,
                                 created_by_id=_actor(user)[0])
    grading_round.units = [RoundUnit(unit_id=u.id) for u in units]
    try:
        with db.session.begin_nested():
            db.session.add(grading_round)
            db.session.flush()
    except IntegrityError:
        raise GradingError(f"{year} 年度的评级已经存在。") from None
    audit.record("grading.round.create", target=f"grading_round:{grading_round.id}",
                 detail={"year": year, "units": [u.code for u in units]})
    from govsvc.grading import steps

    steps.open_steps(grading_round, user=user)
    return grading_round


def parse_rules(text: str) -> core.Rules:
    try:
        return core.parse_rules(text)
    except core.RulesError as exc:
        raise GradingError(str(exc)) from None


def lock(obj) -> None:
    """Take `obj`'s row lock and reload it (SELECT … FOR UPDATE on PostgreSQL; SQLite writers are
    serialised by BEGIN IMMEDIATE), so two requests acting on the same round or matter take turns
    and the second sees what the first did. The lock is taken on the bare row: PostgreSQL refuses
    FOR UPDATE across the outer joins of eagerly loaded relationships."""
    model = type(obj)
    db.session.execute(select(model.id).where(model.id == obj.id).with_for_update())
    db.session.refresh(obj)


def require_editable(grading_round: GradingRound) -> None:
    lock(grading_round)
    if grading_round.status not in EDITABLE:
        raise GradingError(f"评级当前为“{grading_round.status_label}”，不能修改。")


def _reopen(grading_round: GradingRound) -> None:
    """Inputs changed after the combined grading: its results are stale, compute again.
    Adjustments are kept (GradeChange) and applied again by the next computation."""
    if grading_round.status in (COMPUTED, RETURNED):
        db.session.execute(delete(GradingResult).where(GradingResult.round_id == grading_round.id))
        grading_round.status = DRAFT
        grading_round.computed_at = None


def set_rules(grading_round: GradingRound, rules_toml: str, *, user=None) -> None:
    require_editable(grading_round)
    canonical = core.rules_to_toml(parse_rules(rules_toml))
    if canonical == grading_round.rules_toml:
        return
    for code in parse_rules(canonical).units:
        if code not in {ru.unit.code for ru in grading_round.units}:
            raise GradingError(f"单位 {code} 不参与本年度评级。")
    audit.record("grading.rules", target=f"grading_round:{grading_round.id}",
                 detail={"before": grading_round.rules_toml, "after": canonical})
    grading_round.rules_toml = canonical
    _reopen(grading_round)
    db.session.flush()


def round_unit(grading_round: GradingRound, unit_id: int) -> RoundUnit | None:
    return next((ru for ru in grading_round.units if ru.unit_id == unit_id), None)


def submit_rule(grading_round: GradingRound, part: RoundUnit, *, user=None) -> None:
    """The unit grades by its rule (its earlier uploaded list, if any, is dropped)."""
    require_editable(grading_round)
    db.session.execute(delete(UnitGrade).where(UnitGrade.round_id == grading_round.id,
                                               UnitGrade.unit_id == part.unit_id))
    mark_submitted(grading_round, part, "rule", user)


def mark_submitted(grading_round: GradingRound, part: RoundUnit, method: str, user) -> None:
    part.method = method
    part.submitted_at = utcnow()
    part.submitted_by = _actor(user)[1]
    _reopen(grading_round)
    db.session.flush()
    from govsvc.grading import steps

    steps.close_step(grading_round.id, part.unit_id, "已报送本部门评级评价名单。", user=user)
    audit.record("grading.unit.submit", target=f"grading_round:{grading_round.id}",
                 detail={"unit": part.unit.code, "method": method})


def missing_units(grading_round: GradingRound) -> list[RoundUnit]:
    return [ru for ru in grading_round.units if ru.method is None]


# -- the combined grading -----------------------------------------------------------------------
def compute(grading_round: GradingRound, *, user=None) -> dict[str, int]:
    """Run the combined grading: every enterprise in scope, graded by every unit (its rule on
    its records, or its list), combined by the round's rule; earlier adjustments kept."""
    lock(grading_round)
    if grading_round.status not in EDITABLE:
        raise GradingError(f"评级当前为“{grading_round.status_label}”，不能重新评定。")
    waiting = missing_units(grading_round)
    if waiting:
        raise GradingError("以下单位尚未提交本单位评级：" + "、".join(ru.unit.name for ru in waiting))
    result = grade_round(grading_round)
    ids = result.enterprise_ids
    grading = result.grading
    scoped = np.flatnonzero(grading.scope).tolist()
    adjusted = latest_adjustments(grading_round.id)
    texts = grading.unit_grades_texts()
    codes = grading.unit_codes
    db.session.execute(delete(GradingResult).where(GradingResult.round_id == grading_round.id))
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    letters = [core.GRADES[g] if g >= 0 else "" for g in grading.grade.tolist()]
    rows = []
    for i in scoped:
        reasons = grading.unit_reason[i]
        rows.append((grading_round.id, ids[i], letters[i], adjusted.get(ids[i], letters[i]), texts[i],
                     encode({codes[u]: text for u, text in reasons.items()}) if reasons else "{}", grading.reason[i]))
    insert_plain(GradingResult.__table__, ("round_id", "enterprise_id", "computed_grade", "grade", "unit_grades",
                                            "unit_reasons", "reason"), rows)
    grading_round.status = COMPUTED
    grading_round.computed_at = utcnow()
    counts = grading.counts()
    audit.record("grading.compute", target=f"grading_round:{grading_round.id}",
                 detail={"year": grading_round.year, **counts, "adjusted": len(adjusted)})
    db.session.flush()
    return counts


def latest_adjustments(round_id: int) -> dict[int, str]:
    """enterprise id → grade of its latest manual adjustment before publication."""
    rows = db.session.execute(select(GradeChange.enterprise_id, GradeChange.to_grade)
                              .where(GradeChange.round_id == round_id, GradeChange.kind == "adjust",
                                     GradeChange.after_publication.is_(False))
                              .order_by(GradeChange.at, GradeChange.id))
    return {eid: grade for eid, grade in rows}


def result_of(grading_round: GradingRound, enterprise_id: int) -> GradingResult | None:
    return db.session.scalar(select(GradingResult).where(GradingResult.round_id == grading_round.id,
                                                         GradingResult.enterprise_id == enterprise_id))


def change_grade(result: GradingResult, to_grade: str, *, kind: str, reason: str, user) -> GradeChange:
    """Every manual change of a grade: a written reason, a GradeChange row, an audit entry."""
    reason = (reason or "").strip()
    if not reason:
        raise GradingError("调整评级必须填写理由。")
    if to_grade not in core.GRADES:
        raise GradingError("评级只能为 A、B 或 C。")
    if to_grade == result.grade:
        raise GradingError(f"该企业当前已是 {to_grade} 类。")
    user_id, username = _actor(user)
    change = GradeChange(round_id=result.round_id, enterprise_id=result.enterprise_id, kind=kind,
                         from_grade=result.grade, to_grade=to_grade, reason=reason,
                         after_publication=result.round.status == PUBLISHED, user_id=user_id, username=username)
    db.session.add(change)
    result.grade = to_grade
    db.session.flush()
    audit.record(f"grading.{kind}", target=f"grading_round:{result.round_id}/enterprise:{result.enterprise_id}",
                 detail={"from": change.from_grade, "to": to_grade, "reason": reason})
    return change


def adjust(grading_round: GradingRound, enterprise_id: int, to_grade: str, reason: str, *, user) -> GradeChange:
    """Justice's manual adjustment of a computed grade, before the list goes to the leader."""
    lock(grading_round)
    if grading_round.status not in (COMPUTED, RETURNED):
        raise GradingError(f"评级当前为“{grading_round.status_label}”，不能人工调整。")
    result = result_of(grading_round, enterprise_id)
    if result is None:
        raise GradingError("该企业不在本年度评级名单中。")
    return change_grade(result, to_grade, kind="adjust", reason=reason, user=user)


def changes_of(round_id: int, enterprise_id: int) -> list[GradeChange]:
    return list(db.session.scalars(select(GradeChange).where(GradeChange.round_id == round_id,
                                                             GradeChange.enterprise_id == enterprise_id)
                                   .order_by(GradeChange.at, GradeChange.id)))


# -- approval and publication -------------------------------------------------------------------
def submit(grading_round: GradingRound, *, user) -> None:
    lock(grading_round)
    if grading_round.status not in (COMPUTED, RETURNED):
        raise GradingError("只有已综合评定的评级才能报送审定。")
    grading_round.status = SUBMITTED
    grading_round.submitted_at = utcnow()
    db.session.flush()
    audit.record("grading.submit", target=f"grading_round:{grading_round.id}", detail={"year": grading_round.year})


def approve(grading_round: GradingRound, *, user) -> None:
    """The leader's approval publishes the list (经市委、市政府审定通过后向社会公开)."""
    lock(grading_round)
    if grading_round.status != SUBMITTED:
        raise GradingError("只有待审定的评级才能审定公布。")
    db.session.execute(update(GradingResult).where(GradingResult.round_id == grading_round.id)
                       .values(published_grade=GradingResult.grade))
    grading_round.status = PUBLISHED
    grading_round.published_at = utcnow()
    grading_round.approved_by_id = _actor(user)[0]
    grading_round.return_note = ""
    db.session.flush()
    from govsvc.grading import steps

    steps.close_step(grading_round.id, None, "经市委、市政府审定，评级评价名单已向社会公布。", user=user)
    db.session.expire_all()
    audit.record("grading.publish", target=f"grading_round:{grading_round.id}", detail={"year": grading_round.year})


def return_round(grading_round: GradingRound, note: str, *, user) -> None:
    lock(grading_round)
    if grading_round.status != SUBMITTED:
        raise GradingError("只有待审定的评级才能退回。")
    if not (note or "").strip():
        raise GradingError("退回必须说明理由。")
    grading_round.status = RETURNED
    grading_round.return_note = note.strip()
    db.session.flush()
    audit.record("grading.return", target=f"grading_round:{grading_round.id}", detail={"note": note.strip()})


def counts(grading_round: GradingRound) -> dict[str, int]:
    rows = db.session.execute(select(GradingResult.grade, func.count()).where(GradingResult.round_id == grading_round.id)
                              .group_by(GradingResult.grade))
    found = dict(rows.all())
    return {g: found.get(g, 0) for g in core.GRADES}


# -- what other modules read --------------------------------------------------------------------
def published_round(on: date | None = None) -> GradingRound | None:
    """The grading in force: the latest grading year published (on or before `on`)."""
    rounds = db.session.scalars(select(GradingRound).where(GradingRound.status == PUBLISHED)
                                .order_by(GradingRound.year.desc(), GradingRound.published_at.desc()))
    for candidate in rounds:
        if on is None or local_datetime(candidate.published_at).date() <= on:
            return candidate
    return None


def published_grades(on: date | None = None) -> dict[int, str]:
    """enterprise id → 'A' | 'B' | 'C' in the published grading in force on `on` (default: now),
    with the changes published after it (dynamic downgrades, upheld objections) up to that day.
    Enterprises outside the list are absent (not restricted)."""
    grading_round = published_round(on)
    if grading_round is None:
        return {}
    if on is None:
        return dict(db.session.execute(select(GradingResult.enterprise_id, GradingResult.grade)
                                       .where(GradingResult.round_id == grading_round.id)).all())
    grades = dict(db.session.execute(select(GradingResult.enterprise_id, GradingResult.published_grade)
                                     .where(GradingResult.round_id == grading_round.id)).all())
    changes = db.session.scalars(select(GradeChange).where(GradeChange.round_id == grading_round.id,
                                                           GradeChange.after_publication.is_(True))
                                 .order_by(GradeChange.at, GradeChange.id))
    for change in changes:
        if local_datetime(change.at).date() <= on:
            grades[change.enterprise_id] = change.to_grade
    return grades


def published_grade(enterprise_id: int, on: date | None = None) -> str | None:
    """One enterprise's grade in the published grading in force on `on` (None: not on the list)."""
    grading_round = published_round(on)
    result = result_of(grading_round, enterprise_id) if grading_round else None
    if result is None or on is None:
        return result.grade if result else None
    grade = result.published_grade
    for change in changes_of(grading_round.id, enterprise_id):
        if change.after_publication and local_datetime(change.at).date() <= on:
            grade = change.to_grade
    return grade


# -- lists and figures --------------------------------------------------------------------------
def _filtered(stmt, *, q: str = "", grade: str = "", district: str = "", industry: str = "", changed: bool = False):
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper())))
    if grade in core.GRADES:
        stmt = stmt.where(GradingResult.grade == grade)
    if district:
        stmt = stmt.where(Enterprise.district == district)
    if industry:
        stmt = stmt.where(Enterprise.industry == industry)
    if changed:
        stmt = stmt.where(GradingResult.grade != GradingResult.computed_grade)
    return stmt.order_by(Enterprise.credit_code)


def results_query(grading_round: GradingRound, *, q: str = "", grade: str = "", district: str = "", industry: str = "",
                  changed: bool = False):
    stmt = (select(GradingResult).join(GradingResult.enterprise)
            .where(GradingResult.round_id == grading_round.id))
    stmt = _filtered(stmt, q=q, grade=grade, district=district, industry=industry, changed=changed)
    # the explicit join feeds the relationship too (no second, eager join of enterprises)
    return stmt.options(contains_eager(GradingResult.enterprise))


def result_districts(grading_round: GradingRound) -> list[str]:
    return _result_districts(grading_round.id)


def _result_districts(round_id: int) -> list[str]:
    return [d for d in db.session.scalars(select(Enterprise.district).join(GradingResult, GradingResult.enterprise_id == Enterprise.id)
                                          .where(GradingResult.round_id == round_id)
                                          .distinct().order_by(Enterprise.district)) if d]


# What every view of a published list shows above it (the A/B/C counts, the districts to filter by):
# two aggregate queries over the whole round, so they are kept per worker process, keyed by the
# round's latest grade change (a downgrade, an objection's answer, an adjustment shows at once),
# and read again after PUBLIC_FACTS_SECONDS (an enterprise's district corrected in the registry).
PUBLIC_FACTS_SECONDS = 120.0
_public_facts: dict[tuple, tuple[tuple, float, dict[str, int], list[str]]] = {}


def _public_version(grading_round: GradingRound) -> tuple:
    last_change = db.session.scalar(select(func.max(GradeChange.id)).where(GradeChange.round_id == grading_round.id))
    return grading_round.published_at, last_change


def public_facts(grading_round: GradingRound) -> tuple[dict[str, int], list[str]]:
    """(counts by grade, districts) of a round, computed once per change of its grades."""
    import time

    key = (str(db.engine.url), grading_round.id)
    version = _public_version(grading_round)
    now = time.monotonic()
    cached = _public_facts.get(key)
    if cached is None or cached[0] != version or cached[1] < now:
        cached = (version, now + PUBLIC_FACTS_SECONDS, counts(grading_round), _result_districts(grading_round.id))
        _public_facts[key] = cached
    return dict(cached[2]), list(cached[3])


# The published list as a file: its five columns read as plain rows (no ORM object per row), the
# file built once and kept per worker under the same version and lifetime as the facts above, for
# each filter without a search text (a search's file is small and built each time). A few files
# per worker at most: a city's CSV is about 10 MB.
PUBLIC_HEADER = ("统一社会信用代码", "企业名称", "区县", "行业", "评级")
PUBLIC_FILES_KEPT = 6
_public_files: dict[tuple, tuple[tuple, float, bytes]] = {}


def public_rows(grading_round: GradingRound, *, q: str = "", grade: str = "", district: str = "",
                industry: str = "") -> list[tuple]:
    stmt = (select(Enterprise.credit_code, Enterprise.name, Enterprise.district, Enterprise.industry, GradingResult.grade)
            .join(GradingResult, GradingResult.enterprise_id == Enterprise.id)
            .where(GradingResult.round_id == grading_round.id))
    return [tuple(row) for row in db.session.execute(
        _filtered(stmt, q=q, grade=grade, district=district, industry=industry))]


def public_file(grading_round: GradingRound, fmt: str, *, q: str = "", grade: str = "", district: str = "",
                industry: str = "") -> bytes:
    """The published list (with the page's filters) as CSV or XLSX bytes."""
    import time

    from govsvc.exports import csv_bytes, xlsx_bytes

    def build() -> bytes:
        rows = public_rows(grading_round, q=q, grade=grade, district=district, industry=industry)
        return xlsx_bytes(PUBLIC_HEADER, rows) if fmt == "xlsx" else csv_bytes(PUBLIC_HEADER, rows)

    if q:
        return build()
    key = (str(db.engine.url), grading_round.id, fmt, grade, district, industry)
    version, now = _public_version(grading_round), time.monotonic()
    cached = _public_files.get(key)
    if cached is None or cached[0] != version or cached[1] < now:
        cached = (version, now + PUBLIC_FACTS_SECONDS, build())
        _public_files.pop(key, None)
        while len(_public_files) >= PUBLIC_FILES_KEPT:
            _public_files.pop(next(iter(_public_files)))
        _public_files[key] = cached
    return cached[2]
