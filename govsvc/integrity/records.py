"""Filing, correcting and revoking integrity records. Nothing is ever deleted: every change
writes a new `RecordVersion` with the record's full state and the reason, and an audit entry.
Any change to a person's file supersedes the person's valid certificates (their content is
out of date)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from govsvc import audit
from govsvc.extensions import db
from govsvc.integrity import scope, transfers
from govsvc.integrity.certificates import supersede_for
from govsvc.integrity.models import CLUE_CHANNELS, FILED_BY, RECTIFICATION, IntegrityRecord, RecordVersion
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.registry.models import Person, Unit
from govsvc.timeutil import local_today, utcnow
from scoring.integrity import ADMONISHMENT, ALL_DECISIONS, DECISIONS, earliest_in_force

EARLIEST = date(1990, 1, 1)

# The fields a filing sets and a correction may change, with their labels (for history).
FIELDS = {
    "unit_id": "时任单位",
    "post": "时任职务",
    "facts": "问题事实",
    "decision": "处理决定",
    "decision_date": "决定日期",
    "decision_number": "决定文号",
    "decision_body": "决定机关",
    "clue_matter_id": "来源线索",
    "filed_by": "填报单位",
    "rectification_deadline": "整改期限",
}
SNAPSHOT_LABELS = {**FIELDS, "revoked_on": "撤销日期", "revocation_reason": "撤销理由"}


class RecordError(ValueError):
    """A refused filing or change: {field name: Chinese message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _check(user, person: Person, values: dict, *, today: date) -> None:
    errors: dict[str, str] = {}
    decision = values["decision"]
    if decision not in ALL_DECISIONS:
        errors["decision"] = "请选择处理决定。"
    if values["decision_date"] > today:
        errors["decision_date"] = "决定日期不能晚于今天。"
    elif values["decision_date"] < EARLIEST:
        errors["decision_date"] = f"决定日期不能早于 {EARLIEST.isoformat()}。"
    deadline = values.get("rectification_deadline")
    if decision == ADMONISHMENT:
        if deadline is None:
            errors["rectification_deadline"] = "诫勉谈话必须规定整改期限。"
        elif deadline < values["decision_date"]:
            errors["rectification_deadline"] = "整改期限不能早于谈话日期。"
    elif deadline is not None:
        errors["rectification_deadline"] = "只有诫勉谈话需要整改期限；处分决定请留空。"
    if values["filed_by"] not in FILED_BY or (values["filed_by"] == "city_commission" and not scope.is_city_wide(user)):
        errors["filed_by"] = "请选择填报单位（单位纪委或派驻纪检监察组）。"
    if not values["facts"].strip():
        errors["facts"] = "请填写问题事实。"
    clue_id = values.get("clue_matter_id")
    if clue_id is not None:
        clue = db.session.get(Matter, clue_id)
        if clue is None or clue.module != "integrity" or clue.kind not in CLUE_CHANNELS \
                or not scope.covers_unit(user, clue.responsible_unit_id):
            errors["clue_matter_id"] = f"找不到编号为 {clue_id} 的线索。"
    if db.session.get(Unit, values["unit_id"]) is None:
        errors["unit_id"] = "找不到时任单位。"
    if errors:
        raise RecordError(errors)


def snapshot(record: IntegrityRecord) -> dict:
    data = {name: getattr(record, name) for name in SNAPSHOT_LABELS}
    data["unit_code"] = db.session.get(Unit, record.unit_id).code
    return data


def _version(record: IntegrityRecord, user, action: str, reason: str) -> RecordVersion:
    version = RecordVersion(record_id=record.id, version=record.version, action=action, reason=reason,
                            user_id=getattr(user, "id", None), username=getattr(user, "username", ""),
                            snapshot=json.dumps(snapshot(record), ensure_ascii=False, default=str, sort_keys=True))
    db.session.add(version)
    return version


def file_record(user, person: Person, values: dict) -> IntegrityRecord:
    """File a 污点 or an admonishment for `person`. `values` holds the FIELDS (unit_id and post
    at the time default to the person's current ones)."""
    scope.check_person(user, person)
    values = {"unit_id": person.unit_id, "post": person.post, "decision_number": "", "decision_body": "",
              "clue_matter_id": None, "rectification_deadline": None, **values}
    _check(user, person, values, today=local_today())
    record = IntegrityRecord(person_id=person.id, created_by_id=getattr(user, "id", None), version=1, **values)
    db.session.add(record)
    db.session.flush()
    if record.is_admonishment:
        record.rectification_matter_id = _rectification_matter(user, record).id
    _version(record, user, "filed", "")
    db.session.flush()
    audit.record("integrity.record.file", target=f"person:{person.id}",
                 detail={"record": record.id, "decision": record.decision, "decision_date": record.decision_date},
                 category="integrity")
    transfers.recommend_if_needed(user, record)
    supersede_for(person.id)
    return record


def _rectification_matter(user, record: IntegrityRecord) -> Matter:
    """An admonishment's rectification (责令限期整改) goes on the 整改 ledger, assigned to the
    person's current unit, with the deadline."""
    person = record.person or db.session.get(Person, record.person_id)
    matter = ledger.create_matter(module="integrity", kind=RECTIFICATION, title=f"诫勉谈话整改：{person.name}",
                                  description=record.facts, source="诫勉谈话", ref=f"integrity.record:{record.id}",
                                  responsible_unit_id=person.unit_id, deadline=record.rectification_deadline,
                                  user=user)
    ledger.move(matter, workflow.ASSIGNED, user=user, note="责令限期整改。")
    return matter


def correct_record(user, record: IntegrityRecord, changes: dict, reason: str) -> RecordVersion:
    """Correct fields of a record; the previous state stays in its history."""
    scope.check_person(user, record.person)
    if record.revoked:
        raise RecordError({"reason": "已撤销的记录不能更正。"})
    if not reason.strip():
        raise RecordError({"reason": "请说明更正理由。"})
    values = {name: getattr(record, name) for name in FIELDS}
    values.update({k: v for k, v in changes.items() if k in FIELDS})
    if (values["decision"] == ADMONISHMENT) != record.is_admonishment:
        raise RecordError({"decision": "诫勉谈话与处分决定不能相互更正；请撤销本记录后重新登记。"})
    _check(user, record.person, values, today=local_today())
    changed = {k: (getattr(record, k), v) for k, v in values.items() if getattr(record, k) != v}
    if not changed:
        raise RecordError({"reason": "没有任何改动。"})
    for name, (_, new) in changed.items():
        setattr(record, name, new)
    record.version += 1
    record.updated_at = utcnow()
    if "rectification_deadline" in changed and record.rectification_matter is not None:
        record.rectification_matter.deadline = record.rectification_deadline
    version = _version(record, user, "corrected", reason.strip())
    db.session.flush()
    audit.record("integrity.record.correct", target=f"person:{record.person_id}",
                 detail={"record": record.id, "version": record.version,
                         "changes": {k: [old, new] for k, (old, new) in changed.items()}},
                 purpose=reason.strip(), category="integrity")
    transfers.recommend_if_needed(user, record)  # a corrected decision date may bring it into force
    supersede_for(record.person_id)
    return version


def revocation_errors(record: IntegrityRecord, revoked_on: date, reason: str) -> dict[str, str]:
    """Why this revocation cannot be made ({field: message}; empty when it can): the page asks for
    confirmation only of a revocation that would go through."""
    errors = {}
    if record.revoked:
        errors["reason"] = "该记录已撤销。"
    if not reason.strip():
        errors["reason"] = "请说明撤销理由（如撤销处分的决定文号）。"
    if revoked_on > local_today():
        errors["revoked_on"] = "撤销日期不能晚于今天。"
    elif revoked_on < record.decision_date:
        errors["revoked_on"] = "撤销日期不能早于决定日期。"
    return errors


def revoke_record(user, record: IntegrityRecord, revoked_on: date, reason: str) -> RecordVersion:
    """Revoke (撤销) a record: it stays in the file, marked revoked, and restricts nothing.
    City-wide staff only (the city commission manages the files centrally)."""
    scope.check_city_wide(user)
    errors = revocation_errors(record, revoked_on, reason)
    if errors:
        raise RecordError(errors)
    record.revoked_on = revoked_on
    record.revocation_reason = reason.strip()
    record.version += 1
    record.updated_at = utcnow()
    version = _version(record, user, "revoked", reason.strip())
    _end_rectification(user, record, reason.strip())
    transfers.end_for_revocation(user, record, reason.strip())
    db.session.flush()
    audit.record("integrity.record.revoke", target=f"person:{record.person_id}",
                 detail={"record": record.id, "revoked_on": revoked_on}, purpose=reason.strip(),
                 category="integrity")
    supersede_for(record.person_id)
    return version


def _end_rectification(user, record: IntegrityRecord, reason: str) -> None:
    """A revoked admonishment asks for no rectification any more: an open rectification matter
    is returned (退回) and closed (销号) with the revocation as its note, so it leaves the unit's
    to-do list and the overdue counts. One already concluded keeps its history as it is."""
    matter = record.rectification_matter
    if matter is None or matter.status not in workflow.OPEN_STATUSES:
        return
    note = f"诫勉谈话记录已撤销：{reason}"
    if matter.status != workflow.RETURNED:
        ledger.move(matter, workflow.RETURNED, user=user, note=note)
    ledger.move(matter, workflow.CLOSED, user=user, note=note)


@dataclass
class Change:
    label: str
    old: str
    new: str


def history(record: IntegrityRecord) -> list[tuple[RecordVersion, list[Change]]]:
    """Each version with what it changed compared with the one before."""
    out = []
    previous: dict | None = None
    for version in record.versions:
        state = json.loads(version.snapshot)
        changes = []
        if previous is not None:
            for name, label in SNAPSHOT_LABELS.items():
                if state.get(name) != previous.get(name):
                    changes.append(Change(label, _shown(name, previous, previous.get(name)),
                                          _shown(name, state, state.get(name))))
        out.append((version, changes))
        previous = state
    return out


def _shown(name: str, state: dict, value) -> str:
    if value is None or value == "":
        return "—"
    if name == "decision":
        return ALL_DECISIONS.get(value, value)
    if name == "filed_by":
        return FILED_BY.get(value, value)
    if name == "unit_id":
        return state.get("unit_code", str(value))
    if name == "clue_matter_id":
        return f"#{value}"
    return str(value)


RECORD_STATES = {"in_force": "限制期内", "expired": "限制期满", "revoked": "已撤销"}


def record_query(user, *, q: str = "", decision: str = "", state: str = "", today: date | None = None):
    """The records register: every record of persons the account covers, newest first."""
    today = today or local_today()
    stmt = (select(IntegrityRecord).join(IntegrityRecord.person).join(Unit, Unit.id == Person.unit_id)
            .where(scope.unit_clause(user, Person.unit_id)))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Person.name.ilike(like), Unit.name.ilike(like), IntegrityRecord.facts.ilike(like),
                              IntegrityRecord.decision_number.ilike(like)))
    if decision:
        stmt = stmt.where(IntegrityRecord.decision == decision)
    if state == "revoked":
        stmt = stmt.where(IntegrityRecord.revoked_on.is_not(None))
    elif state in ("in_force", "expired"):
        since = earliest_in_force(today)
        stmt = stmt.where(IntegrityRecord.revoked_on.is_(None), IntegrityRecord.decision.in_(DECISIONS))
        stmt = stmt.where(IntegrityRecord.decision_date.between(since, today) if state == "in_force"
                          else IntegrityRecord.decision_date < since)
    return stmt.order_by(IntegrityRecord.decision_date.desc(), IntegrityRecord.id.desc())


def record_state(record: IntegrityRecord, today: date) -> str:
    if record.revoked:
        return "revoked"
    if record.is_admonishment:
        return ""
    return "in_force" if record.facts_for_rules().in_force_on(today) else "expired"
