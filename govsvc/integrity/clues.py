"""Clues (问题线索) on the shared matter ledger, and the 督办 and 整改 ledgers.

A clue is a matter with module "integrity" and kind `clue.<channel>`; its responsible unit is
the unit concerned (被反映单位), whose discipline staff handle it. Enterprise-related clues
(涉企) are handled first: priority "high", a shorter default deadline, listed first. Staff enter
hotline, letter and visit clues; the public files online complaints (with a tracking code);
other modules refer clues as bare matters (kind "clue.referral"), adopted here on first action.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, or_, select

from govsvc import audit, throttle
from govsvc.crypto import keyed_hash
from govsvc.extensions import db
from govsvc.integrity import scope
from govsvc.integrity.models import CLUE_CHANNELS, RECTIFICATION, STAFF_CHANNELS, SUPERVISION, VERIFICATIONS, Clue
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter, MatterEvent
from govsvc.timeutil import local_datetime, local_today
from scoring.integrity import TRACKING_CHARS, format_code, normalise_code
from scoring.integrity import IntegrityError as CodeError

# Default handling deadlines (days from receipt); staff may set another on assignment.
DEADLINE_DAYS = {True: 30, False: 60}
ONLINE_LIMIT = 5                      # online complaints per submitting network …
ONLINE_WINDOW = timedelta(hours=1)    # … within this window (govsvc.throttle, in the database)
ONLINE_SCOPE = throttle.register_scope("complaint", ONLINE_LIMIT, ONLINE_WINDOW)
TRACKING_PURPOSE = "complaint-tracking"


class ClueError(ValueError):
    """{field name: Chinese message}"""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def clue_ref(matter: Matter) -> str:
    return f"integrity.clue:{matter.id}"


def new_tracking_code(raw: bytes | None = None) -> str:
    """160 random bits as a code of 32 base32 characters (only its keyed hash is stored)."""
    return format_code((raw or secrets.token_bytes(20)).hex(), TRACKING_CHARS)


def tracking_hash(code: str) -> str:
    return keyed_hash(TRACKING_PURPOSE, code)


def _create(user, *, channel: str, title: str, description: str, unit_id: int | None, enterprise_related: bool,
            details: dict, tracking: bool, received_on: date, code_bytes: bytes | None = None) -> tuple[Clue, str | None]:
    matter = ledger.create_matter(
        module="integrity", kind=channel, title=title.strip(), description=description.strip(),
        source=CLUE_CHANNELS[channel], responsible_unit_id=unit_id,
        deadline=received_on + timedelta(days=DEADLINE_DAYS[enterprise_related]),
        priority="high" if enterprise_related else "normal", user=user)
    code = new_tracking_code(code_bytes) if tracking else None
    clue = Clue(matter_id=matter.id, enterprise_related=enterprise_related,
                tracking_hash=tracking_hash(code) if code else None,
                received_on=received_on, **details)
    db.session.add(clue)
    db.session.flush()
    audit.record("integrity.clue.create", target=f"matter:{matter.id}",
                 detail={"channel": channel, "enterprise_related": enterprise_related}, category="integrity")
    return clue, code


DETAIL_FIELDS = ("complainant_name", "complainant_contact", "enterprise_name", "accused")


def intake(user, *, channel: str, title: str, description: str, unit_id: int | None, enterprise_related: bool,
           received_on: date | None = None, tracking: bool = False, **details) -> tuple[Clue, str | None]:
    """Staff enter a clue received by phone (12388), letter, visit or found in oversight; the
    default deadline runs from the day it was received."""
    errors = {}
    today = local_today()
    received_on = received_on or today
    if received_on > today:
        errors["received_on"] = "收到日期不能晚于今天。"
    if channel not in STAFF_CHANNELS:
        errors["channel"] = "请选择线索来源。"
    if unit_id is None and not scope.is_city_wide(user):
        errors["unit_code"] = "请填写被反映单位（本账号联系的单位）。"
    elif not scope.covers_unit(user, unit_id):
        errors["unit_code"] = "该单位不在本账号联系范围内。"
    if errors:
        raise ClueError(errors)
    return _create(user, channel=channel, title=title, description=description, unit_id=unit_id,
                   enterprise_related=enterprise_related, tracking=tracking, received_on=received_on,
                   details={k: (details.get(k) or "").strip() for k in DETAIL_FIELDS})


def submit_online(*, title: str, description: str, unit_id: int | None, enterprise_related: bool,
                  address: str, code_bytes: bytes | None = None, **details) -> tuple[Clue, str]:
    """The public complaint column: returns the clue and its tracking code (shown once).
    The complainant's address is used only by the abuse throttle (govsvc.throttle: a keyed hash
    of the network, deleted after the window) and stored nowhere else.
    `code_bytes` fixes the code's 20 random bytes (the demo's published code); never from a request."""
    try:
        throttle.hit(ONLINE_SCOPE, address)
    except throttle.Throttled:
        raise ClueError({"title": "提交过于频繁，请一小时后再试；紧急情况请拨打 12388。"}) from None
    clue, code = _create(None, channel="clue.online", title=title, description=description, unit_id=unit_id,
                         enterprise_related=enterprise_related, tracking=True, received_on=local_today(),
                         code_bytes=code_bytes, details={k: (details.get(k) or "").strip() for k in DETAIL_FIELDS})
    return clue, code


# -- the clue ledger ------------------------------------------------------------------------------
def enterprise_related_clause():
    return or_(Clue.enterprise_related.is_(True), and_(Clue.id.is_(None), Matter.kind == "clue.referral"))


def clue_query(user, *, q: str = "", channel: str = "", status: str = "", enterprise: str = "",
               overdue: bool = False):
    """(Matter, Clue | None) rows: overdue first, then enterprise-related, then by deadline."""
    today = local_today()
    is_overdue = ledger.overdue_clause(today)
    related = enterprise_related_clause()
    stmt = (select(Matter, Clue).outerjoin(Clue, Clue.matter_id == Matter.id)
            .where(Matter.module == "integrity", Matter.kind.in_(CLUE_CHANNELS), ledger.visibility_clause(user)))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Matter.title.ilike(like), Matter.description.ilike(like), Clue.accused.ilike(like),
                              Clue.enterprise_name.ilike(like)))
    if channel:
        stmt = stmt.where(Matter.kind == channel)
    if status:
        stmt = stmt.where(Matter.status == status)
    if enterprise == "1":
        stmt = stmt.where(related)
    elif enterprise == "0":
        stmt = stmt.where(~related)
    if overdue:
        stmt = stmt.where(is_overdue)
    return stmt.order_by(case((is_overdue, 0), else_=1), case((related, 0), else_=1), Matter.deadline.is_(None),
                         Matter.deadline, Matter.id.desc())


def ledger_query(user, kind: str, *, q: str = "", status: str = "", overdue: bool = False):
    """The 督办 or 整改 ledger."""
    return ledger.matters_query(user, q=q, status=status, module="integrity", overdue=overdue).where(Matter.kind == kind)


def get_clue_matter(user, matter_id: int) -> Matter | None:
    matter = db.session.get(Matter, matter_id)
    if matter is None or matter.module != "integrity" or matter.kind not in CLUE_CHANNELS:
        return None
    if matter.responsible_unit_id is None:
        scope.check_city_wide(user)  # a clue whose unit is not yet known: city-wide staff only
    else:
        scope.check_unit(user, matter.responsible_unit_id)
    return matter


def clue_of(matter: Matter) -> Clue | None:
    return db.session.scalar(select(Clue).where(Clue.matter_id == matter.id))


def adopt(matter: Matter) -> Clue:
    """The Clue row of a matter, created for a referral the first time staff act on it."""
    clue = clue_of(matter)
    if clue is None:
        clue = Clue(matter_id=matter.id, enterprise_related=True,
                    received_on=local_datetime(matter.created_at).date())
        db.session.add(clue)
        if matter.priority == "normal":
            matter.priority = "high"
        db.session.flush()
        audit.record("integrity.clue.adopt", target=f"matter:{matter.id}", detail={"ref": matter.ref},
                     category="integrity")
    return clue


def act(user, matter: Matter, target: str, *, note: str = "", verification: str = "", unit_id: int | None = None,
        deadline: date | None = None, rectify_by: date | None = None) -> MatterEvent:
    """Move a clue along the ledger (受理交办, 核查, 办结 with the verification result, 反馈 to
    the complainant, 销号). Concluding may order the unit to rectify (a 整改 matter). Everything
    is checked before anything is written."""
    errors = {}
    today = local_today()
    if target not in ledger.allowed_moves(user, matter):
        errors["target"] = "当前不能进行该操作。"
    else:
        try:
            workflow.check_transition(matter.status, target, note)
        except workflow.TransitionError as exc:
            errors["note"] = str(exc)
    if target == workflow.CONCLUDED and verification not in VERIFICATIONS:
        errors["verification"] = "办结时请选择核实结论。"
    if unit_id is not None and not scope.covers_unit(user, unit_id):
        errors["unit_code"] = "该单位不在本账号联系范围内。"
    if target == workflow.ASSIGNED and unit_id is None and matter.responsible_unit_id is None:
        errors["unit_code"] = "交办时请填写承办单位代码。"
    if rectify_by is not None and target != workflow.CONCLUDED:
        errors["rectify_by"] = "只有办结时才能责令整改。"
    elif rectify_by is not None and rectify_by < today:
        errors["rectify_by"] = "整改期限不能早于今天。"
    if deadline is not None and deadline < today:
        errors["deadline"] = "办理期限不能早于今天。"
    if errors:
        raise ClueError(errors)
    clue = adopt(matter)
    event = ledger.move(matter, target, user=user, note=note.strip(), responsible_unit_id=unit_id, deadline=deadline)
    if target == workflow.CONCLUDED:
        clue.verification = verification
        if rectify_by is not None:
            order_rectification(user, matter, rectify_by, note.strip())
    return event


def supervise(user, matter: Matter, *, deadline: date, note: str) -> Matter:
    """Put a clue under supervision (督办): a matter on the 督办 ledger, urgent, assigned to the
    unit concerned."""
    errors = {}
    if matter.status not in workflow.OPEN_STATUSES:
        errors["deadline"] = "只能督办尚未办结的线索。"
    elif deadline < local_today():
        errors["deadline"] = "督办期限不能早于今天。"
    if not note.strip():
        errors["note"] = "请写明督办要求。"
    if matter.responsible_unit_id is None:
        errors["deadline"] = "请先交办线索（确定承办单位）再督办。"
    if errors:
        raise ClueError(errors)
    adopt(matter)
    sup = ledger.create_matter(module="integrity", kind=SUPERVISION, title=f"督办：{matter.title}",
                               description=note.strip(), source=f"线索 #{matter.id}", ref=clue_ref(matter),
                               responsible_unit_id=matter.responsible_unit_id, deadline=deadline,
                               priority="urgent", user=user)
    ledger.move(sup, workflow.ASSIGNED, user=user, note=note.strip())
    return sup


def order_rectification(user, matter: Matter, deadline: date, note: str) -> Matter:
    """Order the unit concerned to rectify (整改) by `deadline`: a matter on the 整改 ledger."""
    rect = ledger.create_matter(module="integrity", kind=RECTIFICATION, title=f"整改：{matter.title}",
                                description=note, source=f"线索 #{matter.id}", ref=clue_ref(matter),
                                responsible_unit_id=matter.responsible_unit_id, deadline=deadline,
                                priority="high", user=user)
    ledger.move(rect, workflow.ASSIGNED, user=user, note="责令限期整改。")
    return rect


def related_matters(matter: Matter) -> list[Matter]:
    return list(db.session.scalars(select(Matter).where(Matter.ref == clue_ref(matter)).order_by(Matter.id)))


# -- public tracking ------------------------------------------------------------------------------
PUBLIC_STATUS = {
    workflow.RECEIVED: "已受理",
    workflow.ASSIGNED: "正在办理",
    workflow.IN_PROGRESS: "正在办理",
    workflow.RETURNED: "正在办理",
    workflow.CONCLUDED: "已办结，正在答复",
    workflow.FEEDBACK_GIVEN: "已答复",
    workflow.CLOSED: "已办结",
}


@dataclass
class Tracking:
    number: int
    received_at: datetime
    status: str
    reply: str
    replied_at: datetime | None


def track(typed_code: str) -> Tracking | None:
    """What the holder of a tracking code may see: received when, how far, and the answer."""
    try:
        code = normalise_code(typed_code, TRACKING_CHARS)
    except CodeError as exc:
        raise ClueError({"code": "查询码" + str(exc)}) from None
    clue = db.session.scalar(select(Clue).where(Clue.tracking_hash == tracking_hash(code)))
    if clue is None:
        return None
    matter = clue.matter
    replies = [e for e in matter.events if e.to_status == workflow.FEEDBACK_GIVEN]
    reply = replies[-1] if replies else None
    return Tracking(number=matter.id, received_at=matter.created_at, status=PUBLIC_STATUS[matter.status],
                    reply=reply.note if reply else "", replied_at=reply.at if reply else None)
