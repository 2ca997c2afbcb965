"""Honours ("提升企业家政治荣誉感"): the yearly excellent-entrepreneur list, proposed by 发改委、工信局、住建局,
checked against tax, the published grading's C list, serious violations and every flag that bars
honours (the 失信 list imported here, the evasion blacklist, bankruptcy lists — `govsvc.registry.flags`),
approved and published by a leader; recommendations of listed entrepreneurs to 人大/政协/组织部/人社局/
统战部 with the comprehensive evaluation record (综合评价); invitations to sit in on meetings.

The rule itself is pure (`scoring.care.check_eligibility`); this module gathers its facts."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from sqlalchemy import func, or_, select

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.care.models_support import (EVALUATION_ASPECTS, EVALUATION_VERDICTS, HONOUR_PROPOSERS, MEETING_HOSTS,
                                        MEETING_KINDS, RECOMMENDATION_KINDS, RECOMMENDATION_TARGETS,
                                        HonourCandidate, HonourRound, MeetingInvitation, MeetingInvitee,
                                        Recommendation)
from govsvc.care.support import NotYours, add_unique, in_units, unit_code_of
from govsvc.extensions import db
from govsvc.grading.models import EnforcementRecord
from govsvc.grading.service import published_grades
from govsvc.registry.flags import flags_for
from govsvc.registry.models import Enterprise, TaxRecord, Unit
from govsvc.timeutil import local_today, utcnow
from scoring import care as rules


class HonourError(ValueError):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def is_proposer(user) -> bool:
    return in_units(user, HONOUR_PROPOSERS)


def is_staff(user) -> bool:
    """Who reads the rounds (with the exclusion reasons): the proposing units, leaders, 组织部."""
    return is_proposer(user) or bool(user.roles & {R.LEADER, R.ORGANIZATION})


def require(ok: bool) -> None:
    if not ok:
        raise NotYours("honours")


# -- the facts and the check -----------------------------------------------------------------------
def gather_facts(enterprise_ids, year: int, on: date) -> dict[int, rules.CandidateFacts]:
    ids = sorted(set(enterprise_ids))
    if not ids:
        return {}
    status = dict(db.session.execute(select(Enterprise.id, Enterprise.status).where(Enterprise.id.in_(ids))).all())
    tax = dict(db.session.execute(select(TaxRecord.enterprise_id, TaxRecord.local_retained)
                                  .where(TaxRecord.enterprise_id.in_(ids), TaxRecord.year == year - 1)).all())
    grades = published_grades(on)
    first, last = rules.serious_window(on)
    serious: dict[int, list] = defaultdict(list)
    rows = db.session.execute(select(EnforcementRecord.enterprise_id, EnforcementRecord.date, Unit.name,
                                     EnforcementRecord.decision_no, EnforcementRecord.description)
                              .join(Unit, Unit.id == EnforcementRecord.unit_id)
                              .where(EnforcementRecord.enterprise_id.in_(ids), EnforcementRecord.outcome == "serious",
                                     EnforcementRecord.date.between(first, last)))
    for enterprise_id, day, unit_name, number, description in rows:
        what = "，".join(x for x in (unit_name, number, description) if x)
        serious[enterprise_id].append((day, what))
    bars: dict[int, list[str]] = defaultdict(list)
    for enterprise_id, flags in flags_for(ids, on).items():
        for flag in flags:
            if flag.bars_honours:
                bars[enterprise_id].append(flag.label + (f"（{flag.reason}）" if flag.reason else ""))
    return {i: rules.CandidateFacts(in_business=status.get(i) == "存续", tax_previous_year=tax.get(i),
                                    grade=grades.get(i), serious_records=tuple(sorted(serious[i])),
                                    bars=tuple(bars[i])) for i in ids}


def check_candidates(candidates, year: int, on: date) -> None:
    """Run the eligibility rule on `on` for these candidates and store the result (and the status:
    proposed when eligible, excluded when not; listed candidates stay listed)."""
    candidates = [c for c in candidates if c.status != "withdrawn"]
    facts = gather_facts([c.enterprise_id for c in candidates], year, on)
    for candidate in candidates:
        result = rules.check_eligibility(facts[candidate.enterprise_id], year, on)
        candidate.eligible, candidate.checked_on = result.eligible, on
        candidate.reasons = json.dumps(list(result.reasons), ensure_ascii=False)
        if candidate.status != "listed":
            candidate.status = "proposed" if result.eligible else "excluded"
    db.session.flush()


# -- rounds -----------------------------------------------------------------------------------------
def open_round(user, year: int) -> HonourRound:
    require(is_proposer(user))
    if not 2000 <= year <= local_today().year + 1:
        raise HonourError("年度无效。", "year")
    honour_round = HonourRound(year=year)
    add_unique(honour_round, HonourError(f"{year}年度的名单已经建立。", "year"))
    audit.record("care.honours.round", target=f"honour_round:{honour_round.id}", detail={"year": year})
    return honour_round


def _editable(honour_round: HonourRound) -> None:
    if honour_round.status != "open":
        raise HonourError(f"名单当前状态为“{honour_round.status_label}”，不能再修改。")


def propose(user, honour_round: HonourRound, enterprise: Enterprise | None, *, name: str, post: str,
            deeds: str, on: date | None = None) -> HonourCandidate:
    """A proposing unit adds a candidate; the check runs at once and its result is shown."""
    require(is_proposer(user))
    _editable(honour_round)
    if enterprise is None:
        raise HonourError("找不到该统一社会信用代码的企业。", "credit_code")
    candidate = HonourCandidate(round_id=honour_round.id, enterprise_id=enterprise.id,
                                entrepreneur_name=(name or enterprise.head_name).strip(), post=post.strip(),
                                proposed_unit_id=user.unit_id, proposed_by_id=user.id, deeds=deeds.strip())
    if not candidate.entrepreneur_name:
        raise HonourError("请填写企业家姓名。", "name")
    add_unique(candidate, HonourError(f"{enterprise.name}已在{honour_round.year}年度名单的推荐人选中。", "credit_code"))
    check_candidates([candidate], honour_round.year, on or local_today())
    audit.record("care.honours.propose", target=f"honour_candidate:{candidate.id}",
                 detail={"enterprise": enterprise.credit_code, "eligible": candidate.eligible})
    return candidate


def withdraw(user, candidate: HonourCandidate) -> None:
    require(is_proposer(user) and user.unit_id == candidate.proposed_unit_id)
    _editable(candidate.round)
    candidate.status = "withdrawn"
    db.session.flush()
    audit.record("care.honours.withdraw", target=f"honour_candidate:{candidate.id}")


def recheck(user, honour_round: HonourRound, on: date | None = None) -> None:
    require(is_proposer(user))
    _editable(honour_round)
    on = on or local_today()
    check_candidates(honour_round.candidates, honour_round.year, on)
    honour_round.checked_on = on


def submit(user, honour_round: HonourRound, on: date | None = None) -> None:
    """报市委、市政府审定: re-checked on the day; at least one eligible candidate."""
    require(is_proposer(user))
    _editable(honour_round)
    on = on or local_today()
    check_candidates(honour_round.candidates, honour_round.year, on)
    honour_round.checked_on = on
    if not any(c.status == "proposed" for c in honour_round.candidates):
        raise HonourError("没有符合条件的推荐人选，不能报送审定。")
    honour_round.status, honour_round.submitted_at, honour_round.submitted_by_id = "submitted", utcnow(), user.id
    honour_round.return_note = ""
    audit.record("care.honours.submit", target=f"honour_round:{honour_round.id}")


def approve(user, honour_round: HonourRound, *, approve_list: bool, note: str = "", on: date | None = None) -> None:
    """The leader approves (published at once, irreversible) or returns the list with a reason. The
    check runs once more on the day: a candidate who no longer qualifies is excluded, not listed."""
    require(R.LEADER in user.roles)
    if honour_round.status != "submitted":
        raise HonourError("名单尚未报送审定。")
    on = on or local_today()
    if not approve_list:
        if not note.strip():
            raise HonourError("退回须写明理由。", "note")
        honour_round.status, honour_round.return_note = "open", note.strip()
        audit.record("care.honours.return", target=f"honour_round:{honour_round.id}")
        return
    check_candidates(honour_round.candidates, honour_round.year, on)
    for candidate in honour_round.candidates:
        if candidate.status == "proposed":
            candidate.status = "listed"
    honour_round.status, honour_round.published_on, honour_round.approved_by_id = "published", on, user.id
    honour_round.checked_on = on
    db.session.flush()
    audit.record("care.honours.publish", target=f"honour_round:{honour_round.id}",
                 detail={"listed": sum(c.status == "listed" for c in honour_round.candidates)})


def candidates_query(honour_round: HonourRound, *, q: str = "", status: str = ""):
    stmt = select(HonourCandidate).join(Enterprise, Enterprise.id == HonourCandidate.enterprise_id).where(
        HonourCandidate.round_id == honour_round.id)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), HonourCandidate.entrepreneur_name.ilike(like),
                              Enterprise.credit_code.ilike(like)))
    if status:
        stmt = stmt.where(HonourCandidate.status == status)
    return stmt.order_by(HonourCandidate.status, Enterprise.name, HonourCandidate.id)


def public_query(year: int, q: str = ""):
    stmt = select(HonourCandidate).join(HonourRound).join(Enterprise, Enterprise.id == HonourCandidate.enterprise_id) \
        .where(HonourRound.year == year, HonourRound.status == "published", HonourCandidate.status == "listed")
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), HonourCandidate.entrepreneur_name.ilike(like)))
    return stmt.order_by(Enterprise.name, HonourCandidate.id)


def published_years() -> list[int]:
    return list(db.session.scalars(select(HonourRound.year).where(HonourRound.status == "published")
                                   .order_by(HonourRound.year.desc())))


def latest_listing(enterprise_id: int) -> HonourCandidate | None:
    """The enterprise's entry on the latest published list (its green-channel entitlement), or None."""
    year = db.session.scalar(select(func.max(HonourRound.year)).where(HonourRound.status == "published"))
    if year is None:
        return None
    return db.session.scalar(select(HonourCandidate).join(HonourRound).where(
        HonourRound.year == year, HonourCandidate.enterprise_id == enterprise_id, HonourCandidate.status == "listed"))


def listings_of(enterprise_id: int) -> list[HonourCandidate]:
    return list(db.session.scalars(select(HonourCandidate).join(HonourRound).where(
        HonourCandidate.enterprise_id == enterprise_id, HonourCandidate.status == "listed",
        HonourRound.status == "published").order_by(HonourRound.year.desc())))


def listed_candidates(q: str = "") -> list[HonourCandidate]:
    stmt = select(HonourCandidate).join(HonourRound).join(Enterprise, Enterprise.id == HonourCandidate.enterprise_id) \
        .where(HonourRound.status == "published", HonourCandidate.status == "listed")
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), HonourCandidate.entrepreneur_name.ilike(like)))
    return list(db.session.scalars(stmt.order_by(HonourRound.year.desc(), Enterprise.name).limit(200)))


# -- recommendations (两代表一委员, honours) with the comprehensive evaluation ---------------------------
def target_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.code.in_(list(RECOMMENDATION_TARGETS))).order_by(Unit.code)))


def can_recommend(user) -> bool:
    return is_proposer(user) or R.ORGANIZATION in user.roles


def _facts_record(candidate: HonourCandidate, on: date) -> dict:
    """What the system knows of the candidate on `on`, frozen into the evaluation record."""
    facts = gather_facts([candidate.enterprise_id], on.year, on)[candidate.enterprise_id]
    taxes = dict(db.session.execute(select(TaxRecord.year, TaxRecord.local_retained).where(
        TaxRecord.enterprise_id == candidate.enterprise_id, TaxRecord.year.between(on.year - 3, on.year - 1))).all())
    result = rules.check_eligibility(facts, on.year, on)
    return {"checked_on": on.isoformat(), "grade": facts.grade or "未评级",
            "tax": {str(y): str(taxes[y]) for y in sorted(taxes)}, "eligible": result.eligible,
            "reasons": list(result.reasons)}


def recommend(user, candidate: HonourCandidate, target: Unit | None, kind: str, aspects: dict[str, str],
              verdict: str, note: str, on: date | None = None) -> Recommendation:
    """Recommend a listed entrepreneur (irreversible): the five aspects of the 综合评价 written, the
    verdict 合格, and the system's check on the day passed — a new 失信 entry or C grade stops it."""
    require(can_recommend(user))
    on = on or local_today()
    if candidate.status != "listed" or candidate.round.status != "published":
        raise HonourError("只能推荐已公布名单中的优秀企业家。")
    if target is None or target.code not in RECOMMENDATION_TARGETS:
        raise HonourError("请选择推荐对象单位（人大常委会办公室、政协办公室、组织部、人社局或统战部）。", "target")
    if kind not in RECOMMENDATION_TARGETS[target.code]:
        allowed = "、".join(RECOMMENDATION_KINDS[k] for k in RECOMMENDATION_TARGETS[target.code])
        raise HonourError(f"向{target.name}推荐的类别应为：{allowed}。", "kind")
    missing = [label for key, label in EVALUATION_ASPECTS.items() if not (aspects.get(key) or "").strip()]
    if missing:
        raise HonourError("综合评价须逐项填写：" + "、".join(missing) + "。", "political")
    if verdict not in EVALUATION_VERDICTS:
        raise HonourError("请选择综合评价结论。", "verdict")
    if verdict != "qualified":
        raise HonourError("综合评价不合格的，不予推荐。", "verdict")
    facts = _facts_record(candidate, on)
    if not facts["eligible"]:
        raise HonourError("今日核查不符合推荐条件：" + "；".join(facts["reasons"]), "verdict")
    evaluation = {"aspects": {k: aspects[k].strip() for k in EVALUATION_ASPECTS}, "verdict": verdict,
                  "note": note.strip(), "facts": facts}
    rec = Recommendation(candidate_id=candidate.id, target_unit_id=target.id, kind=kind,
                         evaluation=json.dumps(evaluation, ensure_ascii=False), recommended_on=on,
                         recommended_by_id=user.id, recommended_unit_id=user.unit_id)
    add_unique(rec, HonourError(f"已向{target.name}推荐过该人选（{RECOMMENDATION_KINDS[kind]}）。", "kind"))
    audit.record("care.honours.recommend", target=f"recommendation:{rec.id}", detail={"to": target.code, "kind": kind})
    return rec


def evaluation_of(rec: Recommendation) -> dict:
    return json.loads(rec.evaluation)


def can_read_recommendation(user, rec: Recommendation) -> bool:
    return can_recommend(user) or R.LEADER in user.roles or (
        user.unit_id == rec.target_unit_id and bool(user.roles & {R.DEPARTMENT, R.ORGANIZATION}))


def recommendation_query(user, *, q: str = "", status: str = ""):
    stmt = select(Recommendation).join(HonourCandidate).join(Enterprise, Enterprise.id == HonourCandidate.enterprise_id)
    if not (can_recommend(user) or R.LEADER in user.roles):
        if user.unit_id is None or unit_code_of(user) not in RECOMMENDATION_TARGETS:
            raise NotYours("recommendations")
        stmt = stmt.where(Recommendation.target_unit_id == user.unit_id)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), HonourCandidate.entrepreneur_name.ilike(like)))
    if status:
        stmt = stmt.where(Recommendation.status == status)
    return stmt.order_by(Recommendation.status == "sent", Recommendation.recommended_on.desc(), Recommendation.id.desc())


def respond(user, rec: Recommendation, *, adopted: bool, note: str) -> None:
    """The receiving unit answers (irreversible): adopted or not, with a note."""
    require(user.unit_id == rec.target_unit_id and bool(user.roles & {R.DEPARTMENT, R.ORGANIZATION}))
    if rec.status != "sent":
        raise HonourError("该推荐已经答复。")
    if not adopted and not note.strip():
        raise HonourError("未采纳的请说明理由。", "note")
    rec.status = "adopted" if adopted else "not_adopted"
    rec.response_note, rec.responded_on, rec.responded_by_id = note.strip(), local_today(), user.id
    audit.record("care.honours.respond", target=f"recommendation:{rec.id}", detail={"adopted": adopted})


# -- meetings (列席、座谈、参加会议) ------------------------------------------------------------------------
def is_host(user) -> bool:
    return in_units(user, MEETING_HOSTS) or in_units(user, ("ZZB",), roles=(R.ORGANIZATION, R.DEPARTMENT))


def create_meeting(user, *, kind: str, title: str, meeting_on: date, place: str, seat_note: str) -> MeetingInvitation:
    require(is_host(user))
    if kind not in MEETING_KINDS:
        raise HonourError("请选择会议类别。", "kind")
    if meeting_on < local_today():
        raise HonourError("会议日期不能早于今天。", "meeting_on")
    meeting = MeetingInvitation(host_unit_id=user.unit_id, kind=kind, title=title.strip(), meeting_on=meeting_on,
                                place=place.strip(), seat_note=seat_note.strip(), created_by_id=user.id)
    db.session.add(meeting)
    db.session.flush()
    audit.record("care.honours.meeting", target=f"meeting:{meeting.id}", detail={"kind": kind})
    return meeting


def meeting_query(user, q: str = ""):
    stmt = select(MeetingInvitation)
    if not (R.LEADER in user.roles or R.ORGANIZATION in user.roles or is_proposer(user)):
        require(is_host(user))
        stmt = stmt.where(MeetingInvitation.host_unit_id == user.unit_id)
    if q:
        stmt = stmt.where(MeetingInvitation.title.ilike(f"%{q.strip()}%"))
    return stmt.order_by(MeetingInvitation.meeting_on.desc(), MeetingInvitation.id.desc())


def can_manage_meeting(user, meeting: MeetingInvitation) -> bool:
    return is_host(user) and user.unit_id == meeting.host_unit_id


def invite(user, meeting: MeetingInvitation, candidates: list[HonourCandidate]) -> int:
    """Invite listed entrepreneurs (an enterprise once per meeting); returns how many were added."""
    require(can_manage_meeting(user, meeting))
    if meeting.meeting_on < local_today():
        raise HonourError("会议已经召开，不能再邀请。")
    invited = {i.enterprise_id for i in meeting.invitees}
    added = 0
    for candidate in candidates:
        if candidate.status != "listed" or candidate.enterprise_id in invited:
            continue
        meeting.invitees.append(MeetingInvitee(enterprise_id=candidate.enterprise_id,
                                               entrepreneur_name=candidate.entrepreneur_name))
        invited.add(candidate.enterprise_id)
        added += 1
    db.session.flush()
    audit.record("care.honours.invite", target=f"meeting:{meeting.id}", detail={"added": added})
    return added


def respond_invitation(user, invitee: MeetingInvitee, *, accept: bool, note: str) -> None:
    require(user.enterprise_id == invitee.enterprise_id and bool(user.roles & {R.ENTERPRISE, R.EVALUATOR}))
    if invitee.invitation.meeting_on < local_today():
        raise HonourError("会议已经召开，不能再答复。")
    if not accept and not note.strip():
        raise HonourError("婉拒请简要说明原因。", "note")
    invitee.response, invitee.note, invitee.responded_at = ("accepted" if accept else "declined"), note.strip(), utcnow()
    audit.record("care.honours.invitation_reply", target=f"meeting:{invitee.invitation_id}", detail={"accept": accept})


def invitations_of(enterprise_id: int) -> list[MeetingInvitee]:
    return list(db.session.scalars(select(MeetingInvitee).join(MeetingInvitation).where(
        MeetingInvitee.enterprise_id == enterprise_id).order_by(MeetingInvitation.meeting_on.desc())))
