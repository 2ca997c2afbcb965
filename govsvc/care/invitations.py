"""站台 invitations (各级干部大胆为企业"站台"): an enterprise invites a city leader to an activity of
the listed kinds, pledging that no benefit is given (不搞利益输送). 工信局 (the office) screens it
(企业提出、确有必要), fills the numbered 《市级领导参加服务企业活动邀请单》 and routes it to the
leader's office contact (市委办、人大办、政府办、政协办、法院、检察院); the office or the leader answers
(attending leader, or declined with a reason), which returns to the enterprise; after the day the
attendance is recorded. The liaison leader's own enterprise invites him directly (no screening,
no 邀请单). The register is readable by discipline staff (reads audited)."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import false, func, or_, select
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.care import liaison
from govsvc.care.liaison_access import (CareError, NotAllowed, enterprise_of, is_office, leader_office,
                                        require_enterprise, require_office)
from govsvc.care.liaison_leaders import profile_of
from govsvc.care.models import Invitation, InvitationEvent, LeaderProfile
from govsvc.extensions import db
from govsvc.registry.models import Enterprise
from govsvc.timeutil import local_today, utcnow
from scoring import liaison as core

PLEDGE_TEXT = ("本企业承诺：邀请市级领导参加本次活动只为企业发展，不搞利益输送，不搞拉拉扯扯、胡吃海喝，"
               "不安排宴请、礼品礼金及与活动无关的事项。")
TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:：][0-5]\d$")


def _event(user, inv: Invitation, target: str, note: str = "") -> None:
    inv.events.append(InvitationEvent(user_id=getattr(user, "id", None), username=getattr(user, "username", ""),
                                       from_state=inv.state or "", to_state=target, note=note))
    inv.state, inv.updated_at = target, utcnow()


def _move(user, inv: Invitation, target: str, note: str = "") -> None:
    if not core.can_move(inv.state, target):
        raise CareError(f"“{inv.state_label}”的邀请不能变为“{core.INVITATION_STATES[target]}”。")
    _event(user, inv, target, note)
    db.session.flush()
    audit.record(f"care.invitation.{target}", target=f"care_invitation:{inv.id}", detail={"note": note[:200]})


# -- who may do what -----------------------------------------------------------------------------
def _is_leader_of(user, inv: Invitation) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.id in (inv.leader_id, inv.attending_leader_id)


def _is_office_contact(user, inv: Invitation) -> bool:
    return inv.office is not None and leader_office(user) == inv.office.code


def may_read(user, inv: Invitation) -> bool:
    enterprise = enterprise_of(user)
    if enterprise is not None:
        return inv.enterprise_id == enterprise.id
    return (user.has_role(R.ADMIN, R.DISCIPLINE) or is_office(user) or _is_leader_of(user, inv)
            or _is_office_contact(user, inv))


def may_screen(user, inv: Invitation) -> bool:
    return inv.state == core.SCREEN and is_office(user)


def may_reply(user, inv: Invitation) -> bool:
    return inv.state == core.AWAITING and (_is_office_contact(user, inv) or _is_leader_of(user, inv))


def may_record_attendance(user, inv: Invitation) -> bool:
    return (inv.state == core.ACCEPTED and core.attendance_open(inv.activity_on, local_today())
            and (is_office(user) or _is_office_contact(user, inv) or _is_leader_of(user, inv)))


def may_cancel(user, inv: Invitation) -> bool:
    if inv.state not in (core.SCREEN, core.AWAITING, core.ACCEPTED):
        return False
    enterprise = enterprise_of(user)
    return is_office(user) or (enterprise is not None and enterprise.id == inv.enterprise_id)


# -- the enterprise's request ----------------------------------------------------------------------
def request(user, *, kind: str, title: str, activity_on: date | None, activity_time: str, place: str,
            description: str, contact_name: str, contact_phone: str, wished_leader: LeaderProfile | None,
            pledge: bool) -> Invitation:
    enterprise = require_enterprise(user)
    errors = {}
    if kind not in core.ACTIVITY_KINDS:
        errors["kind"] = "请选择活动类别。"
    for name, value, message in (("title", title, "请填写活动名称。"), ("place", place, "请填写活动地点。"),
                                 ("description", description, "请说明活动内容和邀请领导参加的必要性。"),
                                 ("contact_name", contact_name, "请填写企业联系人。"),
                                 ("contact_phone", contact_phone, "请填写联系电话。")):
        if not value.strip():
            errors[name] = message
    if activity_on is None:
        errors["activity_on"] = "请填写活动日期。"
    elif core.check_activity_day(activity_on, local_today()):
        errors["activity_on"] = core.check_activity_day(activity_on, local_today())
    if activity_time.strip() and not TIME_RE.match(activity_time.strip()):
        errors["activity_time"] = "时间格式如 09:30。"
    if wished_leader is not None and (wished_leader.level != core.CITY or not wished_leader.active):
        errors["wished_leader"] = "请选择在职的市级领导，或交工信局协调。"
    if not pledge:
        errors["pledge"] = "请确认不搞利益输送的承诺。"
    if errors:
        raise CareError(next(iter(errors.values())), errors=errors)
    found = liaison.liaison_of(enterprise.id)
    own_leader = found.leader.id if found is not None and found.level == core.CITY else None
    route = core.route(wished_leader.id if wished_leader else None, own_leader)
    inv = Invitation(year=local_today().year, enterprise_id=enterprise.id, route=route, state="", kind=kind,
                     title=title.strip(), activity_on=activity_on, activity_time=activity_time.strip().replace("：", ":"),
                     place=place.strip(), description=description.strip(), contact_name=contact_name.strip(),
                     contact_phone=contact_phone.strip(), wished_leader_id=wished_leader.id if wished_leader else None,
                     pledge=True, pledge_text=PLEDGE_TEXT, requested_by_id=user.id)
    if route == core.DIRECT:
        inv.leader, inv.office = wished_leader, wished_leader.office
    db.session.add(inv)
    _event(user, inv, core.first_state(route),
           "联系企业直接邀请联系领导（不再走邀请流程）。" if route == core.DIRECT else "企业提出邀请，待工信局筛选。")
    db.session.flush()
    audit.record("care.invitation.request", target=f"care_invitation:{inv.id}",
                 detail={"enterprise": enterprise.id, "route": route, "kind": kind})
    return inv


# -- screening and routing (工信局) ---------------------------------------------------------------
def _next_seq(year: int) -> int:
    return (db.session.scalar(select(func.max(Invitation.seq)).where(Invitation.year == year)) or 0) + 1


def screen(user, inv: Invitation, *, passed: bool, leader: LeaderProfile | None, note: str) -> None:
    require_office(user)
    if not may_screen(user, inv):
        raise CareError("该邀请不在待筛选状态。")
    note = note.strip()
    if not passed:
        if not note:
            raise CareError("请写明不予安排的理由（将告知企业）。", "note")
        inv.screening_note, inv.screened_at, inv.screened_by_id = note, utcnow(), user.id
        _move(user, inv, core.SCREENED_OUT, note)
        return
    if leader is None or leader.level != core.CITY or not leader.active:
        raise CareError("请选择拟邀请的市级领导。", "leader")
    if not note:
        raise CareError("请填写筛选意见（确有必要的理由）。", "note")
    for _ in range(5):  # two screeners racing for one number: the unique constraint decides
        inv.leader, inv.office = leader, leader.office
        inv.screening_note, inv.screened_at, inv.screened_by_id = note, utcnow(), user.id
        inv.seq = _next_seq(inv.year)
        try:
            with db.session.begin_nested():
                db.session.flush()
            break
        except IntegrityError:
            continue
    else:
        raise CareError("邀请单编号分配冲突，请重试。")
    _move(user, inv, core.AWAITING, f"填报邀请单 {inv.number}，送{inv.office.name}：{note}")


# -- the answer (the office contact or the leader) ----------------------------------------------
def reply(user, inv: Invitation, *, attending: bool, attending_leader: LeaderProfile | None, note: str) -> None:
    if not may_reply(user, inv):
        raise NotAllowed("answer this invitation")
    note = note.strip()
    if attending:
        leader = attending_leader or inv.leader
        if leader is None or leader.level != core.CITY:
            raise CareError("请选择出席的市级领导。", "attending_leader")
        inv.attending_leader, inv.outcome_note, inv.replied_at = leader, note, utcnow()
        _move(user, inv, core.ACCEPTED, f"{leader.label}出席。{note}".strip())
    else:
        if not note:
            raise CareError("请写明不能出席的原因（将告知企业）。", "note")
        inv.outcome_note, inv.replied_at = note, utcnow()
        _move(user, inv, core.DECLINED, note)


def record_attendance(user, inv: Invitation, *, note: str) -> None:
    if not may_record_attendance(user, inv):
        raise NotAllowed("record attendance")
    inv.attended_note = note.strip()
    _move(user, inv, core.ATTENDED, note.strip() or "领导已按时出席活动。")


def cancel(user, inv: Invitation, *, reason: str) -> None:
    if not may_cancel(user, inv):
        raise NotAllowed("cancel this invitation")
    if not reason.strip():
        raise CareError("请写明撤销原因。", "reason")
    _move(user, inv, core.CANCELLED, reason.strip())


# -- reading ---------------------------------------------------------------------------------------
def invitations_query(user, *, q: str = "", state: str = "", kind: str = "", route: str = "", year: int | None = None):
    stmt = select(Invitation).join(Enterprise, Enterprise.id == Invitation.enterprise_id)
    enterprise = enterprise_of(user)
    profile = profile_of(user)
    if enterprise is not None:
        stmt = stmt.where(Invitation.enterprise_id == enterprise.id)
    elif profile is not None:
        stmt = stmt.where(or_(Invitation.leader_id == profile.id, Invitation.attending_leader_id == profile.id))
    elif user.has_role(R.LEADER) and not user.has_role(R.ADMIN, R.DEPARTMENT, R.DISCIPLINE):
        stmt = stmt.where(false())  # a leader without a liaison profile is invited to nothing
    elif leader_office(user) and not is_office(user):
        stmt = stmt.where(Invitation.office_id == user.unit_id)
    elif not (user.has_role(R.ADMIN, R.DISCIPLINE) or is_office(user)):
        raise NotAllowed("the invitation register")
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Invitation.title.ilike(like), Invitation.place.ilike(like), Enterprise.name.ilike(like)))
    if state:
        stmt = stmt.where(Invitation.state == state)
    if kind:
        stmt = stmt.where(Invitation.kind == kind)
    if route:
        stmt = stmt.where(Invitation.route == route)
    if year:
        stmt = stmt.where(Invitation.year == year)
    return stmt.order_by(Invitation.activity_on.desc(), Invitation.id.desc())


_UNSET = object()


def waiting_counts(user, profile=_UNSET) -> dict[str, int]:
    """What waits for this user: invitations to screen, to answer, attendance to record.
    `profile`: the user's LeaderProfile (or None) when the caller has looked it up already."""
    def count(*where):
        return db.session.scalar(select(func.count()).select_from(Invitation).where(*where))

    today = local_today()
    if profile is _UNSET:
        profile = profile_of(user)
    if is_office(user):
        return {"screen": count(Invitation.state == core.SCREEN),
                "attend": count(Invitation.state == core.ACCEPTED, Invitation.activity_on <= today)}
    if profile is not None:
        mine = or_(Invitation.leader_id == profile.id, Invitation.attending_leader_id == profile.id)
        return {"reply": count(Invitation.state == core.AWAITING, Invitation.leader_id == profile.id),
                "upcoming": count(Invitation.state == core.ACCEPTED, Invitation.activity_on >= today, mine)}
    if leader_office(user):
        return {"reply": count(Invitation.state == core.AWAITING, Invitation.office_id == user.unit_id),
                "attend": count(Invitation.state == core.ACCEPTED, Invitation.activity_on <= today,
                                Invitation.office_id == user.unit_id)}
    return {}
