"""典型问题公开曝光 (issue 12, D15): discipline staff draft an anonymised case from a record (a
text naming the person or carrying an ID number is refused), another city-wide commission
account approves it after a confirmation step, it appears on the public page, and it can be
withdrawn (asked first, audited)."""
from datetime import date

import pytest
from sqlalchemy import func, select

from govsvc.audit.models import AuditEntry
from govsvc.auth.models import User
from govsvc.extensions import db
from govsvc.integrity import cases
from govsvc.integrity.models import IntegrityCase
from scoring.integrity import ANONYMOUS_PERSON
from tests.conftest import confirm_page, form_post, logout
from tests.integrity.conftest import declare_purpose, file_stain


@pytest.fixture
def record(city, city_user):
    made = file_stain(city_user, city.alice, date(2026, 3, 1),
                      facts="李爱丽在为某公司办理许可时索要好处费二万元。")
    db.session.commit()
    return made


def _count():
    return db.session.scalar(select(func.count()).select_from(IntegrityCase))


def test_the_suggested_text_is_anonymised(record):
    title, text = cases.suggested(record)
    assert "李爱丽" not in title + text and ANONYMOUS_PERSON in text
    assert "索要好处费二万元" in text and "2026年3月" in text and "记过" in text
    assert not cases.problems(record, title, text)


def test_draft_through_the_form(client, login_as, city, record):
    login_as("discipline")
    declare_purpose(client, city.alice)
    url = f"/integrity/records/{record.id}/case"
    page = client.get(url).get_data(as_text=True)
    assert ANONYMOUS_PERSON in page
    title, text = cases.suggested(record)
    response = form_post(client, url, {"title": title, "text": text})
    assert response.status_code == 302
    case = db.session.scalar(select(IntegrityCase))
    assert (case.status, case.record_id, case.text) == ("draft", record.id, text)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "integrity.case.draft")) is not None
    assert "李爱丽" not in client.get("/cases/").get_data(as_text=True)
    assert text not in client.get("/cases/").get_data(as_text=True)  # not public before approval


@pytest.mark.parametrize("text,message", [
    ("某干部李爱丽索要好处费。", "文稿中含有当事人姓名"),
    ("某干部李 爱 丽索要好处费。", "文稿中含有当事人姓名"),
    ("某干部（身份证号 370302199001011234）索要好处费。", "身份证号"),
])
def test_a_draft_naming_the_person_is_refused(client, login_as, city, record, text, message):
    login_as("discipline")
    declare_purpose(client, city.alice)
    url = f"/integrity/records/{record.id}/case"
    html = form_post(client, url, {"title": "典型问题", "text": text}).get_data(as_text=True)
    assert message in html and _count() == 0


def test_the_masked_id_of_the_person_is_refused(record):
    masked = record.person.id_masked
    assert cases.problems(record, "标题", f"某干部（{masked}）")


def _drafted(factory, record):
    drafter = factory.user("discipline")
    case = cases.draft(drafter, record, *cases.suggested(record))
    db.session.commit()
    return case


def test_approval_publishes_after_confirmation(client, login_as, factory, record):
    case = _drafted(factory, record)
    approver = login_as("discipline")
    url = f"/integrity/cases/{case.id}/approve"
    asked = form_post(client, url, {}, page=f"/integrity/cases/{case.id}")
    fields = confirm_page(asked)
    db.session.expire_all()
    assert db.session.get(IntegrityCase, case.id).status == "draft"
    assert client.post(url, data=fields).status_code == 302
    db.session.expire_all()
    case = db.session.get(IntegrityCase, case.id)
    assert (case.status, case.approved_by) == ("published", approver.username) and case.published_at is not None
    logout(client)
    public = client.get("/cases/")
    assert public.status_code == 200 and case.text in public.get_data(as_text=True)
    assert "李爱丽" not in public.get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "integrity.case.publish"))
    assert entry.user_id == approver.id and entry.target == f"integrity_case:{case.id}"


def test_who_may_approve(factory, city, record):
    case = _drafted(factory, record)
    drafter = db.session.get(User, case.drafted_by_id)
    assert "不能审核自己起草的" in cases.approval_errors(drafter, case)["case"]
    unit_staff = factory.user("discipline", unit=city.scj)
    assert "由市纪委市监委审核公开" in cases.approval_errors(unit_staff, case)["case"]
    assert cases.approval_errors(factory.user("discipline"), case) == {}


def test_approval_checks_the_name_again(factory, record):
    case = _drafted(factory, record)
    record.person.name = "不正"  # the registry's name changed to something the text happens to contain
    case.text += "不正之风"
    assert "文稿中含有当事人姓名" in cases.approval_errors(factory.user("discipline"), case)["case"]


def test_withdrawal_after_confirmation(client, login_as, factory, record):
    case = _drafted(factory, record)
    cases.approve(factory.user("discipline"), case)
    db.session.commit()
    login_as("discipline")
    url = f"/integrity/cases/{case.id}/withdraw"
    page = f"/integrity/cases/{case.id}"
    missing = form_post(client, url, {"reason": ""}, page=page).get_data(as_text=True)
    assert "请说明撤回理由" in missing
    fields = confirm_page(form_post(client, url, {"reason": "当事人申诉复查中"}, page=page))
    db.session.expire_all()
    assert db.session.get(IntegrityCase, case.id).status == "published"
    assert client.post(url, data=fields).status_code == 302
    db.session.expire_all()
    case = db.session.get(IntegrityCase, case.id)
    assert (case.status, case.withdrawal_reason) == ("withdrawn", "当事人申诉复查中")
    assert case.text not in client.get("/cases/").get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "integrity.case.withdraw"))
    assert entry.purpose == "当事人申诉复查中"


def test_unit_staff_cannot_draft_outside_their_units(client, login_as, city, record):
    login_as("discipline", unit=city.swj)
    assert client.get(f"/integrity/records/{record.id}/case").status_code == 403
