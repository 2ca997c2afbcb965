"""Periodic output of the mechanism: progress circulars of the major cases (定期通报重大案件进展情况,
seed 001), published anonymised typical cases (典型案例) and the yearly report per unit (matters
received, answered on time, late, overdue) that feeds the units' assessment (seed 000 "考核奖惩",
seed 004 "结合…考核指标对责任单位进行评价")."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timezone

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.bankruptcy.access import NotAllowed, ServiceError, is_court, is_office
from govsvc.bankruptcy.directory import member_unit_ids, office_name
from govsvc.bankruptcy.models import COORD_KINDS, TASK, Letter, Meeting, MatterInfo
from govsvc.bankruptcy.models_cases import Case, CaseEvent, ProgressCircular, TypicalCase
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter, MatterEvent
from govsvc.registry.models import Unit
from govsvc.timeutil import LOCAL_TZ, local_datetime, local_today
from scoring import bankruptcy as core


# -- progress circulars ------------------------------------------------------------------------
def circular_content(period: core.Period, today: date | None = None) -> dict:
    """What a period's circular reports: every major case open during the period (applied for,
    accepted or registered by its end, not closed before its start) with its stage and the
    progress recorded in the period, the open and overdue coordination matters of each,
    the meetings held, and the letters due in the period by reply state."""
    today = today or local_today()
    as_of = min(today, period.end)
    begun = or_(Case.applied_on <= period.end, Case.accepted_on <= period.end, Case.created_at <= _end_of(period.end))
    cases = db.session.scalars(select(Case).where(
        Case.major.is_(True), begun, or_(Case.closed_on.is_(None), Case.closed_on >= period.start))
        .order_by(Case.id)).all()
    rows = []
    for item in cases:
        events = db.session.scalars(select(CaseEvent).where(
            CaseEvent.case_id == item.id, CaseEvent.on >= period.start, CaseEvent.on <= period.end)
            .order_by(CaseEvent.on, CaseEvent.id)).all()
        matters = db.session.scalars(select(Matter).join(MatterInfo, MatterInfo.matter_id == Matter.id).where(
            MatterInfo.case_id == item.id, Matter.kind.in_(list(COORD_KINDS) + [TASK]),
            Matter.status.in_(workflow.OPEN_STATUSES))).all()
        rows.append({
            "case_id": item.id, "title": item.title, "enterprise": item.enterprise.name,
            "procedure": item.procedure_label, "stage": item.stage_label, "risk": item.risk_label,
            "court": item.court.name, "administrator": item.administrator.name if item.administrator else "",
            "employees": item.employees, "debts": str(item.debts), "assets": str(item.assets),
            "progress": [{"on": e.on.isoformat(), "stage": e.stage_label, "note": e.note} for e in events],
            "open_matters": len(matters),
            "overdue_matters": sum(1 for m in matters if m.deadline and as_of > m.deadline),
        })
    meetings = db.session.scalars(select(Meeting).where(
        Meeting.held_on >= period.start, Meeting.held_on <= period.end).order_by(Meeting.held_on)).all()
    letters = db.session.scalars(select(Letter).where(
        Letter.reply_due >= period.start, Letter.reply_due <= period.end)).all()
    states = {k: 0 for k in core.REPLY_STATES}
    for letter in letters:
        states[core.reply_state(letter.reply_due, letter.replied_on, as_of)] += 1
    return {
        "period": period.code, "period_label": period.label, "as_of": as_of.isoformat(), "cases": rows,
        "meetings": [{"tier": m.tier_label, "title": m.title, "held_on": m.held_on.isoformat(),
                      "minutes_number": m.minutes_number} for m in meetings],
        "letters": {core.REPLY_STATES[k]: v for k, v in states.items()},
    }


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def issue_circular(user, period_text: str, *, confirm: bool) -> ProgressCircular:
    """Issue a period's progress circular (numbered 府院通报〔YYYY〕N号, content frozen). One per period."""
    if not is_office(user):
        raise NotAllowed("issue circular")
    try:
        period = core.parse_period(period_text)
    except ValueError as exc:
        raise ServiceError({"period": str(exc)}) from None
    errors = {}
    today = local_today()
    if period.start > today:
        errors["period"] = "该期间尚未开始。"
    elif db.session.scalar(select(func.count()).select_from(ProgressCircular).where(ProgressCircular.period == period.code)):
        errors["period"] = f"{period.label}的通报已印发。"
    if not confirm:
        errors["confirm"] = "通报印发后内容固定、不能修改，请勾选确认。"
    if errors:
        raise ServiceError(errors)
    content = json.dumps(circular_content(period, today), ensure_ascii=False)
    for _ in range(5):
        seq = (db.session.scalar(select(func.max(ProgressCircular.seq)).where(ProgressCircular.year == today.year)) or 0) + 1
        row = ProgressCircular(year=today.year, seq=seq, period=period.code, period_label=period.label, issued_on=today,
                       content=content, issued_by_id=user.id, issuer=office_name())
        try:
            with db.session.begin_nested():
                db.session.add(row)
                db.session.flush()
        except IntegrityError:
            if db.session.scalar(select(func.count()).select_from(ProgressCircular).where(ProgressCircular.period == period.code)):
                raise ServiceError({"period": f"{period.label}的通报已印发。"}) from None
            continue
        audit.record("bankruptcy.circular.issue", target=f"bankruptcy.circular:{row.id}",
                     detail={"number": row.number, "period": period.code})
        return row
    raise RuntimeError("could not allocate a circular number")


def circular_data(circular: ProgressCircular) -> dict:
    return json.loads(circular.content)


# -- typical cases ---------------------------------------------------------------------------------
TYPICAL_FIELDS = ("title", "procedure", "summary", "practice", "significance")


def may_write_typical(user) -> bool:
    return is_court(user) or is_office(user)


def _identifying(case: Case | None) -> list[str]:
    """Words that must not appear in a published typical case: the debtor's name, short name,
    credit code, legal representative and head, the case number."""
    if case is None:
        return []
    enterprise = case.enterprise
    words = [enterprise.name, enterprise.credit_code, case.case_number or "", enterprise.legal_rep, enterprise.head_name]
    short = enterprise.name
    for suffix in ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司"):
        short = short.replace(suffix, "")
    for prefix in ("淄博市", "淄博", "山东省", "山东"):
        short = short.removeprefix(prefix)
    words.append(short)
    return [w for w in words if w and len(w) >= 2]


def anonymity_problems(fields: dict, case: Case | None) -> list[str]:
    text = "\n".join(str(fields.get(k) or "") for k in ("title", "summary", "practice", "significance"))
    return list(dict.fromkeys(w for w in _identifying(case) if w in text))


def save_typical(user, fields: dict, *, typical: TypicalCase | None = None, case: Case | None = None) -> TypicalCase:
    if not may_write_typical(user):
        raise NotAllowed("write typical case")
    if typical is not None and typical.status == "published":
        raise ServiceError({"title": "已发布的典型案例不能修改。"})
    errors = {}
    for name, label in (("title", "标题"), ("summary", "基本案情"), ("practice", "府院联动做法与成效")):
        if not (fields.get(name) or "").strip():
            errors[name] = f"请填写{label}。"
    if fields.get("procedure") not in core.PROCEDURES:
        errors["procedure"] = "请选择程序类型。"
    if errors:
        raise ServiceError(errors)
    typical = typical or TypicalCase(created_by_id=user.id)
    for name in TYPICAL_FIELDS:
        setattr(typical, name, (fields.get(name) or "").strip())
    typical.case_id = case.id if case else typical.case_id
    db.session.add(typical)
    db.session.flush()
    audit.record("bankruptcy.typical.save", target=f"bankruptcy.typical:{typical.id}")
    return typical


def publish_typical(user, typical: TypicalCase, *, confirm: bool) -> TypicalCase:
    """Publish (public page, no login). Refused while the text names the debtor (anonymisation)."""
    if not may_write_typical(user):
        raise NotAllowed("publish typical case")
    errors = {}
    if typical.status == "published":
        errors[""] = "该典型案例已发布。"
    problems = anonymity_problems({k: getattr(typical, k) for k in TYPICAL_FIELDS}, typical.case)
    if problems:
        errors["summary"] = f"案例文本中仍有可识别信息（{'、'.join(problems)}），请匿名化处理后再发布。"
    if not confirm:
        errors["confirm"] = "发布后向社会公开、不能撤回修改，请勾选确认。"
    if errors:
        raise ServiceError(errors)
    typical.status, typical.published_on, typical.published_by_id = "published", local_today(), user.id
    db.session.flush()
    audit.record("bankruptcy.typical.publish", target=f"bankruptcy.typical:{typical.id}")
    return typical


# -- yearly report per unit ---------------------------------------------------------------------------
def _done_on(matter_ids) -> dict[int, date]:
    """The local day each matter was first concluded (办结 / 函复)."""
    ids = list(matter_ids)
    done: dict[int, date] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = db.session.execute(select(MatterEvent.matter_id, func.min(MatterEvent.at)).where(
            MatterEvent.matter_id.in_(chunk), MatterEvent.to_status == workflow.CONCLUDED,
            MatterEvent.action == "").group_by(MatterEvent.matter_id))
        for matter_id, at in rows:
            done[matter_id] = local_datetime(at).date()
    return done


def unit_year_report(year: int, today: date | None = None) -> list[dict]:
    """Per unit: the letters and tasks it received in `year` (issued/assigned that year), answered
    on time, late, overdue, pending — judged on 31 December (or today within the year). Member
    units with nothing received are listed with zeros."""
    today = today or local_today()
    first, last = date(year, 1, 1), date(year, 12, 31)
    as_of = min(today, last)
    letters = db.session.scalars(select(Letter).where(Letter.issued_on >= first, Letter.issued_on <= last)).all()
    letter_items = [(x.to_unit_id, x.reply_due, x.replied_on) for x in letters]
    tasks = db.session.scalars(select(Matter).where(
        Matter.module == "bankruptcy", Matter.kind == TASK, Matter.created_at >= _start_utc(first),
        Matter.created_at <= _end_of(last))).all()
    done = _done_on([t.id for t in tasks])
    task_items = [(t.responsible_unit_id, t.deadline, done.get(t.id)) for t in tasks]
    letter_stats = core.unit_year_stats(letter_items, as_of)
    task_stats = core.unit_year_stats(task_items, as_of)
    combined = core.unit_year_stats(letter_items + task_items, as_of)
    unit_ids = set(combined) | member_unit_ids()
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))} if unit_ids else {}
    rows = []
    for unit_id in sorted(units, key=lambda i: units[i].code):
        rows.append({"unit": units[unit_id], "letters": letter_stats.get(unit_id, core.UnitYear()),
                     "tasks": task_stats.get(unit_id, core.UnitYear()), "total": combined.get(unit_id, core.UnitYear())})
    rows.sort(key=lambda r: (-(r["total"].overdue + r["total"].late), r["unit"].code))
    return rows


def _start_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def report_years() -> list[int]:
    years = set(db.session.scalars(select(Letter.year).distinct()))
    years.add(local_today().year)
    return sorted(years, reverse=True)

