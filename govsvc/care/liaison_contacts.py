"""Contact records of leaders with their enterprises (见面建联, 蹲点调研, visits, calls, symposia) and
the direct-contact check (every served enterprise's head met by 10-31)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import false, func, or_, select

from govsvc import audit
from govsvc.care import liaison
from govsvc.care.liaison_access import CareError, NotAllowed, city_unit, is_office
from govsvc.care.liaison_leaders import profile_of
from govsvc.care.models import CONTACT_KINDS, LeaderProfile, LiaisonAssignment, LiaisonContact, LiaisonList
from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.registry.models import Enterprise
from govsvc.timeutil import local_today
from scoring import liaison as core

MEET = "meet"


def may_read_all(user) -> bool:
    return is_office(user) or city_unit(user) is not None or user.has_role(R.ADMIN)


def record_contact(user, *, enterprise: Enterprise, leader: LeaderProfile | None, kind: str, contact_on: date,
                   summary: str, problems: str = "") -> LiaisonContact:
    """A leader records his own contact; the office records one for any city leader."""
    own = profile_of(user)
    if own is not None:
        leader = own
    elif not is_office(user):
        raise NotAllowed("only a leader or the office records contacts")
    if leader is None:
        raise CareError("请选择联系领导。", "leader")
    if kind not in CONTACT_KINDS:
        raise CareError("请选择联系方式。", "kind")
    if contact_on > local_today():
        raise CareError("联系日期不能晚于今天。", "contact_on")
    if not summary.strip():
        raise CareError("请填写联系情况。", "summary")
    found = liaison.liaison_of(enterprise.id)
    if found is None or found.leader.id != leader.id:
        raise CareError(f"{leader.name}不是该企业的联系领导。", "enterprise")
    contact = LiaisonContact(enterprise_id=enterprise.id, leader_id=leader.id, kind=kind, contact_on=contact_on,
                             summary=summary.strip(), problems=problems.strip(), recorded_by_id=user.id)
    db.session.add(contact)
    db.session.flush()
    audit.record("care.contact.record", target=f"enterprise:{enterprise.id}", detail={"leader": leader.id, "kind": kind})
    return contact


def contacts_query(user, *, q: str = "", kind: str = "", leader_id: int | None = None, year: int | None = None):
    own = profile_of(user)
    stmt = select(LiaisonContact).join(Enterprise, Enterprise.id == LiaisonContact.enterprise_id)
    if own is not None:
        stmt = stmt.where(LiaisonContact.leader_id == own.id)
    elif user.has_role(R.LEADER) and not may_read_all(user):
        stmt = stmt.where(false())  # a leader without a liaison profile has no contacts
    elif not may_read_all(user):
        raise NotAllowed("contact records")
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), LiaisonContact.summary.ilike(like),
                              LiaisonContact.problems.ilike(like)))
    if kind:
        stmt = stmt.where(LiaisonContact.kind == kind)
    if leader_id:
        stmt = stmt.where(LiaisonContact.leader_id == leader_id)
    if year:
        stmt = stmt.where(LiaisonContact.contact_on.between(date(year, 1, 1), date(year, 12, 31)))
    return stmt.order_by(LiaisonContact.contact_on.desc(), LiaisonContact.id.desc())


def first_meetings(year: int, enterprise_ids: list[int] | None = None) -> dict[tuple[int, int], date]:
    """(enterprise, leader) → the first 见面建联 of the year."""
    stmt = (select(LiaisonContact.enterprise_id, LiaisonContact.leader_id, func.min(LiaisonContact.contact_on))
            .where(LiaisonContact.kind == MEET, LiaisonContact.contact_on.between(date(year, 1, 1), date(year, 12, 31)))
            .group_by(LiaisonContact.enterprise_id, LiaisonContact.leader_id))
    if enterprise_ids is not None:
        stmt = stmt.where(LiaisonContact.enterprise_id.in_(enterprise_ids))
    return {(e, l): d for e, l, d in db.session.execute(stmt)}


def direct_contact_summary(lst: LiaisonList, today: date | None = None) -> dict[str, int]:
    """How many of the year's city assignments had their first meeting on time, late, or not yet."""
    pairs = [(e, l) for e, l in db.session.execute(select(LiaisonAssignment.enterprise_id, LiaisonAssignment.leader_id)
                                                   .where(LiaisonAssignment.year == lst.year,
                                                          LiaisonAssignment.level == core.CITY))]
    states = core.direct_contact(pairs, first_meetings(lst.year), lst.year, today or local_today())
    counts = dict.fromkeys(core.TIMELINESS_LABELS, 0)
    for state in states.values():
        counts[state] += 1
    return counts


def meeting_state(meetings: dict, assignment: LiaisonAssignment | None, year: int, today: date) -> tuple[str, date | None]:
    if assignment is None:
        return "", None
    met = meetings.get((assignment.enterprise_id, assignment.leader_id))
    return core.timeliness(met, core.due_date(core.CONTACT_DUE, year), today), met

