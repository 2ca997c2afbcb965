"""容错纠错 (seed 002, "建立企业家容错纠错机制" 4): applications of 党员企业家 and officials, handled by the
discipline commission: 容错申请 → 容错调查 → 会商研判 → 作出容错决定 → 纠错整改 → 澄清保护, each stage with a
deadline (scoring/care.py), the case a matter on the shared ledger (module "tolerance", sensitive).

Access follows the integrity module: discipline roles only, unit staff their covered units only
(`govsvc.integrity.scope`), every read of a case under a declared purpose, audited. The applicant
(an enterprise account that applied online) follows its own applications. A 澄清正名 notice is public.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case as sql_case, func, or_, select, true

from govsvc import audit
from govsvc.care.models_support import (CHANNELS, CLARIFICATION_METHODS, SUBJECT_TYPES, Clarification, ToleranceAccess,
                                        ToleranceCase, ToleranceEvent)
from govsvc.extensions import db
from govsvc.integrity import scope
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.registry.models import Enterprise, Person, Unit
from govsvc.timeutil import local_today, utcnow
from scoring import care as rules

MODULE = "tolerance"
GRANT_MINUTES = 15
PURPOSES = ("受理审查", "容错调查", "会商研判", "纠错整改跟踪", "澄清保护", "干部选拔任用考察", "评先评优审核", "其他")
COMMISSION = "JWJ"  # 市纪委监委: handles the cases that name no unit


class ToleranceError(ValueError):
    """A refused step; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


# -- reading: scope, purposes, audit --------------------------------------------------------------
def check_case(user, case: ToleranceCase) -> None:
    """Unit discipline staff reach only the cases of the units they cover (OutOfScope otherwise)."""
    if case.unit_id is None:
        scope.check_city_wide(user)
    else:
        scope.check_unit(user, case.unit_id)


def _scope_clause(user):
    units = scope.covered_unit_ids(user)
    return true() if units is None else ToleranceCase.unit_id.in_(units)


def grant_access(user, case: ToleranceCase | None, purpose: str) -> ToleranceAccess:
    purpose = purpose.strip()
    if not purpose:
        raise ToleranceError("请说明查阅目的。", "purpose")
    if case is not None:
        check_case(user, case)
    now = utcnow()
    grant = ToleranceAccess(user_id=user.id, case_id=case.id if case else None, purpose=purpose, granted_at=now,
                            expires_at=now + timedelta(minutes=GRANT_MINUTES))
    db.session.add(grant)
    db.session.flush()
    audit.record("care.tolerance.purpose", target=_target(case), detail={"minutes": GRANT_MINUTES}, purpose=purpose,
                 category="integrity")
    return grant


def current_grant(user, case: ToleranceCase | None) -> ToleranceAccess | None:
    clause = ToleranceAccess.case_id.is_(None) if case is None else ToleranceAccess.case_id == case.id
    return db.session.scalar(select(ToleranceAccess).where(ToleranceAccess.user_id == user.id, clause,
                                                           ToleranceAccess.expires_at > utcnow())
                             .order_by(ToleranceAccess.id.desc()).limit(1))


def log_read(grant: ToleranceAccess, case: ToleranceCase | None, page: str, **detail) -> None:
    audit.record("care.tolerance.read", target=_target(case), detail={"page": page, **detail}, purpose=grant.purpose,
                 category="integrity")


def _target(case: ToleranceCase | None) -> str:
    return "tolerance:register" if case is None else f"tolerance:{case.id}"


def overdue_clause(today: date):
    return and_(ToleranceCase.stage.in_(rules.OPEN_STAGES), ToleranceCase.stage_deadline.is_not(None),
                ToleranceCase.stage_deadline < today)


def case_query(user, *, q: str = "", stage: str = "", kind: str = "", overdue: bool = False,
               enterprise_id: int | None = None, today: date | None = None):
    """The cases this account covers: overdue first, then open ones by deadline, then the newest."""
    today = today or local_today()
    stmt = select(ToleranceCase).where(_scope_clause(user))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.outerjoin(Enterprise, Enterprise.id == ToleranceCase.enterprise_id).where(or_(
            ToleranceCase.subject_name.ilike(like), ToleranceCase.facts.ilike(like), Enterprise.name.ilike(like)))
    if stage:
        stmt = stmt.where(ToleranceCase.stage == stage)
    if kind:
        stmt = stmt.where(ToleranceCase.kind == kind)
    if overdue:
        stmt = stmt.where(overdue_clause(today))
    if enterprise_id:
        stmt = stmt.where(ToleranceCase.enterprise_id == enterprise_id)
    return stmt.order_by(sql_case((overdue_clause(today), 0), (ToleranceCase.stage.in_(rules.OPEN_STAGES), 1), else_=2),
                         ToleranceCase.stage_deadline, ToleranceCase.id.desc())


def is_overdue(case: ToleranceCase, today: date | None = None) -> bool:
    return rules.is_late(case.stage, case.stage_deadline, today or local_today())


def cases_of_person(person_id: int) -> list[ToleranceCase]:
    return list(db.session.scalars(select(ToleranceCase).where(ToleranceCase.person_id == person_id)
                                   .order_by(ToleranceCase.applied_on.desc(), ToleranceCase.id.desc())))


def enterprise_summary(enterprise_id: int) -> dict[str, int]:
    """Counts of an enterprise's cases by decision (for its page: the numbers, never the content)."""
    rows = db.session.execute(select(ToleranceCase.decision, func.count()).where(
        ToleranceCase.enterprise_id == enterprise_id).group_by(ToleranceCase.decision))
    return {decision or "": count for decision, count in rows}


def factors_of(case: ToleranceCase) -> dict[str, str]:
    return json.loads(case.factors or "{}")


# -- registering ----------------------------------------------------------------------------------
@dataclass
class CaseInput:
    kind: str
    subject_type: str
    subject_name: str
    subject_post: str
    person: Person | None
    enterprise: Enterprise | None
    unit: Unit | None
    channel: str
    applied_on: date
    facts: str
    grounds: str
    clue_matter_id: int | None = None


def _next_seq(year: int) -> int:
    return (db.session.scalar(select(func.max(ToleranceCase.seq)).where(ToleranceCase.year == year)) or 0) + 1


def _event(case: ToleranceCase, user, from_stage: str, to_stage: str, on: date, note: str = "") -> None:
    user_id, username = (user.id, user.username) if user is not None and getattr(user, "is_authenticated", False) \
        else (None, "")
    case.events.append(ToleranceEvent(user_id=user_id, username=username, from_stage=from_stage, to_stage=to_stage,
                                      on=on, note=note))


def _set_stage(case: ToleranceCase, user, stage: str, started_on: date, note: str = "") -> None:
    _event(case, user, case.stage if case.id else "", stage, started_on, note)
    case.stage, case.stage_started_on = stage, started_on
    case.stage_deadline = rules.stage_deadline(stage, started_on, case.rectify_by)
    if case.matter is not None and stage in rules.OPEN_STAGES:
        case.matter.deadline = case.stage_deadline


def register_case(user, data: CaseInput, *, applicant=None) -> ToleranceCase:
    """A new application (or 澄清正名 request) enters 容错申请; acceptance is due within 7 days."""
    if data.kind not in rules.KINDS:
        raise ToleranceError("请选择申请类别。", "kind")
    if data.subject_type not in SUBJECT_TYPES:
        raise ToleranceError("请选择申请人身份。", "subject_type")
    if data.channel not in CHANNELS:
        raise ToleranceError("请选择申请渠道。", "channel")
    if data.subject_type == "official" and data.person is None:
        raise ToleranceError("公职人员申请须从公职人员名录中选定本人（身份证号）。", "id_number")
    if data.subject_type == "entrepreneur" and data.enterprise is None:
        raise ToleranceError("党员企业家申请须填写所在企业的统一社会信用代码。", "credit_code")
    if data.applied_on > local_today():
        raise ToleranceError("申请日期不能晚于今天。", "applied_on")
    unit = data.unit or (data.person.unit if data.person is not None else None)
    if user is not None and applicant is None:
        if unit is None:
            scope.check_city_wide(user)
        else:
            scope.check_unit(user, unit.id)
    year = data.applied_on.year
    case = ToleranceCase(
        year=year, seq=_next_seq(year), kind=data.kind, subject_type=data.subject_type,
        subject_name=(data.person.name if data.person is not None else data.subject_name).strip(),
        subject_post=data.subject_post.strip() or (data.person.post if data.person is not None else ""),
        person_id=data.person.id if data.person else None, enterprise_id=data.enterprise.id if data.enterprise else None,
        unit_id=unit.id if unit else None, channel=data.channel, applied_on=data.applied_on, facts=data.facts.strip(),
        grounds=data.grounds.strip(), clue_matter_id=data.clue_matter_id,
        applicant_user_id=applicant.id if applicant is not None else None,
        created_by_id=(user or applicant).id if (user or applicant) is not None else None,
        stage=rules.APPLIED, stage_started_on=data.applied_on)
    db.session.add(case)
    _set_stage(case, user or applicant, rules.APPLIED, data.applied_on, f"{case.channel_label}：{case.kind_label}")
    db.session.flush()
    case.matter = ledger.create_matter(
        # No name in the title: the ledger lists it, the name is read under a declared purpose.
        module=MODULE, kind=f"{case.kind}.case", title=f"{case.number} {case.kind_label}",
        source=case.channel_label, ref=f"care.tolerance:{case.id}", responsible_unit_id=case.unit_id,
        deadline=case.stage_deadline, priority="high", user=user or applicant)
    db.session.flush()
    audit.record("care.tolerance.register", target=f"tolerance:{case.id}",
                 detail={"number": case.number, "kind": case.kind, "channel": case.channel}, category="integrity")
    return case


def apply_online(user, *, subject_name: str, subject_post: str, unit: Unit | None, facts: str, grounds: str,
                 kind: str = rules.TOLERANCE) -> ToleranceCase:
    """An entrepreneur's own application through the enterprise portal (畅通申请渠道)."""
    if user.enterprise_id is None:
        raise ToleranceError("您的账号未关联企业，不能在线申请。")
    data = CaseInput(kind=kind, subject_type="entrepreneur", subject_name=subject_name, subject_post=subject_post,
                     person=None, enterprise=db.session.get(Enterprise, user.enterprise_id), unit=unit,
                     channel="online", applied_on=local_today(), facts=facts, grounds=grounds)
    return register_case(None, data, applicant=user)


def own_cases(user):
    return select(ToleranceCase).where(ToleranceCase.applicant_user_id == user.id).order_by(ToleranceCase.id.desc())


# -- the steps ------------------------------------------------------------------------------------
def _require(case: ToleranceCase, stage: str) -> None:
    if case.stage != stage:
        raise ToleranceError(f"该申请当前处于“{case.stage_label}”，不能进行此操作。")


def _day(day: date | None, case: ToleranceCase, field: str) -> date:
    day = day or local_today()
    if day > local_today():
        raise ToleranceError("日期不能晚于今天。", field)
    if day < case.stage_started_on:
        raise ToleranceError(f"日期不能早于本阶段开始日期（{case.stage_started_on.isoformat()}）。", field)
    return day


def _responsible_unit_id(case: ToleranceCase) -> int:
    if case.unit_id is not None:
        return case.unit_id
    unit_id = db.session.scalar(select(Unit.id).where(Unit.code == COMMISSION))
    if unit_id is None:
        raise ToleranceError(f"未找到市纪委监委单位（代码 {COMMISSION}），请先在单位名录中登记。")
    return unit_id


def accept(user, case: ToleranceCase, *, accepted: bool, note: str, on: date | None = None) -> None:
    """受理 (容错调查 starts, 30 days) or 不予受理 with the reason (the case ends)."""
    check_case(user, case)
    _require(case, rules.APPLIED)
    on = _day(on, case, "on")
    note = note.strip()
    if accepted:
        _set_stage(case, user, rules.INVESTIGATING, on, note or "予以受理，开展容错调查。")
        ledger.move(case.matter, workflow.ASSIGNED, user=user, note=note or "予以受理。",
                    responsible_unit_id=_responsible_unit_id(case), deadline=case.stage_deadline)
    else:
        if not note:
            raise ToleranceError("不予受理须写明理由。", "note")
        case.rejection_reason = note
        case.closed_on = on
        _set_stage(case, user, rules.REJECTED, on, note)
        case.stage_deadline = None
        ledger.move(case.matter, workflow.RETURNED, user=user, note=f"不予受理：{note}")
        ledger.move(case.matter, workflow.CLOSED, user=user, note="不予受理，已告知申请人。")
    audit.record("care.tolerance.accept", target=f"tolerance:{case.id}", detail={"accepted": accepted},
                 category="integrity")


def report_investigation(user, case: ToleranceCase, *, report: str, on: date | None = None) -> None:
    """容错调查 concluded: the report; 会商研判 starts (15 days, ending with the decision)."""
    check_case(user, case)
    _require(case, rules.INVESTIGATING)
    on = _day(on, case, "on")
    if not report.strip():
        raise ToleranceError("请填写调查报告（核实的事实、情节和后果）。", "report")
    case.investigation_report, case.investigated_on = report.strip(), on
    _set_stage(case, user, rules.DELIBERATING, on, "调查完毕，提请会商研判。")
    ledger.move(case.matter, workflow.IN_PROGRESS, user=user, note="容错调查完毕，进入会商研判。")
    audit.record("care.tolerance.investigated", target=f"tolerance:{case.id}", category="integrity")


@dataclass
class DecisionInput:
    decision: str
    factors: dict[str, str]
    participants: str
    deliberation: str
    decision_number: str
    decision_text: str
    rectify_by: date | None
    decided_on: date | None = None


def decide(user, case: ToleranceCase, data: DecisionInput) -> None:
    """会商研判 and 作出容错决定 (irreversible): the six circumstances assessed, the decision recorded; a
    favourable decision goes on to 纠错整改 (when ordered) or 澄清保护, an unfavourable one ends the case."""
    check_case(user, case)
    _require(case, rules.DELIBERATING)
    on = _day(data.decided_on, case, "decided_on")
    if not data.participants.strip():
        raise ToleranceError("请填写参加会商的单位和人员。", "participants")
    if not data.decision_text.strip():
        raise ToleranceError("请填写决定内容。", "decision_text")
    try:
        rules.check_decision(case.kind, data.decision, data.factors, on, data.rectify_by)
        target = rules.next_stage(case.kind, data.decision, data.rectify_by is not None)
    except rules.CareRuleError as exc:
        raise ToleranceError(str(exc), "rectify_by" if "整改" in str(exc) else "decision") from None
    case.factors = json.dumps({k: data.factors[k] for k in rules.FACTORS}, sort_keys=True)
    case.participants, case.deliberation = data.participants.strip(), data.deliberation.strip()
    case.decision, case.decided_on = data.decision, on
    case.decision_number, case.decision_text = data.decision_number.strip(), data.decision_text.strip()
    case.rectify_by = data.rectify_by
    note = f"{rules.DECISIONS[data.decision]}。{case.decision_number}"
    if target == rules.CLOSED:
        case.closed_on = on
        _set_stage(case, user, rules.CLOSED, on, note)
        case.stage_deadline = None
        _finish_matter(case.matter, user, note)
    else:
        _set_stage(case, user, target, on, note)
        if target == rules.RECTIFYING:
            matter = ledger.create_matter(
                module=MODULE, kind="tolerance.rectification", title=f"{case.number} 纠错整改",
                description=case.decision_text, source="容错决定", ref=f"care.tolerance:{case.id}",
                responsible_unit_id=_responsible_unit_id(case), deadline=data.rectify_by, priority="high", user=user)
            ledger.move(matter, workflow.ASSIGNED, user=user, note="容错决定责令纠错整改。")
            case.rectification_matter = matter
    audit.record("care.tolerance.decide", target=f"tolerance:{case.id}",
                 detail={"decision": data.decision, "rectify_by": data.rectify_by}, category="integrity")


def _finish_matter(matter, user, note: str) -> None:
    """Take a case's matter to 销号 from wherever it is (the decision ends the case)."""
    path = {workflow.ASSIGNED: (workflow.IN_PROGRESS, workflow.CONCLUDED, workflow.FEEDBACK_GIVEN, workflow.CLOSED),
            workflow.IN_PROGRESS: (workflow.CONCLUDED, workflow.FEEDBACK_GIVEN, workflow.CLOSED),
            workflow.CONCLUDED: (workflow.FEEDBACK_GIVEN, workflow.CLOSED)}.get(matter.status, ())
    texts = {workflow.IN_PROGRESS: "", workflow.CONCLUDED: note, workflow.FEEDBACK_GIVEN: "决定已书面告知申请人及所在单位。",
             workflow.CLOSED: "办结销号。"}
    for target in path:
        ledger.move(matter, target, user=user, note=texts[target])


def record_rectification(user, case: ToleranceCase, *, note: str, on: date | None = None) -> None:
    """纠错整改 done (the unit's report checked): 澄清保护 starts (30 days)."""
    check_case(user, case)
    _require(case, rules.RECTIFYING)
    on = _day(on, case, "on")
    if not note.strip():
        raise ToleranceError("请写明整改情况。", "note")
    case.rectified_on, case.rectification_note = on, note.strip()
    late = on > case.rectify_by
    _set_stage(case, user, rules.PROTECTING, on, ("（逾期整改）" if late else "") + note.strip())
    if case.rectification_matter is not None:
        _finish_matter(case.rectification_matter, user, note.strip())
    audit.record("care.tolerance.rectified", target=f"tolerance:{case.id}", detail={"late": late},
                 category="integrity")


@dataclass
class ClarificationInput:
    title: str
    body: str
    method: str
    meeting_on: date | None


def protect(user, case: ToleranceCase, *, note: str, clarification: ClarificationInput | None,
            on: date | None = None) -> Clarification | None:
    """澄清保护 (irreversible): the protective measures recorded; a false accusation's 澄清正名 is
    published (required for it), which makes the notice public. The case is closed."""
    check_case(user, case)
    _require(case, rules.PROTECTING)
    on = _day(on, case, "on")
    if not note.strip():
        raise ToleranceError("请写明澄清保护措施（如：不影响评先评优、提拔使用，消除负面影响）。", "note")
    if case.decision == "false_accusation" and clarification is None:
        raise ToleranceError("诬告陷害属实的，须通过召开会议或公开通报为其澄清正名。", "publish")
    notice = None
    if clarification is not None:
        if clarification.method not in CLARIFICATION_METHODS:
            raise ToleranceError("请选择澄清方式。", "method")
        if not clarification.title.strip() or not clarification.body.strip():
            raise ToleranceError("请填写澄清通报的标题和正文。", "body")
        if clarification.method in ("meeting", "both") and clarification.meeting_on is None:
            raise ToleranceError("召开会议澄清的，请填写会议日期。", "meeting_on")
        notice = Clarification(case_id=case.id, title=clarification.title.strip(), body=clarification.body.strip(),
                               method=clarification.method, meeting_on=clarification.meeting_on, published_on=on,
                               published_by_id=user.id)
        db.session.add(notice)
    case.protection_note, case.closed_on = note.strip(), on
    _set_stage(case, user, rules.CLOSED, on, note.strip())
    case.stage_deadline = None
    _finish_matter(case.matter, user, note.strip())
    db.session.flush()
    audit.record("care.tolerance.protect", target=f"tolerance:{case.id}",
                 detail={"clarification": notice.id if notice else None}, category="integrity")
    return notice


def case_for_matter(matter_id: int) -> ToleranceCase | None:
    return db.session.scalar(select(ToleranceCase).where(or_(ToleranceCase.matter_id == matter_id,
                                                             ToleranceCase.rectification_matter_id == matter_id)))


def published_clarifications(q: str = ""):
    stmt = select(Clarification)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Clarification.title.ilike(like), Clarification.body.ilike(like)))
    return stmt.order_by(Clarification.published_on.desc(), Clarification.id.desc())


def statistics(user, today: date | None = None) -> dict[str, int]:
    today = today or local_today()
    base = select(func.count()).select_from(ToleranceCase).where(_scope_clause(user))
    return {
        "open": db.session.scalar(base.where(ToleranceCase.stage.in_(rules.OPEN_STAGES))),
        "overdue": db.session.scalar(base.where(overdue_clause(today))),
        "waiting": db.session.scalar(base.where(ToleranceCase.stage == rules.APPLIED)),
        "decided_this_year": db.session.scalar(base.where(ToleranceCase.decided_on >= date(today.year, 1, 1))),
    }
