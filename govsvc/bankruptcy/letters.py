"""函告 / 函复 (seed 001 "督促推进机制"): the office assigns a coordination matter to a unit by a
numbered letter (府院函〔YYYY〕N号) with a reply deadline; the unit replies (函复) on its page.
A reply after the deadline day is late (逾期函复), no reply after it overdue (逾期未复): the office
urges (督办: the letter's matter becomes urgent) and every late or overdue letter is circulated in
the quarter's letter circular (函复情况通报), which every member unit reads.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, or_, select
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.bankruptcy import matters as matter_service
from govsvc.bankruptcy.access import NotAllowed, ServiceError, is_office, sees_all, unit_scope
from govsvc.bankruptcy.directory import mechanism, office_name
from govsvc.bankruptcy.models import COORD_KINDS, LETTER, Letter, MatterInfo
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.registry.models import Unit
from govsvc.timeutil import local_today, utcnow
from scoring import bankruptcy as core


def state(letter: Letter, today: date | None = None) -> str:
    return core.reply_state(letter.reply_due, letter.replied_on, today or local_today())


def default_due(today: date | None = None) -> date:
    return core.reply_due(today or local_today(), mechanism().reply_days)


def issue(user, *, to_unit: Unit, subject: str, body: str, reply_due: date | None = None, coord_matter: Matter | None = None,
          case=None, confirm: bool = False, today: date | None = None) -> Letter:
    """函告: numbered, printable, a ledger matter for the unit (交办, deadline = reply due)."""
    if not is_office(user):
        raise NotAllowed("issue letter")
    today = today or local_today()
    reply_due = reply_due or default_due(today)
    errors = {}
    if not subject.strip():
        errors["subject"] = "请填写函件标题。"
    if not body.strip():
        errors["body"] = "请填写函告内容。"
    if reply_due <= today:
        errors["reply_due"] = "函复期限应晚于今天。"
    if coord_matter is not None and coord_matter.kind not in COORD_KINDS:
        errors["subject"] = "只能就协调事项函告。"
    elif coord_matter is not None and coord_matter.status not in workflow.OPEN_STATUSES:
        errors["subject"] = f"协调事项 #{coord_matter.id} 当前为“{coord_matter.status_label}”，不能再函告。"
    if not confirm:
        errors["confirm"] = "函告发出后将编号并计入成员单位考核，请勾选确认。"
    if errors:
        raise ServiceError(errors)
    if coord_matter is not None and case is None:
        info = matter_service.info_of(coord_matter)
        case = info.case if info else None
    matter = ledger.create_matter(module="bankruptcy", kind=LETTER, title=subject.strip()[:200],
                                  description=body.strip(), source=office_name()[:100],
                                  responsible_unit_id=to_unit.id, deadline=reply_due, user=user)
    base = matter_service.info_of(coord_matter) if coord_matter is not None else None
    db.session.add(MatterInfo(matter_id=matter.id, matter_type=base.matter_type if base else "other",
                              case_id=case.id if case else None))
    year = today.year
    for _ in range(5):  # two issuers racing for the same number: the unique constraint decides
        seq = (db.session.scalar(select(func.max(Letter.seq)).where(Letter.year == year)) or 0) + 1
        letter = Letter(year=year, seq=seq, matter_id=matter.id, coord_matter_id=coord_matter.id if coord_matter else None,
                        case_id=case.id if case else None, to_unit_id=to_unit.id, subject=subject.strip()[:200],
                        body=body.strip(), issued_on=today, reply_due=reply_due, issued_by_id=user.id,
                        issuer=office_name())
        try:
            with db.session.begin_nested():
                db.session.add(letter)
                db.session.flush()
        except IntegrityError:
            continue
        matter.ref, matter.title = f"bankruptcy.letter:{letter.id}", f"{letter.number} {letter.subject}"[:200]
        ledger.move(matter, workflow.ASSIGNED, user=user, note=f"{letter.number}函告，请于 {reply_due.isoformat()} 前函复。")
        if (coord_matter is not None and coord_matter.responsible_unit_id == to_unit.id
                and coord_matter.status in (workflow.RECEIVED, workflow.RETURNED)):
            ledger.move(coord_matter, workflow.ASSIGNED, user=user, note=f"以{letter.number}函告交办。")
        audit.record("bankruptcy.letter.issue", target=f"bankruptcy.letter:{letter.id}",
                     detail={"number": letter.number, "to": to_unit.code, "due": reply_due})
        return letter
    raise RuntimeError("could not allocate a letter number")


def may_reply(user, letter: Letter) -> bool:
    return (letter.replied_on is None and user.has_role(R.DEPARTMENT) and user.unit_id is not None
            and user.unit_id == letter.to_unit_id)


def reply(user, letter: Letter, text: str, *, confirm: bool, today: date | None = None) -> Letter:
    """函复 by the unit written to. A reply after the due day is kept and flagged late."""
    if not may_reply(user, letter):
        if letter.replied_on is not None:
            raise ServiceError({"reply": "该函件已函复。"})
        raise NotAllowed("reply to another unit's letter")
    errors = {}
    if not text.strip():
        errors["reply"] = "请填写函复内容（协办结果）。"
    if not confirm:
        errors["confirm"] = "函复提交后不能修改，请勾选确认。"
    if errors:
        raise ServiceError(errors)
    today = today or local_today()
    letter.replied_on, letter.reply, letter.replied_by_id, letter.replied_at = today, text.strip(), user.id, utcnow()
    matter = letter.matter
    if matter.status == workflow.ASSIGNED:
        ledger.move(matter, workflow.IN_PROGRESS, user=user)
    late = state(letter, today) == "late"
    ledger.move(matter, workflow.CONCLUDED, user=user,
                note=("【逾期函复】" if late else "") + f"函复：{text.strip()}")
    audit.record("bankruptcy.letter.reply", target=f"bankruptcy.letter:{letter.id}",
                 detail={"late": late, "due": letter.reply_due, "replied_on": today})
    return letter


def urge(user, letter: Letter, note: str, deadline: date | None = None):
    """督办 an unanswered letter (typically overdue): urgent, optionally a new deadline. The
    original due day stays the one the reply is judged against."""
    if not is_office(user):
        raise NotAllowed("urge letter")
    if letter.replied_on is not None:
        raise ServiceError({"note": "该函件已函复，无需督办。"})
    return matter_service.supervise_matter(user, letter.matter, note or "逾期未函复，请立即函复。", deadline)


def close(user, letter: Letter, *, note: str, confirm: bool) -> Letter:
    """销号 after the reply: the office's feedback (反馈) and close-out."""
    if not is_office(user):
        raise NotAllowed("close letter")
    if letter.replied_on is None or letter.matter.status != workflow.CONCLUDED:
        raise ServiceError({"note": "函件尚未函复，不能销号。"})
    if not confirm:
        raise ServiceError({"confirm": "销号后不能撤回，请勾选确认。"})
    ledger.move(letter.matter, workflow.FEEDBACK_GIVEN, user=user, note=note.strip() or "函复收悉。")
    ledger.move(letter.matter, workflow.CLOSED, user=user, note="销号。")
    return letter


# -- reading -----------------------------------------------------------------------------------
def can_see(user, letter: Letter) -> bool:
    return sees_all(user) or letter.to_unit_id == unit_scope(user)


STATES = {"pending": "待函复", "overdue": "逾期未复", "on_time": "按期函复", "late": "逾期函复"}


def letter_query(user, *, q: str = "", state_: str = "", unit_id: int | None = None, year: int | None = None,
                 today: date | None = None):
    today = today or local_today()
    stmt = select(Letter)
    if not sees_all(user):
        stmt = stmt.where(Letter.to_unit_id == unit_scope(user))
    q = (q or "").replace("\x00", "").strip()
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Letter.subject.ilike(like), Letter.body.ilike(like), Letter.reply.ilike(like)))
    if state_ == "pending":
        stmt = stmt.where(Letter.replied_on.is_(None), Letter.reply_due >= today)
    elif state_ == "overdue":
        stmt = stmt.where(Letter.replied_on.is_(None), Letter.reply_due < today)
    elif state_ == "on_time":
        stmt = stmt.where(Letter.replied_on.is_not(None), Letter.replied_on <= Letter.reply_due)
    elif state_ == "late":
        stmt = stmt.where(Letter.replied_on.is_not(None), Letter.replied_on > Letter.reply_due)
    if unit_id:
        stmt = stmt.where(Letter.to_unit_id == unit_id)
    if year:
        stmt = stmt.where(Letter.year == year)
    overdue = (Letter.replied_on.is_(None)) & (Letter.reply_due < today)
    return stmt.order_by(case((overdue, 0), else_=1), Letter.year.desc(), Letter.seq.desc())


@dataclass
class CircularRow:
    letter: Letter
    state: str
    days_late: int


def letter_circular(first: date, last: date, today: date | None = None) -> tuple[list[CircularRow], dict]:
    """The letters due within [first, last] that were answered late or are overdue, and the
    period's counts by state (函复情况通报)."""
    today = today or local_today()
    letters = db.session.scalars(select(Letter).where(Letter.reply_due >= first, Letter.reply_due <= last)
                                 .order_by(Letter.to_unit_id, Letter.year, Letter.seq)).all()
    counts = {k: 0 for k in STATES}
    rows = []
    for letter in letters:
        st = state(letter, today)
        counts[st] += 1
        if st in ("late", "overdue"):
            end = letter.replied_on or today
            rows.append(CircularRow(letter, st, (end - letter.reply_due).days))
    return rows, counts
