"""The case ledger (重大、敏感案件台账, seed 001 "信息共享机制") and the pre-acceptance warning
(受理预警, "风险评估机制"): a case is registered before acceptance, assessed on the written rule
(scoring.bankruptcy.assess with the mechanism's TOML), and a high-risk case gets a disposal plan
(处置方案) before the court accepts it. Accepted cases move through their stages to the end; major
cases get a leadership coordination group of the court and the local government ("重点案件专门领导
协调组机制").

Entry point for the financial-risk module (stable, tested): a rescue handed to the court arrives
as a ledger matter `create_matter(module="bankruptcy", kind="handover.rescue",
ref="finrisk.rescue:<id>", responsible_unit_id=<ZYFY>, description=…credit code…procedure…)`;
`open_case_from_handover(matter, user, …)` opens a case (stage `warning`, assessed) from it and
links both ways: `Case.handover_matter_id`, and the matter moves 交办 → 办理中 with the case's
number in its history, then 办结 when the court accepts or declines the case.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal

from sqlalchemy import case as sql_case
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.bankruptcy.access import NotAllowed, ServiceError, is_court, is_office, is_staff
from govsvc.bankruptcy.directory import courts, mechanism
from govsvc.bankruptcy.models import HANDOVER, Court
from govsvc.bankruptcy.models_cases import (FINAL_STAGES, GROUP_ROLES, OPEN_STAGES, STAGES, RiskAssessment, Case, CaseEvent,
                                            DisposalPlan, GroupMember)
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today, utcnow
from scoring import bankruptcy as core

FIGURES = ("creditors", "employees", "wage_arrears", "debts", "assets", "guarantees", "opinion")
MONEY = ("wage_arrears", "debts", "assets", "guarantees")
PLAN_FIELDS = ("stability", "employees", "opinion", "assets", "units")


def _user_id(user):
    return getattr(user, "id", None)


def _event(user, case: Case, stage: str, note: str, on: date | None = None) -> CaseEvent:
    event = CaseEvent(case_id=case.id, on=on or local_today(), stage=stage, note=note, by_id=_user_id(user),
                      username=getattr(user, "username", "") or "")
    db.session.add(event)
    return event


def _check_figures(figures: dict) -> dict:
    errors, clean = {}, {}
    for name in FIGURES:
        if name not in figures or figures[name] is None:
            continue
        value = figures[name]
        if name in MONEY:
            value = Decimal(value)
            if value < 0 or value >= Decimal("1e16"):
                errors[name] = "金额应为 0 或正数。"
        else:
            value = int(value)
            if value < 0:
                errors[name] = "不能为负数。"
            elif name == "opinion" and value > 3:
                errors[name] = "舆情敏感度应为 0–3。"
        clean[name] = value
    if errors:
        raise ServiceError(errors)
    return clean


def inputs_of(case: Case) -> core.RiskInputs:
    return core.RiskInputs(employees=case.employees, wage_arrears=case.wage_arrears or Decimal(0),
                           debts=case.debts or Decimal(0), guarantees=case.guarantees or Decimal(0),
                           opinion=case.opinion)


def _assess(user, case: Case) -> RiskAssessment:
    text = mechanism().risk_rules
    rules = core.parse_risk_rules(text)
    inputs = inputs_of(case)
    result = core.assess(inputs, rules)
    row = RiskAssessment(case_id=case.id, by_id=_user_id(user), score=result.score, level=result.level, rules=text,
                     inputs=json.dumps({k: str(v) for k, v in asdict(inputs).items()}, ensure_ascii=False),
                     breakdown=json.dumps({"parts": [asdict(p) for p in result.parts], "reasons": list(result.reasons)},
                                          ensure_ascii=False))
    db.session.add(row)
    case.risk_score, case.risk_level = result.score, result.level
    if result.level == "high":
        case.major = True
    db.session.flush()
    audit.record("bankruptcy.case.assess", target=f"bankruptcy.case:{case.id}",
                 detail={"score": result.score, "level": result.level})
    return row


def breakdown(assessment: RiskAssessment) -> dict:
    return json.loads(assessment.breakdown)


def register_case(user, *, enterprise: Enterprise, court: Court, procedure: str, applicant: str = "",
                  applied_on: date | None = None, figures: dict | None = None, note: str = "",
                  handover: Matter | None = None) -> Case:
    """A case before acceptance (stage `warning`), assessed at once."""
    if not is_court(user):
        raise NotAllowed("register case")
    errors = {}
    if procedure not in core.PROCEDURES:
        errors["procedure"] = "请选择程序类型。"
    if applied_on is not None and applied_on > local_today():
        errors["applied_on"] = "申请日期不能晚于今天。"
    open_case = db.session.scalar(select(Case).where(Case.enterprise_id == enterprise.id,
                                                     Case.stage.not_in(FINAL_STAGES)))
    if open_case is not None:
        errors["credit_code"] = f"该企业已有未终结的案件（#{open_case.id} {open_case.stage_label}）。"
    if errors:
        raise ServiceError(errors)
    clean = _check_figures(figures or {})
    case = Case(enterprise_id=enterprise.id, court_id=court.id, procedure=procedure, stage="warning",
                applicant=applicant.strip(), applied_on=applied_on, note=note.strip(), created_by_id=_user_id(user),
                handover_matter_id=handover.id if handover else None, **clean)
    db.session.add(case)
    db.session.flush()
    _event(user, case, "warning", "登记受理前预警评估" + (f"（来自司法介入移交事项 #{handover.id}）" if handover else ""))
    _assess(user, case)
    audit.record("bankruptcy.case.register", target=f"bankruptcy.case:{case.id}",
                 detail={"enterprise": enterprise.credit_code, "procedure": procedure})
    return case


def reassess(user, case: Case, figures: dict) -> RiskAssessment:
    """Update the figures and assess again (before acceptance; the history is kept)."""
    if not is_court(user):
        raise NotAllowed("assess case")
    if case.stage != "warning":
        raise ServiceError({"": "案件已受理（或已终结），受理前评估不再进行；请在进展中更新情况。"})
    for name, value in _check_figures(figures).items():
        setattr(case, name, value)
    case.updated_at = utcnow()
    return _assess(user, case)


def latest_assessment(case: Case) -> RiskAssessment | None:
    return db.session.scalar(select(RiskAssessment).where(RiskAssessment.case_id == case.id).order_by(RiskAssessment.id.desc()).limit(1))


def latest_plan(case: Case) -> DisposalPlan | None:
    return db.session.scalar(select(DisposalPlan).where(DisposalPlan.case_id == case.id)
                             .order_by(DisposalPlan.id.desc()).limit(1))


def plan_missing(case: Case) -> bool:
    """A case whose latest assessment is high-risk needs a disposal plan before acceptance."""
    assessment = latest_assessment(case)
    return assessment is not None and assessment.level == "high" and latest_plan(case) is None


def record_plan(user, case: Case, fields: dict) -> DisposalPlan:
    """处置方案 (维稳、职工安置、舆情应对、资产处置、责任分工): the court or the office."""
    if not (is_court(user) or is_office(user)):
        raise NotAllowed("record plan")
    clean = {k: (fields.get(k) or "").strip() for k in PLAN_FIELDS}
    if not clean["stability"] or not clean["employees"]:
        raise ServiceError({"stability": "处置方案至少应包括维稳措施和职工安置方案。"})
    plan = DisposalPlan(case_id=case.id, recorded_by_id=_user_id(user), **clean)
    db.session.add(plan)
    db.session.flush()
    _event(user, case, case.stage, "制定（修订）处置方案")
    audit.record("bankruptcy.case.plan", target=f"bankruptcy.case:{case.id}", detail={"plan": plan.id})
    return plan


def _conclude_handover(user, case: Case, note: str) -> None:
    matter = case.handover_matter
    if matter is None or matter.status not in workflow.OPEN_STATUSES:
        return
    if matter.status in (workflow.RECEIVED, workflow.RETURNED):
        ledger.move(matter, workflow.ASSIGNED, user=user, note="法院办理。")
    if matter.status == workflow.ASSIGNED:
        ledger.move(matter, workflow.IN_PROGRESS, user=user)
    ledger.move(matter, workflow.CONCLUDED, user=user, note=note)


def accept_case(user, case: Case, *, case_number: str, accepted_on: date, administrator=None,
                confirm: bool = False) -> Case:
    """受理 (or, for 预重整/庭外重组, 备案): refused for a high-risk case without a disposal plan."""
    if not is_court(user):
        raise NotAllowed("accept case")
    errors = {}
    if case.stage != "warning":
        errors[""] = f"案件当前为“{case.stage_label}”，不能再受理。"
    elif latest_assessment(case) is None:
        errors[""] = "请先进行受理前风险评估。"
    elif plan_missing(case):
        errors[""] = "该案件经评估为高风险，受理前须制定处置方案（风险评估机制）。"
    case_number = (case_number or "").strip()
    if not case_number:
        errors["case_number"] = "请填写案号。"
    elif db.session.scalar(select(func.count()).select_from(Case).where(Case.case_number == case_number, Case.id != case.id)):
        errors["case_number"] = f"案号“{case_number}”已被其他案件使用。"
    if accepted_on > local_today():
        errors["accepted_on"] = "受理日期不能晚于今天。"
    if not confirm:
        errors["confirm"] = "受理后不能退回预警阶段，请勾选确认。"
    if errors:
        raise ServiceError(errors)
    case.case_number, case.accepted_on, case.stage = case_number, accepted_on, "accepted"
    if administrator is not None:
        case.administrator_id = administrator.id
    case.updated_at = utcnow()
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise ServiceError({"case_number": f"案号“{case_number}”已被其他案件使用。"}) from None
    _event(user, case, "accepted", f"受理，案号{case_number}", on=accepted_on)
    _conclude_handover(user, case, f"法院已受理（{case.procedure_label}），案号{case_number}，案件 #{case.id}。")
    audit.record("bankruptcy.case.accept", target=f"bankruptcy.case:{case.id}", detail={"case_number": case_number})
    return case


def decline_case(user, case: Case, *, note: str, confirm: bool = False) -> Case:
    """不予受理 / 申请撤回: the case ends before acceptance."""
    if not is_court(user):
        raise NotAllowed("decline case")
    errors = {}
    if case.stage != "warning":
        errors[""] = "只有受理前的案件可以不予受理或撤回。"
    if not note.strip():
        errors["note"] = "请写明不予受理或撤回的理由。"
    if not confirm:
        errors["confirm"] = "该操作不能撤回，请勾选确认。"
    if errors:
        raise ServiceError(errors)
    case.stage, case.closed_on, case.updated_at = "rejected", local_today(), utcnow()
    _event(user, case, "rejected", note.strip())
    _conclude_handover(user, case, f"法院未受理：{note.strip()}（案件 #{case.id}）")
    audit.record("bankruptcy.case.decline", target=f"bankruptcy.case:{case.id}")
    return case


def advance(user, case: Case, *, stage: str, on: date, note: str, figures: dict | None = None,
            confirm: bool = False) -> Case:
    """Record progress: a later stage (never back), or a note in the same stage; 终结 ends it."""
    if not is_court(user):
        raise NotAllowed("case progress")
    errors = {}
    order = list(STAGES)
    if case.stage in ("warning",) + FINAL_STAGES:
        errors["stage"] = "只有已受理、未终结的案件可以登记进展。"
    elif stage not in OPEN_STAGES + ("concluded",):
        errors["stage"] = "请选择案件阶段。"
    elif order.index(stage) < order.index(case.stage):
        errors["stage"] = f"案件已处于“{case.stage_label}”，不能退回到“{STAGES[stage]}”。"
    if on > local_today():
        errors["on"] = "日期不能晚于今天。"
    if not note.strip():
        errors["note"] = "请填写进展情况。"
    if stage == "concluded" and not confirm:
        errors["confirm"] = "终结后案件不能再登记进展，请勾选确认。"
    if errors:
        raise ServiceError(errors)
    for name, value in _check_figures(figures or {}).items():
        setattr(case, name, value)
    case.stage, case.updated_at = stage, utcnow()
    if stage == "concluded":
        case.closed_on = on
    _event(user, case, stage, note.strip(), on=on)
    audit.record("bankruptcy.case.progress", target=f"bankruptcy.case:{case.id}", detail={"stage": stage})
    return case


def set_major(user, case: Case, major: bool, note: str = "") -> Case:
    if not (is_court(user) or is_office(user)):
        raise NotAllowed("mark major")
    case.major = major
    _event(user, case, case.stage, ("列为重大、敏感案件" if major else "取消重大、敏感案件标记") + (f"：{note}" if note else ""))
    audit.record("bankruptcy.case.major", target=f"bankruptcy.case:{case.id}", detail={"major": major})
    return case


def add_group_member(user, case: Case, *, role: str, name: str, post: str = "", unit: Unit | None = None) -> GroupMember:
    """领导协调组 of a major case: the accepting court and the local government (属地政府)."""
    if not (is_court(user) or is_office(user)):
        raise NotAllowed("coordination group")
    errors = {}
    if not case.major:
        errors[""] = "只有重大、敏感案件成立领导协调组。"
    if role not in GROUP_ROLES:
        errors["role"] = "请选择组内职务。"
    if not name.strip():
        errors["name"] = "请填写姓名。"
    if errors:
        raise ServiceError(errors)
    member = GroupMember(role=role, name=name.strip(), post=post.strip(), unit_id=unit.id if unit else None)
    case.group.append(member)
    db.session.flush()
    audit.record("bankruptcy.case.group", target=f"bankruptcy.case:{case.id}", detail={"name": member.name, "role": role})
    return member


# -- hand-overs from the financial-risk module -------------------------------------------------
def handover_reading(matter: Matter) -> tuple[Enterprise | None, str | None]:
    """The debtor (from the credit code in the hand-over's text) and the proposed procedure."""
    found = core.read_handover(f"{matter.title}\n{matter.description}")
    enterprise = (db.session.scalar(select(Enterprise).where(Enterprise.credit_code == found.credit_code))
                  if found.credit_code else None)
    return enterprise, found.procedure


def open_case_from_handover(matter: Matter, user, *, enterprise: Enterprise | None = None, procedure: str | None = None,
                            court: Court | None = None, applicant: str = "", figures: dict | None = None,
                            note: str = "") -> Case:
    """Open a case (before acceptance, assessed) from a hand-over matter of the financial-risk
    module (kind `handover.rescue`), linking back to it. The debtor and the procedure come from
    the matter's text unless given; the court defaults to the intermediate court (the matter's
    responsible unit). Raises ServiceError when the matter is not an open hand-over, already has
    a case, or names no debtor of the registry."""
    if not is_court(user):
        raise NotAllowed("open case from hand-over")
    if matter.module != "bankruptcy" or matter.kind != HANDOVER:
        raise ServiceError({"": "这不是司法介入移交事项。"})
    if matter.status not in workflow.OPEN_STATUSES:
        raise ServiceError({"": f"移交事项当前为“{matter.status_label}”，不能再建立案件。"})
    existing = db.session.scalar(select(Case).where(Case.handover_matter_id == matter.id))
    if existing is not None:
        raise ServiceError({"": f"该移交事项已建立案件 #{existing.id}。"})
    read_enterprise, read_procedure = handover_reading(matter)
    enterprise = enterprise or read_enterprise
    procedure = procedure or read_procedure
    errors = {}
    if enterprise is None:
        errors["credit_code"] = "移交事项中没有可识别的债务人统一社会信用代码，请填写。"
    if procedure is None:
        errors["procedure"] = "移交事项中没有写明拟采取的程序，请选择。"
    court = court or default_court(matter.responsible_unit_id)
    if court is None:
        errors["court"] = "请先在法院名录中登记受理法院。"
    if errors:
        raise ServiceError(errors)
    case = register_case(user, enterprise=enterprise, court=court, procedure=procedure,
                         applicant=applicant or matter.source or "金融风险处置移交", applied_on=None,
                         figures=figures, note=note or matter.description, handover=matter)
    if matter.status in (workflow.RECEIVED, workflow.RETURNED):
        ledger.move(matter, workflow.ASSIGNED, user=user, note="法院接收移交。")
    ledger.move(matter, workflow.IN_PROGRESS, user=user,
                note=f"已建立案件 #{case.id}（{case.procedure_label}），进行受理前风险评估：{case.risk_label}。")
    return case


def default_court(unit_id: int | None) -> Court | None:
    if unit_id is not None:
        court = db.session.scalar(select(Court).where(Court.unit_id == unit_id))
        if court is not None:
            return court
    found = courts()
    return found[0] if found else None


def case_for_handover(matter: Matter) -> Case | None:
    return db.session.scalar(select(Case).where(Case.handover_matter_id == matter.id))


# -- reading -----------------------------------------------------------------------------------
def case_query(*, q: str = "", stage: str = "", procedure: str = "", risk: str = "", major: str = "",
               court_id: int | None = None):
    stmt = select(Case).join(Enterprise, Case.enterprise_id == Enterprise.id)
    q = (q or "").replace("\x00", "").strip()
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like),
                              Case.case_number.ilike(like), Case.applicant.ilike(like)))
    if stage == "open":
        stmt = stmt.where(Case.stage.in_(OPEN_STAGES))
    elif stage:
        stmt = stmt.where(Case.stage == stage)
    if procedure:
        stmt = stmt.where(Case.procedure == procedure)
    if risk:
        stmt = stmt.where(Case.risk_level == risk)
    if major == "1":
        stmt = stmt.where(Case.major.is_(True))
    if court_id:
        stmt = stmt.where(Case.court_id == court_id)
    order = {s: i for i, s in enumerate(STAGES)}
    return stmt.order_by(sql_case(order, value=Case.stage), Case.major.desc(), Case.id.desc())


def case_for_enterprise(enterprise_id: int) -> Case | None:
    return db.session.scalar(select(Case).where(Case.enterprise_id == enterprise_id).order_by(Case.id.desc()).limit(1))


def may_read_cases(user) -> bool:
    return is_staff(user) or user.has_role(R.LEADER, R.ADMIN)
