"""Integrity certificates (廉政鉴定): numbered per year, content frozen at issue as canonical
JSON, verified by an HMAC code (key derived with `govsvc.crypto.keyed_hash`, purpose
"integrity-certificate"). The code is never stored: it is recomputed from the stored content,
so changing the content in the database makes every printed code stop matching.

A certificate lists the person's 污点 records that are not revoked (whatever their age), their
admonishments, and the restrictions in force on the issue date. Issuing a new one, or any
change to the file, supersedes the person's earlier valid certificates.
"""
from __future__ import annotations

import hmac
import json
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from govsvc import audit
from govsvc.crypto import keyed_hash
from govsvc.extensions import db
from govsvc.integrity import scope
from govsvc.integrity.files import records_of, restrictions_for
from govsvc.integrity.models import CERTIFICATE_STATUSES, Certificate
from govsvc.registry.models import Person, Unit
from govsvc.timeutil import local_today, utcnow
from scoring.integrity import IntegrityError as CodeError
from scoring.integrity import canonical_content, format_code, normalise_code

ISSUER = "市纪委市监委"
KEY_PURPOSE = "integrity-certificate"
NUMBER_RE = re.compile(r"(\d{4})\D{0,4}?(\d{1,6})")


def display_number(number: str) -> str:
    year, seq = number.split("-")
    return f"廉鉴〔{year}〕{seq}号"


def verification_code(content: str) -> str:
    return format_code(keyed_hash(KEY_PURPOSE, content))


def build_content(person: Person, number: str, issued_on: date, requested_by: str, purpose: str) -> dict:
    records = [r for r in records_of(person) if not r.revoked]
    restrictions = restrictions_for(records, issued_on)

    def entry(r):
        item = {"decision": r.decision_label, "decision_date": r.decision_date, "unit": r.unit.name,
                "post": r.post, "decision_number": r.decision_number, "decision_body": r.decision_body,
                "facts": r.facts}
        if r.is_admonishment:
            item["rectification_deadline"] = r.rectification_deadline
        else:
            item["restricted_until"] = r.facts_for_rules().last_day
        return item

    stains = [entry(r) for r in records if not r.is_admonishment]
    return {
        "number": number,
        "issued_on": issued_on,
        "issuer": ISSUER,
        "requested_by": requested_by,
        "purpose": purpose,
        "person": {"name": person.name, "id_masked": person.id_masked, "unit": person.unit.name,
                   "post": person.post},
        "stains": stains,
        "admonishments": [entry(r) for r in records if r.is_admonishment],
        "restrictions": [{"label": r.label, "since": r.since, "until": r.until} for r in restrictions],
        "conclusion": conclusion(person.name, issued_on, len(stains), bool(restrictions)),
    }


def conclusion(name: str, issued_on: date, stains: int, restricted: bool) -> str:
    on = f"{issued_on.year}年{issued_on.month}月{issued_on.day}日"
    if not stains:
        return f"经查，截至{on}，{name}同志廉政档案中无“污点”记录。"
    tail = "，目前仍在限制期内，须执行上列限制措施。" if restricted else "，限制期均已届满。"
    return f"经查，截至{on}，{name}同志廉政档案中有“污点”记录{stains}条{tail}"


def _next_seq(year: int) -> int:
    return (db.session.scalar(select(func.max(Certificate.seq)).where(Certificate.year == year)) or 0) + 1


def issue(user, person: Person, *, requested_by: str, purpose: str) -> Certificate:
    scope.check_person(user, person)
    requested_by, purpose = requested_by.strip(), purpose.strip()
    if not requested_by or not purpose:
        raise ValueError("请填写申请单位和用途。")
    today = local_today()
    supersede_for(person.id)
    for _ in range(5):  # two issuers racing for the same number: the unique constraint decides
        seq = _next_seq(today.year)
        number = f"{today.year}-{seq:04d}"
        content = canonical_content(build_content(person, number, today, requested_by, purpose))
        cert = Certificate(number=number, year=today.year, seq=seq, person_id=person.id, issued_on=today,
                           issued_by_id=getattr(user, "id", None), requested_by=requested_by, purpose=purpose,
                           content=content, status="valid")
        try:
            with db.session.begin_nested():
                db.session.add(cert)
                db.session.flush()
        except IntegrityError:
            continue
        audit.record("integrity.certificate.issue", target=f"person:{person.id}",
                     detail={"number": number, "requested_by": requested_by}, purpose=purpose, category="integrity")
        return cert
    raise RuntimeError("could not allocate a certificate number")


def supersede_for(person_id: int) -> int:
    """Mark the person's valid certificates superseded; returns how many."""
    result = db.session.execute(update(Certificate)
                                .where(Certificate.person_id == person_id, Certificate.status == "valid")
                                .values(status="superseded", superseded_at=utcnow())
                                .execution_options(synchronize_session="fetch"))
    return result.rowcount


def content_of(cert: Certificate) -> dict:
    return json.loads(cert.content)


def certificate_query(user, *, q: str = "", status: str = ""):
    stmt = (select(Certificate).join(Certificate.person).join(Unit, Unit.id == Person.unit_id)
            .where(scope.unit_clause(user, Person.unit_id)))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Person.name.ilike(like), Certificate.number.ilike(like),
                              Certificate.requested_by.ilike(like), Unit.name.ilike(like)))
    if status:
        stmt = stmt.where(Certificate.status == status)
    return stmt.order_by(Certificate.id.desc())


# -- public verification -------------------------------------------------------------------------
class VerifyError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class Verification:
    number: str
    issued_on: date
    status_label: str
    valid: bool
    name_matches: bool | None     # None: not asked
    count_matches: bool | None


def parse_number(typed: str) -> str | None:
    match = NUMBER_RE.search(typed or "")
    return f"{match.group(1)}-{int(match.group(2)):04d}" if match else None


def verify(typed_number: str, typed_code: str, *, name: str = "", stain_count: int | None = None
           ) -> Verification | None:
    """The certificate with this number whose content gives this code, or None. Reveals only
    the number, date and status, and whether what the holder showed (name, number of 污点
    records) is what was certified."""
    errors = {}
    number = parse_number(typed_number)
    if number is None:
        errors["number"] = "证书编号格式应为“廉鉴〔2026〕0001号”或“2026-0001”。"
    try:
        code = normalise_code(typed_code)
    except CodeError as exc:
        errors["code"] = "验证码" + str(exc)
    if errors:
        raise VerifyError(errors)
    # one SELECT of the four columns needed (no ORM object, no autoflush), one audit INSERT
    cert = db.session.connection().execute(
        select(Certificate.number, Certificate.content, Certificate.issued_on, Certificate.status)
        .where(Certificate.number == number)).first()
    ok = cert is not None and hmac.compare_digest(verification_code(cert.content), code)
    audit.record("integrity.certificate.verify", target=f"certificate:{number}", detail={"match": ok},
                 category="integrity")
    if not ok:
        return None
    content = json.loads(cert.content)
    return Verification(
        number=display_number(cert.number), issued_on=cert.issued_on,
        status_label=CERTIFICATE_STATUSES.get(cert.status, cert.status),
        valid=cert.status == "valid",
        name_matches=(name.strip() == content["person"]["name"]) if name.strip() else None,
        count_matches=(stain_count == len(content["stains"])) if stain_count is not None else None,
    )
