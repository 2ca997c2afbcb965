"""扫码入企: check codes on inspection notices, confirmations at the door, unfiled visits, ratings.

* A unit prints the inspection notice (检查通知书) of a filed item for its enterprise (a named item's
  enterprise, or each enterprise a draw picked). Printing makes a fresh random check code (128
  bits, shown once on the notice with its QR code) and revokes the earlier one; only its keyed hash
  is kept.
* At the door the enterprise scans the QR (the portal's confirm page; login required) or types the
  code, sees what was filed, and confirms the visit (one confirmation per item and enterprise). A
  code of another enterprise does not exist for it.
* A visit with no filed item is reported on the spot: it becomes an enterprise report (举报, kind
  `unfiled`), a matter for the justice bureau, and counts in the quarterly circular as an unfiled
  visit reported by an enterprise.
* After the visit the enterprise rates it once: conduct and burden, 1–5, and may comment.
"""
from __future__ import annotations

import base64
import io
import secrets
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.crypto import keyed_hash
from govsvc.extensions import db
from govsvc.inspections.access import NotAllowed, ServiceError, department_unit
from govsvc.inspections.models import ACCEPTED, FILED, Draw, DrawCandidate, InspectionPlan, InspectionResult, PlanItem
from govsvc.portal.models import CheckCode, Visit
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today, utcnow

PURPOSE = "portal-check-code"


def enterprise_of(user) -> Enterprise:
    if not user.has_role(R.ENTERPRISE, R.EVALUATOR) or user.enterprise is None:
        raise NotAllowed("not an enterprise account")
    return user.enterprise


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return keyed_hash(PURPOSE, normalise(code))


def new_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


# -- notices (the unit) ------------------------------------------------------------------------------
def notice_targets(item: PlanItem) -> list[Enterprise]:
    """The enterprises an item inspects: its named enterprise, or the enterprises its draw picked."""
    if item.enterprise is not None:
        return [item.enterprise]
    if item.draw is None or not item.draw.drawn:
        return []
    ids = [c.enterprise_id for c in item.draw.candidates if c.pick_rank]
    return list(db.session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)).order_by(Enterprise.credit_code)))


def issue_notice(user, item: PlanItem, enterprise: Enterprise, at: datetime | None = None) -> str:
    """A fresh check code for (item, enterprise); earlier codes for the pair are revoked."""
    unit = department_unit(user)
    if item.plan.unit_id != unit.id:
        raise NotAllowed("notice for another unit's item")
    if not item.usable:
        raise ServiceError("只有已备案、审核通过且未取消的计划事项才能出具检查通知书。")
    if enterprise.id not in {e.id for e in notice_targets(item)}:
        raise ServiceError("该企业不是本事项的检查对象。")
    at = at or utcnow()
    db.session.execute(update(CheckCode).where(CheckCode.item_id == item.id, CheckCode.enterprise_id == enterprise.id,
                                               CheckCode.revoked_at.is_(None)).values(revoked_at=at))
    code = new_code()
    db.session.add(CheckCode(code_hash=code_hash(code), item_id=item.id, enterprise_id=enterprise.id, issued_at=at,
                             issued_by_id=user.id))
    db.session.flush()
    audit.record("portal.notice.issued", target=f"inspection_item:{item.id}", detail={"enterprise": enterprise.credit_code})
    return code


def qr_svg(text: str) -> str:
    """The QR code of `text` as inline SVG (the qrcode package, no Pillow)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg"):]


# -- at the door (the enterprise) -------------------------------------------------------------------------
def lookup(user, code: str) -> CheckCode | None:
    """The live check code for the user's enterprise (None: unknown, revoked or another enterprise's)."""
    enterprise = enterprise_of(user)
    found = db.session.scalar(select(CheckCode).where(CheckCode.code_hash == code_hash(code)))
    if found is None or found.revoked_at is not None or found.enterprise_id != enterprise.id:
        return None
    return found


def visit_of(enterprise_id: int, item_id: int) -> Visit | None:
    return db.session.scalar(select(Visit).where(Visit.enterprise_id == enterprise_id, Visit.item_id == item_id))


def confirm(user, check: CheckCode, visit_date: date | None, at: datetime | None = None) -> Visit:
    enterprise = enterprise_of(user)
    if check.enterprise_id != enterprise.id:
        raise NotAllowed("check code of another enterprise")
    if visit_date is None:
        raise ServiceError("请填写检查日期。", "visit_date")
    if visit_date > local_today():
        raise ServiceError("检查日期不能晚于今天。", "visit_date")
    if visit_of(enterprise.id, check.item_id) is not None:
        raise ServiceError("本次检查已经确认过。", "visit_date")
    visit = Visit(enterprise_id=enterprise.id, user_id=user.id, kind="confirmed", item_id=check.item_id,
                  unit_id=check.item.plan.unit_id, visit_date=visit_date, created_at=at or utcnow())
    try:
        with db.session.begin_nested():  # two taps at once: the unique (item, enterprise) settles it
            db.session.add(visit)
    except IntegrityError:
        raise ServiceError("本次检查已经确认过。", "visit_date") from None
    audit.record("portal.visit.confirmed", target=f"portal_visit:{visit.id}", detail={"item": check.item_id})
    return visit


def report_unfiled(user, *, unit: Unit | None, visit_date: date | None, inspectors: str, description: str,
                   at: datetime | None = None) -> Visit:
    """An inspection at the door with no filed item: a report to justice and a visit of kind unfiled."""
    from govsvc.inspections.reports import file_report

    enterprise = enterprise_of(user)
    if visit_date is None:
        raise ServiceError("请填写检查日期。", "visit_date")
    if visit_date > local_today():
        raise ServiceError("检查日期不能晚于今天。", "visit_date")
    if not (description or "").strip():
        raise ServiceError("请简要说明检查情况（检查人员出示的证件、检查内容等）。", "description")
    people = (inspectors or "").strip()
    report = file_report(user, kind="unfiled", unit=unit, incident_date=visit_date,
                         description=f"【扫码入企：现场报告未备案检查】\n执法人员：{people or '未记录'}\n{description.strip()}")
    visit = Visit(enterprise_id=enterprise.id, user_id=user.id, kind="unfiled", unit_id=unit.id if unit else None,
                  visit_date=visit_date, inspectors=people[:300], description=description.strip(),
                  report_id=report.id, created_at=at or utcnow())
    db.session.add(visit)
    db.session.flush()
    audit.record("portal.visit.unfiled", target=f"portal_visit:{visit.id}", detail={"report": report.id})
    return visit


def get_visit(user, visit_id: int) -> Visit | None:
    visit = db.session.get(Visit, visit_id)
    if visit is not None and visit.enterprise_id != enterprise_of(user).id:
        return None  # another enterprise's visit does not exist for this user
    return visit


def rate(user, visit: Visit, conduct: int | None, burden: int | None, comment: str,
         at: datetime | None = None) -> None:
    if visit.enterprise_id != enterprise_of(user).id:
        raise NotAllowed("visit of another enterprise")
    if conduct not in range(1, 6):
        raise ServiceError("请为执法人员的作风评分（1–5）。", "conduct")
    if burden not in range(1, 6):
        raise ServiceError("请为检查给企业带来的负担评分（1–5）。", "burden")
    at = at or utcnow()
    rated = db.session.execute(update(Visit).where(Visit.id == visit.id, Visit.rated_at.is_(None))
                               .values(conduct=conduct, burden=burden, comment=(comment or "").strip()[:2000],
                                       rated_at=at)).rowcount
    if rated != 1:
        raise ServiceError("本次检查已经评价过，评价提交后不能修改。")
    db.session.refresh(visit)
    audit.record("portal.visit.rated", target=f"portal_visit:{visit.id}", detail={"conduct": conduct, "burden": burden})


def visits_query(user, q: str = "", kind: str = ""):
    enterprise = enterprise_of(user)
    stmt = select(Visit).outerjoin(Visit.unit).where(Visit.enterprise_id == enterprise.id)
    if kind in ("confirmed", "unfiled"):
        stmt = stmt.where(Visit.kind == kind)
    if q:
        stmt = stmt.where(or_(Unit.name.ilike(f"%{q.strip()}%"), Visit.inspectors.ilike(f"%{q.strip()}%")))
    return stmt.order_by(Visit.visit_date.desc(), Visit.id.desc())


# -- what is filed on the enterprise -------------------------------------------------------------------------
def filed_items_query(user, q: str = ""):
    """Items filed with justice that name the enterprise or whose draw picked it."""
    enterprise = enterprise_of(user)
    drawn = (select(Draw.item_id).join(DrawCandidate, DrawCandidate.draw_id == Draw.id)
             .where(DrawCandidate.enterprise_id == enterprise.id, DrawCandidate.pick_rank.is_not(None)))
    stmt = (select(PlanItem).join(PlanItem.plan).join(InspectionPlan.unit)
            .where(InspectionPlan.status.in_((FILED, ACCEPTED)),
                   or_(PlanItem.enterprise_id == enterprise.id, PlanItem.id.in_(drawn))))
    if q:
        stmt = stmt.where(or_(Unit.name.ilike(f"%{q.strip()}%"), PlanItem.category.ilike(f"%{q.strip()}%")))
    return stmt.order_by(PlanItem.planned_date.desc(), PlanItem.id.desc())


def results_of(user) -> list[InspectionResult]:
    enterprise = enterprise_of(user)
    return list(db.session.scalars(select(InspectionResult).where(InspectionResult.enterprise_id == enterprise.id,
                                                                  InspectionResult.status == "filed")
                                   .order_by(InspectionResult.inspected_on.desc()).limit(50)))
