"""Finding persons and reading their integrity files.

Reading a file needs a declared purpose: `grant_access` records it (valid for
`GRANT_MINUTES`), and every page read under it leaves an audit entry carrying that purpose
(`log_read`). Searches show registry data only (name, masked ID, unit, post), never records.
An ID number typed to find a person is hashed at once with the registry's keyed hash; it is
never stored, logged or echoed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select

from govsvc import audit
from govsvc.database import gc_paused
from govsvc.extensions import db
from govsvc.integrity import scope
from govsvc.integrity.models import Certificate, FileAccess, IntegrityRecord
from govsvc.registry.imports import person_id_hash, person_id_hasher
from govsvc.registry.models import Person, Unit
from govsvc.timeutil import utcnow
from scoring import id_number
from scoring.integrity import ADMONISHMENT, DECISIONS, RecordFacts, Restriction, earliest_in_force, restrictions_on

GRANT_MINUTES = 15
PURPOSES = (
    "线索核查", "干部选拔任用考察", "评先评优审核", "职级晋升审核", "出具廉政鉴定", "档案登记与维护",
    "处分执行监督检查", "其他",
)
REGISTER = "register"  # the target of a register-wide grant (the list of all records)


class IdLookupError(ValueError):
    """A typed ID number is malformed (the message never repeats the number)."""


def person_query(user, *, q: str = "", unit_id: int | None = None):
    stmt = select(Person).join(Person.unit).where(scope.unit_clause(user, Person.unit_id))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Person.name.ilike(like), Person.post.ilike(like), Unit.name.ilike(like),
                              Unit.code.ilike(like)))
    if unit_id:
        stmt = stmt.where(Person.unit_id == unit_id)
    return stmt.order_by(Unit.code, Person.name, Person.id)


def find_by_id_number(user, typed: str) -> Person | None:
    """The person with this ID number, if the account covers them (else None, like not found)."""
    try:
        number = id_number.validate(typed)
    except id_number.IdNumberError as exc:
        raise IdLookupError(str(exc)) from None
    person = db.session.scalar(select(Person).where(Person.id_hash == person_id_hash(number)))
    if person is None or not scope.covers_unit(user, person.unit_id):
        return None
    return person


# -- purposes and reads ------------------------------------------------------------------------
def grant_access(user, person: Person | None, purpose: str) -> FileAccess:
    """Record the purpose for reading `person`'s file (None: the records register)."""
    purpose = purpose.strip()
    if not purpose:
        raise ValueError("请说明查阅目的。")
    if person is not None:
        scope.check_person(user, person)
    now = utcnow()
    grant = FileAccess(user_id=user.id, person_id=person.id if person else None, purpose=purpose,
                       granted_at=now, expires_at=now + timedelta(minutes=GRANT_MINUTES))
    db.session.add(grant)
    db.session.flush()
    audit.record("integrity.file.purpose", target=_target(person), detail={"minutes": GRANT_MINUTES},
                 purpose=purpose, category="integrity")
    return grant


def current_grant(user, person: Person | None) -> FileAccess | None:
    person_clause = FileAccess.person_id.is_(None) if person is None else FileAccess.person_id == person.id
    return db.session.scalar(select(FileAccess).where(FileAccess.user_id == user.id, person_clause,
                                                      FileAccess.expires_at > utcnow())
                             .order_by(FileAccess.id.desc()).limit(1))


def log_read(grant: FileAccess, person: Person | None, page: str, **detail) -> None:
    audit.record("integrity.file.read", target=_target(person), detail={"page": page, **detail},
                 purpose=grant.purpose, category="integrity")


def _target(person: Person | None) -> str:
    return REGISTER if person is None else f"person:{person.id}"


# -- the file ---------------------------------------------------------------------------------
@dataclass
class PersonFile:
    person: Person
    on: date
    records: list[IntegrityRecord]
    restrictions: list[Restriction]
    certificates: list[Certificate]

    @property
    def stains(self) -> list[IntegrityRecord]:
        return [r for r in self.records if not r.is_admonishment]

    @property
    def admonishments(self) -> list[IntegrityRecord]:
        return [r for r in self.records if r.is_admonishment]


def records_of(person: Person) -> list[IntegrityRecord]:
    return list(db.session.scalars(select(IntegrityRecord).where(IntegrityRecord.person_id == person.id)
                                   .order_by(IntegrityRecord.decision_date.desc(), IntegrityRecord.id.desc())))


def restrictions_for(records: list[IntegrityRecord], on: date) -> list[Restriction]:
    return restrictions_on([r.facts_for_rules() for r in records], on)


def person_file(person: Person, on: date) -> PersonFile:
    records = records_of(person)
    certificates = list(db.session.scalars(select(Certificate).where(Certificate.person_id == person.id)
                                           .order_by(Certificate.id.desc())))
    return PersonFile(person, on, records, restrictions_for(records, on), certificates)


# -- many persons at once (the CLI's candidate check, e.g. a promotion list) --------------------------
@dataclass
class CandidateCheck:
    person_id: int | None  # None: not in the registry
    name: str
    unit_name: str
    restrictions: list[Restriction]
    stains: int  # 污点 records not revoked


def _rows_for_hashes(connection, sql: str, hashes) -> list:
    """`sql` run straight on the driver, its `{hashes}` the set of id_hash values bound as ONE
    parameter (`_hashes_param`: a JSON array read by json_each on SQLite, a text[] on
    PostgreSQL), all rows fetched at once: an expanding IN binds one parameter per value, and
    SQLAlchemy's row processing costs more than the query for 100,000 plain rows. Dates come
    back as ISO strings on SQLite."""
    if connection.dialect.name == "postgresql":
        return connection.exec_driver_sql(sql.format(hashes="SELECT unnest(%s::text[])"), (hashes,)).fetchall()
    return connection.exec_driver_sql(sql.format(hashes="SELECT value FROM json_each(?)"), (hashes,)).fetchall()


def _hashes_param(connection, hashes: list[str]):
    return hashes if connection.dialect.name == "postgresql" else json.dumps(hashes)


_PERSONS_SQL = "SELECT id_hash, id, name, unit_id FROM persons WHERE id_hash IN ({hashes})"
_RECORDS_SQL = ("SELECT r.person_id, r.id, r.decision, r.decision_date, r.revoked_on FROM integrity_records r "
                "JOIN persons p ON p.id = r.person_id WHERE p.id_hash IN ({hashes})")


def check_candidates(numbers: list[str], on: date) -> dict[str, CandidateCheck]:
    """See _check_candidates; run with the cyclic collector paused (database.gc_paused)."""
    with gc_paused():
        return _check_candidates(numbers, on)


def _check_candidates(numbers: list[str], on: date) -> dict[str, CandidateCheck]:
    """For validated ID numbers: each one's person (if in the registry), restrictions on `on`
    and number of 污点 records. Two plain queries per 10,000 numbers (the persons, then the
    facts of their records) and one for the names of the units concerned. The rules' merge of
    periods runs only for the persons with a record in force on `on` (a restricting decision
    from `earliest_in_force(on)` to `on`): restrictions_on finds no restriction for anyone else."""
    hasher = person_id_hasher()
    hashes = {number: hasher(number) for number in numbers}
    persons: dict[str, tuple] = {}
    records: dict[int, list[tuple]] = {}
    wanted = list(set(hashes.values()))
    connection = db.session.connection()
    for start in range(0, len(wanted), 10_000):
        chunk = _hashes_param(connection, wanted[start:start + 10_000])
        for id_hash, *person in _rows_for_hashes(connection, _PERSONS_SQL, chunk):
            persons[id_hash] = person
        for person_id, *facts in _rows_for_hashes(connection, _RECORDS_SQL, chunk):
            records.setdefault(person_id, []).append(facts)
    unit_ids = {person[2] for person in persons.values()}
    unit_names = {unit_id: name for unit_id, name in
                  connection.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids)))} if unit_ids else {}
    earliest = earliest_in_force(on)
    checked: dict[int, tuple[list[Restriction], int]] = {}
    for person_id, rows in records.items():
        for row in rows:
            if isinstance(row[2], str):
                row[2] = date.fromisoformat(row[2])
        stains = sum(1 for _, decision, _, revoked_on in rows if revoked_on is None and decision != ADMONISHMENT)
        if any(revoked_on is None and decision in DECISIONS and earliest <= decided <= on
               for _, decision, decided, revoked_on in rows):
            facts = [RecordFacts(record_id, decision, decided, revoked_on is not None)
                     for record_id, decision, decided, revoked_on in rows]
            checked[person_id] = (restrictions_on(facts, on), stains)
        else:
            checked[person_id] = ([], stains)
    out = {}
    for number, key in hashes.items():
        person = persons.get(key)
        if person is None:
            out[number] = CandidateCheck(None, "", "", [], 0)
            continue
        person_id, name, unit_id = person
        restrictions, stains = checked.get(person_id) or ([], 0)
        out[number] = CandidateCheck(person_id, name, unit_names.get(unit_id, ""), restrictions, stains)
    return out
