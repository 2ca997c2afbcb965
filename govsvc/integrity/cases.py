"""典型问题公开曝光 (seed 002, 保障措施 1: "典型问题公开通报曝光"): anonymised typical cases.

Discipline staff draft a case from a record: the page offers a text generated from the record
with the person's name replaced by 某单位某干部 (`scoring.integrity.anonymise`), and a draft whose
title or text contains the person's name (also spaced out or with full-width letters) or anything
shaped like an ID number is refused (`scoring.integrity.anonymity_problems`). The city commission
(a city-wide discipline account, not the one who drafted it) approves it after a confirmation
step, which publishes it on the public page `/cases/`; the check runs again then. A case is
withdrawn (from draft or published) with a reason, after a confirmation step. All audited.
"""
from __future__ import annotations

from sqlalchemy import select

from govsvc import audit
from govsvc.extensions import db
from govsvc.integrity import scope
from govsvc.integrity.models import IntegrityRecord, IntegrityCase
from govsvc.registry.models import Person
from govsvc.timeutil import utcnow
from scoring.integrity import ANONYMOUS_PERSON, anonymise, anonymity_problems


class CaseError(ValueError):
    """{field name: Chinese message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def suggested(record: IntegrityRecord) -> tuple[str, str]:
    """A title and text generated from the record, without the person's name."""
    name = record.person.name
    facts = anonymise(record.facts.strip(), [name]).rstrip("。.；;，, ")
    day = record.decision_date
    kind = "诫勉谈话" if record.is_admonishment else f"{record.decision_label}处理"
    title = f"{ANONYMOUS_PERSON}在服务企业中的不正之风问题"
    text = (f"{ANONYMOUS_PERSON}在服务企业中存在以下问题：{facts}。"
            f"{day.year}年{day.month}月，{ANONYMOUS_PERSON}受到{kind}，相关情况记入廉政档案。")
    return title, text


def problems(record: IntegrityRecord, title: str, text: str) -> list[str]:
    person = record.person
    return anonymity_problems(f"{title}\n{text}", [person.name], [person.id_masked])


def draft_errors(record: IntegrityRecord, title: str, text: str) -> dict[str, str]:
    errors = {}
    if record.revoked:
        errors["text"] = "已撤销的记录不能作为典型问题曝光。"
    if not title.strip():
        errors["title"] = "请填写标题。"
    if not text.strip():
        errors["text"] = "请填写曝光文稿。"
    found = problems(record, title, text)
    if found:
        errors["text"] = " ".join(found)
    return errors


def draft(user, record: IntegrityRecord, title: str, text: str) -> IntegrityCase:
    scope.check_person(user, record.person)
    errors = draft_errors(record, title, text)
    if errors:
        raise CaseError(errors)
    case = IntegrityCase(record_id=record.id, title=title.strip(), text=text.strip(), status="draft",
                       drafted_by_id=user.id, drafted_by=user.username, drafted_at=utcnow())
    db.session.add(case)
    db.session.flush()
    audit.record("integrity.case.draft", target=f"integrity_case:{case.id}", detail={"record": record.id},
                 category="integrity")
    return case


def approval_errors(user, case: IntegrityCase) -> dict[str, str]:
    errors = {}
    if case.status != "draft":
        errors["case"] = f"该典型问题{case.status_label}，不能审核公开。"
    elif not scope.is_city_wide(user):
        errors["case"] = "典型问题由市纪委市监委审核公开。"
    elif case.drafted_by_id == user.id:
        errors["case"] = "不能审核自己起草的典型问题，请由另一名市纪委市监委工作人员审核。"
    elif case.record.revoked:
        errors["case"] = "该记录已撤销，不能公开曝光。"
    else:
        found = problems(case.record, case.title, case.text)
        if found:
            errors["case"] = " ".join(found)
    return errors


def approve(user, case: IntegrityCase) -> IntegrityCase:
    errors = approval_errors(user, case)
    if errors:
        raise CaseError(errors)
    case.status, case.approved_by_id, case.approved_by, case.published_at = "published", user.id, user.username, utcnow()
    db.session.flush()
    audit.record("integrity.case.publish", target=f"integrity_case:{case.id}", detail={"record": case.record_id},
                 category="integrity")
    return case


def withdrawal_errors(user, case: IntegrityCase, reason: str) -> dict[str, str]:
    errors = {}
    if case.status == "withdrawn":
        errors["reason"] = "该典型问题已撤回。"
    elif not scope.is_city_wide(user) and not (case.status == "draft" and case.drafted_by_id == user.id):
        errors["reason"] = "已公开的典型问题由市纪委市监委撤回；草稿可由起草人撤回。"
    elif not reason.strip():
        errors["reason"] = "请说明撤回理由。"
    return errors


def withdraw(user, case: IntegrityCase, reason: str) -> IntegrityCase:
    errors = withdrawal_errors(user, case, reason)
    if errors:
        raise CaseError(errors)
    was = case.status
    case.status, case.withdrawn_by, case.withdrawn_at = "withdrawn", user.username, utcnow()
    case.withdrawal_reason = reason.strip()
    db.session.flush()
    audit.record("integrity.case.withdraw", target=f"integrity_case:{case.id}", detail={"record": case.record_id, "from": was},
                 purpose=reason.strip(), category="integrity")
    return case


def case_query(user, *, status: str = ""):
    stmt = (select(IntegrityCase).join(IntegrityCase.record).join(IntegrityRecord.person)
            .where(scope.unit_clause(user, Person.unit_id)))
    if status:
        stmt = stmt.where(IntegrityCase.status == status)
    return stmt.order_by(IntegrityCase.id.desc())


def published_query():
    return (select(IntegrityCase).where(IntegrityCase.status == "published")
            .order_by(IntegrityCase.published_at.desc(), IntegrityCase.id.desc()))
