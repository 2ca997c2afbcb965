"""The retaliation watch (rule: `scoring.retaliation`): after an enterprise complains that a unit
broke the exemption, or objects to its grade, its inspections by the unit concerned are watched for
12 months. A flagged rise becomes, once per (complaint or objection, unit):

* a matter for the justice bureau (module `inspections`, kind `retaliation`, high priority, 30 days),
* a referral to the discipline commission (module `integrity`, kind `clue.referral`, source
  司法局移送, ref `portal.retaliation:<id>`, responsible unit = the unit), like the grading
  complaint's referral.

Inspections are the results units record (drafts and filed alike: a visit happened either way).
The scan runs whenever a unit records a result for the enterprise, and justice can re-run it for
every open watch (/portal/flags).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from govsvc import audit
from govsvc.extensions import db
from govsvc.grading.models import Complaint, Objection
from govsvc.inspections.access import system_unit_ids
from govsvc.inspections.grades import current_grades
from govsvc.inspections.models import InspectionResult
from govsvc.ledger.service import create_matter
from govsvc.portal.models import RetaliationFlag
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import LOCAL_TZ, local_datetime, local_today
from scoring import retaliation as rule

HANDLING_DAYS = 30


def _units_watched(unit_id: int) -> frozenset:
    unit = db.session.get(Unit, unit_id)
    return frozenset(system_unit_ids(unit) if unit.level == "city" else [unit.id])


def watches(enterprise_id: int | None = None, today: date | None = None) -> list[tuple[rule.Watch, str, int, int]]:
    """(watch, source, source id, unit id) of complaints and objections filed in the last 12 months."""
    today = today or local_today()
    since = today - timedelta(days=rule.WINDOW_DAYS + 1)
    out = []
    complaints = select(Complaint).where(Complaint.created_at >= local_datetime_start(since))
    objections = select(Objection).where(Objection.created_at >= local_datetime_start(since))
    if enterprise_id is not None:
        complaints = complaints.where(Complaint.enterprise_id == enterprise_id)
        objections = objections.where(Objection.enterprise_id == enterprise_id)
    for c in db.session.scalars(complaints):
        start = local_datetime(c.created_at).date()
        out.append((rule.Watch(("complaint", c.id, c.unit_id), c.enterprise_id, _units_watched(c.unit_id), start),
                    "complaint", c.id, c.unit_id))
    for o in db.session.scalars(objections):
        start = local_datetime(o.created_at).date()
        unit_ids = [o.unit_id] if o.unit_id else [p.unit_id for p in o.round.units]
        for unit_id in unit_ids:
            out.append((rule.Watch(("objection", o.id, unit_id), o.enterprise_id, _units_watched(unit_id), start),
                        "objection", o.id, unit_id))
    return out


def local_datetime_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def _visits(units: frozenset, start: date) -> list[rule.Visit]:
    first, last = start - timedelta(days=rule.WINDOW_DAYS), start + timedelta(days=rule.WINDOW_DAYS)
    rows = db.session.execute(select(InspectionResult.enterprise_id, InspectionResult.unit_id,
                                     InspectionResult.inspected_on)
                              .where(InspectionResult.unit_id.in_(list(units)),
                                     InspectionResult.inspected_on >= first, InspectionResult.inspected_on <= last))
    return [rule.Visit(e, u, d) for e, u, d in rows]


def _groups(start: date) -> dict[int, str]:
    grades = current_grades(start)
    ids = db.session.scalars(select(Enterprise.id))
    return {i: grades.get(i, "") for i in ids}


def scan(enterprise_id: int | None = None, today: date | None = None) -> list[RetaliationFlag]:
    """Measure the open watches (of one enterprise, or all) and flag new rises."""
    today = today or local_today()
    found = []
    groups_cache: dict[date, dict[int, str]] = {}
    for watch, source, source_id, unit_id in watches(enterprise_id, today):
        if db.session.scalar(select(RetaliationFlag.id).where(RetaliationFlag.source == source,
                                                              RetaliationFlag.source_id == source_id,
                                                              RetaliationFlag.unit_id == unit_id)):
            continue
        groups = groups_cache.setdefault(watch.start, _groups(watch.start))
        rise = rule.measure(watch, _visits(watch.units, watch.start), groups, today)
        if rise is not None and rise.flagged:
            found.append(_flag(rise, source, source_id, unit_id))
    return found


def _flag(rise: rule.Rise, source: str, source_id: int, unit_id: int) -> RetaliationFlag:
    watch = rise.watch
    enterprise = db.session.get(Enterprise, watch.enterprise)
    unit = db.session.get(Unit, unit_id)
    what = "投诉" if source == "complaint" else "评级异议"
    flag = RetaliationFlag(source=source, source_id=source_id, enterprise_id=enterprise.id, unit_id=unit_id,
                           start=watch.start, after=rise.after, before=rise.before, elapsed=rise.elapsed,
                           peer_median=str(rise.peer_median))
    db.session.add(flag)
    db.session.flush()
    facts = (f"企业：{enterprise.name}（{enterprise.credit_code}）\n{what}第 {source_id} 号，{watch.start} 提出。\n"
             f"{unit.name}（含所属区县单位）此后 {rise.elapsed} 天内检查该企业 {rise.after} 次；"
             f"此前 12 个月 {rise.before} 次；同评级企业同期检查次数中位数 {rise.peer_median}（{rise.peers} 家）。\n"
             "按打击报复监测规则（检查频次高于企业自身此前水平且高于同评级企业中位数）提示，请核查是否存在打击报复。")
    matter = create_matter(module="inspections", kind="retaliation", title=f"打击报复监测：{unit.name}对{enterprise.name}检查增多",
                           description=facts, source="扫码入企监测", ref=f"portal.retaliation:{flag.id}",
                           deadline=local_today() + timedelta(days=HANDLING_DAYS), priority="high")
    referral = create_matter(module="integrity", kind="clue.referral", source="司法局移送",
                             ref=f"portal.retaliation:{flag.id}",
                             title=f"{unit.name}涉嫌对{what}企业打击报复（{enterprise.name}）", description=facts,
                             responsible_unit_id=unit_id)
    flag.matter_id, flag.referral_id = matter.id, referral.id
    db.session.flush()
    audit.record("portal.retaliation.flagged", target=f"portal_retaliation_flag:{flag.id}",
                 detail={"unit": unit.code, "after": rise.after, "before": rise.before})
    return flag


def flags_query():
    return select(RetaliationFlag).order_by(RetaliationFlag.flagged_at.desc(), RetaliationFlag.id.desc())
