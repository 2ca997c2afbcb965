"""Objections to a grade and complaints that a unit broke the exemption. Both are matters on the
shared ledger (module "grading", owned by the justice bureau), filed by an enterprise head and
answered by the justice bureau. An upheld complaint can be circulated (通报批评) and referred to
the discipline commission as a clue: a matter of the integrity module, which justice then no
longer sees — the complaint keeps only the fact and time of the referral.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import or_, select

from govsvc import audit
from govsvc.extensions import db
from govsvc.grading import service
from govsvc.grading.models import PUBLISHED, Complaint, Objection
from govsvc.grading.service import GradingError
from govsvc.ledger import workflow as W
from govsvc.ledger.service import create_matter, move
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today, utcnow

OBJECTION_DAYS = 15   # the justice bureau answers an objection within 15 days
COMPLAINT_DAYS = 30   # and verifies a complaint within 30 days
MAX_TEXT = 5000


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise GradingError(f"请填写{what}。")
    if len(value) > MAX_TEXT:
        raise GradingError(f"{what}不能超过 {MAX_TEXT} 字。")
    return value


def _enterprise_of(user) -> Enterprise:
    enterprise = user.enterprise if user is not None else None
    if enterprise is None:
        raise GradingError("您的账号没有关联企业。")
    return enterprise


def _walk_to_feedback(matter, answer: str, user) -> None:
    """The justice bureau answers: the matter moves on to 已反馈 (feedback given), through the
    steps of the ledger it has not yet taken, each recorded with who did it."""
    steps = {W.RECEIVED: (W.ASSIGNED, W.IN_PROGRESS, W.CONCLUDED), W.RETURNED: (W.ASSIGNED, W.IN_PROGRESS, W.CONCLUDED),
             W.ASSIGNED: (W.IN_PROGRESS, W.CONCLUDED), W.IN_PROGRESS: (W.CONCLUDED,), W.CONCLUDED: ()}
    if matter.status not in steps:
        raise GradingError("该事项已答复或已销号。")
    for target in steps[matter.status]:
        unit_id = None
        if target == W.ASSIGNED and matter.responsible_unit_id is None:
            unit_id = user.unit_id
            if unit_id is None:
                raise GradingError("请先在事项台账中把该事项交办给承办单位。")
        note = answer if target == W.CONCLUDED else "司法局办理。"
        move(matter, target, user=user, note=note, responsible_unit_id=unit_id)
    move(matter, W.FEEDBACK_GIVEN, user=user, note=answer)


# -- objections -----------------------------------------------------------------------------------
def file_objection(user, text: str, unit_id: int | None = None) -> Objection:
    enterprise = _enterprise_of(user)
    text = _text(text, "异议内容")
    grading_round = service.published_round()
    if grading_round is None:
        raise GradingError("尚未公布评级名单。")
    if service.result_of(grading_round, enterprise.id) is None:
        raise GradingError(f"贵企业不在 {grading_round.year} 年度评级名单中。")
    if unit_id is not None and service.round_unit(grading_round, unit_id) is None:
        raise GradingError("该单位不参与本年度评级。")
    service.lock(enterprise)  # one open objection per enterprise and year, also under concurrent filing
    pending = db.session.scalar(select(Objection).where(Objection.round_id == grading_round.id,
                                                       Objection.enterprise_id == enterprise.id,
                                                       Objection.decision.is_(None)))
    if pending is not None:
        raise GradingError(f"贵企业对 {grading_round.year} 年度评级的异议（第 {pending.id} 号）正在办理中，请等待答复。")
    matter = create_matter(module="grading", kind="grading.objection",
                           title=f"{enterprise.name}对{grading_round.year}年度免检免扰评级的异议",
                           description=text, source="企业异议", deadline=local_today() + timedelta(days=OBJECTION_DAYS),
                           user=user)
    objection = Objection(round_id=grading_round.id, enterprise_id=enterprise.id, unit_id=unit_id, text=text,
                          matter_id=matter.id, filed_by_id=user.id)
    db.session.add(objection)
    db.session.flush()
    matter.ref = f"grading.objection:{objection.id}"
    audit.record("grading.objection.file", target=f"grading_objection:{objection.id}",
                 detail={"round": grading_round.year, "enterprise": enterprise.credit_code})
    return objection


def answer_objection(objection: Objection, decision: str, answer: str, *, new_grade: str | None = None,
                     user) -> None:
    service.lock(objection)
    if objection.decision is not None:
        raise GradingError("该异议已答复。")
    if decision not in ("upheld", "rejected"):
        raise GradingError("请选择异议是否成立。")
    answer = _text(answer, "答复意见")
    if decision == "upheld" and new_grade:
        if objection.round.status != PUBLISHED:
            raise GradingError("评级名单未处于公布状态，不能改正。")
        result = service.result_of(objection.round, objection.enterprise_id)
        if result is not None and result.grade != new_grade:
            service.change_grade(result, new_grade, kind="objection", reason=f"异议成立：{answer}", user=user)
    _walk_to_feedback(objection.matter, answer, user)
    objection.decision = decision
    objection.new_grade = new_grade if decision == "upheld" and new_grade else None
    objection.answer = answer
    objection.answered_at = utcnow()
    objection.answered_by = user.username
    db.session.flush()
    audit.record("grading.objection.answer", target=f"grading_objection:{objection.id}",
                 detail={"decision": decision, "new_grade": objection.new_grade})


def objection_query(*, q: str = "", state: str = "", enterprise_id: int | None = None):
    stmt = select(Objection).join(Objection.enterprise)
    if enterprise_id is not None:
        stmt = stmt.where(Objection.enterprise_id == enterprise_id)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper()),
                              Objection.text.ilike(like)))
    if state == "open":
        stmt = stmt.where(Objection.decision.is_(None))
    elif state in ("upheld", "rejected"):
        stmt = stmt.where(Objection.decision == state)
    return stmt.order_by(Objection.decision.is_not(None), Objection.created_at.desc(), Objection.id.desc())


# -- complaints -----------------------------------------------------------------------------------
def complaint_units() -> list[Unit]:
    """Units an enterprise can complain about: the enforcement units."""
    return list(db.session.scalars(select(Unit).where(Unit.enforcement.is_(True)).order_by(Unit.level, Unit.code)))


def file_complaint(user, unit_id: int, text: str, inspection_date: date | None = None) -> Complaint:
    enterprise = _enterprise_of(user)
    text = _text(text, "投诉内容")
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or not unit.enforcement:
        raise GradingError("请选择被投诉的执法单位。", field="unit")
    if inspection_date is not None and inspection_date > local_today():
        raise GradingError("检查日期不能晚于今天。", field="inspection_date")
    matter = create_matter(module="grading", kind="grading.complaint",
                           title=f"{enterprise.name}投诉{unit.name}违反免检免扰规定", description=text,
                           source="企业投诉", deadline=local_today() + timedelta(days=COMPLAINT_DAYS), user=user)
    complaint = Complaint(enterprise_id=enterprise.id, unit_id=unit.id, inspection_date=inspection_date, text=text,
                          matter_id=matter.id, filed_by_id=user.id)
    db.session.add(complaint)
    db.session.flush()
    matter.ref = f"grading.complaint:{complaint.id}"
    audit.record("grading.complaint.file", target=f"grading_complaint:{complaint.id}",
                 detail={"enterprise": enterprise.credit_code, "unit": unit.code})
    return complaint


def verify_complaint(complaint: Complaint, finding: str, text: str, *, user) -> None:
    service.lock(complaint)
    if complaint.finding is not None:
        raise GradingError("该投诉已核实。")
    if finding not in ("upheld", "not_upheld"):
        raise GradingError("请选择核实结论。")
    text = _text(text, "核实情况")
    _walk_to_feedback(complaint.matter, text, user)
    complaint.finding = finding
    complaint.finding_text = text
    complaint.verified_at = utcnow()
    complaint.verified_by = user.username
    db.session.flush()
    audit.record("grading.complaint.verify", target=f"grading_complaint:{complaint.id}", detail={"finding": finding})


def circulate(complaint: Complaint, text: str, *, user) -> None:
    """通报批评: an upheld complaint is circulated to the government's units."""
    service.lock(complaint)
    if complaint.finding != "upheld":
        raise GradingError("只有核实属实的投诉才能通报。")
    if complaint.circulated_at is not None:
        raise GradingError("该投诉已通报。")
    complaint.circular_text = _text(text, "通报内容")
    complaint.circulated_at = utcnow()
    db.session.flush()
    audit.record("grading.complaint.circulate", target=f"grading_complaint:{complaint.id}",
                 detail={"unit": complaint.unit.code})


def circular_draft(complaint: Complaint) -> str:
    when = f"于{complaint.inspection_date.isoformat()}" if complaint.inspection_date else ""
    return (f"经市司法局核实，{complaint.unit.name}{when}对{complaint.enterprise.name}的执法检查违反企业免检免扰制度。"
            f"{complaint.finding_text}\n现予以通报批评，请各单位引以为戒，严格落实企业免检免扰制度。")


def refer(complaint: Complaint, note: str, *, user) -> None:
    """Refer an upheld complaint to the discipline commission as a clue (移交市纪委市监委)."""
    service.lock(complaint)
    if complaint.finding != "upheld":
        raise GradingError("只有核实属实的投诉才能移交纪检监察机关。")
    if complaint.referred_at is not None:
        raise GradingError("该投诉已移交。")
    note = _text(note, "移交说明")
    description = (f"投诉企业：{complaint.enterprise.name}（{complaint.enterprise.credit_code}）\n"
                   f"被投诉单位：{complaint.unit.name}\n"
                   + (f"检查日期：{complaint.inspection_date.isoformat()}\n" if complaint.inspection_date else "")
                   + f"投诉内容：{complaint.text}\n司法局核实情况：{complaint.finding_text}\n移交说明：{note}")
    create_matter(module="integrity", kind="clue.referral", source="司法局移送", ref=f"grading.complaint:{complaint.id}",
                  title=f"{complaint.unit.name}违反企业免检免扰制度（{complaint.enterprise.name}投诉）",
                  description=description, responsible_unit_id=complaint.unit_id, user=user)
    complaint.referred_at = utcnow()
    complaint.referred_by = user.username
    db.session.flush()
    audit.record("grading.complaint.refer", target=f"grading_complaint:{complaint.id}",
                 detail={"unit": complaint.unit.code})


def complaint_query(*, q: str = "", state: str = "", enterprise_id: int | None = None, unit_id: int | None = None):
    stmt = select(Complaint).join(Complaint.enterprise).join(Complaint.unit)
    if enterprise_id is not None:
        stmt = stmt.where(Complaint.enterprise_id == enterprise_id)
    if unit_id is not None:
        stmt = stmt.where(Complaint.unit_id == unit_id)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper()),
                              Unit.name.ilike(like), Complaint.text.ilike(like)))
    if state == "open":
        stmt = stmt.where(Complaint.finding.is_(None))
    elif state in ("upheld", "not_upheld"):
        stmt = stmt.where(Complaint.finding == state)
    elif state == "circulated":
        stmt = stmt.where(Complaint.circulated_at.is_not(None))
    elif state == "referred":
        stmt = stmt.where(Complaint.referred_at.is_not(None))
    return stmt.order_by(Complaint.finding.is_not(None), Complaint.created_at.desc(), Complaint.id.desc())


def circulars_query(*, q: str = "", unit_id: int | None = None):
    stmt = (select(Complaint).join(Complaint.unit).where(Complaint.circulated_at.is_not(None)))
    if unit_id is not None:
        stmt = stmt.where(Complaint.unit_id == unit_id)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Unit.name.ilike(like), Complaint.circular_text.ilike(like)))
    return stmt.order_by(Complaint.circulated_at.desc(), Complaint.id.desc())
