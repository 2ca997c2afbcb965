"""Appeals (诉求) of served enterprises, on the shared ledger (module "care").

An enterprise (or its liaison leader, or the office) files an appeal; it goes to the enterprise's
city liaison leader (level `leader`, a matter whose responsible unit is the leader's office). The
leader settles it (办结, the answer goes to the enterprise) or hands it up (提级) to the
重点企业联络员办公室 (level `office`, unit GXJ), which settles it or hands it up to 市委 or 市政府
(level `city`, unit SWBGS or ZFBGS). Each level is its own matter with its own deadline
(`scoring.liaison.APPEAL_DAYS`); `ledger.service.escalate` ends the lower one and keeps the path.
督办: the office urges the leaders; 市委办 / 市政府办 urge the office and the city level.
The enterprise confirms the answer with its satisfaction (销号), or the office closes it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, false, func, or_, select

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.care import liaison
from govsvc.care.liaison_access import (CITY_UNITS, OFFICE_UNIT, CareError, NotAllowed, city_unit, enterprise_of,
                                        is_office, leader_office)
from govsvc.care.liaison_leaders import profile_of
from govsvc.care.models import (APPEAL_CATEGORIES, APPEAL_CHANNELS, APPEAL_MODULE, SATISFACTION, Appeal,
                                LeaderProfile, LiaisonContact)
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow as W
from govsvc.ledger.models import Matter
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today, utcnow
from scoring import liaison as core

REF_PREFIX = "care.appeal:"
ACCEPT, RESOLVE, ESCALATE = "accept", "resolve", "escalate"
ACTION_LABELS = {ACCEPT: "受理并开始办理", RESOLVE: "办结并答复企业", ESCALATE: "提级"}
OPEN, ANSWERED, CLOSED = "open", "answered", "closed"
STATE_LABELS = {OPEN: "办理中", ANSWERED: "已答复，待企业确认", CLOSED: "已办结销号"}
CITY_UNIT_LABELS = {"SWBGS": "提交市委协调", "ZFBGS": "提交市政府协调"}


def _unit(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise CareError(f"登记库中没有单位 {code}。")
    return unit


def state_of(appeal: Appeal) -> str:
    status = appeal.matter.status
    if status == W.CLOSED:
        return CLOSED
    return ANSWERED if status in (W.CONCLUDED, W.FEEDBACK_GIVEN) else OPEN


# -- who may do what -----------------------------------------------------------------------------
def may_read(user, appeal: Appeal) -> bool:
    enterprise = enterprise_of(user)
    if enterprise is not None:
        return appeal.enterprise_id == enterprise.id
    if user.has_role(R.ADMIN) or is_office(user):
        return True
    profile = profile_of(user)
    if profile is not None and appeal.leader_id == profile.id:
        return True
    if city_unit(user) and appeal.level != core.LEADER_LEVEL:
        return True
    office = leader_office(user)
    return office is not None and appeal.leader.office.code == office


def may_act(user, appeal: Appeal) -> bool:
    """The current level's handler, while the matter is open."""
    if appeal.matter.status not in W.OPEN_STATUSES:
        return False
    if appeal.level == core.LEADER_LEVEL:
        return appeal.leader.user_id is not None and appeal.leader.user_id == user.id
    if appeal.level == core.OFFICE_LEVEL:
        return is_office(user)
    return city_unit(user) is not None and city_unit(user) == appeal.matter.responsible_unit.code


def may_supervise(user, appeal: Appeal) -> bool:
    if appeal.matter.status not in W.OPEN_STATUSES:
        return False
    return is_office(user) if appeal.level == core.LEADER_LEVEL else city_unit(user) is not None


def may_confirm(user, appeal: Appeal) -> bool:
    enterprise = enterprise_of(user)
    return enterprise is not None and enterprise.id == appeal.enterprise_id and appeal.matter.status == W.FEEDBACK_GIVEN


def may_close(user, appeal: Appeal) -> bool:
    return is_office(user) and appeal.matter.status == W.FEEDBACK_GIVEN


def actions_for(user, appeal: Appeal) -> list[str]:
    if not may_act(user, appeal):
        return []
    actions = [ACCEPT] if appeal.matter.status == W.RECEIVED else []
    actions.append(RESOLVE)
    if core.next_level(appeal.level):
        actions.append(ESCALATE)
    return actions


# -- filing ----------------------------------------------------------------------------------------
def file_appeal(user, *, enterprise: Enterprise | None, category: str, title: str, description: str,
                contact: LiaisonContact | None = None) -> Appeal:
    own = enterprise_of(user)
    profile = profile_of(user)
    if own is not None:
        enterprise, channel = own, "enterprise"
    elif profile is not None:
        channel = "leader"
    elif is_office(user):
        channel = "office"
    else:
        raise NotAllowed("files appeals: the enterprise, its leader, the office")
    errors = {}
    if enterprise is None:
        errors["enterprise"] = "请选择企业。"
    if category not in APPEAL_CATEGORIES:
        errors["category"] = "请选择诉求类别。"
    if not title.strip():
        errors["title"] = "请用一句话概括诉求。"
    if not description.strip():
        errors["description"] = "请写明遇到的困难和问题、希望协调解决的事项。"
    if errors:
        raise CareError(next(iter(errors.values())), errors=errors)
    found = liaison.liaison_of(enterprise.id)
    if found is None or found.level != core.CITY:
        message = ("贵企业目前没有市级联系领导，请向所在区县的联系领导或区县政府反映。" if channel == "enterprise"
                   else "该企业目前没有市级联系领导。")
        raise CareError(message, "enterprise" if channel != "enterprise" else "title")
    leader = found.leader
    if profile is not None and leader.id != profile.id:
        raise CareError("只能为您联系服务的企业登记诉求。", "enterprise")
    if contact is not None and (contact.enterprise_id != enterprise.id or contact.leader_id != leader.id):
        contact = None
    today = local_today()
    matter = ledger.create_matter(
        module=APPEAL_MODULE, kind=f"appeal.{core.LEADER_LEVEL}", title=f"企业诉求：{title.strip()}",
        description=f"企业：{enterprise.name}（{enterprise.credit_code}）\n联系领导：{leader.label}\n"
                    f"类别：{APPEAL_CATEGORIES[category]}\n\n{description.strip()}",
        source=APPEAL_CHANNELS[channel], responsible_unit_id=leader.office_id,
        deadline=core.appeal_deadline(core.LEADER_LEVEL, today), user=user)
    appeal = Appeal(enterprise_id=enterprise.id, leader_id=leader.id, year=found.year, channel=channel,
                    category=category, title=title.strip(), description=description.strip(),
                    contact_id=contact.id if contact else None, level=core.LEADER_LEVEL, first_matter_id=matter.id,
                    matter_id=matter.id, created_by_id=user.id)
    db.session.add(appeal)
    db.session.flush()
    matter.ref = f"{REF_PREFIX}{appeal.id}"
    audit.record("care.appeal.file", target=f"care_appeal:{appeal.id}",
                 detail={"enterprise": enterprise.id, "leader": leader.id, "matter": matter.id})
    return appeal


# -- handling ------------------------------------------------------------------------------------
ORDER = (W.RECEIVED, W.ASSIGNED, W.IN_PROGRESS, W.CONCLUDED, W.FEEDBACK_GIVEN)


def _walk(user, matter: Matter, targets: list[str], notes: dict[str, str]) -> None:
    """Move the matter along ORDER to the last target, through the steps it has not passed yet."""
    for target in targets:
        if ORDER.index(target) <= ORDER.index(matter.status):
            continue
        ledger.move(matter, target, user=user, note=notes.get(target, ""),
                    responsible_unit_id=matter.responsible_unit_id if target == W.ASSIGNED else None)


def act(user, appeal: Appeal, action: str, *, note: str, city_code: str = "") -> Appeal:
    if action not in actions_for(user, appeal):
        raise NotAllowed(f"appeal action {action}")
    matter = appeal.matter
    note = note.strip()
    try:
        if action == ACCEPT:
            _walk(user, matter, [W.ASSIGNED, W.IN_PROGRESS], {W.IN_PROGRESS: note})
        elif action == RESOLVE:
            if not note:
                raise CareError("请填写办理结果（将答复企业）。", "note")
            _walk(user, matter, [W.ASSIGNED, W.IN_PROGRESS, W.CONCLUDED, W.FEEDBACK_GIVEN],
                  {W.CONCLUDED: note, W.FEEDBACK_GIVEN: "已在平台答复企业。"})
            appeal.resolution, appeal.resolved_at = note, utcnow()
        else:
            _escalate(user, appeal, note, city_code)
    except W.TransitionError as exc:
        raise CareError(str(exc), "note") from None
    db.session.flush()
    audit.record(f"care.appeal.{action}", target=f"care_appeal:{appeal.id}",
                 detail={"level": appeal.level, "matter": appeal.matter_id})
    return appeal


def _escalate(user, appeal: Appeal, note: str, city_code: str) -> None:
    upper = core.next_level(appeal.level)
    if upper == core.OFFICE_LEVEL:
        unit = _unit(OFFICE_UNIT)
    elif city_code in CITY_UNITS:
        unit = _unit(city_code)
    else:
        raise CareError("请选择提交市委还是市政府协调。", "city_code")
    new = ledger.escalate(appeal.matter, user=user, note=note, responsible_unit_id=unit.id,
                          deadline=core.appeal_deadline(upper, local_today()), kind=f"appeal.{upper}")
    appeal.level, appeal.matter_id = upper, new.id
    appeal.matter = new


def supervise(user, appeal: Appeal, *, note: str, deadline: date | None) -> None:
    if not may_supervise(user, appeal):
        raise NotAllowed("督办 of this appeal")
    if deadline is not None and deadline < local_today():
        raise CareError("新的办理期限不能早于今天。", "deadline")
    try:
        ledger.supervise(appeal.matter, user=user, note=note, deadline=deadline)
    except W.TransitionError as exc:
        raise CareError(str(exc), "note") from None
    audit.record("care.appeal.supervise", target=f"care_appeal:{appeal.id}", detail={"level": appeal.level})


def confirm(user, appeal: Appeal, *, satisfaction: str, feedback: str) -> None:
    if not may_confirm(user, appeal):
        raise NotAllowed("confirm another enterprise's appeal")
    if satisfaction not in SATISFACTION:
        raise CareError("请选择对办理结果的评价。", "satisfaction")
    note = f"企业确认：{SATISFACTION[satisfaction]}" + (f"。{feedback.strip()}" if feedback.strip() else "")
    ledger.move(appeal.matter, W.CLOSED, user=user, note=note)
    appeal.satisfaction, appeal.feedback, appeal.closed_at = satisfaction, feedback.strip(), utcnow()
    db.session.flush()
    audit.record("care.appeal.confirm", target=f"care_appeal:{appeal.id}", detail={"satisfaction": satisfaction})


def close(user, appeal: Appeal, *, note: str) -> None:
    if not may_close(user, appeal):
        raise NotAllowed("close this appeal")
    if not note.strip():
        raise CareError("请写明销号说明（如企业未在规定时间内确认）。", "note")
    ledger.move(appeal.matter, W.CLOSED, user=user, note=note.strip())
    appeal.closed_at = utcnow()
    db.session.flush()
    audit.record("care.appeal.close", target=f"care_appeal:{appeal.id}")


# -- reading ---------------------------------------------------------------------------------------
def appeal_of_matter(matter_id: int) -> Appeal | None:
    matter = db.session.get(Matter, matter_id)
    if matter is None or matter.module != APPEAL_MODULE or not matter.ref.startswith(REF_PREFIX):
        return None
    appeal_id = matter.ref[len(REF_PREFIX):]
    return db.session.get(Appeal, int(appeal_id)) if appeal_id.isdigit() else None


@dataclass
class Step:
    matter: Matter
    level: str

    @property
    def level_label(self) -> str:
        return core.APPEAL_LEVEL_LABELS.get(self.level, self.level)


def path(appeal: Appeal) -> list[Step]:
    """Every level the appeal went through, lowest first (the ledger's lineage)."""
    first = db.session.get(Matter, appeal.first_matter_id)
    return [Step(m, m.kind.split(".", 1)[-1]) for m in ledger.lineage(first)]


def appeals_query(user, *, q: str = "", level: str = "", state: str = "", overdue: bool = False):
    stmt = (select(Appeal).join(Matter, Matter.id == Appeal.matter_id).join(Enterprise, Enterprise.id == Appeal.enterprise_id)
            .join(LeaderProfile, LeaderProfile.id == Appeal.leader_id))
    enterprise = enterprise_of(user)
    profile = profile_of(user)
    if enterprise is not None:
        stmt = stmt.where(Appeal.enterprise_id == enterprise.id)
    elif profile is not None or (user.has_role(R.LEADER) and not user.has_role(R.ADMIN, R.DEPARTMENT)):
        stmt = stmt.where((Appeal.leader_id == profile.id) if profile is not None else false())
    elif not (user.has_role(R.ADMIN) or is_office(user)):
        clauses = []
        if city_unit(user):
            clauses.append(Appeal.level != core.LEADER_LEVEL)
        if leader_office(user):
            clauses.append(LeaderProfile.office_id == user.unit_id)
        if not clauses:
            raise NotAllowed("appeals")
        stmt = stmt.where(or_(*clauses))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Appeal.title.ilike(like), Appeal.description.ilike(like), Enterprise.name.ilike(like),
                              LeaderProfile.name.ilike(like)))
    if level:
        stmt = stmt.where(Appeal.level == level)
    if state == OPEN:
        stmt = stmt.where(Matter.status.in_(W.OPEN_STATUSES))
    elif state == ANSWERED:
        stmt = stmt.where(Matter.status.in_((W.CONCLUDED, W.FEEDBACK_GIVEN)))
    elif state == CLOSED:
        stmt = stmt.where(Matter.status == W.CLOSED)
    if overdue:
        stmt = stmt.where(ledger.overdue_clause())
    return stmt.order_by(case((ledger.overdue_clause(), 0), else_=1), Matter.deadline.is_(None), Matter.deadline,
                         Appeal.id.desc())


_UNSET = object()


def waiting_counts(user, profile=_UNSET) -> tuple[int, int]:
    """(open appeals the user handles at their level, of which overdue), in one query. `profile`:
    the user's LeaderProfile (or None) when the caller has looked it up already."""
    if profile is _UNSET:
        profile = profile_of(user)
    if profile is not None:
        where = (Appeal.leader_id == profile.id, Appeal.level == core.LEADER_LEVEL)
    elif is_office(user):
        where = (Appeal.level == core.OFFICE_LEVEL,)
    elif city_unit(user):
        where = (Appeal.level == core.CITY_LEVEL, Matter.responsible_unit_id == user.unit_id)
    else:
        return 0, 0
    stmt = (select(func.count(), func.count(case((ledger.overdue_clause(), 1)))).select_from(Appeal)
            .join(Matter, Matter.id == Appeal.matter_id).where(Matter.status.in_(W.OPEN_STATUSES), *where))
    count, late = db.session.execute(stmt).one()
    return int(count or 0), int(late or 0)
