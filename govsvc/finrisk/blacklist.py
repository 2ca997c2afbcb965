"""恶意逃废银行债务 blacklist (联合惩戒): enterprises and persons the regulator finds to evade bank
debt. Registered as the registry flag source "finrisk.evasion" (bars honours, a risk signal), which
the honours check and the 保/帮/关 signals read; a person on it is not nominated as a deputy
(`person_blacklisted`)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from govsvc import audit
from govsvc.extensions import db
from govsvc.finrisk.access import is_regulator
from govsvc.finrisk.models import EvasionEntry
from govsvc.registry.flags import Flag, flag_source
from govsvc.registry.imports import person_id_hash
from govsvc.registry.models import Enterprise
from scoring import id_number

EFFECTS = ("不得参评各类评先树优和荣誉称号", "不作为各级党代会代表、人大代表和政协委员候选人推荐",
           "金融机构从严审慎授信", "纳入失信联合惩戒")


class BlacklistError(ValueError):
    pass


@flag_source("finrisk.evasion")
def _evasion_flags(enterprise_ids: list[int], on: date) -> dict[int, list[Flag]]:
    found: dict[int, list[Flag]] = {}
    for start in range(0, len(enterprise_ids), 500):
        chunk = enterprise_ids[start:start + 500]
        for entry in db.session.scalars(select(EvasionEntry).where(EvasionEntry.enterprise_id.in_(chunk))):
            if not entry.in_force(on):
                continue
            who = f"负责人 {entry.person_name}" if entry.is_person else "企业"
            found.setdefault(entry.enterprise_id, []).append(Flag(
                source="finrisk.evasion", kind="evasion", label="恶意逃废银行债务（黑名单）",
                reason=f"{who}，{entry.found_on} 认定：{entry.basis}", since=entry.found_on, until=entry.lifted_on,
                bars_honours=True, risk_signal=True))
    return found


def add(user, *, enterprise: Enterprise | None, person_name: str, id_no: str, found_on: date, basis: str,
        bank_id: int | None) -> EvasionEntry:
    if not is_regulator(user):
        raise BlacklistError("黑名单由市地方金融监管局认定。")
    if enterprise is None and not person_name.strip():
        raise BlacklistError("请指定企业或个人。")
    if not basis.strip():
        raise BlacklistError("请填写认定依据。")
    entry = EvasionEntry(enterprise_id=enterprise.id if enterprise else None, person_name=person_name.strip(),
                         found_on=found_on, basis=basis.strip(), bank_id=bank_id, created_by_id=user.id)
    if person_name.strip():
        try:
            number = id_number.validate(id_no)
        except id_number.IdNumberError as exc:
            raise BlacklistError(str(exc)) from None
        entry.person_id_hash, entry.person_id_masked = person_id_hash(number), id_number.mask(number)
    db.session.add(entry)
    db.session.flush()
    audit.record("finrisk.evasion.add", target=f"finrisk.evasion:{entry.id}")
    return entry


def lift(user, entry: EvasionEntry, on: date, reason: str) -> None:
    if not is_regulator(user):
        raise BlacklistError("移出黑名单由市地方金融监管局决定。")
    if entry.lifted_on is not None:
        raise BlacklistError("已移出黑名单。")
    if not reason.strip():
        raise BlacklistError("请填写移出理由（如已清偿债务、信用修复）。")
    if on < entry.found_on:
        raise BlacklistError("移出日期不能早于认定日期。")
    entry.lifted_on, entry.lift_reason = on, reason.strip()
    audit.record("finrisk.evasion.lift", target=f"finrisk.evasion:{entry.id}")


def person_blacklisted(id_no: str, on: date) -> bool:
    """For nominations (两代表一委员): is this person on the blacklist on `on`?"""
    digest = person_id_hash(id_number.validate(id_no))
    return any(e.in_force(on) for e in db.session.scalars(select(EvasionEntry).where(EvasionEntry.person_id_hash == digest)))


def blacklist_query(*, q: str = "", state: str = "", today: date):
    stmt = select(EvasionEntry).outerjoin(EvasionEntry.enterprise)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper()),
                              EvasionEntry.person_name.ilike(like)))
    if state == "active":
        stmt = stmt.where(EvasionEntry.lifted_on.is_(None) | (EvasionEntry.lifted_on > today))
    elif state == "lifted":
        stmt = stmt.where(EvasionEntry.lifted_on.is_not(None), EvasionEntry.lifted_on <= today)
    return stmt.order_by(EvasionEntry.found_on.desc(), EvasionEntry.id.desc())
