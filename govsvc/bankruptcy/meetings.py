"""Meetings in three tiers (seed 000 "四、工作模式"): 联席会议 (half-yearly or yearly), 专题会议
(quarterly), 业务会议 (point to point, proposed by any member unit). A meeting has its agenda,
attendees and — once held — minutes (会议纪要) and decisions; each coordination matter on the
agenda is settled (议定: a decision with tasks), escalated to the next tier, or carried over.
Issuing the minutes numbers them (府院纪要〔YYYY〕N号) and freezes the meeting.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.bankruptcy import matters as matter_service
from govsvc.bankruptcy.access import NotAllowed, ServiceError, is_office, is_staff, sees_all, unit_scope
from govsvc.bankruptcy.directory import mechanism
from govsvc.bankruptcy.models import AgendaItem, Decision, Meeting, meeting_units, tier_of
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.registry.models import Unit
from govsvc.timeutil import local_today, utcnow
from scoring import bankruptcy as core


@dataclass
class TaskInput:
    unit: Unit
    deadline: date
    text: str


def _check_may_convene(user, tier: str) -> None:
    """Topic and joint meetings: the office. A business meeting: any member unit or staff."""
    if tier not in core.TIERS:
        raise ServiceError({"tier": "请选择会议层级。"})
    if tier != "business" and not is_office(user):
        raise NotAllowed("convene topic/joint meeting")
    if tier == "business" and not (is_staff(user) or user.has_role(R.DEPARTMENT)):
        raise NotAllowed("convene business meeting")


def may_edit(user, meeting: Meeting) -> bool:
    if meeting.status == "issued":
        return False
    if is_office(user):
        return True
    return meeting.tier == "business" and meeting.proposed_by_unit_id is not None \
        and meeting.proposed_by_unit_id == user.unit_id


def _check_edit(user, meeting: Meeting) -> None:
    if meeting.status == "issued":
        raise ServiceError({"": "会议纪要已印发，会议记录不能再修改。"})
    if not may_edit(user, meeting):
        raise NotAllowed("edit meeting")


def create_meeting(user, *, tier: str, title: str, planned_on: date, chair: str = "", location: str = "",
                   agenda: str = "", attendees: str = "", units=(), matters=()) -> Meeting:
    _check_may_convene(user, tier)
    if not title.strip():
        raise ServiceError({"title": "请填写会议名称。"})
    meeting = Meeting(tier=tier, title=title.strip(), planned_on=planned_on, chair=chair.strip(),
                      location=location.strip(), agenda=agenda.strip(), attendees=attendees.strip(),
                      created_by_id=user.id, proposed_by_unit_id=user.unit_id if tier == "business" else None)
    meeting.units = list(units)
    db.session.add(meeting)
    db.session.flush()
    for matter in matters:
        add_to_agenda(user, meeting, matter)
    audit.record("bankruptcy.meeting.create", target=f"bankruptcy.meeting:{meeting.id}", detail={"tier": tier})
    return meeting


def add_to_agenda(user, meeting: Meeting, matter: Matter) -> AgendaItem:
    _check_edit(user, meeting)
    if tier_of(matter.kind) != meeting.tier:
        raise ServiceError({"matter": f"事项 #{matter.id} 不是{meeting.tier_label}层级的协调事项。"})
    if matter.status not in workflow.OPEN_STATUSES:
        raise ServiceError({"matter": f"事项 #{matter.id} 当前为“{matter.status_label}”，不能列入议程。"})
    if not matter_service.can_see(user, matter):
        raise NotAllowed("agenda matter not visible")
    if any(i.matter_id == matter.id for i in meeting.items):
        raise ServiceError({"matter": f"事项 #{matter.id} 已在议程中。"})
    item = AgendaItem(matter_id=matter.id)
    meeting.items.append(item)
    db.session.flush()
    return item


def record_held(user, meeting: Meeting, *, held_on: date, attendees: str, minutes: str, units=None) -> Meeting:
    """The meeting took place: its date, who attended, the draft minutes."""
    _check_edit(user, meeting)
    errors = {}
    if held_on > local_today():
        errors["held_on"] = "召开日期不能晚于今天。"
    if not minutes.strip():
        errors["minutes"] = "请填写会议纪要。"
    if errors:
        raise ServiceError(errors)
    meeting.held_on, meeting.attendees, meeting.minutes = held_on, attendees.strip(), minutes.strip()
    if units is not None:
        meeting.units = list(units)
    meeting.status = "held"
    db.session.flush()
    audit.record("bankruptcy.meeting.held", target=f"bankruptcy.meeting:{meeting.id}", detail={"held_on": held_on})
    return meeting


def _held(meeting: Meeting) -> None:
    if meeting.status == "planned":
        raise ServiceError({"": "请先登记会议召开情况和纪要，再记录议定事项。"})


def _decision(user, meeting: Meeting, text: str, matter: Matter | None, tasks: list[TaskInput]) -> Decision:
    today = local_today()
    errors = {}
    if not text.strip():
        errors["decision"] = "请填写议定事项。"
    for index, task in enumerate(tasks, start=1):
        if task.deadline < today:
            errors["tasks"] = f"第 {index} 项任务的期限早于今天。"
        if not task.text.strip():
            errors["tasks"] = f"第 {index} 项任务没有内容。"
    if errors:
        raise ServiceError(errors)
    seq = (db.session.scalar(select(func.max(Decision.seq)).where(Decision.meeting_id == meeting.id)) or 0) + 1
    decision = Decision(seq=seq, text=text.strip(), matter_id=matter.id if matter else None)
    meeting.decisions.append(decision)
    db.session.flush()
    for task in tasks:
        matter_service.create_task(user, decision, unit=task.unit, deadline=task.deadline, text=task.text)
    return decision


def add_decision(user, meeting: Meeting, text: str, tasks: list[TaskInput]) -> Decision:
    """A decision not tied to one agenda matter (e.g. the year's key tasks, 部署年度重点任务)."""
    _check_edit(user, meeting)
    _held(meeting)
    decision = _decision(user, meeting, text, None, tasks)
    audit.record("bankruptcy.meeting.decision", target=f"bankruptcy.meeting:{meeting.id}",
                 detail={"decision": decision.id, "tasks": len(tasks)})
    return decision


def record_outcome(user, meeting: Meeting, item: AgendaItem, outcome: str, *, note: str = "", decision: str = "",
                   tasks: list[TaskInput] | None = None, deadline: date | None = None) -> AgendaItem:
    """What the meeting made of an agenda matter: `resolved` (a decision, its tasks; the matter is
    交办 to its lead unit), `escalated` (to the next tier, with the reason), `carried` (继续研究)."""
    _check_edit(user, meeting)
    _held(meeting)
    if item.outcome:
        raise ServiceError({"outcome": f"该事项已记录为“{item.outcome_label}”。"})
    matter = item.matter
    if outcome == "resolved":
        made = _decision(user, meeting, decision, matter, tasks or [])
        if matter.status in (workflow.RECEIVED, workflow.RETURNED):
            ledger.move(matter, workflow.ASSIGNED, user=user,
                                       note=f"{meeting.title}议定：{made.text}", deadline=deadline)
        elif deadline is not None:
            matter.deadline = deadline
        item.note = made.text
    elif outcome == "escalated":
        if not note.strip():
            raise ServiceError({"note": "请写明本级会议不能解决的原因。"})
        if not is_office(user):
            raise NotAllowed("escalate")
        upper = matter_service.escalate_matter(user, matter, f"{meeting.title}未能解决：{note.strip()}",
                                               deadline=deadline)
        item.upper_matter_id, item.note = upper.id, note.strip()
    elif outcome == "carried":
        if not note.strip():
            raise ServiceError({"note": "请写明需继续研究的内容。"})
        item.note = note.strip()
    else:
        raise ServiceError({"outcome": "请选择研究结果。"})
    item.outcome = outcome
    db.session.flush()
    audit.record("bankruptcy.meeting.outcome", target=f"bankruptcy.meeting:{meeting.id}",
                 detail={"matter": matter.id, "outcome": outcome})
    return item


def issue_minutes(user, meeting: Meeting, *, confirm: bool) -> Meeting:
    """印发纪要: number the minutes (府院纪要〔YYYY〕N号) and freeze the meeting. Irreversible."""
    if not is_office(user):
        raise NotAllowed("issue minutes")
    if meeting.status != "held":
        raise ServiceError({"": "只有已召开、尚未印发纪要的会议可以印发纪要。"})
    if not confirm:
        raise ServiceError({"confirm": "印发后纪要不能再修改，请勾选确认。"})
    pending = [i for i in meeting.items if not i.outcome]
    if pending:
        raise ServiceError({"": f"还有 {len(pending)} 个议程事项未记录研究结果（#{', #'.join(str(i.matter_id) for i in pending)}）。"})
    year = meeting.held_on.year
    for _ in range(5):  # two issuers racing for a number: the unique constraint decides
        seq = (db.session.scalar(select(func.max(Meeting.minutes_seq)).where(Meeting.minutes_year == year)) or 0) + 1
        try:
            with db.session.begin_nested():
                meeting.minutes_year, meeting.minutes_seq = year, seq
                meeting.status, meeting.issued_at = "issued", utcnow()
                db.session.flush()
        except IntegrityError:
            continue
        audit.record("bankruptcy.meeting.issue", target=f"bankruptcy.meeting:{meeting.id}",
                     detail={"number": meeting.minutes_number})
        return meeting
    raise RuntimeError("could not allocate a minutes number")


# -- reading -----------------------------------------------------------------------------------
def can_see(user, meeting: Meeting) -> bool:
    if sees_all(user):
        return True
    unit = unit_scope(user)
    return meeting.proposed_by_unit_id == unit or any(u.id == unit for u in meeting.units) \
        or meeting.status == "issued" and meeting.tier != "business"


def meeting_query(user, *, q: str = "", tier: str = "", status: str = "", year: int | None = None):
    stmt = select(Meeting)
    if not sees_all(user):
        unit = unit_scope(user)
        attended = select(meeting_units.c.meeting_id).where(meeting_units.c.unit_id == unit)
        stmt = stmt.where(or_(Meeting.proposed_by_unit_id == unit, Meeting.id.in_(attended),
                              (Meeting.status == "issued") & (Meeting.tier != "business")))
    q = (q or "").replace("\x00", "").strip()
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Meeting.title.ilike(like), Meeting.agenda.ilike(like), Meeting.minutes.ilike(like)))
    if tier:
        stmt = stmt.where(Meeting.tier == tier)
    if status:
        stmt = stmt.where(Meeting.status == status)
    if year:
        stmt = stmt.where(Meeting.planned_on >= date(year, 1, 1), Meeting.planned_on <= date(year, 12, 31))
    return stmt.order_by(func.coalesce(Meeting.held_on, Meeting.planned_on).desc(), Meeting.id.desc())


def calendars(today: date | None = None) -> list[tuple[str, str, core.TierCalendar]]:
    """Each tier's schedule: (tier, label, calendar). Meetings count once held (minutes recorded)."""
    today = today or local_today()
    settings = mechanism()
    months = {"joint": settings.joint_months, "topic": settings.topic_months, "business": 0}
    held: dict[str, list[date]] = {t: [] for t in core.TIERS}
    for tier, day in db.session.execute(select(Meeting.tier, Meeting.held_on).where(
            Meeting.status.in_(("held", "issued")), Meeting.held_on.is_not(None))):
        held[tier].append(day)
    return [(tier, core.TIER_LABELS[tier], core.tier_calendar(held[tier], months[tier], today, settings.established_on))
            for tier in reversed(core.TIERS)]


def schedule_label(months: int) -> str:
    return {0: "不定期（点对点）", 3: "每季度一次", 6: "每半年一次", 12: "每年一次"}.get(months, f"每{months}个月一次")


def decisions_with_tasks(meeting: Meeting) -> list[tuple[Decision, list[Matter]]]:
    tasks = matter_service.tasks_of([d.id for d in meeting.decisions])
    by_decision: dict[int, list[Matter]] = {}
    for task in tasks:
        info = matter_service.info_of(task)
        by_decision.setdefault(info.decision_id, []).append(task)
    return [(d, by_decision.get(d.id, [])) for d in meeting.decisions]
