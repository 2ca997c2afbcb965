"""The 政法委 ledgers of "建立企业家容错纠错机制": 涉企案件评查 (措施 5: every enterprise-related case and
petition reviewed by a task force; minor breaches from inexperience, policy change, market change or
force majeure without major loss → 督促 the organ to be lenient) and the 政治督察 problem ledger
(保障措施 4: 台账管理、定期通报、限期整改). Follow-ups are matters on the ledger (module "zfw"), assigned to
the organ (市法院、市检察院、市公安局 …), which reports back; the 政法委 closes them (销号).

Who: department accounts of 市委政法委 (ZFW) run both ledgers; an organ's department accounts see
and answer the entries of their own unit; circulars are read by the 政法委, the organs and leaders."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select, true

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.care.models_support import (CASE_TYPES, PROBLEM_CATEGORIES, REVIEW_FINDINGS, ZFW, CaseReview,
                                        InspectionProblem, ZfwCircular)
from govsvc.care.support import NotYours, add_unique, concluded_on, in_units, unit_code_of
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today
from scoring import care as rules

MODULE = "zfw"
# 政法机关: the courts, procuratorate, police and justice bureau, and their county units.
ORGANS = ("ZYFY", "JCY", "GAJ", "SFJ")


class ZfwError(ValueError):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def is_zfw(user) -> bool:
    return in_units(user, (ZFW,))


def require_zfw(user) -> None:
    if not is_zfw(user):
        raise NotYours("zfw")


def is_organ(unit: Unit | None) -> bool:
    return unit is not None and (unit.code in ORGANS or (unit.system is not None and unit.system.code in ORGANS))


def organ_units() -> list[Unit]:
    city = list(db.session.scalars(select(Unit).where(Unit.code.in_(ORGANS)).order_by(Unit.code)))
    ids = [u.id for u in city]
    county = list(db.session.scalars(select(Unit).where(Unit.system_id.in_(ids)).order_by(Unit.code))) if ids else []
    return city + county


def can_read(user, unit_id: int) -> bool:
    return is_zfw(user) or (R.DEPARTMENT in user.roles and user.unit_id == unit_id)


def _own_clause(user, column):
    if is_zfw(user):
        return true()
    if R.DEPARTMENT in user.roles and user.unit_id is not None:
        return column == user.unit_id
    raise NotYours("zfw")


def _organ(unit: Unit | None, field: str) -> Unit:
    if unit is None:
        raise ZfwError("找不到该单位代码。", field)
    if not is_organ(unit):
        raise ZfwError(f"{unit.name}不是政法机关（法院、检察院、公安、司法行政及其区县单位）。", field)
    return unit


def _open_matter(user, *, kind: str, title: str, description: str, ref: str, unit: Unit, deadline: date):
    matter = ledger.create_matter(module=MODULE, kind=kind, title=title, description=description, source="市委政法委",
                                  ref=ref, responsible_unit_id=unit.id, deadline=deadline, priority="high", user=user)
    ledger.move(matter, workflow.ASSIGNED, user=user, note="请按期办理并报告结果。")
    return matter


# -- 涉企案件评查 ------------------------------------------------------------------------------------
@dataclass
class ReviewInput:
    case_number: str
    case_type: str
    unit: Unit | None
    enterprise: Enterprise | None
    summary: str
    reviewed_on: date
    minor: bool
    major_loss: bool
    causes: list[str]
    finding: str
    opinion: str
    deadline: date | None


def create_review(user, data: ReviewInput) -> CaseReview:
    require_zfw(user)
    unit = _organ(data.unit, "unit_code")
    if data.case_type not in CASE_TYPES:
        raise ZfwError("请选择案件类别。", "case_type")
    if data.finding not in REVIEW_FINDINGS:
        raise ZfwError("请选择评查结论。", "finding")
    if data.reviewed_on > local_today():
        raise ZfwError("评查日期不能晚于今天。", "reviewed_on")
    unknown = set(data.causes) - set(rules.LENIENCY_CAUSES)
    if unknown:
        raise ZfwError("未知的情形。", "causes")
    if data.finding == "lenient" and not rules.leniency_applies(data.minor, data.major_loss, data.causes):
        raise ZfwError("建议从轻、减轻或免于处罚的，应是因缺乏经验、政策调整、市场变化、不可抗力等因素出现的轻微违法，"
                       "且未造成重大损失和影响。", "finding")
    if data.finding != "no_issue" and not data.opinion.strip():
        raise ZfwError("发现问题的，请写明评查意见（督促事项）。", "opinion")
    deadline = data.deadline or data.reviewed_on + timedelta(days=rules.REVIEW_RECTIFY_DAYS)
    if data.finding != "no_issue" and deadline <= data.reviewed_on:
        raise ZfwError("办理期限应晚于评查日期。", "deadline")
    review = CaseReview(case_number=data.case_number.strip(), case_type=data.case_type, handling_unit_id=unit.id,
                        enterprise_id=data.enterprise.id if data.enterprise else None, summary=data.summary.strip(),
                        reviewed_on=data.reviewed_on, minor=data.minor, major_loss=data.major_loss,
                        causes=",".join(c for c in rules.LENIENCY_CAUSES if c in data.causes), finding=data.finding,
                        opinion=data.opinion.strip(), created_by_id=user.id)
    add_unique(review, ZfwError(f"{unit.name}的案件“{review.case_number}”已评查登记。", "case_number"))
    if data.finding != "no_issue":
        review.matter = _open_matter(user, kind="review", title=f"案件评查督促：{review.case_number}",
                                     description=f"{review.finding_label}。{review.opinion}",
                                     ref=f"care.review:{review.id}", unit=unit, deadline=deadline)
    db.session.flush()
    audit.record("care.zfw.review", target=f"review:{review.id}", detail={"finding": data.finding, "unit": unit.code})
    return review


def review_query(user, *, q: str = "", finding: str = "", unit_id: int | None = None):
    stmt = select(CaseReview).where(_own_clause(user, CaseReview.handling_unit_id))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.outerjoin(Enterprise, Enterprise.id == CaseReview.enterprise_id).where(or_(
            CaseReview.case_number.ilike(like), CaseReview.summary.ilike(like), Enterprise.name.ilike(like)))
    if finding:
        stmt = stmt.where(CaseReview.finding == finding)
    if unit_id:
        stmt = stmt.where(CaseReview.handling_unit_id == unit_id)
    return stmt.order_by(CaseReview.reviewed_on.desc(), CaseReview.id.desc())


# -- 政治督察 problems ------------------------------------------------------------------------------
@dataclass
class ProblemInput:
    batch: str
    found_on: date
    unit: Unit | None
    category: str
    description: str
    rectify_by: date | None


def create_problem(user, data: ProblemInput) -> InspectionProblem:
    require_zfw(user)
    unit = _organ(data.unit, "unit_code")
    if data.category not in PROBLEM_CATEGORIES:
        raise ZfwError("请选择问题类别。", "category")
    if data.found_on > local_today():
        raise ZfwError("发现日期不能晚于今天。", "found_on")
    rectify_by = data.rectify_by or data.found_on + timedelta(days=rules.PROBLEM_RECTIFY_DAYS)
    if rectify_by <= data.found_on:
        raise ZfwError("整改期限应晚于发现日期。", "rectify_by")
    if rectify_by > data.found_on + timedelta(days=rules.PROBLEM_MAX_DAYS):
        raise ZfwError(f"整改期限最长为发现之日起 {rules.PROBLEM_MAX_DAYS} 天。", "rectify_by")
    problem = InspectionProblem(batch=data.batch.strip(), found_on=data.found_on, unit_id=unit.id,
                                category=data.category, description=data.description.strip(), rectify_by=rectify_by,
                                created_by_id=user.id)
    db.session.add(problem)
    db.session.flush()
    problem.matter = _open_matter(user, kind="problem", title=f"政治督察问题整改：{unit.name}",
                                  description=problem.description, ref=f"care.problem:{problem.id}", unit=unit,
                                  deadline=rectify_by)
    db.session.flush()
    audit.record("care.zfw.problem", target=f"problem:{problem.id}", detail={"unit": unit.code, "batch": problem.batch})
    return problem


def problem_query(user, *, q: str = "", category: str = "", unit_id: int | None = None, batch: str = ""):
    stmt = select(InspectionProblem).where(_own_clause(user, InspectionProblem.unit_id))
    if q:
        stmt = stmt.where(InspectionProblem.description.ilike(f"%{q.strip()}%"))
    if category:
        stmt = stmt.where(InspectionProblem.category == category)
    if unit_id:
        stmt = stmt.where(InspectionProblem.unit_id == unit_id)
    if batch:
        stmt = stmt.where(InspectionProblem.batch == batch)
    return stmt.order_by(InspectionProblem.found_on.desc(), InspectionProblem.id.desc())


def rectified_on(problems) -> dict[int, date]:
    """problem id → the day its rectification was reported (its matter concluded)."""
    by_matter = {p.matter_id: p.id for p in problems if p.matter_id}
    return {by_matter[m]: day for m, day in concluded_on(by_matter).items()}


# -- the quarterly circular (定期通报) -------------------------------------------------------------------
CIRCULAR_COLUMNS = (("unit", "被督察单位"), ("found", "本期发现问题"), ("rectified", "按期整改"),
                    ("rectified_late", "逾期整改"), ("open", "尚未整改"), ("overdue", "其中逾期"),
                    ("reviews", "本期评查案件"), ("review_issues", "其中发现问题"))


def circular_rows(year: int, quarter: int) -> list[dict]:
    """The circular's table for a quarter, computed now from the ledgers."""
    start, end = rules.quarter_bounds(year, quarter)
    problems = list(db.session.scalars(select(InspectionProblem).where(InspectionProblem.found_on <= end)))
    done = rectified_on(problems)
    units = {p.unit_id: p.unit for p in problems}
    facts = [rules.ProblemFacts(str(p.unit_id), p.found_on, p.rectify_by, done.get(p.id)) for p in problems]
    counts = {int(c.unit): c for c in rules.circular_counts(facts, start, end)}
    reviews: dict[int, list[int]] = {}
    for review in db.session.scalars(select(CaseReview).where(CaseReview.reviewed_on.between(start, end))):
        units[review.handling_unit_id] = review.handling_unit
        row = reviews.setdefault(review.handling_unit_id, [0, 0])
        row[0] += 1
        row[1] += review.finding != "no_issue"
    rows = []
    for unit_id, unit in sorted(units.items(), key=lambda item: item[1].code):
        c = counts.get(unit_id)
        rows.append({"unit": unit.name, "code": unit.code, "found": c.found if c else 0,
                     "rectified": c.rectified if c else 0, "rectified_late": c.rectified_late if c else 0,
                     "open": c.open if c else 0, "overdue": c.overdue if c else 0,
                     "reviews": reviews.get(unit_id, [0, 0])[0], "review_issues": reviews.get(unit_id, [0, 0])[1]})
    return rows


def issue_circular(user, year: int, quarter: int, note: str, on: date | None = None) -> ZfwCircular:
    """Freeze and issue a quarter's circular (irreversible): only after the quarter has ended, once."""
    require_zfw(user)
    on = on or local_today()
    try:
        start, end = rules.quarter_bounds(year, quarter)
    except rules.CareRuleError as exc:
        raise ZfwError(str(exc), "quarter") from None
    if on <= end:
        raise ZfwError(f"{year}年第{quarter}季度尚未结束（{end.isoformat()}），结束后再通报。", "quarter")
    if db.session.scalar(select(ZfwCircular.id).where(ZfwCircular.year == year, ZfwCircular.quarter == quarter)):
        raise ZfwError(f"{year}年第{quarter}季度的通报已经印发。", "quarter")
    circular = ZfwCircular(year=year, quarter=quarter, issued_on=on, note=note.strip(), issued_by_id=user.id,
                           content=json.dumps({"start": start.isoformat(), "end": end.isoformat(),
                                               "rows": circular_rows(year, quarter)}, ensure_ascii=False))
    add_unique(circular, ZfwError(f"{year}年第{quarter}季度的通报已经印发。", "quarter"))
    audit.record("care.zfw.circular", target=f"zfw_circular:{circular.id}", detail={"year": year, "quarter": quarter})
    return circular


def circular_content(circular: ZfwCircular) -> dict:
    return json.loads(circular.content)


def can_read_circular(user, circular: ZfwCircular) -> bool:
    if is_zfw(user) or R.LEADER in user.roles:
        return True
    code = unit_code_of(user)
    return R.DEPARTMENT in user.roles and any(r["code"] == code for r in circular_content(circular)["rows"])


def statistics(user, today: date | None = None) -> dict[str, int]:
    """Open and overdue follow-ups of the 政法委's ledgers this user sees (ZFW: all; an organ: its own)."""
    today = today or local_today()
    stmt = select(func.count()).select_from(Matter).where(Matter.module == MODULE, ledger.visibility_clause(user))
    return {"open": db.session.scalar(stmt.where(Matter.status.in_(workflow.OPEN_STATUSES))),
            "overdue": db.session.scalar(stmt.where(ledger.overdue_clause(today))),
            "to_close": db.session.scalar(stmt.where(Matter.status.in_((workflow.CONCLUDED, workflow.FEEDBACK_GIVEN))))}
