"""Integrity module: checking a candidate list (ID numbers → restrictions on a date) through the
service and the pure core, against one SQL query that does the 3-year date arithmetic in
SQLite itself; and the cost of the certificate's tamper check (HMAC over the content) against
a plain lookup by number. Both paths run side by side on the same database, and the candidate
check asserts that both find the same restricted persons."""
from __future__ import annotations

import random
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import text

from bench.common import Result, best_of, migrated_app

ON = date(2026, 11, 23)
DECISIONS = ("warning", "demerit", "major_demerit", "demotion", "dismissal", "expulsion", "organisational",
             "admonishment")


def _populate(n_persons: int) -> tuple[list[str], int]:
    from govsvc.extensions import db
    from govsvc.integrity.models import IntegrityRecord
    from govsvc.registry.imports import person_id_hash
    from govsvc.registry.models import Person, Unit
    from scoring.id_number import mask
    from tests.factories import make_id_number

    rng = random.Random(11)
    unit = Unit(code="U1", name="单位", level="city")
    db.session.add(unit)
    db.session.flush()
    born = date(1960, 1, 1)  # make_id_number uses n % 1000: a new birth date every 1000 persons
    numbers = [make_id_number(i, birth=(born + timedelta(days=i // 1000)).strftime("%Y%m%d")) for i in range(n_persons)]
    db.session.execute(Person.__table__.insert(), [
        {"id_hash": person_id_hash(n), "id_masked": mask(n), "name": f"人员{i}", "unit_id": unit.id, "post": ""}
        for i, n in enumerate(numbers)])
    ids = db.session.scalars(db.select(Person.id)).all()
    rows = []
    for pid in rng.sample(ids, len(ids) // 5):
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            decision = rng.choice(DECISIONS)
            decided = ON - timedelta(days=rng.randint(0, 6 * 365))
            rows.append({"person_id": pid, "unit_id": unit.id, "post": "", "facts": "x", "decision": decision,
                         "decision_date": decided, "decision_number": "", "decision_body": "", "filed_by": "unit_committee",
                         "rectification_deadline": decided + timedelta(days=30) if decision == "admonishment" else None,
                         "revoked_on": ON if rng.random() < 0.1 else None, "revocation_reason": "", "version": 1})
    from govsvc.timeutil import utcnow

    now = utcnow()
    db.session.execute(IntegrityRecord.__table__.insert(), [{**r, "created_at": now, "updated_at": now} for r in rows])
    db.session.commit()
    return numbers, len(rows)


SQL = text("""
    SELECT p.id_hash FROM persons p JOIN integrity_records r ON r.person_id = p.id
    WHERE p.id_hash IN ({}) AND r.revoked_on IS NULL AND r.decision <> 'admonishment'
      AND r.decision_date <= :on AND date(r.decision_date, '+3 years') > :on
    GROUP BY p.id_hash
""")


def _sql_restricted(numbers: list[str]) -> set[str]:
    from govsvc.extensions import db
    from govsvc.registry.imports import person_id_hash

    hashes = [person_id_hash(n) for n in numbers]
    found = set()
    for start in range(0, len(hashes), 500):
        chunk = hashes[start:start + 500]
        stmt = text(SQL.text.format(", ".join(f":h{i}" for i in range(len(chunk)))))
        params = {f"h{i}": h for i, h in enumerate(chunk)} | {"on": ON.isoformat()}
        found.update(db.session.scalars(stmt, params))
    return found


def _ours_restricted(numbers: list[str]) -> set[str]:
    from govsvc.integrity.files import check_candidates

    return {n for n, r in check_candidates(numbers, ON).items() if r.restrictions}


def run(quick: bool) -> list[Result]:
    from govsvc.extensions import db
    from govsvc.integrity import certificates
    from govsvc.integrity.models import Certificate
    from govsvc.registry.imports import person_id_hash
    from govsvc.registry.models import Person

    n = 5_000 if quick else 100_000
    with migrated_app():
        numbers, n_records = _populate(n)
        by_hash = {person_id_hash(n): n for n in numbers}
        assert _ours_restricted(numbers) == {by_hash[h] for h in _sql_restricted(numbers)}, "the two paths disagree"
        ours = best_of(lambda: _ours_restricted(numbers))
        baseline = best_of(lambda: _sql_restricted(numbers))
        # Certificates: issue some, then verify each (HMAC over its content) vs look each up by number.
        people = db.session.scalars(db.select(Person).limit(200 if quick else 2000)).all()
        city_wide = SimpleNamespace(id=None, unit_id=None, username="bench")
        issued = [certificates.issue(city_wide, p, requested_by="组织部", purpose="考察") for p in people]
        db.session.commit()
        codes = [(c.number, certificates.verification_code(c.content)) for c in issued]
        verify = best_of(lambda: [certificates.verify(num, code) for num, code in codes])
        lookup = best_of(lambda: [db.session.scalar(db.select(Certificate).where(Certificate.number == num))
                                  for num, _ in codes])
        db.session.rollback()
    return [
        Result("integrity candidate check", f"{len(numbers):,} ID numbers, {n_records:,} records", "check_candidates + core",
               ours, "one SQL query (SQLite date arithmetic)", baseline,
               "ours also merges overlapping windows and gives each restriction's period"),
        Result("integrity certificate verify", f"{len(codes):,} certificates", "verify (HMAC over content + audit)",
               verify, "lookup by number only", lookup, "the price of tamper detection"),
    ]
